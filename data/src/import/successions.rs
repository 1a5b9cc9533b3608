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

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use kynangso_domain::import::{header_key, parse_date_cell};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::{Set, Unchanged},
    ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use super::units::{UnitIndex, day_before};
use super::{FileProblem, ImportError, Mode, Report, Row, Source, table};
use crate::entities::{admin_unit, unit_succession};
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

const OLD_CODE: &[&str] = &["old code", "ma cu", "ma xa cu", "ma dvhc cu"];
const NEW_CODE: &[&str] = &["new code", "ma moi", "ma xa moi", "ma dvhc moi"];
const COVERAGE: &[&str] = &["coverage", "pham vi"];
const DATE: &[&str] = &["effective date", "ngay hieu luc"];
const BASIS: &[&str] = &["legal basis", "can cu", "can cu phap ly"];
const MAX_BASIS_CHARS: usize = 300;

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

// ---------------------------------------------------------------------------------------
// Reading the file

/// Which column holds what, with the file's own headers for messages.
struct Columns {
    headers: Vec<String>,
    old: usize,
    new: usize,
    coverage: Option<usize>,
    date: Option<usize>,
    basis: Option<usize>,
}

impl Columns {
    fn from_header(row: &Row) -> Result<Columns, ImportError> {
        let keys: Vec<String> = row.cells.iter().map(|c| header_key(c)).collect();
        let find = |aliases: &[&str]| keys.iter().position(|k| aliases.contains(&k.as_str()));
        match (find(OLD_CODE), find(NEW_CODE)) {
            (Some(old), Some(new)) => Ok(Columns {
                headers: row.cells.clone(),
                old,
                new,
                coverage: find(COVERAGE),
                date: find(DATE),
                basis: find(BASIS),
            }),
            (old, new) => {
                let missing: Vec<&str> =
                    [(old, "Mã xã cũ (old_code)"), (new, "Mã xã mới (new_code)")]
                        .into_iter()
                        .filter(|(found, _)| found.is_none())
                        .map(|(_, label)| label)
                        .collect();
                Err(ImportError::Layout(format!(
                    "Tệp không phải bảng sắp xếp đơn vị hành chính: thiếu cột {}. Tệp cần các cột \
                     Mã xã cũ, Mã xã mới và có thể có Phạm vi (toàn bộ/một phần), Ngày hiệu lực, Căn cứ.",
                    missing.join(", ")
                )))
            }
        }
    }

    fn header(&self, index: usize) -> &str {
        self.headers.get(index).map_or("", String::as_str)
    }
}

/// One link as the file gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Link {
    row: u64,
    old: String,
    new: String,
    coverage: &'static str,
    date: NaiveDate,
    basis: Option<String>,
}

async fn read_links(
    source: Source,
    options: &SuccessionOptions,
    report: &mut Report,
) -> Result<(Columns, Vec<Link>), ImportError> {
    let mut rows = table::open(source);
    let header = rows.next().await.ok_or(FileProblem::Empty)??;
    let columns = Columns::from_header(&header)?;
    let mut links = Vec::new();
    while let Some(row) = rows.next().await {
        let row = row?;
        report.counts.rows += 1;
        match parse(&row, &columns, options, report) {
            Ok(link) => links.push(link),
            Err((column, message)) => {
                report.error(row.number, column, message);
                report.counts.rejected += 1;
            }
        }
    }
    if report.counts.rows == 0 {
        return Err(ImportError::Layout(
            "Tệp chỉ có dòng tiêu đề, không có dòng dữ liệu nào.".to_owned(),
        ));
    }
    Ok((columns, links))
}

fn parse<'c>(
    row: &Row,
    c: &'c Columns,
    options: &SuccessionOptions,
    report: &mut Report,
) -> Result<Link, (&'c str, String)> {
    let old = code(row, c.old, c, report)?;
    let new = code(row, c.new, c, report)?;
    let coverage = match c.coverage.map(|i| header_key(row.cell(i))).as_deref() {
        None | Some("" | "full" | "toan bo" | "toan phan") => "full",
        Some("partial" | "mot phan") => "partial",
        Some(_) => {
            let column = c.header(c.coverage.unwrap_or_default());
            return Err((
                column,
                "Phạm vi ghi \"toàn bộ\" hoặc \"một phần\" (full/partial).".to_owned(),
            ));
        }
    };
    let date = match c.date.map(|i| row.cell(i)).filter(|d| !d.is_empty()) {
        None => options.effective,
        Some(text) => parse_date_cell(text).ok_or_else(|| {
            let column = c.header(c.date.unwrap_or_default());
            (
                column,
                "Ngày hiệu lực không đọc được; ghi theo dạng 01/07/2025.".to_owned(),
            )
        })?,
    };
    let basis = c
        .basis
        .map(|i| row.cell(i).to_owned())
        .filter(|b| !b.is_empty())
        .or_else(|| options.legal_basis.clone().filter(|b| !b.trim().is_empty()));
    if basis
        .as_ref()
        .is_some_and(|b| b.chars().count() > MAX_BASIS_CHARS)
    {
        let column = c.header(c.basis.unwrap_or_default());
        return Err((
            column,
            format!("Căn cứ quá dài (tối đa {MAX_BASIS_CHARS} ký tự)."),
        ));
    }
    Ok(Link {
        row: row.number,
        old,
        new,
        coverage,
        date,
        basis: basis.map(|b| b.trim().to_owned()),
    })
}

