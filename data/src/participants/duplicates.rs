//! Likely duplicates before a person is created, and merging two records into one.

use chrono::Utc;
use kynangso_domain::Role;
use kynangso_domain::phone::VnMobile;
use kynangso_domain::text::search_key;
use kynangso_domain::views::ParticipantSummary;
use sea_orm::sea_query::{Condition, Expr};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use super::{find_in_scope, summary};
use crate::access::Caller;
use crate::entities::{attendance, participant};
use crate::units::village_names;
use crate::{DataError, audit};

/// People of the caller's commune who may be the person about to be registered: the same
/// accent-free name and birth year (and village, when both have one), or the same phone.
pub async fn likely_duplicates(
    db: &DatabaseConnection,
    caller: &Caller,
    full_name: &str,
    birth_year: Option<i32>,
    village_id: Option<Uuid>,
    phone: Option<&str>,
) -> Result<Vec<ParticipantSummary>, DataError> {
    let commune = caller.field_commune()?;
    let key = search_key(full_name);
    let phone = phone.and_then(|p| VnMobile::parse(p).ok());
    let mut any = Condition::any();
    if !key.is_empty()
        && let Some(year) = birth_year
    {
        let mut same_person = Condition::all()
            .add(participant::Column::SearchKey.eq(key))
            .add(participant::Column::BirthYear.eq(year));
        if let Some(village) = village_id {
            same_person = same_person.add(
                Condition::any()
                    .add(participant::Column::VillageId.eq(village))
                    .add(participant::Column::VillageId.is_null()),
            );
        }
        any = any.add(same_person);
    }
    if let Some(phone) = &phone {
        any = any.add(participant::Column::Phone.eq(phone.as_str()));
    }
    if any.is_empty() {
        return Ok(Vec::new());
    }
    let rows = participant::Entity::find()
        .filter(participant::Column::HomeUnitId.eq(commune))
        .filter(participant::Column::MergedIntoId.is_null())
        .filter(participant::Column::ConsentWithdrawnAt.is_null())
        .filter(any)
        .order_by_asc(participant::Column::Id)
        .limit(10)
        .all(db)
        .await?;
    let villages = village_names(db, rows.iter().filter_map(|p| p.village_id)).await?;
    Ok(rows.into_iter().map(|p| summary(p, &villages)).collect())
}

/// Merges `duplicate` into `kept` (commune leads and admins): every attendance moves to the
/// kept record (where both were on one roster, the kept record's status stays), and the
/// duplicate points at the kept one from then on. Repeating it is harmless.
#[tracing::instrument(skip_all, fields(kept = %kept, duplicate = %duplicate))]
pub async fn merge(
    db: &DatabaseConnection,
    caller: &Caller,
    kept: Uuid,
    duplicate: Uuid,
) -> Result<u64, DataError> {
    if !matches!(caller.role, Role::CommuneLead | Role::ProvinceAdmin) {
        return Err(DataError::Forbidden);
    }
    if kept == duplicate {
        return Err(DataError::InvalidField {
            field: "duplicate_id",
            message: "Hai bản ghi phải khác nhau.".to_owned(),
        });
    }
    let kept_row = find_in_scope(db, caller, kept).await?;
    let dup_row = find_in_scope(db, caller, duplicate).await?;
    if dup_row.merged_into_id == Some(kept) {
        return Ok(0);
    }
    if kept_row.merged_into_id.is_some() || dup_row.merged_into_id.is_some() {
        return Err(DataError::InvalidField {
            field: "duplicate_id",
            message: "Một trong hai bản ghi đã được gộp trước đó.".to_owned(),
        });
    }
    if kept_row.home_unit_id != dup_row.home_unit_id {
        return Err(caller.out_of_scope("participant", duplicate));
    }
    let txn = db.begin().await?;
    let kept_sessions: Vec<Uuid> = attendance::Entity::find()
        .select_only()
        .column(attendance::Column::SessionId)
        .filter(attendance::Column::ParticipantId.eq(kept))
        .into_tuple()
        .all(&txn)
        .await?;
    // Where both were on the same roster, the kept record's row stays.
    attendance::Entity::delete_many()
        .filter(attendance::Column::ParticipantId.eq(duplicate))
        .filter(attendance::Column::SessionId.is_in(kept_sessions))
        .exec(&txn)
        .await?;
    let moved = attendance::Entity::update_many()
        .col_expr(attendance::Column::ParticipantId, Expr::value(kept))
        .filter(attendance::Column::ParticipantId.eq(duplicate))
        .exec(&txn)
        .await?
        .rows_affected;
    participant::Entity::update_many()
        .col_expr(participant::Column::MergedIntoId, Expr::value(kept))
        .col_expr(participant::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(participant::Column::Id.eq(duplicate))
        .exec(&txn)
        .await?;
    crate::standings::refresh(&txn, &[kept, duplicate]).await?;
    audit::record(
        &txn,
        audit::AuditEntry {
            actor_user_id: Some(caller.user_id),
            action: "merge",
            entity: "participant",
            entity_id: Some(duplicate.to_string()),
            scope_unit_id: Some(kept_row.home_unit_id),
            after: Some(json!({ "merged_into": kept, "attendance_moved": moved })),
            client: caller.client.clone(),
            ..Default::default()
        },
    )
    .await?;
    txn.commit().await?;
    Ok(moved)
}
