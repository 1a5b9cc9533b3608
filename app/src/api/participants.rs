//! Participants: search, register with consent, read one record, withdraw consent.
//! Personal data: commune roles see their own commune's; the province reviewer none.

use kynangso_domain::person::ParticipantForm;
use kynangso_domain::views::{ParticipantDetail, ParticipantSummary};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::AppError;

/// What the registration form needs from the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationContext {
    pub commune: String,
    pub villages: Vec<(Uuid, String)>,
    /// The statement the person agrees to, stored word for word with their consent.
    pub consent_statement: String,
    /// Today in Vietnam, for the birth-date rule.
    pub today: chrono::NaiveDate,
    /// A fresh UUIDv7 for the record the form will create, fixed before the first
    /// submission so that every retry names the same record.
    pub new_id: Uuid,
}

/// People of the caller's commune whose name (without diacritics), birth year or phone
/// matches what was typed.
#[server(endpoint = "participants/search")]
pub async fn search_participants(q: String) -> Result<Vec<ParticipantSummary>, AppError> {
    use crate::server::{auth::require_caller, db};
    let caller = require_caller().await?;
    kynangso_data::participants::search(&db()?, &caller, &q)
        .await
        .map_err(AppError::from)
}

/// The villages and consent text for the registration form of the caller's commune.
#[server(endpoint = "participants/registration-context")]
pub async fn load_registration_context() -> Result<RegistrationContext, AppError> {
    use crate::server::{auth::require_caller, db};
    let caller = require_caller().await?;
    let commune = caller.field_commune()?;
    let db = db()?;
    let (name, villages) = kynangso_data::units::commune_and_villages(&db, commune).await?;
    Ok(RegistrationContext {
        commune: name,
        villages,
        consent_statement: kynangso_data::participants::CONSENT_STATEMENT.to_owned(),
        today: kynangso_domain::format::today_in_vietnam(chrono::Utc::now()),
        new_id: kynangso_domain::new_id(),
    })
}

/// Registers a person with their consent, then opens their record. A retry with the same
/// `form[id]` answers with the record the first try created.
#[server(endpoint = "participants/register")]
pub async fn register_participant(form: ParticipantForm) -> Result<Uuid, AppError> {
    use crate::server::{auth::require_caller, db};
    let caller = require_caller().await?;
    let today = kynangso_domain::format::today_in_vietnam(chrono::Utc::now());
    let person = form.validate(today).map_err(AppError::Invalid)?;
    let id = person.id;
    kynangso_data::participants::register(
        &db()?,
        &caller,
        person,
        kynangso_data::participants::CONSENT_STATEMENT,
    )
    .await?;
    leptos_axum::redirect(&format!("/nguoi-hoc/{id}"));
    Ok(id)
}

/// One person's record, for their commune's team.
#[server(endpoint = "participants/detail")]
pub async fn read_participant(id: String) -> Result<ParticipantDetail, AppError> {
    use crate::server::{auth::require_caller, db};
    let caller = require_caller().await?;
    let id = Uuid::parse_str(id.trim()).map_err(|_| AppError::NotFound)?;
    kynangso_data::participants::detail(&db()?, &caller, id)
        .await
        .map_err(AppError::from)
}

/// Withdraws the person's consent: their personal data is erased, anonymous counts stay.
#[server(endpoint = "participants/withdraw-consent")]
pub async fn withdraw_consent(id: String) -> Result<(), AppError> {
    use crate::server::{auth::require_caller, db};
    let caller = require_caller().await?;
    let id = Uuid::parse_str(id.trim()).map_err(|_| AppError::NotFound)?;
    kynangso_data::erasure::withdraw_consent(&db()?, &caller, id).await?;
    leptos_axum::redirect(&format!("/nguoi-hoc/{id}"));
    Ok(())
}

/// Likely duplicates of a person about to be registered (same accent-free name and birth
/// year, or same phone), shown before the form is saved.
#[server(endpoint = "participants/duplicates")]
pub async fn find_duplicates(
    full_name: String,
    birth_year: Option<String>,
    village_id: Option<String>,
    phone: Option<String>,
) -> Result<Vec<ParticipantSummary>, AppError> {
    use crate::server::{auth::require_caller, db};
    let caller = require_caller().await?;
    let year = birth_year.and_then(|y| y.trim().parse().ok());
    let village = village_id.and_then(|v| Uuid::parse_str(v.trim()).ok());
    kynangso_data::participants::likely_duplicates(
        &db()?,
        &caller,
        &full_name,
        year,
        village,
        phone.as_deref(),
    )
    .await
    .map_err(AppError::from)
}

/// Merges a duplicate record into the kept one (commune leads): attendance moves, and the
/// duplicate's page opens the kept record from then on.
#[server(endpoint = "participants/merge")]
pub async fn merge_participants(kept_id: String, duplicate_id: String) -> Result<u64, AppError> {
    use crate::server::{auth::require_caller, db};
    let caller = require_caller().await?;
    let parse = |t: &str| Uuid::parse_str(t.trim()).map_err(|_| AppError::NotFound);
    let (kept, duplicate) = (parse(&kept_id)?, parse(&duplicate_id)?);
    let moved = kynangso_data::participants::merge(&db()?, &caller, kept, duplicate).await?;
    leptos_axum::redirect(&format!("/nguoi-hoc/{kept}"));
    Ok(moved)
}
