//! Attendance at a training session: one tap, a batch of queued taps, everyone present,
//! or a sign-in-sheet code.

use kynangso_domain::attendance::AttendanceStatus;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use uuid::Uuid;

use crate::AppError;
#[cfg(feature = "ssr")]
use crate::api::sessions::parse_id;

/// Sets one person's attendance status (adds them to the roster if needed).
#[server(endpoint = "attendance/mark")]
pub async fn mark_attendance(
    session_id: String,
    participant_id: String,
    status: String,
) -> Result<(), AppError> {
    use crate::server::{auth::require_caller, db};
    let caller = require_caller().await?;
    let status = AttendanceStatus::parse(status.trim())
        .ok_or_else(|| AppError::invalid("status", "Trạng thái không hợp lệ."))?;
    kynangso_data::attendance::mark(
        &db()?,
        &caller,
        parse_id(&session_id)?,
        parse_id(&participant_id)?,
        status,
    )
    .await
    .map_err(AppError::from)
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
    use crate::server::{auth::require_caller, db};
    let caller = require_caller().await?;
    let marks: Vec<(Uuid, AttendanceStatus)> = marks
        .into_iter()
        .map(|mark| (mark.participant_id, mark.status))
        .collect();
    kynangso_data::attendance::mark_many(&db()?, &caller, session_id, &marks)
        .await
        .map_err(AppError::from)
}

/// Marks everyone on the roster present; returns how many changed. Late, excused and
/// absent marks are overwritten only with `overwrite=yes` (422 on `overwrite` otherwise).
#[server(endpoint = "attendance/mark-all-present")]
pub async fn mark_all_present(
    session_id: String,
    overwrite: Option<String>,
) -> Result<u64, AppError> {
    use crate::server::{auth::require_caller, db};
    let caller = require_caller().await?;
    let overwrite = overwrite.as_deref() == Some("yes");
    Ok(kynangso_data::attendance::mark_all_present(
        &db()?,
        &caller,
        parse_id(&session_id)?,
        overwrite,
    )
    .await?)
}

/// Marks present the person whose sign-in-sheet code was typed; returns their id.
#[server(endpoint = "attendance/mark-by-code")]
pub async fn mark_by_code(session_id: String, code: String) -> Result<Uuid, AppError> {
    use crate::server::{auth::require_caller, db};
    use kynangso_data::attendance::CodeMatch;
    let caller = require_caller().await?;
    match kynangso_data::attendance::mark_by_code(&db()?, &caller, parse_id(&session_id)?, &code)
        .await?
    {
        CodeMatch::Marked(id) => Ok(id),
        CodeMatch::Unknown => Err(AppError::invalid(
            "code",
            "Không có người học nào mang mã này.",
        )),
        CodeMatch::Ambiguous => Err(AppError::invalid(
            "code",
            "Mã này trùng với nhiều người; vui lòng tìm theo tên.",
        )),
    }
}
