//! Training sessions: the form's choices, creating (idempotent), listing with counts,
//! reading one with its roster, cancelling. Sessions belong to the commune of the user who
//! logs them; every read filters by the caller's scope.

use std::collections::HashMap;

use chrono::Utc;
use kynangso_domain::attendance::{AttendanceCounts, AttendanceStatus};
use kynangso_domain::completion::ModuleRef;
use kynangso_domain::session::ValidSession;
use kynangso_domain::views::{SessionFormContext, SessionPage, SessionSummary};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use crate::access::{Caller, Scope};
use crate::entities::{
    admin_unit, attendance, curriculum_version, session_module, session_trainer, skill_module,
    team, team_member, training_session,
};
use crate::idempotent::{Outcome, insert_once};
use crate::{DataError, audit};

mod detail;
mod retry;
pub use detail::detail;

/// Sessions in one list page: what a phone shows without scrolling for long, and few
/// enough that the list stays cheap when every team in the province opens it.
pub const LIST_PAGE: u64 = 30;

/// The published curriculum version in force (the latest published), with its modules.
pub async fn current_curriculum<C: ConnectionTrait>(
    db: &C,
) -> Result<Option<(curriculum_version::Model, Vec<ModuleRef>)>, DataError> {
    let Some(version) = curriculum_version::Entity::find()
        .filter(curriculum_version::Column::Status.eq("published"))
        .order_by_desc(curriculum_version::Column::PublishedAt)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let modules = modules_of(db, version.id).await?;
    Ok(Some((version, modules)))
}

pub(crate) async fn modules_of<C: ConnectionTrait>(
    db: &C,
    version: Uuid,
) -> Result<Vec<ModuleRef>, DataError> {
    Ok(skill_module::Entity::find()
        .filter(skill_module::Column::CurriculumVersionId.eq(version))
        .order_by_asc(skill_module::Column::Position)
        .all(db)
        .await?
        .into_iter()
        .map(|m| ModuleRef {
            id: m.id,
            code: m.code,
            name: m.name,
            required: m.required,
        })
        .collect())
}

/// The modules each of `sessions` covered, in one query.
pub(crate) async fn modules_covered<C: ConnectionTrait>(
    db: &C,
    sessions: Vec<Uuid>,
) -> Result<HashMap<Uuid, Vec<Uuid>>, DataError> {
    let mut covered: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    if sessions.is_empty() {
        return Ok(covered);
    }
    for link in session_module::Entity::find()
        .filter(session_module::Column::SessionId.is_in(sessions))
        .all(db)
        .await?
    {
        covered
            .entry(link.session_id)
            .or_default()
            .push(link.module_id);
    }
    Ok(covered)
}

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
                "held"
            } else {
                "planned"
            }
            .to_owned()),
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

/// The audit snapshot of a session's editable fields.
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
    crate::coverage::progress::refresh_roster(&txn, session.id).await?;
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
        crate::participants::village_names(db, sessions.iter().filter_map(|s| s.village_id))
            .await?;
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
        .col_expr(training_session::Column::Status, Expr::value("cancelled"))
        .col_expr(training_session::Column::CancelledAt, Expr::value(now))
        .col_expr(training_session::Column::UpdatedAt, Expr::value(now))
        .filter(training_session::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    crate::coverage::progress::refresh_roster(&txn, id).await?;
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
