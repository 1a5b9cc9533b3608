//! Reference-data imports: the statistics office's unit lists, the 2025 old → new mapping
//! and working-age population, against the real files under `../shared/data` (see its
//! SOURCES.md), applied in the order history happened; and the downloads read back.
//!
//! The real files are test input only and are never copied into the repository: a test
//! that needs one is skipped with a note when the folder is absent. The small files below
//! are written by the tests themselves.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use kynangso_data::entities::{admin_unit, unit_succession, working_age_population};
use kynangso_data::import::population::{PopulationOptions, import_population};
use kynangso_data::import::successions::{SuccessionOptions, import_successions};
use kynangso_data::import::units::{UnitListOptions, import_units};
use kynangso_data::import::{FileProblem, ImportError, Mode, Report, Source};
use kynangso_domain::import::ImportCounts;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

use crate::helpers::TestApp;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

/// A file of `../shared/data`, or `None` (with a note) when the folder is not there.
fn shared(name: &str) -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/data")
        .join(name);
    if path.is_file() {
        Some(path)
    } else {
        eprintln!("SKIPPED: {} is not there", path.display());
        None
    }
}

fn counts(rows: u64, skipped: u64) -> ImportCounts {
    ImportCounts {
        rows,
        skipped,
        ..ImportCounts::default()
    }
}

