//! The database foundation: engine settings, constraints, idempotent creates, audit log.

use chrono::Utc;
use kynangso_data::entities::{admin_unit, audit_log};
use kynangso_data::idempotent::{Outcome, insert_once};
use kynangso_data::users::{self, NewUser};
use kynangso_domain::Role;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, Statement};

use crate::helpers::{Backend, TestApp};

fn province(id: uuid::Uuid, code: &str) -> admin_unit::ActiveModel {
    let now = Utc::now();
    admin_unit::ActiveModel {
        id: Set(id),
        code: Set(code.to_owned()),
        name: Set("Tỉnh Đắk Lắk".to_owned()),
        name_en: Set(None),
        kind: Set("province".to_owned()),
        parent_id: Set(None),
        valid_from: Set(chrono::NaiveDate::from_ymd_opt(2025, 7, 1).expect("date")),
        valid_to: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
}

async fn raw(app: &TestApp, sql: &str) -> Result<sea_orm::ExecResult, sea_orm::DbErr> {
    app.db
        .execute_raw(Statement::from_string(
            app.db.get_database_backend(),
            sql.to_owned(),
        ))
        .await
}

both_databases! {
    async fn writes_that_share_a_commit_succeed_or_fail_one_by_one(app) {
        use kynangso_data::audit::{self, AuditEntry};
        use kynangso_data::{DataError, group_commit};
        // 40 writers at once; every fifth writes, then fails. On SQLite they share
        // transactions; each failure must take back only its own row.
        let (transactions, pieces) = group_commit::totals();
        let mut tasks = Vec::new();
        for n in 0..40u32 {
            let db = app.db.clone();
            tasks.push(tokio::spawn(async move {
                group_commit::write(&db, move |txn| {
                    Box::pin(async move {
                        let entry = AuditEntry {
                            action: "group_commit_test",
                            entity: "writer",
                            entity_id: Some(n.to_string()),
                            ..Default::default()
                        };
                        audit::record(txn, entry).await?;
                        if n % 5 == 0 {
                            return Err(DataError::Invalid(format!("writer {n} refuses")));
                        }
                        Ok(n)
                    })
                })
                .await
            }));
        }
        let mut answered = Vec::new();
        for (n, task) in tasks.into_iter().enumerate() {
            match task.await.expect("writer task") {
                Ok(value) => answered.push(value),
                Err(DataError::Invalid(message)) => assert_eq!(message, format!("writer {n} refuses")),
                Err(other) => panic!("writer {n}: {other}"),
            }
        }
        assert_eq!(answered.len(), 32);
        let mut kept: Vec<u32> = app
            .audit_entries("group_commit_test", "writer")
            .await
            .into_iter()
            .map(|e| e.entity_id.expect("id").parse().expect("number"))
            .collect();
        kept.sort_unstable();
        assert_eq!(kept, answered, "exactly the writers told 'saved' are kept");
        if app.db.get_database_backend() == sea_orm::DbBackend::Sqlite {
            let shared = group_commit::totals();
            assert!(
                shared.0 - transactions < shared.1 - pieces,
                "some writers shared a commit: {transactions}/{pieces} → {shared:?}"
            );
        }
    }

    async fn a_lone_write_that_fails_keeps_nothing_and_the_next_one_commits(app) {
        use kynangso_data::audit::{self, AuditEntry};
        use kynangso_data::{DataError, group_commit};
        // One writer at a time: on SQLite its work runs without a savepoint, so a failure
        // must roll back the whole shared transaction.
        for (n, fails) in [(1u32, true), (2, false), (3, true), (4, false)] {
            let outcome = group_commit::write(&app.db, move |txn| {
                Box::pin(async move {
                    let entry = AuditEntry {
                        action: "group_commit_test",
                        entity: "lone writer",
                        entity_id: Some(n.to_string()),
                        ..Default::default()
                    };
                    audit::record(txn, entry).await?;
                    if fails {
                        return Err(DataError::Invalid(format!("writer {n} refuses")));
                    }
                    Ok(n)
                })
            })
            .await;
            match outcome {
                Ok(value) => assert!(!fails && value == n, "writer {n} answered {value}"),
                Err(DataError::Invalid(message)) => {
                    assert!(fails, "writer {n} failed: {message}");
                    assert_eq!(message, format!("writer {n} refuses"));
                }
                Err(other) => panic!("writer {n}: {other}"),
            }
        }
        let mut kept: Vec<String> = app
            .audit_entries("group_commit_test", "lone writer")
            .await
            .into_iter()
            .map(|e| e.entity_id.expect("id"))
            .collect();
        kept.sort_unstable();
        assert_eq!(kept, ["2", "4"], "only the writers told 'saved' are kept");
    }

    async fn a_retried_create_with_the_same_id_makes_one_row(app) {
        let id = kynangso_domain::new_id();
        assert_eq!(insert_once(&app.db, province(id, "66")).await.expect("first"), Outcome::Created);
        assert_eq!(insert_once(&app.db, province(id, "66")).await.expect("retry"), Outcome::AlreadyThere);
        assert_eq!(app.count("admin_unit").await, 1);
    }

    async fn a_retried_user_creation_returns_the_first_result_and_is_audited_once(app) {
        let unit = kynangso_domain::new_id();
        insert_once(&app.db, province(unit, "66")).await.expect("province");
        let new = NewUser {
            id: kynangso_domain::new_id(),
            username: "Quan.Tri".to_owned(),
            phone: None,
            display_name: "Quản trị".to_owned(),
            password: "một câu mật khẩu đủ dài".to_owned(),
            role: Role::ProvinceAdmin,
            scope_unit_id: unit,
            must_change_password: false,
        };
        assert_eq!(users::create(&app.db, new.clone(), None).await.expect("first"), Outcome::Created);
        assert_eq!(users::create(&app.db, new.clone(), None).await.expect("retry"), Outcome::AlreadyThere);
        assert_eq!(app.count("app_user").await, 1);
        assert_eq!(app.count("audit_log").await, 1);

        // Another account may not take the same (case-folded) user name.
        let other = NewUser { id: kynangso_domain::new_id(), username: "quan.tri".to_owned(), ..new };
        assert!(users::create(&app.db, other, None).await.is_err());
        assert_eq!(app.count("app_user").await, 1);
    }

    async fn the_audit_log_cannot_be_changed_or_deleted(app) {
        kynangso_data::audit::record(&app.db, kynangso_data::audit::AuditEntry {
            action: "create",
            entity: "admin_unit",
            ..Default::default()
        }).await.expect("append");
        assert!(raw(&app, "UPDATE audit_log SET action = 'forged'").await.is_err());
        assert!(raw(&app, "DELETE FROM audit_log").await.is_err());
        let rows = audit_log::Entity::find().all(&app.db).await.expect("read");
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].action, "create");
    }

    async fn foreign_keys_are_enforced(app) {
        let mut orphan = province(kynangso_domain::new_id(), "24175");
        orphan.kind = Set("commune".to_owned());
        orphan.parent_id = Set(Some(kynangso_domain::new_id()));
        assert!(admin_unit::Entity::insert(orphan).exec_without_returning(&app.db).await.is_err());
        assert_eq!(app.count("admin_unit").await, 0);
    }

    async fn only_one_current_unit_may_hold_a_code(app) {
        insert_once(&app.db, province(kynangso_domain::new_id(), "66")).await.expect("first");
        let second = province(kynangso_domain::new_id(), "66");
        assert!(insert_once(&app.db, second).await.is_err(), "two current units with code 66");
    }
}

#[tokio::test]
async fn sqlite_runs_in_wal_mode_with_full_sync_and_foreign_keys() {
    let app = crate::helpers::spawn_app(Backend::Sqlite)
        .await
        .expect("sqlite");
    for (pragma, expected) in [
        ("journal_mode", "wal"),
        ("synchronous", "2"),
        ("foreign_keys", "1"),
    ] {
        // Read through the server's own pool, where the settings are applied per connection.
        let settings = crate::helpers::test_settings(app.database_url().to_owned());
        let conn = kynangso_data::db::connect(&settings.db())
            .await
            .expect("connect");
        let row = conn
            .query_one_raw(Statement::from_string(
                conn.get_database_backend(),
                format!("PRAGMA {pragma}"),
            ))
            .await
            .expect("pragma")
            .expect("a row");
        let value: String = row
            .try_get_by_index::<String>(0)
            .or_else(|_| row.try_get_by_index::<i32>(0).map(|v| v.to_string()))
            .expect("a value");
        assert_eq!(value, expected, "PRAGMA {pragma}");
    }
}
