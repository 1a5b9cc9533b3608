//! Marking attendance: one person (a tap on the roster, adding someone found by search,
//! or a code typed off the paper sheet) or everyone at once.
//!
//! Marking sets a status, so it is idempotent by nature: a retried tap sets the same
//! status again. The row is keyed by (session, participant) and written with an upsert,
//! so two phones marking the same person never make two rows.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use chrono::Utc;
use kynangso_domain::attendance::AttendanceStatus;
use kynangso_domain::person::{normalize_code, participant_code};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, IntoCondition, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, JoinType, PaginatorTrait,
    QueryFilter, QuerySelect, QueryTrait, RelationTrait, TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use crate::access::Caller;
use crate::entities::{attendance, participant, training_session};
use crate::{DataError, audit};

/// The session, if the caller logs field work in its commune and it is not cancelled.
async fn session_for_marking(
    db: &DatabaseConnection,
    caller: &Caller,
    session_id: Uuid,
) -> Result<training_session::Model, DataError> {
    caller.field_commune()?;
    let session = crate::training::find_in_scope(db, caller, session_id).await?;
    if session.cancelled_at.is_some() {
        return Err(DataError::InvalidField {
            field: "session_id",
            message: "Buổi tập huấn đã huỷ, không điểm danh được.".to_owned(),
        });
    }
    Ok(session)
}

/// Most marks one request may carry: the biggest roster with room to spare.
pub const MAX_MARKS_PER_BATCH: usize = 200;

/// Sets one person's status at a session (adding them to the roster if needed).
#[tracing::instrument(skip_all, fields(session_id = %session_id, participant_id = %participant_id))]
pub async fn mark(
    db: &DatabaseConnection,
    caller: &Caller,
    session_id: Uuid,
    participant_id: Uuid,
    status: AttendanceStatus,
) -> Result<(), DataError> {
    mark_many(db, caller, session_id, &[(participant_id, status)]).await?;
    Ok(())
}

/// Sets several people's status at one session in one transaction: the taps a phone
/// queued while its previous request was on its way, or a whole paper sheet. Marks are
/// applied in order, so a person tapped twice ends with the later status. All or nothing:
/// one person outside the caller's commune refuses the whole batch. Returns how many
/// statuses changed; a retried batch changes none.
#[tracing::instrument(skip_all, fields(session_id = %session_id, marks = marks.len()))]
pub async fn mark_many(
    db: &DatabaseConnection,
    caller: &Caller,
    session_id: Uuid,
    marks: &[(Uuid, AttendanceStatus)],
) -> Result<u64, DataError> {
    if marks.len() > MAX_MARKS_PER_BATCH {
        return Err(DataError::InvalidField {
            field: "marks",
            message: format!("Mỗi lần gửi tối đa {MAX_MARKS_PER_BATCH} lượt điểm danh."),
        });
    }
    let session = session_for_marking(db, caller, session_id).await?;
    let Resolved { wanted, before } = resolve_people(db, caller, session_id, marks).await?;
    if wanted.is_empty() {
        return Ok(0);
    }
    let changes: Vec<(Uuid, AttendanceStatus)> = wanted
        .into_iter()
        .filter(|(person, status)| before.get(person).map(String::as_str) != Some(status.as_str()))
        .collect();
    if changes.is_empty() {
        return Ok(0);
    }
    let (caller, unit_id) = (caller.clone(), session.unit_id);
    crate::group_commit::write(db, move |txn| {
        Box::pin(async move {
            let changed = upsert(txn, &caller, session_id, &changes).await?;
            if changed.is_empty() {
                return Ok(0);
            }
            let people: Vec<Uuid> = changed.iter().copied().collect();
            crate::standings::refresh(txn, &people).await?;
            let entries = changes
                .iter()
                .filter(|(person, _)| changed.contains(person))
                .map(|(person, status)| audit::AuditEntry {
                    actor_user_id: Some(caller.user_id),
                    action: "mark_attendance",
                    entity: "attendance",
                    entity_id: Some(format!("{session_id}/{person}")),
                    scope_unit_id: Some(unit_id),
                    before: before.get(person).map(|status| json!({ "status": status })),
                    after: Some(json!({ "status": status.as_str() })),
                    client: caller.client.clone(),
                })
                .collect();
            audit::record_many(txn, entries).await?;
            Ok(changed.len() as u64)
        })
    })
    .await
}

