//! Trend points that cannot change any more, kept in each app server's memory.
//!
//! A trend's past points (month ends before today) are the costly part of the trend: each
//! one subtracts every completion after it. They change only when a completion dated
//! of an earlier month changes (a correction of an old roster, a merge, an edited birth
//! date, an import, a rebuild), and every such write bumps the `coverage_epoch` of each
//! month whose completions it changed, in its own transaction ([`bump_if_past`]). A point for day D
//! depends only on completions up to D, so a server keeps it with the sum of the epochs of
//! D's month and the months before (and of row 0, which a rebuild bumps), read before
//! computing, and uses it while that sum is still the database's: figures stay exactly
//! those of the current data, and several servers share nothing but the database. Marking
//! this month's sessions bumps nothing (a bumped row would be a lock every mark waits for
//! on PostgreSQL).
//!
//! Margin at midnight: writes bump for completions of months before their own, points are
//! kept only for months that had ended two days before, so a write and a read on either
//! side of a month's end never disagree about which months are closed.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, LazyLock, Mutex};

use chrono::{Datelike, Days, NaiveDate, Utc};
use kynangso_domain::format::today_in_vietnam;
use kynangso_domain::working_age::WorkingAgeRule;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ActiveValue::Set, ConnectionTrait, DatabaseConnection, EntityTrait};
use uuid::Uuid;

use super::trained_on_days;
use crate::DataError;
use crate::entities::{coverage_epoch, trained_person};

/// Points kept per server; past it the whole map is dropped (a few MB at most).
const MAX_POINTS: usize = 4096;

/// Everything a point depends on besides the data.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct PointKey {
    /// The database's token: test servers in one process use many databases.
    token: String,
    version: Uuid,
    /// The working-age rule as written (its `Debug` text).
    rule: String,
    day: NaiveDate,
    only: Option<Vec<Uuid>>,
}

/// Counts by recorded unit, with the epoch they were computed under.
type Kept = (i64, HashMap<Uuid, u64>);

static POINTS: LazyLock<Mutex<HashMap<PointKey, Kept>>> = LazyLock::new(Default::default);

/// Held while past points are computed (see [`trained_on_days_kept`]).
static COMPUTING: LazyLock<Arc<tokio::sync::Mutex<()>>> = LazyLock::new(Default::default);

/// Whether a point for `day` may be kept: a day of a month that had ended two days ago.
fn keepable(day: NaiveDate, today: NaiveDate) -> bool {
    today
        .checked_sub_days(Days::new(2))
        .is_some_and(|back| day < first_of_month(back))
}

/// Whether a write changing a completion of `day` must bump its month: any month before
/// this one. (This month's completions, the field's daily work, bump nothing: no point of
/// this month is kept.)
fn bumps(day: NaiveDate, today: NaiveDate) -> bool {
    day < first_of_month(today)
}

