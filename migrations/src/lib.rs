//! Schema migrations for Kỹ Năng Số.
//!
//! The server runs `Migrator::up(&db, None)` at start-up. Every migration must run
//! unchanged on SQLite and PostgreSQL. Shipped migrations are never edited: schema
//! changes go into a new `mYYYYMMDD_NNNNNN_*` module appended to
//! [`Migrator::migrations`].

pub use sea_orm_migration::prelude::*;

mod m20261127_000001_initial_schema;
mod m20261127_000002_participant_consent_withdrawn;
mod m20261127_000003_trained_person;
mod m20261127_000004_import_file;
mod m20261127_000005_coverage_epoch;
mod m20261207_000001_import_preview;
mod m20261207_000002_sign_in_device;

/// The list of migrations, oldest first.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261127_000001_initial_schema::Migration),
            Box::new(m20261127_000002_participant_consent_withdrawn::Migration),
            Box::new(m20261127_000003_trained_person::Migration),
            Box::new(m20261127_000004_import_file::Migration),
            Box::new(m20261127_000005_coverage_epoch::Migration),
            Box::new(m20261207_000001_import_preview::Migration),
            Box::new(m20261207_000002_sign_in_device::Migration),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm_migration::sea_orm::{
        Database, DatabaseConnection, DbBackend, Statement,
        prelude::{ChronoUtc, Uuid},
    };

    /// User tables (excluding the migrator's own bookkeeping table).
    async fn user_tables(db: &DatabaseConnection) -> Result<Vec<String>, DbErr> {
        let backend = db.get_database_backend();
        let sql = match backend {
            DbBackend::Sqlite => {
                "SELECT name FROM sqlite_master WHERE type = 'table' \
                 AND name NOT LIKE 'sqlite_%' AND name <> 'seaql_migrations' ORDER BY name"
            }
            _ => {
                "SELECT table_name::text AS name FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_name <> 'seaql_migrations' \
                 ORDER BY table_name"
            }
        };
        let rows = db
            .query_all_raw(Statement::from_string(backend, sql))
            .await?;
        rows.iter()
            .map(|row| row.try_get::<String>("", "name"))
            .collect()
    }

    fn insert(table: &str, cols: &[&str], values: Vec<SimpleExpr>) -> InsertStatement {
        Query::insert()
            .into_table(Alias::new(table))
            .columns(cols.iter().map(|c| Alias::new(*c)))
            .values_panic(values)
            .to_owned()
    }

    fn admin_unit(id: Uuid, code: &str, kind: &str, parent: Option<Uuid>) -> InsertStatement {
        let now = ChronoUtc::now();
        insert(
            "admin_unit",
            &[
                "id",
                "code",
                "name",
                "kind",
                "parent_id",
                "valid_from",
                "created_at",
                "updated_at",
            ],
            vec![
                id.into(),
                code.into(),
                format!("Unit {code}").into(),
                kind.into(),
                parent.into(),
                now.date_naive().into(),
                now.into(),
                now.into(),
            ],
        )
    }

    /// Runs the migration up, pokes at the constraints, then down, then up and down again.
    async fn exercise(db: &DatabaseConnection) -> Result<(), DbErr> {
        Migrator::up(db, None).await?;

        let tables = user_tables(db).await?;
        assert_eq!(tables.len(), 25, "tables after up: {tables:?}");

        // Enumerations are checked.
        let province = Uuid::from_u128(1);
        let commune = Uuid::from_u128(2);
        db.execute(&admin_unit(province, "66", "province", None))
            .await?;
        db.execute(&admin_unit(commune, "24175", "commune", Some(province)))
            .await?;
        assert!(
            db.execute(&admin_unit(Uuid::from_u128(3), "x", "kingdom", None))
                .await
                .is_err(),
            "CHECK on admin_unit.kind"
        );
        // Foreign keys are enforced.
        assert!(
            db.execute(&admin_unit(
                Uuid::from_u128(4),
                "y",
                "ward",
                Some(Uuid::from_u128(999))
            ))
            .await
            .is_err(),
            "FK admin_unit.parent_id"
        );
        // ON DELETE RESTRICT.
        let delete_province = Query::delete()
            .from_table(Alias::new("admin_unit"))
            .and_where(Expr::col(Alias::new("id")).eq(province))
            .to_owned();
        assert!(
            db.execute(&delete_province).await.is_err(),
            "RESTRICT on admin_unit.parent_id"
        );
        // Non-negative population.
        let now = ChronoUtc::now();
        let population = |id: u128, year: i32, value: i64| {
            insert(
                "working_age_population",
                &[
                    "id",
                    "unit_id",
                    "year",
                    "population",
                    "source",
                    "created_at",
                    "updated_at",
                ],
                vec![
                    Uuid::from_u128(id).into(),
                    commune.into(),
                    year.into(),
                    value.into(),
                    "test".into(),
                    now.into(),
                    now.into(),
                ],
            )
        };
        db.execute(&population(10, 2025, 1234)).await?;
        assert!(db.execute(&population(11, 2026, -1)).await.is_err());
        assert!(
            db.execute(&population(12, 2025, 5)).await.is_err(),
            "UNIQUE(unit_id, year)"
        );

        // The audit log is append-only.
        db.execute(&insert(
            "audit_log",
            &["id", "at", "action", "entity", "entity_id"],
            vec![
                Uuid::from_u128(20).into(),
                now.into(),
                "create".into(),
                "admin_unit".into(),
                province.to_string().into(),
            ],
        ))
        .await?;
        let update = Query::update()
            .table(Alias::new("audit_log"))
            .value(Alias::new("action"), "delete")
            .to_owned();
        let err = db.execute(&update).await.expect_err("audit_log UPDATE");
        assert!(err.to_string().contains("append-only"), "{err}");
        let delete = Query::delete()
            .from_table(Alias::new("audit_log"))
            .to_owned();
        let err = db.execute(&delete).await.expect_err("audit_log DELETE");
        assert!(err.to_string().contains("append-only"), "{err}");

        Migrator::down(db, None).await?;
        assert_eq!(user_tables(db).await?, Vec::<String>::new());

        // Down really cleaned up (triggers, functions, indexes): up again works.
        Migrator::up(db, None).await?;
        assert_eq!(user_tables(db).await?.len(), 25);
        Migrator::down(db, None).await?;
        assert_eq!(user_tables(db).await?, Vec::<String>::new());
        Ok(())
    }

    #[tokio::test]
    async fn up_and_down_on_sqlite() -> Result<(), DbErr> {
        let db = Database::connect("sqlite::memory:").await?;
        exercise(&db).await
    }

    /// Runs on a database of its own on `TEST_POSTGRES_URL` (default: the local server).
    /// Unreachable PostgreSQL skips the test, except under `CI=true` where it fails.
    #[tokio::test]
    async fn up_and_down_on_postgres() -> Result<(), DbErr> {
        let admin_url = std::env::var("TEST_POSTGRES_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
        let admin = match Database::connect(admin_url.as_str()).await {
            Ok(conn) => conn,
            Err(err) if std::env::var("CI").as_deref() == Ok("true") => return Err(err),
            Err(err) => {
                eprintln!("SKIPPED on PostgreSQL (unreachable at {admin_url}: {err})");
                return Ok(());
            }
        };
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let name = format!("kns_migration_{}_{nanos}", std::process::id());
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await?;
        let base = admin_url
            .rsplit_once('/')
            .map_or(admin_url.as_str(), |(b, _)| b);
        let db = Database::connect(format!("{base}/{name}")).await?;
        let outcome = exercise(&db).await;
        db.close().await?;
        admin
            .execute_unprepared(&format!("DROP DATABASE {name} WITH (FORCE)"))
            .await?;
        outcome
    }
}
