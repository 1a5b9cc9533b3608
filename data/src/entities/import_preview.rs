//! `import_preview`: the stored preview of an upload for one choice of options
//! (migration `m20261207_000001_import_preview`). `options` and `outcome` are JSON text.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "import_preview")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub import_file_id: Uuid,
    #[sea_orm(column_type = "Text")]
    pub options: String,
    #[sea_orm(column_type = "Text")]
    pub outcome: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
