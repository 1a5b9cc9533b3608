//! `admin_unit`: provinces, communes/wards and villages, past and present.
//!
//! `code` is the statistics-office code as text ("66", "24175"); villages get an
//! internal code. `kind` is one of province, city, district, town, commune, ward,
//! township, village. `valid_to = None` means the unit still exists.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "admin_unit")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Not unique alone: one code can name several rows over time (see the migration).
    #[sea_orm(column_type = "Text")]
    pub code: String,
    #[sea_orm(column_type = "Text")]
    pub name: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub name_en: Option<String>,
    #[sea_orm(column_type = "String(StringLen::N(32))")]
    pub kind: String,
    pub parent_id: Option<Uuid>,
    pub valid_from: Date,
    pub valid_to: Option<Date>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The enclosing unit (province of a commune, commune of a village).
    #[sea_orm(
        belongs_to = "Entity",
        from = "Column::ParentId",
        to = "Column::Id",
        on_delete = "Restrict"
    )]
    Parent,
}

/// Unit → its parent unit, for `find_also_linked` / `find_linked`.
#[derive(Copy, Clone, Debug)]
pub struct ParentLink;

impl Linked for ParentLink {
    type FromEntity = Entity;
    type ToEntity = Entity;

    fn link(&self) -> Vec<RelationDef> {
        vec![Relation::Parent.def()]
    }
}

impl ActiveModelBehavior for ActiveModel {}
