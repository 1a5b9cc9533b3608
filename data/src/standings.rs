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

use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbBackend,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionSession, TransactionTrait,
};
use uuid::Uuid;

pub use self::derive::completion_day;
use self::derive::standings;
use crate::DataError;
use crate::entities::{attendance, participant, trained_cell, trained_person};

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
        crate::coverage::points::bump_if_past(db, gone.iter().chain(&new)).await?;
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
    crate::coverage::points::bump_all(&txn).await?;
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

mod derive;
#[cfg(test)]
mod tests;
