//! The indicator: the province table with its trend, a commune's page, and the
//! denominators. Counts are not personal data, so every signed-in role reads them; the
//! names of people still missing modules go only to their own commune's team.

pub use kynangso_domain::coverage::ReportQuery;
use kynangso_domain::coverage::{CommuneReport, ProvinceReport, TrendPoint};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::AppError;

/// The province dashboard: the table, the province's trend, and the rules a reader can
/// switch to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProvinceDashboard {
    pub report: ProvinceReport,
    pub trend: Vec<TrendPoint>,
    /// (code, name) of every working-age rule.
    pub rules: Vec<(String, String)>,
}

/// `None` when no curriculum or working-age rule exists yet (the page says so). The
/// arguments are those of [`ReportQuery`], flat so that each may be left out.
#[server(endpoint = "coverage/province")]
pub async fn read_province_coverage(
    ngay: Option<String>,
    quy_tac: Option<String>,
    chuong_trinh: Option<String>,
) -> Result<Option<ProvinceDashboard>, AppError> {
    use crate::server::{auth::require_caller, db};
    require_caller().await?;
    let query = ReportQuery {
        on: ngay,
        rule: quy_tac,
        curriculum: chuong_trinh,
    };
    let db = db()?;
    let Some(resolved) = resolve(&db, &query).await? else {
        return Ok(None);
    };
    let (report, trend) = kynangso_data::coverage::province_dashboard(&db, &resolved, 12).await?;
    let rules = kynangso_data::coverage::population::rules(&db).await?;
    Ok(Some(ProvinceDashboard {
        report,
        trend,
        rules,
    }))
}

/// One commune's page. 404 for a code that is not a commune or ward on the date.
#[server(endpoint = "coverage/commune")]
pub async fn read_commune_coverage(
    code: String,
    ngay: Option<String>,
    quy_tac: Option<String>,
    chuong_trinh: Option<String>,
) -> Result<Option<CommuneReport>, AppError> {
    use crate::server::{auth::require_caller, db};
    let caller = require_caller().await?;
    let query = ReportQuery {
        on: ngay,
        rule: quy_tac,
        curriculum: chuong_trinh,
    };
    let db = db()?;
    let Some(resolved) = resolve(&db, &query).await? else {
        return Ok(None);
    };
    kynangso_data::coverage::commune::commune_report(&db, &caller, code.trim(), &resolved)
        .await
        .map(Some)
        .map_err(AppError::from)
}

/// Sets a working-age population figure (province administrators only).
#[server(endpoint = "coverage/set-population")]
pub async fn set_population(
    unit_code: String,
    year: String,
    population: String,
    source: String,
    rule_code: String,
) -> Result<(), AppError> {
    use crate::server::{auth::require_caller, db};
    use kynangso_data::coverage::population::PopulationEntry;
    let caller = require_caller().await?;
    let year: i32 = year
        .trim()
        .parse()
        .map_err(|_| AppError::invalid("year", "Năm phải là số, ví dụ 2026."))?;
    // "14.820" and "14 820" are how people write numbers here.
    let digits: String = population
        .chars()
        .filter(|c| !matches!(c, '.' | ' ' | '\u{a0}'))
        .collect();
    let population: i64 = digits
        .parse()
        .map_err(|_| AppError::invalid("population", "Dân số phải là số nguyên, ví dụ 14.820."))?;
    kynangso_data::coverage::population::set_population(
        &db()?,
        &caller,
        PopulationEntry {
            unit_code,
            year,
            population,
            source,
            rule_code,
        },
    )
    .await
    .map_err(AppError::from)
}

/// The report's query resolved against today in Vietnam.
#[cfg(feature = "ssr")]
async fn resolve(
    db: &kynangso_data::DatabaseConnection,
    query: &ReportQuery,
) -> Result<Option<kynangso_data::coverage::Resolved>, AppError> {
    let today = kynangso_domain::format::today_in_vietnam(chrono::Utc::now());
    Ok(kynangso_data::coverage::resolve_query(db, query, today).await?)
}
