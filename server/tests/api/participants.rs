//! Registering, finding and reading participants; consent and its withdrawal; scope.

use chrono::Utc;
use kynangso_data::entities::{participant, user_session};
use kynangso_data::seed::demo_id;
use sea_orm::EntityTrait;

use crate::helpers::TestApp;

/// A complete registration form for a new person, with the given id.
fn person(id: &str) -> Vec<(&'static str, String)> {
    vec![
        ("form[id]", id.to_owned()),
        ("form[full_name]", "  Lê   Văn Đức ".to_owned()),
        ("form[sex]", "male".to_owned()),
        ("form[birth_year]", "1979".to_owned()),
        ("form[phone]", "+84 905 111 222".to_owned()),
        ("form[national_id]", "066079001234".to_owned()),
        ("form[has_smartphone]", "on".to_owned()),
        ("form[consent]", "on".to_owned()),
    ]
}

async fn register(app: &TestApp, form: &[(&'static str, String)]) -> reqwest::Response {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.call("participants/register", &pairs).await
}

async fn search(app: &TestApp, q: &str) -> Vec<serde_json::Value> {
    let response = app.call("participants/search", &[("q", q)]).await;
    assert_eq!(response.status(), 200, "search {q}");
    response.json().await.expect("JSON")
}

fn names(found: &[serde_json::Value]) -> Vec<String> {
    found
        .iter()
        .map(|p| p["full_name"].as_str().unwrap_or_default().to_owned())
        .collect()
}

both_databases! {
    async fn a_registration_retried_three_times_makes_one_audited_record(app) {
        app.load_demo().await;
        app.sign_in_as("thanhvien.hoaphu").await;
        let before = app.count("participant").await;
        let id = kynangso_domain::new_id().to_string();
        for _ in 0..3 {
            let response = register(&app, &person(&id)).await;
            assert_eq!(response.status(), 200);
            assert_eq!(response.json::<String>().await.expect("the id"), id);
        }
        assert_eq!(app.count("participant").await, before + 1);
        let row = participant::Entity::find_by_id(uuid::Uuid::parse_str(&id).expect("uuid"))
            .one(&app.db).await.expect("query").expect("the record");
        assert_eq!(row.full_name, "Lê Văn Đức");
        assert_eq!(row.search_key, "le van duc");
        assert_eq!(row.phone.as_deref(), Some("0905111222"));
        assert_eq!(row.home_unit_id, demo_id(10), "the caller's commune, Hòa Phú");
        let created = app.audit_entries("create", "participant").await;
        assert_eq!(created.len(), 1, "one audit entry, not one per retry");
        let after = created[0].after.clone().unwrap_or_default();
        for secret in ["Đức", "0905111222", "066079001234"] {
            assert!(!after.contains(secret), "the audit log holds no personal data: {after}");
        }
        assert_eq!(created[0].client.as_deref(), Some("127.0.0.1"));
    }

    async fn bad_input_gets_422_with_a_message_for_each_field_and_nothing_is_stored(app) {
        app.load_demo().await;
        app.sign_in_as("thanhvien.hoaphu").await;
        let before = app.count("participant").await;
        let mut form = person(&kynangso_domain::new_id().to_string());
        form[4].1 = "12345".to_owned();
        form.retain(|(k, _)| *k != "form[consent]");
        let response = register(&app, &form).await;
        assert_eq!(response.status(), 422);
        let body = response.text().await.expect("body");
        assert!(body.contains("\"phone\"") && body.contains("Số điện thoại di động"), "{body}");
        assert!(body.contains("\"consent\""), "{body}");
        // A village of another commune is refused on the village field.
        let mut form = person(&kynangso_domain::new_id().to_string());
        form.push(("form[village_id]", demo_id(10).to_string()));
        let response = register(&app, &form).await;
        assert_eq!(response.status(), 422);
        assert!(response.text().await.expect("body").contains("village_id"));
        // A field left out entirely (an unticked radio button) is a message on that field.
        let mut form = person(&kynangso_domain::new_id().to_string());
        form.retain(|(k, _)| *k != "form[sex]");
        let response = register(&app, &form).await;
        assert_eq!(response.status(), 422);
        assert!(response.text().await.expect("body").contains("\"sex\""));
        // The same mistake from a plain HTML form (no JavaScript yet): the browser is sent
        // back to the form with the reasons in the address, never shown a JSON body.
        let plain = app.client.post(app.url("/api/participants/register"))
            .header("Origin", &app.address)
            .header("Accept", "text/html")
            .header("Referer", app.url("/nguoi-hoc/moi"))
            .form(&[("form[full_name]", "Lê Văn Đức")])
            .send().await.expect("request");
        assert_eq!(plain.status(), 303);
        let location = plain.headers()["location"].to_str().expect("location").to_owned();
        assert!(location.contains("/nguoi-hoc/moi?") && location.contains("__err="), "{location}");
        // The browser follows the redirect with the form page as its Referer.
        let page = app.client.get(&location)
            .header("Referer", app.url("/nguoi-hoc/moi"))
            .send().await.expect("page").text().await.expect("page");
        assert!(page.contains("Vui lòng chọn giới tính."), "the form page says what went wrong");
        // The same address opened from a link elsewhere shows no message: `__err` is text
        // anyone can put in a link, so the server sends it to the address without it.
        let forged = app.get(location.trim_start_matches(&app.address)).await;
        assert_eq!(forged.status(), 303);
        assert_eq!(forged.headers()["location"], "/nguoi-hoc/moi");
        assert!(!forged.text().await.expect("body").contains("Vui lòng chọn giới tính."), "no message from a foreign link");
        // Garbage instead of a form is a 400, not a 500.
        let garbage = app.call("participants/register", &[("form", "}{")]).await;
        assert_eq!(garbage.status(), 400);
        assert_eq!(app.count("participant").await, before);
    }

    async fn search_ignores_diacritics_and_stays_in_the_commune(app) {
        app.load_demo().await;
        app.sign_in_as("thanhvien.hoaphu").await;
        assert_eq!(names(&search(&app, "nguyen thi hoa").await), ["Nguyễn Thị Hoa", "Nguyễn Thị Hoà"]);
        assert_eq!(names(&search(&app, "DANG thi").await), ["Đặng Thị Lan"]);
        assert_eq!(names(&search(&app, "0912 345").await), ["Nguyễn Thị Hoa"]);
        assert_eq!(search(&app, "1985").await.len(), 2);
        assert!(search(&app, "0912").await[0]["phone_masked"].as_str().unwrap_or_default().contains("****"));
        let everyone = names(&search(&app, "").await);
        assert_eq!(everyone.len(), 12);
        assert!(!everyone.iter().any(|n| n == "Trần Thị Hoa"), "Tân An's people are not listed");
        assert!(search(&app, "%").await.len() <= 12);

        app.sign_in_as("totruong.tanan").await;
        assert_eq!(names(&search(&app, "hoa").await), ["Trần Thị Hoa"]);
    }

    async fn the_province_reviewer_reads_no_individual(app) {
        app.load_demo().await;
        app.sign_in_as("theodoi").await;
        assert_eq!(app.call("participants/search", &[("q", "")]).await.status(), 403);
        let id = demo_id(700).to_string();
        assert_eq!(app.call("participants/detail", &[("id", &id)]).await.status(), 403);
    }

    async fn a_submission_after_the_session_expired_goes_through_once_after_signing_in_again(app) {
        app.load_demo().await;
        app.sign_in_as("thanhvien.hoaphu").await;
        let before = app.count("participant").await;
        let id = kynangso_domain::new_id().to_string();
        user_session::Entity::update_many()
            .col_expr(user_session::Column::ExpiresAt, sea_orm::sea_query::Expr::value(Utc::now()))
            .exec(&app.db).await.expect("expire");
        let refused = register(&app, &person(&id)).await;
        assert_eq!(refused.status(), 401);
        assert_eq!(app.count("participant").await, before, "nothing half-saved");
        app.sign_in_as("thanhvien.hoaphu").await;
        assert_eq!(register(&app, &person(&id)).await.status(), 200);
        assert_eq!(register(&app, &person(&id)).await.status(), 200, "a double tap");
        assert_eq!(app.count("participant").await, before + 1);
    }

    async fn withdrawing_consent_erases_the_person_but_keeps_the_counts(app) {
        app.load_demo().await;
        app.sign_in_as("thanhvien.hoaphu").await;
        let id = demo_id(700).to_string();
        let (people, attendance) = (app.count("participant").await, app.count("attendance").await);
        let detail: serde_json::Value = app.call("participants/detail", &[("id", &id)]).await.json().await.expect("JSON");
        assert_eq!(detail["full_name"], "Nguyễn Thị Hoa");
        assert_eq!(detail["phone"], "0912345678");

        for _ in 0..2 {
            assert_eq!(app.call("participants/withdraw-consent", &[("id", &id)]).await.status(), 200);
        }
        let detail: serde_json::Value = app.call("participants/detail", &[("id", &id)]).await.json().await.expect("JSON");
        assert!(detail["full_name"].is_null() && detail["phone"].is_null() && detail["birth_date"].is_null());
        assert_eq!(detail["birth_year"], 1985, "what anonymous counts need stays");
        assert_eq!(detail["sex"], "female");
        assert!(detail["consent"]["withdrawn_at"].is_string());
        assert_eq!(detail["sessions"].as_array().map(Vec::len), Some(3));
        assert_eq!(app.count("participant").await, people);
        assert_eq!(app.count("attendance").await, attendance);
        assert_eq!(names(&search(&app, "nguyen thi hoa").await), ["Nguyễn Thị Hoà"]);
        let row = participant::Entity::find_by_id(demo_id(700)).one(&app.db).await.expect("query").expect("row");
        assert_eq!((row.full_name.as_str(), row.phone, row.search_key.as_str()), ("", None, ""));
        assert_eq!(app.audit_entries("withdraw_consent", "participant").await.len(), 1);
    }

    async fn another_communes_record_is_answered_as_missing(app) {
        app.load_demo().await;
        app.sign_in_as("totruong.tanan").await;
        let hoa_phu_person = demo_id(700).to_string();
        let response = app.call("participants/detail", &[("id", &hoa_phu_person)]).await;
        assert_eq!(response.status(), 404);
        let missing = app.call("participants/detail", &[("id", &kynangso_domain::new_id().to_string())]).await;
        assert_eq!(missing.status(), 404);
        assert_eq!(response.text().await.expect("body"), missing.text().await.expect("body"));
        // Reusing another commune's id for a "new" person reveals and changes nothing.
        let response = register(&app, &person(&hoa_phu_person)).await;
        assert_eq!(response.status(), 404);
        let row = participant::Entity::find_by_id(demo_id(700)).one(&app.db).await.expect("query").expect("row");
        assert_eq!(row.full_name, "Nguyễn Thị Hoa");
    }
}
