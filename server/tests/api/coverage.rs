//! The indicator against figures worked out by hand from the demo data.
//!
//! Demo Hòa Phú: 12 people on the rosters of 3 sessions that together cover the 5 required
//! modules (12 Sep, 3 Oct, 7 Nov 2025). Present/late counts; excused and absent do not.
//! Complete: persons 0, 1, 2, 3, 7, 8, 10 (4, 5, 6, 11 were excused once; 9 was absent from
//! the last session). Of those, person 7 (a man born 24 Dec 1964) left working age on
//! 24 Jun 2026 (61 y 6 m, the 2026 age). So 6 on 27 Nov 2026: persons 0, 1, 8 of Thôn 1
//! and 2, 3, 10 of Buôn Ea Khít.

use chrono::{NaiveDate, Utc};
use kynangso_data::access::Caller;
use kynangso_data::coverage::{ReportChoice, resolve, trained_by_unit};
use kynangso_data::entities::{attendance, participant, trained_cell, trained_person};
use kynangso_data::seed::demo_id;
use kynangso_data::standings;
use kynangso_domain::Role;
use kynangso_domain::attendance::AttendanceStatus;
use sea_orm::{ActiveValue::Set, EntityTrait, QueryOrder};
use serde_json::Value;

use crate::helpers::TestApp;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

/// (Hòa Phú, unplaced) on `on`, under the default rule and the current curriculum.
async fn hoa_phu(app: &TestApp, on: NaiveDate) -> (u64, u64) {
    let choice = ReportChoice {
        on,
        rule_code: None,
        curriculum_code: None,
    };
    let resolved = resolve(&app.db, &choice)
        .await
        .expect("resolve")
        .expect("a curriculum");
    assert_eq!(
        resolved.basis.rule_code, "ND135-2020",
        "the rule the denominators use"
    );
    let counts = trained_by_unit(&app.db, resolved.version_id, on, &resolved.rule)
        .await
        .expect("query");
    (
        counts.by_unit.get(&demo_id(10)).copied().unwrap_or(0),
        counts.unplaced,
    )
}

fn lead(unit: u16, user: u16) -> Caller {
    Caller {
        user_id: demo_id(user),
        role: Role::CommuneLead,
        scope_unit_id: demo_id(unit),
        client: None,
    }
}

/// The maintained tables, as comparable rows (cells that went back to zero left out).
async fn table(
    app: &TestApp,
) -> (
    Vec<(uuid::Uuid, NaiveDate, NaiveDate, bool)>,
    Vec<(bool, i32, uuid::Uuid, i64)>,
) {
    let people = trained_person::Entity::find()
        .order_by_asc(trained_person::Column::ParticipantId)
        .all(&app.db)
        .await
        .expect("rows")
        .into_iter()
        .map(|t| (t.participant_id, t.completed_on, t.born_on, t.female))
        .collect();
    let mut cells: Vec<_> = trained_cell::Entity::find()
        .all(&app.db)
        .await
        .expect("cells")
        .into_iter()
        .filter(|c| c.trained != 0)
        .map(|c| (c.female, c.born_year, c.home_unit_id, c.trained))
        .collect();
    cells.sort();
    (people, cells)
}

async fn json(response: reqwest::Response) -> Value {
    let status = response.status();
    let text = response.text().await.expect("body");
    assert_eq!(status, 200, "{text}");
    serde_json::from_str(&text).expect("json")
}

fn commune<'a>(report: &'a Value, code: &str) -> &'a Value {
    report["report"]["communes"]
        .as_array()
        .expect("communes")
        .iter()
        .find(|c| c["code"] == code)
        .unwrap_or_else(|| panic!("commune {code} in {report}"))
}

