//! Uploaded files waiting to be imported: stored in the database (the preview and the
//! confirmation may reach different app servers), visible only to the person who
//! uploaded them, and emptied once imported.

use chrono::{Duration, Utc};
use kynangso_domain::status::ImportStatus;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::DataError;
use crate::entities::import_file;

pub use kynangso_domain::import::file::MAX_UPLOAD_BYTES;
/// How long a finished import's result stays on the person's list of recent uploads.
pub const FINISHED_KEPT_DAYS: i64 = 7;
/// A running import that has not reported progress for this long has stopped (its
/// server went away); it may be started again.
const STALLED_AFTER_SECONDS: i64 = 120;

pub use kynangso_domain::status::ImportKind as Kind;

/// A new upload.
pub struct NewUpload {
    pub kind: Kind,
    pub file_name: String,
    pub content: Vec<u8>,
    pub uploaded_by: Uuid,
    pub scope_unit_id: Uuid,
}

/// Stores the file. The same person sending the same bytes again (a retried upload)
/// gets the row the first upload made, unless that one was imported already.
pub async fn save<C: ConnectionTrait>(db: &C, upload: NewUpload) -> Result<Uuid, DataError> {
    if upload.content.len() > MAX_UPLOAD_BYTES {
        return Err(DataError::InvalidField {
            field: "file",
            message: format!(
                "Tệp lớn hơn {} MB; hãy chia nhỏ tệp.",
                MAX_UPLOAD_BYTES / 1024 / 1024
            ),
        });
    }
    if upload.content.is_empty() {
        return Err(DataError::InvalidField {
            field: "file",
            message: "Chưa chọn tệp, hoặc tệp trống.".to_owned(),
        });
    }
    let sha256 = hex::encode(Sha256::digest(&upload.content));
    let earlier = import_file::Entity::find()
        .select_only()
        .column(import_file::Column::Id)
        .filter(import_file::Column::UploadedBy.eq(upload.uploaded_by))
        .filter(import_file::Column::Sha256.eq(&sha256))
        .filter(import_file::Column::Kind.eq(upload.kind))
        .filter(import_file::Column::Status.eq(ImportStatus::Uploaded))
        .into_tuple::<Uuid>()
        .one(db)
        .await?;
    if let Some(id) = earlier {
        return Ok(id);
    }
    let id = kynangso_domain::new_id();
    let now = Utc::now();
    import_file::Entity::insert(import_file::ActiveModel {
        id: Set(id),
        kind: Set(upload.kind),
        file_name: Set(upload.file_name.chars().take(200).collect()),
        sha256: Set(sha256),
        size_bytes: Set(i64::try_from(upload.content.len()).unwrap_or(i64::MAX)),
        content: Set(upload.content),
        uploaded_by: Set(upload.uploaded_by),
        scope_unit_id: Set(Some(upload.scope_unit_id)),
        options: Set(None),
        status: Set(ImportStatus::Uploaded),
        rows_done: Set(0),
        result: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    })
    .exec_without_returning(db)
    .await?;
    Ok(id)
}

/// The upload, if `user` made it (anyone else gets "not found").
pub async fn load<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    user: Uuid,
) -> Result<import_file::Model, DataError> {
    import_file::Entity::find_by_id(id)
        .filter(import_file::Column::UploadedBy.eq(user))
        .one(db)
        .await?
        .ok_or(DataError::NotFound { what: "import" })
}

/// The person's recent uploads, newest first, without their content.
pub async fn recent<C: ConnectionTrait>(
    db: &C,
    user: Uuid,
) -> Result<Vec<(Uuid, Kind, String, ImportStatus, chrono::DateTime<Utc>)>, DataError> {
    Ok(import_file::Entity::find()
        .select_only()
        .columns([
            import_file::Column::Id,
            import_file::Column::Kind,
            import_file::Column::FileName,
            import_file::Column::Status,
            import_file::Column::CreatedAt,
        ])
        .filter(import_file::Column::UploadedBy.eq(user))
        .order_by_desc(import_file::Column::CreatedAt)
        .limit(10)
        .into_tuple()
        .all(db)
        .await?)
}

/// Marks the import running, with its options, unless it is running (and alive) or
/// done already: exactly one caller gets `true`, however many press the button.
pub async fn claim<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    user: Uuid,
    options: &str,
) -> Result<bool, DataError> {
    let now = Utc::now();
    let stalled = now - Duration::seconds(STALLED_AFTER_SECONDS);
    let claimed = import_file::Entity::update_many()
        .col_expr(
            import_file::Column::Status,
            Expr::value(ImportStatus::Running),
        )
        .col_expr(import_file::Column::Options, Expr::value(options))
        .col_expr(import_file::Column::UpdatedAt, Expr::value(now))
        .filter(import_file::Column::Id.eq(id))
        .filter(import_file::Column::UploadedBy.eq(user))
        .filter(
            import_file::Column::Status
                .is_in([ImportStatus::Uploaded, ImportStatus::Failed])
                .or(import_file::Column::Status
                    .eq(ImportStatus::Running)
                    .and(import_file::Column::UpdatedAt.lt(stalled))),
        )
        .exec(db)
        .await?;
    Ok(claimed.rows_affected == 1)
}

/// Progress, written in the transaction of the batch it counts.
pub async fn set_progress<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    rows_done: u64,
) -> Result<(), DataError> {
    import_file::Entity::update_many()
        .col_expr(
            import_file::Column::RowsDone,
            Expr::value(i64::try_from(rows_done).unwrap_or(i64::MAX)),
        )
        .col_expr(import_file::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(import_file::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// The end of an import: its result kept, its content (personal data) erased.
pub async fn finish<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    succeeded: bool,
    result: &str,
) -> Result<(), DataError> {
    let mut update = import_file::Entity::update_many()
        .col_expr(
            import_file::Column::Status,
            Expr::value(if succeeded {
                ImportStatus::Done
            } else {
                ImportStatus::Failed
            }),
        )
        .col_expr(import_file::Column::Result, Expr::value(result))
        .col_expr(import_file::Column::UpdatedAt, Expr::value(Utc::now()));
    if succeeded {
        update = update.col_expr(import_file::Column::Content, Expr::value(Vec::<u8>::new()));
    }
    update
        .filter(import_file::Column::Id.eq(id))
        .exec(db)
        .await?;
    // The result takes the previews' place; they may name people.
    super::previews::forget(db, id).await
}

/// Housekeeping: uploads nobody imported within a day go, with their content and
/// previews; finished imports go after [`FINISHED_KEPT_DAYS`], with their result (its
/// issues may name people).
pub async fn forget_abandoned<C: ConnectionTrait>(db: &C) -> Result<u64, DataError> {
    let now = Utc::now();
    let deleted = import_file::Entity::delete_many()
        .filter(
            import_file::Column::Status
                .is_in([ImportStatus::Uploaded, ImportStatus::Failed])
                .and(import_file::Column::UpdatedAt.lt(now - Duration::days(1)))
                .or(import_file::Column::Status.eq(ImportStatus::Done).and(
                    import_file::Column::UpdatedAt.lt(now - Duration::days(FINISHED_KEPT_DAYS)),
                )),
        )
        .exec(db)
        .await?;
    Ok(deleted.rows_affected)
}
