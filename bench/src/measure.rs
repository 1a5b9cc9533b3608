//! Timings of what people do, through the data layer, on a generated province: each
//! operation many times, reported as percentiles. Figures only; nothing is asserted.

use std::time::{Duration, Instant};

use chrono::Utc;
use kynangso_data::access::Caller;
use kynangso_data::coverage::{
    ReportChoice, commune::commune_report, province_dashboard, province_report, resolve, trend,
};
use kynangso_data::entities::{app_user, attendance, skill_module, team_member, training_session};
use kynangso_domain::Role;
use kynangso_domain::attendance::AttendanceStatus;
use kynangso_domain::format::today_in_vietnam;
use kynangso_domain::session::ValidSession;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::names::QUERIES;

/// p50/p95/p99/max of a set of durations, in milliseconds.
pub fn summary(label: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let at = |q: f64| {
        let i = ((samples.len() as f64 - 1.0) * q).round() as usize;
        samples[i.min(samples.len() - 1)].as_secs_f64() * 1000.0
    };
    println!(
        "| {label} | {} | {:.1} | {:.1} | {:.1} | {:.1} |",
        samples.len(),
        at(0.5),
        at(0.95),
        at(0.99),
        at(1.0)
    );
}

async fn timed<F, T>(runs: usize, mut op: impl FnMut(usize) -> F) -> anyhow::Result<Vec<Duration>>
where
    F: std::future::Future<Output = anyhow::Result<T>>,
{
    let mut samples = Vec::with_capacity(runs);
    for i in 0..runs {
        let t = Instant::now();
        op(i).await?;
        samples.push(t.elapsed());
    }
    Ok(samples)
}

