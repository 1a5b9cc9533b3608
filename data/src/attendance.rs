//! Marking attendance: one person (a tap on the roster, adding someone found by search,
//! or a code typed off the paper sheet) or everyone at once.
//!
//! Marking sets a status, so it is idempotent by nature: a retried tap sets the same
//! status again. The row is keyed by (session, participant) and written with an upsert,
//! so two phones marking the same person never make two rows.

use chrono::Utc;
use kynangso_domain::attendance::AttendanceStatus;
use kynangso_domain::person::{normalize_code, participant_code};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect,
    TransactionTrait,
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

/// Sets one person's status at a session (adding them to the roster if needed).
#[tracing::instrument(skip_all, fields(session_id = %session_id, participant_id = %participant_id))]
pub async fn mark(
    db: &DatabaseConnection,
    caller: &Caller,
    session_id: Uuid,
    participant_id: Uuid,
    status: AttendanceStatus,
) -> Result<(), DataError> {
    let session = session_for_marking(db, caller, session_id).await?;
    let person = crate::participants::find_in_scope(db, caller, participant_id).await?;
    let person_id = person.merged_into_id.unwrap_or(person.id);
    let before = attendance::Entity::find()
        .filter(attendance::Column::SessionId.eq(session_id))
        .filter(attendance::Column::ParticipantId.eq(person_id))
        .one(db)
        .await?;
    if before.as_ref().is_some_and(|a| a.status == status.as_str()) {
        return Ok(());
    }
    let txn = db.begin().await?;
    upsert(&txn, caller, session_id, person_id, status).await?;
    crate::coverage::progress::refresh(&txn, &[person_id]).await?;
    audit::record(
        &txn,
        audit::AuditEntry {
            actor_user_id: Some(caller.user_id),
            action: "mark_attendance",
            entity: "attendance",
            entity_id: Some(format!("{session_id}/{person_id}")),
            scope_unit_id: Some(session.unit_id),
            before: before.map(|a| json!({ "status": a.status })),
            after: Some(json!({ "status": status.as_str() })),
            client: caller.client.clone(),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

async fn upsert<C: sea_orm::ConnectionTrait>(
    db: &C,
    caller: &Caller,
    session_id: Uuid,
    participant_id: Uuid,
    status: AttendanceStatus,
) -> Result<(), DataError> {
    attendance::Entity::insert(attendance::ActiveModel {
        id: Set(kynangso_domain::new_id()),
        session_id: Set(session_id),
        participant_id: Set(participant_id),
        status: Set(status.as_str().to_owned()),
        marked_by: Set(Some(caller.user_id)),
        marked_at: Set(Utc::now()),
    })
    .on_conflict(
        OnConflict::columns([
            attendance::Column::SessionId,
            attendance::Column::ParticipantId,
        ])
        .update_columns([
            attendance::Column::Status,
            attendance::Column::MarkedBy,
            attendance::Column::MarkedAt,
        ])
        .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Marks everyone on the roster present. Returns how many changed.
#[tracing::instrument(skip_all, fields(session_id = %session_id))]
pub async fn mark_all_present(
    db: &DatabaseConnection,
    caller: &Caller,
    session_id: Uuid,
) -> Result<u64, DataError> {
    let session = session_for_marking(db, caller, session_id).await?;
    let txn = db.begin().await?;
    let changed = attendance::Entity::update_many()
        .col_expr(attendance::Column::Status, Expr::value("present"))
        .col_expr(attendance::Column::MarkedBy, Expr::value(caller.user_id))
        .col_expr(attendance::Column::MarkedAt, Expr::value(Utc::now()))
        .filter(attendance::Column::SessionId.eq(session_id))
        .filter(attendance::Column::Status.ne("present"))
        .exec(&txn)
        .await?
        .rows_affected;
    if changed > 0 {
        crate::coverage::progress::refresh_roster(&txn, session_id).await?;
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
