//! Previews kept with their upload, so that viewing `/nhap/{id}` reads a row instead of
//! running the whole file again (a 39 MB register cost 11 s of CPU per view, issue 20).
//!
//! A preview may name people already recorded (a suspected duplicate), so previews go
//! when their import finishes and when someone of their commune withdraws consent; a
//! finished import's stored result has that person's name replaced (see
//! [`forget_person`]).

use chrono::{Duration, Utc};
use sea_orm::sea_query::{Expr, OnConflict, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::jobs::Outcome;
use crate::DataError;
use crate::entities::{import_file, import_preview};

/// A stored preview is used for this long; after that the commune's records may have
/// changed enough (another import, new people) for the counts to be stale.
const FRESH_FOR_MINUTES: i64 = 15;

/// The preview of a file for one choice of options.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preview {
    pub outcome: Outcome,
    /// Why the file cannot be imported with these options (then the counts are empty).
    pub problem: Option<String>,
}

/// The stored preview of `file` for `options` (their JSON), if it is fresh.
pub async fn load<C: ConnectionTrait>(
    db: &C,
    file: Uuid,
    options: &str,
) -> Result<Option<Preview>, DataError> {
    let fresh_after = Utc::now() - Duration::minutes(FRESH_FOR_MINUTES);
    let stored = import_preview::Entity::find_by_id(file)
        .filter(import_preview::Column::Options.eq(options))
        .filter(import_preview::Column::CreatedAt.gt(fresh_after))
        .one(db)
        .await?;
    // A row that no longer parses (written by another version) is computed again.
    Ok(stored.and_then(|row| serde_json::from_str(&row.outcome).ok()))
}

/// Keeps `preview` as the file's preview, replacing one for other options.
pub async fn store<C: ConnectionTrait>(
    db: &C,
    file: Uuid,
    options: &str,
    preview: &Preview,
) -> Result<(), DataError> {
    let outcome = serde_json::to_string(preview).map_err(|e| DataError::Invalid(e.to_string()))?;
    import_preview::Entity::insert(import_preview::ActiveModel {
        import_file_id: Set(file),
        options: Set(options.to_owned()),
        outcome: Set(outcome),
        created_at: Set(Utc::now()),
    })
    .on_conflict(
        OnConflict::column(import_preview::Column::ImportFileId)
            .update_columns([
                import_preview::Column::Options,
                import_preview::Column::Outcome,
                import_preview::Column::CreatedAt,
            ])
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// The file's previews go (its import finished: the result takes their place).
pub async fn forget<C: ConnectionTrait>(db: &C, file: Uuid) -> Result<(), DataError> {
    import_preview::Entity::delete_many()
        .filter(import_preview::Column::ImportFileId.eq(file))
        .exec(db)
        .await?;
    Ok(())
}

/// A person of `commune` withdrew consent: the previews of the commune's uploads go
/// (they are computed again without the person), and a finished import's result that
/// named the person as a possible duplicate names them no more.
pub async fn forget_person<C: ConnectionTrait>(
    db: &C,
    commune: Uuid,
    full_name: &str,
    code: &str,
) -> Result<(), DataError> {
    import_preview::Entity::delete_many()
        .filter(
            import_preview::Column::ImportFileId.in_subquery(
                Query::select()
                    .column(import_file::Column::Id)
                    .from(import_file::Entity)
                    .and_where(import_file::Column::ScopeUnitId.eq(commune))
                    .to_owned(),
            ),
        )
        .exec(db)
        .await?;
    if full_name.is_empty() {
        return Ok(());
    }
    // Results name a recorded person as "<name> (mã <code>, …)": that exact text goes, so
    // another person sharing part of the name keeps theirs.
    let named = format!("{full_name} (mã {code}");
    let results: Vec<(Uuid, String)> = import_file::Entity::find()
        .select_only()
        .columns([import_file::Column::Id, import_file::Column::Result])
        .filter(import_file::Column::ScopeUnitId.eq(commune))
        .filter(import_file::Column::Status.eq(kynangso_domain::status::ImportStatus::Done))
        .filter(import_file::Column::Result.contains(&named))
        .into_tuple()
        .all(db)
        .await?;
    for (id, result) in results {
        let scrubbed = result.replace(&named, &format!("một người đã rút lại đồng ý (mã {code}"));
        import_file::Entity::update_many()
            .col_expr(import_file::Column::Result, Expr::value(scrubbed))
            .filter(import_file::Column::Id.eq(id))
            .exec(db)
            .await?;
    }
    Ok(())
}
