//! A training session as the form sends it, and its one validation (browser and server).

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::format::vietnam_offset;
use crate::id::parse_client_id;
use crate::validation::FieldError;

pub const MAX_DURATION_MINUTES: i32 = 12 * 60;
pub const MAX_PLACE_CHARS: usize = 200;
pub const MAX_NOTES_CHARS: usize = 2000;

/// The session form, as typed. Checkbox lists arrive as `form[module_ids][]=…`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SessionForm {
    pub id: String,
    /// `yyyy-mm-ddThh:mm` from a datetime-local input, in Vietnam's time.
    pub starts_at: String,
    pub duration_minutes: String,
    pub village_id: String,
    pub place: String,
    pub module_ids: Vec<String>,
    pub trainer_ids: Vec<String>,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidSession {
    pub id: Uuid,
    pub starts_at: DateTime<Utc>,
    pub duration_minutes: i32,
    pub village_id: Option<Uuid>,
    pub place: String,
    pub module_ids: Vec<Uuid>,
    pub trainer_ids: Vec<Uuid>,
    pub notes: Option<String>,
}

fn ids(values: &[String]) -> Option<Vec<Uuid>> {
    let mut out: Vec<Uuid> = values
        .iter()
        .map(|v| Uuid::parse_str(v.trim()).ok())
        .collect::<Option<_>>()?;
    out.sort();
    out.dedup();
    Some(out)
}

impl SessionForm {
    /// Sessions may be logged afterwards or planned ahead, but not absurdly: from 2020 to a
    /// year after `today`.
    pub fn validate(&self, today: NaiveDate) -> Result<ValidSession, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut fail = |field: &str, message: &str| errors.push(FieldError::new(field, message));
        let id = parse_client_id(&self.id).ok();
        if id.is_none() {
            fail("id", "Biểu mẫu đã cũ, vui lòng tải lại trang.");
        }
        let starts_at = NaiveDateTime::parse_from_str(self.starts_at.trim(), "%Y-%m-%dT%H:%M")
            .ok()
            .and_then(|local| local.and_local_timezone(vietnam_offset()).single())
            .map(|t| t.with_timezone(&Utc));
        let earliest = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap_or(today);
        match starts_at {
            None => fail("starts_at", "Vui lòng chọn ngày và giờ bắt đầu."),
            Some(t) => {
                let day = t.with_timezone(&vietnam_offset()).date_naive();
                if day < earliest || day > today + Duration::days(366) {
                    fail(
                        "starts_at",
                        "Ngày tập huấn phải từ năm 2020 đến một năm tới.",
                    );
                }
            }
        }
        let duration = self.duration_minutes.trim().parse::<i32>().ok();
        if !duration.is_some_and(|d| (10..=MAX_DURATION_MINUTES).contains(&d)) {
            fail("duration_minutes", "Thời lượng từ 10 đến 720 phút.");
        }
        let place = crate::text::canonical_name(&self.place);
        if place.is_empty() {
            fail(
                "place",
                "Vui lòng nhập địa điểm, ví dụ: Nhà văn hoá thôn 3.",
            );
        } else if place.chars().count() > MAX_PLACE_CHARS {
            fail("place", "Địa điểm dài tối đa 200 ký tự.");
        }
        let village_id = match self.village_id.trim() {
            "" => Some(None),
            text => Uuid::parse_str(text).ok().map(Some),
        };
        if village_id.is_none() {
            fail("village_id", "Thôn, buôn không hợp lệ.");
        }
        let module_ids = ids(&self.module_ids);
        match &module_ids {
            None => fail("module_ids", "Nội dung không hợp lệ."),
            Some(list) if list.is_empty() => {
                fail("module_ids", "Chọn ít nhất một nội dung đã tập huấn.")
            }
            Some(_) => {}
        }
        let trainer_ids = ids(&self.trainer_ids);
        if trainer_ids.is_none() {
            fail("trainer_ids", "Người hướng dẫn không hợp lệ.");
        }
        let notes = self.notes.trim();
        if notes.chars().count() > MAX_NOTES_CHARS {
            fail("notes", "Ghi chú dài tối đa 2000 ký tự.");
        }
        match (id, starts_at, duration, village_id, module_ids, trainer_ids) {
            (
                Some(id),
                Some(starts_at),
                Some(duration_minutes),
                Some(village_id),
                Some(module_ids),
                Some(trainer_ids),
            ) if errors.is_empty() => Ok(ValidSession {
                id,
                starts_at,
                duration_minutes,
                village_id,
                place,
                module_ids,
                trainer_ids,
                notes: (!notes.is_empty()).then(|| notes.to_owned()),
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 27).expect("date")
    }

    fn form() -> SessionForm {
        SessionForm {
            id: crate::new_id().to_string(),
            starts_at: "2026-11-27T08:00".into(),
            duration_minutes: "120".into(),
            place: " Nhà văn hoá  thôn 3 ".into(),
            module_ids: vec![
                Uuid::from_u128(2).to_string(),
                Uuid::from_u128(1).to_string(),
                Uuid::from_u128(2).to_string(),
            ],
            ..Default::default()
        }
    }

    #[test]
    fn local_time_is_stored_in_utc_and_lists_are_deduplicated() {
        let valid = form().validate(today()).expect("valid");
        assert_eq!(valid.starts_at.to_rfc3339(), "2026-11-27T01:00:00+00:00");
        assert_eq!(valid.module_ids, [Uuid::from_u128(1), Uuid::from_u128(2)]);
        assert_eq!(valid.place, "Nhà văn hoá thôn 3");
        assert_eq!(valid.notes, None);
    }

    #[test]
    fn every_problem_is_reported_beside_its_field() {
        let bad = SessionForm {
            id: "x".into(),
            starts_at: "2019-05-01T08:00".into(),
            duration_minutes: "5".into(),
            village_id: "nope".into(),
            place: "".into(),
            module_ids: vec![],
            trainer_ids: vec!["nope".into()],
            notes: "".into(),
        };
        let fields: Vec<String> = bad
            .validate(today())
            .expect_err("invalid")
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            [
                "id",
                "starts_at",
                "duration_minutes",
                "place",
                "village_id",
                "module_ids",
                "trainer_ids"
            ]
        );
    }

    #[test]
    fn a_missing_time_is_a_message_not_a_panic() {
        let f = SessionForm {
            starts_at: "27/11/2026".into(),
            ..form()
        };
        assert!(f.validate(today()).is_err());
    }
}
