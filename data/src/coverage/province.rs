//! The province table and the trend line: what a report rests on, resolved once, then one
//! numerator query per date.

use chrono::{Datelike, Months, NaiveDate};
use kynangso_domain::coverage::{Basis, CommuneCoverage, ProvinceReport, TrendPoint};
use kynangso_domain::working_age::WorkingAgeRule;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use super::population::latest_by_unit;
use super::{TrainedCounts, trained_by_unit};
use crate::DataError;
use crate::entities::{curriculum_version, working_age_population, working_age_rule};
pub use kynangso_domain::coverage::{ReportChoice, ReportQuery};

/// A report's basis, with the rule parsed and the version's id.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub basis: Basis,
    pub rule: WorkingAgeRule,
    pub version_id: Uuid,
}

/// [`resolve`] for a query as the address carries it, checked against `today` (in
/// Vietnam): the one path of the pages, the server functions and the downloads.
pub async fn resolve_query<C: ConnectionTrait>(
    db: &C,
    query: &ReportQuery,
    today: NaiveDate,
) -> Result<Option<Resolved>, DataError> {
    let choice = query
        .choice(today)
        .map_err(|problem| DataError::InvalidField {
            field: kynangso_domain::coverage::query::DATE_KEY,
            message: problem.message,
        })?;
    resolve(db, &choice).await
}

/// The rule and version a report uses. Defaults: the rule most denominators were made
/// with (so numerator and denominator count the same people), and the latest published
/// curriculum version. `Ok(None)` when there is no curriculum or no rule yet; an unknown
/// code is a field error.
pub async fn resolve<C: ConnectionTrait>(
    db: &C,
    choice: &ReportChoice,
) -> Result<Option<Resolved>, DataError> {
    let version = match choice.curriculum_code.as_deref() {
        Some(code) => Some(
            curriculum_version::Entity::find()
                .filter(curriculum_version::Column::Code.eq(code))
                .filter(
                    curriculum_version::Column::Status
                        .ne(kynangso_domain::status::CurriculumStatus::Draft),
                )
                .one(db)
                .await?
                .ok_or_else(|| unknown("curriculum", "Không có phiên bản chương trình này."))?,
        ),
        None => crate::curriculum::current_curriculum(db)
            .await?
            .map(|(v, _)| v),
    };
    let rule = match choice.rule_code.as_deref() {
        Some(code) => Some(
            working_age_rule::Entity::find()
                .filter(working_age_rule::Column::Code.eq(code))
                .one(db)
                .await?
                .ok_or_else(|| unknown("rule", "Không có quy tắc độ tuổi này."))?,
        ),
        None => default_rule(db).await?,
    };
    let (Some(version), Some(rule)) = (version, rule) else {
        return Ok(None);
    };
    let definition: WorkingAgeRule = serde_json::from_str(&rule.definition)
        .map_err(|e| DataError::Invalid(format!("working-age rule {}: {e}", rule.code)))?;
    Ok(Some(Resolved {
        basis: Basis {
            reference_date: choice.on,
            rule_code: rule.code,
            rule_name: rule.name,
            curriculum_code: version.code,
            curriculum_name: version.name,
        },
        rule: definition,
        version_id: version.id,
    }))
}

fn unknown(field: &'static str, message: &str) -> DataError {
    DataError::InvalidField {
        field,
        message: message.to_owned(),
    }
}

async fn default_rule<C: ConnectionTrait>(
    db: &C,
) -> Result<Option<working_age_rule::Model>, DataError> {
    let rules = working_age_rule::Entity::find()
        .order_by_asc(working_age_rule::Column::CreatedAt)
        .order_by_asc(working_age_rule::Column::Code)
        .all(db)
        .await?;
    let used: Vec<Option<Uuid>> = working_age_population::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.rule_id)
        .collect();
    let uses = |id: Uuid| used.iter().filter(|r| **r == Some(id)).count();
    // The first rule among those used most (ties: the older rule).
    let best = rules.iter().map(|r| uses(r.id)).max().unwrap_or(0);
    Ok(rules.into_iter().find(|r| uses(r.id) == best))
}

/// One line per commune-level unit that exists on the reference date.
pub async fn province_report(
    db: &DatabaseConnection,
    resolved: &Resolved,
) -> Result<ProvinceReport, DataError> {
    let counts = trained_by_unit(
        db,
        resolved.version_id,
        resolved.basis.reference_date,
        &resolved.rule,
    )
    .await?;
    report_of(db, resolved, counts).await
}

