//! Keeping `trained_person` current: who has completed which curriculum version, and on
//! which day.
//!
//! Every write that can change someone's standing calls [`refresh`] for the people it
//! touched, inside its own transaction and after its own writes, so the table commits or
//! rolls back with the change that caused it. Concurrent writers for the same person are
//! serialised: on PostgreSQL by locking the person's row (`FOR UPDATE`, in id order so
//! that two rosters never deadlock), on SQLite by the database's single writer. So the
//! second writer always recomputes from the first one's committed attendance, and the
//! table never disagrees with the records ([`rebuild`] recomputes it from scratch; a test
//! compares the two after concurrent marking).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{NaiveDate, Utc};
use kynangso_domain::attendance::AttendanceStatus;
use kynangso_domain::completion::{CompletionRule, ModuleRef};
use kynangso_domain::format::today_in_vietnam;
use kynangso_domain::working_age::Birth;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, TransactionSession, TransactionTrait,
};
use uuid::Uuid;

use crate::DataError;
use crate::entities::{
    attendance, curriculum_version, participant, trained_cell, trained_person, training_session,
};

/// Ids per `IN (…)` list: well under SQLite's and PostgreSQL's parameter limits.
const BATCH: usize = 500;

/// Recomputes the standing of `people` (merged duplicates resolve to the record they were
/// merged into, which is recomputed with all its records' attendance).
pub async fn refresh<C: ConnectionTrait>(db: &C, people: &[Uuid]) -> Result<(), DataError> {
    for chunk in people.chunks(BATCH) {
        refresh_batch(db, chunk, Epochs::Bump).await?;
    }
    Ok(())
}

/// Recomputes everyone on a session's roster (after the session's day, modules or
/// cancellation changed).
pub async fn refresh_roster<C: ConnectionTrait>(db: &C, session: Uuid) -> Result<(), DataError> {
    let roster: Vec<Uuid> = attendance::Entity::find()
        .select_only()
        .column(attendance::Column::ParticipantId)
        .filter(attendance::Column::SessionId.eq(session))
        .into_tuple()
        .all(db)
        .await?;
    refresh(db, &roster).await
}

/// Whether a refresh bumps the coverage epochs of the months it changed. A rebuild bumps
/// them all at once instead of once per month per batch of 500.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Epochs {
    Bump,
    AlreadyBumped,
}

async fn refresh_batch<C: ConnectionTrait>(
    db: &C,
    people: &[Uuid],
    epochs: Epochs,
) -> Result<(), DataError> {
    if people.is_empty() {
        return Ok(());
    }
    // A write first: on SQLite it takes the write lock before anything is read.
    let mut before = trained_person::Entity::delete_many()
        .filter(trained_person::Column::ParticipantId.is_in(people.iter().copied()))
        .exec_with_returning(db)
        .await?;
    let named = participant::Entity::find()
        .filter(participant::Column::Id.is_in(people.iter().copied()))
        .all(db)
        .await?;
    let postgres = db.get_database_backend() == DbBackend::Postgres;
    let merged = named.iter().any(|p| p.merged_into_id.is_some());
    let survivors: Vec<participant::Model> = if postgres || merged {
        let ids: BTreeSet<Uuid> = named
            .iter()
            .map(|p| p.merged_into_id.unwrap_or(p.id))
            .collect();
        let mut lock = participant::Entity::find()
            .filter(participant::Column::Id.is_in(ids))
            .order_by_asc(participant::Column::Id);
        if postgres {
            lock = lock.lock_exclusive();
        }
        lock.all(db).await?
    } else {
        // SQLite's single writer already serialises us, and with nobody merged the
        // survivors are the people themselves: no second read.
        named
    };
    if merged {
        before.extend(
            trained_person::Entity::delete_many()
                .filter(trained_person::Column::ParticipantId.is_in(survivors.iter().map(|p| p.id)))
                .exec_with_returning(db)
                .await?,
        );
    }

    let rows = standings(db, &survivors).await?;
    let mut deltas: BTreeMap<CellKey, i64> = BTreeMap::new();
    for old in &before {
        *deltas.entry(CellKey::of(old)).or_default() -= 1;
    }
    for new in &rows {
        *deltas.entry(CellKey::of(new)).or_default() += 1;
    }
    if epochs == Epochs::Bump {
        super::points::bump_if_past(db, &before, &rows).await?;
    }
    if !rows.is_empty() {
        trained_person::Entity::insert_many(
            rows.into_iter()
                .map(|row| trained_person::ActiveModel::from(row).reset_all()),
        )
        .exec_without_returning(db)
        .await?;
    }
    apply(db, deltas).await
}

