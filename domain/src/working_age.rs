//! Who is of working age on a reference date, under a versioned rule stored as data.
//!
//! Working age runs from the 15th birthday to the statutory retirement age (Labour Code
//! 2019 art. 169; Decree 135/2020/NĐ-CP). That age rises each year from 2021 (men by 3
//! months a year from 60 y 3 m to 62 y in 2028; women by 4 months from 55 y 4 m to 60 y in
//! 2035), so it is a *schedule*: a person retires on the first day on which their age
//! reaches the retirement age of that day's year. Older statistics used fixed bounds
//! (15–59 for men, 15–54 for women): the same engine reads either definition.
//!
//! Policies the data forces on us (documented here and in every report):
//! - **Birth year only** (many registers hold no date): the person is taken to be born on
//!   1 July of that year, the mid-year convention of population statistics. The error is
//!   at most half a year at either edge, in both directions, so it does not bias counts.
//! - **Unknown sex**: the men's (wider) upper bound applies, so a trained person is never
//!   dropped from the numerator for a missing answer. The bias this causes is bounded by
//!   the people of unknown sex aged between the two bounds, a count reports can show.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::person::Sex;

/// A rule's definition, as stored in `working_age_rule.definition` (JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkingAgeRule {
    pub min_age_years: u32,
    #[serde(flatten)]
    pub upper: UpperBound,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum UpperBound {
    /// A retirement age that changes by calendar year.
    Schedule {
        retirement: BySex<RetirementSchedule>,
    },
    /// A fixed last age (inclusive): "15–59" is `59`.
    Fixed { fixed_max_years: BySex<u32> },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BySex<T> {
    pub male: T,
    pub female: T,
}

/// Retirement age in months: `base_months` in `base_year`, rising by `step_months` a year
/// up to `final_months`; before `base_year`, `base_months - step_months` (the old law).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetirementSchedule {
    pub base_year: i32,
    pub base_months: u32,
    pub step_months: u32,
    pub final_months: u32,
}

impl RetirementSchedule {
    /// The retirement age, in months, that applies during `year`.
    pub fn months_in(&self, year: i32) -> u32 {
        if year < self.base_year {
            return self.base_months.saturating_sub(self.step_months);
        }
        let steps = u32::try_from(year - self.base_year).unwrap_or(u32::MAX);
        self.base_months
            .saturating_add(self.step_months.saturating_mul(steps))
            .min(self.final_months)
    }

    /// The day a person born on `birth` reaches retirement age: the first year whose
    /// retirement age, added to the birth date, falls within that same year.
    pub fn retirement_date(&self, birth: NaiveDate) -> Option<NaiveDate> {
        let earliest = birth.year() + (self.months_in(i32::MIN) / 12) as i32;
        (earliest..=earliest + 20).find_map(|year| {
            let date = birth.checked_add_months(Months::new(self.months_in(year)))?;
            (date.year() <= year).then_some(date)
        })
    }
}

/// What is known of a person's birth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Birth {
    Date(NaiveDate),
    /// Only the year: taken as 1 July (see the module documentation).
    Year(i32),
}

impl Birth {
    pub fn assumed_date(self) -> Option<NaiveDate> {
        match self {
            Birth::Date(date) => Some(date),
            Birth::Year(year) => NaiveDate::from_ymd_opt(year, 7, 1),
        }
    }
}

impl WorkingAgeRule {
    /// Whether a person is of working age on `on`.
    pub fn includes(&self, birth: Birth, sex: Sex, on: NaiveDate) -> bool {
        let Some(born) = birth.assumed_date() else {
            return false;
        };
        self.reached_min_age(born, on) && self.before_leaving(born, !matches!(sex, Sex::Female), on)
    }

    /// The birth dates, oldest and youngest inclusive, of everyone of working age on `on`:
    /// women (`female`) or everyone else. Exactly the dates `includes` accepts (a test
    /// checks it day by day), so a database can count with `born BETWEEN oldest AND
    /// youngest` instead of applying the rule to each row. `None` when nobody qualifies.
    pub fn birth_window(&self, female: bool, on: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
        let earliest = on.checked_sub_months(Months::new(150 * 12))?;
        // Both predicates are monotone in the birth date: the older you are, the sooner you
        // reached 15 and the sooner you retire.
        let youngest = last_date_where(earliest, on, |born| self.reached_min_age(born, on))?;
        let oldest = first_date_where(earliest, on, |born| self.before_leaving(born, !female, on))?;
        (oldest <= youngest).then_some((oldest, youngest))
    }

