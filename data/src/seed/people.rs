//! Invented demo participants of Xã Hòa Phú, each with recorded consent and a profile.

use chrono::{Datelike, NaiveDate, Utc};
use kynangso_domain::text::{canonical_name, search_key};
use sea_orm::{ActiveValue::Set, ConnectionTrait};
use uuid::Uuid;

use super::demo_id;
use super::places::DemoUnits;
use crate::DataError;
use crate::entities::{citizen_profile, consent, participant};
use crate::idempotent::insert_once;

/// What the person agreed to, shown to them before they are recorded (Decree 13/2023).
pub const TRAINING_CONSENT: &str = "Tôi đồng ý để Tổ công nghệ số cộng đồng ghi họ tên, giới tính, năm sinh, thôn và \
việc tham gia tập huấn của tôi, chỉ nhằm theo dõi kết quả phổ cập kỹ năng số. Tôi có thể rút lại sự đồng ý bất cứ lúc nào.";

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

pub(crate) async fn insert_participants<C: ConnectionTrait>(
    db: &C,
    units: &DemoUnits,
) -> Result<Vec<Uuid>, DataError> {
    let now = Utc::now();
    let mut ids = Vec::new();
    for (i, (name, sex, (year, month_day), village, phone)) in PEOPLE.into_iter().enumerate() {
        let id = demo_id(700 + i as u16);
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
                home_unit_id: Set(units.hoa_phu),
                village_id: Set(units.villages.get(village).copied()),
                phone: Set(phone.map(str::to_owned)),
                national_id: Set(None),
                merged_into_id: Set(None),
                created_by: Set(Some(demo_id(103))),
                created_at: Set(now),
                updated_at: Set(now),
            },
        )
        .await?;
        insert_once(
            db,
            consent::ActiveModel {
                id: Set(demo_id(800 + i as u16)),
                participant_id: Set(id),
                purpose: Set("training_record".to_owned()),
                statement: Set(TRAINING_CONSENT.to_owned()),
                granted_at: Set(now),
                recorded_by: Set(Some(demo_id(103))),
                withdrawn_at: Set(None),
                withdrawn_by: Set(None),
            },
        )
        .await?;
        insert_once(
            db,
            citizen_profile::ActiveModel {
                id: Set(demo_id(900 + i as u16)),
                participant_id: Set(id),
                as_of: Set(NaiveDate::from_ymd_opt(2025, 9, 12).unwrap_or_default()),
                has_smartphone: Set(Some(i % 4 != 3)),
                has_payment_account: Set(Some(i % 3 != 2)),
                uses_online_public_services: Set(Some(i % 2 == 0)),
                vneid_activated: Set(Some(i % 5 != 4)),
                recorded_by: Set(Some(demo_id(103))),
                recorded_at: Set(now),
            },
        )
        .await?;
        ids.push(id);
    }
    Ok(ids)
}
