//! The indicator: people of working age on a reference date who have completed a
//! curriculum version by that date, counted once each, in the unit that exists on that
//! date, against each unit's working-age population.
//!
//! Right while attendance is being written: the numerator is one indexed query over
//! `trained_person`, which every write keeps current in its own transaction
//! ([`progress`]), so a report reads one committed state of it and nothing is computed
//! overnight. Rolling up:
//! - a merged duplicate counts as the record it was merged into (and so only once);
//! - a record under a unit that was later absorbed counts in the absorbing unit, following
//!   `unit_succession` rows with `coverage = "full"` in effect on the reference date;
//!   records under a unit that was split (`partial`) cannot be placed by the unit alone
//!   and are reported as `unplaced`.

pub mod commune;
pub(crate) mod points;
pub mod population;
mod province;

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};
use kynangso_domain::working_age::WorkingAgeRule;
use sea_orm::sea_query::{Alias, Condition, Expr, Func};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect,
    QueryTrait,
};
use uuid::Uuid;

pub use province::{
    ReportChoice, ReportQuery, Resolved, province_dashboard, province_report, resolve,
    resolve_query, trend,
};

use crate::DataError;
use crate::entities::{trained_cell, trained_person, unit_succession};

/// Trained people of working age, by the unit that exists on the reference date.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrainedCounts {
    pub by_unit: BTreeMap<Uuid, u64>,
    /// Trained people recorded under a split unit, which the unit alone cannot place.
    pub unplaced: u64,
}

/// Counts, for curriculum version `version`, everyone who completed it by `on` and is of
/// working age on `on` under `working_age`, by the unit recorded on them.
pub async fn trained_by_recorded_unit<C: ConnectionTrait>(
    db: &C,
    version: Uuid,
    on: NaiveDate,
    working_age: &WorkingAgeRule,
) -> Result<HashMap<Uuid, u64>, DataError> {
    let mut all = trained_on_days(db, version, &[on], working_age, None).await?;
    Ok(all.pop().unwrap_or_default())
}

/// The same count for several days at once (a trend line).
///
/// For each sex the birth window is split into the birth years wholly inside it, summed
/// by the database from `trained_cell` (a few thousand cells whatever the province's
/// size), and the two edge years, counted from `trained_person` through its birth index.
/// Then people who completed only after the day are taken off (none for today's report).
/// They are read a stretch between two days at a time: a 12-month trend reads a year of
/// completions, about 300 000 rows at province scale, which held at once took the server
/// from 66 MB to a 296 MB peak.
/// With `only`, people recorded under those units only (one commune's trend).
pub async fn trained_on_days<C: ConnectionTrait>(
    db: &C,
    version: Uuid,
    days: &[NaiveDate],
    working_age: &WorkingAgeRule,
    only: Option<&[Uuid]>,
) -> Result<Vec<HashMap<Uuid, u64>>, DataError> {
    if days.is_empty() {
        return Ok(Vec::new());
    }
    // Each day's birth window, men's and women's ([false, true] by `female`).
    let windows: Vec<[Option<(NaiveDate, NaiveDate)>; 2]> = days
        .iter()
        .map(|on| {
            [
                working_age.birth_window(false, *on),
                working_age.birth_window(true, *on),
            ]
        })
        .collect();
    let mut counts: Vec<HashMap<Uuid, i64>> = vec![HashMap::new(); days.len()];
    for (window, by_unit) in windows.iter().zip(&mut counts) {
        for female in [true, false] {
            let Some((oldest, youngest)) = window[usize::from(female)] else {
                continue;
            };
            let inner = (oldest.year() + 1, youngest.year() - 1);
            let edges = if inner.0 <= inner.1 {
                for (unit, n) in cell_sums(db, version, female, inner, only).await? {
                    *by_unit.entry(unit).or_default() += n;
                }
                let (first, last) = (first_day(inner.0), last_day(inner.1));
                vec![
                    (oldest, first.pred_opt().unwrap_or(first)),
                    (last.succ_opt().unwrap_or(last), youngest),
                ]
            } else {
                vec![(oldest, youngest)]
            };
            for &(from, to) in &edges {
                for (unit, n) in count_people(db, version, female, (from, to), only).await? {
                    *by_unit.entry(unit).or_default() += n;
                }
            }
        }
    }

    // Everyone in a day's window who completed after it. Read a stretch between two of the
    // days at a time (a month of completions for a trend): each stretch is late for every
    // day up to its start. The report index (version, completed_on, …) makes each read a
    // range scan.
    let mut by_date: Vec<usize> = (0..days.len()).collect();
    by_date.sort_by_key(|&i| days[i]);
    for (k, &start) in by_date.iter().enumerate() {
        let end = by_date.get(k + 1).map(|&next| days[next]);
        let earlier = &by_date[..=k];
        for (unit, female, born) in completed_between(db, version, days[start], end, only).await? {
            for &i in earlier {
                let in_window = windows[i][usize::from(female)]
                    .is_some_and(|(oldest, youngest)| oldest <= born && born <= youngest);
                if in_window {
                    *counts[i].entry(unit).or_default() -= 1;
                }
            }
        }
    }
    Ok(counts
        .into_iter()
        .map(|by_unit| {
            by_unit
                .into_iter()
                .filter(|(_, n)| *n > 0)
                .map(|(unit, n)| (unit, u64::try_from(n).unwrap_or(0)))
                .collect()
        })
        .collect())
}