/// What the marks of one request resolve to.
struct Resolved {
    /// The record each mark lands on (a merged duplicate's survivor), with the last status
    /// asked for it.
    wanted: BTreeMap<Uuid, AttendanceStatus>,
    /// The status those records already have at the session.
    before: HashMap<Uuid, String>,
}

/// Every person must exist and be within the caller's scope. The people and their current
/// status at the session are read in one query; only a mark for a merged duplicate needs a
/// second one (for its survivor's status).
async fn resolve_people(
    db: &DatabaseConnection,
    caller: &Caller,
    session_id: Uuid,
    marks: &[(Uuid, AttendanceStatus)],
) -> Result<Resolved, DataError> {
    let scope = caller.personal_data_scope()?;
    let ids: BTreeSet<Uuid> = marks.iter().map(|(id, _)| *id).collect();
    let at_this_session =
        participant::Relation::Attendance
            .def()
            .on_condition(move |_, attendance_table| {
                Expr::col((attendance_table, attendance::Column::SessionId))
                    .eq(session_id)
                    .into_condition()
            });
    type Row = (Uuid, Uuid, Option<Uuid>, Option<String>);
    let people: HashMap<Uuid, (Uuid, Option<Uuid>, Option<String>)> = participant::Entity::find()
        .select_only()
        .column(participant::Column::Id)
        .column(participant::Column::HomeUnitId)
        .column(participant::Column::MergedIntoId)
        .column(attendance::Column::Status)
        .join(JoinType::LeftJoin, at_this_session)
        .filter(participant::Column::Id.is_in(ids))
        .into_tuple::<Row>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, unit, merged_into, status)| (id, (unit, merged_into, status)))
        .collect();
    let mut wanted = BTreeMap::new();
    for (id, status) in marks {
        let Some((unit, merged_into, _)) = people.get(id) else {
            return Err(DataError::NotFound {
                what: "participant",
            });
        };
        if !scope.covers(*unit) {
            return Err(caller.out_of_scope("participant", *id));
        }
        wanted.insert(merged_into.unwrap_or(*id), *status);
    }
    // Records that are their own survivor had their status read with them.
    let mut before = HashMap::new();
    let mut read = BTreeSet::new();
    for (id, (_, merged_into, status)) in people {
        if merged_into.is_none() {
            read.insert(id);
            before.extend(status.map(|status| (id, status)));
        }
    }
    let survivors: Vec<Uuid> = wanted
        .keys()
        .filter(|id| !read.contains(id))
        .copied()
        .collect();
    if !survivors.is_empty() {
        before.extend(
            attendance::Entity::find()
                .select_only()
                .column(attendance::Column::ParticipantId)
                .column(attendance::Column::Status)
                .filter(attendance::Column::SessionId.eq(session_id))
                .filter(attendance::Column::ParticipantId.is_in(survivors))
                .into_tuple::<(Uuid, String)>()
                .all(db)
                .await?,
        );
    }
    Ok(Resolved { wanted, before })
}

/// Writes the statuses in one statement (an upsert on (session, participant)).
async fn upsert<C: sea_orm::ConnectionTrait>(
    db: &C,
    caller: &Caller,
    session_id: Uuid,
    changes: &[(Uuid, AttendanceStatus)],
) -> Result<HashSet<Uuid>, DataError> {
    let now = Utc::now();
    let mut conflict = OnConflict::columns([
        attendance::Column::SessionId,
        attendance::Column::ParticipantId,
    ]);
    conflict.update_columns([
        attendance::Column::Status,
        attendance::Column::MarkedBy,
        attendance::Column::MarkedAt,
    ]);
    // Only a row whose status really changes is written and returned: when identical
    // retries race, the first one changes the row and the others find nothing to change
    // (PostgreSQL re-checks this condition after waiting for the first one's commit).
    conflict.action_and_where(
        Expr::col((attendance::Entity, attendance::Column::Status)).ne(Expr::col((
            Alias::new("excluded"),
            attendance::Column::Status,
        ))),
    );
    let mut query = attendance::Entity::insert_many(changes.iter().map(|(person, status)| {
        attendance::ActiveModel {
            id: Set(kynangso_domain::new_id()),
            session_id: Set(session_id),
            participant_id: Set(*person),
            status: Set(*status),
            marked_by: Set(Some(caller.user_id)),
            marked_at: Set(now),
        }
    }))
    .on_conflict(conflict.to_owned())
    .into_query();
    query.returning_col(attendance::Column::ParticipantId);
    let statement = db.get_database_backend().build(&query);
    db.query_all_raw(statement)
        .await?
        .iter()
        .map(|row| Ok(row.try_get::<Uuid>("", "participant_id")?))
        .collect()
}

