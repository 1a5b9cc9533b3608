//! Reading a unit list: which of the two GSO layouts the file is (or a copy of one that
//! lost its header row), which column holds what, codes back to text of the right width,
//! the units' kinds from the "Cấp" column and the district names. It only reads and
//! checks the file; comparing the result with the database is the work of
//! [`mod@super::plan`], so a file's problems are all found before anything is decided.

use std::collections::{BTreeMap, HashSet};

use kynangso_domain::UnitKind;
use kynangso_domain::import::header_key;

use super::UNIT_LIST_HEADERS;
use crate::import::{FileProblem, ImportError, Report, Row, Source, table};

const COMMUNE_LIST_HEADERS: &str =
    "Mã, Tên, Tên Tiếng Anh, Cấp, Mã QH, Quận Huyện, Mã TP, Tỉnh / Thành Phố";
const PROVINCE_CODE: &str = "Mã TP";
const DISTRICT_CODE: &str = "Mã QH";
const DISTRICT_NAME: &str = "Quận Huyện";
const LEVEL: &str = "Cấp";

/// Which GSO export the file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layout {
    /// "Danh sách cấp tỉnh kèm theo quận huyện, phường xã": names before codes.
    WithDistricts,
    /// "Danh sách cấp xã": the commune's code and name first.
    CommuneList,
}

impl Layout {
    fn code(self) -> &'static str {
        match self {
            Layout::WithDistricts => "Mã PX",
            Layout::CommuneList => "Mã",
        }
    }

    fn name(self) -> &'static str {
        match self {
            Layout::WithDistricts => "Phường Xã",
            Layout::CommuneList => "Tên",
        }
    }
}

/// Which column holds what.
#[derive(Debug, Clone, Copy)]
struct Columns {
    layout: Layout,
    province_name: Option<usize>,
    province_code: usize,
    district_name: Option<usize>,
    district_code: Option<usize>,
    name: usize,
    code: usize,
    level: usize,
    name_en: Option<usize>,
}

/// GSO's own order, for copies that lost their header row.
const BY_POSITION: Columns = Columns {
    layout: Layout::WithDistricts,
    province_name: Some(0),
    province_code: 1,
    district_name: Some(2),
    district_code: Some(3),
    name: 4,
    code: 5,
    level: 6,
    name_en: Some(7),
};

/// A first row that is already data: a province code in column 2 and a commune code in
/// column 6 (digits, possibly without their leading zeros).
fn is_headerless(row: &Row) -> bool {
    let digits = |text: &str, lengths: std::ops::RangeInclusive<usize>| {
        lengths.contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit())
    };
    digits(row.cell(1), 1..=2) && digits(row.cell(5), 4..=5)
}

fn columns_from_header(row: &Row) -> Result<Columns, ImportError> {
    let keys: Vec<String> = row.cells.iter().map(|c| header_key(c)).collect();
    let find = |aliases: &[&str]| keys.iter().position(|k| aliases.contains(&k.as_str()));
    let layout = if find(&["ma px", "phuong xa"]).is_some() {
        Layout::WithDistricts
    } else {
        Layout::CommuneList
    };
    let (code, name) = match layout {
        Layout::WithDistricts => (find(&["ma px"]), find(&["phuong xa"])),
        Layout::CommuneList => (find(&["ma", "ma xa"]), find(&["ten", "ten xa"])),
    };
    let province_code = find(&["ma tp", "ma tinh"]);
    let level = find(&["cap"]);
    if let (Some(province_code), Some(code), Some(name), Some(level)) =
        (province_code, code, name, level)
    {
        return Ok(Columns {
            layout,
            province_name: find(&["tinh thanh pho", "tinh"]),
            province_code,
            district_name: find(&["quan huyen", "huyen"]),
            district_code: find(&["ma qh", "ma huyen"]),
            name,
            code,
            level,
            name_en: find(&["ten tieng anh"]),
        });
    }
    let missing: Vec<&str> = [
        (province_code, PROVINCE_CODE),
        (code, layout.code()),
        (name, layout.name()),
        (level, LEVEL),
    ]
    .into_iter()
    .filter(|(found, _)| found.is_none())
    .map(|(_, label)| label)
    .collect();
    Err(ImportError::Layout(format!(
        "Tệp không phải danh mục đơn vị hành chính của Tổng cục Thống kê: thiếu cột {}. \
         Tệp cần các cột {} (hoặc {}).",
        missing.join(", "),
        UNIT_LIST_HEADERS.join(", "),
        COMMUNE_LIST_HEADERS
    )))
}

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

#[cfg(test)]
mod tests {
    use super::*;

    fn row(number: u64, cells: &[&str]) -> Row {
        Row {
            number,
            cells: cells.iter().map(|c| (*c).to_owned()).collect(),
        }
    }

    #[test]
    fn codes_stay_text_and_get_their_zeros_back() {
        assert_eq!(pad_code("24175", 5), Some(("24175".to_owned(), false)));
        assert_eq!(pad_code("1", 5), Some(("00001".to_owned(), true)));
        assert_eq!(pad_code("1", 2), Some(("01".to_owned(), true)));
        assert_eq!(pad_code("241750", 5), None);
        assert_eq!(pad_code("24a75", 5), None);
        assert_eq!(pad_code("", 5), None);
    }

