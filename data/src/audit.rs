//! The append-only audit log: who changed what, when, from where.
//!
//! The table rejects UPDATE and DELETE by trigger on both engines, so not even a bug in
//! this crate can rewrite history. Callers pass JSON snapshots that hold no secrets:
//! never a password, a session token or a full national ID number.

use chrono::Utc;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};
use uuid::Uuid;

use crate::entities::audit_log;

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
    let row = audit_log::ActiveModel {
        id: Set(kynangso_domain::new_id()),
        at: Set(Utc::now()),
        actor_user_id: Set(entry.actor_user_id),
        action: Set(entry.action.to_owned()),
        entity: Set(entry.entity.to_owned()),
        entity_id: Set(entry.entity_id),
        scope_unit_id: Set(entry.scope_unit_id),
        before: Set(entry.before.map(|v| v.to_string())),
        after: Set(entry.after.map(|v| v.to_string())),
        client: Set(entry.client),
    };
    audit_log::Entity::insert(row)
        .exec_without_returning(db)
        .await?;
    Ok(())
}
