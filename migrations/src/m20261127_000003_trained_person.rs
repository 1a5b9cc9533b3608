//! `trained_person`: who has completed a curriculum version, since when, and what the
//! coverage counts need of them (home unit, village, sex, assumed birth date).
//!
//! Maintained in the same transaction as every write that can change it (attendance,
//! session edits and cancellation, merges, consent withdrawal), so the coverage report is
//! one indexed `GROUP BY` over current data instead of a pass over all attendance. One row
//! per surviving (not merged) person and version; people not yet trained have no row.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{boolean, date, timestamp_with_time_zone, uuid, uuid_null};

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
        // The report's query: one version, completed by a date, grouped by unit. The
        // other columns ride along so the count never touches the table itself.
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
                    .name("ix_trained_person_participant_id")
                    .table(TrainedPerson::Table)
                    .col(TrainedPerson::ParticipantId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(TrainedPerson::Table).to_owned())
            .await
    }
}
