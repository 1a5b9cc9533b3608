//! Hostile input from a signed-in user: bounds, NUL bytes, markup, formulas, redirects,
//! the same id with other content, racing retries, headers. Each test failed before its fix.

use kynangso_data::seed::demo_id;

use crate::helpers::{Backend, TestApp};

fn session_form(id: &str, place: &str, notes: &str) -> Vec<(&'static str, String)> {
    vec![
        ("form[id]", id.to_owned()),
        ("form[starts_at]", "2026-11-20T14:30".to_owned()),
        ("form[duration_minutes]", "90".to_owned()),
        ("form[village_id]", demo_id(40).to_string()),
        ("form[place]", place.to_owned()),
        ("form[module_ids][]", demo_id(201).to_string()),
        ("form[trainer_ids][]", demo_id(401).to_string()),
        ("form[notes]", notes.to_owned()),
    ]
}

fn person_form(id: &str, name: &str) -> Vec<(&'static str, String)> {
    vec![
        ("form[id]", id.to_owned()),
        ("form[full_name]", name.to_owned()),
        ("form[sex]", "female".to_owned()),
        ("form[birth_year]", "1990".to_owned()),
        ("form[consent]", "on".to_owned()),
    ]
}

async fn post(app: &TestApp, endpoint: &str, form: &[(&str, String)]) -> reqwest::Response {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.call(endpoint, &pairs).await
}