/// The province table and its trend over `months` month ends, counting the reference
/// date once for both (what the province page shows).
pub async fn province_dashboard(
    db: &DatabaseConnection,
    resolved: &Resolved,
    months: u32,
) -> Result<(ProvinceReport, Vec<TrendPoint>), DataError> {
    let days = trend_days(resolved.basis.reference_date, months);
    let counts =
        super::trained_by_unit_on_days(db, resolved.version_id, &days, &resolved.rule, None)
            .await?;
    let today = counts.last().cloned().unwrap_or_default();
    let trend = points_of(db, resolved, None, days, counts).await?;
    Ok((report_of(db, resolved, today).await?, trend))
}

async fn report_of<C: ConnectionTrait>(
    db: &C,
    resolved: &Resolved,
    counts: TrainedCounts,
) -> Result<ProvinceReport, DataError> {
    let on = resolved.basis.reference_date;
    let units = crate::units::commune_level_units_on(db, on).await?;
    let populations = latest_by_unit(db, on.year()).await?;
    let mut placed = 0;
    let communes = units
        .into_iter()
        .map(|unit| {
            let trained = counts.by_unit.get(&unit.id).copied().unwrap_or(0);
            placed += trained;
            CommuneCoverage {
                code: unit.code,
                name: unit.name,
                trained,
                population: populations.get(&unit.id).cloned(),
            }
        })
        .collect();
    let all: u64 = counts.by_unit.values().sum();
    Ok(ProvinceReport {
        basis: resolved.basis.clone(),
        communes,
        // Also people recorded under a unit that no longer exists and has no successor.
        unplaced: counts.unplaced + (all - placed),
    })
}

/// The trained count at the end of each of the last `months` months (the last point is
/// the reference date itself), for one unit or (`None`) the whole province. Population:
/// the unit's figure, or for the province the sum over units that have one.
pub async fn trend(
    db: &DatabaseConnection,
    resolved: &Resolved,
    unit: Option<Uuid>,
    months: u32,
) -> Result<Vec<TrendPoint>, DataError> {
    let on = resolved.basis.reference_date;
    let days = trend_days(on, months);
    // A commune's trend reads only its own rows (and those of the units it absorbed).
    let only = match unit {
        Some(unit) => Some(
            super::Successors::in_effect(db, on)
                .await?
                .absorbed_into(unit),
        ),
        None => None,
    };
    let counts = super::trained_by_unit_on_days(
        db,
        resolved.version_id,
        &days,
        &resolved.rule,
        only.as_deref(),
    )
    .await?;
    points_of(db, resolved, unit, days, counts).await
}

/// Month ends of the `months - 1` months before the reference date's, then that date.
fn trend_days(on: NaiveDate, months: u32) -> Vec<NaiveDate> {
    (0..months)
        .rev()
        .map(|back| if back == 0 { on } else { month_end(on, back) })
        .collect()
}

async fn points_of<C: ConnectionTrait>(
    db: &C,
    resolved: &Resolved,
    unit: Option<Uuid>,
    days: Vec<NaiveDate>,
    counts: Vec<TrainedCounts>,
) -> Result<Vec<TrendPoint>, DataError> {
    let history =
        super::population::History::read(db, resolved.basis.reference_date.year()).await?;
    let mut points = Vec::new();
    for (day, counts) in days.into_iter().zip(counts) {
        let populations = history.latest(day.year());
        let (trained, population) = match unit {
            Some(unit) => (
                counts.by_unit.get(&unit).copied().unwrap_or(0),
                populations.get(&unit).map(|p| p.count),
            ),
            None => {
                // Only communes with a denominator, so the share compares like with like.
                let trained = counts
                    .by_unit
                    .iter()
                    .filter(|(u, _)| populations.contains_key(u))
                    .map(|(_, n)| n)
                    .sum();
                let population: u64 = populations.values().map(|p| p.count).sum();
                (trained, (population > 0).then_some(population))
            }
        };
        points.push(TrendPoint {
            on: day,
            trained,
            population,
        });
    }
    Ok(points)
}

/// The last day of the month `back` months before `on`'s month.
fn month_end(on: NaiveDate, back: u32) -> NaiveDate {
    let first = on.with_day(1).unwrap_or(on);
    first
        .checked_sub_months(Months::new(back))
        .and_then(|m| m.checked_add_months(Months::new(1)))
        .and_then(|m| m.pred_opt())
        .unwrap_or(on)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_ends_count_back_from_the_reference_month() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).expect("date");
        assert_eq!(month_end(d(2026, 11, 27), 1), d(2026, 10, 31));
        assert_eq!(month_end(d(2026, 3, 31), 1), d(2026, 2, 28));
        assert_eq!(month_end(d(2026, 1, 15), 11), d(2025, 2, 28));
        assert_eq!(month_end(d(2024, 3, 1), 1), d(2024, 2, 29));
    }
}
