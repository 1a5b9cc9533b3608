//! `citizen_profile`: a participant's digital-readiness answers as of a day
//! (UNIQUE(participant_id, as_of)). `None` means "not asked / unknown".

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "citizen_profile")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub participant_id: Uuid,
    pub as_of: Date,
    pub has_smartphone: Option<bool>,
    pub has_payment_account: Option<bool>,
    pub uses_online_public_services: Option<bool>,
    pub vneid_activated: Option<bool>,
    pub recorded_by: Option<Uuid>,
    pub recorded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::participant::Entity",
        from = "Column::ParticipantId",
        to = "super::participant::Column::Id",
        on_delete = "Cascade"
    )]
    Participant,
    #[sea_orm(
        belongs_to = "super::app_user::Entity",
        from = "Column::RecordedBy",
        to = "super::app_user::Column::Id",
        on_delete = "Restrict"
    )]
    RecordedBy,
}

impl Related<super::participant::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Participant.def()
    }
}

impl Related<super::app_user::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::RecordedBy.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
