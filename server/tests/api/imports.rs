//! Importing a participant register through the web flow: upload, preview (dry run),
//! confirm, progress, result — and that a re-import, a double confirmation and the app's
//! own export create nothing new. Reference-data imports are in `imports_reference.rs`.

use serde_json::Value;

use crate::helpers::TestApp;

/// A register as communes keep it: an STT column, Vietnamese headers, dd/mm/yyyy dates.
/// Rows 2–4 are good; 5 has an impossible date; 6 a bad phone; 7 a village the commune
/// does not have (imported without one); 8 repeats row 2 (the same person, created once);
/// 9 is a demo person
/// already recorded (Lê Thị Mai, 05/01/1969, Thôn 2); 10 has no name; 11 may be that
/// Lê Thị Mai with a birth year one off (a suspect, left out).
pub const REGISTER: &str = "\u{feff}STT,Họ và tên,Ngày sinh,Giới tính,Thôn/Buôn,Số điện thoại\n\
1,Phạm Thị Thu,12/05/1990,Nữ,Thôn 1,0905111222\n\
2,Y Khuê Mlô,1988,Nam,Buôn Ea Khít,\n\
3,Đoàn Văn Hải,03/09/1975,nam,thon 2,\n\
4,Ngô Thị Bé,31/02/1980,Nữ,Thôn 1,\n\
5,Lý Văn Tư,1970,Nam,Thôn 1,12345\n\
6,Hồ Thị Na,1995,Nữ,Thôn 9,\n\
7,PHẠM THỊ THU,12/05/1990,Nữ,Thôn 1,\n\
8,Lê Thị Mai,05/01/1969,Nữ,Thôn 2,\n\
9,,1990,Nam,Thôn 1,\n\
10,Lê Thị Mai,1970,Nữ,Thôn 2,\n";

/// Uploads `bytes` as `kind` the way the browser's form does; the id of the stored file.
pub async fn upload(
    app: &TestApp,
    client: &reqwest::Client,
    kind: &str,
    name: &str,
    bytes: Vec<u8>,
) -> String {
    let form = reqwest::multipart::Form::new()
        .text("loai", kind.to_owned())
        .part(
            "tep",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
        );
    let response = client
        .post(app.url("/nhap/tai-len"))
        .header("Origin", &app.address)
        .header("Accept", "text/html")
        .multipart(form)
        .send()
        .await
        .expect("upload");
    assert_eq!(response.status(), 303, "an upload answers with its preview");
    let location = response.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned();
    location
        .strip_prefix("/nhap/")
        .unwrap_or_else(|| panic!("preview address, got {location}"))
        .to_owned()
}

pub async fn preview(app: &TestApp, id: &str, extra: &[(&str, &str)]) -> Value {
    let mut form = vec![("id", id)];
    form.extend_from_slice(extra);
    let response = app.call("imports/preview", &form).await;
    assert_eq!(response.status(), 200);
    response.json().await.expect("json")
}

