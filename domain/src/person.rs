//! A participant's record as the registration form sends it, and the one validation that
//! both the form (in the browser) and the server run on it.
//!
//! Fields arrive as the text a person typed; [`ParticipantForm::validate`] turns them into
//! a [`ValidParticipant`] or a list of messages, one per field, in Vietnamese.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::id::parse_client_id;
use crate::phone::VnMobile;
use crate::text::canonical_name;
use crate::validation::FieldError;

/// Oldest birth year accepted: nobody alive was born earlier.
const MIN_BIRTH_YEAR: i32 = 1900;
pub const MAX_NAME_CHARS: usize = 120;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Female,
    Male,
    /// Not recorded. Working-age rules then use the wider (men's) upper bound; see the
    /// coverage rule's documentation.
    Unknown,
}

impl Sex {
    pub const ALL: [Sex; 3] = [Sex::Female, Sex::Male, Sex::Unknown];

    pub fn as_str(self) -> &'static str {
        match self {
            Sex::Female => "female",
            Sex::Male => "male",
            Sex::Unknown => "unknown",
        }
    }

    pub fn parse(value: &str) -> Option<Sex> {
        Sex::ALL.into_iter().find(|s| s.as_str() == value)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Sex::Female => "Nữ",
            Sex::Male => "Nam",
            Sex::Unknown => "Không rõ",
        }
    }
}

/// A 12-digit citizen identity number (CCCD). Never shown in full outside its own record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NationalId(String);

impl NationalId {
    pub fn parse(raw: &str) -> Option<NationalId> {
        let digits: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
        (digits.len() == 12 && digits.bytes().all(|b| b.is_ascii_digit()))
            .then_some(NationalId(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// For lists and logs: the last three digits only.
    pub fn masked(&self) -> String {
        format!("*********{}", &self.0[9..])
    }
}

/// Crockford's base-32 digits: no I, L, O or U, so a code read off paper is unambiguous.
const CODE_DIGITS: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A participant's short code for sign-in sheets: six characters derived from the record
/// id (FNV-1a), so it needs no storage and no server round trip to compute. Codes are not
/// unique across a province; a lookup resolves them within a session's roster first.
pub fn participant_code(id: Uuid) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in id.as_bytes() {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    (0..6)
        .map(|i| CODE_DIGITS[((hash >> (i * 5)) & 31) as usize] as char)
        .collect()
}

/// A typed code in canonical form: upper case, without spaces or dashes, with the letters
/// people confuse with digits read as those digits (O→0, I/L→1).
pub fn normalize_code(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        })
        .collect()
}

/// The registration form, field by field, as typed. A field left out (an unticked radio
/// button sends nothing) is empty, so that validation can say which one is missing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ParticipantForm {
    /// Client-generated UUIDv7: a retried submission names the same record.
    pub id: String,
    pub full_name: String,
    pub sex: String,
    /// `yyyy-mm-dd` from a date input; may be empty when only the year is known.
    pub birth_date: String,
    pub birth_year: String,
    pub village_id: String,
    pub phone: String,
    pub national_id: String,
    pub has_smartphone: Option<String>,
    pub has_payment_account: Option<String>,
    pub uses_online_public_services: Option<String>,
    pub vneid_activated: Option<String>,
    /// The box "the person agreed to the statement shown": must be ticked.
    pub consent: Option<String>,
}

/// A record that passed every rule, with values normalised for storage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidParticipant {
    pub id: Uuid,
    pub full_name: String,
    pub sex: Sex,
    pub birth_date: Option<NaiveDate>,
    pub birth_year: i32,
    pub village_id: Option<Uuid>,
    pub phone: Option<VnMobile>,
    pub national_id: Option<NationalId>,
    pub profile: DigitalProfile,
}

/// The digital-citizen answers. A ticked box is "yes"; an unticked one is "no".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DigitalProfile {
    pub has_smartphone: bool,
    pub has_payment_account: bool,
    pub uses_online_public_services: bool,
    pub vneid_activated: bool,
}

/// HTML checkboxes send their value only when ticked.
fn ticked(value: &Option<String>) -> bool {
    value
        .as_deref()
        .is_some_and(|v| !v.is_empty() && v != "false" && v != "off")
}