both_databases! {
    async fn a_search_past_its_bounds_is_refused_and_the_server_lives_on(app) {
        app.load_demo().await;
        app.sign_in_as("thanhvien.hoaphu").await;
        // 15 000 words (45 KB): this aborted the whole process before.
        let huge = vec!["ab"; 15_000].join(" ");
        let refused = app.call("participants/search", &[("q", &huge)]).await;
        assert_eq!(refused.status(), 422);
        assert!(refused.text().await.expect("body").contains("tối đa"));
        let page = app.get(&format!("/nguoi-hoc?q={}", vec!["ab"; 2_000].join("+"))).await;
        assert!(page.status().as_u16() < 500, "the page: {}", page.status());
        let nine = app.call("participants/search", &[("q", "a b c d e f g h i")]).await;
        assert_eq!(nine.status(), 422, "nine words");
        let long = "a".repeat(121);
        assert_eq!(app.call("participants/search", &[("q", &long)]).await.status(), 422);
        let eight = app.call("participants/search", &[("q", "nguyen thi hoa a b c d e")]).await;
        assert_eq!(eight.status(), 200, "eight words are fine");
        // A body past the server-function bound is refused before it is read whole.
        let too_big = "a".repeat(100_000);
        assert_eq!(app.call("participants/search", &[("q", &too_big)]).await.status(), 413);
        assert_eq!(app.get("/healthz").await.status(), 200, "still alive");
    }

    async fn a_nul_byte_is_a_400_wherever_it_is_sent(app) {
        app.load_demo().await;
        assert_eq!(app.call("auth/sign-in", &[("login", "ad\0min"), ("password", "x")]).await.status(), 400);
        app.sign_in_as("thanhvien.hoaphu").await;
        let sessions = app.count("training_session").await;
        assert_eq!(app.call("participants/search", &[("q", "a\0")]).await.status(), 400);
        let id = kynangso_domain::new_id().to_string();
        let form = session_form(&id, "Nhà\0văn hoá", "");
        assert_eq!(post(&app, "sessions/create", &form).await.status(), 400);
        assert_eq!(app.get("/nguoi-hoc?q=a%00b").await.status(), 400);
        assert_eq!(app.get("/bao-cao?xa=%00").await.status(), 400);
        assert_eq!(app.count("training_session").await, sessions, "nothing stored");
    }

    async fn session_notes_cannot_plant_markup_in_the_edit_page(app) {
        app.load_demo().await;
        app.sign_in_as("totruong.hoaphu").await;
        let id = kynangso_domain::new_id().to_string();
        let notes = "</textarea><meta http-equiv=refresh content=\"0;url=https://evil.example\"><button form=x>";
        assert_eq!(post(&app, "sessions/create", &session_form(&id, "Nhà văn hoá", notes)).await.status(), 200);
        let page = app.get(&format!("/buoi-tap-huan/{id}/sua")).await;
        assert_eq!(page.status(), 200);
        let html = page.text().await.expect("page");
        assert!(!html.contains("<meta http-equiv=refresh"), "planted markup in the page");
        assert!(html.contains("&lt;/textarea>&lt;meta http-equiv=refresh"), "the note is shown as text");
        let detail = app.get(&format!("/buoi-tap-huan/{id}")).await.text().await.expect("page");
        assert!(!detail.contains("<meta http-equiv=refresh"));
    }

    async fn a_csv_export_never_hands_a_spreadsheet_a_formula(app) {
        app.load_demo().await;
        app.sign_in_as("totruong.hoaphu").await;
        let id = kynangso_domain::new_id().to_string();
        let name = "=HYPERLINK(\"https://evil.example\")";
        assert_eq!(post(&app, "participants/register", &person_form(&id, name)).await.status(), 200);
        let csv = app.get("/bao-cao/24175/xuat/nguoi-hoc.csv").await.text().await.expect("csv");
        assert!(csv.contains("\"'=HYPERLINK("), "neutralised: {csv}");
        assert!(!csv.contains(",\"=HYPERLINK(") && !csv.contains(",=HYPERLINK("));
    }

    async fn after_sign_in_only_paths_of_this_site_are_followed(app) {
        app.load_demo().await;
        for next in ["/\t/evil.example", "/\n/evil.example", "//evil.example", "/\\evil.example"] {
            let response = app.call("auth/sign-in", &[("login", "admin"), ("password", crate::helpers::DEMO_PASSWORD), ("next", next)]).await;
            assert_eq!(response.status(), 200);
            let location = response.headers().get("location").and_then(|v| v.to_str().ok()).map(str::to_owned);
            assert_eq!(location.as_deref(), Some("/"), "next={next:?}");
        }
    }

    async fn the_same_id_with_other_content_is_a_conflict(app) {
        app.load_demo().await;
        app.sign_in_as("totruong.hoaphu").await;
        let id = kynangso_domain::new_id().to_string();
        assert_eq!(post(&app, "participants/register", &person_form(&id, "Trần Thị Mai")).await.status(), 200);
        assert_eq!(post(&app, "participants/register", &person_form(&id, "Trần Thị Mai")).await.status(), 200, "a retry");
        assert_eq!(post(&app, "participants/register", &person_form(&id, "Lê Văn Tám")).await.status(), 409);

        let session = kynangso_domain::new_id().to_string();
        assert_eq!(post(&app, "sessions/create", &session_form(&session, "Nhà văn hoá", "")).await.status(), 200);
        assert_eq!(post(&app, "sessions/create", &session_form(&session, "Nhà văn hoá", "")).await.status(), 200, "a retry");
        assert_eq!(post(&app, "sessions/create", &session_form(&session, "Hội trường xã", "")).await.status(), 409);

        let user = kynangso_domain::new_id().to_string();
        let account = |name: &'static str| vec![
            ("id", user.clone()), ("username", "moi.hoaphu".to_owned()), ("display_name", name.to_owned()),
            ("role", "team_member".to_owned()), ("unit_code", String::new()),
            ("temporary_password", "mật khẩu tạm thời 2026".to_owned()),
        ];
        assert_eq!(post(&app, "users/create", &account("Người Mới")).await.status(), 200);
        assert_eq!(post(&app, "users/create", &account("Người Mới")).await.status(), 200, "a retry");
        assert_eq!(post(&app, "users/create", &account("Người Khác")).await.status(), 409);
        assert_eq!(app.audit_entries("create", "participant").await.iter().filter(|e| e.entity_id.as_deref() == Some(id.as_str())).count(), 1);
    }

    async fn ten_identical_marks_at_once_make_one_change_and_one_audit_entry(app) {
        app.load_demo().await;
        app.sign_in_as("thanhvien.hoaphu").await;
        let session = kynangso_domain::new_id().to_string();
        assert_eq!(post(&app, "sessions/create", &session_form(&session, "Nhà văn hoá", "")).await.status(), 200);
        let person = demo_id(700).to_string();
        let mut marks = tokio::task::JoinSet::new();
        for _ in 0..10 {
            let (client, url, origin) = (app.client.clone(), app.url("/api/attendance/mark"), app.address.clone());
            let form = [("session_id", session.clone()), ("participant_id", person.clone()), ("status", "present".to_owned())];
            marks.spawn(async move {
                client.post(url).header("Origin", origin).form(&form).send().await.expect("mark").status()
            });
        }
        while let Some(status) = marks.join_next().await {
            assert_eq!(status.expect("task"), 200);
        }
        assert_eq!(app.audit_entries("mark_attendance", "attendance").await.len(), 1);
    }

    async fn province_roles_read_aggregates_only(app) {
        app.load_demo().await;
        let person = demo_id(700).to_string();
        for account in ["admin", "theodoi"] {
            let client = app.other_client_signed_in_as(account, crate::helpers::DEMO_PASSWORD).await;
            for (endpoint, form) in [
                ("participants/search", vec![("q", "")]),
                ("participants/detail", vec![("id", person.as_str())]),
                ("sessions/list", vec![]),
            ] {
                let response = app.call_with(&client, endpoint, &form).await;
                assert_eq!(response.status(), 403, "{account} {endpoint}");
            }
            let export = client.get(app.url("/bao-cao/24175/xuat/diem-danh.csv")).send().await.expect("export");
            assert!(export.status().is_client_error(), "{account}: {}", export.status());
            let report = client.get(app.url("/bao-cao/24175")).send().await.expect("report");
            assert_eq!(report.status(), 200, "{account} still reads the commune's figures");
        }
    }

    async fn personal_pages_are_never_cached_and_an_unknown_page_is_always_404(app) {
        app.load_demo().await;
        app.sign_in_as("thanhvien.hoaphu").await;
        for path in [format!("/nguoi-hoc/{}", demo_id(700)), "/nguoi-hoc".to_owned(), "/bao-cao/24175/xuat/nguoi-hoc.csv".to_owned()] {
            let response = app.get(&path).await;
            let cache = response.headers().get("cache-control").and_then(|v| v.to_str().ok()).map(str::to_owned);
            assert_eq!(cache.as_deref(), Some("no-store"), "{path}");
        }
        for _ in 0..20 {
            assert_eq!(app.get("/khong-co-trang-nay").await.status(), 404);
        }
        // An https page is another origin than this http site.
        let response = app.client.post(app.url("/api/auth/sign-out"))
            .header("Origin", app.address.replace("http://", "https://"))
            .send().await.expect("request");
        assert_eq!(response.status(), 403);
    }
}

#[tokio::test]
async fn over_https_browsers_are_told_to_stay_on_https() {
    let app = crate::helpers::spawn_app_configured(Backend::Sqlite, |s| s.secure_cookies = true)
        .await
        .expect("SQLite");
    let response = app.get("/healthz").await;
    let hsts = response
        .headers()
        .get("strict-transport-security")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    assert_eq!(hsts.as_deref(), Some("max-age=31536000"));
}
