//! Training sessions and attendance: the daily field work of a commune team.

use kynangso_domain::attendance::AttendanceStatus;
use kynangso_domain::session::SessionForm;
use kynangso_domain::views::{SessionDetail, SessionFormContext, SessionPage};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use uuid::Uuid;

use crate::AppError;

/// The form checked by the same rules the browser's form follows (422 with field messages).
#[cfg(feature = "ssr")]
fn validated(form: &SessionForm) -> Result<kynangso_domain::session::ValidSession, AppError> {
    let today = kynangso_domain::format::today_in_vietnam(chrono::Utc::now());
    form.validate(today)
        .map_err(|errors| crate::server::respond_with(AppError::Invalid(errors)))
}

#[cfg(feature = "ssr")]
fn parse_id(text: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(text.trim()).map_err(|_| crate::server::respond_with(AppError::NotFound))
}

/// A page of the commune's sessions, newest first, with attendance counts: the newest, or
/// those older than `after` (the last session of the page before).
#[server(endpoint = "sessions/list")]
pub async fn list_sessions(after: Option<Uuid>) -> Result<SessionPage, AppError> {
    use crate::server::{auth::require_caller, data_error, db};
    let caller = require_caller().await?;
    kynangso_data::training::list(&db()?, &caller, after)
        .await
        .map_err(data_error)
}

/// Villages, modules of the current curriculum and the team, for the session form.
#[server(endpoint = "sessions/form-context")]
pub async fn load_session_form() -> Result<SessionFormContext, AppError> {
    use crate::server::{auth::require_caller, data_error, db};
    let caller = require_caller().await?;
    kynangso_data::training::form_context(&db()?, &caller)
        .await
        .map_err(data_error)
}

/// Logs a session; a retry with the same `form[id]` answers with the same session.
#[server(endpoint = "sessions/create")]
pub async fn create_session(form: SessionForm) -> Result<Uuid, AppError> {
    use crate::server::{auth::require_caller, data_error, db};
    let caller = require_caller().await?;
    let session = validated(&form)?;
    let id = session.id;
    kynangso_data::training::create(&db()?, &caller, session)
        .await
        .map_err(data_error)?;
    leptos_axum::redirect(&format!("/buoi-tap-huan/{id}"));
    Ok(id)
}

/// Saves changes to a session (details, modules, trainers); audited with before and after.
#[server(endpoint = "sessions/update")]
pub async fn update_session(form: SessionForm) -> Result<Uuid, AppError> {
    use crate::server::{auth::require_caller, data_error, db};
    let caller = require_caller().await?;
    let session = validated(&form)?;
    let id = session.id;
    kynangso_data::training::update(&db()?, &caller, session)
        .await
        .map_err(data_error)?;
    leptos_axum::redirect(&format!("/buoi-tap-huan/{id}"));
    Ok(id)
}

/// One session with its roster.
#[server(endpoint = "sessions/detail")]
pub async fn read_session(id: String) -> Result<SessionDetail, AppError> {
    use crate::server::{auth::require_caller, data_error, db};
    let caller = require_caller().await?;
    kynangso_data::training::detail(&db()?, &caller, parse_id(&id)?)
        .await
        .map_err(data_error)
}

/// Cancels a session; it stays on record with its roster.
#[server(endpoint = "sessions/cancel")]
pub async fn cancel_session(id: String) -> Result<(), AppError> {
    use crate::server::{auth::require_caller, data_error, db};
    let caller = require_caller().await?;
    let id = parse_id(&id)?;
    kynangso_data::training::cancel(&db()?, &caller, id)
        .await
        .map_err(data_error)?;
    leptos_axum::redirect(&format!("/buoi-tap-huan/{id}"));
    Ok(())
}

/// Sets one person's attendance status (adds them to the roster if needed).
#[server(endpoint = "attendance/mark")]
pub async fn mark_attendance(
    session_id: String,
    participant_id: String,
    status: String,
) -> Result<(), AppError> {
    use crate::server::{auth::require_caller, data_error, db, respond_with};
    let caller = require_caller().await?;
    let status = AttendanceStatus::parse(status.trim())
        .ok_or_else(|| respond_with(AppError::invalid("status", "Trạng thái không hợp lệ.")))?;
    kynangso_data::attendance::mark(
        &db()?,
        &caller,
        parse_id(&session_id)?,
        parse_id(&participant_id)?,
        status,
    )
    .await
    .map_err(data_error)
}

/// One roster tap in a batch: a person and the status they should end with.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RosterMark {
    pub participant_id: Uuid,
    pub status: AttendanceStatus,
}

/// Sets several people's status at one session in one transaction (the taps a phone
/// queued while its previous request was on its way); returns how many changed. Sent as
/// JSON. Retrying the same batch changes nothing.
#[server(endpoint = "attendance/mark-many", input = Json)]
pub async fn mark_attendance_batch(
    session_id: Uuid,
    marks: Vec<RosterMark>,
) -> Result<u64, AppError> {
    use crate::server::{auth::require_caller, data_error, db};
    let caller = require_caller().await?;
    let marks: Vec<(Uuid, AttendanceStatus)> = marks
        .into_iter()
        .map(|mark| (mark.participant_id, mark.status))
        .collect();
    kynangso_data::attendance::mark_many(&db()?, &caller, session_id, &marks)
        .await
        .map_err(data_error)
}

/// Marks everyone on the roster present; returns how many changed.
#[server(endpoint = "attendance/mark-all-present")]
pub async fn mark_all_present(session_id: String) -> Result<u64, AppError> {
    use crate::server::{auth::require_caller, data_error, db};
    let caller = require_caller().await?;
    kynangso_data::attendance::mark_all_present(&db()?, &caller, parse_id(&session_id)?)
        .await
        .map_err(data_error)
}

/// Marks present the person whose sign-in-sheet code was typed; returns their id.
#[server(endpoint = "attendance/mark-by-code")]
pub async fn mark_by_code(session_id: String, code: String) -> Result<Uuid, AppError> {
    use crate::server::{auth::require_caller, data_error, db, respond_with};
    use kynangso_data::attendance::CodeMatch;
    let caller = require_caller().await?;
    match kynangso_data::attendance::mark_by_code(&db()?, &caller, parse_id(&session_id)?, &code)
        .await
        .map_err(data_error)?
    {
        CodeMatch::Marked(id) => Ok(id),
        CodeMatch::Unknown => Err(respond_with(AppError::invalid(
            "code",
            "Không có người học nào mang mã này.",
        ))),
        CodeMatch::Ambiguous => Err(respond_with(AppError::invalid(
            "code",
            "Mã này trùng với nhiều người; vui lòng tìm theo tên.",
        ))),
    }
}
