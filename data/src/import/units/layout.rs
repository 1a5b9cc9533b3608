//! Reading a unit list's rows: which of the two GSO layouts the file is (or a copy of one
//! that lost its header row) is [`header`]'s; here, codes back to text of the right width,
//! the units' kinds from the "Cấp" column and the district names. It only reads and
//! checks the file; comparing the result with the database is the work of
//! [`mod@super::plan`], so a file's problems are all found before anything is decided.

mod header;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, HashSet};

use kynangso_domain::UnitKind;
use kynangso_domain::import::header_key;

use self::header::{
    BY_POSITION, Columns, DISTRICT_CODE, DISTRICT_NAME, LEVEL, PROVINCE_CODE, columns_from_header,
    is_headerless,
};
use crate::import::{FileProblem, ImportError, Report, Row, Source, table};

/// A code as text of `width` digits. A spreadsheet that stored it as a number lost its
/// leading zeros; they are put back (`true`: the caller warns).
pub(super) fn pad_code(text: &str, width: usize) -> Option<(String, bool)> {
    if text.is_empty() || text.len() > width || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((format!("{text:0>width$}"), text.len() < width))
}

fn commune_kind(level: &str) -> Option<UnitKind> {
    match header_key(level).as_str() {
        "xa" => Some(UnitKind::Commune),
        "phuong" => Some(UnitKind::Ward),
        "thi tran" => Some(UnitKind::Township),
        _ => None,
    }
}

/// A district's kind from its name ("Huyện Lắk", "Thị Xã Buôn Hồ", "Thành phố Buôn Ma
/// Thuột"); GSO's lists have no column for it.
fn district_kind(name: &str) -> Option<UnitKind> {
    let key = header_key(name);
    [
        ("huyen ", UnitKind::District),
        ("quan ", UnitKind::District),
        ("thi xa ", UnitKind::Town),
        ("thanh pho ", UnitKind::City),
    ]
    .into_iter()
    .find(|(prefix, _)| key.starts_with(prefix))
    .map(|(_, kind)| kind)
}

/// A commune-level unit as the list gives it.
#[derive(Debug, Clone)]
pub(super) struct Listed {
    row: u64,
    pub(super) name: String,
    pub(super) name_en: Option<String>,
    pub(super) kind: UnitKind,
    /// The district's code; `None` in a two-tier list.
    pub(super) district: Option<String>,
}

#[derive(Debug, Clone)]
pub(super) struct ListedDistrict {
    pub(super) name: String,
    pub(super) kind: UnitKind,
}

/// Why a row is left out: the column and the message, and its code when that was
/// readable (such a unit is not closed for being "missing").
struct Rejected {
    column: &'static str,
    message: String,
    code: Option<String>,
}

/// The province's rows of a file, read and checked.
#[derive(Debug, Default)]
pub(super) struct List {
    pub(super) province_name: Option<String>,
    pub(super) districts: BTreeMap<String, ListedDistrict>,
    pub(super) communes: BTreeMap<String, Listed>,
    /// Codes of rows left out with an error: their units are not closed.
    pub(super) rejected_codes: HashSet<String>,
    /// A row of the province was left out without a readable code: close nothing.
    pub(super) unreadable: bool,
}

pub(super) async fn read_list(
    source: Source,
    province: &str,
    report: &mut Report,
) -> Result<List, ImportError> {
    let mut rows = table::open(source);
    let first = rows.next().await.ok_or(FileProblem::Empty)??;
    let (columns, first_is_data) = if is_headerless(&first) {
        (BY_POSITION, true)
    } else {
        (columns_from_header(&first)?, false)
    };
    let mut list = List::default();
    if first_is_data {
        list.take(&first, &columns, province, report);
    }
    while let Some(row) = rows.next().await {
        list.take(&row?, &columns, province, report);
    }
    if list.communes.is_empty() && report.counts.rejected == 0 {
        return Err(ImportError::Layout(format!(
            "Tệp không có dòng nào của tỉnh mã {province} (cột {PROVINCE_CODE})."
        )));
    }
    Ok(list)
}

