//! What a report is asked for, in the one shape every path shares: the page reads it from
//! its address, the server functions take its fields, the downloads deserialize it from
//! their query, and [`ReportQuery::choice`] checks it once into a [`ReportChoice`] that
//! the data layer resolves. Field names are English; the address keeps its Vietnamese keys.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::validation::FieldError;

/// The address keys, in the order links write them.
pub const DATE_KEY: &str = "ngay";
pub const RULE_KEY: &str = "quy-tac";
pub const CURRICULUM_KEY: &str = "chuong-trinh";

/// A report's query as typed or linked (`?ngay=2026-11-27&quy-tac=…&chuong-trinh=…`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportQuery {
    /// The reference date, `yyyy-mm-dd`; today in Vietnam when left out.
    #[serde(rename = "ngay", default)]
    pub on: Option<String>,
    /// A working-age rule's code; the one most denominators use when left out.
    #[serde(rename = "quy-tac", default)]
    pub rule: Option<String>,
    /// A curriculum version's code; the one in force when left out.
    #[serde(rename = "chuong-trinh", default)]
    pub curriculum: Option<String>,
}

/// A checked query: a real reference date, and the codes asked for (if any).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportChoice {
    pub on: NaiveDate,
    pub rule_code: Option<String>,
    pub curriculum_code: Option<String>,
}

impl ReportQuery {
    /// The query from an address's values, looked up by key.
    pub fn from_address(get: impl Fn(&str) -> Option<String>) -> ReportQuery {
        ReportQuery {
            on: get(DATE_KEY),
            rule: get(RULE_KEY),
            curriculum: get(CURRICULUM_KEY),
        }
    }

    /// `?ngay=…&quy-tac=…` for links that keep the reader's choices (empty when none).
    /// Values are codes and dates: anything else is dropped rather than escaped.
    pub fn to_address(&self) -> String {
        let parts: Vec<String> = [
            (DATE_KEY, &self.on),
            (RULE_KEY, &self.rule),
            (CURRICULUM_KEY, &self.curriculum),
        ]
        .into_iter()
        .filter_map(|(key, value)| {
            let value: String = value
                .as_deref()?
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '.')
                .collect();
            (!value.is_empty()).then(|| format!("{key}={value}"))
        })
        .collect();
        if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        }
    }

    /// Checks the query against `today` (in Vietnam): the date must be real, not in the
    /// future and not before 2000; blank codes mean "the default".
    pub fn choice(&self, today: NaiveDate) -> Result<ReportChoice, FieldError> {
        let on = match self.on.as_deref().map(str::trim) {
            None | Some("") => today,
            Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map_err(|_| FieldError::new(DATE_KEY, "Ngày không hợp lệ."))?,
        };
        if on > today {
            return Err(FieldError::new(
                DATE_KEY,
                "Ngày tham chiếu không được sau hôm nay.",
            ));
        }
        if on.year() < 2000 {
            return Err(FieldError::new(
                DATE_KEY,
                "Ngày tham chiếu phải từ năm 2000.",
            ));
        }
        let code = |value: &Option<String>| {
            value
                .as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        Ok(ReportChoice {
            on,
            rule_code: code(&self.rule),
            curriculum_code: code(&self.curriculum),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    #[test]
    fn a_blank_query_is_today_with_the_default_rule_and_curriculum() {
        let choice = ReportQuery::default()
            .choice(day(2026, 12, 7))
            .expect("valid");
        assert_eq!(choice.on, day(2026, 12, 7));
        assert_eq!((choice.rule_code, choice.curriculum_code), (None, None));
        let blank = ReportQuery {
            on: Some(" ".into()),
            rule: Some("".into()),
            curriculum: Some("  ".into()),
        };
        assert_eq!(
            blank.choice(day(2026, 12, 7)).expect("valid").rule_code,
            None
        );
    }

    #[test]
    fn a_date_must_be_real_past_and_from_2000() {
        let today = day(2026, 12, 7);
        let at = |text: &str| {
            ReportQuery {
                on: Some(text.into()),
                ..Default::default()
            }
            .choice(today)
        };
        assert_eq!(at("2025-06-30").expect("valid").on, day(2025, 6, 30));
        for bad in ["30/06/2025", "2025-02-30", "2026-12-08", "1999-12-31"] {
            let error = at(bad).expect_err(bad);
            assert_eq!(error.field, "ngay", "{bad}");
        }
    }

    #[test]
    fn the_address_round_trips_and_drops_what_is_not_a_code() {
        let query = ReportQuery {
            on: Some("2026-11-27".into()),
            rule: Some("ND135-2020".into()),
            curriculum: Some("KNS\"><script>".into()),
        };
        let address = query.to_address();
        assert_eq!(
            address,
            "?ngay=2026-11-27&quy-tac=ND135-2020&chuong-trinh=KNSscript"
        );
        assert_eq!(ReportQuery::default().to_address(), "");
        let pairs: Vec<(String, String)> = address[1..]
            .split('&')
            .filter_map(|p| p.split_once('='))
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        let read = ReportQuery::from_address(|key| {
            pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
        });
        assert_eq!(read.rule.as_deref(), Some("ND135-2020"));
        assert_eq!(read.on.as_deref(), Some("2026-11-27"));
    }

    #[test]
    fn the_download_query_deserializes_from_the_address_keys() {
        let query: ReportQuery =
            serde_json::from_str(r#"{"ngay":"2026-01-01","quy-tac":"TK-15-59-54"}"#).expect("json");
        assert_eq!(query.on.as_deref(), Some("2026-01-01"));
        assert_eq!(query.rule.as_deref(), Some("TK-15-59-54"));
        assert_eq!(query.curriculum, None);
    }
}
