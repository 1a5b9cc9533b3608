//! The audit log, read-only: province admins read all of it, commune leads their commune's.

use kynangso_domain::views::AuditLine;
use leptos::prelude::*;

use crate::AppError;

/// The newest entries, or those older than `before` (an entry id) for the next page.
#[server(endpoint = "audit/read")]
pub async fn read_audit(before: Option<String>) -> Result<Vec<AuditLine>, AppError> {
    use crate::server::{auth::require_caller, db};
    let caller = require_caller().await?;
    let before = match before.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(
            uuid::Uuid::parse_str(text)
                .map_err(|_| AppError::invalid("before", "Trang không hợp lệ."))?,
        ),
    };
    kynangso_data::audit::read(&db()?, &caller, before)
        .await
        .map_err(AppError::from)
}
