//! Editing a session: details, modules and trainers, audited with before and after.

use chrono::Utc;
use kynangso_domain::session::ValidSession;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, TransactionTrait};
use uuid::Uuid;

use super::{check_choices, find_in_scope, insert_links, invalid, snapshot, snapshot_of};
use crate::access::Caller;
use crate::curriculum::modules_covered;
use crate::entities::{session_module, session_trainer, training_session};
use crate::{DataError, audit};

/// Changes a session's details, modules and trainers (not cancelled ones). Saving the same
/// form twice changes nothing the second time and leaves one audit entry.
#[tracing::instrument(skip_all, fields(session_id = %session.id, user_id = %caller.user_id))]
pub async fn update(
    db: &DatabaseConnection,
    caller: &Caller,
    session: ValidSession,
) -> Result<(), DataError> {
    let commune = caller.field_commune()?;
    let existing = find_in_scope(db, caller, session.id).await?;
    if existing.cancelled_at.is_some() {
        return Err(invalid("id", "Buổi tập huấn đã huỷ, không sửa được."));
    }
    check_choices(db, commune, &session).await?;
    let mut old_modules = modules_covered(db, vec![session.id])
        .await?
        .remove(&session.id)
        .unwrap_or_default();
    old_modules.sort();
    let mut old_trainers: Vec<Uuid> = session_trainer::Entity::find()
        .filter(session_trainer::Column::SessionId.eq(session.id))
        .all(db)
        .await?
        .into_iter()
        .map(|t| t.team_member_id)
        .collect();
    old_trainers.sort();
    let before = snapshot(
        existing.starts_at,
        existing.duration_minutes,
        existing.village_id,
        &existing.place,
        &old_modules,
        &old_trainers,
        existing.notes.as_deref(),
    );
    let after = snapshot_of(&session);
    if before == after {
        return Ok(());
    }
    let now = Utc::now();
    let txn = db.begin().await?;
    training_session::Entity::update_many()
        .col_expr(
            training_session::Column::StartsAt,
            Expr::value(session.starts_at),
        )
        .col_expr(
            training_session::Column::DurationMinutes,
            Expr::value(session.duration_minutes),
        )
        .col_expr(
            training_session::Column::VillageId,
            Expr::value(session.village_id),
        )
        .col_expr(
            training_session::Column::Place,
            Expr::value(session.place.clone()),
        )
        .col_expr(
            training_session::Column::Notes,
            Expr::value(session.notes.clone()),
        )
        .col_expr(training_session::Column::UpdatedAt, Expr::value(now))
        .filter(training_session::Column::Id.eq(session.id))
        .exec(&txn)
        .await?;
    session_module::Entity::delete_many()
        .filter(session_module::Column::SessionId.eq(session.id))
        .exec(&txn)
        .await?;
    session_trainer::Entity::delete_many()
        .filter(session_trainer::Column::SessionId.eq(session.id))
        .exec(&txn)
        .await?;
    insert_links(&txn, &session).await?;
    crate::standings::refresh_roster(&txn, session.id).await?;
    audit::record(
        &txn,
        audit::AuditEntry {
            actor_user_id: Some(caller.user_id),
            action: "update",
            entity: "training_session",
            entity_id: Some(session.id.to_string()),
            scope_unit_id: Some(existing.unit_id),
            before: Some(before),
            after: Some(after),
            client: caller.client.clone(),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
