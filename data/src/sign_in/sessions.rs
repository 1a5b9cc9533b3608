//! Sign-in sessions, stored in the database so that any number of app servers can share
//! them. The cookie carries a random 256-bit token; the table keeps only its SHA-256, so a
//! leaked database dump cannot be replayed as cookies.

use chrono::{DateTime, Duration, Utc};
use kynangso_domain::Role;
use rand::RngCore;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::DataError;
use crate::entities::{app_user, user_session};

/// How long a session lives.
#[derive(Debug, Clone, Copy)]
pub struct SessionPolicy {
    /// Ends after this long without a request.
    pub idle: Duration,
    /// Ends this long after sign-in, however active.
    pub absolute: Duration,
}

/// The signed-in user, as every access check sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionUser {
    pub user_id: Uuid,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub scope_unit_id: Uuid,
    pub must_change_password: bool,
}

/// `last_seen_at` is written at most this often, so reads stay reads.
const TOUCH_EVERY: Duration = Duration::seconds(60);

fn digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Starts a session and returns the token for the cookie. Always a fresh token: a session
/// id is never carried over from before sign-in (no session fixation).
#[tracing::instrument(skip(db, client))]
pub async fn start<C: ConnectionTrait>(
    db: &C,
    user_id: Uuid,
    client: Option<String>,
    policy: SessionPolicy,
) -> Result<String, DataError> {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    let now = Utc::now();
    user_session::Entity::insert(user_session::ActiveModel {
        id: Set(digest(&token)),
        user_id: Set(user_id),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(now + policy.absolute),
        client: Set(client),
    })
    .exec_without_returning(db)
    .await?;
    Ok(token)
}

/// The user behind a cookie token, if the session is alive and the account enabled.
pub async fn resolve<C: ConnectionTrait>(
    db: &C,
    token: &str,
    policy: SessionPolicy,
) -> Result<Option<SessionUser>, DataError> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let id = digest(token);
    let Some((session, Some(user))) = user_session::Entity::find_by_id(id.clone())
        .find_also_related(app_user::Entity)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let now = Utc::now();
    if !alive(&session, now, policy) || user.disabled_at.is_some() {
        user_session::Entity::delete_by_id(id).exec(db).await?;
        return Ok(None);
    }
    if now - session.last_seen_at > TOUCH_EVERY {
        user_session::Entity::update_many()
            .col_expr(user_session::Column::LastSeenAt, Expr::value(now))
            .filter(user_session::Column::Id.eq(id))
            .exec(db)
            .await?;
    }
    let Some(role) = Role::parse(&user.role) else {
        tracing::error!(user_id = %user.id, "unknown role in the database");
        return Ok(None);
    };
    Ok(Some(SessionUser {
        user_id: user.id,
        username: user.username,
        display_name: user.display_name,
        role,
        scope_unit_id: user.scope_unit_id,
        must_change_password: user.must_change_password,
    }))
}

fn alive(session: &user_session::Model, now: DateTime<Utc>, policy: SessionPolicy) -> bool {
    now < session.expires_at && now - session.last_seen_at < policy.idle
}

/// Ends one session (sign-out).
pub async fn end<C: ConnectionTrait>(db: &C, token: &str) -> Result<(), DataError> {
    user_session::Entity::delete_by_id(digest(token))
        .exec(db)
        .await?;
    Ok(())
}

/// Ends every session of a user (sign-out everywhere, a disabled account).
pub async fn end_all<C: ConnectionTrait>(db: &C, user_id: Uuid) -> Result<u64, DataError> {
    let result = user_session::Entity::delete_many()
        .filter(user_session::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

/// Ends every session of a user but the one behind `keep` (after a password change).
pub async fn end_all_except<C: ConnectionTrait>(
    db: &C,
    user_id: Uuid,
    keep: Option<&str>,
) -> Result<u64, DataError> {
    let mut delete =
        user_session::Entity::delete_many().filter(user_session::Column::UserId.eq(user_id));
    if let Some(token) = keep {
        delete = delete.filter(user_session::Column::Id.ne(digest(token)));
    }
    Ok(delete.exec(db).await?.rows_affected)
}

/// Deletes sessions past their absolute or idle lifetime. Run periodically: a session
/// that is never presented again would otherwise stay in the table for ever.
pub async fn delete_expired<C: ConnectionTrait>(
    db: &C,
    policy: SessionPolicy,
    now: DateTime<Utc>,
) -> Result<u64, DataError> {
    let result = user_session::Entity::delete_many()
        .filter(
            sea_orm::Condition::any()
                .add(user_session::Column::ExpiresAt.lte(now))
                .add(user_session::Column::LastSeenAt.lte(now - policy.idle)),
        )
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stored_id_is_the_tokens_sha256_not_the_token() {
        let id = digest("abc");
        assert_eq!(
            id,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn a_session_dies_when_idle_or_too_old() {
        let policy = SessionPolicy {
            idle: Duration::minutes(30),
            absolute: Duration::hours(12),
        };
        let now = Utc::now();
        let session = |last_seen: DateTime<Utc>, expires: DateTime<Utc>| user_session::Model {
            id: String::new(),
            user_id: Uuid::nil(),
            created_at: now,
            last_seen_at: last_seen,
            expires_at: expires,
            client: None,
        };
        assert!(alive(&session(now, now + Duration::hours(1)), now, policy));
        assert!(!alive(
            &session(now - Duration::minutes(31), now + Duration::hours(1)),
            now,
            policy
        ));
        assert!(!alive(
            &session(now, now - Duration::seconds(1)),
            now,
            policy
        ));
    }
}
