//! `skill_module`: one module of a curriculum version, ordered by `position`
//! (UNIQUE(curriculum_version_id, code)).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "skill_module")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub curriculum_version_id: Uuid,
    #[sea_orm(column_type = "Text")]
    pub code: String,
    #[sea_orm(column_type = "Text")]
    pub name: String,
    #[sea_orm(default_value = true)]
    pub required: bool,
    pub position: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::curriculum_version::Entity",
        from = "Column::CurriculumVersionId",
        to = "super::curriculum_version::Column::Id",
        on_delete = "Restrict"
    )]
    CurriculumVersion,
    #[sea_orm(has_many = "super::session_module::Entity")]
    SessionModule,
}

impl Related<super::curriculum_version::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::CurriculumVersion.def()
    }
}

impl Related<super::session_module::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::SessionModule.def()
    }
}

/// Sessions that covered this module, through `session_module`.
impl Related<super::training_session::Entity> for Entity {
    fn to() -> RelationDef {
        super::session_module::Relation::Session.def()
    }

    fn via() -> Option<RelationDef> {
        Some(super::session_module::Relation::Module.def().rev())
    }
}

impl ActiveModelBehavior for ActiveModel {}