/// A commune code as 5 digits of text (zeros an Excel number lost put back, with a
/// warning).
fn code<'c>(
    row: &Row,
    index: usize,
    c: &'c Columns,
    report: &mut Report,
) -> Result<String, (&'c str, String)> {
    let text = row.cell(index);
    let column = c.header(index);
    if text.is_empty() || text.len() > 5 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err((column, "Mã xã phải gồm 5 chữ số.".to_owned()));
    }
    let padded = format!("{text:0>5}");
    if padded != text {
        report.warning(
            row.number,
            column,
            format!("Mã được lưu như một số; đã thêm số 0 ở đầu thành {padded}."),
        );
    }
    Ok(padded)
}

// ---------------------------------------------------------------------------------------
// The plan

#[derive(Debug, Default)]
struct Plan {
    new: Vec<unit_succession::Model>,
    changed: Vec<unit_succession::Model>,
}

fn plan(
    index: &UnitIndex,
    existing: Vec<unit_succession::Model>,
    links: Vec<Link>,
    columns: &Columns,
    report: &mut Report,
) -> Plan {
    let mut existing: HashMap<(Uuid, Uuid), unit_succession::Model> = existing
        .into_iter()
        .map(|s| ((s.predecessor_id, s.successor_id), s))
        .collect();
    let mut seen: HashMap<(Uuid, Uuid), u64> = HashMap::new();
    let mut plan = Plan::default();
    for link in links {
        let (old, new) = match resolve(index, &link) {
            Ok(pair) => pair,
            Err((column, message)) => {
                let column = columns.header(if column == Side::Old {
                    columns.old
                } else {
                    columns.new
                });
                report.error(link.row, column, message);
                report.counts.rejected += 1;
                continue;
            }
        };
        let key = (old.id, new.id);
        if let Some(earlier) = seen.insert(key, link.row) {
            let message = format!(
                "Liên kết {} → {} đã có ở dòng {earlier}.",
                link.old, link.new
            );
            report.error(link.row, columns.header(columns.new), message);
            report.counts.rejected += 1;
            continue;
        }
        match existing.remove(&key) {
            Some(before) => {
                let after = unit_succession::Model {
                    coverage: link.coverage.to_owned(),
                    effective_date: link.date,
                    // Without a basis in the file or the options, the recorded one stays.
                    legal_basis: link.basis.or_else(|| before.legal_basis.clone()),
                    ..before.clone()
                };
                if after == before {
                    report.counts.unchanged += 1;
                } else {
                    report.counts.updated += 1;
                    plan.changed.push(after);
                }
            }
            None => {
                report.counts.new += 1;
                plan.new.push(unit_succession::Model {
                    id: kynangso_domain::new_id(),
                    predecessor_id: old.id,
                    successor_id: new.id,
                    coverage: link.coverage.to_owned(),
                    effective_date: link.date,
                    legal_basis: link.basis,
                    created_at: Utc::now(),
                });
            }
        }
    }
    plan
}

/// Which code of a link a problem is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Old,
    New,
}

/// The old unit (valid the day before the link) and the new one (valid on its day).
fn resolve<'i>(
    index: &'i UnitIndex,
    link: &Link,
) -> Result<(&'i admin_unit::Model, &'i admin_unit::Model), (Side, String)> {
    let before = day_before(link.date);
    let old = index.valid_on(&link.old, before).ok_or_else(|| {
        (Side::Old, format!(
            "Không có đơn vị mã {} vào ngày {} (trước ngày hiệu lực); hãy nhập danh mục cũ trước.",
            link.old,
            before.format("%d/%m/%Y")
        ))
    })?;
    let new = index.valid_on(&link.new, link.date).ok_or_else(|| {
        (
            Side::New,
            format!(
                "Không có đơn vị mã {} vào ngày {}; hãy nhập danh mục mới trước.",
                link.new,
                link.date.format("%d/%m/%Y")
            ),
        )
    })?;
    if old.id == new.id {
        return Err((
            Side::New,
            format!(
                "Mã {} trước và sau ngày {} là cùng một đơn vị: chưa nhập danh mục mới với sắp xếp lại?",
                link.old,
                link.date.format("%d/%m/%Y")
            ),
        ));
    }
    Ok((old, new))
}

