//! `trained_person`: who has completed a curriculum version, since when, and what the
//! coverage counts need of them (home unit, village, sex, assumed birth date).
//!
//! Maintained in the same transaction as every write that can change it (attendance,
//! session edits and cancellation, merges, consent withdrawal), so the coverage report is
//! a sum over small counts instead of a pass over all attendance. One row per surviving
//! (not merged) person and version; people not yet trained have no row.
//!
//! `trained_cell`: how many of those rows fall in each (version, unit, sex, birth year),
//! kept in step with `trained_person` by the same code. A report sums the cells of the
//! birth years wholly inside the working-age window and reads `trained_person` only for
//! the two edge years and for completions after the reference date.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    big_integer, boolean, date, integer, timestamp_with_time_zone, uuid, uuid_null,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum TrainedPerson {
    Table,
    CurriculumVersionId,
    ParticipantId,
    HomeUnitId,
    VillageId,
    Female,
    BornOn,
    CompletedOn,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum TrainedCell {
    Table,
    CurriculumVersionId,
    HomeUnitId,
    Female,
    BornYear,
    Trained,
}

#[derive(DeriveIden)]
enum Participant {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum CurriculumVersion {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum AdminUnit {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(TrainedPerson::Table)
                    .col(uuid(TrainedPerson::CurriculumVersionId))
                    .col(uuid(TrainedPerson::ParticipantId))
                    .col(uuid(TrainedPerson::HomeUnitId))
                    .col(uuid_null(TrainedPerson::VillageId))
                    .col(boolean(TrainedPerson::Female))
                    .col(date(TrainedPerson::BornOn))
                    .col(date(TrainedPerson::CompletedOn))
                    .col(timestamp_with_time_zone(TrainedPerson::UpdatedAt))
                    .primary_key(
                        Index::create()
                            .col(TrainedPerson::CurriculumVersionId)
                            .col(TrainedPerson::ParticipantId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_trained_person_participant_id")
                            .from(TrainedPerson::Table, TrainedPerson::ParticipantId)
                            .to(Participant::Table, Participant::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_trained_person_curriculum_version_id")
                            .from(TrainedPerson::Table, TrainedPerson::CurriculumVersionId)
                            .to(CurriculumVersion::Table, CurriculumVersion::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_trained_person_home_unit_id")
                            .from(TrainedPerson::Table, TrainedPerson::HomeUnitId)
                            .to(AdminUnit::Table, AdminUnit::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        // Completions after a reference date, and the edge birth years, by unit: the
        // other columns ride along so the counts never touch the table itself.
        manager
            .create_index(
                Index::create()
                    .name("ix_trained_person_report")
                    .table(TrainedPerson::Table)
                    .col(TrainedPerson::CurriculumVersionId)
                    .col(TrainedPerson::CompletedOn)
                    .col(TrainedPerson::HomeUnitId)
                    .col(TrainedPerson::Female)
                    .col(TrainedPerson::BornOn)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_trained_person_birth")
                    .table(TrainedPerson::Table)
                    .col(TrainedPerson::CurriculumVersionId)
                    .col(TrainedPerson::Female)
                    .col(TrainedPerson::BornOn)
                    .col(TrainedPerson::CompletedOn)
                    .col(TrainedPerson::HomeUnitId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_trained_person_participant_id")
                    .table(TrainedPerson::Table)
                    .col(TrainedPerson::ParticipantId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(TrainedCell::Table)
                    .col(uuid(TrainedCell::CurriculumVersionId))
                    .col(uuid(TrainedCell::HomeUnitId))
                    .col(boolean(TrainedCell::Female))
                    .col(integer(TrainedCell::BornYear))
                    .col(big_integer(TrainedCell::Trained))
                    .primary_key(
                        Index::create()
                            .col(TrainedCell::CurriculumVersionId)
                            .col(TrainedCell::Female)
                            .col(TrainedCell::BornYear)
                            .col(TrainedCell::HomeUnitId),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(TrainedCell::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(TrainedPerson::Table).to_owned())
            .await
    }
}
