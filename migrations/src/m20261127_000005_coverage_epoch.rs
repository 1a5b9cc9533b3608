//! `coverage_epoch`, and the index behind the session list's counts.
//!
//! Past points of a trend (month ends before this month) only change when a completion
//! dated before today changes: a correction, a merge, an edited birth date, an import,
//! a rebuild. Such writes bump the `epoch` of the month of each completion they change
//! (`month` = year × 100 + month), in their own transaction, so an app server may keep a
//! point for a day as long as the epochs of that day's month and the months before it
//! are those it read. Row `month = 0` is bumped by a rebuild (it changes every point) and
//! carries `token`, which tells databases apart (a server's memory must never answer for
//! another database).
//!
//! The session list counts each session's roster by status: `(session_id, status)` lets
//! it read the index alone instead of every attendance row.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{big_integer, integer, text_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CoverageEpoch {
    Table,
    Month,
    Token,
    Epoch,
}

#[derive(DeriveIden)]
enum Attendance {
    Table,
    SessionId,
    Status,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CoverageEpoch::Table)
                    .col(integer(CoverageEpoch::Month).primary_key())
                    .col(text_null(CoverageEpoch::Token))
                    .col(big_integer(CoverageEpoch::Epoch).default(0))
                    .to_owned(),
            )
            .await?;
        let random = match manager.get_database_backend() {
            sea_orm_migration::sea_orm::DatabaseBackend::Postgres => {
                "md5(random()::text || clock_timestamp()::text)"
            }
            _ => "lower(hex(randomblob(16)))",
        };
        manager
            .get_connection()
            .execute_unprepared(&format!(
                "INSERT INTO coverage_epoch (month, token, epoch) VALUES (0, {random}, 0)"
            ))
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_attendance_session_status")
                    .table(Attendance::Table)
                    .col(Attendance::SessionId)
                    .col(Attendance::Status)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ix_attendance_session_status")
                    .table(Attendance::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(CoverageEpoch::Table).to_owned())
            .await
    }
}
