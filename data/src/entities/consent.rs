//! `consent`: what a participant agreed to, word for word, and whether it was withdrawn.
//! `purpose` is a short code such as "training_record".

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "consent")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub participant_id: Uuid,
    #[sea_orm(column_type = "Text")]
    pub purpose: String,
    /// The exact text the person agreed to.
    #[sea_orm(column_type = "Text")]
    pub statement: String,
    pub granted_at: DateTimeUtc,
    pub recorded_by: Option<Uuid>,
    pub withdrawn_at: Option<DateTimeUtc>,
    pub withdrawn_by: Option<Uuid>,
}

/// Two relations to `app_user`, so there is no `Related<app_user::Entity>`.
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
    #[sea_orm(
        belongs_to = "super::app_user::Entity",
        from = "Column::WithdrawnBy",
        to = "super::app_user::Column::Id",
        on_delete = "Restrict"
    )]
    WithdrawnBy,
}

impl Related<super::participant::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Participant.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