    fn reached_min_age(&self, born: NaiveDate, on: NaiveDate) -> bool {
        born.checked_add_months(Months::new(self.min_age_years * 12))
            .is_some_and(|fifteenth| fifteenth <= on)
    }

    /// Still before the day this person leaves working age (retirement).
    fn before_leaving(&self, born: NaiveDate, male: bool, on: NaiveDate) -> bool {
        let leaves = match &self.upper {
            UpperBound::Schedule { retirement } => {
                let schedule = if male {
                    retirement.male
                } else {
                    retirement.female
                };
                schedule.retirement_date(born)
            }
            UpperBound::Fixed { fixed_max_years } => {
                let last = if male {
                    fixed_max_years.male
                } else {
                    fixed_max_years.female
                };
                born.checked_add_months(Months::new((last + 1) * 12))
            }
        };
        leaves.is_some_and(|leaves| on < leaves)
    }
}

/// The last date in `[lo, hi]` where `holds` is true, for a predicate that is true up to
/// some date and false after it.
fn last_date_where(
    lo: NaiveDate,
    hi: NaiveDate,
    holds: impl Fn(NaiveDate) -> bool,
) -> Option<NaiveDate> {
    let first_false = first_date_where(lo, hi, |d| !holds(d));
    match first_false {
        Some(d) if d == lo => None,
        Some(d) => d.pred_opt(),
        None => Some(hi),
    }
}

