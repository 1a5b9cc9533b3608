//! Every server function is a public endpoint. This file is the register of who may call
//! which: a new function that is not listed here fails `every_server_function_is_classified`,
//! so nobody can add one without deciding its access rule and testing it — without a
//! session, and as a user of another commune.

use kynangso_data::entities::{
    app_user, attendance, participant, training_session, user_session, working_age_population,
};
use kynangso_data::seed::demo_id;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::helpers::{DEMO_PASSWORD, TestApp};

/// Callable without a session: public reference data and the sign-in flow itself.
pub(crate) const PUBLIC: &[&str] = &[
    "/api/units/communes",
    "/api/auth/sign-in",
    "/api/auth/sign-out",
    "/api/auth/me",
];

/// What a signed-in user of another commune (Tân An's lead) gets from a function when
/// aimed at Hòa Phú's records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FromAnotherCommune {
    /// 403 or 404, and nothing changes.
    Refused,
    /// 200, with the caller's own commune's data only: no trace of Hòa Phú in the body.
    OwnCommuneOnly,
    /// Acts on the caller's own account only (checked: Hòa Phú's data is unchanged).
    OwnAccountOnly,
    /// 200 with counts that include Hòa Phú's, but no person or account of Hòa Phú.
    CountsOnly,
}

/// The key of a rule's single "form field" that is really a JSON body (for functions that
/// take JSON, such as a batch of marks).
pub(crate) const JSON_BODY: &str = "(json body)";