/// The lead of the biggest commune (created by the generator as `bench.lead.0`).
async fn big_lead(db: &DatabaseConnection) -> anyhow::Result<Caller> {
    let user = app_user::Entity::find()
        .filter(app_user::Column::Username.eq("bench.lead.0"))
        .one(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no generated province here: run `generate` first"))?;
    Ok(Caller {
        user_id: user.id,
        role: Role::CommuneLead,
        scope_unit_id: user.scope_unit_id,
        client: None,
    })
}

pub async fn measure(db: &DatabaseConnection) -> anyhow::Result<()> {
    let lead = big_lead(db).await?;
    let today = today_in_vietnam(Utc::now());
    let choice = ReportChoice {
        on: today,
        rule_code: None,
        curriculum_code: None,
    };
    println!("| operation | runs | p50 ms | p95 ms | p99 ms | max ms |");
    println!("|---|---|---|---|---|---|");

    let samples = timed(30, |_| async {
        let resolved = resolve(db, &choice)
            .await?
            .ok_or_else(|| anyhow::anyhow!("no curriculum"))?;
        Ok(province_report(db, &resolved).await?)
    })
    .await?;
    summary("province coverage report, all communes", samples);

    let resolved = resolve(db, &choice)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no curriculum"))?;
    let code = kynangso_data::units::commune_level_units_on(db, today)
        .await?
        .into_iter()
        .find(|u| u.id == lead.scope_unit_id)
        .map(|u| u.code)
        .ok_or_else(|| anyhow::anyhow!("the big commune"))?;
    let samples = timed(10, |_| async {
        Ok(commune_report(db, &lead, &code, &resolved).await?)
    })
    .await?;
    summary(
        "commune drill-down, 20 k people (with trend and names)",
        samples,
    );
    let samples = timed(10, |_| async { Ok(trend(db, &resolved, None, 12).await?) }).await?;
    summary(
        "province trend, 12 months (first run computes the past points)",
        samples,
    );
    let samples = timed(30, |_| async {
        Ok(province_dashboard(db, &resolved, 12).await?)
    })
    .await?;
    summary(
        "province page: report + 12-month trend, past points kept",
        samples,
    );

    let samples = timed(QUERIES.len() * 5, |i| {
        let lead = &lead;
        async move {
            Ok(kynangso_data::participants::search(db, lead, QUERIES[i % QUERIES.len()]).await?)
        }
    })
    .await?;
    summary("participant search, accent-free, 20 k commune", samples);

    let samples = timed(20, |_| {
        let lead = &lead;
        async move { Ok(kynangso_data::training::list(db, lead, None).await?) }
    })
    .await?;
    summary("session list, a page of the 30 newest with counts", samples);

    // Marks on the newest rosters of the big commune (field work marks this week's
    // sessions), each a real change of status: each mark sets a status other than the
    // current one (a repeated status is answered without writing), however often this runs.
    let rosters: Vec<(Uuid, Uuid, String)> = attendance::Entity::find()
        .select_only()
        .column(attendance::Column::SessionId)
        .column(attendance::Column::ParticipantId)
        .column(attendance::Column::Status)
        .inner_join(training_session::Entity)
        .filter(training_session::Column::UnitId.eq(lead.scope_unit_id))
        .order_by_desc(training_session::Column::StartsAt)
        .limit(8000)
        .into_tuple()
        .all(db)
        .await?;
    anyhow::ensure!(
        rosters.len() >= 6000,
        "the biggest commune has {} roster entries; `measure` needs 6 000 (generate at --scale 0.1 or more)",
        rosters.len()
    );
    let next = |status: &str| {
        AttendanceStatus::parse(status).map_or(AttendanceStatus::Present, AttendanceStatus::next)
    };
    let t = Instant::now();
    let samples = timed(1000, |i| {
        let (session, person, ref current) = rosters[i];
        let status = next(current);
        let lead = &lead;
        async move { Ok(kynangso_data::attendance::mark(db, lead, session, person, status).await?) }
    })
    .await?;
    let rate = 1000.0 / t.elapsed().as_secs_f64();
    summary(
        &format!("attendance mark, one at a time ({rate:.0} marks/s)"),
        samples,
    );

    // Eight phones at once.
    let t = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..8usize {
        let (db, lead, rosters) = (db.clone(), lead.clone(), rosters.clone());
        tasks.push(tokio::spawn(async move {
            let mut samples = Vec::new();
            for k in 0..250usize {
                let (session, person, ref current) = rosters[1000 + worker * 250 + k];
                let status = AttendanceStatus::parse(current)
                    .map_or(AttendanceStatus::Present, AttendanceStatus::next);
                let started = Instant::now();
                kynangso_data::attendance::mark(&db, &lead, session, person, status).await?;
                samples.push(started.elapsed());
            }
            anyhow::Ok(samples)
        }));
    }
    let mut samples = Vec::new();
    for task in tasks {
        samples.extend(task.await??);
    }
    let rate = samples.len() as f64 / t.elapsed().as_secs_f64();
    let (transactions, pieces) = kynangso_data::group_commit::totals();
    summary(
        &format!(
            "attendance mark, 8 concurrent ({rate:.0} marks/s; so far {pieces} writes in {transactions} SQLite commits)"
        ),
        samples,
    );

    // Batches of 50 taps of one roster, as a phone sends what it queued (entries 3000 on,
    // which nothing above touched).
    let mut by_session: std::collections::BTreeMap<Uuid, Vec<(Uuid, AttendanceStatus)>> =
        Default::default();
    for (session, person, current) in &rosters[3000..] {
        by_session
            .entry(*session)
            .or_default()
            .push((*person, next(current)));
    }
    let batches: Vec<(Uuid, &[(Uuid, AttendanceStatus)])> = by_session
        .iter()
        .flat_map(|(session, marks)| marks.chunks_exact(50).map(move |chunk| (*session, chunk)))
        .take(40)
        .collect();
    let t = Instant::now();
    let samples = timed(batches.len(), |i| {
        let (session, marks) = batches[i];
        let lead = &lead;
        async move { Ok(kynangso_data::attendance::mark_many(db, lead, session, marks).await?) }
    })
    .await?;
    let rate = (batches.len() * 50) as f64 / t.elapsed().as_secs_f64();
    summary(
        &format!("attendance marks, batches of 50, one at a time ({rate:.0} marks/s)"),
        samples,
    );

    // A session logged with 40 people, then "all present": the field flow end to end.
    let modules: Vec<Uuid> = skill_module::Entity::find()
        .select_only()
        .column(skill_module::Column::Id)
        .limit(2)
        .into_tuple()
        .all(db)
        .await?;
    let trainer: Vec<Uuid> = team_member::Entity::find()
        .select_only()
        .column(team_member::Column::Id)
        .filter(team_member::Column::UserId.eq(lead.user_id))
        .into_tuple()
        .all(db)
        .await?;
    let people: Vec<Uuid> = rosters.iter().map(|(_, p, _)| *p).collect();
    let samples = timed(10, |i| {
        let (lead, modules, trainer, people) = (&lead, &modules, &trainer, &people);
        async move {
            let session = kynangso_domain::new_id();
            kynangso_data::training::create(
                db,
                lead,
                ValidSession {
                    id: session,
                    starts_at: Utc::now(),
                    duration_minutes: 120,
                    village_id: None,
                    place: "Nhà văn hoá".into(),
                    module_ids: modules.clone(),
                    trainer_ids: trainer.clone(),
                    notes: None,
                },
            )
            .await?;
            for person in people.iter().skip(i * 40).take(40) {
                kynangso_data::attendance::mark(
                    db,
                    lead,
                    session,
                    *person,
                    AttendanceStatus::Absent,
                )
                .await?;
            }
            Ok(kynangso_data::attendance::mark_all_present(db, lead, session, true).await?)
        }
    })
    .await?;
    summary(
        "session with 40 people: create, 40 marks, all present",
        samples,
    );
    Ok(())
}
