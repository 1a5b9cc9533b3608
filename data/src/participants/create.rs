//! Creating people: the registration form's [`register`], and [`insert_with_consent`],
//! the one place a participant row and the consent they gave are inserted. The register
//! import creates its new people through the same function, a batch per transaction, so a
//! person comes out of an import exactly as out of the form (the form adds the citizen
//! profile it asks about, and an audit entry per person where an import writes one per
//! batch).

use chrono::{DateTime, Utc};
use kynangso_domain::person::{Sex, ValidParticipant};
use kynangso_domain::text::search_key;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use super::TRAINING_CONSENT_PURPOSE;
use crate::access::Caller;
use crate::entities::{admin_unit, citizen_profile, consent, participant};
use crate::idempotent::{Outcome, insert_once};
use crate::{DataError, audit};

/// A person to create, as the form or a register row gives them.
#[derive(Debug, Clone)]
pub(crate) struct NewPerson {
    pub id: Uuid,
    pub full_name: String,
    /// The accent-free name searches and matching use.
    pub search_key: String,
    pub sex: Sex,
    pub birth_date: Option<chrono::NaiveDate>,
    pub birth_year: i32,
    pub village_id: Option<Uuid>,
    pub phone: Option<String>,
    pub national_id: Option<String>,
}

impl From<&ValidParticipant> for NewPerson {
    fn from(person: &ValidParticipant) -> NewPerson {
        NewPerson {
            id: person.id,
            full_name: person.full_name.clone(),
            search_key: search_key(&person.full_name),
            sex: person.sex,
            birth_date: person.birth_date,
            birth_year: person.birth_year,
            village_id: person.village_id,
            phone: person.phone.as_ref().map(|p| p.as_str().to_owned()),
            national_id: person.national_id.as_ref().map(|n| n.as_str().to_owned()),
        }
    }
}

/// Who records new people, in which commune, with which consent wording, and when.
pub(crate) struct CreatedBy<'a> {
    pub commune: Uuid,
    pub actor: Uuid,
    /// The words the person agreed to, stored with their consent.
    pub consent_statement: &'a str,
    pub at: DateTime<Utc>,
}

