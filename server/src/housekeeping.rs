//! Periodic clean-up: expired sign-in sessions, old sign-in attempts, and uploads nobody
//! imported within a day (they may hold personal data). Every app server
//! runs it; the deletes are idempotent, so several servers doing it at once is harmless.

use std::time::Duration;

use kynangso_data::DatabaseConnection;
use kynangso_data::sign_in::sessions::SessionPolicy;

/// How often the clean-up runs.
pub const EVERY: Duration = Duration::from_secs(10 * 60);

/// One pass; returns (sessions, attempts and abandoned uploads) deleted.
pub async fn run_once(
    db: &DatabaseConnection,
    policy: SessionPolicy,
) -> Result<(u64, u64), kynangso_data::DataError> {
    let now = chrono::Utc::now();
    let sessions = kynangso_data::sign_in::sessions::delete_expired(db, policy, now).await?;
    let attempts = kynangso_data::sign_in::delete_old_attempts(db, now).await?
        + kynangso_data::sign_in::devices::delete_expired_devices(db, now).await?;
    let uploads = kynangso_data::import::uploads::forget_abandoned(db).await?;
    Ok((sessions, attempts + uploads))
}

/// Runs [`run_once`] every [`EVERY`] until the process ends.
pub fn spawn(db: DatabaseConnection, policy: SessionPolicy) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(EVERY);
        loop {
            ticks.tick().await;
            match run_once(&db, policy).await {
                Ok((sessions, attempts)) if sessions + attempts > 0 => {
                    tracing::info!(sessions, attempts, "housekeeping removed expired rows");
                }
                Ok(_) => {}
                Err(err) => tracing::warn!(error = %err, "housekeeping failed; will retry"),
            }
        }
    });
}
