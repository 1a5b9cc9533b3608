//! `audit_log`: append-only record of who did what (database triggers reject UPDATE
//! and DELETE). No foreign keys, so entries outlive the users and rows they describe.
//!
//! `action` is e.g. "create", "update", "delete", "merge", "sign_in"; `entity` is the
//! table name; `before`/`after` are JSON documents (as text).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub at: DateTimeUtc,
    pub actor_user_id: Option<Uuid>,
    #[sea_orm(column_type = "Text")]
    pub action: String,
    #[sea_orm(column_type = "Text")]
    pub entity: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub entity_id: Option<String>,
    pub scope_unit_id: Option<Uuid>,
    /// JSON text.
    #[sea_orm(column_type = "Text", nullable)]
    pub before: Option<String>,
    /// JSON text.
    #[sea_orm(column_type = "Text", nullable)]
    pub after: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub client: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
