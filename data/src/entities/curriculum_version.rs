//! `curriculum_version`: a versioned curriculum (e.g. "KNS-CB-1.0").
//!
//! `completion_rule` is a JSON document (as text) saying when a participant counts as
//! trained. `status` is one of draft, published, retired.

use kynangso_domain::status::CurriculumStatus;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "curriculum_version")]
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
    pub completion_rule: String,
    #[sea_orm(column_type = "String(StringLen::N(32))")]
    pub status: CurriculumStatus,
    pub published_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::skill_module::Entity")]
    SkillModule,
    #[sea_orm(has_many = "super::training_session::Entity")]
    TrainingSession,
}

impl Related<super::skill_module::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::SkillModule.def()
    }
}

impl Related<super::training_session::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::TrainingSession.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
