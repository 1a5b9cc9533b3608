//! `unit_succession`: which new unit absorbed an old one.
//!
//! `coverage = "full"` means the predecessor was wholly absorbed by the successor; an
//! old unit split between two new ones has two `"partial"` rows.
//! UNIQUE(predecessor_id, successor_id).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "unit_succession")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub predecessor_id: Uuid,
    pub successor_id: Uuid,
    #[sea_orm(column_type = "String(StringLen::N(32))")]
    pub coverage: String,
    pub effective_date: Date,
    /// e.g. "1660/NQ-UBTVQH15".
    #[sea_orm(column_type = "Text", nullable)]
    pub legal_basis: Option<String>,
    pub created_at: DateTimeUtc,
}

/// Two relations to `admin_unit`, so there is no `Related<admin_unit::Entity>`:
/// join with `Relation::Predecessor.def()` / `Relation::Successor.def()` or the links.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::admin_unit::Entity",
        from = "Column::PredecessorId",
        to = "super::admin_unit::Column::Id",
        on_delete = "Restrict"
    )]
    Predecessor,
    #[sea_orm(
        belongs_to = "super::admin_unit::Entity",
        from = "Column::SuccessorId",
        to = "super::admin_unit::Column::Id",
        on_delete = "Restrict"
    )]
    Successor,
}

/// Succession row → the old (absorbed) unit.
#[derive(Copy, Clone, Debug)]
pub struct PredecessorLink;

impl Linked for PredecessorLink {
    type FromEntity = Entity;
    type ToEntity = super::admin_unit::Entity;

    fn link(&self) -> Vec<RelationDef> {
        vec![Relation::Predecessor.def()]
    }
}

/// Succession row → the new (absorbing) unit.
#[derive(Copy, Clone, Debug)]
pub struct SuccessorLink;

impl Linked for SuccessorLink {
    type FromEntity = Entity;
    type ToEntity = super::admin_unit::Entity;

    fn link(&self) -> Vec<RelationDef> {
        vec![Relation::Successor.def()]
    }
}

impl ActiveModelBehavior for ActiveModel {}
