//! `working_age_rule`: a legal definition of "working age" used for denominators.
//! `definition` is a JSON document (as text).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "working_age_rule")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(column_type = "Text", unique)]
    pub code: String,
    #[sea_orm(column_type = "Text")]
    pub name: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub legal_basis: Option<String>,
    /// JSON text.
    #[sea_orm(column_type = "Text")]
    pub definition: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::working_age_population::Entity")]
    WorkingAgePopulation,
}

impl Related<super::working_age_population::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::WorkingAgePopulation.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