/// (unit, female, born on) of everyone who completed after `after` and no later than
/// `until` (when given).
async fn completed_between<C: ConnectionTrait>(
    db: &C,
    version: Uuid,
    after: NaiveDate,
    until: Option<NaiveDate>,
    only: Option<&[Uuid]>,
) -> Result<Vec<(Uuid, bool, NaiveDate)>, DataError> {
    Ok(trained_person::Entity::find()
        .select_only()
        .column(trained_person::Column::HomeUnitId)
        .column(trained_person::Column::Female)
        .column(trained_person::Column::BornOn)
        .filter(trained_person::Column::CurriculumVersionId.eq(version))
        .filter(trained_person::Column::CompletedOn.gt(after))
        .apply_if(until, |q, until| {
            q.filter(trained_person::Column::CompletedOn.lte(until))
        })
        .apply_if(only.map(<[Uuid]>::to_vec), |q, units| {
            q.filter(trained_person::Column::HomeUnitId.is_in(units))
        })
        .into_tuple()
        .all(db)
        .await?)
}

/// `trained_cell` sums of one sex over the birth years `years` (inclusive), by unit: the
/// database adds up the few thousand cells and returns one row per unit.
async fn cell_sums<C: ConnectionTrait>(
    db: &C,
    version: Uuid,
    female: bool,
    years: (i32, i32),
    only: Option<&[Uuid]>,
) -> Result<Vec<(Uuid, i64)>, DataError> {
    let sums: Vec<(Uuid, Option<i64>)> = trained_cell::Entity::find()
        .select_only()
        .column(trained_cell::Column::HomeUnitId)
        // SUM of a bigint is numeric on PostgreSQL: cast back.
        .column_as(
            Expr::from(Func::cast_as(
                Func::sum(Expr::col(trained_cell::Column::Trained)),
                Alias::new("bigint"),
            )),
            "trained",
        )
        .filter(trained_cell::Column::CurriculumVersionId.eq(version))
        .filter(trained_cell::Column::Female.eq(female))
        .filter(trained_cell::Column::BornYear.between(years.0, years.1))
        .apply_if(only.map(<[Uuid]>::to_vec), |q, units| {
            q.filter(trained_cell::Column::HomeUnitId.is_in(units))
        })
        .group_by(trained_cell::Column::HomeUnitId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(sums
        .into_iter()
        .map(|(unit, n)| (unit, n.unwrap_or(0)))
        .collect())
}

/// `trained_person` rows of one sex born within `born` (inclusive), by unit.
async fn count_people<C: ConnectionTrait>(
    db: &C,
    version: Uuid,
    female: bool,
    born: (NaiveDate, NaiveDate),
    only: Option<&[Uuid]>,
) -> Result<Vec<(Uuid, i64)>, DataError> {
    Ok(trained_person::Entity::find()
        .select_only()
        .column(trained_person::Column::HomeUnitId)
        .column_as(trained_person::Column::ParticipantId.count(), "trained")
        .filter(trained_person::Column::CurriculumVersionId.eq(version))
        .filter(trained_person::Column::Female.eq(female))
        .filter(trained_person::Column::BornOn.between(born.0, born.1))
        .apply_if(only.map(<[Uuid]>::to_vec), |q, units| {
            q.filter(trained_person::Column::HomeUnitId.is_in(units))
        })
        .group_by(trained_person::Column::HomeUnitId)
        .into_tuple()
        .all(db)
        .await?)
}

/// `born_on` within each sex's birth window (see `WorkingAgeRule::birth_window`), for
/// queries over one commune's rows.
pub(crate) fn working_age_condition(rule: &WorkingAgeRule, on: NaiveDate) -> Option<Condition> {
    let mut any = Condition::any();
    let mut someone = false;
    for female in [true, false] {
        if let Some((oldest, youngest)) = rule.birth_window(female, on) {
            someone = true;
            any = any.add(
                Condition::all()
                    .add(trained_person::Column::Female.eq(female))
                    .add(trained_person::Column::BornOn.between(oldest, youngest)),
            );
        }
    }
    someone.then_some(any)
}

fn first_day(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN)
}

