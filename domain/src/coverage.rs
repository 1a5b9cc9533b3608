//! The indicator the province reports: the share of working-age people trained in basic
//! digital skills, per commune and for the province, against the plan's targets.
//!
//! Figures travel with what they rest on (reference date, working-age rule, curriculum
//! version, each denominator's source and year), so a page or an export can always say
//! how a number was made. Without a denominator there is no percentage: `share` is `None`.

pub mod query;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use query::{ReportChoice, ReportQuery};

/// A target of the provincial plan: more than 70 % by 2025, 80 % by 2030.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    pub year: i32,
    pub percent: u32,
    /// "Trên 70 %" is met only above 70 %; "80 %" is met at 80 %.
    pub strictly_above: bool,
}

/// The plan's two targets for this indicator (Quyết định of Đắk Lắk, see DOMAIN.md).
pub const TARGETS: [Target; 2] = [
    Target {
        year: 2025,
        percent: 70,
        strictly_above: true,
    },
    Target {
        year: 2030,
        percent: 80,
        strictly_above: false,
    },
];

impl Target {
    /// How many more trained people `population` needs to meet this target (0 when met).
    pub fn still_needed(self, trained: u64, population: u64) -> u64 {
        let scaled = population * u64::from(self.percent);
        let required = if self.strictly_above {
            scaled / 100 + 1
        } else {
            scaled.div_ceil(100)
        };
        required.saturating_sub(trained)
    }

    pub fn label_vi(self) -> String {
        if self.strictly_above {
            format!("trên {} % ({})", self.percent, self.year)
        } else {
            format!("{} % ({})", self.percent, self.year)
        }
    }
}

/// A denominator: working-age population of a unit, with where the figure came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Population {
    pub count: u64,
    /// The year the figure is for (the latest one not after the reference year).
    pub year: i32,
    pub source: String,
}

/// One commune's or ward's line of the province table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommuneCoverage {
    pub code: String,
    pub name: String,
    pub trained: u64,
    pub population: Option<Population>,
}

impl CommuneCoverage {
    /// Trained share in per mille (0–1000+), `None` without a denominator.
    pub fn share_permille(&self) -> Option<u64> {
        share_permille(self.trained, self.population.as_ref().map(|p| p.count))
    }

    /// More people needed for a target, `None` without a denominator.
    pub fn still_needed(&self, target: Target) -> Option<u64> {
        self.population
            .as_ref()
            .map(|p| target.still_needed(self.trained, p.count))
    }
}

/// Share in per mille, rounded half up; `None` when the denominator is missing or zero.
pub fn share_permille(trained: u64, population: Option<u64>) -> Option<u64> {
    match population {
        Some(population) if population > 0 => {
            Some((trained * 2000 + population) / (population * 2))
        }
        _ => None,
    }
}

/// "72,4 %" (vi-VN: decimal comma), from per mille.
pub fn permille_vi(permille: u64) -> String {
    let whole = i64::try_from(permille / 10).unwrap_or(i64::MAX);
    format!("{},{} %", crate::format::integer_vi(whole), permille % 10)
}

/// What a report rests on, printed with every figure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Basis {
    pub reference_date: NaiveDate,
    pub rule_code: String,
    pub rule_name: String,
    pub curriculum_code: String,
    pub curriculum_name: String,
}

/// The province table: one line per commune-level unit that exists on the reference date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProvinceReport {
    pub basis: Basis,
    pub communes: Vec<CommuneCoverage>,
    /// Trained people recorded under a unit that was split in a reform, which the unit
    /// alone cannot place in one of its successors.
    pub unplaced: u64,
}

impl ProvinceReport {
    pub fn trained(&self) -> u64 {
        self.communes.iter().map(|c| c.trained).sum::<u64>() + self.unplaced
    }

    /// The province's denominator: the sum over communes, and how many lack one.
    pub fn population(&self) -> (u64, usize) {
        let known = self.communes.iter().filter_map(|c| c.population.as_ref());
        let total = known.clone().map(|p| p.count).sum();
        (total, self.communes.len() - known.count())
    }

    /// Communes meeting `target` (those without a denominator cannot).
    pub fn communes_meeting(&self, target: Target) -> usize {
        self.communes
            .iter()
            .filter(|c| c.still_needed(target) == Some(0))
            .count()
    }
}

/// One point of a trend line: the trained share at the end of a month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrendPoint {
    /// The last day of the month (or the reference date for the current month).
    pub on: NaiveDate,
    pub trained: u64,
    pub population: Option<u64>,
}

/// Shares of profiled participants answering "yes", for the plan's other indicators.
/// Not population estimates: only people the teams met and asked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileShares {
    pub profiled: u64,
    pub smartphone: u64,
    pub payment_account: u64,
    pub online_public_services: u64,
    pub vneid: u64,
}

/// A commune's page: its line of the province table and what lies behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommuneReport {
    pub basis: Basis,
    pub line: CommuneCoverage,
    pub villages: Vec<VillageCount>,
    /// Sessions of this curriculum version held by the reference date (not cancelled).
    pub sessions_held: u64,
    pub trainers: Vec<TrainerActivity>,
    pub modules: Vec<ModuleMix>,
    pub profile: ProfileShares,
    pub trend: Vec<TrendPoint>,
    /// People who started but still miss required modules: only for the commune's own
    /// team (personal data), `None` for everyone else.
    pub still_missing: Option<Vec<StillMissing>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VillageCount {
    /// `None`: people recorded without a village.
    pub name: Option<String>,
    pub trained: u64,
    pub participants: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrainerActivity {
    pub name: String,
    pub sessions: u64,
    /// Attendances (present or late) at those sessions.
    pub attended: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModuleMix {
    pub code: String,
    pub name: String,
    pub required: bool,
    pub sessions: u64,
    pub attended: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StillMissing {
    pub participant_id: uuid::Uuid,
    pub full_name: String,
    pub missing: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn more_than_70_percent_needs_one_more_than_70_percent() {
        let [above_70, eighty] = TARGETS;
        // 1000 people: "more than 70 %" is 701, "80 %" is 800.
        assert_eq!(above_70.still_needed(0, 1000), 701);
        assert_eq!(above_70.still_needed(700, 1000), 1);
        assert_eq!(above_70.still_needed(701, 1000), 0);
        assert_eq!(eighty.still_needed(799, 1000), 1);
        assert_eq!(eighty.still_needed(800, 1000), 0);
        // 14 820 people: 80 % is 11 856 exactly; 70 % is 10 374, so 10 375.
        assert_eq!(eighty.still_needed(0, 14_820), 11_856);
        assert_eq!(above_70.still_needed(0, 14_820), 10_375);
        // 7 people: 80 % is 5.6, so 6.
        assert_eq!(eighty.still_needed(0, 7), 6);
        assert_eq!(eighty.still_needed(9, 7), 0);
    }

    #[test]
    fn shares_round_half_up_and_need_a_denominator() {
        assert_eq!(share_permille(6, Some(14_820)), Some(0));
        assert_eq!(share_permille(1, Some(8)), Some(125));
        assert_eq!(share_permille(2, Some(3)), Some(667));
        assert_eq!(
            share_permille(1, Some(2000)),
            Some(1),
            "0.5 per mille rounds up"
        );
        assert_eq!(share_permille(5, None), None);
        assert_eq!(share_permille(5, Some(0)), None);
        assert_eq!(permille_vi(724), "72,4 %");
        assert_eq!(permille_vi(5), "0,5 %");
        assert_eq!(permille_vi(12_345), "1.234,5 %");
    }
}
