//! The commune's session list: a page of sessions, newest first, with attendance counts,
//! module codes and village names, in a fixed number of queries.

use std::collections::HashMap;

use kynangso_domain::attendance::{AttendanceCounts, AttendanceStatus};
use kynangso_domain::views::{SessionPage, SessionSummary};
use sea_orm::sea_query::Condition;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::{LIST_PAGE, find_in_scope};
use crate::DataError;
use crate::access::{Caller, Scope};
use crate::entities::{attendance, session_module, skill_module, training_session};

/// A page of the caller's sessions, newest first, with attendance counts and module codes:
/// those after `after` (a session of the previous page) in that order, or the newest.
/// Four queries whatever the number of sessions, and one more to find `after`.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    after: Option<Uuid>,
) -> Result<SessionPage, DataError> {
    // Where and when a commune's sessions are held is its team's own business; the
    // province reads counts in the reports.
    caller.personal_data_scope()?;
    let mut select = training_session::Entity::find();
    if let Scope::Commune(unit) = caller.scope() {
        select = select.filter(training_session::Column::UnitId.eq(unit));
    }
    if let Some(after) = after {
        // Keyset paging: (starts_at, id) below the last one shown, so a session logged
        // meanwhile neither repeats nor hides a row.
        let last = find_in_scope(db, caller, after).await?;
        select = select.filter(
            Condition::any()
                .add(training_session::Column::StartsAt.lt(last.starts_at))
                .add(
                    Condition::all()
                        .add(training_session::Column::StartsAt.eq(last.starts_at))
                        .add(training_session::Column::Id.lt(last.id)),
                ),
        );
    }
    let mut sessions = select
        .order_by_desc(training_session::Column::StartsAt)
        .order_by_desc(training_session::Column::Id)
        .limit(LIST_PAGE + 1)
        .all(db)
        .await?;
    let more = sessions.len() as u64 > LIST_PAGE;
    sessions.truncate(LIST_PAGE as usize);
    let ids: Vec<Uuid> = sessions.iter().map(|s| s.id).collect();
    // Counted by the database: one row per (session, status), not one per attendee.
    let tallies: Vec<(Uuid, String, i64)> = attendance::Entity::find()
        .select_only()
        .column(attendance::Column::SessionId)
        .column(attendance::Column::Status)
        .column_as(attendance::Column::Id.count(), "n")
        .filter(attendance::Column::SessionId.is_in(ids.clone()))
        .group_by(attendance::Column::SessionId)
        .group_by(attendance::Column::Status)
        .into_tuple()
        .all(db)
        .await?;
    let mut counts: HashMap<Uuid, AttendanceCounts> = HashMap::new();
    for (session, status, n) in tallies {
        let n = u32::try_from(n).unwrap_or(u32::MAX);
        let tally = counts.entry(session).or_default();
        match AttendanceStatus::parse(&status) {
            Some(AttendanceStatus::Present) => tally.present += n,
            Some(AttendanceStatus::Late) => tally.late += n,
            Some(AttendanceStatus::Excused) => tally.excused += n,
            Some(AttendanceStatus::Absent) => tally.absent += n,
            None => {}
        }
    }
    let module_rows: Vec<(Uuid, String)> = session_module::Entity::find()
        .inner_join(skill_module::Entity)
        .select_only()
        .column(session_module::Column::SessionId)
        .column(skill_module::Column::Code)
        .filter(session_module::Column::SessionId.is_in(ids))
        .order_by_asc(skill_module::Column::Position)
        .into_tuple()
        .all(db)
        .await?;
    let mut codes: HashMap<Uuid, Vec<String>> = HashMap::new();
    for (session, code) in module_rows {
        codes.entry(session).or_default().push(code);
    }
    let villages =
        crate::units::village_names(db, sessions.iter().filter_map(|s| s.village_id)).await?;
    let sessions = sessions
        .into_iter()
        .map(|s| SessionSummary {
            id: s.id,
            starts_at: s.starts_at,
            village: s.village_id.and_then(|v| villages.get(&v).cloned()),
            place: s.place,
            cancelled: s.cancelled_at.is_some(),
            counts: counts.remove(&s.id).unwrap_or_default(),
            module_codes: codes.remove(&s.id).unwrap_or_default(),
        })
        .collect();
    Ok(SessionPage { sessions, more })
}