impl ParticipantForm {
    /// Checks every field against `today` (a birth date cannot be in the future) and
    /// reports all problems at once, so the person fixes them in one pass.
    pub fn validate(&self, today: NaiveDate) -> Result<ValidParticipant, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut fail = |field: &str, message: &str| errors.push(FieldError::new(field, message));

        let id = parse_client_id(&self.id).ok();
        if id.is_none() {
            fail("id", "Biểu mẫu đã cũ, vui lòng tải lại trang.");
        }
        let full_name = canonical_name(&self.full_name);
        if full_name.is_empty() {
            fail("full_name", "Vui lòng nhập họ và tên.");
        } else if full_name.chars().count() > MAX_NAME_CHARS {
            fail("full_name", "Họ và tên dài tối đa 120 ký tự.");
        } else if full_name
            .chars()
            .any(|c| c.is_ascii_digit() || c.is_control())
        {
            fail("full_name", "Họ và tên không chứa chữ số.");
        }
        let sex = Sex::parse(self.sex.trim());
        if sex.is_none() {
            fail("sex", "Vui lòng chọn giới tính.");
        }
        let (birth_date, birth_year) = match parse_birth(&self.birth_date, &self.birth_year, today)
        {
            Ok(birth) => birth,
            Err((field, message)) => {
                fail(field, message);
                (None, 0)
            }
        };
        let village_id = match self.village_id.trim() {
            "" => None,
            text => {
                let parsed = Uuid::parse_str(text).ok();
                if parsed.is_none() {
                    fail("village_id", "Thôn, buôn không hợp lệ.");
                }
                parsed
            }
        };
        let phone = match self.phone.trim() {
            "" => None,
            text => match VnMobile::parse(text) {
                Ok(phone) => Some(phone),
                Err(problem) => {
                    fail("phone", &problem.to_string());
                    None
                }
            },
        };
        let national_id = match self.national_id.trim() {
            "" => None,
            text => {
                let parsed = NationalId::parse(text);
                if parsed.is_none() {
                    fail("national_id", "Số CCCD gồm đúng 12 chữ số.");
                }
                parsed
            }
        };
        if !ticked(&self.consent) {
            fail(
                "consent",
                "Cần có sự đồng ý của người học trước khi ghi thông tin của họ.",
            );
        }
        match (id, sex) {
            (Some(id), Some(sex)) if errors.is_empty() => Ok(ValidParticipant {
                id,
                full_name,
                sex,
                birth_date,
                birth_year,
                village_id,
                phone,
                national_id,
                profile: DigitalProfile {
                    has_smartphone: ticked(&self.has_smartphone),
                    has_payment_account: ticked(&self.has_payment_account),
                    uses_online_public_services: ticked(&self.uses_online_public_services),
                    vneid_activated: ticked(&self.vneid_activated),
                },
            }),
            _ => Err(errors),
        }
    }
}

type BirthProblem = (&'static str, &'static str);

/// A full birth date wins; otherwise the year alone (many registers hold only that).
fn parse_birth(
    date: &str,
    year: &str,
    today: NaiveDate,
) -> Result<(Option<NaiveDate>, i32), BirthProblem> {
    if !date.trim().is_empty() {
        let date = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d")
            .map_err(|_| ("birth_date", "Ngày sinh không hợp lệ."))?;
        if date > today || date.year() < MIN_BIRTH_YEAR {
            return Err((
                "birth_date",
                "Ngày sinh phải trước hôm nay và sau năm 1900.",
            ));
        }
        return Ok((Some(date), date.year()));
    }
    let year: i32 = match year.trim() {
        "" => return Err(("birth_year", "Vui lòng nhập năm sinh (hoặc ngày sinh).")),
        text => text
            .parse()
            .map_err(|_| ("birth_year", "Năm sinh gồm 4 chữ số, ví dụ 1985."))?,
    };
    if !(MIN_BIRTH_YEAR..=today.year()).contains(&year) {
        return Err(("birth_year", "Năm sinh phải từ 1900 đến năm nay."));
    }
    Ok((None, year))
}

#[cfg(test)]
mod tests;
