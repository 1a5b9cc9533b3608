//! The indicator's numerator against figures worked out by hand from the demo data.
//!
//! Demo Hòa Phú: 12 people on the rosters of 3 sessions that together cover the 5 required
//! modules (12 Sep, 3 Oct, 7 Nov 2025). Present/late counts; excused and absent do not.
//! Complete: persons 0, 1, 2, 3, 7, 8, 10 (4, 5, 6, 11 were excused once; 9 was absent from
//! the last session). Of those, person 7 (a man born 24 Dec 1964) left working age on
//! 24 Jun 2026 (61 y 6 m, the 2026 age). So 6 on 27 Nov 2026.

use chrono::{NaiveDate, Utc};
use kynangso_data::access::Caller;
use kynangso_data::coverage::trained_by_unit;
use kynangso_data::entities::{attendance, participant};
use kynangso_data::seed::{DECREE_135_DEFINITION, demo_id};
use kynangso_domain::Role;
use kynangso_domain::working_age::WorkingAgeRule;
use sea_orm::{ActiveValue::Set, EntityTrait};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

fn decree() -> WorkingAgeRule {
    serde_json::from_str(DECREE_135_DEFINITION).expect("rule")
}

async fn hoa_phu(app: &crate::helpers::TestApp, on: NaiveDate) -> (u64, u64) {
    let counts = trained_by_unit(&app.db, on, &decree())
        .await
        .expect("query")
        .expect("a curriculum");
    (
        counts.by_unit.get(&demo_id(10)).copied().unwrap_or(0),
        counts.unplaced,
    )
}

both_databases! {
    async fn the_numerator_matches_the_hand_count(app) {
        app.load_demo().await;
        assert_eq!(hoa_phu(&app, day(2026, 11, 27)).await, (6, 0));
        // Before the last session nobody had covered module NTS.
        assert_eq!(hoa_phu(&app, day(2025, 11, 6)).await, (0, 0));
        let all = trained_by_unit(&app.db, day(2026, 11, 27), &decree()).await.expect("query").expect("some");
        assert_eq!(all.by_unit.len(), 1, "Tân An's two people attended nothing: {:?}", all.by_unit);
    }

    async fn an_absorbed_units_record_counts_in_the_new_unit_until_retirement(app) {
        app.load_demo().await;
        // A woman recorded in 2025 under old Xã Hòa Khánh (absorbed into Hòa Phú on 1 Jul
        // 2025), born 20 Aug 1969: she reaches 57 y 0 m, the 2026 retirement age, on
        // 20 Aug 2026.
        let id = kynangso_domain::new_id();
        participant::Entity::insert(participant::ActiveModel {
            id: Set(id),
            full_name: Set("Người Thử Nghiệm".to_owned()),
            search_key: Set("nguoi thu nghiem".to_owned()),
            sex: Set("female".to_owned()),
            birth_date: Set(Some(day(1969, 8, 20))),
            birth_year: Set(1969),
            home_unit_id: Set(demo_id(22)),
            village_id: Set(None),
            phone: Set(None),
            national_id: Set(None),
            merged_into_id: Set(None),
            created_by: Set(None),
            created_at: Set(Utc::now()),
            updated_at: Set(Utc::now()),
            consent_withdrawn_at: Set(None),
        }).exec_without_returning(&app.db).await.expect("person");
        for session in [500, 501, 502] {
            attendance::Entity::insert(attendance::ActiveModel {
                id: Set(kynangso_domain::new_id()),
                session_id: Set(demo_id(session)),
                participant_id: Set(id),
                status: Set("present".to_owned()),
                marked_by: Set(None),
                marked_at: Set(Utc::now()),
            }).exec_without_returning(&app.db).await.expect("attendance");
        }
        // On 19 Aug 2026 person 7 has already retired (24 Jun): 6 + her = 7.
        assert_eq!(hoa_phu(&app, day(2026, 8, 19)).await, (7, 0));
        assert_eq!(hoa_phu(&app, day(2026, 8, 20)).await, (6, 0));
    }

    async fn a_merged_duplicate_counts_once(app) {
        app.load_demo().await;
        // Persons 0 and 8 (Nguyễn Thị Hoa, Nguyễn Thị Hoà) both completed; merged, one.
        let lead = Caller {
            user_id: demo_id(102),
            role: Role::CommuneLead,
            scope_unit_id: demo_id(10),
            client: None,
        };
        kynangso_data::participants::merge(&app.db, &lead, demo_id(700), demo_id(708)).await.expect("merge");
        assert_eq!(hoa_phu(&app, day(2026, 11, 27)).await, (5, 0));
    }
}