fn no_errors(report: &Report) {
    let errors: Vec<_> = report.issues.iter().filter(|i| !i.warning).collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

/// The province row, as `create-admin` makes it before any list is imported.
async fn insert_province(app: &TestApp) {
    let now = chrono::Utc::now();
    admin_unit::Entity::insert(admin_unit::ActiveModel {
        id: Set(kynangso_domain::new_id()),
        code: Set("66".to_owned()),
        name: Set("Tỉnh Đắk Lắk".to_owned()),
        name_en: Set(None),
        kind: Set("province".to_owned()),
        parent_id: Set(None),
        valid_from: Set(day(2008, 1, 1)),
        valid_to: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    })
    .exec_without_returning(&app.db)
    .await
    .expect("province");
}

async fn units(
    app: &TestApp,
    source: Source,
    province: &str,
    effective: NaiveDate,
    mode: Mode,
) -> Report {
    let options = UnitListOptions {
        province_code: province.to_owned(),
        effective,
        reorganisation: None,
    };
    import_units(&app.db, None, source, &options, mode)
        .await
        .expect("the unit list imports")
}

async fn mapping(app: &TestApp, source: Source, mode: Mode) -> Report {
    let options = SuccessionOptions {
        effective: day(2025, 7, 1),
        legal_basis: Some("Nghị quyết 1660/NQ-UBTVQH15".to_owned()),
    };
    import_successions(&app.db, None, source, &options, mode)
        .await
        .expect("the mapping imports")
}

async fn population(app: &TestApp, source: Source, year: Option<i32>, mode: Mode) -> Report {
    let options = PopulationOptions {
        year,
        source_label: Some("Nhập thử".to_owned()),
    };
    import_population(&app.db, None, source, &options, mode)
        .await
        .expect("the population table imports")
}

/// A unit row as [`holders`] lists it: (name, kind, valid from, valid to).
type Held = (String, String, NaiveDate, Option<NaiveDate>);

fn held(name: &str, kind: &str, from: NaiveDate, to: Option<NaiveDate>) -> Held {
    (name.to_owned(), kind.to_owned(), from, to)
}

/// The rows holding `code`, oldest first.
async fn holders(app: &TestApp, code: &str) -> Vec<Held> {
    let mut rows: Vec<_> = admin_unit::Entity::find()
        .filter(admin_unit::Column::Code.eq(code))
        .all(&app.db)
        .await
        .expect("units")
        .into_iter()
        .map(|u| (u.name, u.kind, u.valid_from, u.valid_to))
        .collect();
    rows.sort_by_key(|r| r.2);
    rows
}

/// Đắk Lắk's commune-level units valid on a day.
async fn communes_on(app: &TestApp, on: NaiveDate) -> usize {
    kynangso_data::import::units::export_units(&app.db, "66", on)
        .await
        .expect("export")
        .len()
}

/// The 102 units of 1 July 2025 in GSO's layout with the district columns empty, as the
/// statistics office lists a two-tier province.
fn two_tier_list(units_2025: &Path) -> Vec<u8> {
    let mut reader = csv::Reader::from_path(units_2025).expect("daklak-2025-units.csv");
    let mut out =
        String::from("Tỉnh Thành Phố,Mã TP,Quận Huyện,Mã QH,Phường Xã,Mã PX,Cấp,Tên Tiếng Anh\n");
    for record in reader.records() {
        let record = record.expect("a row");
        // code,name,type,province_code,province_name,merged_from
        out.push_str(&format!(
            "{},{},,,{},{},{},\n",
            &record[4], &record[3], &record[1], &record[0], &record[2]
        ));
    }
    out.into_bytes()
}

both_databases! {
    async fn unit_lists_and_the_2025_mapping_import_in_the_order_history_happened(app) {
        let (Some(list_2024), Some(list_2025), Some(units_2025), Some(merge_map)) = (
            shared("gso-tinh-huyen-xa_2024-03-10.csv"),
            shared("gso-danh-sach-cap-xa_2025-07-18.csv"),
            shared("daklak-2025-units.csv"),
            shared("daklak-2025-merge-map.csv"),
        ) else {
            return;
        };
        insert_province(&app).await;

        // 10 March 2024: the whole country without a header row; Đắk Lắk's 184 communes
        // in 15 districts. The dry run counts the same and writes nothing.
        let file = || Source::File(list_2024.clone());
        let before = app.count("admin_unit").await;
        let dry = units(&app, file(), "66", day(2024, 3, 10), Mode::DryRun).await;
        assert_eq!(app.count("admin_unit").await, before, "a dry run writes nothing");
        assert_eq!(app.count("audit_log").await, 0);
        let first = units(&app, file(), "66", day(2024, 3, 10), Mode::Apply).await;
        assert_eq!(dry, first, "the preview is what happens");
        no_errors(&first);
        assert_eq!(first.counts, ImportCounts { new: 199, ..counts(10_602, 10_418) });
        assert_eq!(communes_on(&app, day(2024, 3, 10)).await, 184);
        assert_eq!(holders(&app, "24175").await, [held("Xã Hòa Khánh", "commune", day(2024, 3, 10), None)]);
        assert_eq!(holders(&app, "24172").await[0].0, "Xã Hòa Phú");
        assert_eq!(holders(&app, "24133").await[0].0, "Phường Thắng Lợi");
        assert_eq!(holders(&app, "643").await[0].1, "city");
        assert_eq!(holders(&app, "644").await[0].1, "town", "Thị Xã Buôn Hồ");
        assert_eq!(app.audit_entries("import", "admin_unit").await.len(), 1);

        // The same file again: nothing new.
        let again = units(&app, file(), "66", day(2024, 3, 10), Mode::Apply).await;
        assert_eq!(again.counts, ImportCounts { unchanged: 199, ..counts(10_602, 10_418) });

        // 1 November 2024 (NQ 1193): the commune-list layout; 4 units closed, Thắng Lợi's
        // code 24133 now names the merged Phường Thành Công.
        let second = units(&app, Source::File(list_2025.clone()), "66", day(2024, 11, 1), Mode::Apply).await;
        no_errors(&second);
        assert_eq!(
            second.counts,
            ImportCounts { updated: 1, unchanged: 194, closed: 4, ..counts(10_035, 9_855) }
        );
        assert_eq!(holders(&app, "24133").await[0].0, "Phường Thành Công");
        for closed in ["24127", "24139", "24325", "24460"] {
            assert_eq!(holders(&app, closed).await[0].3, Some(day(2024, 10, 31)), "{closed}");
        }
        assert_eq!(communes_on(&app, day(2024, 11, 1)).await, 180);
        assert_eq!(communes_on(&app, day(2024, 10, 31)).await, 184, "history stays");

        // Old Phú Yên (54), whose units make up 34 new ones: the province row is created.
        let phu_yen = units(&app, Source::File(list_2024.clone()), "54", day(2024, 3, 10), Mode::Apply).await;
        assert_eq!(phu_yen.counts.new, 1 + 9 + 110);
        let phu_yen = units(&app, Source::File(list_2025.clone()), "54", day(2024, 11, 1), Mode::Apply).await;
        assert_eq!((phu_yen.counts.closed, phu_yen.counts.updated), (4, 1));

        // 1 July 2025: a two-tier list for a province that still has districts is a
        // reorganisation. Every old unit ends on 30 June (Phú Yên's too, where its code is
        // reused); all 102 start anew, even 24175, which now names Xã Hòa Phú.
        let reform = Source::Bytes(two_tier_list(&units_2025));
        let third = units(&app, reform.clone(), "66", day(2025, 7, 1), Mode::Apply).await;
        no_errors(&third);
        assert_eq!(third.counts, ImportCounts { new: 102, closed: 195 + 34, ..counts(102, 0) });
        assert!(third.issues.iter().any(|i| i.row == 0 && i.message.contains("Sắp xếp lại")));
        assert_eq!(communes_on(&app, day(2025, 7, 1)).await, 102);
        assert_eq!(communes_on(&app, day(2025, 6, 30)).await, 180);
        assert_eq!(
            holders(&app, "24175").await,
            [
                held("Xã Hòa Khánh", "commune", day(2024, 3, 10), Some(day(2025, 6, 30))),
                held("Xã Hòa Phú", "commune", day(2025, 7, 1), None),
            ]
        );
        let districts_left = admin_unit::Entity::find()
            .filter(admin_unit::Column::Kind.is_in(["district", "town", "city"]))
            .filter(admin_unit::Column::ValidTo.is_null())
            .all(&app.db)
            .await
            .expect("units")
            .into_iter()
            .filter(|d| d.code.starts_with('6'))
            .count();
        assert_eq!(districts_left, 0, "Đắk Lắk's districts are abolished");
        let again = units(&app, reform, "66", day(2025, 7, 1), Mode::Apply).await;
        assert_eq!(again.counts, ImportCounts { unchanged: 102, ..counts(102, 0) });

        // The merge map: 294 links of 286 old units, 16 of them partial.
        let links = mapping(&app, Source::File(merge_map.clone()), Mode::Apply).await;
        no_errors(&links);
        assert_eq!(links.counts, ImportCounts { new: 294, ..counts(294, 0) });
        let partial = unit_succession::Entity::find()
            .filter(unit_succession::Column::Coverage.eq("partial"))
            .all(&app.db)
            .await
            .expect("links");
        assert_eq!(partial.len(), 16);
        let again = mapping(&app, Source::File(merge_map), Mode::Apply).await;
        assert_eq!(again.counts, ImportCounts { unchanged: 294, ..counts(294, 0) });
        assert_eq!(app.audit_entries("import", "unit_succession").await.len(), 2);
    }

    async fn an_older_list_fills_in_history_without_touching_the_current_units(app) {
        let Some(list_2024) = shared("gso-tinh-huyen-xa_2024-03-10.csv") else {
            return;
        };
        // The demo has the 2025 units and, before them, city 643 with three communes.
        app.load_demo().await;
        let today = day(2026, 11, 27);
        assert_eq!(communes_on(&app, today).await, 4);
        let report = units(&app, Source::File(list_2024), "66", day(2024, 3, 10), Mode::Apply).await;
        no_errors(&report);
        assert_eq!(report.counts, ImportCounts { new: 14 + 181, unchanged: 4, ..counts(10_602, 10_418) });
        assert_eq!(communes_on(&app, day(2024, 3, 10)).await, 184);
        assert_eq!(communes_on(&app, today).await, 4, "the current units are untouched");
        // Rows added to the past end where the recorded 2025 list begins, so a reused code
        // (24133 is now Phường Buôn Ma Thuột) has one holder at a time.
        assert_eq!(
            holders(&app, "24133").await,
            [
                held("Phường Thắng Lợi", "ward", day(2024, 3, 10), Some(day(2025, 6, 30))),
                held("Phường Buôn Ma Thuột", "ward", day(2025, 7, 1), None),
            ]
        );
    }

    async fn working_age_population_imports_with_its_source_and_blank_figures_are_row_errors(app) {
        let (Some(units_2025), Some(table)) = (
            shared("daklak-2025-units.csv"),
            shared("daklak-2025-units-area-population.csv"),
        ) else {
            return;
        };
        insert_province(&app).await;
        let list = units(&app, Source::Bytes(two_tier_list(&units_2025)), "66", day(2025, 7, 1), Mode::Apply).await;
        assert_eq!(list.counts.new, 102, "no districts to replace: not a reorganisation");

        let dry = population(&app, Source::File(table.clone()), Some(2025), Mode::DryRun).await;
        assert_eq!(app.count("working_age_population").await, 0, "a dry run writes nothing");
        let first = population(&app, Source::File(table.clone()), Some(2025), Mode::Apply).await;
        assert_eq!(dry, first);
        assert_eq!(first.counts, ImportCounts { rows: 102, new: 96, rejected: 6, ..ImportCounts::default() });
        let blanks: Vec<_> = first.issues.iter().filter(|i| i.message.contains("chưa có số")).collect();
        assert_eq!(blanks.len(), 6, "{:#?}", first.issues);
        assert!(blanks.iter().all(|i| i.column == "population" && !i.warning));
        let hoa_phu = working_age_population::Entity::find()
            .filter(working_age_population::Column::Population.eq(48_822))
            .one(&app.db)
            .await
            .expect("query")
            .expect("Xã Hòa Phú's figure");
        assert_eq!(hoa_phu.year, 2025);
        assert!(hoa_phu.source.starts_with("sapnhap.bando.com.vn"), "the file's own source wins");

        let again = population(&app, Source::File(table), Some(2025), Mode::Apply).await;
        assert_eq!(again.counts, ImportCounts { rows: 102, unchanged: 96, rejected: 6, ..ImportCounts::default() });

        // A figure changes; separators and a missing year column.
        let changed = "Mã,Tên,Dân số trong độ tuổi lao động\n24175,Xã Hòa Phú,\"31.250\"\n99999,Xã Không Có,10\n24175,Hòa Phú,1\n";
        let report = population(&app, Source::Bytes(changed.as_bytes().to_vec()), Some(2025), Mode::Apply).await;
        assert_eq!(
            (report.counts.updated, report.counts.rejected),
            (1, 2),
            "{:#?}",
            report.issues
        );
        let figure = working_age_population::Entity::find_by_id(hoa_phu.id)
            .one(&app.db)
            .await
            .expect("query")
            .expect("row");
        assert_eq!((figure.population, figure.source.as_str()), (31_250, "Nhập thử"));
        assert_eq!(app.audit_entries("import", "working_age_population").await.len(), 3);
    }

    async fn files_of_the_wrong_kind_get_a_clear_refusal_and_change_nothing(app) {
        insert_province(&app).await;
        let before = app.count("admin_unit").await;
        let utf16: Vec<u8> = "\u{feff}Mã,Tên\n24175,Xã Hòa Phú\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let wrong = "Họ và tên,Năm sinh\nNguyễn Văn A,1985\n".as_bytes().to_vec();
        let unit_options = UnitListOptions { province_code: "66".into(), effective: day(2025, 7, 1), reorganisation: None };
        let mapping_options = SuccessionOptions { effective: day(2025, 7, 1), legal_basis: None };
        let population_options = PopulationOptions { year: Some(2025), source_label: Some("Thử".into()) };
        for (bytes, expected) in [
            (utf16, "UTF-16"),
            (Vec::new(), "trống"),
            (wrong, "thiếu cột"),
            (b"Ma xa cu,Ma xa moi\n".to_vec(), ""),
        ] {
            let source = || Source::Bytes(bytes.clone());
            let outcomes = [
                import_units(&app.db, None, source(), &unit_options, Mode::Apply).await.err(),
                import_successions(&app.db, None, source(), &mapping_options, Mode::Apply).await.err(),
                import_population(&app.db, None, source(), &population_options, Mode::Apply).await.err(),
            ];
            for outcome in outcomes {
                let error = outcome.expect("refused");
                assert!(matches!(error, ImportError::File(_) | ImportError::Layout(_)), "{error:?}");
                assert!(error.to_string().contains(expected), "{error} should say {expected}");
            }
        }
        assert!(matches!(
            import_units(&app.db, None, Source::Bytes(Vec::new()), &unit_options, Mode::DryRun).await,
            Err(ImportError::File(FileProblem::Empty))
        ));
        // A list without a row of the province, and a population table without a source.
        let other = "Mã,Tên,Tên Tiếng Anh,Cấp,Mã QH,Quận Huyện,Mã TP,Tỉnh / Thành Phố\n00001,Phường Phúc Xá,,Phường,001,Quận Ba Đình,01,Thành phố Hà Nội\n";
        let error = import_units(&app.db, None, Source::Bytes(other.into()), &unit_options, Mode::Apply).await.expect_err("none of 66");
        assert!(error.to_string().contains("tỉnh mã 66"), "{error}");
        let unsourced = PopulationOptions { year: Some(2025), source_label: None };
        let error = import_population(&app.db, None, Source::Bytes(b"Ma,Dan so\n24175,5\n".to_vec()), &unsourced, Mode::Apply)
            .await
            .expect_err("no source");
        assert!(error.to_string().contains("Nguồn"), "{error}");
        assert_eq!(app.count("admin_unit").await, before);
        assert_eq!(app.count("audit_log").await, 0);
    }

    async fn downloads_of_reference_data_read_back_unchanged(app) {
        app.load_demo().await;
        assert_eq!(app.get("/du-lieu/xuat/don-vi.csv").await.status(), 401);
        // A team member's province is their commune's.
        app.sign_in_as("thanhvien.hoaphu").await;

        let csv = app.get("/du-lieu/xuat/don-vi.csv?ngay=2025-07-01").await;
        assert_eq!(csv.status(), 200);
        let bytes = csv.bytes().await.expect("body").to_vec();
        let text = String::from_utf8(bytes.clone()).expect("utf-8");
        assert!(text.starts_with("\u{feff}Tỉnh Thành Phố,Mã TP,"), "{text}");
        assert!(text.contains("Tỉnh Đắk Lắk,66,,,Xã Hòa Phú,24175,Xã,"), "{text}");
        let back = units(&app, Source::Bytes(bytes), "66", day(2025, 7, 1), Mode::Apply).await;
        assert_eq!(back.counts, ImportCounts { unchanged: 4, ..counts(4, 0) }, "{:#?}", back.issues);

        // Before the reform: the city and its three communes.
        let old = app.get("/du-lieu/xuat/don-vi.xlsx?ngay=2025-06-30").await;
        assert_eq!(old.status(), 200);
        let bytes = old.bytes().await.expect("body").to_vec();
        assert_eq!(&bytes[..2], b"PK");
        let back = units(&app, Source::Bytes(bytes), "66", day(2025, 6, 30), Mode::Apply).await;
        assert_eq!(back.counts, ImportCounts { unchanged: 4, ..counts(3, 0) }, "{:#?}", back.issues);

        let links = app.get("/du-lieu/xuat/sap-xep-2025.csv").await;
        assert_eq!(links.status(), 200);
        let bytes = links.bytes().await.expect("body").to_vec();
        let text = String::from_utf8(bytes.clone()).expect("utf-8");
        assert!(text.contains("24175,Xã Hòa Khánh,24175,Xã Hòa Phú,toàn bộ,01/07/2025,Nghị quyết 1660/NQ-UBTVQH15"), "{text}");
        let back = mapping(&app, Source::Bytes(bytes), Mode::Apply).await;
        assert_eq!(back.counts, ImportCounts { unchanged: 3, ..counts(3, 0) }, "{:#?}", back.issues);

        for file in ["dan-so.csv", "dan-so.xlsx"] {
            let figures = app.get(&format!("/du-lieu/xuat/{file}")).await;
            assert_eq!(figures.status(), 200, "{file}");
            let bytes = figures.bytes().await.expect("body").to_vec();
            let back = population(&app, Source::Bytes(bytes), None, Mode::Apply).await;
            assert_eq!(back.counts, ImportCounts { unchanged: 4, ..counts(4, 0) }, "{file}: {:#?}", back.issues);
        }

        assert_eq!(app.get("/du-lieu/xuat/khong-co.csv").await.status(), 404);
        assert_eq!(app.get("/du-lieu/xuat/don-vi.pdf").await.status(), 404);
        assert_eq!(app.get("/du-lieu/xuat/don-vi.csv?ngay=30-06-2025").await.status(), 422);
    }
}
