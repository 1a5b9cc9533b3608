//! `import_preview`: the preview of an uploaded file, computed once per file and choice
//! of options, instead of a dry run over the whole file on every view of `/nhap/{id}`
//! (a 39 MB register cost 11 s of CPU per view, issue 20). One row per file: choosing
//! other options replaces it. It goes with its file (cascade), and is deleted when the
//! import finishes or a person of the file's commune withdraws their consent, since an
//! issue may name a person already recorded.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{text, timestamp_with_time_zone, uuid};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ImportPreview {
    Table,
    ImportFileId,
    Options,
    Outcome,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ImportFile {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ImportPreview::Table)
                    .col(uuid(ImportPreview::ImportFileId).primary_key())
                    .col(text(ImportPreview::Options))
                    .col(text(ImportPreview::Outcome))
                    .col(timestamp_with_time_zone(ImportPreview::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_import_preview_import_file_id")
                            .from(ImportPreview::Table, ImportPreview::ImportFileId)
                            .to(ImportFile::Table, ImportFile::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ImportPreview::Table).to_owned())
            .await
    }
}
