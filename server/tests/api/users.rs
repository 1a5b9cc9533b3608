//! Accounts: who creates whom, temporary passwords, disabling, and the audit log's readers.

use kynangso_data::seed::demo_id;

use crate::helpers::{DEMO_PASSWORD, TestApp};

const TEMPORARY: &str = "mật khẩu tạm thời 2026";

async fn create(app: &TestApp, username: &str, role: &str, unit: &str) -> reqwest::Response {
    let id = kynangso_domain::new_id().to_string();
    app.call(
        "users/create",
        &[
            ("id", &id),
            ("username", username),
            ("display_name", "Người dùng mới"),
            ("role", role),
            ("unit_code", unit),
            ("temporary_password", TEMPORARY),
        ],
    )
    .await
}

both_databases! {
    async fn a_new_commune_lead_must_change_the_temporary_password_first(app) {
        app.load_demo().await;
        app.sign_in_as("admin").await;
        assert_eq!(create(&app, "totruong.eakao", "commune_lead", "24169").await.status(), 200);
        assert_eq!(app.audit_entries("create", "app_user").await.len(), 6, "5 demo accounts + this one");

        let lead = app.other_client_signed_in_as("totruong.eakao", TEMPORARY).await;
        let blocked = app.call_with(&lead, "participants/search", &[("q", "")]).await;
        assert_eq!(blocked.status(), 403);
        assert!(blocked.text().await.expect("body").contains("PasswordChangeRequired"));
        let weak = app.call_with(&lead, "auth/change-password", &[("current_password", TEMPORARY), ("new_password", "ngắn")]).await;
        assert_eq!(weak.status(), 422);
        let changed = app.call_with(&lead, "auth/change-password", &[
            ("current_password", TEMPORARY),
            ("new_password", "cà phê buôn ma thuột sáng nay"),
        ]).await;
        assert_eq!(changed.status(), 200);
        assert_eq!(app.call_with(&lead, "participants/search", &[("q", "")]).await.status(), 200);
        assert_eq!(app.audit_entries("change_password", "app_user").await.len(), 1);
    }

    async fn a_commune_lead_creates_team_members_of_their_own_commune_only(app) {
        app.load_demo().await;
        app.sign_in_as("totruong.hoaphu").await;
        // The unit sent is ignored: a lead's new member belongs to the lead's commune.
        assert_eq!(create(&app, "moi.hoaphu", "team_member", "24163").await.status(), 200);
        let list: Vec<serde_json::Value> = app.call("users/list", &[]).await.json().await.expect("JSON");
        let new = list.iter().find(|u| u["username"] == "moi.hoaphu").expect("listed");
        assert_eq!(new["unit"], "Xã Hòa Phú");
        assert_eq!(new["must_change_password"], true);
        assert!(list.iter().all(|u| u["unit"] == "Xã Hòa Phú"), "only the lead's commune: {list:?}");
        assert_eq!(create(&app, "lead2.hoaphu", "commune_lead", "24175").await.status(), 403);
        // The same user name again is a message on that field, not a 500.
        let taken = create(&app, "moi.hoaphu", "team_member", "").await;
        assert_eq!(taken.status(), 422);
        assert!(taken.text().await.expect("body").contains("username"));

        app.sign_in_as("thanhvien.hoaphu").await;
        assert_eq!(create(&app, "x.hoaphu", "team_member", "").await.status(), 403);
        assert_eq!(app.call("users/list", &[]).await.status(), 403);
    }

    async fn two_creations_of_one_user_name_at_once_end_in_one_account_and_one_refusal(app) {
        app.load_demo().await;
        app.sign_in_as("admin").await;
        // Both requests pass the "is the name free?" read before either writes: the
        // password is hashed in between. The loser must hear 422 on the field, never 500.
        for round in 0..4 {
            let name = format!("trung.ten{round}");
            let (a, b) = tokio::join!(
                create(&app, &name, "team_member", "24169"),
                create(&app, &name, "team_member", "24169"),
            );
            let (a, b) = (a.status().as_u16(), b.status().as_u16());
            let mut statuses = [a, b];
            statuses.sort_unstable();
            assert_eq!(statuses, [200, 422], "round {round}: {a} and {b}");
            let listed: Vec<serde_json::Value> = app.call("users/list", &[]).await.json().await.expect("JSON");
            assert_eq!(listed.iter().filter(|u| u["username"] == name.as_str()).count(), 1);
        }
    }

    async fn a_disabled_account_loses_its_sessions_at_once(app) {
        app.load_demo().await;
        let member = app.other_client_signed_in_as("thanhvien.hoaphu", DEMO_PASSWORD).await;
        assert_eq!(app.call_with(&member, "participants/search", &[("q", "")]).await.status(), 200);
        app.sign_in_as("admin").await;
        let target = demo_id(103).to_string();
        let response = app.call("users/set-disabled", &[("user_id", &target), ("disabled", "true")]).await;
        assert_eq!(response.status(), 200);
        assert_eq!(app.call_with(&member, "participants/search", &[("q", "")]).await.status(), 401);
        let again = app.call_with(&crate::helpers::spawn_client(), "auth/sign-in", &[("login", "thanhvien.hoaphu"), ("password", DEMO_PASSWORD)]).await;
        assert_eq!(again.status(), 401);
        let entries = app.audit_entries("disable", "app_user").await;
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].actor_user_id, Some(demo_id(100)));
        // An admin cannot lock themselves out.
        let own = demo_id(100).to_string();
        assert_eq!(app.call("users/set-disabled", &[("user_id", &own), ("disabled", "true")]).await.status(), 422);
    }

    async fn the_audit_log_is_read_by_admins_and_by_leads_for_their_commune(app) {
        app.load_demo().await;
        app.sign_in_as("totruong.tanan").await;
        app.sign_in_as("totruong.hoaphu").await;
        let lines: Vec<serde_json::Value> = app.call("audit/read", &[]).await.json().await.expect("JSON");
        assert!(!lines.is_empty());
        let tan_an_lead = demo_id(104).to_string();
        assert!(lines.iter().all(|l| l["entity_id"] != tan_an_lead.as_str()), "no Tân An entries: {lines:?}");
        app.sign_in_as("admin").await;
        let all: Vec<serde_json::Value> = app.call("audit/read", &[]).await.json().await.expect("JSON");
        assert!(all.iter().any(|l| l["entity_id"] == tan_an_lead.as_str() && l["action"] == "sign_in"));
        for forbidden in ["thanhvien.hoaphu", "theodoi"] {
            app.sign_in_as(forbidden).await;
            assert_eq!(app.call("audit/read", &[]).await.status(), 403, "{forbidden}");
        }
    }
}
