//! Start-up: a failed migration stops the server with a clear message.

use kynangso_server::Application;
use sea_orm::{ConnectionTrait, Database, Statement};

use crate::helpers::test_settings;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_migration_stops_the_server_with_a_clear_message() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("broken.db").display()
    );
    // A table in the way of the first migration: creating it fails.
    let conn = Database::connect(url.clone()).await.expect("connect");
    conn.execute_raw(Statement::from_string(
        conn.get_database_backend(),
        "CREATE TABLE admin_unit (oops INTEGER)".to_owned(),
    ))
    .await
    .expect("sabotage");
    drop(conn);

    let error = match Application::build(&test_settings(url)).await {
        Ok(_) => panic!("the server must not start on a failed migration"),
        Err(error) => format!("{error:#}"),
    };
    assert!(error.contains("migrating the database schema"), "{error}");
}
