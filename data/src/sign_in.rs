//! Checking credentials, with brute-force throttling that holds under bursts and cannot
//! be turned against an account's owner.
//!
//! Every attempt is written to `login_attempt` (in the database, so that all app servers
//! count together) *before* its password is verified, then the failures of the window are
//! counted, this attempt included. So a burst of parallel guesses cannot all see an empty
//! count: the k-th attempt to count sees at least k rows, and at most the limit of them is
//! ever verified, however many app servers and connections share the burst. An attempt
//! refused by the throttle is deleted again (it was never verified, so it tells nothing),
//! and a verified success is marked as such.
//!
//! Failures are counted per *source*: the account from one known device (one where the
//! account signed in before, see [`devices`]), or from one client address. Within
//! [`WINDOW`], after [`MAX_FAILURES_PER_SOURCE`] failures that source is locked out of
//! that account. Attempts from unknown devices are also counted per account
//! ([`MAX_FAILURES_PER_ACCOUNT`], whatever the address) and per address
//! ([`MAX_FAILURES_PER_ADDRESS`], whatever the account). An attacker therefore gets at
//! most 10 guesses per account per 15 minutes (40 an hour) from any number of addresses,
//! 5 per account from any one address, 30 across all accounts from one address; while
//! the account's owner, on a phone where they signed in before, keeps their own count of
//! 5 and can still sign in, and so can the rest of an office behind the same address.
//!
//! The attempt's key is the account's id when the login names an account (so the user
//! name and the phone number share one count), else a SHA-256 of what was typed: people
//! sometimes type their password into the login field, and it must not be stored (nor
//! logged: the typed login never goes into a trace field).

pub mod devices;
pub mod sessions;

use chrono::{Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter,
};
use uuid::Uuid;

use crate::entities::{app_user, login_attempt};
use crate::{DataError, password};

pub const WINDOW: Duration = Duration::minutes(15);
/// Failures of one account from one source (a known device, or else a client address).
pub const MAX_FAILURES_PER_SOURCE: u64 = 5;
/// Failures of one account from all unknown devices together.
pub const MAX_FAILURES_PER_ACCOUNT: u64 = 10;
/// Failures from one client address over all accounts, unknown devices only.
pub const MAX_FAILURES_PER_ADDRESS: u64 = 30;

/// Sources that are known devices are written as `device:<id>` in `login_attempt.client`.
const DEVICE_PREFIX: &str = "device:";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInOutcome {
    Accepted {
        user: Box<app_user::Model>,
        /// A token for the device cookie, when this device was not yet known to the account.
        new_device_token: Option<String>,
    },
    /// Wrong name, wrong password or a disabled account: the same answer for all three.
    Rejected,
    /// Too many failures: try again after this many minutes.
    Throttled { minutes: i64 },
}

/// Checks `login` (a user name or a phone number) and `password` from `client`, on the
/// device whose cookie carried `device_token` (if any).
#[tracing::instrument(skip(db, login, password, device_token), fields(client = %client))]
pub async fn check<C: ConnectionTrait>(
    db: &C,
    login: &str,
    password: String,
    client: &str,
    device_token: Option<&str>,
) -> Result<SignInOutcome, DataError> {
    let login = login.trim().to_lowercase();
    let user = find_by_login(db, &login).await?;
    let device = match (&user, device_token) {
        (Some(user), Some(token)) => devices::known(db, user.id, token).await?,
        _ => None,
    };
    let key = attempt_key(user.as_ref(), &login);
    let Some(attempt) = admit(db, &key, client, device).await? else {
        return Ok(SignInOutcome::Throttled {
            minutes: WINDOW.num_minutes(),
        });
    };
    // Verify even for an unknown user (against a dummy hash): same time, same answer.
    let verified =
        password::verify(password, user.as_ref().map(|u| u.password_hash.clone())).await?;
    let Some(user) = user.filter(|u| verified && u.disabled_at.is_none()) else {
        return Ok(SignInOutcome::Rejected);
    };
    mark_succeeded(db, attempt).await?;
    let new_device_token = match device {
        Some(_) => None,
        None => Some(devices::remember(db, user.id).await?),
    };
    Ok(SignInOutcome::Accepted {
        user: Box::new(user),
        new_device_token,
    })
}

