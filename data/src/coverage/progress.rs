//! Keeping `trained_person` current: who has completed which curriculum version, and on
//! which day.
//!
//! Every write that can change someone's standing calls [`refresh`] for the people it
//! touched, inside its own transaction and after its own writes, so the table commits or
//! rolls back with the change that caused it. Concurrent writers for the same person are
//! serialised: on PostgreSQL by locking the person's row (`FOR UPDATE`, in id order so
//! that two rosters never deadlock), on SQLite by the database's single writer. So the
//! second writer always recomputes from the first one's committed attendance and reads the
//! rows the first one wrote, and the table never disagrees with the records ([`rebuild`]
//! recomputes it from scratch; a test compares the two after concurrent marking). Only
//! rows whose standing changed are rewritten: most marks change none, and then the
//! refresh is three reads.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::{Arc, LazyLock, Mutex};

use chrono::{DateTime, NaiveDate, Utc};
use kynangso_domain::attendance::AttendanceStatus;
use kynangso_domain::completion::{CompletionRule, ModuleRef};
use kynangso_domain::format::today_in_vietnam;
use kynangso_domain::working_age::Birth;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbBackend,
    EntityTrait, JoinType, QueryFilter, QueryOrder, QuerySelect, RelationTrait, TransactionSession,
    TransactionTrait,
};
use uuid::Uuid;

use crate::DataError;
use crate::entities::{
    attendance, curriculum_version, participant, session_module, trained_cell, trained_person,
    training_session,
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
    // Read only now: on PostgreSQL a writer that held the lock before us has committed,
    // so its rows are seen (and not inserted a second time).
    let ids: BTreeSet<Uuid> = people
        .iter()
        .copied()
        .chain(survivors.iter().map(|p| p.id))
        .collect();
    let before = trained_person::Entity::find()
        .filter(trained_person::Column::ParticipantId.is_in(ids))
        .all(db)
        .await?;
    let after = standings(db, &survivors).await?;

    // Most marks change nobody's standing: then nothing is written.
    let (gone, new) = changes(before, after);
    let mut deltas: BTreeMap<CellKey, i64> = BTreeMap::new();
    for old in &gone {
        *deltas.entry(CellKey::of(old)).or_default() -= 1;
    }
    for row in &new {
        *deltas.entry(CellKey::of(row)).or_default() += 1;
    }
    if epochs == Epochs::Bump {
        super::points::bump_if_past(db, gone.iter().chain(&new)).await?;
    }
    if !gone.is_empty() {
        let mut keys = Condition::any();
        for row in &gone {
            keys = keys.add(
                Condition::all()
                    .add(trained_person::Column::CurriculumVersionId.eq(row.curriculum_version_id))
                    .add(trained_person::Column::ParticipantId.eq(row.participant_id)),
            );
        }
        trained_person::Entity::delete_many()
            .filter(keys)
            .exec(db)
            .await?;
    }
    if !new.is_empty() {
        trained_person::Entity::insert_many(
            new.into_iter()
                .map(|row| trained_person::ActiveModel::from(row).reset_all()),
        )
        .exec_without_returning(db)
        .await?;
    }
    apply(db, deltas).await
}

/// Whether two rows for the same person and version say the same (`updated_at` aside).
fn same_standing(a: &trained_person::Model, b: &trained_person::Model) -> bool {
    let said = |row: &trained_person::Model| {
        (
            row.home_unit_id,
            row.village_id,
            row.female,
            row.born_on,
            row.completed_on,
        )
    };
    said(a) == said(b)
}

