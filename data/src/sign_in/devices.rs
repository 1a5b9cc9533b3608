//! Known devices: where an account has signed in successfully before.
//!
//! The cookie holds a random token; the database only its SHA-256. A device is known for
//! [`DEVICE_LIFETIME`] after its sign-in, and only to the account that signed in there.

use chrono::{Duration, Utc};
use rand::RngCore;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::DataError;
use crate::entities::sign_in_device;

/// How long a device stays known after the sign-in that made it so (the cookie's life).
pub const DEVICE_LIFETIME: Duration = Duration::days(90);

/// The device of `token`, when it is known to `user_id`.
pub(super) async fn known<C: ConnectionTrait>(
    db: &C,
    user_id: Uuid,
    token: &str,
) -> Result<Option<Uuid>, DataError> {
    let device = sign_in_device::Entity::find()
        .filter(sign_in_device::Column::TokenSha256.eq(digest(token)))
        .filter(sign_in_device::Column::UserId.eq(user_id))
        .filter(sign_in_device::Column::CreatedAt.gt(Utc::now() - DEVICE_LIFETIME))
        .one(db)
        .await?;
    Ok(device.map(|d| d.id))
}

/// Makes this device known to `user_id`; returns the token for its cookie.
pub(super) async fn remember<C: ConnectionTrait>(
    db: &C,
    user_id: Uuid,
) -> Result<String, DataError> {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    sign_in_device::Entity::insert(sign_in_device::ActiveModel {
        id: Set(kynangso_domain::new_id()),
        user_id: Set(user_id),
        token_sha256: Set(digest(&token)),
        created_at: Set(Utc::now()),
    })
    .exec_without_returning(db)
    .await?;
    Ok(token)
}

/// Forgets devices past their lifetime. Run periodically.
pub async fn delete_expired_devices<C: ConnectionTrait>(
    db: &C,
    now: chrono::DateTime<Utc>,
) -> Result<u64, DataError> {
    let result = sign_in_device::Entity::delete_many()
        .filter(sign_in_device::Column::CreatedAt.lt(now - DEVICE_LIFETIME))
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

fn digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}
