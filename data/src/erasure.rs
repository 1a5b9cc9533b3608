//! Withdrawing consent: a person's personal data erased everywhere the app keeps it (their
//! record, the commune's import previews and results that name them), while what the
//! anonymous counts need stays. It sits above `participants` and `import` because it
//! reaches into both within one transaction.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, TransactionTrait};
use serde_json::json;
use uuid::Uuid;

use crate::access::Caller;
use crate::entities::{consent, participant};
use crate::import::previews;
use crate::{DataError, audit, participants, standings};

/// Withdraws the person's consent: their name, phone, national ID and birth date are
/// erased for good; sex, birth year, commune, village and attendance stay, so the
/// anonymous counts do not change. Repeating it is harmless.
#[tracing::instrument(skip_all, fields(participant_id = %id, user_id = %caller.user_id))]
pub async fn withdraw_consent(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
) -> Result<DateTime<Utc>, DataError> {
    caller.field_commune()?;
    let row = participants::find_in_scope(db, caller, id).await?;
    if let Some(at) = row.consent_withdrawn_at {
        return Ok(at);
    }
    let now = Utc::now();
    let txn = db.begin().await?;
    participant::Entity::update_many()
        .col_expr(participant::Column::FullName, Expr::value(""))
        .col_expr(participant::Column::SearchKey, Expr::value(""))
        .col_expr(
            participant::Column::Phone,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            participant::Column::NationalId,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            participant::Column::BirthDate,
            Expr::value(Option::<chrono::NaiveDate>::None),
        )
        .col_expr(participant::Column::ConsentWithdrawnAt, Expr::value(now))
        .col_expr(participant::Column::UpdatedAt, Expr::value(now))
        .filter(participant::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    consent::Entity::update_many()
        .col_expr(consent::Column::WithdrawnAt, Expr::value(now))
        .col_expr(consent::Column::WithdrawnBy, Expr::value(caller.user_id))
        .filter(consent::Column::ParticipantId.eq(id))
        .filter(consent::Column::WithdrawnAt.is_null())
        .exec(&txn)
        .await?;
    // The birth date is gone: the person now counts as born on 1 July of the birth year.
    standings::refresh(&txn, &[id]).await?;
    // Import previews and results may name the person as a possible duplicate.
    previews::forget_person(
        &txn,
        row.home_unit_id,
        &row.full_name,
        &kynangso_domain::person::participant_code(id),
    )
    .await?;
    audit::record(
        &txn,
        audit::AuditEntry {
            actor_user_id: Some(caller.user_id),
            action: "withdraw_consent",
            entity: "participant",
            entity_id: Some(id.to_string()),
            scope_unit_id: Some(row.home_unit_id),
            after: Some(json!({ "personal_fields_erased": true })),
            client: caller.client.clone(),
            ..Default::default()
        },
    )
    .await?;
    txn.commit().await?;
    Ok(now)
}
