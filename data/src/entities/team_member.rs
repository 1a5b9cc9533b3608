//! `team_member`: a member of a commune team, with or without a user account
//! (`user_id` is unique when present). `position` is one of lead, deputy, member.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "team_member")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub team_id: Uuid,
    #[sea_orm(unique)]
    pub user_id: Option<Uuid>,
    #[sea_orm(column_type = "Text")]
    pub full_name: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub phone: Option<String>,
    #[sea_orm(column_type = "String(StringLen::N(32))")]
    pub position: String,
    pub village_id: Option<Uuid>,
    pub joined_on: Option<Date>,
    pub left_on: Option<Date>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::team::Entity",
        from = "Column::TeamId",
        to = "super::team::Column::Id",
        on_delete = "Restrict"
    )]
    Team,
    #[sea_orm(
        belongs_to = "super::app_user::Entity",
        from = "Column::UserId",
        to = "super::app_user::Column::Id",
        on_delete = "Restrict"
    )]
    User,
    #[sea_orm(
        belongs_to = "super::admin_unit::Entity",
        from = "Column::VillageId",
        to = "super::admin_unit::Column::Id",
        on_delete = "Restrict"
    )]
    Village,
    #[sea_orm(has_many = "super::session_trainer::Entity")]
    SessionTrainer,
}

impl Related<super::team::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Team.def()
    }
}

impl Related<super::app_user::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::User.def()
    }
}

/// The village the member looks after.
impl Related<super::admin_unit::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Village.def()
    }
}

impl Related<super::session_trainer::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::SessionTrainer.def()
    }
}

/// Sessions this member trained at, through `session_trainer`.
impl Related<super::training_session::Entity> for Entity {
    fn to() -> RelationDef {
        super::session_trainer::Relation::Session.def()
    }

    fn via() -> Option<RelationDef> {
        Some(super::session_trainer::Relation::TeamMember.def().rev())
    }
}

impl ActiveModelBehavior for ActiveModel {}
