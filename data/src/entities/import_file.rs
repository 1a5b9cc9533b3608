//! `import_file`: an uploaded spreadsheet waiting for, running or done with its import
//! (migration `m20261127_000004_import_file`). `content` is emptied once the import is
//! done; `options` and `result` are JSON text.

use kynangso_domain::status::{ImportKind, ImportStatus};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "import_file")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// register, units, successions or population.
    #[sea_orm(column_type = "String(StringLen::N(32))")]
    pub kind: ImportKind,
    #[sea_orm(column_type = "Text")]
    pub file_name: String,
    #[sea_orm(column_type = "String(StringLen::N(64))")]
    pub sha256: String,
    #[sea_orm(column_type = "Blob")]
    pub content: Vec<u8>,
    pub size_bytes: i64,
    pub uploaded_by: Uuid,
    pub scope_unit_id: Option<Uuid>,
    #[sea_orm(column_type = "Text", nullable)]
    pub options: Option<String>,
    /// uploaded, running, done or failed.
    #[sea_orm(column_type = "String(StringLen::N(16))")]
    pub status: ImportStatus,
    pub rows_done: i64,
    #[sea_orm(column_type = "Text", nullable)]
    pub result: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
