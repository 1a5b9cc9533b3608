//! Deriving standings from the records: a person's (and their merged duplicates')
//! attendance at sessions of a curriculum version, against that version's rule.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use kynangso_domain::attendance::AttendanceStatus;
use kynangso_domain::completion::{CompletionRule, ModuleRef};
use kynangso_domain::format::today_in_vietnam;
use kynangso_domain::working_age::Birth;
use sea_orm::sea_query::Condition;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, JoinType, QueryFilter, QuerySelect, RelationTrait,
};
use uuid::Uuid;

use crate::DataError;
use crate::curriculum::curriculum_of;
use crate::entities::{attendance, participant, session_module, trained_person, training_session};

/// (record, merged into, session, status, session start, curriculum version, a module covered)
type AttendedRow = (
    Uuid,
    Option<Uuid>,
    Uuid,
    String,
    DateTime<Utc>,
    Uuid,
    Option<Uuid>,
);

/// The `trained_person` rows of `survivors` (records not merged into another), from
/// their own and their merged duplicates' attendance.
pub(super) async fn standings<C: ConnectionTrait>(
    db: &C,
    survivors: &[participant::Model],
) -> Result<Vec<trained_person::Model>, DataError> {
    let survivors: Vec<&participant::Model> = survivors
        .iter()
        .filter(|p| p.merged_into_id.is_none())
        .collect();
    if survivors.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<Uuid> = survivors.iter().map(|p| p.id).collect();
    // In one query: each attendance of a survivor or of a record merged into one, at a
    // session that took place, with the session's day and version and one module it
    // covered per row (none: one row with `None`).
    let rows: Vec<AttendedRow> = attendance::Entity::find()
        .select_only()
        .column(participant::Column::Id)
        .column(participant::Column::MergedIntoId)
        .column(attendance::Column::SessionId)
        .column(attendance::Column::Status)
        .column(training_session::Column::StartsAt)
        .column(training_session::Column::CurriculumVersionId)
        .column(session_module::Column::ModuleId)
        .join(JoinType::InnerJoin, attendance::Relation::Participant.def())
        .join(JoinType::InnerJoin, attendance::Relation::Session.def())
        .join(
            JoinType::LeftJoin,
            training_session::Relation::SessionModule.def(),
        )
        .filter(
            Condition::any()
                .add(participant::Column::Id.is_in(ids.iter().copied()))
                .add(participant::Column::MergedIntoId.is_in(ids.iter().copied())),
        )
        .filter(training_session::Column::CancelledAt.is_null())
        .into_tuple()
        .all(db)
        .await?;

    // Per (record, session): the person, version, day, status and modules covered. A
    // survivor and a duplicate on the same roster stay two attendances, as before a merge.
    type Seen = (Uuid, Uuid, NaiveDate, AttendanceStatus, Vec<Uuid>);
    let mut seen: HashMap<(Uuid, Uuid), Seen> = HashMap::new();
    for (record, merged_into, session_id, status, starts_at, version, module) in rows {
        let Some(status) = AttendanceStatus::parse(&status) else {
            continue;
        };
        let person = merged_into.unwrap_or(record);
        let entry = seen.entry((record, session_id)).or_insert_with(|| {
            (
                person,
                version,
                today_in_vietnam(starts_at),
                status,
                Vec::new(),
            )
        });
        entry.4.extend(module);
    }
    // Per person and version: (day, status, modules) of each session attended.
    type Attended = Vec<(NaiveDate, AttendanceStatus, Vec<Uuid>)>;
    let mut attended: HashMap<(Uuid, Uuid), Attended> = HashMap::new();
    for (person, version, day, status, modules) in seen.into_values() {
        attended
            .entry((person, version))
            .or_default()
            .push((day, status, modules));
    }

    let by_id: HashMap<Uuid, &participant::Model> = survivors.iter().map(|p| (p.id, *p)).collect();
    let mut rows = Vec::new();
    for ((person_id, version_id), mut sessions) in attended {
        let curriculum = curriculum_of(db, version_id).await?;
        let (rule, modules) = &*curriculum;
        sessions.sort_by_key(|(day, _, _)| *day);
        let Some(completed_on) = completion_day(rule, modules, &sessions) else {
            continue;
        };
        let person = by_id[&person_id];
        let Some(born_on) = person
            .birth_date
            .map_or(Birth::Year(person.birth_year), Birth::Date)
            .assumed_date()
        else {
            continue;
        };
        rows.push(trained_person::Model {
            curriculum_version_id: version_id,
            participant_id: person_id,
            home_unit_id: person.home_unit_id,
            village_id: person.village_id,
            female: person.sex == "female",
            born_on,
            completed_on,
            updated_at: Utc::now(),
        });
    }
    Ok(rows)
}

/// The day of the first session after which the rule is met, for sessions in day order.
/// Rules only grow with more attendance, so that day is the completion day.
pub fn completion_day(
    rule: &CompletionRule,
    modules: &[ModuleRef],
    sessions: &[(NaiveDate, AttendanceStatus, Vec<Uuid>)],
) -> Option<NaiveDate> {
    let mut so_far = Vec::with_capacity(sessions.len());
    for (day, status, covered) in sessions {
        so_far.push((*status, covered.clone()));
        if rule.progress("", modules, &so_far).complete {
            return Some(*day);
        }
    }
    None
}