/// The rows of `before` that `after` drops or changes, and the rows of `after` that are new
/// or changed: what must be deleted and inserted.
fn changes(
    before: Vec<trained_person::Model>,
    after: Vec<trained_person::Model>,
) -> (Vec<trained_person::Model>, Vec<trained_person::Model>) {
    let key = |row: &trained_person::Model| (row.curriculum_version_id, row.participant_id);
    let unchanged: HashSet<(Uuid, Uuid)> = {
        let new: HashMap<_, _> = after.iter().map(|row| (key(row), row)).collect();
        before
            .iter()
            .filter(|row| new.get(&key(row)).is_some_and(|n| same_standing(row, n)))
            .map(key)
            .collect()
    };
    let gone = before
        .into_iter()
        .filter(|row| !unchanged.contains(&key(row)))
        .collect();
    let added = after
        .into_iter()
        .filter(|row| !unchanged.contains(&key(row)))
        .collect();
    (gone, added)
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

/// A curriculum version's completion rule and modules.
pub(crate) type Curriculum = (CompletionRule, Vec<ModuleRef>);

/// Rules of versions that are no longer drafts, read once per process. A version is frozen
/// once published: changing a rule means publishing a new version, and nothing in the app
/// edits a published one. So what one server read stays true for every server, and marking
/// no longer reads the version and its modules (two queries) each time. Keyed by id alone:
/// ids are UUIDv7, and the test databases that share the demo's ids share its curriculum.
static FROZEN: LazyLock<Mutex<HashMap<Uuid, Arc<Curriculum>>>> = LazyLock::new(Default::default);

/// The rule and modules of version `id`, from [`FROZEN`] when kept.
pub(crate) async fn curriculum_of<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
) -> Result<Arc<Curriculum>, DataError> {
    let kept = FROZEN
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .get(&id)
        .cloned();
    if let Some(kept) = kept {
        return Ok(kept);
    }
    let (version, rule, modules) = curriculum_rule(db, id).await?;
    let read = Arc::new((rule, modules));
    if version.status != "draft" {
        FROZEN
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(id, read.clone());
    }
    Ok(read)
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

    fn standing(person: u128, completed: u32) -> trained_person::Model {
        trained_person::Model {
            curriculum_version_id: Uuid::from_u128(7),
            participant_id: Uuid::from_u128(person),
            home_unit_id: Uuid::from_u128(99),
            village_id: None,
            female: true,
            born_on: NaiveDate::from_ymd_opt(1990, 7, 1).expect("date"),
            completed_on: NaiveDate::from_ymd_opt(2026, 10, completed).expect("date"),
            updated_at: Utc::now(),
        }
    }

    #[test]
    fn only_standings_that_changed_are_rewritten() {
        let before = vec![standing(1, 3), standing(2, 4), standing(3, 5)];
        // 1 is unchanged (a later `updated_at` is no change), 2 completed on another day,
        // 3 lost its completion, 4 is newly trained.
        let after = vec![standing(1, 3), standing(2, 9), standing(4, 6)];
        let (gone, new) = changes(before, after);
        let people = |rows: &[trained_person::Model]| -> Vec<u128> {
            rows.iter().map(|r| r.participant_id.as_u128()).collect()
        };
        assert_eq!(people(&gone), [2, 3]);
        assert_eq!(people(&new), [2, 4]);
        assert_eq!(
            new[0].completed_on,
            NaiveDate::from_ymd_opt(2026, 10, 9).expect("date")
        );
        let (gone, new) = changes(vec![standing(1, 3)], vec![standing(1, 3)]);
        assert!(
            gone.is_empty() && new.is_empty(),
            "a mark that changes no standing writes nothing"
        );
    }

    #[test]
    fn only_rows_that_really_changed_name_their_days() {
        // The completion days whose months a write bumps: of the rows it removes and adds.
        let days = |before, after| -> Vec<NaiveDate> {
            let (gone, new) = changes(before, after);
            gone.iter()
                .chain(&new)
                .map(|row| row.completed_on)
                .collect()
        };
        let d = |day| NaiveDate::from_ymd_opt(2026, 10, day).expect("date");
        assert_eq!(
            days(vec![standing(1, 3)], vec![standing(1, 3)]).len(),
            0,
            "rewritten as it was"
        );
        assert_eq!(
            days(vec![standing(1, 3)], vec![standing(1, 27)]),
            [d(3), d(27)],
            "both the old day and the new"
        );
        assert_eq!(days(vec![standing(2, 5)], vec![]), [d(5)]);
        assert_eq!(days(vec![], vec![standing(3, 27)]), [d(27)]);
    }

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
