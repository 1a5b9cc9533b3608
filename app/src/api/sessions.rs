//! Training sessions: logging, editing, cancelling and reading them. Their attendance is
//! in `attendance.rs`.

use kynangso_domain::session::SessionForm;
use kynangso_domain::views::{SessionDetail, SessionFormContext, SessionPage};
use leptos::prelude::*;
use uuid::Uuid;

use crate::AppError;

/// The form checked by the same rules the browser's form follows (422 with field messages).
#[cfg(feature = "ssr")]
fn validated(form: &SessionForm) -> Result<kynangso_domain::session::ValidSession, AppError> {
    let today = kynangso_domain::format::today_in_vietnam(chrono::Utc::now());
    form.validate(today).map_err(AppError::Invalid)
}

#[cfg(feature = "ssr")]
pub(crate) fn parse_id(text: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(text.trim()).map_err(|_| AppError::NotFound)
}

/// A page of the commune's sessions, newest first, with attendance counts: the newest, or
/// those older than `after` (the last session of the page before).
#[server(endpoint = "sessions/list")]
pub async fn list_sessions(after: Option<Uuid>) -> Result<SessionPage, AppError> {
    use crate::server::{auth::require_caller, db};
    let caller = require_caller().await?;
    kynangso_data::training::list(&db()?, &caller, after)
        .await
        .map_err(AppError::from)
}

/// Villages, modules of the current curriculum and the team, for the session form.
#[server(endpoint = "sessions/form-context")]
pub async fn load_session_form() -> Result<SessionFormContext, AppError> {
    use crate::server::{auth::require_caller, db};
    let caller = require_caller().await?;
    kynangso_data::training::form_context(&db()?, &caller)
        .await
        .map_err(AppError::from)
}

/// Logs a session; a retry with the same `form[id]` answers with the same session.
#[server(endpoint = "sessions/create")]
pub async fn create_session(form: SessionForm) -> Result<Uuid, AppError> {
    use crate::server::{auth::require_caller, db};
    let caller = require_caller().await?;
    let session = validated(&form)?;
    let id = session.id;
    kynangso_data::training::create(&db()?, &caller, session).await?;
    leptos_axum::redirect(&format!("/buoi-tap-huan/{id}"));
    Ok(id)
}

/// Saves changes to a session (details, modules, trainers); audited with before and after.
#[server(endpoint = "sessions/update")]
pub async fn update_session(form: SessionForm) -> Result<Uuid, AppError> {
    use crate::server::{auth::require_caller, db};
    let caller = require_caller().await?;
    let session = validated(&form)?;
    let id = session.id;
    kynangso_data::training::update(&db()?, &caller, session).await?;
    leptos_axum::redirect(&format!("/buoi-tap-huan/{id}"));
    Ok(id)
}

/// One session with its roster.
#[server(endpoint = "sessions/detail")]
pub async fn read_session(id: String) -> Result<SessionDetail, AppError> {
    use crate::server::{auth::require_caller, db};
    let caller = require_caller().await?;
    kynangso_data::training::detail(&db()?, &caller, parse_id(&id)?)
        .await
        .map_err(AppError::from)
}

/// Cancels a session; it stays on record with its roster.
#[server(endpoint = "sessions/cancel")]
pub async fn cancel_session(id: String) -> Result<(), AppError> {
    use crate::server::{auth::require_caller, db};
    let caller = require_caller().await?;
    let id = parse_id(&id)?;
    kynangso_data::training::cancel(&db()?, &caller, id).await?;
    leptos_axum::redirect(&format!("/buoi-tap-huan/{id}"));
    Ok(())
}
