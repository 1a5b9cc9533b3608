//! `working_age_population`: the working-age population of a unit in a year, the
//! denominator of coverage rates (UNIQUE(unit_id, year), population >= 0).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "working_age_population")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub unit_id: Uuid,
    pub year: i32,
    pub population: i64,
    #[sea_orm(column_type = "Text")]
    pub source: String,
    pub rule_id: Option<Uuid>,
    pub entered_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::admin_unit::Entity",
        from = "Column::UnitId",
        to = "super::admin_unit::Column::Id",
        on_delete = "Restrict"
    )]
    Unit,
    #[sea_orm(
        belongs_to = "super::working_age_rule::Entity",
        from = "Column::RuleId",
        to = "super::working_age_rule::Column::Id",
        on_delete = "Restrict"
    )]
    Rule,
    #[sea_orm(
        belongs_to = "super::app_user::Entity",
        from = "Column::EnteredBy",
        to = "super::app_user::Column::Id",
        on_delete = "Restrict"
    )]
    EnteredBy,
}

impl Related<super::admin_unit::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Unit.def()
    }
}

impl Related<super::working_age_rule::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Rule.def()
    }
}

impl Related<super::app_user::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::EnteredBy.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
