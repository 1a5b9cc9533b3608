//! Reading a unit list's rows: codes, kinds, the province's rows kept and others
//! skipped, and every error named against its column.

use super::header::BY_POSITION;
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
