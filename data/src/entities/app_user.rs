//! `app_user`: people who sign in.
//!
//! `role` is one of province_admin, province_reviewer, commune_lead, team_member;
//! `scope_unit_id` is the unit whose data the user may see. `phone` is normalised
//! ("0912345678") and unique when present.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "app_user")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(column_type = "Text", unique)]
    pub username: String,
    #[sea_orm(column_type = "Text", nullable, unique)]
    pub phone: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub display_name: String,
    /// PHC string (argon2). Models are never serialised, so this never leaves the server.
    #[sea_orm(column_type = "Text")]
    pub password_hash: String,
    #[sea_orm(column_type = "String(StringLen::N(32))")]
    pub role: String,
    pub scope_unit_id: Uuid,
    #[sea_orm(default_value = false)]
    pub must_change_password: bool,
    pub disabled_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::admin_unit::Entity",
        from = "Column::ScopeUnitId",
        to = "super::admin_unit::Column::Id",
        on_delete = "Restrict"
    )]
    ScopeUnit,
    #[sea_orm(has_many = "super::user_session::Entity")]
    UserSession,
}

impl Related<super::admin_unit::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ScopeUnit.def()
    }
}

impl Related<super::user_session::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::UserSession.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
