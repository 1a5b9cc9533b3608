//! Writes and reads of user accounts.

use chrono::Utc;
use kynangso_domain::Role;
use kynangso_domain::credentials::{check_password, parse_username};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, SqlErr};
use uuid::Uuid;

use crate::entities::app_user;
use crate::idempotent::{Outcome, insert_once};
use crate::{DataError, audit, password};

/// What it takes to create an account. The password is hashed before anything is stored.
#[derive(Clone)]
pub struct NewUser {
    pub id: Uuid,
    pub username: String,
    pub phone: Option<String>,
    pub display_name: String,
    pub password: String,
    pub role: Role,
    pub scope_unit_id: Uuid,
    pub must_change_password: bool,
}

impl std::fmt::Debug for NewUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewUser")
            .field("id", &self.id)
            .field("username", &self.username)
            .field("role", &self.role)
            .field("scope_unit_id", &self.scope_unit_id)
            .finish_non_exhaustive()
    }
}

/// Whether `existing` is what `new` would have created (the password aside: only its hash
/// is kept), so that a second `new` with this id is a retry.
fn same_account(existing: &app_user::Model, new: &NewUser) -> bool {
    existing.role == new.role.as_str()
        && existing.scope_unit_id == new.scope_unit_id
        && existing.display_name == new.display_name
        && existing.phone == new.phone
}

/// Creates a user, idempotently on `id`. A different account with the same user name is
/// refused with [`DataError::AlreadyExists`].
#[tracing::instrument(skip(db, new), fields(user_id = %new.id, role = ?new.role))]
pub async fn create<C: ConnectionTrait>(
    db: &C,
    new: NewUser,
    actor: Option<Uuid>,
) -> Result<Outcome, DataError> {
    let hash = hash_password_of(&new).await?;
    create_hashed(db, new, hash, actor).await
}

/// Checks the account's password and hashes it: the slow part of creating an account,
/// done before a transaction begins so that no write waits on it.
pub async fn hash_password_of(new: &NewUser) -> Result<password::PasswordHashString, DataError> {
    check_password(&new.password).map_err(|e| DataError::Invalid(e.to_string()))?;
    password::hash(new.password.clone()).await
}

/// [`create`] with the password already hashed by [`hash_password_of`].
pub async fn create_hashed<C: ConnectionTrait>(
    db: &C,
    new: NewUser,
    hash: password::PasswordHashString,
    actor: Option<Uuid>,
) -> Result<Outcome, DataError> {
    let username = parse_username(&new.username).map_err(|e| DataError::Invalid(e.to_string()))?;
    if let Some(existing) = find_by_username(db, &username).await? {
        return if existing.id != new.id {
            Err(DataError::AlreadyExists { what: "user" })
        } else if same_account(&existing, &new) {
            Ok(Outcome::AlreadyThere)
        } else {
            Err(DataError::IdTaken { what: "user" })
        };
    }
    if app_user::Entity::find_by_id(new.id)
        .one(db)
        .await?
        .is_some()
    {
        // The id is another user name's: never a retry of this form.
        return Err(DataError::IdTaken { what: "user" });
    }
    let now = Utc::now();
    let row = app_user::ActiveModel {
        id: Set(new.id),
        username: Set(username.clone()),
        phone: Set(new.phone),
        display_name: Set(new.display_name.clone()),
        password_hash: Set(hash.as_str().to_owned()),
        role: Set(new.role.as_str().to_owned()),
        scope_unit_id: Set(new.scope_unit_id),
        must_change_password: Set(new.must_change_password),
        disabled_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    };
    // A concurrent create of the same user name under another id passed the read above;
    // the unique index refuses it here.
    let outcome = match insert_once(db, row).await {
        Err(error) if matches!(error.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            return Err(DataError::AlreadyExists { what: "user" });
        }
        other => other?,
    };
    if outcome == Outcome::Created {
        audit::record(
            db,
            audit::AuditEntry {
                actor_user_id: actor,
                action: "create",
                entity: "app_user",
                entity_id: Some(new.id.to_string()),
                scope_unit_id: Some(new.scope_unit_id),
                after: Some(serde_json::json!({
                    "username": username,
                    "display_name": new.display_name,
                    "role": new.role.as_str(),
                    "scope_unit_id": new.scope_unit_id,
                })),
                ..Default::default()
            },
        )
        .await?;
    }
    Ok(outcome)
}

pub async fn find_by_username<C: ConnectionTrait>(
    db: &C,
    username: &str,
) -> Result<Option<app_user::Model>, DataError> {
    Ok(app_user::Entity::find()
        .filter(app_user::Column::Username.eq(username.trim().to_lowercase()))
        .one(db)
        .await?)
}