/// The first date in `[lo, hi]` where `holds` is true, for a predicate that is false up to
/// some date and true after it (binary search over days).
fn first_date_where(
    lo: NaiveDate,
    hi: NaiveDate,
    holds: impl Fn(NaiveDate) -> bool,
) -> Option<NaiveDate> {
    let (mut lo_day, mut hi_day) = (lo.num_days_from_ce(), hi.num_days_from_ce() + 1);
    while lo_day < hi_day {
        let mid = lo_day + (hi_day - lo_day) / 2;
        if holds(NaiveDate::from_num_days_from_ce_opt(mid)?) {
            hi_day = mid;
        } else {
            lo_day = mid + 1;
        }
    }
    (lo_day <= hi.num_days_from_ce())
        .then(|| NaiveDate::from_num_days_from_ce_opt(lo_day))
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decree 135/2020, as the demo data stores it.
    fn decree_135() -> WorkingAgeRule {
        WorkingAgeRule {
            min_age_years: 15,
            upper: UpperBound::Schedule {
                retirement: BySex {
                    male: RetirementSchedule {
                        base_year: 2021,
                        base_months: 723,
                        step_months: 3,
                        final_months: 744,
                    },
                    female: RetirementSchedule {
                        base_year: 2021,
                        base_months: 664,
                        step_months: 4,
                        final_months: 720,
                    },
                },
            },
        }
    }

    fn old_statistics() -> WorkingAgeRule {
        WorkingAgeRule {
            min_age_years: 15,
            upper: UpperBound::Fixed {
                fixed_max_years: BySex {
                    male: 59,
                    female: 54,
                },
            },
        }
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    fn years_months(months: u32) -> (u32, u32) {
        (months / 12, months % 12)
    }

    #[test]
    fn the_schedule_matches_the_decree_table() {
        let rule = decree_135();
        let UpperBound::Schedule { retirement } = rule.upper else {
            unreachable!()
        };
        let men: Vec<_> = (2021..=2029)
            .map(|y| years_months(retirement.male.months_in(y)))
            .collect();
        assert_eq!(
            men,
            [
                (60, 3),
                (60, 6),
                (60, 9),
                (61, 0),
                (61, 3),
                (61, 6),
                (61, 9),
                (62, 0),
                (62, 0)
            ]
        );
        let women: Vec<_> = [2021, 2025, 2026, 2029, 2034, 2035, 2040]
            .into_iter()
            .map(|y| years_months(retirement.female.months_in(y)))
            .collect();
        assert_eq!(
            women,
            [
                (55, 4),
                (56, 8),
                (57, 0),
                (58, 0),
                (59, 8),
                (60, 0),
                (60, 0)
            ]
        );
        assert_eq!(
            years_months(retirement.male.months_in(2019)),
            (60, 0),
            "the old law before 2021"
        );
    }

    #[test]
    fn a_man_born_in_march_1966_retires_at_61_years_9_months() {
        // The 2026 age, 61 y 6 m, he reaches only in September 2027; the 2027 age, 61 y 9 m,
        // he reaches on 10 December 2027: that is his day.
        let UpperBound::Schedule { retirement } = decree_135().upper else {
            unreachable!()
        };
        assert_eq!(
            retirement.male.retirement_date(d(1966, 3, 10)),
            Some(d(2027, 12, 10))
        );
    }

    #[test]
    fn the_days_around_the_fifteenth_birthday() {
        let rule = decree_135();
        let birth = Birth::Date(d(2011, 11, 27));
        assert!(!rule.includes(birth, Sex::Female, d(2026, 11, 26)));
        assert!(rule.includes(birth, Sex::Female, d(2026, 11, 27)));
    }

    #[test]
    fn the_days_around_a_retirement_that_crosses_the_limit() {
        let rule = decree_135();
        // A woman born 20 Aug 1969 is 56 y 8 m (the 2025 age) only in April 2026, and
        // reaches 57 y 0 m (the 2026 age) on 20 Aug 2026.
        let birth = Birth::Date(d(1969, 8, 20));
        assert!(rule.includes(birth, Sex::Female, d(2026, 8, 19)));
        assert!(!rule.includes(birth, Sex::Female, d(2026, 8, 20)));
        // A woman born 15 Feb 1969 had already reached 56 y 8 m in October 2025.
        assert!(!rule.includes(Birth::Date(d(1969, 2, 15)), Sex::Female, d(2026, 1, 1)));
        // The same birth date, a man: 62 y, reached on 20 Aug 2031.
        assert!(rule.includes(birth, Sex::Male, d(2031, 8, 19)));
        assert!(!rule.includes(birth, Sex::Male, d(2031, 8, 20)));
    }

    #[test]
    fn unknown_sex_takes_the_mens_bound_and_a_birth_year_means_1_july() {
        let rule = decree_135();
        // Born mid-1968: 58 in 2026, past the women's 57 y but within the men's bound.
        assert!(!rule.includes(Birth::Year(1968), Sex::Female, d(2026, 11, 27)));
        assert!(rule.includes(Birth::Year(1968), Sex::Unknown, d(2026, 11, 27)));
        // Born 2011 (taken as 1 July): 15 from 1 July 2026.
        assert!(!rule.includes(Birth::Year(2011), Sex::Male, d(2026, 6, 30)));
        assert!(rule.includes(Birth::Year(2011), Sex::Male, d(2026, 7, 1)));
    }

    #[test]
    fn the_birth_window_accepts_exactly_the_dates_the_rule_accepts() {
        // Reference dates around retirement-age changes and leap days; every birth date
        // from 1950 to 2015 is checked against `includes`.
        for rule in [decree_135(), old_statistics()] {
            for on in [
                d(2021, 1, 1),
                d(2024, 2, 29),
                d(2025, 12, 31),
                d(2026, 6, 30),
                d(2026, 11, 27),
                d(2035, 3, 1),
            ] {
                for (female, sex) in [
                    (true, Sex::Female),
                    (false, Sex::Male),
                    (false, Sex::Unknown),
                ] {
                    let (oldest, youngest) =
                        rule.birth_window(female, on).expect("someone qualifies");
                    let mut born = d(1950, 1, 1);
                    while born < d(2015, 1, 1) {
                        let inside = oldest <= born && born <= youngest;
                        assert_eq!(
                            inside,
                            rule.includes(Birth::Date(born), sex, on),
                            "born {born}, on {on}, {sex:?}"
                        );
                        born = born.succ_opt().expect("date");
                    }
                }
            }
        }
    }

    #[test]
    fn the_birth_window_on_27_november_2026() {
        // Hand-worked: 15th birthday on or before the day; women retire at 57 y 0 m in 2026
        // (born after 27 Nov 1969 are still in), men at 61 y 6 m (born after 27 May 1965).
        let rule = decree_135();
        assert_eq!(
            rule.birth_window(true, d(2026, 11, 27)),
            Some((d(1969, 11, 28), d(2011, 11, 27)))
        );
        assert_eq!(
            rule.birth_window(false, d(2026, 11, 27)),
            Some((d(1965, 5, 28), d(2011, 11, 27)))
        );
    }

    #[test]
    fn the_old_statistical_rule_is_15_to_59_and_15_to_54_inclusive() {
        let rule = old_statistics();
        let birth = Birth::Date(d(1966, 5, 1));
        assert!(
            rule.includes(birth, Sex::Male, d(2026, 4, 30)),
            "59 years 11 months"
        );
        assert!(
            !rule.includes(birth, Sex::Male, d(2026, 5, 1)),
            "60th birthday"
        );
        let birth = Birth::Date(d(1971, 5, 1));
        assert!(rule.includes(birth, Sex::Female, d(2026, 4, 30)));
        assert!(!rule.includes(birth, Sex::Female, d(2026, 5, 1)));
    }
}
