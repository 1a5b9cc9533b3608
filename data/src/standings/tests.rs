//! Unit tests of the standings computation.

use chrono::{NaiveDate, Utc};
use kynangso_domain::attendance::AttendanceStatus;
use kynangso_domain::completion::{CompletionRule, ModuleRef};

use super::*;

fn standing(person: u128, completed: u32) -> trained_person::Model {
    trained_person::Model {
        curriculum_version_id: Uuid::from_u128(7),
        participant_id: Uuid::from_u128(person),
        home_unit_id: Uuid::from_u128(99),
        village_id: None,
        female: true,
        born_on: NaiveDate::from_ymd_opt(1990, 7, 1).expect("date"),
        completed_on: NaiveDate::from_ymd_opt(2026, 10, completed).expect("date"),
        updated_at: Utc::now(),
    }
}

#[test]
fn only_standings_that_changed_are_rewritten() {
    let before = vec![standing(1, 3), standing(2, 4), standing(3, 5)];
    // 1 is unchanged (a later `updated_at` is no change), 2 completed on another day,
    // 3 lost its completion, 4 is newly trained.
    let after = vec![standing(1, 3), standing(2, 9), standing(4, 6)];
    let (gone, new) = changes(before, after);
    let people = |rows: &[trained_person::Model]| -> Vec<u128> {
        rows.iter().map(|r| r.participant_id.as_u128()).collect()
    };
    assert_eq!(people(&gone), [2, 3]);
    assert_eq!(people(&new), [2, 4]);
    assert_eq!(
        new[0].completed_on,
        NaiveDate::from_ymd_opt(2026, 10, 9).expect("date")
    );
    let (gone, new) = changes(vec![standing(1, 3)], vec![standing(1, 3)]);
    assert!(
        gone.is_empty() && new.is_empty(),
        "a mark that changes no standing writes nothing"
    );
}

#[test]
fn only_rows_that_really_changed_name_their_days() {
    // The completion days whose months a write bumps: of the rows it removes and adds.
    let days = |before, after| -> Vec<NaiveDate> {
        let (gone, new) = changes(before, after);
        gone.iter()
            .chain(&new)
            .map(|row| row.completed_on)
            .collect()
    };
    let d = |day| NaiveDate::from_ymd_opt(2026, 10, day).expect("date");
    assert_eq!(
        days(vec![standing(1, 3)], vec![standing(1, 3)]).len(),
        0,
        "rewritten as it was"
    );
    assert_eq!(
        days(vec![standing(1, 3)], vec![standing(1, 27)]),
        [d(3), d(27)],
        "both the old day and the new"
    );
    assert_eq!(days(vec![standing(2, 5)], vec![]), [d(5)]);
    assert_eq!(days(vec![], vec![standing(3, 27)]), [d(27)]);
}

#[test]
fn the_completion_day_is_the_session_that_covers_the_last_required_module() {
    let m = |n: u128| ModuleRef {
        id: Uuid::from_u128(n),
        code: format!("M{n}"),
        name: format!("M{n}"),
        required: true,
    };
    let rule = CompletionRule::AllRequired {
        counted_statuses: vec![AttendanceStatus::Present, AttendanceStatus::Late],
    };
    let day = |d: u32| NaiveDate::from_ymd_opt(2025, 10, d).expect("date");
    let modules = [m(1), m(2)];
    let sessions = [
        (day(1), AttendanceStatus::Present, vec![Uuid::from_u128(1)]),
        (day(5), AttendanceStatus::Absent, vec![Uuid::from_u128(2)]),
        (day(9), AttendanceStatus::Late, vec![Uuid::from_u128(2)]),
        (
            day(12),
            AttendanceStatus::Present,
            vec![Uuid::from_u128(1), Uuid::from_u128(2)],
        ),
    ];
    assert_eq!(completion_day(&rule, &modules, &sessions), Some(day(9)));
    assert_eq!(
        completion_day(&rule, &modules, &sessions[..2]),
        None,
        "absent does not count"
    );
}
