//! `import_file`: a spreadsheet uploaded for import, its options and its progress.
//!
//! The web import is two steps (preview, then confirm) that may reach different app
//! servers, so the file lives in the database, not on one server's disk. Its content is
//! erased when the import is done (it may hold personal data); the counts stay. Progress
//! (`rows_done`) is committed with each batch, so any server can show it and a failed
//! import resumes where it stopped.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    big_integer, blob, string_len, text, text_null, timestamp_with_time_zone, uuid, uuid_null,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ImportFile {
    Table,
    Id,
    Kind,
    FileName,
    Sha256,
    Content,
    SizeBytes,
    UploadedBy,
    ScopeUnitId,
    Options,
    Status,
    RowsDone,
    Result,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum AppUser {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum AdminUnit {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ImportFile::Table)
                    .col(uuid(ImportFile::Id).primary_key())
                    .col(string_len(ImportFile::Kind, 32).check(
                        Expr::col(ImportFile::Kind).is_in([
                            "register",
                            "units",
                            "successions",
                            "population",
                        ]),
                    ))
                    .col(text(ImportFile::FileName))
                    .col(string_len(ImportFile::Sha256, 64))
                    .col(blob(ImportFile::Content))
                    .col(big_integer(ImportFile::SizeBytes))
                    .col(uuid(ImportFile::UploadedBy))
                    .col(uuid_null(ImportFile::ScopeUnitId))
                    .col(text_null(ImportFile::Options))
                    .col(
                        string_len(ImportFile::Status, 16).check(
                            Expr::col(ImportFile::Status)
                                .is_in(["uploaded", "running", "done", "failed"]),
                        ),
                    )
                    .col(big_integer(ImportFile::RowsDone).default(0))
                    .col(text_null(ImportFile::Result))
                    .col(timestamp_with_time_zone(ImportFile::CreatedAt))
                    .col(timestamp_with_time_zone(ImportFile::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_import_file_uploaded_by")
                            .from(ImportFile::Table, ImportFile::UploadedBy)
                            .to(AppUser::Table, AppUser::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_import_file_scope_unit_id")
                            .from(ImportFile::Table, ImportFile::ScopeUnitId)
                            .to(AdminUnit::Table, AdminUnit::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_import_file_uploaded_by")
                    .table(ImportFile::Table)
                    .col(ImportFile::UploadedBy)
                    .col(ImportFile::CreatedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ImportFile::Table).to_owned())
            .await
    }
}
