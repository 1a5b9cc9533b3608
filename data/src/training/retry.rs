//! Telling a retried session form from another session that reuses its id.

use kynangso_domain::session::ValidSession;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::DataError;
use crate::access::Caller;
use crate::entities::{session_module, training_session};
use crate::idempotent::Outcome;

/// What a create of `session` answers when its id already exists: `None` when it does
/// not; the first try's outcome for a retry of the same form in the caller's commune; a
/// conflict for other content under that id; "not found" for another commune's session.
pub(super) async fn answer_for_existing<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    commune: uuid::Uuid,
    session: &ValidSession,
) -> Result<Option<Outcome>, DataError> {
    let Some(existing) = training_session::Entity::find_by_id(session.id)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    if existing.unit_id != commune {
        Err(caller.out_of_scope("training_session", session.id))
    } else if same_session(db, &existing, session).await? {
        Ok(Some(Outcome::AlreadyThere))
    } else {
        Err(DataError::IdTaken {
            what: "training_session",
        })
    }
}

/// Whether `existing` is what `session` would have created: the same time, length, place,
/// village, notes and modules (what coverage is counted from). Anything else under the
/// same id is a conflict, never silently "the same": an offline phone that reused an id
/// must hear that its session was not stored.
async fn same_session<C: ConnectionTrait>(
    db: &C,
    existing: &training_session::Model,
    session: &ValidSession,
) -> Result<bool, DataError> {
    let same_fields = existing.starts_at == session.starts_at
        && existing.duration_minutes == session.duration_minutes
        && existing.village_id == session.village_id
        && existing.place == session.place
        && existing.notes == session.notes;
    if !same_fields {
        return Ok(false);
    }
    let mut modules: Vec<uuid::Uuid> = session_module::Entity::find()
        .filter(session_module::Column::SessionId.eq(existing.id))
        .all(db)
        .await?
        .into_iter()
        .map(|link| link.module_id)
        .collect();
    modules.sort();
    let mut submitted = session.module_ids.clone();
    submitted.sort();
    Ok(modules == submitted)
}
