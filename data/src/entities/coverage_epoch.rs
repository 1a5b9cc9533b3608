//! `coverage_epoch`: per month (year × 100 + month), bumped by every write that changes a
//! completion dated before today in that month; month 0 is bumped by a rebuild and
//! carries `token`, the database's name (see `crate::coverage::points`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "coverage_epoch")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub month: i32,
    pub token: Option<String>,
    pub epoch: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
