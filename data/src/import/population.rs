//! Importing and exporting working-age population per commune and year: the
//! denominators of the coverage rates. There are no official figures per new commune
//! (DOMAIN.md), so a province loads whatever table it has, and every figure keeps the
//! source it came from.
//!
//! The rules are those of entering one figure by hand (`coverage::population::
//! set_population`): a year from 2000 to 2100, 0 to 10 000 000 people, a source of at
//! most 300 characters, one figure per unit and year (a new one replaces the old; the
//! audit log keeps the import). Codes are reused across reforms, so a code names the
//! commune-level unit that held it on 1 July of the figure's year (or, for a unit created
//! later that year, on 31 December). Numbers may carry Vietnamese thousands separators
//! ("12.345"). The dry run makes the same plan and stops before writing.
//!
//! `read` turns the file into checked figures; `plan` matches them to units and to
//! the figures recorded, and writes the plan when asked.

mod plan;
mod read;

use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait, TransactionTrait};
use serde_json::json;
use uuid::Uuid;

use self::plan::{apply, plan};
use self::read::{Defaults, read_figures};
use super::units::UnitIndex;
use super::{ImportError, Mode, Report, Source};
use crate::entities::working_age_population;
use crate::{DataError, audit};

/// What the file may not say itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PopulationOptions {
    /// The year of the figures, for files without a year column (or an empty cell).
    pub year: Option<i32>,
    /// The source, for files without a source column (or an empty cell).
    pub source_label: Option<String>,
}

/// The columns [`export_population`] writes, which the import reads back.
pub const POPULATION_HEADERS: [&str; 5] =
    ["Mã", "Tên", "Năm", "Dân số trong độ tuổi lao động", "Nguồn"];

/// One figure as exported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PopulationLine {
    pub code: String,
    pub name: String,
    pub year: i32,
    pub population: i64,
    pub source: String,
}

/// Reads a population table and records each figure (see the module documentation).
pub async fn import_population(
    db: &DatabaseConnection,
    actor: Option<Uuid>,
    source: Source,
    options: &PopulationOptions,
    mode: Mode,
) -> Result<Report, ImportError> {
    let defaults = Defaults::of(options)?;
    let mut report = Report::default();
    let (columns, figures) = read_figures(source, &defaults, &mut report).await?;
    let txn = db.begin().await?;
    let index = UnitIndex::read(&txn).await?;
    let existing = working_age_population::Entity::find().all(&txn).await?;
    let plan = plan(&index, existing, figures, &columns, actor, &mut report);
    if mode == Mode::Apply {
        apply(&txn, &plan).await?;
        audit::record(
            &txn,
            audit::AuditEntry {
                actor_user_id: actor,
                action: "import",
                entity: "working_age_population",
                after: Some(json!(report.counts)),
                ..Default::default()
            },
        )
        .await?;
        txn.commit().await?;
    }
    // File problems come while reading, unit problems while planning: show them in the
    // file's order.
    report.issues.sort_by_key(|issue| issue.row);
    Ok(report)
}

/// Every figure of the province's units, by year then code.
pub async fn export_population(
    db: &impl ConnectionTrait,
    province_code: &str,
) -> Result<Vec<PopulationLine>, DataError> {
    let index = UnitIndex::read(db).await?;
    let mut lines: Vec<PopulationLine> = working_age_population::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .filter(|p| index.province_code_of(p.unit_id) == Some(province_code))
        .filter_map(|p| {
            let unit = index.get(p.unit_id)?;
            Some(PopulationLine {
                code: unit.code.clone(),
                name: unit.name.clone(),
                year: p.year,
                population: p.population,
                source: p.source,
            })
        })
        .collect();
    lines.sort_by(|a, b| (a.year, &a.code).cmp(&(b.year, &b.code)));
    Ok(lines)
}
