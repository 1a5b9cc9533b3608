//! `trained_person`: a surviving person who completed a curriculum version, with the
//! fields the coverage counts need (PRIMARY KEY(curriculum_version_id, participant_id)).
//! Derived data, kept current by `crate::coverage::progress`; rebuildable at any time.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "trained_person")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub curriculum_version_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub participant_id: Uuid,
    /// As recorded on the person (it may since have been absorbed: see `unit_succession`).
    pub home_unit_id: Uuid,
    pub village_id: Option<Uuid>,
    /// Women have their own retirement age; everyone else takes the men's.
    pub female: bool,
    /// The birth date, or 1 July of the birth year when only the year is known.
    pub born_on: Date,
    /// The day (Vietnam time) of the session that completed the curriculum.
    pub completed_on: Date,
    pub updated_at: DateTimeUtc,
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
}

impl Related<super::participant::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Participant.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
