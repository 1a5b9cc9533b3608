//! Reading a mapping file: the columns found from the header row (the statistics
//! office's English headers or the export's own), and each row parsed into a link between
//! an old and a new code, with its coverage, date and legal basis, or an issue. Nothing
//! here looks at the units recorded.

use chrono::NaiveDate;
use kynangso_domain::import::{header_key, parse_date_cell};

use super::SuccessionOptions;
use crate::import::{FileProblem, ImportError, Report, Row, Source, table};

const OLD_CODE: &[&str] = &["old code", "ma cu", "ma xa cu", "ma dvhc cu"];
const NEW_CODE: &[&str] = &["new code", "ma moi", "ma xa moi", "ma dvhc moi"];
const COVERAGE: &[&str] = &["coverage", "pham vi"];
const DATE: &[&str] = &["effective date", "ngay hieu luc"];
const BASIS: &[&str] = &["legal basis", "can cu", "can cu phap ly"];
const MAX_BASIS_CHARS: usize = 300;

/// Which column holds what, with the file's own headers for messages.
pub(super) struct Columns {
    pub(super) headers: Vec<String>,
    pub(super) old: usize,
    pub(super) new: usize,
    pub(super) coverage: Option<usize>,
    pub(super) date: Option<usize>,
    pub(super) basis: Option<usize>,
}

impl Columns {
    pub(super) fn from_header(row: &Row) -> Result<Columns, ImportError> {
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

    pub(super) fn header(&self, index: usize) -> &str {
        self.headers.get(index).map_or("", String::as_str)
    }
}

/// One link as the file gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Link {
    pub(super) row: u64,
    pub(super) old: String,
    pub(super) new: String,
    pub(super) coverage: &'static str,
    pub(super) date: NaiveDate,
    pub(super) basis: Option<String>,
}

pub(super) async fn read_links(
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

pub(super) fn parse<'c>(
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
pub(super) fn code<'c>(
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::successions::SUCCESSION_HEADERS;

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
