//! Importing and exporting the old → new mapping of a reform: which new unit absorbed
//! which old one, wholly (`full`) or in part (`partial`, an old commune split between two
//! new ones). Coverage rolls records made under old units up to the new ones with it, so
//! the 294 links of the 2025 reform in Đắk Lắk are loaded from a file, not typed.
//!
//! Codes are reused across reforms (the new Xã Hòa Phú has old Xã Hòa Khánh's code
//! 24175), so an old code names the unit valid the day before the link takes effect and
//! a new code the unit valid on that day; never the code alone. Importing the same file
//! again finds every link already there. The dry run makes the same plan and stops before
//! writing.
//!
//! `read` turns the file into links between codes; `plan` resolves the codes to the
//! units valid on each side of the link's date and writes what is new or changed.

mod plan;
mod read;

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait, TransactionTrait};
use serde_json::json;
use uuid::Uuid;

use self::plan::{apply, plan};
use self::read::read_links;
use super::units::UnitIndex;
use super::{ImportError, Mode, Report, Source};
use crate::entities::unit_succession;
use crate::{DataError, audit};

/// What the file does not say itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuccessionOptions {
    /// The day the links take effect when a row has no date of its own.
    pub effective: NaiveDate,
    /// The resolution, for rows without one (e.g. "Nghị quyết 1660/NQ-UBTVQH15").
    pub legal_basis: Option<String>,
}

/// The columns [`export_successions`] writes, which the import reads back.
pub const SUCCESSION_HEADERS: [&str; 7] = [
    "Mã xã cũ",
    "Tên xã cũ",
    "Mã xã mới",
    "Tên xã mới",
    "Phạm vi",
    "Ngày hiệu lực",
    "Căn cứ",
];

/// Reads a mapping file and records each link (see the module documentation).
pub async fn import_successions(
    db: &DatabaseConnection,
    actor: Option<Uuid>,
    source: Source,
    options: &SuccessionOptions,
    mode: Mode,
) -> Result<Report, ImportError> {
    let mut report = Report::default();
    let (columns_of_links, links) = read_links(source, options, &mut report).await?;
    let txn = db.begin().await?;
    let index = UnitIndex::read(&txn).await?;
    let existing = unit_succession::Entity::find().all(&txn).await?;
    let plan = plan(&index, existing, links, &columns_of_links, &mut report);
    if mode == Mode::Apply {
        apply(&txn, &plan).await?;
        audit::record(
            &txn,
            audit::AuditEntry {
                actor_user_id: actor,
                action: "import",
                entity: "unit_succession",
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

/// Every link into or out of the province's units, in [`SUCCESSION_HEADERS`]' columns,
/// by new code then old code.
pub async fn export_successions(
    db: &impl ConnectionTrait,
    province_code: &str,
) -> Result<Vec<[String; 7]>, DataError> {
    let index = UnitIndex::read(db).await?;
    let links = unit_succession::Entity::find().all(db).await?;
    let in_province = |id| index.province_code_of(id) == Some(province_code);
    let mut rows: Vec<[String; 7]> = links
        .into_iter()
        .filter(|l| in_province(l.successor_id) || in_province(l.predecessor_id))
        .filter_map(|l| {
            let old = index.get(l.predecessor_id)?;
            let new = index.get(l.successor_id)?;
            Some([
                old.code.clone(),
                old.name.clone(),
                new.code.clone(),
                new.name.clone(),
                coverage_vi(&l.coverage).to_owned(),
                l.effective_date.format("%d/%m/%Y").to_string(),
                l.legal_basis.unwrap_or_default(),
            ])
        })
        .collect();
    rows.sort_by(|a, b| (&a[2], &a[0], &a[5]).cmp(&(&b[2], &b[0], &b[5])));
    Ok(rows)
}

fn coverage_vi(coverage: &str) -> &'static str {
    if coverage == "partial" {
        "một phần"
    } else {
        "toàn bộ"
    }
}
