//! Invented demo participants, each with recorded consent and a profile: twelve of Xã Hòa
//! Phú and two of Phường Tân An (so that tests can show one commune never sees the other's).

use chrono::{Datelike, NaiveDate, Utc};
use kynangso_domain::text::{canonical_name, search_key};
use sea_orm::{ActiveValue::Set, ConnectionTrait};
use uuid::Uuid;

use super::demo_id;
use super::places::DemoUnits;
use crate::DataError;
use crate::entities::{citizen_profile, consent, participant};
use crate::idempotent::insert_once;

/// (name, sex, birth date or (year, None), village index, phone)
type Person = (
    &'static str,
    &'static str,
    (i32, Option<(u32, u32)>),
    usize,
    Option<&'static str>,
);

const PEOPLE: [Person; 12] = [
    (
        "Nguyễn Thị Hoa",
        "female",
        (1985, Some((3, 14))),
        0,
        Some("0912345678"),
    ),
    ("Trần Văn Minh", "male", (1978, Some((11, 2))), 0, None),
    ("H'Yên Niê", "female", (1996, None), 2, Some("0389123456")),
    ("Y Bhin Êban", "male", (1990, Some((6, 30))), 2, None),
    ("Lê Thị Mai", "female", (1969, Some((1, 5))), 1, None),
    (
        "Phạm Đức Thắng",
        "male",
        (2004, Some((9, 9))),
        1,
        Some("0868001122"),
    ),
    ("Đặng Thị Lan", "female", (1972, None), 0, None),
    ("Hoàng Văn Nam", "male", (1964, Some((12, 24))), 1, None),
    ("Nguyễn Thị Hoà", "female", (1985, None), 0, None),
    ("Vũ Quang Huy", "male", (2009, Some((4, 18))), 1, None),
    ("H'Mai Mlô", "female", (1999, Some((8, 8))), 2, None),
    ("Bùi Thị Ngọc", "female", (1958, Some((2, 27))), 0, None),
];

/// Of Phường Tân An, recorded by its commune lead; no village (index past the list).
const TAN_AN_PEOPLE: [Person; 2] = [
    (
        "Nguyễn Văn Hùng",
        "male",
        (1988, Some((7, 1))),
        usize::MAX,
        None,
    ),
    (
        "Trần Thị Hoa",
        "female",
        (1985, None),
        usize::MAX,
        Some("0977000111"),
    ),
];

/// Inserts the demo people; returns the ids of Hòa Phú's (the sessions use those).
pub(crate) async fn insert_participants<C: ConnectionTrait>(
    db: &C,
    units: &DemoUnits,
) -> Result<Vec<Uuid>, DataError> {
    let hoa_phu =
        insert_people(db, &PEOPLE, 0, units.hoa_phu, &units.villages, demo_id(103)).await?;
    insert_people(db, &TAN_AN_PEOPLE, 20, units.tan_an, &[], demo_id(104)).await?;
    Ok(hoa_phu)
}

async fn insert_people<C: ConnectionTrait>(
    db: &C,
    people: &[Person],
    first: u16,
    unit: Uuid,
    villages: &[Uuid],
    recorder: Uuid,
) -> Result<Vec<Uuid>, DataError> {
    let now = Utc::now();
    let mut ids = Vec::new();
    for (k, &(name, sex, (year, month_day), village, phone)) in people.iter().enumerate() {
        let i = first + k as u16;
        let id = demo_id(700 + i);
        let birth_date = month_day.and_then(|(m, d)| NaiveDate::from_ymd_opt(year, m, d));
        insert_once(
            db,
            participant::ActiveModel {
                id: Set(id),
                full_name: Set(canonical_name(name)),
                search_key: Set(search_key(name)),
                sex: Set(sex.to_owned()),
                birth_date: Set(birth_date),
                birth_year: Set(birth_date.map_or(year, |d| d.year())),
                home_unit_id: Set(unit),
                village_id: Set(villages.get(village).copied()),
                phone: Set(phone.map(str::to_owned)),
                national_id: Set(None),
                merged_into_id: Set(None),
                created_by: Set(Some(recorder)),
                created_at: Set(now),
                updated_at: Set(now),
                consent_withdrawn_at: Set(None),
            },
        )
        .await?;
        insert_once(
            db,
            consent::ActiveModel {
                id: Set(demo_id(800 + i)),
                participant_id: Set(id),
                purpose: Set("training_record".to_owned()),
                statement: Set(crate::participants::CONSENT_STATEMENT.to_owned()),
                granted_at: Set(now),
                recorded_by: Set(Some(recorder)),
                withdrawn_at: Set(None),
                withdrawn_by: Set(None),
            },
        )
        .await?;
        insert_once(
            db,
            citizen_profile::ActiveModel {
                id: Set(demo_id(900 + i)),
                participant_id: Set(id),
                as_of: Set(NaiveDate::from_ymd_opt(2025, 9, 12).unwrap_or_default()),
                has_smartphone: Set(Some(k % 4 != 3)),
                has_payment_account: Set(Some(k % 3 != 2)),
                uses_online_public_services: Set(Some(k % 2 == 0)),
                vneid_activated: Set(Some(k % 5 != 4)),
                recorded_by: Set(Some(recorder)),
                recorded_at: Set(now),
            },
        )
        .await?;
        ids.push(id);
    }
    Ok(ids)
}