/// Inserts `people` into `by.commune`, each with their consent for the training record,
/// through `db` (the caller's transaction). An id that already exists is left as it is
/// (a retried registration); when none of the rows was new, no consent is written either.
/// Returns how many people were created.
pub(crate) async fn insert_with_consent<C: ConnectionTrait>(
    db: &C,
    by: &CreatedBy<'_>,
    people: Vec<NewPerson>,
) -> Result<u64, DbErr> {
    if people.is_empty() {
        return Ok(0);
    }
    let ids: Vec<Uuid> = people.iter().map(|p| p.id).collect();
    let rows = people.into_iter().map(|p| participant::ActiveModel {
        id: Set(p.id),
        full_name: Set(p.full_name),
        search_key: Set(p.search_key),
        sex: Set(p.sex.as_str().to_owned()),
        birth_date: Set(p.birth_date),
        birth_year: Set(p.birth_year),
        home_unit_id: Set(by.commune),
        village_id: Set(p.village_id),
        phone: Set(p.phone),
        national_id: Set(p.national_id),
        merged_into_id: Set(None),
        created_by: Set(Some(by.actor)),
        created_at: Set(by.at),
        updated_at: Set(by.at),
        consent_withdrawn_at: Set(None),
    });
    let created = participant::Entity::insert_many(rows)
        .on_conflict(
            OnConflict::column(participant::Column::Id)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    if created == 0 {
        return Ok(0);
    }
    let consents = ids.into_iter().map(|id| consent::ActiveModel {
        id: Set(kynangso_domain::new_id()),
        participant_id: Set(id),
        purpose: Set(TRAINING_CONSENT_PURPOSE.to_owned()),
        statement: Set(by.consent_statement.to_owned()),
        granted_at: Set(by.at),
        recorded_by: Set(Some(by.actor)),
        withdrawn_at: Set(None),
        withdrawn_by: Set(None),
    });
    consent::Entity::insert_many(consents)
        .exec_without_returning(db)
        .await?;
    Ok(created)
}

/// Registers a person in the caller's commune with the consent they gave. Idempotent on
/// the client's id: a retry returns the record the first try made.
#[tracing::instrument(skip_all, fields(participant_id = %person.id, user_id = %caller.user_id))]
pub async fn register(
    db: &DatabaseConnection,
    caller: &Caller,
    person: ValidParticipant,
    consent_statement: &str,
) -> Result<Outcome, DataError> {
    let commune = caller.field_commune()?;
    if let Some(village) = person.village_id {
        village_of(db, commune, village).await?;
    }
    let _gate = crate::db::write_gate(db).await;
    let txn = db.begin().await?;
    let now = Utc::now();
    let by = CreatedBy {
        commune,
        actor: caller.user_id,
        consent_statement,
        at: now,
    };
    let created = insert_with_consent(&txn, &by, vec![NewPerson::from(&person)]).await?;
    if created == 0 {
        txn.rollback().await?;
        // The id exists: fine if it is this commune's (a retry), not found otherwise — a
        // client cannot learn about another commune's records by guessing ids.
        let existing = participant::Entity::find_by_id(person.id).one(db).await?;
        return match existing {
            Some(row) if row.home_unit_id == commune && same_person(&row, &person) => {
                Ok(Outcome::AlreadyThere)
            }
            Some(row) if row.home_unit_id == commune => Err(DataError::IdTaken {
                what: "participant",
            }),
            _ => Err(caller.out_of_scope("participant", person.id)),
        };
    }
    let profile = person.profile;
    insert_once(
        &txn,
        citizen_profile::ActiveModel {
            id: Set(kynangso_domain::new_id()),
            participant_id: Set(person.id),
            as_of: Set(kynangso_domain::format::today_in_vietnam(now)),
            has_smartphone: Set(Some(profile.has_smartphone)),
            has_payment_account: Set(Some(profile.has_payment_account)),
            uses_online_public_services: Set(Some(profile.uses_online_public_services)),
            vneid_activated: Set(Some(profile.vneid_activated)),
            recorded_by: Set(Some(caller.user_id)),
            recorded_at: Set(now),
        },
    )
    .await?;
    audit::record(
        &txn,
        audit::AuditEntry {
            actor_user_id: Some(caller.user_id),
            action: "create",
            entity: "participant",
            entity_id: Some(person.id.to_string()),
            scope_unit_id: Some(commune),
            after: Some(anonymous_snapshot(&person)),
            client: caller.client.clone(),
            ..Default::default()
        },
    )
    .await?;
    txn.commit().await?;
    Ok(Outcome::Created)
}

/// Whether `row` holds what `person` would have created: a retry, not another person.
fn same_person(row: &participant::Model, person: &ValidParticipant) -> bool {
    row.full_name == person.full_name
        && row.sex == person.sex.as_str()
        && row.birth_date == person.birth_date
        && row.birth_year == person.birth_year
        && row.village_id == person.village_id
        && row.phone.as_deref() == person.phone.as_ref().map(|p| p.as_str())
        && row.national_id.as_deref() == person.national_id.as_ref().map(|n| n.as_str())
}

/// The fields of a participant that identify nobody, plus which personal fields are set.
fn anonymous_snapshot(person: &ValidParticipant) -> serde_json::Value {
    json!({
        "sex": person.sex.as_str(),
        "birth_year": person.birth_year,
        "village_id": person.village_id,
        "personal_fields_set": {
            "full_name": true,
            "birth_date": person.birth_date.is_some(),
            "phone": person.phone.is_some(),
            "national_id": person.national_id.is_some(),
        },
        "consent": TRAINING_CONSENT_PURPOSE,
        "profile": person.profile,
    })
}

/// A village of `commune`, or an error on the village field.
async fn village_of<C: ConnectionTrait>(
    db: &C,
    commune: Uuid,
    village: Uuid,
) -> Result<admin_unit::Model, DataError> {
    admin_unit::Entity::find_by_id(village)
        .filter(admin_unit::Column::ParentId.eq(commune))
        .filter(admin_unit::Column::Kind.eq("village"))
        .one(db)
        .await?
        .ok_or(DataError::InvalidField {
            field: "village_id",
            message: "Thôn, buôn này không thuộc xã, phường của bạn.".to_owned(),
        })
}