/// Whether `password` is `user`'s, counted like a sign-in attempt from `client` (changing
/// a password asks for the current one, which must not be a way around the throttle).
/// `None` when throttled.
pub async fn verify_current<C: ConnectionTrait>(
    db: &C,
    user: &app_user::Model,
    password: String,
    client: &str,
) -> Result<Option<bool>, DataError> {
    let key = attempt_key(Some(user), "");
    let Some(attempt) = admit(db, &key, client, None).await? else {
        return Ok(None);
    };
    let verified = password::verify(password, Some(user.password_hash.clone())).await?;
    if verified {
        mark_succeeded(db, attempt).await?;
    }
    Ok(Some(verified))
}

/// Records an attempt as a failure, then counts: the attempt's id when it may be verified,
/// `None` (and the attempt deleted) when a limit is reached.
async fn admit<C: ConnectionTrait>(
    db: &C,
    key: &str,
    client: &str,
    device: Option<Uuid>,
) -> Result<Option<Uuid>, DataError> {
    let source = device.map_or_else(|| client.to_owned(), |id| format!("{DEVICE_PREFIX}{id}"));
    let id = kynangso_domain::new_id();
    login_attempt::Entity::insert(login_attempt::ActiveModel {
        id: Set(id),
        username: Set(key.to_owned()),
        client: Set(source.clone()),
        at: Set(Utc::now()),
        succeeded: Set(false),
    })
    .exec_without_returning(db)
    .await?;
    let since = Utc::now() - WINDOW;
    let failures = |condition: Condition| {
        login_attempt::Entity::find()
            .filter(condition)
            .filter(login_attempt::Column::At.gt(since))
            .filter(login_attempt::Column::Succeeded.eq(false))
            .count(db)
    };
    let by_source = Condition::all()
        .add(login_attempt::Column::Username.eq(key))
        .add(login_attempt::Column::Client.eq(source.as_str()));
    let mut throttled = failures(by_source).await? > MAX_FAILURES_PER_SOURCE;
    if !throttled && device.is_none() {
        let by_account = Condition::all()
            .add(login_attempt::Column::Username.eq(key))
            .add(login_attempt::Column::Client.not_like(format!("{DEVICE_PREFIX}%")));
        let by_address = Condition::all().add(login_attempt::Column::Client.eq(client));
        throttled = failures(by_account).await? > MAX_FAILURES_PER_ACCOUNT
            || failures(by_address).await? > MAX_FAILURES_PER_ADDRESS;
    }
    if throttled {
        tracing::warn!(known_device = device.is_some(), "sign-in throttled");
        login_attempt::Entity::delete_by_id(id).exec(db).await?;
        return Ok(None);
    }
    Ok(Some(id))
}

async fn mark_succeeded<C: ConnectionTrait>(db: &C, attempt: Uuid) -> Result<(), DataError> {
    login_attempt::Entity::update_many()
        .col_expr(login_attempt::Column::Succeeded, Expr::value(true))
        .filter(login_attempt::Column::Id.eq(attempt))
        .exec(db)
        .await?;
    Ok(())
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

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::sync::{Arc, Mutex};

    use sea_orm::Database;

    /// Collects what the log would print.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl Write for Captured {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0
                .lock()
                .map_err(|_| std::io::ErrorKind::Other)?
                .extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[tokio::test(flavor = "current_thread")]
    async fn what_was_typed_as_the_login_never_reaches_the_log() {
        // One connection: each of a pool's would have an in-memory database of its own.
        let mut options = sea_orm::ConnectOptions::new("sqlite::memory:");
        options.max_connections(1);
        let db = Database::connect(options).await.expect("database");
        crate::db::migrate(&db).await.expect("schema");
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_span_events(tracing_subscriber::fmt::format::FmtSpan::NEW)
            .with_max_level(tracing::Level::TRACE)
            .finish();
        let _default = tracing::subscriber::set_default(subscriber);
        let typed = "mật khẩu lỡ gõ vào ô tên";
        for _ in 0..=super::MAX_FAILURES_PER_SOURCE {
            super::check(&db, typed, "x".to_owned(), "10.0.0.1", None)
                .await
                .expect("check");
        }
        let log = String::from_utf8(captured.0.lock().expect("log").clone()).expect("utf-8");
        assert!(
            log.contains("sign-in throttled"),
            "the log was captured: {log}"
        );
        assert!(!log.contains(typed), "the typed login is in the log: {log}");
    }
}