async fn apply<C: ConnectionTrait>(db: &C, plan: &Plan) -> Result<(), DbErr> {
    for chunk in plan.new.chunks(500) {
        unit_succession::Entity::insert_many(chunk.iter().map(|s| unit_succession::ActiveModel {
            id: Set(s.id),
            predecessor_id: Set(s.predecessor_id),
            successor_id: Set(s.successor_id),
            coverage: Set(s.coverage.clone()),
            effective_date: Set(s.effective_date),
            legal_basis: Set(s.legal_basis.clone()),
            created_at: Set(s.created_at),
        }))
        .exec_without_returning(db)
        .await?;
    }
    for link in &plan.changed {
        unit_succession::ActiveModel {
            id: Unchanged(link.id),
            coverage: Set(link.coverage.clone()),
            effective_date: Set(link.effective_date),
            legal_basis: Set(link.legal_basis.clone()),
            ..Default::default()
        }
        .update(db)
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(number: u64, cells: &[&str]) -> Row {
        Row {
            number,
            cells: cells.iter().map(|c| (*c).to_owned()).collect(),
        }
    }

    fn options() -> SuccessionOptions {
        SuccessionOptions {
            effective: NaiveDate::from_ymd_opt(2025, 7, 1).expect("date"),
            legal_basis: Some("Nghị quyết 1660/NQ-UBTVQH15".to_owned()),
        }
    }

    #[test]
    fn the_real_files_headers_and_the_exports_headers_are_recognised() {
        let real = row(
            1,
            &[
                "new_code",
                "new_name",
                "old_code",
                "old_name",
                "old_level",
                "coverage",
                "effective_date",
            ],
        );
        let c = Columns::from_header(&real).expect("columns");
        assert_eq!(
            (c.old, c.new, c.coverage, c.date, c.basis),
            (2, 0, Some(5), Some(6), None)
        );
        let own = Columns::from_header(&row(1, &SUCCESSION_HEADERS)).expect("columns");
        assert_eq!(
            (own.old, own.new, own.coverage, own.date, own.basis),
            (0, 2, Some(4), Some(5), Some(6))
        );
        let Err(ImportError::Layout(message)) = Columns::from_header(&row(1, &["Mã", "Tên"]))
        else {
            panic!("not a mapping");
        };
        assert!(
            message.contains("Mã xã cũ (old_code), Mã xã mới (new_code)"),
            "{message}"
        );
    }

    #[test]
    fn rows_read_coverage_dates_and_basis_with_defaults() {
        let c = Columns::from_header(&row(1, &SUCCESSION_HEADERS)).expect("columns");
        let mut report = Report::default();
        let link = parse(
            &row(
                2,
                &[
                    "24172",
                    "Xã Hòa Phú",
                    "24175",
                    "Xã Hòa Phú",
                    "Một phần",
                    "2025-07-01",
                    "",
                ],
            ),
            &c,
            &options(),
            &mut report,
        )
        .expect("a link");
        assert_eq!(link.coverage, "partial");
        assert_eq!(link.basis.as_deref(), Some("Nghị quyết 1660/NQ-UBTVQH15"));
        let link = parse(
            &row(3, &["4172", "", "24175", "", "", "", "NQ 1"]),
            &c,
            &options(),
            &mut report,
        )
        .expect("a link");
        assert_eq!(
            (link.old.as_str(), link.coverage, link.date),
            ("04172", "full", options().effective)
        );
        assert_eq!(link.basis.as_deref(), Some("NQ 1"));
        assert_eq!(report.issues.len(), 1, "the padded code is a warning");
        assert!(report.issues[0].warning);
        let bad = |cells: &[&str]| {
            parse(&row(4, cells), &c, &options(), &mut Report::default()).expect_err("refused")
        };
        assert_eq!(bad(&["24172", "", "24175", "", "nửa", "", ""]).0, "Phạm vi");
        assert_eq!(
            bad(&["24172", "", "24175", "", "", "31/02/2025", ""]).0,
            "Ngày hiệu lực"
        );
        assert_eq!(bad(&["2417a", "", "24175", "", "", "", ""]).0, "Mã xã cũ");
        assert_eq!(bad(&["24172", "", "", "", "", "", ""]).0, "Mã xã mới");
    }
}
