//! Training sessions: the form's choices, creating (idempotent), cancelling; listing
//! (`list.rs`), reading one with its roster (`detail.rs`) and editing (`update.rs`). Sessions belong to the commune of the user who
//! logs them; every read filters by the caller's scope.

use chrono::Utc;

use kynangso_domain::session::ValidSession;
use kynangso_domain::status::SessionStatus;
use kynangso_domain::views::SessionFormContext;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use crate::access::Caller;
use crate::curriculum::current_curriculum;
use crate::entities::{
    admin_unit, session_module, session_trainer, team, team_member, training_session,
};
use crate::idempotent::{Outcome, insert_once};
use crate::{DataError, audit};

mod detail;
mod list;
mod retry;
mod update;
pub use detail::detail;
pub use list::list;
pub use update::update;

/// Sessions in one list page: what a phone shows without scrolling for long, and few
/// enough that the list stays cheap when every team in the province opens it.
pub const LIST_PAGE: u64 = 30;

/// The team members of a commune who have not left, by name.
async fn trainers_of<C: ConnectionTrait>(
    db: &C,
    commune: Uuid,
) -> Result<Vec<(Uuid, String)>, DataError> {
    Ok(team_member::Entity::find()
        .inner_join(team::Entity)
        .filter(team::Column::UnitId.eq(commune))
        .filter(team_member::Column::LeftOn.is_null())
        .order_by_asc(team_member::Column::FullName)
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id, m.full_name))
        .collect())
}

/// What the session form offers the caller.
pub async fn form_context(
    db: &DatabaseConnection,
    caller: &Caller,
) -> Result<SessionFormContext, DataError> {
    let commune = caller.field_commune()?;
    let (name, villages) = crate::units::commune_and_villages(db, commune).await?;
    let (curriculum, modules) = current_curriculum(db)
        .await?
        .map(|(v, m)| (v.name, m))
        .unwrap_or_default();
    let now = Utc::now();
    Ok(SessionFormContext {
        commune: name,
        villages,
        curriculum,
        modules,
        trainers: trainers_of(db, commune).await?,
        new_id: kynangso_domain::new_id(),
        today: kynangso_domain::format::today_in_vietnam(now),
    })
}

fn invalid(field: &'static str, message: &str) -> DataError {
    DataError::InvalidField {
        field,
        message: message.to_owned(),
    }
}

/// Logs a session in the caller's commune. Idempotent on the form's id.
#[tracing::instrument(skip_all, fields(session_id = %session.id, user_id = %caller.user_id))]
pub async fn create(
    db: &DatabaseConnection,
    caller: &Caller,
    session: ValidSession,
) -> Result<Outcome, DataError> {
    let commune = caller.field_commune()?;
    if let Some(retried) = retry::answer_for_existing(db, caller, commune, &session).await? {
        return Ok(retried);
    }
    let version = check_choices(db, commune, &session).await?;
    let now = Utc::now();
    let _gate = crate::db::write_gate(db).await;
    let txn = db.begin().await?;
    let outcome = insert_once(
        &txn,
        training_session::ActiveModel {
            id: Set(session.id),
            unit_id: Set(commune),
            village_id: Set(session.village_id),
            place: Set(session.place.clone()),
            starts_at: Set(session.starts_at),
            duration_minutes: Set(session.duration_minutes),
            curriculum_version_id: Set(version),
            notes: Set(session.notes.clone()),
            status: Set(if session.starts_at <= now {
                SessionStatus::Held
            } else {
                SessionStatus::Planned
            }),
            created_by: Set(Some(caller.user_id)),
            created_at: Set(now),
            updated_at: Set(now),
            cancelled_at: Set(None),
        },
    )
    .await?;
    if outcome == Outcome::AlreadyThere {
        // Two tries raced; the other one wrote everything (if it was this form).
        txn.rollback().await?;
        return retry::answer_for_existing(db, caller, commune, &session)
            .await?
            .ok_or(DataError::NotFound {
                what: "training_session",
            });
    }
    insert_links(&txn, &session).await?;
    audit::record(
        &txn,
        audit::AuditEntry {
            actor_user_id: Some(caller.user_id),
            action: "create",
            entity: "training_session",
            entity_id: Some(session.id.to_string()),
            scope_unit_id: Some(commune),
            after: Some(snapshot_of(&session)),
            client: caller.client.clone(),
            ..Default::default()
        },
    )
    .await?;
    txn.commit().await?;
    Ok(Outcome::Created)
}

