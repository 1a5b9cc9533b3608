//! `attendance`: one participant at one session (UNIQUE(session_id, participant_id)).
//! `status` is one of present, late, excused, absent.

use kynangso_domain::attendance::AttendanceStatus;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "attendance")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub session_id: Uuid,
    pub participant_id: Uuid,
    #[sea_orm(column_type = "String(StringLen::N(32))")]
    pub status: AttendanceStatus,
    pub marked_by: Option<Uuid>,
    pub marked_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::training_session::Entity",
        from = "Column::SessionId",
        to = "super::training_session::Column::Id",
        on_delete = "Cascade"
    )]
    Session,
    #[sea_orm(
        belongs_to = "super::participant::Entity",
        from = "Column::ParticipantId",
        to = "super::participant::Column::Id",
        on_delete = "Restrict"
    )]
    Participant,
    #[sea_orm(
        belongs_to = "super::app_user::Entity",
        from = "Column::MarkedBy",
        to = "super::app_user::Column::Id",
        on_delete = "Restrict"
    )]
    MarkedBy,
}

impl Related<super::training_session::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Session.def()
    }
}

impl Related<super::participant::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Participant.def()
    }
}

impl Related<super::app_user::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::MarkedBy.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
