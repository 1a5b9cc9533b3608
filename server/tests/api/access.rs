//! Every server function is a public endpoint. This file is the register of who may call
//! which: a new function that is not listed here fails `every_server_function_is_classified`,
//! so nobody can add one without deciding its access rule and testing it.

/// Callable without a session: public reference data and the sign-in flow itself.
const PUBLIC: &[&str] = &[
    "/api/units/communes",
    "/api/auth/sign-in",
    "/api/auth/sign-out",
    "/api/auth/me",
];

/// Need a signed-in user; without a session they answer 401 and do nothing.
const SIGNED_IN: &[&str] = &["/api/auth/sign-out-everywhere"];

fn registered() -> Vec<String> {
    let mut paths: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_owned())
        .collect();
    paths.sort();
    paths
}

#[test]
fn every_server_function_is_classified() {
    let unclassified: Vec<String> = registered()
        .into_iter()
        .filter(|p| !PUBLIC.contains(&p.as_str()) && !SIGNED_IN.contains(&p.as_str()))
        .collect();
    assert!(
        unclassified.is_empty(),
        "server functions without an access rule in tests/api/access.rs: {unclassified:?}"
    );
    for listed in PUBLIC.iter().chain(SIGNED_IN) {
        assert!(
            registered().iter().any(|p| p == listed),
            "{listed} is listed but not registered"
        );
    }
}

both_databases! {
    async fn every_protected_server_function_refuses_a_caller_without_a_session(app) {
        kynangso_data::seed::load_demo(&app.db, Some(crate::helpers::DEMO_PASSWORD.to_owned())).await.expect("demo");
        let sessions_before = app.count("user_session").await;
        for path in SIGNED_IN {
            let endpoint = path.trim_start_matches("/api/");
            let response = app.call(endpoint, &[]).await;
            assert_eq!(response.status(), 401, "{path} without a session");
            assert!(response.text().await.expect("body").contains("Unauthenticated"), "{path}");
        }
        assert_eq!(app.count("user_session").await, sessions_before);
    }
}
