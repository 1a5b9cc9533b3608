//! `participant.consent_withdrawn_at`: set when the person withdraws consent. From then on
//! the row keeps only what anonymous counts need (sex, birth year, commune, village,
//! attendance); name, search key, phone, national ID and birth date are erased.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Participant {
    Table,
    ConsentWithdrawnAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Participant::Table)
                    .add_column(
                        ColumnDef::new(Participant::ConsentWithdrawnAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Participant::Table)
                    .drop_column(Participant::ConsentWithdrawnAt)
                    .to_owned(),
            )
            .await
    }
}