/// Marks everyone on the roster present. Returns how many changed.
///
/// Every other status on a roster was set by a tap, so overwriting them takes the caller's
/// word (`overwrite`): without it, a roster holding late, excused or absent marks is left
/// as it is and the answer says how many there are.
#[tracing::instrument(skip_all, fields(session_id = %session_id))]
pub async fn mark_all_present(
    db: &DatabaseConnection,
    caller: &Caller,
    session_id: Uuid,
    overwrite: bool,
) -> Result<u64, DataError> {
    let session = session_for_marking(db, caller, session_id).await?;
    let _gate = crate::db::write_gate(db).await;
    let txn = db.begin().await?;
    if !overwrite {
        let others = attendance::Entity::find()
            .filter(attendance::Column::SessionId.eq(session_id))
            .filter(attendance::Column::Status.ne(AttendanceStatus::Present))
            .count(&txn)
            .await?;
        if others > 0 {
            return Err(DataError::InvalidField {
                field: "overwrite",
                message: format!(
                    "{others} người đang được đánh dấu Muộn, Phép hoặc Vắng. Đánh dấu ô xác nhận nếu muốn chuyển tất cả thành Có mặt."
                ),
            });
        }
    }
    let changed = attendance::Entity::update_many()
        .col_expr(
            attendance::Column::Status,
            Expr::value(AttendanceStatus::Present),
        )
        .col_expr(attendance::Column::MarkedBy, Expr::value(caller.user_id))
        .col_expr(attendance::Column::MarkedAt, Expr::value(Utc::now()))
        .filter(attendance::Column::SessionId.eq(session_id))
        .filter(attendance::Column::Status.ne(AttendanceStatus::Present))
        .exec(&txn)
        .await?
        .rows_affected;
    if changed > 0 {
        crate::standings::refresh_roster(&txn, session_id).await?;
        audit::record(
            &txn,
            audit::AuditEntry {
                actor_user_id: Some(caller.user_id),
                action: "mark_all_present",
                entity: "training_session",
                entity_id: Some(session_id.to_string()),
                scope_unit_id: Some(session.unit_id),
                after: Some(json!({ "changed": changed })),
                client: caller.client.clone(),
                ..Default::default()
            },
        )
        .await?;
    }
    txn.commit().await?;
    Ok(changed)
}

/// What a typed sign-in-sheet code matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeMatch {
    /// Marked present.
    Marked(Uuid),
    /// No participant of the commune has this code.
    Unknown,
    /// Several do (codes are short): the trainer picks by name instead.
    Ambiguous,
}

/// Marks present the person whose sheet code was typed: someone on the roster first, else
/// anyone of the commune (who is then added to the roster).
pub async fn mark_by_code(
    db: &DatabaseConnection,
    caller: &Caller,
    session_id: Uuid,
    typed: &str,
) -> Result<CodeMatch, DataError> {
    let session = session_for_marking(db, caller, session_id).await?;
    let code = normalize_code(typed);
    let on_roster: Vec<Uuid> = attendance::Entity::find()
        .filter(attendance::Column::SessionId.eq(session_id))
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.participant_id)
        .filter(|id| participant_code(*id) == code)
        .collect();
    let candidates = if on_roster.is_empty() {
        // Only ids are read: codes derive from them.
        let ids: Vec<Uuid> = participant::Entity::find()
            .select_only()
            .column(participant::Column::Id)
            .filter(participant::Column::HomeUnitId.eq(session.unit_id))
            .filter(participant::Column::MergedIntoId.is_null())
            .into_tuple()
            .all(db)
            .await?;
        ids.into_iter()
            .filter(|id| participant_code(*id) == code)
            .collect()
    } else {
        on_roster
    };
    match candidates.as_slice() {
        [] => Ok(CodeMatch::Unknown),
        [one] => {
            mark(db, caller, session_id, *one, AttendanceStatus::Present).await?;
            Ok(CodeMatch::Marked(*one))
        }
        _ => Ok(CodeMatch::Ambiguous),
    }
}
