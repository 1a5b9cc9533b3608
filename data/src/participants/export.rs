//! The commune's participant register as a file: only for the commune's own team, and
//! every export is written to the audit log (who took which commune's personal data).

use kynangso_domain::Role;
use kynangso_domain::person::{Sex, participant_code};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;
use uuid::Uuid;

use crate::access::Caller;
use crate::entities::{participant, trained_person};
use crate::units::village_names;
use crate::{DataError, audit};

/// One line of the register, ready to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterLine {
    pub id: Uuid,
    pub code: String,
    pub full_name: String,
    pub sex: &'static str,
    /// dd/mm/yyyy, or the year alone.
    pub birth: String,
    pub village: String,
    pub phone: String,
    /// dd/mm/yyyy of completing the current curriculum, or empty.
    pub completed_on: String,
}

/// The register of the commune with `unit_id` (the caller's own), by name, without
/// merged duplicates and without people who withdrew consent.
pub async fn register_lines<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    unit_id: Uuid,
) -> Result<Vec<RegisterLine>, DataError> {
    let own = matches!(caller.role, Role::CommuneLead | Role::TeamMember)
        && caller.scope_unit_id == unit_id;
    if !own {
        return Err(DataError::Forbidden);
    }
    let people = participant::Entity::find()
        .filter(participant::Column::HomeUnitId.eq(unit_id))
        .filter(participant::Column::MergedIntoId.is_null())
        .filter(participant::Column::ConsentWithdrawnAt.is_null())
        .order_by_asc(participant::Column::SearchKey)
        .all(db)
        .await?;
    let village_ids: std::collections::BTreeSet<Uuid> =
        people.iter().filter_map(|p| p.village_id).collect();
    let villages = village_names(db, village_ids.into_iter()).await?;
    let version = crate::curriculum::current_curriculum(db)
        .await?
        .map(|(v, _)| v.id);
    let completed: std::collections::HashMap<Uuid, chrono::NaiveDate> = match version {
        Some(version) => trained_person::Entity::find()
            .filter(trained_person::Column::CurriculumVersionId.eq(version))
            .filter(trained_person::Column::HomeUnitId.eq(unit_id))
            .all(db)
            .await?
            .into_iter()
            .map(|t| (t.participant_id, t.completed_on))
            .collect(),
        None => Default::default(),
    };
    audit::record(
        db,
        audit::AuditEntry {
            actor_user_id: Some(caller.user_id),
            action: "export",
            entity: "participant",
            scope_unit_id: Some(unit_id),
            after: Some(json!({ "rows": people.len() })),
            client: caller.client.clone(),
            ..Default::default()
        },
    )
    .await?;
    Ok(people
        .into_iter()
        .map(|p| RegisterLine {
            id: p.id,
            code: participant_code(p.id),
            sex: Sex::parse(&p.sex).unwrap_or(Sex::Unknown).label_vi(),
            birth: p.birth_date.map_or_else(
                || p.birth_year.to_string(),
                |d| d.format("%d/%m/%Y").to_string(),
            ),
            village: p
                .village_id
                .and_then(|v| villages.get(&v).cloned())
                .unwrap_or_default(),
            phone: p.phone.unwrap_or_default(),
            completed_on: completed
                .get(&p.id)
                .map(|d| d.format("%d/%m/%Y").to_string())
                .unwrap_or_default(),
            full_name: p.full_name,
        })
        .collect())
}

/// One attendance of the register: the person, the session's day (dd/mm/yyyy) and the
/// codes of its modules — the layout the register import reads training from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttendanceLine {
    pub person: RegisterLine,
    pub day: String,
    pub modules: String,
}

/// Who attended (present or late) which held session of the commune, by person and day:
/// the register with its training, for the commune's own team only (audited as an export).
pub async fn attendance_lines<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    unit_id: Uuid,
) -> Result<Vec<AttendanceLine>, DataError> {
    use crate::entities::{attendance, session_module, skill_module, training_session};
    use std::collections::HashMap;
    let people: HashMap<Uuid, RegisterLine> = register_lines(db, caller, unit_id)
        .await?
        .into_iter()
        .map(|line| (line.id, line))
        .collect();
    let sessions = training_session::Entity::find()
        .filter(training_session::Column::UnitId.eq(unit_id))
        .filter(training_session::Column::Status.eq(kynangso_domain::status::SessionStatus::Held))
        .order_by_asc(training_session::Column::StartsAt)
        .all(db)
        .await?;
    let offset = kynangso_domain::format::vietnam_offset();
    let codes: HashMap<Uuid, String> = skill_module::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id, m.code))
        .collect();
    // Links and marks of all the sessions at once (in chunks), not a query per session.
    let ids: Vec<Uuid> = sessions.iter().map(|s| s.id).collect();
    let mut modules_of: HashMap<Uuid, Vec<String>> = HashMap::new();
    let mut marks_of: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for chunk in ids.chunks(500) {
        for link in session_module::Entity::find()
            .filter(session_module::Column::SessionId.is_in(chunk.to_vec()))
            .all(db)
            .await?
        {
            if let Some(code) = codes.get(&link.module_id) {
                modules_of
                    .entry(link.session_id)
                    .or_default()
                    .push(code.clone());
            }
        }
        for mark in attendance::Entity::find()
            .filter(attendance::Column::SessionId.is_in(chunk.to_vec()))
            .filter(attendance::Column::Status.is_in([
                kynangso_domain::attendance::AttendanceStatus::Present,
                kynangso_domain::attendance::AttendanceStatus::Late,
            ]))
            .all(db)
            .await?
        {
            marks_of
                .entry(mark.session_id)
                .or_default()
                .push(mark.participant_id);
        }
    }
    let mut lines = Vec::new();
    for session in sessions {
        let modules = modules_of
            .remove(&session.id)
            .unwrap_or_default()
            .join(", ");
        let day = session
            .starts_at
            .with_timezone(&offset)
            .format("%d/%m/%Y")
            .to_string();
        let mut here: Vec<AttendanceLine> = marks_of
            .remove(&session.id)
            .unwrap_or_default()
            .iter()
            .filter_map(|participant| people.get(participant))
            .map(|person| AttendanceLine {
                person: person.clone(),
                day: day.clone(),
                modules: modules.clone(),
            })
            .collect();
        here.sort_by(|a, b| a.person.full_name.cmp(&b.person.full_name));
        lines.extend(here);
    }
    Ok(lines)
}
