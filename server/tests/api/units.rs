//! The units server function.

use crate::helpers::{DEMO_PASSWORD, TestApp};

async fn communes(app: &TestApp) -> Vec<serde_json::Value> {
    let response = app.call("units/communes", &[]).await;
    assert_eq!(response.status(), 200);
    response.json().await.expect("JSON list")
}

both_databases! {
    async fn the_communes_valid_today_are_listed_with_text_codes(app) {
        kynangso_data::seed::load_demo(&app.db, Some(DEMO_PASSWORD.to_owned())).await.expect("demo");
        let list = communes(&app).await;
        let names: Vec<(&str, &str)> = list
            .iter()
            .map(|c| (c["code"].as_str().expect("code is text"), c["name"].as_str().expect("name")))
            .collect();
        // Code 24175 is the new Xã Hòa Phú; old Xã Hòa Khánh (same code, closed 30/6/2025) and
        // old Xã Hòa Phú (24172) are history and must not be listed.
        assert!(names.contains(&("24175", "Xã Hòa Phú")));
        assert!(!names.iter().any(|(_, n)| *n == "Xã Hòa Khánh"));
        assert!(!names.iter().any(|(code, _)| *code == "24172"));
        assert_eq!(names.len(), 4);
        let ward = list.iter().find(|c| c["code"] == "24163").expect("Tân An");
        assert_eq!(ward["kind_label"], "Phường");
    }

    async fn an_empty_database_lists_no_communes(app) {
        assert!(communes(&app).await.is_empty());
    }
}
