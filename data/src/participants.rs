//! Participants: registering a person with their consent, finding them again, showing
//! their record (withdrawing consent is `erasure.rs`). Every function filters by the caller's scope in SQL.
//!
//! The audit log is append-only, so it must never hold what a withdrawal has to erase:
//! participant entries record which personal fields were set, not their values.

use chrono::Utc;
use kynangso_domain::person::{NationalId, Sex, ValidParticipant};
use kynangso_domain::phone::VnMobile;
use kynangso_domain::text::{key_matches, search_key};
use kynangso_domain::views::ParticipantSummary;
use sea_orm::sea_query::Condition;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use crate::access::{Caller, Scope};
use crate::entities::{admin_unit, citizen_profile, consent, participant};
use crate::idempotent::{Outcome, insert_once};
use crate::units::village_names;
use crate::{DataError, audit};

mod detail;
mod duplicates;
pub mod export;
pub use detail::detail;
pub use duplicates::{likely_duplicates, merge};

/// What the person agrees to, shown on the form and stored word for word with their
/// consent (Decree 13/2023/NĐ-CP; Law 91/2025/QH15).
pub const CONSENT_STATEMENT: &str = "Tôi đồng ý để Tổ công nghệ số cộng đồng ghi họ tên, giới tính, \
năm sinh, thôn, số điện thoại và số CCCD (nếu tôi cung cấp), việc tôi dùng điện thoại thông minh, tài khoản \
thanh toán, dịch vụ công trực tuyến, VNeID và việc tham gia tập huấn của tôi, chỉ nhằm theo dõi kết quả phổ cập \
kỹ năng số. Tôi có thể rút lại sự đồng ý bất cứ lúc nào.";

/// The purpose code stored with the consent.
pub const TRAINING_CONSENT_PURPOSE: &str = "training_record";

/// Rows a search returns at most: a phone screen's worth, and a bounded query.
pub const SEARCH_LIMIT: u64 = 30;

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
    let outcome = insert_once(
        &txn,
        participant::ActiveModel {
            id: Set(person.id),
            full_name: Set(person.full_name.clone()),
            search_key: Set(search_key(&person.full_name)),
            sex: Set(person.sex.as_str().to_owned()),
            birth_date: Set(person.birth_date),
            birth_year: Set(person.birth_year),
            home_unit_id: Set(commune),
            village_id: Set(person.village_id),
            phone: Set(person.phone.as_ref().map(|p| p.as_str().to_owned())),
            national_id: Set(person.national_id.as_ref().map(|n| n.as_str().to_owned())),
            merged_into_id: Set(None),
            created_by: Set(Some(caller.user_id)),
            created_at: Set(now),
            updated_at: Set(now),
            consent_withdrawn_at: Set(None),
        },
    )
    .await?;
    if outcome == Outcome::AlreadyThere {
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
    insert_once(
        &txn,
        consent::ActiveModel {
            id: Set(kynangso_domain::new_id()),
            participant_id: Set(person.id),
            purpose: Set(TRAINING_CONSENT_PURPOSE.to_owned()),
            statement: Set(consent_statement.to_owned()),
            granted_at: Set(now),
            recorded_by: Set(Some(caller.user_id)),
            withdrawn_at: Set(None),
            withdrawn_by: Set(None),
        },
    )
    .await?;
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

/// Finds people in the caller's scope as they type: by name without diacritics
/// ("nguyen thi hoa" finds "Nguyễn Thị Hoà"), by a birth year (4 digits, 1900–2100), or by
/// any other run of phone digits ("0912" is the start of a number, not a year).
#[tracing::instrument(skip(db, caller), fields(user_id = %caller.user_id))]
pub async fn search<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    query: &str,
) -> Result<Vec<ParticipantSummary>, DataError> {
    let scope = caller.personal_data_scope()?;
    check_search_bounds(query)?;
    let mut select = participant::Entity::find()
        .find_also_related(admin_unit::Entity)
        .filter(participant::Column::MergedIntoId.is_null())
        .filter(participant::Column::ConsentWithdrawnAt.is_null());
    if let Scope::Commune(unit) = scope {
        select = select.filter(participant::Column::HomeUnitId.eq(unit));
    }
    let query = query.trim();
    let digits: String = query.chars().filter(char::is_ascii_digit).collect();
    let numeric = !digits.is_empty()
        && query
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '.' | '+' | '-'));
    let key = search_key(query);
    let year = (numeric && digits.len() == 4)
        .then(|| digits.parse::<i32>().ok())
        .flatten()
        .filter(|y| (1900..=2100).contains(y));
    if let Some(year) = year {
        select = select.filter(participant::Column::BirthYear.eq(year));
    } else if numeric {
        let local = match digits.strip_prefix("84") {
            Some(rest) if query.starts_with('+') => format!("0{rest}"),
            _ => digits,
        };
        select = select.filter(participant::Column::Phone.contains(local));
    } else {
        for word in key.split(' ').map(like_safe).filter(|w| !w.is_empty()) {
            // A word of the name starts with what was typed.
            select = select.filter(
                Condition::any()
                    .add(participant::Column::SearchKey.starts_with(&word))
                    .add(participant::Column::SearchKey.contains(format!(" {word}"))),
            );
        }
    }
    let rows = select
        .order_by_asc(participant::Column::SearchKey)
        .order_by_asc(participant::Column::Id)
        .limit(SEARCH_LIMIT)
        .all(db)
        .await?;
    let villages = village_names(db, rows.iter().filter_map(|(p, _)| p.village_id)).await?;
    Ok(rows
        .into_iter()
        .filter(|(p, _)| numeric || key_matches(&p.search_key, &key))
        .map(|(p, _)| summary(p, &villages))
        .collect())
}