/// A person written straight to the table (behind the data layer's back: tests refresh
/// the coverage tables themselves). `born` is a date, or a year alone when `date_known`
/// is false.
async fn insert_person(
    app: &TestApp,
    unit: uuid::Uuid,
    sex: &str,
    born: NaiveDate,
    date_known: bool,
) -> uuid::Uuid {
    let id = kynangso_domain::new_id();
    participant::Entity::insert(participant::ActiveModel {
        id: Set(id),
        full_name: Set("Người Thử Nghiệm".to_owned()),
        search_key: Set("nguoi thu nghiem".to_owned()),
        sex: Set(sex.to_owned()),
        birth_date: Set(date_known.then_some(born)),
        birth_year: Set(chrono::Datelike::year(&born)),
        home_unit_id: Set(unit),
        village_id: Set(None),
        phone: Set(None),
        national_id: Set(None),
        merged_into_id: Set(None),
        created_by: Set(None),
        created_at: Set(Utc::now()),
        updated_at: Set(Utc::now()),
        consent_withdrawn_at: Set(None),
    })
    .exec_without_returning(&app.db)
    .await
    .expect("person");
    id
}

/// An attendance mark written straight to the table.
async fn insert_mark(app: &TestApp, session: u16, person: uuid::Uuid, status: &str) {
    attendance::Entity::insert(attendance::ActiveModel {
        id: Set(kynangso_domain::new_id()),
        session_id: Set(demo_id(session)),
        participant_id: Set(person),
        status: Set(
            kynangso_domain::attendance::AttendanceStatus::parse(status).expect("a status word")
        ),
        marked_by: Set(None),
        marked_at: Set(Utc::now()),
    })
    .exec_without_returning(&app.db)
    .await
    .expect("attendance");
}

/// Counts straight from `trained_person`, person by person, with the rule itself.
async fn brute_force(app: &TestApp, on: NaiveDate) -> std::collections::BTreeMap<uuid::Uuid, u64> {
    use kynangso_domain::person::Sex;
    use kynangso_domain::working_age::Birth;
    let choice = ReportChoice {
        on,
        rule_code: None,
        curriculum_code: None,
    };
    let resolved = resolve(&app.db, &choice)
        .await
        .expect("resolve")
        .expect("a curriculum");
    let mut counts = std::collections::BTreeMap::new();
    for row in trained_person::Entity::find()
        .all(&app.db)
        .await
        .expect("rows")
    {
        let sex = if row.female { Sex::Female } else { Sex::Male };
        if row.completed_on <= on && resolved.rule.includes(Birth::Date(row.born_on), sex, on) {
            *counts.entry(row.home_unit_id).or_default() += 1;
        }
    }
    counts
}