/// A `trained_cell` key. Ordered so that every writer updates cells in the same order
/// (no deadlocks between two rosters on PostgreSQL).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct CellKey {
    version: Uuid,
    female: bool,
    born_year: i32,
    unit: Uuid,
}

impl CellKey {
    fn of(row: &trained_person::Model) -> CellKey {
        CellKey {
            version: row.curriculum_version_id,
            female: row.female,
            born_year: chrono::Datelike::year(&row.born_on),
            unit: row.home_unit_id,
        }
    }
}

/// Adds each non-zero change to its cell (`trained = trained + change`, atomically), all
/// cells in one statement (in key order: see [`CellKey`]).
async fn apply<C: ConnectionTrait>(
    db: &C,
    deltas: BTreeMap<CellKey, i64>,
) -> Result<(), DataError> {
    let changes: Vec<trained_cell::ActiveModel> = deltas
        .into_iter()
        .filter(|(_, change)| *change != 0)
        .map(|(key, change)| trained_cell::ActiveModel {
            curriculum_version_id: Set(key.version),
            female: Set(key.female),
            born_year: Set(key.born_year),
            home_unit_id: Set(key.unit),
            trained: Set(change),
        })
        .collect();
    if changes.is_empty() {
        return Ok(());
    }
    trained_cell::Entity::insert_many(changes)
        .on_conflict(
            OnConflict::columns([
                trained_cell::Column::CurriculumVersionId,
                trained_cell::Column::Female,
                trained_cell::Column::BornYear,
                trained_cell::Column::HomeUnitId,
            ])
            .value(
                trained_cell::Column::Trained,
                Expr::col((trained_cell::Entity, trained_cell::Column::Trained)).add(Expr::col((
                    Alias::new("excluded"),
                    trained_cell::Column::Trained,
                ))),
            )
            .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// The `trained_person` rows of `survivors` (records not merged into another), from
/// their own and their merged duplicates' attendance.
async fn standings<C: ConnectionTrait>(
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
    let mut owner: HashMap<Uuid, Uuid> = survivors.iter().map(|p| (p.id, p.id)).collect();
    let duplicates: Vec<(Uuid, Option<Uuid>)> = participant::Entity::find()
        .select_only()
        .column(participant::Column::Id)
        .column(participant::Column::MergedIntoId)
        .filter(participant::Column::MergedIntoId.is_in(survivors.iter().map(|p| p.id)))
        .into_tuple()
        .all(db)
        .await?;
    for (id, into) in duplicates {
        if let Some(into) = into {
            owner.insert(id, into);
        }
    }

    // Each attendance with its session's day, curriculum version and modules.
    let marks: Vec<(Uuid, Uuid, String)> = attendance::Entity::find()
        .select_only()
        .column(attendance::Column::ParticipantId)
        .column(attendance::Column::SessionId)
        .column(attendance::Column::Status)
        .filter(attendance::Column::ParticipantId.is_in(owner.keys().copied()))
        .into_tuple()
        .all(db)
        .await?;
    let session_ids: BTreeSet<Uuid> = marks.iter().map(|(_, s, _)| *s).collect();
    // (day, curriculum version) of each session that took place.
    let sessions: HashMap<Uuid, (NaiveDate, Uuid)> = training_session::Entity::find()
        .select_only()
        .column(training_session::Column::Id)
        .column(training_session::Column::StartsAt)
        .column(training_session::Column::CurriculumVersionId)
        .filter(training_session::Column::Id.is_in(session_ids.iter().copied()))
        .filter(training_session::Column::CancelledAt.is_null())
        .into_tuple::<(Uuid, chrono::DateTime<Utc>, Uuid)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, starts_at, version)| (id, (today_in_vietnam(starts_at), version)))
        .collect();
    let covered = crate::training::modules_covered(db, sessions.keys().copied().collect()).await?;

    // Per person and version: (day, status, modules) of each session attended.
    type Attended = Vec<(NaiveDate, AttendanceStatus, Vec<Uuid>)>;
    let mut attended: HashMap<(Uuid, Uuid), Attended> = HashMap::new();
    for (person, session_id, status) in marks {
        let (Some(&(day, version)), Some(status)) =
            (sessions.get(&session_id), AttendanceStatus::parse(&status))
        else {
            continue;
        };
        let modules = covered.get(&session_id).cloned().unwrap_or_default();
        attended
            .entry((owner[&person], version))
            .or_default()
            .push((day, status, modules));
    }

    let mut curricula = Curricula::default();
    let by_id: HashMap<Uuid, &participant::Model> = survivors.iter().map(|p| (p.id, *p)).collect();
    let mut rows = Vec::new();
    for ((person_id, version_id), mut sessions) in attended {
        let (rule, modules) = curricula.get(db, version_id).await?;
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

/// Curriculum versions' rules and modules, read once per call.
#[derive(Default)]
struct Curricula(HashMap<Uuid, (CompletionRule, Vec<ModuleRef>)>);

impl Curricula {
    async fn get<C: ConnectionTrait>(
        &mut self,
        db: &C,
        id: Uuid,
    ) -> Result<&(CompletionRule, Vec<ModuleRef>), DataError> {
        if let std::collections::hash_map::Entry::Vacant(slot) = self.0.entry(id) {
            let (_, rule, modules) = curriculum_rule(db, id).await?;
            slot.insert((rule, modules));
        }
        Ok(&self.0[&id])
    }
}

/// A curriculum version with its parsed completion rule and its modules.
pub(crate) async fn curriculum_rule<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
) -> Result<(curriculum_version::Model, CompletionRule, Vec<ModuleRef>), DataError> {
    let version = curriculum_version::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(DataError::NotFound {
            what: "curriculum_version",
        })?;
    let rule: CompletionRule = serde_json::from_str(&version.completion_rule)
        .map_err(|e| DataError::Invalid(format!("curriculum {}: {e}", version.code)))?;
    let modules = crate::training::modules_of(db, id).await?;
    Ok((version, rule, modules))
}

/// Recomputes the whole table from the records, in one transaction: after loading data
/// from outside the app, after publishing a curriculum version, or to check the table.
pub async fn rebuild<C: ConnectionTrait + TransactionTrait>(db: &C) -> Result<u64, DataError> {
    let txn = db.begin().await?;
    if txn.get_database_backend() == DbBackend::Postgres {
        // Two servers starting at once must not rebuild over each other (the second would
        // insert rows the first has just inserted).
        txn.execute_unprepared("LOCK TABLE trained_person, trained_cell IN EXCLUSIVE MODE")
            .await?;
    }
    trained_person::Entity::delete_many().exec(&txn).await?;
    trained_cell::Entity::delete_many().exec(&txn).await?;
    super::points::bump_all(&txn).await?;
    let attendees: Vec<Uuid> = attendance::Entity::find()
        .select_only()
        .column(attendance::Column::ParticipantId)
        .distinct()
        .into_tuple()
        .all(&txn)
        .await?;
    for chunk in attendees.chunks(BATCH) {
        refresh_batch(&txn, chunk, Epochs::AlreadyBumped).await?;
    }
    txn.commit().await?;
    Ok(attendees.len() as u64)
}

/// Rebuilds the table when it is empty but attendance exists (a database from before the
/// table, or one filled by hand): cheap to ask at start-up.
pub async fn rebuild_if_missing<C: ConnectionTrait + TransactionTrait>(
    db: &C,
) -> Result<bool, DataError> {
    let any_trained = trained_person::Entity::find().one(db).await?.is_some();
    let any_attendance = attendance::Entity::find().one(db).await?.is_some();
    if any_trained || !any_attendance {
        return Ok(false);
    }
    rebuild(db).await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_completion_day_is_the_session_that_covers_the_last_required_module() {
        let m = |n: u128| ModuleRef {
            id: Uuid::from_u128(n),
            code: format!("M{n}"),
            name: format!("M{n}"),
            required: true,
        };
        let rule = CompletionRule::AllRequired {
            counted_statuses: vec![AttendanceStatus::Present, AttendanceStatus::Late],
        };
        let day = |d: u32| NaiveDate::from_ymd_opt(2025, 10, d).expect("date");
        let modules = [m(1), m(2)];
        let sessions = [
            (day(1), AttendanceStatus::Present, vec![Uuid::from_u128(1)]),
            (day(5), AttendanceStatus::Absent, vec![Uuid::from_u128(2)]),
            (day(9), AttendanceStatus::Late, vec![Uuid::from_u128(2)]),
            (
                day(12),
                AttendanceStatus::Present,
                vec![Uuid::from_u128(1), Uuid::from_u128(2)],
            ),
        ];
        assert_eq!(completion_day(&rule, &modules, &sessions), Some(day(9)));
        assert_eq!(
            completion_day(&rule, &modules, &sessions[..2]),
            None,
            "absent does not count"
        );
    }
}