/// Starts the import and waits (at most 20 s) until it is done.
pub async fn confirm(app: &TestApp, id: &str, extra: &[(&str, &str)]) -> Value {
    let mut form = vec![("id", id), ("dong_y", "on")];
    form.extend_from_slice(extra);
    let response = app.call("imports/start", &form).await;
    assert_eq!(
        response.status(),
        200,
        "{}",
        response.text().await.unwrap_or_default()
    );
    for _ in 0..200 {
        let view = preview(app, id, &[]).await;
        if view["status"] != "running" {
            assert_eq!(view["status"], "done", "{view}");
            return view;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the import did not finish in 20 s");
}

fn count(view: &Value, key: &str) -> u64 {
    view["counts"][key]
        .as_u64()
        .unwrap_or_else(|| panic!("{key} in {view}"))
}

fn issue_rows(view: &Value, warning: bool) -> Vec<(u64, String)> {
    view["issues"]
        .as_array()
        .expect("issues")
        .iter()
        .filter(|i| i["warning"] == warning)
        .map(|i| {
            (
                i["row"].as_u64().expect("row"),
                i["column"].as_str().expect("column").to_owned(),
            )
        })
        .collect()
}

both_databases! {
    async fn a_lead_previews_a_register_imports_its_good_rows_once_and_finds_the_people(app) {
        app.load_demo().await;
        app.sign_in_as("totruong.hoaphu").await;
        let before = app.count("participant").await;
        let id = upload(&app, &app.client, "register", "so-hoc-vien.csv", REGISTER.as_bytes().to_vec()).await;

        let view = preview(&app, &id, &[]).await;
        assert_eq!(view["status"], "uploaded");
        assert_eq!(view["headers"][1], "Họ và tên");
        assert_eq!(view["columns"][0], Value::Null, "STT is not read");
        assert_eq!(view["columns"][1], "full_name");
        assert_eq!(count(&view, "rows"), 10);
        assert_eq!(count(&view, "new"), 4, "rows 2, 3, 4 and 7: {view}");
        assert_eq!(count(&view, "unchanged"), 2, "Lê Thị Mai is known; row 8 is row 2's person");
        assert_eq!(count(&view, "duplicate_suspects"), 1, "row 11");
        assert_eq!(count(&view, "rejected"), 3);
        assert_eq!(
            issue_rows(&view, false),
            [(5, "Ngày sinh".to_owned()), (6, "Số điện thoại".to_owned()), (10, "Họ và tên".to_owned())],
            "errors name the spreadsheet row and the column: {view}"
        );
        assert_eq!(
            issue_rows(&view, true),
            [(7, "Thôn/Buôn".to_owned()), (8, "Họ và tên".to_owned()), (11, "Họ và tên".to_owned())]
        );
        let messages = view["issues"].to_string();
        assert!(messages.contains("Ngày sinh không đọc được"), "{messages}");
        assert!(messages.contains("dòng 2 của tệp"), "{messages}");
        assert_eq!(app.count("participant").await, before, "a preview writes nothing");

        let refused = app.call("imports/start", &[("id", &id)]).await;
        assert_eq!(refused.status(), 422, "the importer must confirm the people's consent");

        let done = confirm(&app, &id, &[]).await;
        assert_eq!(count(&done, "new"), 4);
        assert_eq!(app.count("participant").await, before + 4);
        assert_eq!(app.count("consent").await, before + 4, "each new person has their consent");
        // Pressing again does nothing.
        let again = app.call("imports/start", &[("id", &id), ("dong_y", "on")]).await;
        assert_eq!(again.status(), 200);
        assert_eq!(app.count("participant").await, before + 4);
        let entries = app.audit_entries("import", "participant").await;
        assert_eq!(entries.len(), 1, "one batch, one entry");
        let after = entries[0].after.clone().unwrap_or_default();
        assert!(after.contains("\"created\":4") && !after.contains("Phạm"), "counts, no names: {after}");

        // The people are found, accents or not, with their village.
        let found: Value = app.call("participants/search", &[("q", "pham thi thu")]).await.json().await.expect("json");
        assert_eq!(found.as_array().map(Vec::len), Some(1), "{found}");
        assert_eq!(found[0]["village"], "Thôn 1");

        // The same file again: everything is there already.
        let id2 = upload(&app, &app.client, "register", "so-hoc-vien.csv", REGISTER.as_bytes().to_vec()).await;
        assert_ne!(id2, id, "an imported upload is not reused");
        let view = preview(&app, &id2, &[]).await;
        // Row 8, the repeat of row 2, now names the person row 2 created.
        assert_eq!((count(&view, "new"), count(&view, "unchanged")), (0, 6), "{view}");
    }

    async fn uploads_are_their_uploaders_and_registers_their_commune_leads(app) {
        app.load_demo().await;
        app.sign_in_as("totruong.hoaphu").await;
        let id = upload(&app, &app.client, "register", "a.csv", REGISTER.as_bytes().to_vec()).await;
        let other = app.other_client_signed_in_as("totruong.tanan", crate::helpers::DEMO_PASSWORD).await;
        let response = app.call_with(&other, "imports/preview", &[("id", &id)]).await;
        assert_eq!(response.status(), 404, "another commune's lead cannot see the file");
        let response = app.call_with(&other, "imports/start", &[("id", &id), ("dong_y", "on")]).await;
        assert_eq!(response.status(), 404);

        let member = app.other_client_signed_in_as("thanhvien.hoaphu", crate::helpers::DEMO_PASSWORD).await;
        let form = reqwest::multipart::Form::new()
            .text("loai", "register")
            .part("tep", reqwest::multipart::Part::bytes(REGISTER.as_bytes().to_vec()).file_name("a.csv"));
        let response = member.post(app.url("/nhap/tai-len")).header("Origin", &app.address)
            .multipart(form).send().await.expect("upload");
        assert_eq!(response.status(), 403, "team members do not import registers");
        let form = reqwest::multipart::Form::new().text("loai", "units")
            .part("tep", reqwest::multipart::Part::bytes(b"x".to_vec()).file_name("a.csv"));
        let response = app.client.post(app.url("/nhap/tai-len")).header("Origin", &app.address)
            .header("Accept", "text/html").multipart(form).send().await.expect("upload");
        assert_eq!(response.status(), 303);
        assert_eq!(response.headers()["location"], "/nhap?loi=quyen", "a lead does not import unit lists");
        let anonymous = crate::helpers::spawn_client();
        let form = reqwest::multipart::Form::new().text("loai", "register")
            .part("tep", reqwest::multipart::Part::bytes(b"x".to_vec()).file_name("a.csv"));
        let response = anonymous.post(app.url("/nhap/tai-len")).header("Origin", &app.address)
            .multipart(form).send().await.expect("upload");
        assert_eq!(response.status(), 401);
    }

    async fn malformed_files_get_a_clear_reason_and_no_panic(app) {
        app.load_demo().await;
        app.sign_in_as("totruong.hoaphu").await;
        let utf16: Vec<u8> = "\u{feff}Họ và tên,Năm sinh\nAn,1990\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
        let windows_1258 = b"H\xf4 v\xe0 t\xean,N\xe3m sinh\nNguy\xea\xden,1990\n".to_vec();
        // A file that cannot be read is refused at the upload, the reason beside the field.
        let unreadable: [(&str, Vec<u8>, &str); 3] = [
            ("utf16.csv", utf16, "loi=utf16"),
            ("cu.csv", windows_1258, "loi=ma-chu&dong=1"),
            ("hong.xlsx", b"PK\x03\x04not really a workbook".to_vec(), "loi=excel-hong"),
        ];
        for (name, bytes, expected) in unreadable {
            let form = reqwest::multipart::Form::new().text("loai", "register")
                .part("tep", reqwest::multipart::Part::bytes(bytes).file_name(name));
            let response = app.client.post(app.url("/nhap/tai-len")).header("Origin", &app.address)
                .header("Accept", "text/html").multipart(form).send().await.expect("upload");
            assert_eq!(response.status(), 303, "{name}");
            assert_eq!(response.headers()["location"], format!("/nhap?{expected}"), "{name}");
        }
        assert_eq!(app.count("import_file").await, 0, "none of them is kept");
        let page = app.get("/nhap?loi=ma-chu&dong=1").await.text().await.expect("page");
        assert!(page.contains("Dòng 1: có chữ không đọc được"), "the form says why");
        // One that reads but is not a register is previewed, with the reason.
        let cases: [(&str, Vec<u8>, &str); 2] = [
            ("chi-tieu-de.csv", "Họ và tên,Năm sinh\n".as_bytes().to_vec(), "không có dòng dữ liệu"),
            ("sai-cot.csv", "Tên xã,Số dân\nHòa Phú,100\n".as_bytes().to_vec(), "Họ và tên"),
        ];
        for (name, bytes, expected) in cases {
            let id = upload(&app, &app.client, "register", name, bytes).await;
            let view = preview(&app, &id, &[]).await;
            let problem = view["problem"].as_str().unwrap_or_else(|| panic!("{name}: {view}"));
            assert!(problem.contains(expected), "{name}: {problem}");
            let response = app.call("imports/start", &[("id", &id), ("dong_y", "on")]).await;
            assert_eq!(response.status(), 200, "starting is accepted, and fails on its own");
        }
        let form = reqwest::multipart::Form::new().text("loai", "register")
            .part("tep", reqwest::multipart::Part::bytes(Vec::new()).file_name("trong.csv"));
        let response = app.client.post(app.url("/nhap/tai-len")).header("Origin", &app.address)
            .multipart(form).send().await.expect("upload");
        assert_eq!(response.status(), 422, "an empty file");
        let bad_columns = app.call("imports/preview", &[("id", "x")]).await;
        assert_eq!(bad_columns.status(), 404);
    }

    async fn the_register_export_imports_back_unchanged_and_its_codes_update_people(app) {
        app.load_demo().await;
        app.sign_in_as("totruong.hoaphu").await;
        let exported = app.get("/bao-cao/24175/xuat/nguoi-hoc.xlsx").await;
        assert_eq!(exported.status(), 200);
        let bytes = exported.bytes().await.expect("bytes").to_vec();
        let id = upload(&app, &app.client, "register", "nguoi-hoc.xlsx", bytes).await;
        let view = preview(&app, &id, &[]).await;
        assert_eq!(view["problem"], Value::Null, "{view}");
        assert_eq!(view["columns"][0], "code", "the export's own headers are recognised");
        assert_eq!(count(&view, "rows"), 12);
        assert_eq!(count(&view, "unchanged"), 12, "{view}");

        // The CSV with one person's name corrected, matched by code.
        let csv = app.get("/bao-cao/24175/xuat/nguoi-hoc.csv").await.text().await.expect("csv");
        let corrected = csv.replacen("Lê Thị Mai", "Lê Thị Mây", 1);
        let before = app.count("participant").await;
        let id = upload(&app, &app.client, "register", "sua.csv", corrected.into_bytes()).await;
        let view = preview(&app, &id, &[]).await;
        assert_eq!((count(&view, "updated"), count(&view, "unchanged")), (1, 11), "{view}");
        confirm(&app, &id, &[]).await;
        assert_eq!(app.count("participant").await, before);
        let found: Value = app.call("participants/search", &[("q", "le thi may")]).await.json().await.expect("json");
        assert_eq!(found.as_array().map(Vec::len), Some(1), "{found}");

        // A chosen mapping: read only names and years, every other column ignored.
        let id = upload(&app, &app.client, "register", "b.csv", REGISTER.as_bytes().to_vec()).await;
        let view = preview(&app, &id, &[("cot", ",full_name,birth_year")]).await;
        assert_eq!(view["columns"][2], "birth_year");
        assert!(view["issues"].to_string().contains("Năm sinh"), "dates in a year column are errors: {view}");
        let twice = app.call("imports/preview", &[("id", &id), ("cot", "full_name,full_name")]).await;
        assert_eq!(twice.status(), 200);
        let twice: Value = twice.json().await.expect("json");
        assert!(twice["problem"].as_str().is_some_and(|p| p.contains("hai lần")), "{twice}");
    }
}

/// A session register: who came to which day's class, with its modules by code or name.
/// Rows 2–3 are one person over two days that together cover the five demo modules;
/// row 4 names a module the curriculum does not have; row 5 a day in the future.
const TRAINING: &str = "Họ và tên,Năm sinh,Giới tính,Thôn/Buôn,Ngày tập huấn,Nội dung\n\
Mai Văn Tiến,1990,Nam,Thôn 1,05/03/2024,\"DVC, TMDT, Thanh toán trực tuyến\"\n\
Mai Văn Tiến,1990,Nam,Thôn 1,12/03/2024,ATTT; NTS\n\
Đinh Thị Lụa,1994,Nữ,Thôn 2,12/03/2024,Nấu ăn\n\
Đinh Thị Lụa,1994,Nữ,Thôn 2,01/01/2099,ATTT\n";

both_databases! {
    async fn a_register_of_training_days_puts_people_on_rosters_and_counts_them_trained(app) {
        use kynangso_data::entities::trained_person;
        use sea_orm::{EntityTrait, PaginatorTrait};
        app.load_demo().await;
        app.sign_in_as("totruong.hoaphu").await;
        let (sessions, marks) = (app.count("training_session").await, app.count("attendance").await);
        let trained = trained_person::Entity::find().count(&app.db).await.expect("count");

        let id = upload(&app, &app.client, "register", "so-tap-huan.csv", TRAINING.as_bytes().to_vec()).await;
        let view = preview(&app, &id, &[]).await;
        assert_eq!(view["columns"][4], "session_date");
        assert_eq!(view["columns"][5], "modules");
        assert_eq!((count(&view, "new"), count(&view, "rejected")), (1, 2), "{view}");
        assert_eq!((count(&view, "sessions_new"), count(&view, "attendance")), (2, 2), "{view}");
        assert_eq!(issue_rows(&view, false), [(4, "Nội dung".to_owned()), (5, "Ngày tập huấn".to_owned())]);
        confirm(&app, &id, &[]).await;
        assert_eq!(app.count("training_session").await, sessions + 2);
        assert_eq!(app.count("attendance").await, marks + 2);
        assert_eq!(
            trained_person::Entity::find().count(&app.db).await.expect("count"),
            trained + 1,
            "two days covering the five modules make him trained"
        );

        // The attendance export goes back in and adds nothing.
        let exported = app.get("/bao-cao/24175/xuat/diem-danh.csv").await;
        assert_eq!(exported.status(), 200);
        let csv = exported.text().await.expect("csv");
        assert!(csv.contains("Mai Văn Tiến") && csv.contains("12/03/2024"), "{csv}");
        let id = upload(&app, &app.client, "register", "diem-danh.csv", csv.into_bytes()).await;
        let view = preview(&app, &id, &[]).await;
        assert_eq!((count(&view, "new"), count(&view, "updated"), count(&view, "sessions_new")), (0, 0, 0), "{view}");
        assert!(count(&view, "attendance") >= 2, "{view}");
        confirm(&app, &id, &[]).await;
        assert_eq!(app.count("training_session").await, sessions + 2);
        assert_eq!(app.count("attendance").await, marks + 2, "every mark was there already");
        let refused = app.other_client_signed_in_as("totruong.tanan", crate::helpers::DEMO_PASSWORD).await;
        let response = refused.get(app.url("/bao-cao/24175/xuat/diem-danh.csv")).send().await.expect("get");
        assert_eq!(response.status(), 403, "another commune's team");
    }
}

both_databases! {
    async fn columns_the_app_does_not_recognise_are_chosen_by_hand(app) {
        app.load_demo().await;
        app.sign_in_as("totruong.hoaphu").await;
        let file = "Học viên,NS,Điện thoại di động\nChu Thị Nhàn,1989,0904555666\n";
        let id = upload(&app, &app.client, "register", "khac.csv", file.as_bytes().to_vec()).await;
        let view = preview(&app, &id, &[]).await;
        assert!(view["problem"].as_str().is_some_and(|p| p.contains("Họ và tên")), "{view}");
        assert_eq!(view["headers"][0], "Học viên", "the headers come back to be mapped: {view}");
        assert_eq!(view["columns"].as_array().map(Vec::len), Some(3));
        let chosen = [("cot", "full_name,birth_year,phone")];
        let view = preview(&app, &id, &chosen).await;
        assert_eq!((view["problem"].clone(), count(&view, "new")), (Value::Null, 1), "{view}");
        confirm(&app, &id, &chosen).await;
        let found: Value = app.call("participants/search", &[("q", "chu thi nhan")]).await.json().await.expect("json");
        assert_eq!(found.as_array().map(Vec::len), Some(1), "{found}");
    }
}

both_databases! {
    async fn a_file_that_breaks_after_the_first_batch_writes_nothing(app) {
        use sea_orm::{EntityTrait, QueryFilter};
        app.load_demo().await;
        app.sign_in_as("totruong.hoaphu").await;
        let before = app.count("participant").await;
        // 700 good rows (more than one batch of 500), then a row in Windows-1258.
        let mut file = "Họ và tên,Năm sinh\n".as_bytes().to_vec();
        for i in 0..700 {
            let given = ["An", "Bình", "Chi", "Dung", "Giang", "Hà", "Khánh"][i % 7];
            file.extend(format!("Nguyễn Văn {given} {} Tư,{}\n", ["Thu", "Hạ", "Đông", "Xuân"][i / 7 % 4], 1950 + i / 28).as_bytes());
        }
        let id = upload(&app, &app.client, "register", "hong-giua.csv", file.clone()).await;
        // The upload reads the whole file, so a broken one is refused there; this one broke
        // after (or was stored before uploads were checked).
        file.extend(b"Nguy\xea\xden,1990\n");
        kynangso_data::entities::import_file::Entity::update_many()
            .col_expr(kynangso_data::entities::import_file::Column::Content, sea_orm::sea_query::Expr::value(file))
            .filter(sea_orm::ColumnTrait::eq(&kynangso_data::entities::import_file::Column::Id, uuid::Uuid::parse_str(&id).expect("id")))
            .exec(&app.db).await.expect("update");
        // Straight to the confirmation, without a preview.
        let response = app.call("imports/start", &[("id", &id), ("dong_y", "on")]).await;
        assert_eq!(response.status(), 200);
        let mut view = preview(&app, &id, &[]).await;
        for _ in 0..200 {
            if view["status"] != "running" {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            view = preview(&app, &id, &[]).await;
        }
        assert_eq!(view["status"], "failed", "{view}");
        assert!(view["failure"].as_str().is_some_and(|f| f.contains("UTF-8")), "{view}");
        assert_eq!(app.count("participant").await, before, "nothing of the file was written");
    }
}