both_databases! {
    async fn the_cell_sums_equal_a_person_by_person_count_on_any_day(app) {
        use rand::{Rng, SeedableRng};
        app.load_demo().await;
        // 300 more people of Hòa Phú, born 1955–2014 (some by year only), each on the
        // rosters of random demo sessions with random statuses.
        let mut rng = rand::rngs::StdRng::seed_from_u64(5);
        let mut ids = Vec::new();
        for _ in 0..300 {
            let born = day(1955, 1, 1) + chrono::Duration::days(rng.gen_range(0..60 * 365));
            let sex = ["female", "male", "unknown"][rng.gen_range(0..3)];
            let id = insert_person(&app, demo_id(10), sex, born, rng.gen_bool(0.7)).await;
            for session in [500, 501, 502] {
                if rng.gen_bool(0.9) {
                    insert_mark(&app, session, id, ["present", "late", "present", "excused"][rng.gen_range(0..4)]).await;
                }
            }
            ids.push(id);
        }
        standings::refresh(&app.db, &ids).await.expect("refresh");
        // Days around the sessions, retirement steps and year ends, 2025–2036.
        let mut days = vec![day(2025, 9, 11), day(2025, 10, 3), day(2025, 11, 6), day(2025, 11, 7), day(2025, 12, 31), day(2036, 1, 1)];
        for _ in 0..20 {
            days.push(day(2025, 11, 1) + chrono::Duration::days(rng.gen_range(0..3650)));
        }
        let choice = ReportChoice { on: day(2026, 11, 27), rule_code: None, curriculum_code: None };
        let resolved = resolve(&app.db, &choice).await.expect("resolve").expect("a curriculum");
        let fast = kynangso_data::coverage::trained_on_days(&app.db, resolved.version_id, &days, &resolved.rule, None)
            .await
            .expect("counts");
        for (on, fast) in days.iter().zip(fast) {
            let fast: std::collections::BTreeMap<_, _> = fast.into_iter().collect();
            assert_eq!(fast, brute_force(&app, *on).await, "on {on}");
        }
        assert!(brute_force(&app, day(2026, 11, 27)).await[&demo_id(10)] > 30, "the scenario trains people");
    }

    async fn the_numerator_matches_the_hand_count(app) {
        app.load_demo().await;
        assert_eq!(hoa_phu(&app, day(2026, 11, 27)).await, (6, 0));
        // On 23 Jun 2026 person 7 was still of working age.
        assert_eq!(hoa_phu(&app, day(2026, 6, 23)).await, (7, 0));
        assert_eq!(hoa_phu(&app, day(2026, 6, 24)).await, (6, 0));
        // Before the last session (7 Nov 2025) nobody had covered module NTS.
        assert_eq!(hoa_phu(&app, day(2025, 11, 6)).await, (0, 0));
        assert_eq!(hoa_phu(&app, day(2025, 11, 7)).await, (7, 0));
    }

    async fn an_absorbed_units_record_counts_in_the_new_unit_until_retirement(app) {
        app.load_demo().await;
        // A woman recorded under old Xã Hòa Khánh (absorbed into Hòa Phú on 1 Jul 2025),
        // born 20 Aug 1969: she reaches 57 y 0 m, the 2026 retirement age, on 20 Aug 2026.
        let id = insert_person(&app, demo_id(22), "female", day(1969, 8, 20), true).await;
        for session in [500, 501, 502] {
            insert_mark(&app, session, id, "present").await;
        }
        // Written behind the app's back: the table learns of it by a refresh.
        standings::refresh(&app.db, &[id]).await.expect("refresh");
        // On 19 Aug 2026 person 7 has already retired (24 Jun): 6 + her = 7.
        assert_eq!(hoa_phu(&app, day(2026, 8, 19)).await, (7, 0));
        assert_eq!(hoa_phu(&app, day(2026, 8, 20)).await, (6, 0));
    }

    async fn merging_absent_marks_cancelling_and_editing_move_the_count(app) {
        app.load_demo().await;
        let today = day(2026, 11, 27);
        let hoa_phu_lead = lead(10, 102);
        // Persons 0 and 8 (Nguyễn Thị Hoa, Nguyễn Thị Hoà) both completed; merged, one.
        kynangso_data::participants::merge(&app.db, &hoa_phu_lead, demo_id(700), demo_id(708)).await.expect("merge");
        assert_eq!(hoa_phu(&app, today).await, (5, 0));
        // Person 1 marked absent at the last session: no longer complete.
        kynangso_data::attendance::mark(&app.db, &hoa_phu_lead, demo_id(502), demo_id(701), AttendanceStatus::Absent)
            .await
            .expect("mark");
        assert_eq!(hoa_phu(&app, today).await, (4, 0));
        // Person 9 (absent at the last session) marked late: complete, and 17, of age.
        kynangso_data::attendance::mark(&app.db, &hoa_phu_lead, demo_id(502), demo_id(709), AttendanceStatus::Late)
            .await
            .expect("mark");
        assert_eq!(hoa_phu(&app, today).await, (5, 0));
        // Cancelling the session that taught NTS undoes everyone's completion.
        kynangso_data::training::cancel(&app.db, &hoa_phu_lead, demo_id(502)).await.expect("cancel");
        assert_eq!(hoa_phu(&app, today).await, (0, 0));
        // The table always equals a recomputation from the records.
        let maintained = table(&app).await;
        standings::rebuild(&app.db).await.expect("rebuild");
        assert_eq!(table(&app).await, maintained);
    }

    async fn concurrent_marking_leaves_the_table_equal_to_a_recomputation(app) {
        app.load_demo().await;
        let hoa_phu_lead = lead(10, 102);
        // 36 marks at once from 12 tasks: every person at every session, flipping
        // between statuses, so completions appear and disappear while others write.
        let mut tasks = Vec::new();
        for person in 0..12u16 {
            let db = app.db.clone();
            let caller = hoa_phu_lead.clone();
            tasks.push(tokio::spawn(async move {
                for (k, session) in [500u16, 501, 502].into_iter().enumerate() {
                    let status = if (person as usize + k).is_multiple_of(4) { AttendanceStatus::Absent } else { AttendanceStatus::Present };
                    kynangso_data::attendance::mark(&db, &caller, demo_id(session), demo_id(700 + person), status)
                        .await
                        .expect("mark");
                }
            }));
        }
        for task in tasks {
            task.await.expect("task");
        }
        let maintained = table(&app).await;
        standings::rebuild(&app.db).await.expect("rebuild");
        assert_eq!(table(&app).await, maintained, "the maintained table drifted from the records");
        // Hand count: absent somewhere when (person + k) % 4 == 0 for some k in 0..3, i.e.
        // person % 4 != 1. Complete: persons 1, 5, 9 — of whom all are of working age.
        assert_eq!(hoa_phu(&app, day(2026, 11, 27)).await, (3, 0));
    }

    async fn the_province_table_and_a_commune_page_over_http(app) {
        app.load_demo().await;
        app.sign_in_as("totruong.tanan").await;
        let dashboard = json(app.call("coverage/province", &[("ngay", "2026-11-27")]).await).await;
        let basis = &dashboard["report"]["basis"];
        assert_eq!(basis["reference_date"], "2026-11-27");
        assert_eq!(basis["rule_code"], "ND135-2020");
        let hoa_phu = commune(&dashboard, "24175");
        assert_eq!(hoa_phu["trained"], 6);
        assert_eq!(hoa_phu["population"]["count"], 14_820);
        assert_eq!(commune(&dashboard, "24163")["trained"], 0);
        assert_eq!(dashboard["trend"].as_array().expect("trend").len(), 12);
        assert_eq!(dashboard["trend"][11]["trained"], 6, "the last point is the reference date");

        // Another commune's lead reads Hòa Phú's counts, but not its people.
        let page = json(app.call("coverage/commune", &[("code", "24175"), ("ngay", "2026-11-27")]).await).await;
        assert_eq!(page["line"]["trained"], 6);
        assert_eq!(page["sessions_held"], 3);
        assert!(page["still_missing"].is_null(), "names only for the commune's own team: {page}");
        let villages: Vec<(String, u64, u64)> = page["villages"].as_array().expect("villages").iter().map(|v| (
            v["name"].as_str().unwrap_or("-").to_owned(),
            v["trained"].as_u64().expect("n"),
            v["participants"].as_u64().expect("n"),
        )).collect();
        assert_eq!(villages, [
            ("Buôn Ea Khít".to_owned(), 3, 3),
            ("Thôn 1".to_owned(), 3, 5),
            ("Thôn 2".to_owned(), 0, 4),
        ]);
        let attended: Vec<u64> = page["modules"].as_array().expect("modules").iter().map(|m| m["attended"].as_u64().expect("n")).collect();
        assert_eq!(attended, [11, 11, 11, 11, 9], "present or late at each module's session");

        // Hòa Phú's lead sees who still misses modules: 4, 5, 6, 11 (excused once), 9 (absent).
        let own = app.other_client_signed_in_as("totruong.hoaphu", crate::helpers::DEMO_PASSWORD).await;
        let response = app.call_with(&own, "coverage/commune", &[("code", "24175"), ("ngay", "2026-11-27")]).await;
        let page = json(response).await;
        let mut missing: Vec<String> = page["still_missing"].as_array().expect("list").iter().map(|p| p["full_name"].as_str().expect("name").to_owned()).collect();
        missing.sort();
        assert_eq!(missing, ["Bùi Thị Ngọc", "Lê Thị Mai", "Phạm Đức Thắng", "Vũ Quang Huy", "Đặng Thị Lan"]);
    }

    async fn a_correction_to_an_old_roster_moves_the_past_trend_points_at_once(app) {
        app.load_demo().await;
        app.sign_in_as("totruong.hoaphu").await;
        let points = |dashboard: &Value| -> Vec<u64> {
            dashboard["trend"].as_array().expect("trend").iter().map(|p| p["trained"].as_u64().expect("n")).collect()
        };
        let epochs = || async {
            kynangso_data::entities::coverage_epoch::Entity::find()
                .order_by_asc(kynangso_data::entities::coverage_epoch::Column::Month)
                .all(&app.db).await.expect("epochs")
                .into_iter().map(|row| (row.month, row.epoch)).collect::<Vec<_>>()
        };
        let ask = [("ngay", "2026-11-27")];
        let before = points(&json(app.call("coverage/province", &ask).await).await);
        let epochs_before = epochs().await;
        // Asked again: the past points come from the server's memory, the same figures.
        assert_eq!(points(&json(app.call("coverage/province", &ask).await).await), before);
        // Person 1 was in fact absent from the Nov 2025 session that taught NTS: she never
        // completed, so every point of the last 12 months loses her.
        let corrected = app.call("attendance/mark", &[
            ("session_id", &demo_id(502).to_string()),
            ("participant_id", &demo_id(701).to_string()),
            ("status", "absent"),
        ]).await;
        assert_eq!(corrected.status(), 200);
        let after = points(&json(app.call("coverage/province", &ask).await).await);
        // (A month end whose year has no denominator yet counts nobody: it stays 0.)
        let expected: Vec<u64> = before.iter().map(|n| n.saturating_sub(1)).collect();
        assert!(before[..11].iter().filter(|n| **n > 0).count() >= 2, "kept past points to move: {before:?}");
        assert_eq!(after, expected);
        // Only the month of the completion that changed (Nov 2025) was bumped.
        let bumped: Vec<(i32, i64)> = epochs().await.into_iter().filter(|row| !epochs_before.contains(row)).collect();
        let nov_2025 = epochs_before.iter().find(|(m, _)| *m == 202_511).map_or(0, |(_, e)| *e);
        assert_eq!(bumped, [(202_511, nov_2025 + 1)]);
        let epochs_before = epochs().await;

        // Person 9 (absent from that session) completes today at a new session teaching
        // NTS: today's point gains her, the past points stay, and nothing kept goes stale.
        let now = Utc::now() + chrono::Duration::hours(7);
        let today = now.date_naive().to_string();
        let ask = [("ngay", today.as_str())];
        let before = points(&json(app.call("coverage/province", &ask).await).await);
        let session = kynangso_domain::new_id().to_string();
        let created = app.call("sessions/create", &[
            ("form[id]", &session),
            ("form[starts_at]", &now.format("%Y-%m-%dT%H:%M").to_string()),
            ("form[duration_minutes]", "60"),
            ("form[place]", "Nhà văn hoá thôn 1"),
            ("form[module_ids][]", &demo_id(205).to_string()),
        ]).await;
        assert_eq!(created.status(), 200);
        let marked = app.call("attendance/mark", &[
            ("session_id", &session),
            ("participant_id", &demo_id(709).to_string()),
            ("status", "present"),
        ]).await;
        assert_eq!(marked.status(), 200);
        let after = points(&json(app.call("coverage/province", &ask).await).await);
        assert_eq!(after[..11], before[..11], "past points unchanged");
        assert_eq!(after[11], before[11] + 1, "today's point gains her");
        assert_eq!(epochs().await, epochs_before, "no bump for today's work");
    }

    async fn report_input_is_checked_and_the_page_needs_a_session(app) {
        app.load_demo().await;
        let anonymous = app.call("coverage/province", &[]).await;
        assert_eq!(anonymous.status(), 401);
        app.sign_in_as("totruong.hoaphu").await;
        for (date, status) in [("2026-13-01", 422), ("ngày mai", 422), ("2999-01-01", 422)] {
            let response = app.call("coverage/province", &[("ngay", date)]).await;
            assert_eq!(response.status(), status, "{date}");
            let body = response.text().await.expect("body");
            assert!(body.contains("ngay") && body.contains("Ngày"), "{body}");
        }
        let unknown_rule = app.call("coverage/province", &[("quy_tac", "KHONG-CO")]).await;
        assert_eq!(unknown_rule.status(), 422);
        let no_such_commune = app.call("coverage/commune", &[("code", "99999")]).await;
        assert_eq!(no_such_commune.status(), 404);
    }

    async fn a_province_admin_sets_a_denominator_and_the_share_follows(app) {
        app.load_demo().await;
        app.sign_in_as("admin").await;
        let set = |population: &'static str, source: &'static str| {
            vec![
                ("unit_code", "24175"),
                ("year", "2026"),
                ("population", population),
                ("source", source),
                ("rule_code", "ND135-2020"),
            ]
        };
        let bad = app.call("coverage/set-population", &set("mười nghìn", "Thống kê tỉnh")).await;
        assert_eq!(bad.status(), 422);
        assert!(bad.text().await.expect("body").contains("population"));
        let no_source = app.call("coverage/set-population", &set("1.000", "  ")).await;
        assert_eq!(no_source.status(), 422);
        let ok = app.call("coverage/set-population", &set("1.000", "Thống kê tỉnh 2026")).await;
        assert_eq!(ok.status(), 200, "{}", ok.text().await.unwrap_or_default());
        // Again: nothing changes, no second audit entry.
        app.call("coverage/set-population", &set("1.000", "Thống kê tỉnh 2026")).await;
        assert_eq!(app.audit_entries("set_population", "working_age_population").await.len(), 1);
        let dashboard = json(app.call("coverage/province", &[("ngay", "2026-11-27")]).await).await;
        let hoa_phu = commune(&dashboard, "24175");
        assert_eq!(hoa_phu["population"]["count"], 1000);
        assert_eq!(hoa_phu["population"]["source"], "Thống kê tỉnh 2026");

        // A commune lead may not.
        let lead = app.other_client_signed_in_as("totruong.hoaphu", crate::helpers::DEMO_PASSWORD).await;
        let refused = app.call_with(&lead, "coverage/set-population", &set("5", "tự ghi")).await;
        assert_eq!(refused.status(), 403);
    }

    async fn exports_open_as_spreadsheets_and_the_register_stays_in_its_commune(app) {
        use calamine::{Data, Reader, Xlsx};
        app.load_demo().await;
        let anonymous = app.get("/bao-cao/xuat/xa-phuong.csv").await;
        assert_eq!(anonymous.status(), 401);
        app.sign_in_as("totruong.hoaphu").await;

        let csv = app.get("/bao-cao/xuat/xa-phuong.csv?ngay=2026-11-27").await;
        assert_eq!(csv.status(), 200);
        assert!(csv.headers()["content-type"].to_str().expect("type").starts_with("text/csv"));
        let text = csv.text().await.expect("csv");
        assert!(text.starts_with('\u{feff}'), "a BOM so that Excel reads UTF-8");
        assert!(text.contains("24175,Xã Hòa Phú,6,14820,0.0,10369,11850,2026,"), "{text}");

        let xlsx = app.get("/bao-cao/xuat/xa-phuong.xlsx?ngay=2026-11-27").await;
        assert_eq!(xlsx.status(), 200);
        let bytes = xlsx.bytes().await.expect("bytes");
        let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("an xlsx workbook");
        let sheet = book.worksheet_range_at(0).expect("a sheet").expect("readable");
        let row = sheet.rows().find(|r| r[0] == Data::String("24175".to_owned())).expect("Hòa Phú's row");
        assert_eq!(row[1], Data::String("Xã Hòa Phú".to_owned()));
        assert_eq!(row[2], Data::Float(6.0), "numbers are numbers");
        assert_eq!(row[3], Data::Float(14_820.0));

        let trend = app.get("/bao-cao/xuat/xu-huong.csv?ngay=2026-11-27&xa=24175").await;
        assert_eq!(trend.status(), 200);
        let text = trend.text().await.expect("csv");
        assert!(text.trim_end().ends_with("27/11/2026,6,14820,0.0,ND135-2020,KNS-CB-2025"), "{text}");

        // The register: Hòa Phú's own lead gets it (and the export is logged)…
        let register = app.get("/bao-cao/24175/xuat/nguoi-hoc.csv").await;
        assert_eq!(register.status(), 200);
        let text = register.text().await.expect("csv");
        assert!(text.contains("Nguyễn Thị Hoa,Nữ,14/03/1985,Thôn 1,0912345678,07/11/2025"), "{text}");
        assert_eq!(app.audit_entries("export", "participant").await.len(), 1);
        // …another commune's lead and the province reviewer do not.
        for user in ["totruong.tanan", "theodoi"] {
            let other = app.other_client_signed_in_as(user, crate::helpers::DEMO_PASSWORD).await;
            let refused = other.get(app.url("/bao-cao/24175/xuat/nguoi-hoc.xlsx")).send().await.expect("request");
            assert_eq!(refused.status(), 403, "{user}");
        }
        assert_eq!(app.get("/bao-cao/xuat/khong-co.pdf").await.status(), 404);
    }
}
