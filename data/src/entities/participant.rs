//! `participant`: a resident who attends training.
//!
//! `full_name` is NFC; `search_key` is its accent-free lowercase form. `sex` is one of
//! male, female, unknown. `home_unit_id` is the commune/ward as recorded at the time
//! (it may since have been absorbed: see `unit_succession`). A duplicate record
//! points at the surviving one through `merged_into_id`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "participant")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(column_type = "Text")]
    pub full_name: String,
    #[sea_orm(column_type = "Text")]
    pub search_key: String,
    #[sea_orm(column_type = "String(StringLen::N(32))")]
    pub sex: String,
    pub birth_date: Option<Date>,
    pub birth_year: i32,
    pub home_unit_id: Uuid,
    pub village_id: Option<Uuid>,
    #[sea_orm(column_type = "Text", nullable)]
    pub phone: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub national_id: Option<String>,
    pub merged_into_id: Option<Uuid>,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Set when consent is withdrawn; the personal fields are then erased.
    pub consent_withdrawn_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::admin_unit::Entity",
        from = "Column::HomeUnitId",
        to = "super::admin_unit::Column::Id",
        on_delete = "Restrict"
    )]
    HomeUnit,
    #[sea_orm(
        belongs_to = "super::admin_unit::Entity",
        from = "Column::VillageId",
        to = "super::admin_unit::Column::Id",
        on_delete = "Restrict"
    )]
    Village,
    #[sea_orm(
        belongs_to = "Entity",
        from = "Column::MergedIntoId",
        to = "Column::Id",
        on_delete = "Restrict"
    )]
    MergedInto,
    #[sea_orm(
        belongs_to = "super::app_user::Entity",
        from = "Column::CreatedBy",
        to = "super::app_user::Column::Id",
        on_delete = "Restrict"
    )]
    CreatedBy,
    #[sea_orm(has_many = "super::consent::Entity")]
    Consent,
    #[sea_orm(has_many = "super::citizen_profile::Entity")]
    CitizenProfile,
    #[sea_orm(has_many = "super::attendance::Entity")]
    Attendance,
}

/// The home commune/ward (not the village: use `Relation::Village` for that).
impl Related<super::admin_unit::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::HomeUnit.def()
    }
}

impl Related<super::app_user::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::CreatedBy.def()
    }
}

impl Related<super::consent::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Consent.def()
    }
}

impl Related<super::citizen_profile::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::CitizenProfile.def()
    }
}

impl Related<super::attendance::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Attendance.def()
    }
}

/// Sessions attended, through `attendance` (whatever the attendance status).
impl Related<super::training_session::Entity> for Entity {
    fn to() -> RelationDef {
        super::attendance::Relation::Session.def()
    }

    fn via() -> Option<RelationDef> {
        Some(super::attendance::Relation::Participant.def().rev())
    }
}

/// A merged duplicate → the surviving record.
#[derive(Copy, Clone, Debug)]
pub struct MergedIntoLink;

impl Linked for MergedIntoLink {
    type FromEntity = Entity;
    type ToEntity = Entity;

    fn link(&self) -> Vec<RelationDef> {
        vec![Relation::MergedInto.def()]
    }
}

impl ActiveModelBehavior for ActiveModel {}