/// The longest search text, in characters: a full name with a village is under 60.
pub const SEARCH_MAX_CHARS: usize = 120;
/// The most words a search may have: each word is one condition of the query, and a
/// Vietnamese full name has at most six or seven. Without this bound, thousands of words
/// build a condition too deep for the database (SQLite: "Expression tree is too large")
/// or for the worker thread's stack (the process aborted at about 14 000 words).
pub const SEARCH_MAX_WORDS: usize = 8;

/// Refuses a search past [`SEARCH_MAX_CHARS`] or [`SEARCH_MAX_WORDS`] before any work.
fn check_search_bounds(query: &str) -> Result<(), DataError> {
    let message = if query.chars().count() > SEARCH_MAX_CHARS {
        format!("Nội dung tìm kiếm quá dài (tối đa {SEARCH_MAX_CHARS} ký tự).")
    } else if query.split_whitespace().count() > SEARCH_MAX_WORDS {
        format!("Tìm theo tối đa {SEARCH_MAX_WORDS} từ.")
    } else {
        return Ok(());
    };
    Err(DataError::InvalidField {
        field: "q",
        message,
    })
}

/// LIKE wildcards typed by a person are searched for literally by dropping them.
fn like_safe(word: &str) -> String {
    word.chars()
        .filter(|c| !matches!(c, '%' | '_' | '\\'))
        .collect()
}

fn summary(
    p: participant::Model,
    villages: &std::collections::HashMap<Uuid, String>,
) -> ParticipantSummary {
    ParticipantSummary {
        id: p.id,
        sex: Sex::parse(&p.sex).unwrap_or(Sex::Unknown),
        birth_year: p.birth_year,
        village: p.village_id.and_then(|v| villages.get(&v).cloned()),
        phone_masked: p
            .phone
            .as_deref()
            .and_then(|ph| VnMobile::parse(ph).ok())
            .map(|ph| ph.masked()),
        full_name: p.full_name,
    }
}

/// A participant row the caller may see, or "not found" (logged when it exists elsewhere).
pub(crate) async fn find_in_scope<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    id: Uuid,
) -> Result<participant::Model, DataError> {
    let scope = caller.personal_data_scope()?;
    match participant::Entity::find_by_id(id).one(db).await? {
        Some(row) if scope.covers(row.home_unit_id) => Ok(row),
        Some(_) => Err(caller.out_of_scope("participant", id)),
        None => Err(DataError::NotFound {
            what: "participant",
        }),
    }
}

/// The masked national ID for display (never the full number outside the record).
pub(crate) fn masked_national_id(raw: Option<&str>) -> Option<String> {
    raw.and_then(NationalId::parse).map(|n| n.masked())
}
