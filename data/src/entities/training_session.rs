//! `training_session`: one class held (or planned) in a commune/ward.
//! `status` is one of planned, held, cancelled.

use kynangso_domain::status::SessionStatus;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "training_session")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The commune/ward.
    pub unit_id: Uuid,
    pub village_id: Option<Uuid>,
    #[sea_orm(column_type = "Text")]
    pub place: String,
    pub starts_at: DateTimeUtc,
    pub duration_minutes: i32,
    pub curriculum_version_id: Uuid,
    #[sea_orm(column_type = "Text", nullable)]
    pub notes: Option<String>,
    #[sea_orm(column_type = "String(StringLen::N(32))")]
    pub status: SessionStatus,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub cancelled_at: Option<DateTimeUtc>,
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
        belongs_to = "super::admin_unit::Entity",
        from = "Column::VillageId",
        to = "super::admin_unit::Column::Id",
        on_delete = "Restrict"
    )]
    Village,
    #[sea_orm(
        belongs_to = "super::curriculum_version::Entity",
        from = "Column::CurriculumVersionId",
        to = "super::curriculum_version::Column::Id",
        on_delete = "Restrict"
    )]
    CurriculumVersion,
    #[sea_orm(
        belongs_to = "super::app_user::Entity",
        from = "Column::CreatedBy",
        to = "super::app_user::Column::Id",
        on_delete = "Restrict"
    )]
    CreatedBy,
    #[sea_orm(has_many = "super::attendance::Entity")]
    Attendance,
    #[sea_orm(has_many = "super::session_module::Entity")]
    SessionModule,
    #[sea_orm(has_many = "super::session_trainer::Entity")]
    SessionTrainer,
}

/// The commune/ward (not the village: use `Relation::Village` for that).
impl Related<super::admin_unit::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Unit.def()
    }
}

impl Related<super::curriculum_version::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::CurriculumVersion.def()
    }
}

impl Related<super::app_user::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::CreatedBy.def()
    }
}

impl Related<super::attendance::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Attendance.def()
    }
}

impl Related<super::session_module::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::SessionModule.def()
    }
}

impl Related<super::session_trainer::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::SessionTrainer.def()
    }
}

/// Modules covered, through `session_module`.
impl Related<super::skill_module::Entity> for Entity {
    fn to() -> RelationDef {
        super::session_module::Relation::Module.def()
    }

    fn via() -> Option<RelationDef> {
        Some(super::session_module::Relation::Session.def().rev())
    }
}

/// Trainers, through `session_trainer`.
impl Related<super::team_member::Entity> for Entity {
    fn to() -> RelationDef {
        super::session_trainer::Relation::TeamMember.def()
    }

    fn via() -> Option<RelationDef> {
        Some(super::session_trainer::Relation::Session.def().rev())
    }
}

/// Participants with an attendance row (whatever its status), through `attendance`.
impl Related<super::participant::Entity> for Entity {
    fn to() -> RelationDef {
        super::attendance::Relation::Participant.def()
    }

    fn via() -> Option<RelationDef> {
        Some(super::attendance::Relation::Session.def().rev())
    }
}

impl ActiveModelBehavior for ActiveModel {}
