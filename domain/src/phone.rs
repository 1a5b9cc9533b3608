//! Vietnamese mobile numbers, stored in the national form "0xxxxxxxxx".
//!
//! Since the 2018 renumbering every mobile number is 10 digits: 0 and a network prefix
//! 3, 5, 7, 8 or 9. People write them with spaces, dots or the +84 country code.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct VnMobile(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum PhoneProblem {
    #[error("Số điện thoại di động gồm 10 chữ số, bắt đầu bằng 03, 05, 07, 08 hoặc 09.")]
    Invalid,
}

impl VnMobile {
    pub fn parse(raw: &str) -> Result<VnMobile, PhoneProblem> {
        let trimmed = raw.trim();
        let unsigned = trimmed.strip_prefix('+').unwrap_or(trimmed);
        let mut digits: String = unsigned
            .chars()
            .filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')'))
            .collect();
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(PhoneProblem::Invalid);
        }
        if let Some(rest) = digits.strip_prefix("84").filter(|r| r.len() == 9) {
            digits = format!("0{rest}");
        }
        let valid = digits.len() == 10
            && digits.starts_with('0')
            && matches!(digits.as_bytes()[1], b'3' | b'5' | b'7' | b'8' | b'9');
        if valid {
            Ok(VnMobile(digits))
        } else {
            Err(PhoneProblem::Invalid)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// For lists and logs: "091****678".
    pub fn masked(&self) -> String {
        format!("{}****{}", &self.0[..3], &self.0[7..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_spellings_normalise_to_the_national_form() {
        for raw in [
            "0912345678",
            "0912 345 678",
            "091.234.5678",
            "+84 912 345 678",
            "84912345678",
        ] {
            assert_eq!(
                VnMobile::parse(raw).map(|p| p.0),
                Ok("0912345678".to_owned()),
                "{raw}"
            );
        }
    }

    #[test]
    fn landlines_short_numbers_and_letters_are_refused() {
        for raw in [
            "02623812345",
            "091234567",
            "0112345678",
            "09123456a8",
            "",
            "+",
        ] {
            assert_eq!(VnMobile::parse(raw), Err(PhoneProblem::Invalid), "{raw}");
        }
    }

    #[test]
    fn a_masked_number_hides_the_middle_digits() {
        let phone = VnMobile::parse("0912345678").expect("valid");
        assert_eq!(phone.masked(), "091****678");
    }
}
