//! `trained_cell`: how many `trained_person` rows fall in each (version, sex, birth year,
//! unit). Derived, kept in step by `crate::coverage::progress`; rebuildable.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "trained_cell")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub curriculum_version_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub female: bool,
    #[sea_orm(primary_key, auto_increment = false)]
    pub born_year: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub home_unit_id: Uuid,
    pub trained: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
