//! Importing and exporting the statistics office's unit lists ("Danh mục đơn vị hành
//! chính"), so that a province loads its communes from the file it already has instead of
//! typing them, and follows each reform by importing the new list.
//!
//! Why it works the way it does:
//! - Units are history. Records name the unit that existed on their date and codes are
//!   reused (the new Xã Hòa Phú has old Xã Hòa Khánh's code 24175), so a list is applied
//!   *as of an effective date*: it is compared with the units valid on that date, units it
//!   no longer has are closed the day before, and nothing is ever deleted (participants,
//!   villages and successions point at units).
//! - A reorganisation (1 July 2025: districts abolished, communes merged) replaces every
//!   unit: the old rows are closed and every listed unit starts as a new row, even where a
//!   code is reused, so that old records keep naming the old unit.
//! - The two GSO layouts (and the header-less copies of one of them that circulate) are
//!   recognised from the first row; codes are text, and codes an Excel file turned into
//!   numbers get their leading zeros back.
//! - The file is read first; then the plan (what to insert, change and close) is made
//!   and written in one transaction. The dry run makes the same plan and stops there, so
//!   the preview is what happens.

mod index;
mod layout;
mod plan;

use chrono::NaiveDate;
use kynangso_domain::UnitKind;
use sea_orm::{ConnectionTrait, DatabaseConnection, TransactionTrait};
use serde_json::json;
use uuid::Uuid;

use super::{ImportError, Mode, Report, Source};
use crate::{DataError, audit};
use index::{is_district_level, province_row};
use layout::{pad_code, read_list};
use plan::{apply, plan};

// The successions and population imports compare their files with the same units.
pub(crate) use index::{UnitIndex, is_commune_level, is_valid_on};
pub(crate) use plan::day_before;

/// How to apply a unit list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitListOptions {
    /// The province whose rows are taken ("66"); other provinces' rows are skipped.
    pub province_code: String,
    /// The day the list takes effect.
    pub effective: NaiveDate,
    /// Replace every unit of the province (a reform). `None`: decide from the file: a
    /// list without districts that meets a province that still has districts.
    pub reorganisation: Option<bool>,
}

/// The columns of GSO's "tỉnh kèm quận huyện, phường xã" export, in its order; the
/// export writes these.
pub const UNIT_LIST_HEADERS: [&str; 8] = [
    "Tỉnh Thành Phố",
    "Mã TP",
    "Quận Huyện",
    "Mã QH",
    "Phường Xã",
    "Mã PX",
    "Cấp",
    "Tên Tiếng Anh",
];

/// Reads a unit list and applies it to `options.province_code` as of
/// `options.effective` (see the module documentation). Counts are of units: a district
/// is counted once, however many communes name it.
pub async fn import_units(
    db: &DatabaseConnection,
    actor: Option<Uuid>,
    source: Source,
    options: &UnitListOptions,
    mode: Mode,
) -> Result<Report, ImportError> {
    let province = pad_code(options.province_code.trim(), 2)
        .map(|(code, _)| code)
        .ok_or_else(|| ImportError::Layout("Mã tỉnh phải gồm 2 chữ số.".to_owned()))?;
    let mut report = Report::default();
    let list = read_list(source, &province, &mut report).await?;
    let txn = db.begin().await?;
    let index = UnitIndex::read(&txn).await?;
    let plan = plan(
        &index,
        &list,
        &province,
        options.effective,
        options.reorganisation,
        &mut report,
    );
    if mode == Mode::Apply {
        apply(&txn, &plan, options.effective).await?;
        let mut after = serde_json::to_value(&report.counts).unwrap_or_default();
        after["effective_date"] = json!(options.effective);
        after["reorganisation"] = json!(plan.reorganise);
        audit::record(
            &txn,
            audit::AuditEntry {
                actor_user_id: actor,
                action: "import",
                entity: "admin_unit",
                entity_id: Some(province.clone()),
                scope_unit_id: Some(plan.province_id),
                after: Some(after),
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

/// The commune-level units of a province valid on `on`, in GSO's "tỉnh kèm quận huyện,
/// phường xã" layout ([`UNIT_LIST_HEADERS`]), by code: the file [`import_units`] reads
/// back unchanged.
pub async fn export_units(
    db: &impl ConnectionTrait,
    province_code: &str,
    on: NaiveDate,
) -> Result<Vec<[String; 8]>, DataError> {
    let index = UnitIndex::read(db).await?;
    let province_name = province_row(&index, province_code, on)
        .map(|p| p.name.clone())
        .unwrap_or_default();
    let mut rows: Vec<[String; 8]> = index
        .units
        .iter()
        .filter(|u| is_commune_level(u) && is_valid_on(u, on))
        .filter(|u| index.province_code_of(u.id) == Some(province_code))
        .map(|u| {
            let district = u
                .parent_id
                .and_then(|p| index.get(p))
                .filter(|d| is_district_level(d));
            [
                province_name.clone(),
                province_code.to_owned(),
                district.map(|d| d.name.clone()).unwrap_or_default(),
                district.map(|d| d.code.clone()).unwrap_or_default(),
                u.name.clone(),
                u.code.clone(),
                UnitKind::parse(&u.kind)
                    .map_or("", UnitKind::label_vi)
                    .to_owned(),
                u.name_en.clone().unwrap_or_default(),
            ]
        })
        .collect();
    rows.sort_by(|a, b| a[5].cmp(&b[5]));
    Ok(rows)
}