impl List {
    /// Takes one data row: the province's rows are checked and kept, other rows counted
    /// as skipped.
    fn take(&mut self, row: &Row, columns: &Columns, province: &str, report: &mut Report) {
        report.counts.rows += 1;
        let ours = pad_code(row.cell(columns.province_code), 2).is_some_and(|(c, _)| c == province);
        // Island districts have no communes: a row without a commune is nothing to import.
        let no_commune = row.cell(columns.code).is_empty() && row.cell(columns.name).is_empty();
        if !ours || no_commune {
            report.counts.skipped += 1;
            return;
        }
        if self.province_name.is_none() {
            self.province_name = columns
                .province_name
                .map(|i| row.cell(i).to_owned())
                .filter(|n| !n.is_empty());
        }
        match self.parse(row, columns, report) {
            Ok(()) => {}
            Err(rejected) => {
                report.error(row.number, rejected.column, rejected.message);
                report.counts.rejected += 1;
                match rejected.code {
                    Some(code) => {
                        self.rejected_codes.insert(code);
                    }
                    None => self.unreadable = true,
                }
            }
        }
    }

    fn parse(&mut self, row: &Row, c: &Columns, report: &mut Report) -> Result<(), Rejected> {
        let layout = c.layout;
        let reject = |column, message: &str, code: Option<&str>| Rejected {
            column,
            message: message.to_owned(),
            code: code.map(str::to_owned),
        };
        let (code, padded) = pad_code(row.cell(c.code), 5)
            .ok_or_else(|| reject(layout.code(), "Mã xã phải gồm 5 chữ số.", None))?;
        if padded {
            report.warning(
                row.number,
                layout.code(),
                format!("Mã được lưu như một số; đã thêm số 0 ở đầu thành {code}."),
            );
        }
        if let Some(earlier) = self.communes.get(&code) {
            let message = format!(
                "Mã {code} đã có ở dòng {}; dòng này bị bỏ qua.",
                earlier.row
            );
            return Err(reject(layout.code(), &message, Some(&code)));
        }
        let name = row.cell(c.name);
        if name.is_empty() {
            return Err(reject(layout.name(), "Thiếu tên xã, phường.", Some(&code)));
        }
        let kind = commune_kind(row.cell(c.level))
            .ok_or_else(|| reject(LEVEL, "Cấp phải là Xã, Phường hoặc Thị trấn.", Some(&code)))?;
        let district = self
            .district(row, c, report)
            .map_err(|(column, message)| reject(column, message, Some(&code)))?;
        let name_en = c.name_en.map(|i| row.cell(i)).filter(|n| !n.is_empty());
        self.communes.insert(
            code,
            Listed {
                row: row.number,
                name: name.to_owned(),
                name_en: name_en.map(str::to_owned),
                kind,
                district,
            },
        );
        Ok(())
    }

    /// The row's district code (noting the district when first seen); `None` when the
    /// list has no districts.
    fn district(
        &mut self,
        row: &Row,
        c: &Columns,
        report: &mut Report,
    ) -> Result<Option<String>, (&'static str, &'static str)> {
        let cell = c.district_code.map_or("", |i| row.cell(i));
        if cell.is_empty() {
            return Ok(None);
        }
        let (code, padded) =
            pad_code(cell, 3).ok_or((DISTRICT_CODE, "Mã huyện phải gồm 3 chữ số."))?;
        if self.districts.contains_key(&code) {
            return Ok(Some(code));
        }
        let name = c.district_name.map_or("", |i| row.cell(i));
        if name.is_empty() {
            return Err((DISTRICT_NAME, "Thiếu tên quận, huyện."));
        }
        if padded {
            report.warning(
                row.number,
                DISTRICT_CODE,
                format!("Mã huyện được lưu như một số; đã thêm số 0 ở đầu thành {code}."),
            );
        }
        let kind = district_kind(name).unwrap_or_else(|| {
            report.warning(
                row.number,
                DISTRICT_NAME,
                "Tên không bắt đầu bằng Huyện, Quận, Thị xã hay Thành phố; coi là huyện.",
            );
            UnitKind::District
        });
        self.districts.insert(
            code.clone(),
            ListedDistrict {
                name: name.to_owned(),
                kind,
            },
        );
        Ok(Some(code))
    }
}
