//! Fills an empty database with a province of synthetic but realistic data, through the
//! data layer's entities and services, deterministically from a seed: the same seed and
//! scale give the same rows (ids included) on SQLite and PostgreSQL.

use std::collections::HashMap;
use std::time::Instant;

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use kynangso_data::entities::{
    app_user, attendance, citizen_profile, curriculum_version, participant, session_module,
    session_trainer, skill_module, team, team_member, training_session, working_age_population,
    working_age_rule,
};
use kynangso_data::seed::DECREE_135_DEFINITION;
use kynangso_domain::attendance::AttendanceStatus;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, DatabaseConnection, EntityTrait, TransactionTrait,
};
use uuid::Uuid;

use crate::names;

mod places;
use places::{Places, places};

/// How big a province to make. `scale` multiplies people, sessions and attendance.
#[derive(Debug, Clone)]
pub struct Plan {
    pub seed: u64,
    pub scale: f64,
    /// `code,name,type,…` (the 2025 unit list in ../shared/data), else generated names.
    pub units_csv: Option<std::path::PathBuf>,
}

impl Plan {
    fn count(&self, full: u64) -> u64 {
        ((full as f64) * self.scale).round().max(1.0) as u64
    }
}

/// A v7-shaped id from the seeded generator (a real v7 would embed the clock).
fn id(rng: &mut StdRng, millis: u64) -> Uuid {
    uuid::Builder::from_unix_timestamp_millis(millis, &rng.r#gen::<[u8; 10]>()).into_uuid()
}

fn step(label: &str, started: Instant, rows: u64) {
    let secs = started.elapsed().as_secs_f64();
    println!(
        "  {label:<34} {rows:>11} rows {secs:>8.1} s {:>10.0} rows/s",
        rows as f64 / secs.max(1e-9)
    );
}

/// Rows are written in transactions of this many statements' worth.
const BATCH: usize = 1000;

async fn insert_all<A>(db: &DatabaseConnection, rows: Vec<A>) -> anyhow::Result<()>
where
    A: ActiveModelTrait + Send,
    <A as ActiveModelTrait>::Entity: EntityTrait,
{
    let txn = db.begin().await?;
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(BATCH).collect();
        <A as ActiveModelTrait>::Entity::insert_many(chunk)
            .exec_without_returning(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(())
}

pub async fn generate(db: &DatabaseConnection, plan: &Plan) -> anyhow::Result<()> {
    let mut rng = StdRng::seed_from_u64(plan.seed);
    let now = Utc::now();
    let base_millis: u64 = 1_751_328_000_000; // 1 Jul 2025
    let reform = NaiveDate::from_ymd_opt(2025, 7, 1).unwrap_or_default();
    let all = Instant::now();
    println!("generating (seed {}, scale {})", plan.seed, plan.scale);

    // Units: the province, its communes and wards, ten villages each.
    let t = Instant::now();
    let Places {
        rows: units,
        communes,
        villages,
    } = places(&mut rng, plan, now, base_millis);
    let unit_count = units.len() as u64;
    insert_all(db, units).await?;
    step("units", t, unit_count);

    // The rule, the curriculum (5 required modules), denominators summing to 2 M.
    let rule = id(&mut rng, base_millis);
    working_age_rule::ActiveModel {
        id: Set(rule),
        code: Set("ND135-2020".into()),
        name: Set("Từ đủ 15 tuổi đến tuổi nghỉ hưu theo Nghị định 135/2020/NĐ-CP".into()),
        legal_basis: Set(None),
        definition: Set(DECREE_135_DEFINITION.into()),
        created_at: Set(now),
    }
    .insert(db)
    .await?;
    let version = id(&mut rng, base_millis);
    curriculum_version::ActiveModel {
        id: Set(version),
        code: Set("KNS-CB-2025".into()),
        name: Set("Kỹ năng số cơ bản cho người dân (5 kỹ năng)".into()),
        legal_basis: Set(None),
        completion_rule: Set(
            r#"{"kind":"all_required","counted_statuses":["present","late"]}"#.into(),
        ),
        status: Set(kynangso_domain::status::CurriculumStatus::Published),
        published_at: Set(Some(now)),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    let mut modules = Vec::new();
    for (i, code) in ["DVC", "TMDT", "TTTT", "ATTT", "NTS"]
        .into_iter()
        .enumerate()
    {
        let module = id(&mut rng, base_millis);
        skill_module::ActiveModel {
            id: Set(module),
            curriculum_version_id: Set(version),
            code: Set(code.into()),
            name: Set(format!("Mô-đun {code}")),
            required: Set(true),
            position: Set(i as i32 + 1),
        }
        .insert(db)
        .await?;
        modules.push(module);
    }
    let weights: Vec<f64> = communes.iter().map(|_| rng.gen_range(0.5..1.5)).collect();
    let total_weight: f64 = weights.iter().sum();
    let population = plan.count(2_000_000) as f64;
    let populations = communes
        .iter()
        .zip(&weights)
        .map(|((commune, _), w)| working_age_population::ActiveModel {
            id: Set(id(&mut rng, base_millis)),
            unit_id: Set(*commune),
            year: Set(2026),
            population: Set((population * w / total_weight).round() as i64),
            source: Set("Số liệu sinh ngẫu nhiên cho đo hiệu năng".into()),
            rule_id: Set(Some(rule)),
            entered_by: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        })
        .collect::<Vec<_>>();
    insert_all(db, populations).await?;

    // A team of six per commune; the lead has an account (for the measurements).
    let t = Instant::now();
    let mut trainers: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    let (mut teams, mut members, mut users) = (Vec::new(), Vec::new(), Vec::new());
    for (i, (commune, name)) in communes.iter().enumerate() {
        let team = id(&mut rng, base_millis);
        teams.push(team::ActiveModel {
            id: Set(team),
            unit_id: Set(*commune),
            name: Set(format!("Tổ công nghệ số cộng đồng {name}")),
            created_at: Set(now),
            updated_at: Set(now),
        });
        let lead = id(&mut rng, base_millis);
        users.push(app_user::ActiveModel {
            id: Set(lead),
            username: Set(format!("bench.lead.{i}")),
            phone: Set(None),
            display_name: Set(format!("Tổ trưởng {name}")),
            // Not a usable hash: these accounts are for the data layer only.
            password_hash: Set("!".into()),
            role: Set("commune_lead".into()),
            scope_unit_id: Set(*commune),
            must_change_password: Set(false),
            disabled_at: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        });
        for m in 0..6 {
            let member = id(&mut rng, base_millis);
            let female = rng.gen_bool(0.5);
            members.push(team_member::ActiveModel {
                id: Set(member),
                team_id: Set(team),
                user_id: Set((m == 0).then_some(lead)),
                full_name: Set(names::full_name(&mut rng, female)),
                phone: Set(None),
                position: Set(if m == 0 { "lead" } else { "member" }.into()),
                village_id: Set(None),
                joined_on: Set(Some(reform)),
                left_on: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
            });
            trainers.entry(*commune).or_default().push(member);
        }
    }
    let team_rows = (teams.len() + members.len() + users.len()) as u64;
    insert_all(db, teams).await?;
    insert_all(db, users).await?;
    insert_all(db, members).await?;
    step("teams, members, leads", t, team_rows);

    // People: 20 k in the first commune, the rest spread evenly; 1 % are duplicates
    // already merged into another record of their commune.
    let t = Instant::now();
    let total_people = plan.count(1_000_000);
    let big = plan.count(20_000).min(total_people);
    let rest = (total_people - big) / (communes.len() as u64 - 1).max(1);
    let on = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap_or_default();
    let mut people: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    let mut written = 0u64;
    for (i, (commune, _)) in communes.iter().enumerate() {
        let n = if i == 0 { big } else { rest };
        let mut rows = Vec::with_capacity(n as usize);
        let mut profiles = Vec::new();
        let mut mine: Vec<Uuid> = Vec::with_capacity(n as usize);
        for _ in 0..n {
            let person = id(&mut rng, base_millis + written);
            let female = rng.gen_bool(0.49);
            let sex = if rng.gen_ratio(1, 50) {
                "unknown"
            } else if female {
                "female"
            } else {
                "male"
            };
            let born = on - Duration::days(rng.gen_range(15 * 365 + 4..66 * 365));
            let year_only = rng.gen_ratio(3, 10);
            let name = names::full_name(&mut rng, female);
            let merged = (!mine.is_empty() && rng.gen_ratio(1, 100))
                .then(|| mine[rng.gen_range(0..mine.len())]);
            let phone = rng
                .gen_bool(0.5)
                .then(|| format!("09{:08}", rng.gen_range(0..100_000_000u32)));
            rows.push(participant::ActiveModel {
                id: Set(person),
                search_key: Set(kynangso_domain::text::search_key(&name)),
                full_name: Set(name),
                sex: Set(sex.into()),
                birth_date: Set((!year_only).then_some(born)),
                birth_year: Set(chrono::Datelike::year(&born)),
                home_unit_id: Set(*commune),
                village_id: Set(villages[commune].choose(&mut rng).copied()),
                phone: Set(phone),
                national_id: Set(None),
                merged_into_id: Set(merged),
                created_by: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
                consent_withdrawn_at: Set(None),
            });
            if rng.gen_ratio(1, 5) {
                profiles.push(citizen_profile::ActiveModel {
                    id: Set(id(&mut rng, base_millis + written)),
                    participant_id: Set(person),
                    as_of: Set(on),
                    has_smartphone: Set(Some(rng.gen_bool(0.8))),
                    has_payment_account: Set(Some(rng.gen_bool(0.6))),
                    uses_online_public_services: Set(Some(rng.gen_bool(0.4))),
                    vneid_activated: Set(Some(rng.gen_bool(0.7))),
                    recorded_by: Set(None),
                    recorded_at: Set(now),
                });
            }
            if merged.is_none() {
                mine.push(person);
            }
            written += 1;
        }
        // Merged rows point at earlier rows of the same batch: insert in order.
        insert_all(db, rows).await?;
        insert_all(db, profiles).await?;
        people.insert(*commune, mine);
    }
    step("participants (+ 20 % profiled)", t, written);

    // Sessions in proportion to people, Jul 2024 – Nov 2026, 1–2 modules each, and
    // about 200 people on each roster (10 M attendance rows at scale 1).
    let t = Instant::now();
    let total_sessions = plan.count(50_000);
    let first_day = Utc
        .with_ymd_and_hms(2024, 7, 1, 1, 0, 0)
        .single()
        .unwrap_or(now);
    let (mut sessions_written, mut marks_written) = (0u64, 0u64);
    for (commune, _) in &communes {
        let mine = &people[commune];
        let share = mine.len() as f64 / total_people as f64;
        let count = ((total_sessions as f64) * share).round() as u64;
        let (mut sessions, mut links, mut leaders, mut marks) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for _ in 0..count {
            let session = id(&mut rng, base_millis + sessions_written);
            let starts_at = first_day
                + Duration::days(rng.gen_range(0..875))
                + Duration::hours(rng.gen_range(0..10));
            sessions.push(training_session::ActiveModel {
                id: Set(session),
                unit_id: Set(*commune),
                village_id: Set(villages[commune].choose(&mut rng).copied()),
                place: Set("Nhà văn hoá thôn".into()),
                starts_at: Set(starts_at),
                duration_minutes: Set(120),
                curriculum_version_id: Set(version),
                notes: Set(None),
                status: Set(kynangso_domain::status::SessionStatus::Held),
                created_by: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
                cancelled_at: Set(None),
            });
            let first = rng.gen_range(0..modules.len());
            let mut covered = vec![modules[first]];
            if rng.gen_bool(0.5) {
                covered.push(modules[(first + 1) % modules.len()]);
            }
            for module in covered {
                links.push(session_module::ActiveModel {
                    session_id: Set(session),
                    module_id: Set(module),
                });
            }
            leaders.push(session_trainer::ActiveModel {
                session_id: Set(session),
                team_member_id: Set(*trainers[commune].choose(&mut rng).unwrap_or(&Uuid::nil())),
            });
            let roster = rng.gen_range(150..=250).min(mine.len());
            for index in rand::seq::index::sample(&mut rng, mine.len(), roster) {
                let status = match rng.gen_range(0..100) {
                    0..=84 => AttendanceStatus::Present,
                    85..=91 => AttendanceStatus::Late,
                    92..=96 => AttendanceStatus::Excused,
                    _ => AttendanceStatus::Absent,
                };
                marks.push(attendance::ActiveModel {
                    id: Set(id(&mut rng, base_millis + marks_written)),
                    session_id: Set(session),
                    participant_id: Set(mine[index]),
                    status: Set(status),
                    marked_by: Set(None),
                    marked_at: Set(starts_at),
                });
                marks_written += 1;
            }
            sessions_written += 1;
        }
        insert_all(db, sessions).await?;
        insert_all(db, links).await?;
        insert_all(db, leaders).await?;
        insert_all(db, marks).await?;
    }
    step("sessions", t, sessions_written);
    step("attendance (with sessions)", t, marks_written);

    // Planner statistics after a bulk load (PostgreSQL would otherwise scan 10 M
    // attendance rows for each batch of people).
    sea_orm::ConnectionTrait::execute_unprepared(db, "ANALYZE").await?;
    let t = Instant::now();
    let attendees = kynangso_data::standings::rebuild(db).await?;
    step("trained_person rebuilt (attendees)", t, attendees);
    println!(
        "  {:<34} {:>11} {:>13.1} s",
        "all",
        "",
        all.elapsed().as_secs_f64()
    );
    Ok(())
}