/// Checks that the modules are of the current curriculum, the trainers of the commune's
/// team and the village of the commune; returns the curriculum version.
async fn check_choices(
    db: &DatabaseConnection,
    commune: Uuid,
    session: &ValidSession,
) -> Result<Uuid, DataError> {
    let (version, modules) = current_curriculum(db).await?.ok_or_else(|| {
        invalid(
            "module_ids",
            "Chưa có chương trình tập huấn nào được ban hành.",
        )
    })?;
    if !session
        .module_ids
        .iter()
        .all(|id| modules.iter().any(|m| m.id == *id))
    {
        return Err(invalid(
            "module_ids",
            "Nội dung không thuộc chương trình hiện hành.",
        ));
    }
    let trainers = trainers_of(db, commune).await?;
    if !session
        .trainer_ids
        .iter()
        .all(|id| trainers.iter().any(|(t, _)| t == id))
    {
        return Err(invalid(
            "trainer_ids",
            "Người hướng dẫn không thuộc tổ của xã.",
        ));
    }
    if let Some(village) = session.village_id {
        let ok = admin_unit::Entity::find_by_id(village)
            .filter(admin_unit::Column::ParentId.eq(commune))
            .one(db)
            .await?
            .is_some();
        if !ok {
            return Err(invalid(
                "village_id",
                "Thôn, buôn này không thuộc xã, phường của bạn.",
            ));
        }
    }
    Ok(version.id)
}

/// The session's modules and trainers (link rows keyed by both ids, so a retry is a no-op).
async fn insert_links<C: ConnectionTrait>(db: &C, session: &ValidSession) -> Result<(), DataError> {
    for module in &session.module_ids {
        insert_once(
            db,
            session_module::ActiveModel {
                session_id: Set(session.id),
                module_id: Set(*module),
            },
        )
        .await?;
    }
    for trainer in &session.trainer_ids {
        insert_once(
            db,
            session_trainer::ActiveModel {
                session_id: Set(session.id),
                team_member_id: Set(*trainer),
            },
        )
        .await?;
    }
    Ok(())
}

/// The audit snapshot of a session as the form submitted it.
fn snapshot_of(session: &ValidSession) -> serde_json::Value {
    snapshot(
        session.starts_at,
        session.duration_minutes,
        session.village_id,
        &session.place,
        &session.module_ids,
        &session.trainer_ids,
        session.notes.as_deref(),
    )
}

/// The audit snapshot of a session's editable fields.
fn snapshot(
    starts_at: chrono::DateTime<Utc>,
    duration_minutes: i32,
    village_id: Option<Uuid>,
    place: &str,
    module_ids: &[Uuid],
    trainer_ids: &[Uuid],
    notes: Option<&str>,
) -> serde_json::Value {
    json!({
        "starts_at": starts_at,
        "duration_minutes": duration_minutes,
        "village_id": village_id,
        "place": place,
        "module_ids": module_ids,
        "trainer_ids": trainer_ids,
        "notes": notes,
    })
}

/// A session the caller may see, or "not found" (logged when it exists elsewhere).
pub(crate) async fn find_in_scope<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    id: Uuid,
) -> Result<training_session::Model, DataError> {
    match training_session::Entity::find_by_id(id).one(db).await? {
        Some(row) if caller.scope().covers(row.unit_id) => Ok(row),
        Some(_) => Err(caller.out_of_scope("training_session", id)),
        None => Err(DataError::NotFound {
            what: "training_session",
        }),
    }
}

/// Cancels a session (kept, with its roster, for the record). Repeating it is harmless.
#[tracing::instrument(skip_all, fields(session_id = %id, user_id = %caller.user_id))]
pub async fn cancel(db: &DatabaseConnection, caller: &Caller, id: Uuid) -> Result<(), DataError> {
    caller.field_commune()?;
    let session = find_in_scope(db, caller, id).await?;
    if session.cancelled_at.is_some() {
        return Ok(());
    }
    let now = Utc::now();
    let txn = db.begin().await?;
    training_session::Entity::update_many()
        .col_expr(
            training_session::Column::Status,
            Expr::value(SessionStatus::Cancelled),
        )
        .col_expr(training_session::Column::CancelledAt, Expr::value(now))
        .col_expr(training_session::Column::UpdatedAt, Expr::value(now))
        .filter(training_session::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    crate::standings::refresh_roster(&txn, id).await?;
    audit::record(
        &txn,
        audit::AuditEntry {
            actor_user_id: Some(caller.user_id),
            action: "cancel",
            entity: "training_session",
            entity_id: Some(id.to_string()),
            scope_unit_id: Some(session.unit_id),
            before: Some(json!({ "status": session.status })),
            after: Some(json!({ "status": "cancelled" })),
            client: caller.client.clone(),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
