//! Idempotent creation by client-generated id.
//!
//! A phone on a weak connection retries a request whose answer it never saw. Every create
//! therefore inserts with `ON CONFLICT (id) DO NOTHING` and then reads the row back: the
//! first request creates it, every retry gets that same row, and no second row can ever
//! appear — on SQLite and PostgreSQL alike, without a read-then-write race.

use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Iterable, PrimaryKeyToColumn};

/// Whether an idempotent create made a new row or found the one a previous try made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Created,
    AlreadyThere,
}

/// Inserts `model` unless a row with the same primary key exists.
pub async fn insert_once<E, A, C>(db: &C, model: A) -> Result<Outcome, sea_orm::DbErr>
where
    E: EntityTrait,
    A: ActiveModelTrait<Entity = E> + Send,
    C: ConnectionTrait,
{
    let key_columns = E::PrimaryKey::iter().map(|key| key.into_column());
    let inserted = E::insert(model)
        .on_conflict(OnConflict::columns(key_columns).do_nothing().to_owned())
        .exec_without_returning(db)
        .await?;
    Ok(if inserted == 0 {
        Outcome::AlreadyThere
    } else {
        Outcome::Created
    })
}