    #[test]
    fn kinds_come_from_the_level_and_the_district_name() {
        assert_eq!(commune_kind("Xã"), Some(UnitKind::Commune));
        assert_eq!(commune_kind("PHƯỜNG"), Some(UnitKind::Ward));
        assert_eq!(commune_kind("Thị trấn"), Some(UnitKind::Township));
        assert_eq!(commune_kind("Huyện"), None);
        assert_eq!(district_kind("Huyện Lắk"), Some(UnitKind::District));
        assert_eq!(district_kind("Quận Ba Đình"), Some(UnitKind::District));
        assert_eq!(district_kind("Thị Xã Buôn Hồ"), Some(UnitKind::Town));
        assert_eq!(
            district_kind("Thành phố Buôn Ma Thuột"),
            Some(UnitKind::City)
        );
        assert_eq!(district_kind("Buôn Ma Thuột"), None);
    }

    #[test]
    fn both_layouts_are_recognised_from_their_headers_or_the_lack_of_one() {
        let a = row(1, &UNIT_LIST_HEADERS);
        assert!(!is_headerless(&a));
        let a = columns_from_header(&a).expect("layout A");
        assert_eq!(
            (a.layout, a.code, a.name, a.province_code),
            (Layout::WithDistricts, 5, 4, 1)
        );
        let b = row(
            1,
            &[
                "Mã",
                "Tên",
                "Tên Tiếng Anh",
                "Cấp",
                "Mã QH",
                "Quận Huyện",
                "Mã TP",
                "Tỉnh / Thành Phố",
            ],
        );
        let b = columns_from_header(&b).expect("layout B");
        assert_eq!(
            (b.layout, b.code, b.name, b.district_code),
            (Layout::CommuneList, 0, 1, Some(4))
        );
        assert_eq!(b.province_name, Some(7));
        let data = row(
            1,
            &[
                "Tỉnh Đắk Lắk",
                "66",
                "Huyện Lắk",
                "656",
                "Xã Yang Tao",
                "24568",
                "Xã",
                "",
            ],
        );
        assert!(is_headerless(&data));
        let wrong = row(1, &["Họ và tên", "Mã", "Ngày sinh"]);
        let Err(ImportError::Layout(message)) = columns_from_header(&wrong) else {
            panic!("a register is not a unit list");
        };
        assert!(message.contains("thiếu cột Mã TP, Tên, Cấp"), "{message}");
    }

    #[test]
    fn rows_of_the_province_are_kept_others_skipped_and_errors_named() {
        let mut list = List::default();
        let mut report = Report::default();
        let take = |list: &mut List, report: &mut Report, n, cells: &[&str]| {
            list.take(&row(n, cells), &BY_POSITION, "66", report);
        };
        take(
            &mut list,
            &mut report,
            1,
            &[
                "Thành phố Hà Nội",
                "01",
                "Quận Ba Đình",
                "001",
                "Phường Phúc Xá",
                "00001",
                "Phường",
                "",
            ],
        );
        take(
            &mut list,
            &mut report,
            2,
            &[
                "Tỉnh Đắk Lắk",
                "66",
                "Huyện Lắk",
                "656",
                "Xã Yang Tao",
                "24568",
                "Xã",
                "",
            ],
        );
        take(
            &mut list,
            &mut report,
            3,
            &[
                "Tỉnh Đắk Lắk",
                "66",
                "Huyện Lắk",
                "656",
                "Xã Bông Krang",
                "24571",
                "Làng",
                "",
            ],
        );
        take(
            &mut list,
            &mut report,
            4,
            &[
                "Tỉnh Đắk Lắk",
                "66",
                "Huyện Lắk",
                "656",
                "Xã Yang Tao",
                "24568",
                "Xã",
                "",
            ],
        );
        take(
            &mut list,
            &mut report,
            5,
            &[
                "Tỉnh Đắk Lắk",
                "66",
                "Huyện Lắk",
                "656",
                "Xã Krông Nô",
                "245680",
                "Xã",
                "",
            ],
        );
        take(
            &mut list,
            &mut report,
            6,
            &[
                "Tỉnh Đắk Lắk",
                "66",
                "",
                "",
                "Xã Hòa Phú",
                "24175",
                "Xã",
                "Hoa Phu",
            ],
        );
        take(
            &mut list,
            &mut report,
            7,
            &[
                "Tỉnh Đắk Lắk",
                "66",
                "Huyện Đảo",
                "999",
                "",
                "",
                "Huyện",
                "",
            ],
        );
        assert_eq!(report.counts.rows, 7);
        assert_eq!(
            report.counts.skipped, 2,
            "Hà Nội and the district without communes"
        );
        assert_eq!(report.counts.rejected, 3);
        assert_eq!(list.communes.len(), 2);
        assert_eq!(list.communes["24175"].district, None, "a two-tier row");
        assert_eq!(list.communes["24175"].name_en.as_deref(), Some("Hoa Phu"));
        assert_eq!(list.districts["656"].kind, UnitKind::District);
        let issues: Vec<(u64, &str)> = report
            .issues
            .iter()
            .map(|i| (i.row, i.column.as_str()))
            .collect();
        assert_eq!(issues, [(3, "Cấp"), (4, "Mã PX"), (5, "Mã PX")]);
        assert!(
            list.rejected_codes.contains("24571"),
            "a rejected unit is not closed"
        );
        assert!(
            list.unreadable,
            "row 5's code cannot be read: nothing is closed"
        );
        assert!(report.issues[1].message.contains("dòng 2"));
    }
}
