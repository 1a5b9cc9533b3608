use super::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).expect("date")
}

fn form() -> ParticipantForm {
    ParticipantForm {
        id: crate::new_id().to_string(),
        full_name: "  nguyễn   thị hoa ".to_owned(),
        sex: "female".to_owned(),
        birth_year: "1985".to_owned(),
        phone: "+84 912 345 678".to_owned(),
        consent: Some("on".to_owned()),
        has_smartphone: Some("on".to_owned()),
        ..Default::default()
    }
}

fn fields(errors: Vec<FieldError>) -> Vec<String> {
    errors.into_iter().map(|e| e.field).collect()
}

#[test]
fn a_complete_form_is_normalised() {
    let valid = form().validate(today()).expect("valid");
    assert_eq!(valid.full_name, canonical_name("nguyễn thị hoa"));
    assert_eq!(valid.birth_year, 1985);
    assert_eq!(valid.birth_date, None);
    assert_eq!(
        valid.phone.map(|p| p.as_str().to_owned()).as_deref(),
        Some("0912345678")
    );
    assert!(valid.profile.has_smartphone && !valid.profile.vneid_activated);
}

#[test]
fn a_birth_date_sets_the_year() {
    let valid = ParticipantForm {
        birth_date: "1990-06-30".into(),
        birth_year: "".into(),
        ..form()
    }
    .validate(today())
    .expect("valid");
    assert_eq!(valid.birth_year, 1990);
    assert_eq!(valid.birth_date, NaiveDate::from_ymd_opt(1990, 6, 30));
}

#[test]
fn every_problem_is_reported_beside_its_field() {
    let bad = ParticipantForm {
        id: "not-an-id".into(),
        full_name: " ".into(),
        sex: "".into(),
        birth_year: "85".into(),
        phone: "12345".into(),
        national_id: "0661234".into(),
        consent: None,
        ..Default::default()
    };
    assert_eq!(
        fields(bad.validate(today()).expect_err("invalid")),
        [
            "id",
            "full_name",
            "sex",
            "birth_year",
            "phone",
            "national_id",
            "consent"
        ]
    );
}

#[test]
fn consent_is_required() {
    let errors = ParticipantForm {
        consent: Some("".into()),
        ..form()
    }
    .validate(today())
    .expect_err("no consent");
    assert_eq!(fields(errors), ["consent"]);
}

#[test]
fn future_and_ancient_births_are_refused() {
    for (date, year) in [
        ("2027-01-01", ""),
        ("", "2027"),
        ("", "1899"),
        ("1899-12-31", ""),
    ] {
        let f = ParticipantForm {
            birth_date: date.into(),
            birth_year: year.into(),
            ..form()
        };
        assert!(f.validate(today()).is_err(), "{date} {year}");
    }
}

#[test]
fn names_with_digits_are_refused() {
    let f = ParticipantForm {
        full_name: "Nguyen Van 2".into(),
        ..form()
    };
    assert_eq!(
        fields(f.validate(today()).expect_err("digits")),
        ["full_name"]
    );
}

#[test]
fn codes_are_six_unambiguous_characters_and_typing_slips_are_forgiven() {
    let code = participant_code(Uuid::from_u128(42));
    assert_eq!(code.len(), 6);
    assert!(code.chars().all(|c| CODE_DIGITS.contains(&(c as u8))));
    assert_eq!(code, participant_code(Uuid::from_u128(42)), "stable");
    assert_ne!(code, participant_code(Uuid::from_u128(43)));
    assert_eq!(normalize_code(" ab-lo 1i "), "AB1011");
}

#[test]
fn national_ids_are_twelve_digits_and_masked() {
    let id = NationalId::parse("066 185 001 234").expect("12 digits");
    assert_eq!(id.as_str(), "066185001234");
    assert_eq!(id.masked(), "*********234");
    assert!(NationalId::parse("06618500123").is_none());
    assert!(NationalId::parse("06618500123x").is_none());
}
