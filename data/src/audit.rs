//! The append-only audit log: who changed what, when, from where.
//!
//! The table rejects UPDATE and DELETE by trigger on both engines, so not even a bug in
//! this crate can rewrite history. Callers pass JSON snapshots that hold no secrets:
//! never a password, a session token or a full national ID number.

use chrono::Utc;
use kynangso_domain::Role;
use kynangso_domain::views::AuditLine;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

use crate::DataError;
use crate::access::Caller;
use crate::entities::{app_user, audit_log};

/// Lines per page of the audit log.
pub const PAGE: u64 = 50;

/// One change to record.
#[derive(Debug, Clone, Default)]
pub struct AuditEntry {
    pub actor_user_id: Option<Uuid>,
    pub action: &'static str,
    pub entity: &'static str,
    pub entity_id: Option<String>,
    pub scope_unit_id: Option<Uuid>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub client: Option<String>,
}

#[tracing::instrument(skip_all, fields(action = entry.action, entity = entry.entity))]
pub async fn record<C: ConnectionTrait>(db: &C, entry: AuditEntry) -> Result<(), sea_orm::DbErr> {
    record_many(db, vec![entry]).await
}

/// Several entries in one statement (a batch of attendance marks).
pub async fn record_many<C: ConnectionTrait>(
    db: &C,
    entries: Vec<AuditEntry>,
) -> Result<(), sea_orm::DbErr> {
    if entries.is_empty() {
        return Ok(());
    }
    let at = Utc::now();
    let rows = entries.into_iter().map(|entry| audit_log::ActiveModel {
        id: Set(kynangso_domain::new_id()),
        at: Set(at),
        actor_user_id: Set(entry.actor_user_id),
        action: Set(entry.action.to_owned()),
        entity: Set(entry.entity.to_owned()),
        entity_id: Set(entry.entity_id),
        scope_unit_id: Set(entry.scope_unit_id),
        before: Set(entry.before.map(|v| v.to_string())),
        after: Set(entry.after.map(|v| v.to_string())),
        client: Set(entry.client),
    });
    audit_log::Entity::insert_many(rows)
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// The newest entries the caller may read, older than `before` when given (ids are UUIDv7,
/// so they sort by time). Province admins read everything; commune leads their commune's.
pub async fn read<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    before: Option<Uuid>,
) -> Result<Vec<AuditLine>, DataError> {
    let mut select = audit_log::Entity::find();
    match caller.role {
        Role::ProvinceAdmin => {}
        Role::CommuneLead => {
            select = select.filter(audit_log::Column::ScopeUnitId.eq(caller.scope_unit_id));
        }
        Role::ProvinceReviewer | Role::TeamMember => return Err(DataError::Forbidden),
    }
    if let Some(before) = before {
        select = select.filter(audit_log::Column::Id.lt(before));
    }
    let rows = select
        .order_by_desc(audit_log::Column::Id)
        .limit(PAGE)
        .all(db)
        .await?;
    let actors: Vec<Uuid> = rows.iter().filter_map(|r| r.actor_user_id).collect();
    let names: std::collections::HashMap<Uuid, String> = app_user::Entity::find()
        .filter(app_user::Column::Id.is_in(actors))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.username))
        .collect();
    Ok(rows
        .into_iter()
        .map(|r| AuditLine {
            id: r.id,
            at: r.at,
            actor: r.actor_user_id.and_then(|a| names.get(&a).cloned()),
            action: r.action,
            entity: r.entity,
            entity_id: r.entity_id,
            before: r.before,
            after: r.after,
            client: r.client,
        })
        .collect())
}