fn last_day(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX)
}

/// The numerator rolled up to the units of `on`.
pub async fn trained_by_unit(
    db: &DatabaseConnection,
    version: Uuid,
    on: NaiveDate,
    working_age: &WorkingAgeRule,
) -> Result<TrainedCounts, DataError> {
    let mut all = trained_by_unit_on_days(db, version, &[on], working_age, None).await?;
    Ok(all.pop().unwrap_or_default())
}

/// The numerator for several days (a trend), each rolled up to the units of its day.
/// With `only`, people recorded under those units only.
pub async fn trained_by_unit_on_days(
    db: &DatabaseConnection,
    version: Uuid,
    days: &[NaiveDate],
    working_age: &WorkingAgeRule,
    only: Option<&[Uuid]>,
) -> Result<Vec<TrainedCounts>, DataError> {
    let recorded = points::trained_on_days_kept(db, version, days, working_age, only).await?;
    let successions = succession_rows(db).await?;
    let mut out = Vec::with_capacity(days.len());
    for (day, by_recorded) in days.iter().zip(recorded) {
        let successor = Successors::from_rows(&successions, *day);
        let mut counts = TrainedCounts::default();
        for (unit, n) in by_recorded {
            match successor.current(unit) {
                Some(unit) => *counts.by_unit.entry(unit).or_default() += n,
                None => counts.unplaced += n,
            }
        }
        out.push(counts);
    }
    Ok(out)
}

async fn succession_rows<C: ConnectionTrait>(
    db: &C,
) -> Result<Vec<unit_succession::Model>, DataError> {
    Ok(unit_succession::Entity::find().all(db).await?)
}

/// Where each absorbed unit went, by the reforms in effect on a date.
#[derive(Debug, Clone, Default)]
pub struct Successors(HashMap<Uuid, Option<Uuid>>);

impl Successors {
    pub async fn in_effect<C: ConnectionTrait>(
        db: &C,
        on: NaiveDate,
    ) -> Result<Successors, DataError> {
        Ok(Successors::from_rows(&succession_rows(db).await?, on))
    }

    /// The successions of `rows` in effect on `on` (a trend reads the rows once).
    fn from_rows(rows: &[unit_succession::Model], on: NaiveDate) -> Successors {
        let mut map = HashMap::new();
        for row in rows.iter().filter(|r| r.effective_date <= on) {
            let target = (row.coverage == "full").then_some(row.successor_id);
            // A unit split between several successors stays unplaced even if one row says full.
            map.entry(row.predecessor_id)
                .and_modify(|t: &mut Option<Uuid>| {
                    if *t != target {
                        *t = None;
                    }
                })
                .or_insert(target);
        }
        Successors(map)
    }

    /// Follows full absorptions to the unit of the reference date (a few steps at most:
    /// 2024 and 2025 reforms); `None` when the trail reaches a split unit.
    pub fn current(&self, mut unit: Uuid) -> Option<Uuid> {
        for _ in 0..8 {
            match self.0.get(&unit) {
                None => return Some(unit),
                Some(Some(next)) => unit = *next,
                Some(None) => return None,
            }
        }
        Some(unit)
    }

    /// `unit` and every unit whose records roll up into it.
    pub fn absorbed_into(&self, unit: Uuid) -> Vec<Uuid> {
        let mut all = vec![unit];
        all.extend(
            self.0
                .keys()
                .copied()
                .filter(|k| *k != unit && self.current(*k) == Some(unit)),
        );
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absorbed_units_roll_up_and_split_ones_stay_unplaced() {
        let (a, b, c, split) = (
            Uuid::from_u128(1),
            Uuid::from_u128(2),
            Uuid::from_u128(3),
            Uuid::from_u128(4),
        );
        let successor = Successors(HashMap::from([(a, Some(b)), (b, Some(c)), (split, None)]));
        assert_eq!(successor.current(a), Some(c), "two reforms in a row");
        assert_eq!(successor.current(c), Some(c));
        assert_eq!(successor.current(split), None);
        let mut into_c = successor.absorbed_into(c);
        into_c.sort();
        assert_eq!(into_c, [a, b, c]);
    }
}
