//! vi-VN presentation of numbers and dates: "1.234.567", "72,5 %", "27/11/2026".
//!
//! Hand-written on purpose: these three rules are all the app needs, and pulling an ICU
//! data set into the wasm bundle would cost more than the whole app.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

/// Vietnam's time: UTC+7 all year (no daylight saving since 1975).
pub fn vietnam_offset() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).expect("a valid offset")
}

/// The calendar day in Vietnam at `now`.
pub fn today_in_vietnam(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&vietnam_offset()).date_naive()
}

/// "27/11/2026 08:00" in Vietnam's time.
pub fn datetime_vi(at: DateTime<Utc>) -> String {
    at.with_timezone(&vietnam_offset())
        .format("%d/%m/%Y %H:%M")
        .to_string()
}

/// Groups thousands with "." as Vietnamese does: 1234567 → "1.234.567".
pub fn integer_vi(value: i64) -> String {
    let digits = value.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if value < 0 {
        out.push('-');
    }
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(ch);
    }
    out
}

/// A share as a percentage with one decimal and a decimal comma: 0.7251 → "72,5 %".
pub fn percent_vi(share: f64) -> String {
    let tenths = (share * 1000.0).round() as i64;
    let sign = if tenths < 0 { "-" } else { "" };
    let tenths = tenths.abs();
    format!("{sign}{},{} %", integer_vi(tenths / 10), tenths % 10)
}

/// dd/mm/yyyy, the way dates are written on Vietnamese forms.
pub fn date_vi(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnam_days_start_seven_hours_before_utc_days() {
        let late_utc = DateTime::parse_from_rfc3339("2026-11-27T17:30:00Z")
            .expect("time")
            .with_timezone(&Utc);
        assert_eq!(today_in_vietnam(late_utc).to_string(), "2026-11-28");
        assert_eq!(datetime_vi(late_utc), "28/11/2026 00:30");
    }

    #[test]
    fn integers_group_thousands_with_dots() {
        assert_eq!(integer_vi(0), "0");
        assert_eq!(integer_vi(999), "999");
        assert_eq!(integer_vi(1000), "1.000");
        assert_eq!(integer_vi(1_184_117), "1.184.117");
        assert_eq!(integer_vi(-25_000), "-25.000");
    }

    #[test]
    fn percentages_use_a_decimal_comma() {
        assert_eq!(percent_vi(0.7251), "72,5 %");
        assert_eq!(percent_vi(0.7), "70,0 %");
        assert_eq!(percent_vi(1.0), "100,0 %");
        assert_eq!(percent_vi(0.0004), "0,0 %");
    }

    #[test]
    fn dates_are_day_first() {
        let date = NaiveDate::from_ymd_opt(2025, 7, 1).expect("valid date");
        assert_eq!(date_vi(date), "01/07/2025");
    }
}
