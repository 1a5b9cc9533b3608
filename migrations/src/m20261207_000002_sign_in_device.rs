//! `sign_in_device`: phones and browsers where an account has signed in before.
//!
//! A successful sign-in leaves a random token in a long-lived cookie and its SHA-256 here.
//! Sign-in throttling counts a known device's failures on its own, so that someone
//! guessing a commune lead's password from elsewhere (or behind the same office address)
//! cannot lock the lead out of the phone they always use.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{pk_uuid, text, timestamp_with_time_zone, uuid};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SignInDevice {
    Table,
    Id,
    UserId,
    TokenSha256,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AppUser {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SignInDevice::Table)
                    .col(pk_uuid(SignInDevice::Id))
                    .col(uuid(SignInDevice::UserId))
                    .col(text(SignInDevice::TokenSha256).unique_key())
                    .col(timestamp_with_time_zone(SignInDevice::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_sign_in_device_user")
                            .from(SignInDevice::Table, SignInDevice::UserId)
                            .to(AppUser::Table, AppUser::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_sign_in_device_user")
                    .table(SignInDevice::Table)
                    .col(SignInDevice::UserId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SignInDevice::Table).to_owned())
            .await
    }
}