/// Calls `path` with `client` (or the app's own), as a form or, see [`JSON_BODY`], as JSON.
pub(crate) async fn send(
    app: &TestApp,
    client: Option<&reqwest::Client>,
    path: &str,
    form: &[(&'static str, String)],
) -> reqwest::Response {
    let client = client.unwrap_or(&app.client);
    let request = client.post(app.url(path)).header("Origin", app.url(""));
    let request = match form {
        [(JSON_BODY, body)] => request
            .header("Content-Type", "application/json")
            .body(body.clone()),
        _ => request.form(form),
    };
    request.send().await.expect("request reaches the server")
}

/// A protected function, the form that aims it at Hòa Phú, and what Tân An's lead gets.
pub(crate) type Rule = (
    &'static str,
    Vec<(&'static str, String)>,
    FromAnotherCommune,
);

/// Need a signed-in user; without a session they answer 401 and do nothing.
/// Each with the form that aims it at Hòa Phú's records.
pub(crate) fn signed_in() -> Vec<Rule> {
    use FromAnotherCommune::*;
    let hoa_phu_person = demo_id(700).to_string();
    let hoa_phu_member = demo_id(103).to_string();
    let hoa_phu_session = demo_id(500).to_string();
    vec![
        ("/api/auth/sign-out-everywhere", vec![], OwnAccountOnly),
        (
            "/api/auth/change-password",
            vec![
                ("current_password", DEMO_PASSWORD.to_owned()),
                ("new_password", "một mật khẩu mới đủ dài".to_owned()),
            ],
            OwnAccountOnly,
        ),
        (
            "/api/participants/search",
            vec![("q", String::new())],
            OwnCommuneOnly,
        ),
        (
            "/api/participants/registration-context",
            vec![],
            OwnCommuneOnly,
        ),
        (
            "/api/participants/register",
            vec![
                ("form[id]", hoa_phu_person.clone()),
                ("form[full_name]", "Kẻ Mạo Danh".to_owned()),
                ("form[sex]", "male".to_owned()),
                ("form[birth_year]", "1990".to_owned()),
                ("form[consent]", "on".to_owned()),
            ],
            Refused,
        ),
        (
            "/api/participants/detail",
            vec![("id", hoa_phu_person.clone())],
            Refused,
        ),
        (
            "/api/participants/withdraw-consent",
            vec![("id", hoa_phu_person)],
            Refused,
        ),
        ("/api/users/list", vec![], OwnCommuneOnly),
        (
            "/api/users/create",
            vec![
                ("id", kynangso_domain::new_id().to_string()),
                ("username", "chiem.hoaphu".to_owned()),
                ("display_name", "Chiếm quyền".to_owned()),
                ("role", "commune_lead".to_owned()),
                ("unit_code", "24175".to_owned()),
                ("temporary_password", "mật khẩu tạm thời dài".to_owned()),
            ],
            Refused,
        ),
        (
            "/api/users/set-disabled",
            vec![("user_id", hoa_phu_member), ("disabled", "true".to_owned())],
            Refused,
        ),
        ("/api/audit/read", vec![], OwnCommuneOnly),
        (
            "/api/participants/duplicates",
            vec![
                ("full_name", "Nguyễn Thị Hoa".to_owned()),
                ("birth_year", "1985".to_owned()),
                ("phone", "0912345678".to_owned()),
            ],
            OwnCommuneOnly,
        ),
        (
            "/api/participants/merge",
            vec![
                ("kept_id", demo_id(720).to_string()),
                ("duplicate_id", demo_id(700).to_string()),
            ],
            Refused,
        ),
        ("/api/sessions/list", vec![], OwnCommuneOnly),
        (
            "/api/coverage/province",
            vec![("ngay", "2026-11-27".to_owned())],
            CountsOnly,
        ),
        (
            "/api/coverage/commune",
            vec![("code", "24175".to_owned())],
            CountsOnly,
        ),
        (
            "/api/coverage/set-population",
            vec![
                ("unit_code", "24175".to_owned()),
                ("year", "2026".to_owned()),
                ("population", "1".to_owned()),
                ("source", "xã khác".to_owned()),
                ("rule_code", "ND135-2020".to_owned()),
            ],
            Refused,
        ),
        ("/api/sessions/form-context", vec![], OwnCommuneOnly),
        (
            "/api/sessions/create",
            vec![
                ("form[id]", hoa_phu_session.clone()),
                ("form[starts_at]", "2025-09-12T08:00".to_owned()),
                ("form[duration_minutes]", "90".to_owned()),
                ("form[place]", "Hội trường".to_owned()),
                ("form[module_ids][]", demo_id(201).to_string()),
            ],
            Refused,
        ),
        (
            "/api/sessions/update",
            vec![
                ("form[id]", hoa_phu_session.clone()),
                ("form[starts_at]", "2025-09-12T09:00".to_owned()),
                ("form[duration_minutes]", "60".to_owned()),
                ("form[place]", "Đổi từ xã khác".to_owned()),
                ("form[module_ids][]", demo_id(201).to_string()),
            ],
            Refused,
        ),
        (
            "/api/sessions/detail",
            vec![("id", hoa_phu_session.clone())],
            Refused,
        ),
        (
            "/api/sessions/cancel",
            vec![("id", hoa_phu_session.clone())],
            Refused,
        ),
        (
            "/api/attendance/mark",
            vec![
                ("session_id", hoa_phu_session.clone()),
                ("participant_id", demo_id(701).to_string()),
                ("status", "absent".to_owned()),
            ],
            Refused,
        ),
        // An upload is its uploader's alone; `imports.rs` tries another lead on a real
        // upload of Hòa Phú's lead. Here: an id that names nothing of the caller's.
        (
            "/api/imports/preview",
            vec![("id", demo_id(9_001).to_string())],
            Refused,
        ),
        (
            "/api/imports/start",
            vec![
                ("id", demo_id(9_001).to_string()),
                ("dong_y", "on".to_owned()),
            ],
            Refused,
        ),
        ("/api/imports/recent", vec![], OwnAccountOnly),
        (
            "/api/attendance/mark-many",
            vec![(
                JSON_BODY,
                serde_json::json!({
                    "session_id": hoa_phu_session,
                    "marks": [{ "participant_id": demo_id(701), "status": "absent" }],
                })
                .to_string(),
            )],
            Refused,
        ),
        (
            "/api/attendance/mark-all-present",
            vec![("session_id", hoa_phu_session.clone())],
            Refused,
        ),
        (
            "/api/attendance/mark-by-code",
            vec![
                ("session_id", hoa_phu_session),
                (
                    "code",
                    kynangso_domain::person::participant_code(demo_id(701)),
                ),
            ],
            Refused,
        ),
    ]
}

fn registered() -> Vec<String> {
    let mut paths: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_owned())
        .collect();
    paths.sort();
    paths
}

#[test]
fn every_server_function_is_classified() {
    let protected: Vec<&str> = signed_in().into_iter().map(|(p, _, _)| p).collect();
    let unclassified: Vec<String> = registered()
        .into_iter()
        .filter(|p| !PUBLIC.contains(&p.as_str()) && !protected.contains(&p.as_str()))
        .collect();
    assert!(
        unclassified.is_empty(),
        "server functions without an access rule in tests/api/access.rs: {unclassified:?}"
    );
    for listed in PUBLIC.iter().chain(&protected) {
        assert!(
            registered().iter().any(|p| p == listed),
            "{listed} is listed but not registered"
        );
    }
}

/// Everything of Hòa Phú's that a function could leak or change.
async fn hoa_phu_state(app: &TestApp) -> String {
    let people = participant::Entity::find()
        .filter(participant::Column::HomeUnitId.eq(demo_id(10)))
        .all(&app.db)
        .await
        .expect("participants");
    let users = app_user::Entity::find()
        .filter(app_user::Column::ScopeUnitId.eq(demo_id(10)))
        .all(&app.db)
        .await
        .expect("users");
    let user_ids: Vec<_> = users.iter().map(|u| u.id).collect();
    let sessions = user_session::Entity::find()
        .filter(user_session::Column::UserId.is_in(user_ids))
        .all(&app.db)
        .await
        .expect("sessions");
    let training = training_session::Entity::find()
        .filter(training_session::Column::UnitId.eq(demo_id(10)))
        .all(&app.db)
        .await
        .expect("training sessions");
    let marks = attendance::Entity::find()
        .order_by_asc(attendance::Column::Id)
        .all(&app.db)
        .await
        .expect("attendance");
    let population = working_age_population::Entity::find()
        .filter(working_age_population::Column::UnitId.eq(demo_id(10)))
        .all(&app.db)
        .await
        .expect("population");
    format!("{people:?}{users:?}{sessions:?}{training:?}{marks:?}{population:?}")
}

/// Strings that would show Hòa Phú's data in a response.
fn hoa_phu_traces() -> Vec<String> {
    vec![
        "Hòa Phú".to_owned(),
        "hoaphu".to_owned(),
        "Nguyễn Thị Hoa".to_owned(),
        demo_id(700).to_string(),
        demo_id(103).to_string(),
    ]
}

both_databases! {
    async fn every_protected_server_function_refuses_a_caller_without_a_session(app) {
        app.load_demo().await;
        let before = (app.count("user_session").await, app.count("participant").await,
            app.count("app_user").await, app.count("audit_log").await, hoa_phu_state(&app).await);
        for (path, form, _) in signed_in() {
            let response = send(&app, None, path, &form).await;
            assert_eq!(response.status(), 401, "{path} without a session");
            assert!(response.text().await.expect("body").contains("Unauthenticated"), "{path}");
        }
        let after = (app.count("user_session").await, app.count("participant").await,
            app.count("app_user").await, app.count("audit_log").await, hoa_phu_state(&app).await);
        assert_eq!(before, after);
    }

    async fn every_protected_server_function_keeps_another_commune_out(app) {
        app.load_demo().await;
        // Hòa Phú's member has a live session that nothing done from Tân An may end.
        let _hoa_phu_phone = app.other_client_signed_in_as("thanhvien.hoaphu", DEMO_PASSWORD).await;
        let before = hoa_phu_state(&app).await;
        for (path, form, rule) in signed_in() {
            // A fresh sign-in each time: some functions end or change the caller's session.
            let tan_an = app.other_client_signed_in_as("totruong.tanan", DEMO_PASSWORD).await;
            let response = send(&app, Some(&tan_an), path, &form).await;
            let status = response.status().as_u16();
            let body = response.text().await.expect("body");
            match rule {
                FromAnotherCommune::Refused => {
                    assert!(matches!(status, 403 | 404), "{path} answered {status}: {body}");
                }
                FromAnotherCommune::OwnCommuneOnly => {
                    assert_eq!(status, 200, "{path}: {body}");
                    for trace in hoa_phu_traces() {
                        assert!(!body.contains(&trace), "{path} leaked {trace}: {body}");
                    }
                }
                FromAnotherCommune::CountsOnly => {
                    assert_eq!(status, 200, "{path}: {body}");
                    for trace in hoa_phu_traces().into_iter().filter(|t| t != "Hòa Phú") {
                        assert!(!body.contains(&trace), "{path} leaked {trace}: {body}");
                    }
                }
                FromAnotherCommune::OwnAccountOnly => {
                    assert!(status < 500, "{path} answered {status}: {body}");
                }
            }
            assert_eq!(hoa_phu_state(&app).await, before, "{path} changed Hòa Phú's data");
            if path == "/api/auth/change-password" {
                // Put the demo password back for the next sign-in.
                let again = app.other_client_signed_in_as("totruong.tanan", "một mật khẩu mới đủ dài").await;
                let reset = app.call_with(&again, "auth/change-password", &[
                    ("current_password", "một mật khẩu mới đủ dài"), ("new_password", DEMO_PASSWORD),
                ]).await;
                assert_eq!(reset.status(), 200);
            }
        }
    }
}
