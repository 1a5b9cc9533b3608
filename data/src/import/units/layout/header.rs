//! Recognising a unit list's layout from its first row: one of GSO's two exports by its
//! headers (they name the same columns differently and in another order), or a copy
//! that lost its header row, read by GSO's own column positions. Row reading
//! ([`super`]) then only asks which column holds what.

use kynangso_domain::import::header_key;

use crate::import::units::UNIT_LIST_HEADERS;
use crate::import::{ImportError, Row};

const COMMUNE_LIST_HEADERS: &str =
    "Mã, Tên, Tên Tiếng Anh, Cấp, Mã QH, Quận Huyện, Mã TP, Tỉnh / Thành Phố";
pub(super) const PROVINCE_CODE: &str = "Mã TP";
pub(super) const DISTRICT_CODE: &str = "Mã QH";
pub(super) const DISTRICT_NAME: &str = "Quận Huyện";
pub(super) const LEVEL: &str = "Cấp";

/// Which GSO export the file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Layout {
    /// "Danh sách cấp tỉnh kèm theo quận huyện, phường xã": names before codes.
    WithDistricts,
    /// "Danh sách cấp xã": the commune's code and name first.
    CommuneList,
}

impl Layout {
    pub(super) fn code(self) -> &'static str {
        match self {
            Layout::WithDistricts => "Mã PX",
            Layout::CommuneList => "Mã",
        }
    }

    pub(super) fn name(self) -> &'static str {
        match self {
            Layout::WithDistricts => "Phường Xã",
            Layout::CommuneList => "Tên",
        }
    }
}

/// Which column holds what.
#[derive(Debug, Clone, Copy)]
pub(super) struct Columns {
    pub(super) layout: Layout,
    pub(super) province_name: Option<usize>,
    pub(super) province_code: usize,
    pub(super) district_name: Option<usize>,
    pub(super) district_code: Option<usize>,
    pub(super) name: usize,
    pub(super) code: usize,
    pub(super) level: usize,
    pub(super) name_en: Option<usize>,
}

/// GSO's own order, for copies that lost their header row.
pub(super) const BY_POSITION: Columns = Columns {
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
pub(super) fn is_headerless(row: &Row) -> bool {
    let digits = |text: &str, lengths: std::ops::RangeInclusive<usize>| {
        lengths.contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit())
    };
    digits(row.cell(1), 1..=2) && digits(row.cell(5), 4..=5)
}

pub(super) fn columns_from_header(row: &Row) -> Result<Columns, ImportError> {
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
}
