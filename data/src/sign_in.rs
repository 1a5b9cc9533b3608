//! Checking credentials, with brute-force throttling.
//!
//! Every attempt is recorded in `login_attempt` (in the database, so that all app servers
//! count together). An account is locked for [`WINDOW`] after [`MAX_FAILURES_PER_LOGIN`]
//! failures within that window — at most 20 guesses an hour, well under the 100 the
//! requirement allows — and a client address after [`MAX_FAILURES_PER_CLIENT`], which
//! slows down guessing across many accounts.
//!
//! The attempt's key is the account's id when the login names an account (so the user
//! name and the phone number share one count), else a SHA-256 of what was typed: people
//! sometimes type their password into the login field, and it must not be stored.

use chrono::{Duration, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
};

use crate::entities::{app_user, login_attempt};
use crate::{DataError, password};

pub const WINDOW: Duration = Duration::minutes(15);
pub const MAX_FAILURES_PER_LOGIN: u64 = 5;
pub const MAX_FAILURES_PER_CLIENT: u64 = 30;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInOutcome {
    Accepted(Box<app_user::Model>),
    /// Wrong name, wrong password or a disabled account: the same answer for all three.
    Rejected,
    /// Too many failures: try again after this many minutes.
    Throttled {
        minutes: i64,
    },
}

/// Checks `login` (a user name or a phone number) and `password` from `client`.
#[tracing::instrument(skip(db, password), fields(client = %client))]
pub async fn check<C: ConnectionTrait>(
    db: &C,
    login: &str,
    password: String,
    client: &str,
) -> Result<SignInOutcome, DataError> {
    let login = login.trim().to_lowercase();
    let user = find_by_login(db, &login).await?;
    let key = attempt_key(user.as_ref(), &login);
    let since = Utc::now() - WINDOW;
    let failures = |column: login_attempt::Column, value: String| {
        login_attempt::Entity::find()
            .filter(column.eq(value))
            .filter(login_attempt::Column::At.gt(since))
            .filter(login_attempt::Column::Succeeded.eq(false))
            .count(db)
    };
    if failures(login_attempt::Column::Username, key.clone()).await? >= MAX_FAILURES_PER_LOGIN
        || failures(login_attempt::Column::Client, client.to_owned()).await?
            >= MAX_FAILURES_PER_CLIENT
    {
        tracing::warn!("sign-in throttled");
        return Ok(SignInOutcome::Throttled {
            minutes: WINDOW.num_minutes(),
        });
    }

    // Verify even for an unknown user (against a dummy hash): same time, same answer.
    let verified =
        password::verify(password, user.as_ref().map(|u| u.password_hash.clone())).await?;
    let accepted = match user {
        Some(user) if verified && user.disabled_at.is_none() => Some(user),
        _ => None,
    };
    login_attempt::Entity::insert(login_attempt::ActiveModel {
        id: Set(kynangso_domain::new_id()),
        username: Set(key),
        client: Set(client.to_owned()),
        at: Set(Utc::now()),
        succeeded: Set(accepted.is_some()),
    })
    .exec_without_returning(db)
    .await?;
    Ok(match accepted {
        Some(user) => SignInOutcome::Accepted(Box::new(user)),
        None => SignInOutcome::Rejected,
    })
}

/// What an attempt is counted under: never the typed text itself.
fn attempt_key(user: Option<&app_user::Model>, login: &str) -> String {
    use sha2::{Digest, Sha256};
    match user {
        Some(user) => format!("user:{}", user.id),
        None => format!("sha256:{}", hex::encode(Sha256::digest(login.as_bytes()))),
    }
}

/// How long attempts are kept: the throttle needs [`WINDOW`]; a day helps an
/// administrator see an attack after the fact.
pub const KEEP_ATTEMPTS: Duration = Duration::days(1);

/// Deletes attempts older than [`KEEP_ATTEMPTS`]. Run periodically.
pub async fn delete_old_attempts<C: ConnectionTrait>(
    db: &C,
    now: chrono::DateTime<Utc>,
) -> Result<u64, DataError> {
    let result = login_attempt::Entity::delete_many()
        .filter(login_attempt::Column::At.lt(now - KEEP_ATTEMPTS))
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

/// A user by user name, or by phone number in any common spelling (+84…, 84…, 0…).
async fn find_by_login<C: ConnectionTrait>(
    db: &C,
    login: &str,
) -> Result<Option<app_user::Model>, DataError> {
    let by_name = app_user::Entity::find()
        .filter(app_user::Column::Username.eq(login))
        .one(db)
        .await?;
    if by_name.is_some() {
        return Ok(by_name);
    }
    match kynangso_domain::phone::VnMobile::parse(login) {
        Ok(phone) => Ok(app_user::Entity::find()
            .filter(app_user::Column::Phone.eq(phone.as_str()))
            .one(db)
            .await?),
        Err(_) => Ok(None),
    }
}
