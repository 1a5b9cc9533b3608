//! Administrative units: provinces, (former) districts, communes, wards and villages.
//!
//! Codes come from the statistics office list and are zero-padded text ("66", "24175");
//! they are never parsed as numbers, because "024175" and "24175" are different strings
//! in that list and leading zeros matter for provinces such as "02".

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    Province,
    City,
    District,
    Town,
    Commune,
    Ward,
    Township,
    Village,
}

impl UnitKind {
    pub const ALL: [UnitKind; 8] = [
        UnitKind::Province,
        UnitKind::City,
        UnitKind::District,
        UnitKind::Town,
        UnitKind::Commune,
        UnitKind::Ward,
        UnitKind::Township,
        UnitKind::Village,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::Province => "province",
            UnitKind::City => "city",
            UnitKind::District => "district",
            UnitKind::Town => "town",
            UnitKind::Commune => "commune",
            UnitKind::Ward => "ward",
            UnitKind::Township => "township",
            UnitKind::Village => "village",
        }
    }

    pub fn parse(value: &str) -> Option<UnitKind> {
        UnitKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == value)
    }

    /// Commune-level units are where teams work and coverage is counted.
    pub fn is_commune_level(self) -> bool {
        matches!(
            self,
            UnitKind::Commune | UnitKind::Ward | UnitKind::Township
        )
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            UnitKind::Province => "Tỉnh",
            UnitKind::City => "Thành phố",
            UnitKind::District => "Huyện",
            UnitKind::Town => "Thị xã",
            UnitKind::Commune => "Xã",
            UnitKind::Ward => "Phường",
            UnitKind::Township => "Thị trấn",
            UnitKind::Village => "Thôn/buôn",
        }
    }
}

/// A national unit code as the statistics office writes it: 2 (province), 3 (district) or
/// 5 (commune) ASCII digits, kept as text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct UnitCode(String);

impl UnitCode {
    pub fn parse(text: &str) -> Result<UnitCode, UnitCodeError> {
        let text = text.trim();
        if !matches!(text.len(), 2 | 3 | 5) {
            return Err(UnitCodeError::Length);
        }
        if !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(UnitCodeError::NotDigits);
        }
        Ok(UnitCode(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum UnitCodeError {
    #[error("Mã đơn vị hành chính phải có 2, 3 hoặc 5 chữ số.")]
    Length,
    #[error("Mã đơn vị hành chính chỉ gồm chữ số.")]
    NotDigits,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_keep_their_leading_zeros() {
        assert_eq!(UnitCode::parse("02").map(|c| c.0), Ok("02".to_owned()));
        assert_eq!(
            UnitCode::parse(" 24175 ").map(|c| c.0),
            Ok("24175".to_owned())
        );
    }

    #[test]
    fn malformed_codes_are_refused() {
        assert_eq!(UnitCode::parse("2417"), Err(UnitCodeError::Length));
        assert_eq!(UnitCode::parse("24a75"), Err(UnitCodeError::NotDigits));
        assert_eq!(UnitCode::parse(""), Err(UnitCodeError::Length));
    }

    #[test]
    fn kinds_round_trip_and_know_their_level() {
        for kind in UnitKind::ALL {
            assert_eq!(UnitKind::parse(kind.as_str()), Some(kind));
        }
        assert!(UnitKind::Ward.is_commune_level());
        assert!(!UnitKind::Village.is_commune_level());
        assert!(!UnitKind::District.is_commune_level());
    }
}
