//! The demo data set: a newcomer sees a working app within a minute.
//!
//! Real Đắk Lắk units (codes of the statistics office, the 1 July 2025 reform with the
//! old Hòa Khánh/Hòa Phú/Hòa Xuân communes rolled into the new Xã Hòa Phú 24175), a team,
//! one user per role, sessions and participants. Every person in it is invented, and the
//! population figures are illustrative, labelled as such. Ids are fixed, so loading twice
//! changes nothing.

mod curriculum;
mod people;
mod places;

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use kynangso_domain::Role;
use kynangso_domain::attendance::AttendanceStatus;
use sea_orm::{ActiveValue::Set, ConnectionTrait, TransactionSession, TransactionTrait};
use uuid::Uuid;

use crate::DataError;
use crate::entities::{
    attendance, session_module, session_trainer, team, team_member, training_session,
};
use crate::idempotent::insert_once;
use crate::users::{self, NewUser};

pub use curriculum::{DECREE_135_DEFINITION, OLD_STATISTICS_DEFINITION};
pub use places::DEMO_SOURCE;

use curriculum::{DemoCurriculum, insert_curriculum, insert_rules_and_population};

/// A demo account and its password, printed at start-up for the newcomer.
#[derive(Debug, Clone)]
pub struct DemoAccount {
    pub username: String,
    /// `None` when the account already existed: its password was printed when it was made.
    pub password: Option<String>,
    pub role: Role,
    pub unit_name: String,
}

/// A fixed UUIDv7 for demo record `n` (time part: 1 July 2025), so re-seeding is a no-op.
/// Tests name demo records by it: users 100–104, participants 700–711 (Hòa Phú) and
/// 720–721 (Tân An), sessions 500–502.
pub fn demo_id(n: u16) -> Uuid {
    let millis = 1_751_328_000_000 + u64::from(n);
    let [hi, lo] = n.to_be_bytes();
    uuid::Builder::from_unix_timestamp_millis(millis, &[0xde, 0x30, hi, lo, 0, 0, 0, 0, 0, 0])
        .into_uuid()
}

/// Loads the demo data in one transaction. `password` sets every demo account's password
/// (tests use it); otherwise each account gets its own random pass-phrase, printed once —
/// never a password written in this public source code.
#[tracing::instrument(skip_all)]
pub async fn load_demo<C>(db: &C, password: Option<String>) -> Result<Vec<DemoAccount>, DataError>
where
    C: ConnectionTrait + TransactionTrait,
{
    let txn = db.begin().await?;
    let units = places::insert_units(&txn).await?;
    let accounts = insert_users(&txn, &units, password).await?;
    let curriculum = insert_curriculum(&txn).await?;
    insert_rules_and_population(&txn, &units).await?;
    let members = insert_team(&txn, &units).await?;
    let people = people::insert_participants(&txn, &units).await?;
    insert_sessions(&txn, &units, &curriculum, &members, &people).await?;
    crate::standings::refresh(&txn, &people).await?;
    txn.commit().await?;
    Ok(accounts)
}

async fn insert_users<C: ConnectionTrait>(
    db: &C,
    units: &places::DemoUnits,
    password: Option<String>,
) -> Result<Vec<DemoAccount>, DataError> {
    let plan = [
        (
            100,
            "admin",
            "Quản trị tỉnh (demo)",
            Role::ProvinceAdmin,
            units.province,
            "Tỉnh Đắk Lắk",
        ),
        (
            101,
            "theodoi",
            "Theo dõi tỉnh (demo)",
            Role::ProvinceReviewer,
            units.province,
            "Tỉnh Đắk Lắk",
        ),
        (
            102,
            "totruong.hoaphu",
            "Tổ trưởng Hòa Phú (demo)",
            Role::CommuneLead,
            units.hoa_phu,
            "Xã Hòa Phú",
        ),
        (
            103,
            "thanhvien.hoaphu",
            "Thành viên tổ Hòa Phú (demo)",
            Role::TeamMember,
            units.hoa_phu,
            "Xã Hòa Phú",
        ),
        (
            104,
            "totruong.tanan",
            "Tổ trưởng Tân An (demo)",
            Role::CommuneLead,
            units.tan_an,
            "Phường Tân An",
        ),
    ];
    let mut accounts = Vec::with_capacity(plan.len());
    for (n, username, display, role, scope, unit_name) in plan {
        let password = password
            .clone()
            .unwrap_or_else(crate::password::generate_passphrase);
        let new = NewUser {
            id: demo_id(n),
            username: username.to_owned(),
            phone: None,
            display_name: display.to_owned(),
            password: password.clone(),
            role,
            scope_unit_id: scope,
            must_change_password: false,
        };
        let outcome = users::create(db, new, None).await?;
        accounts.push(DemoAccount {
            username: username.to_owned(),
            password: (outcome == crate::idempotent::Outcome::Created).then_some(password),
            role,
            unit_name: unit_name.to_owned(),
        });
    }
    Ok(accounts)
}