fn first_of_month(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

/// [`trained_on_days`], answering past days from memory while the epoch stands.
pub(super) async fn trained_on_days_kept(
    db: &DatabaseConnection,
    version: Uuid,
    days: &[NaiveDate],
    working_age: &WorkingAgeRule,
    only: Option<&[Uuid]>,
) -> Result<Vec<HashMap<Uuid, u64>>, DataError> {
    let today = today_in_vietnam(Utc::now());
    if !days.iter().any(|day| keepable(*day, today)) {
        return trained_on_days(db, version, days, working_age, only).await;
    }
    // Read before computing: a bump committed meanwhile makes what is kept stale at once.
    let epochs = Epochs::read(db).await?;
    let Some(token) = epochs.token.clone() else {
        return trained_on_days(db, version, days, working_age, only).await;
    };
    let mut only_sorted = only.map(<[Uuid]>::to_vec);
    if let Some(units) = only_sorted.as_mut() {
        units.sort_unstable();
    }
    let key = PointKey {
        token,
        version,
        rule: format!("{working_age:?}"),
        day: today,
        only: only_sorted,
    };
    let mut out = kept_points(&key, &epochs, days);
    if out.iter().all(Option::is_some) {
        return Ok(out.into_iter().map(Option::unwrap_or_default).collect());
    }
    // Past points are computed by one task at a time, which finishes and keeps them even
    // if the request that started it is gone: dashboards opened meanwhile wait, then find
    // them kept. (Before, under load, every dashboard read the last year's completions at
    // once, each gave up after 10 s and dropped its work, and nothing was ever kept.)
    let guard = Arc::clone(&COMPUTING).lock_owned().await;
    out = kept_points(&key, &epochs, days);
    let missing: Vec<NaiveDate> = days
        .iter()
        .zip(&out)
        .filter(|(_, found)| found.is_none())
        .map(|(day, _)| *day)
        .collect();
    if !missing.is_empty() {
        let (db, rule) = (db.clone(), working_age.clone());
        let (key, only) = (key.clone(), only.map(<[Uuid]>::to_vec));
        let stamps: Vec<i64> = missing.iter().map(|day| epochs.up_to(*day)).collect();
        let task = tokio::spawn(async move {
            let _one_at_a_time = guard;
            let computed = trained_on_days(&db, version, &missing, &rule, only.as_deref()).await?;
            let mut kept = POINTS
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            if kept.len() + missing.len() > MAX_POINTS {
                kept.clear();
            }
            for ((day, counts), stamp) in missing.iter().zip(&computed).zip(stamps) {
                if keepable(*day, today) {
                    let key = PointKey {
                        day: *day,
                        ..key.clone()
                    };
                    kept.insert(key, (stamp, counts.clone()));
                }
            }
            Ok::<_, DataError>(missing.into_iter().zip(computed).collect::<Vec<_>>())
        });
        let computed = task
            .await
            .map_err(|e| DataError::Db(sea_orm::DbErr::Custom(format!("trend points: {e}"))))??;
        for (day, counts) in computed {
            for (slot, _) in out
                .iter_mut()
                .zip(days)
                .filter(|(slot, d)| slot.is_none() && **d == day)
            {
                *slot = Some(counts.clone());
            }
        }
    }
    Ok(out.into_iter().map(Option::unwrap_or_default).collect())
}

/// The kept counts of each day still valid under `epochs` (`key.day` is replaced): kept
/// under the same epochs or later ones (epochs only grow).
fn kept_points(
    key: &PointKey,
    epochs: &Epochs,
    days: &[NaiveDate],
) -> Vec<Option<HashMap<Uuid, u64>>> {
    let kept = POINTS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    days.iter()
        .map(|day| {
            let key = PointKey {
                day: *day,
                ..key.clone()
            };
            // A point kept under a later stamp than ours was computed from data at least
            // as new as what this request started with: the dashboards that waited while
            // it was computed take it instead of recomputing one after another (which,
            // while last month's rosters were being corrected, queued them for seconds).
            kept.get(&key)
                .filter(|(at, _)| *at >= epochs.up_to(*day))
                .map(|(_, counts)| counts.clone())
        })
        .collect()
}

/// The epochs as read, for one request.
struct Epochs {
    token: Option<String>,
    /// (month as year × 100 + month, epoch); month 0 counts for every day.
    months: Vec<(i32, i64)>,
}

impl Epochs {
    async fn read<C: ConnectionTrait>(db: &C) -> Result<Epochs, DataError> {
        let rows = coverage_epoch::Entity::find().all(db).await?;
        Ok(Epochs {
            token: rows
                .iter()
                .find(|r| r.month == 0)
                .and_then(|r| r.token.clone()),
            months: rows.into_iter().map(|r| (r.month, r.epoch)).collect(),
        })
    }

    /// What a point for `day` depends on: epochs only grow, so the sum changes whenever
    /// one of them does.
    fn up_to(&self, day: NaiveDate) -> i64 {
        let month = month_of(day);
        self.months
            .iter()
            .filter(|(m, _)| *m <= month)
            .map(|(_, epoch)| epoch)
            .sum()
    }
}

fn month_of(day: NaiveDate) -> i32 {
    day.year() * 100 + day.month() as i32
}

/// Bumps the epoch of each month with a completion among `changed` (the rows a write
/// removed, and the rows it added, each already known to differ), for completions dated
/// before today.
pub(crate) async fn bump_if_past<C: ConnectionTrait>(
    db: &C,
    changed: impl Iterator<Item = &trained_person::Model>,
) -> Result<(), DataError> {
    let today = today_in_vietnam(Utc::now());
    let months: BTreeSet<i32> = changed
        .map(|row| row.completed_on)
        .filter(|day| bumps(*day, today))
        .map(month_of)
        .collect();
    for month in months {
        bump(db, month).await?;
    }
    Ok(())
}

/// Makes every kept point stale, on every server (after a rebuild).
pub(crate) async fn bump_all<C: ConnectionTrait>(db: &C) -> Result<(), DataError> {
    bump(db, 0).await
}

/// `epoch + 1` for `month`, creating its row at 1.
async fn bump<C: ConnectionTrait>(db: &C, month: i32) -> Result<(), DataError> {
    coverage_epoch::Entity::insert(coverage_epoch::ActiveModel {
        month: Set(month),
        token: Set(None),
        epoch: Set(1),
    })
    .on_conflict(
        OnConflict::column(coverage_epoch::Column::Month)
            .value(
                coverage_epoch::Column::Epoch,
                Expr::col((coverage_epoch::Entity, coverage_epoch::Column::Epoch)).add(1),
            )
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_are_kept_for_closed_months_and_only_earlier_months_bump() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).expect("date");
        assert!(keepable(d(10, 31), d(11, 27)));
        assert!(
            !keepable(d(11, 25), d(11, 27)),
            "this month is still being written"
        );
        assert!(
            !keepable(d(10, 31), d(11, 2)),
            "two days' margin after a month's end"
        );
        assert!(keepable(d(10, 31), d(11, 3)));
        assert!(bumps(d(10, 31), d(11, 1)));
        assert!(!bumps(d(11, 1), d(11, 27)), "this month's sessions");
        // A write that bumps nothing never touches a day a reader keeps.
        for today in [d(11, 1), d(11, 2), d(11, 3), d(11, 27), d(11, 30)] {
            for reader_day in [
                today,
                today.pred_opt().expect("day"),
                today.succ_opt().expect("day"),
            ] {
                for completion in (0..40).filter_map(|n| d(10, 1).checked_add_days(Days::new(n))) {
                    for kept in (0..40).filter_map(|n| d(10, 1).checked_add_days(Days::new(n))) {
                        if !bumps(completion, today) && keepable(kept, reader_day) {
                            assert!(
                                kept < completion,
                                "{completion} {kept} {today} {reader_day}"
                            );
                        }
                    }
                }
            }
        }
    }
}
