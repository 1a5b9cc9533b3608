//! The demo data set: loaded into an empty SQLite database, never into PostgreSQL unless
//! asked, and loading it twice changes nothing.

use kynangso_server::config::DemoMode;

use crate::helpers::{Backend, DEMO_PASSWORD, spawn_app_with};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_sqlite_database_gets_the_demo_on_first_start() {
    let app = spawn_app_with(Backend::Sqlite, DemoMode::Auto)
        .await
        .expect("sqlite");
    assert_eq!(
        app.count("app_user").await,
        5,
        "one demo user per role, two commune leads"
    );
    assert!(app.count("participant").await >= 10);
    assert!(app.count("training_session").await >= 3);
    let admin = kynangso_data::users::find_by_username(&app.db, "admin")
        .await
        .expect("query")
        .expect("admin");
    let ok =
        kynangso_data::password::verify(DEMO_PASSWORD.to_owned(), Some(admin.password_hash)).await;
    assert!(
        ok.expect("verify"),
        "demo accounts use the configured demo password"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_never_gets_the_demo_unless_asked() {
    let Some(app) = spawn_app_with(Backend::Postgres, DemoMode::Auto).await else {
        return;
    };
    assert_eq!(app.count("admin_unit").await, 0);
    assert_eq!(app.count("app_user").await, 0);
}

both_databases! {
    async fn loading_the_demo_twice_changes_nothing(app) {
        kynangso_data::seed::load_demo(&app.db, Some(DEMO_PASSWORD.to_owned())).await.expect("first load");
        let tables = ["admin_unit", "unit_succession", "app_user", "participant", "consent", "citizen_profile",
            "curriculum_version", "skill_module", "training_session", "session_module", "attendance",
            "team", "team_member", "working_age_population", "working_age_rule", "audit_log"];
        let mut before = Vec::new();
        for table in tables {
            before.push(app.count(table).await);
        }
        let again = kynangso_data::seed::load_demo(&app.db, Some(DEMO_PASSWORD.to_owned())).await.expect("second load");
        assert!(again.iter().all(|a| a.password.is_none()), "no password is printed for an account that already existed");
        for (table, count) in tables.iter().zip(before) {
            assert!(count > 0, "{table} has demo rows");
            assert_eq!(app.count(table).await, count, "{table} after a second load");
        }
    }
}