async fn insert_team<C: ConnectionTrait>(
    db: &C,
    units: &places::DemoUnits,
) -> Result<Vec<Uuid>, DataError> {
    let now = Utc::now();
    let team_id = demo_id(400);
    insert_once(
        db,
        team::ActiveModel {
            id: Set(team_id),
            unit_id: Set(units.hoa_phu),
            name: Set("Tổ công nghệ số cộng đồng xã Hòa Phú".to_owned()),
            created_at: Set(now),
            updated_at: Set(now),
        },
    )
    .await?;
    let members = [
        (401, Some(demo_id(102)), "Y Khuê Niê", "lead"),
        (402, Some(demo_id(103)), "Lê Thị Thu Trang", "member"),
        (403, None, "H'Linh Mlô", "member"),
    ];
    let mut ids = Vec::new();
    for (n, user, name, position) in members {
        insert_once(
            db,
            team_member::ActiveModel {
                id: Set(demo_id(n)),
                team_id: Set(team_id),
                user_id: Set(user),
                full_name: Set(name.to_owned()),
                phone: Set(None),
                position: Set(position.to_owned()),
                village_id: Set(None),
                joined_on: Set(NaiveDate::from_ymd_opt(2025, 7, 15)),
                left_on: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
            },
        )
        .await?;
        ids.push(demo_id(n));
    }
    Ok(ids)
}

async fn insert_sessions<C: ConnectionTrait>(
    db: &C,
    units: &places::DemoUnits,
    curriculum: &DemoCurriculum,
    trainers: &[Uuid],
    people: &[Uuid],
) -> Result<(), DataError> {
    let now = Utc::now();
    // (id, local date, village, place, module indexes)
    type Planned = (u16, (i32, u32, u32), usize, &'static str, &'static [usize]);
    let plan: [Planned; 3] = [
        (500, (2025, 9, 12), 0, "Nhà văn hoá thôn 1", &[0, 1]),
        (501, (2025, 10, 3), 1, "Hội trường UBND xã", &[2, 3]),
        (502, (2025, 11, 7), 2, "Nhà văn hoá buôn Ea Khít", &[4]),
    ];
    for (k, (n, (y, m, d), village, place, modules)) in plan.into_iter().enumerate() {
        let session = demo_id(n);
        // 08:00 local time, stored in UTC.
        let starts_at = chrono_tz::Asia::Ho_Chi_Minh
            .with_ymd_and_hms(y, m, d, 8, 0, 0)
            .single()
            .ok_or(DataError::Invalid("demo date".to_owned()))?
            .with_timezone(&Utc);
        insert_once(
            db,
            training_session::ActiveModel {
                id: Set(session),
                unit_id: Set(units.hoa_phu),
                village_id: Set(units.villages.get(village).copied()),
                place: Set(place.to_owned()),
                starts_at: Set(starts_at),
                duration_minutes: Set(120),
                curriculum_version_id: Set(curriculum.version),
                notes: Set(Some("Buổi tập huấn minh hoạ (dữ liệu demo)".to_owned())),
                status: Set(kynangso_domain::status::SessionStatus::Held),
                created_by: Set(Some(demo_id(103))),
                created_at: Set(now),
                updated_at: Set(now),
                cancelled_at: Set(None),
            },
        )
        .await?;
        for &m in modules {
            insert_once(
                db,
                session_module::ActiveModel {
                    session_id: Set(session),
                    module_id: Set(curriculum.modules[m]),
                },
            )
            .await?;
        }
        insert_once(
            db,
            session_trainer::ActiveModel {
                session_id: Set(session),
                team_member_id: Set(trainers[k % trainers.len()]),
            },
        )
        .await?;
        for (i, &person) in people.iter().enumerate() {
            // Everyone but a few attends; some come late, one is excused each time.
            let status = match (i + k) % 7 {
                5 => AttendanceStatus::Late,
                6 => AttendanceStatus::Excused,
                _ if i % 5 == 4 && k == 2 => AttendanceStatus::Absent,
                _ => AttendanceStatus::Present,
            };
            insert_once(
                db,
                attendance::ActiveModel {
                    id: Set(demo_id(600 + (k as u16) * 50 + i as u16)),
                    session_id: Set(session),
                    participant_id: Set(person),
                    status: Set(status),
                    marked_by: Set(Some(demo_id(103))),
                    marked_at: Set(starts_at + Duration::minutes(5)),
                },
            )
            .await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod id_tests {
    use super::{DECREE_135_DEFINITION, OLD_STATISTICS_DEFINITION, demo_id};
    use chrono::NaiveDate;
    use kynangso_domain::person::Sex;
    use kynangso_domain::working_age::{Birth, WorkingAgeRule};

    /// The stored definitions are read by the domain's rule engine as intended.
    #[test]
    fn both_stored_working_age_rules_parse_and_differ_for_a_man_of_60() {
        let decree: WorkingAgeRule = serde_json::from_str(DECREE_135_DEFINITION).expect("decree");
        let old: WorkingAgeRule = serde_json::from_str(OLD_STATISTICS_DEFINITION).expect("old");
        let on = NaiveDate::from_ymd_opt(2026, 11, 27).expect("date");
        let man_of_60 = Birth::Date(NaiveDate::from_ymd_opt(1966, 1, 1).expect("date"));
        assert!(
            decree.includes(man_of_60, Sex::Male, on),
            "61 y 6 m is the 2026 limit"
        );
        assert!(!old.includes(man_of_60, Sex::Male, on), "over 59");
    }

    /// The browser tests open this participant's page by its address.
    #[test]
    fn the_first_hoa_phu_participant_has_the_id_the_browser_tests_use() {
        assert_eq!(
            demo_id(700).to_string(),
            "0197c348-8abc-7e30-82bc-000000000000"
        );
    }
}
