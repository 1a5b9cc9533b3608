//! Participants: registering a person with their consent, finding them again, showing
//! their record (withdrawing consent is `erasure.rs`). Every function filters by the caller's scope in SQL.
//!
//! The audit log is append-only, so it must never hold what a withdrawal has to erase:
//! participant entries record which personal fields were set, not their values.

use kynangso_domain::person::{NationalId, Sex};
use kynangso_domain::phone::VnMobile;
use kynangso_domain::text::{key_matches, search_key};
use kynangso_domain::views::ParticipantSummary;
use sea_orm::sea_query::Condition;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::DataError;
use crate::access::{Caller, Scope};
use crate::entities::{admin_unit, participant};
use crate::units::village_names;

pub(crate) mod create;
mod detail;
mod duplicates;
pub mod export;
pub use create::register;
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
