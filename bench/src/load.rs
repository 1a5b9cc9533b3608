//! An open-loop HTTP load run from its own process: requests start on a fixed schedule
//! (500 a second by default) whatever the server's pace, so slow answers show up as
//! latency instead of quietly lowering the rate. A mixed field workload from the leads of
//! several communes: 50 % attendance marks (the newest rosters), 30 % searches, 10 % session lists, 9 % session
//! pages, 1 % province coverage reports (a commune drill-down is timed by `measure`).
//! Several `--url`s share the load in turn (two app servers on one PostgreSQL database).

use std::sync::Arc;
use std::time::{Duration, Instant};

use kynangso_data::entities::{app_user, attendance, training_session};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use tokio::sync::Mutex;
use uuid::Uuid;

use crate::measure::summary;
use crate::names::QUERIES;

const PASSWORD: &str = "mật khẩu đo tải không dùng thật";

pub struct LoadPlan {
    pub urls: Vec<String>,
    pub rate: u32,
    pub seconds: u64,
    /// Leads signed in (one per commune, each with its own rosters).
    pub users: usize,
    /// Server processes whose peak memory (VmHWM) is reported.
    pub server_pids: Vec<u32>,
}

/// What kind of request, how long it took, whether it succeeded.
type Sample = (&'static str, Duration, bool);

struct User {
    client: reqwest::Client,
    /// (session, participant) pairs on this commune's rosters.
    roster: Vec<(Uuid, Uuid)>,
    sessions: Vec<Uuid>,
}

pub async fn run(db: &DatabaseConnection, plan: LoadPlan) -> anyhow::Result<()> {
    let hash = kynangso_data::password::hash(PASSWORD.to_owned()).await?;
    let mut users = Vec::new();
    for i in 0..plan.users {
        let username = format!("bench.lead.{i}");
        let user = app_user::Entity::find()
            .filter(app_user::Column::Username.eq(&username))
            .one(db)
            .await?
            .ok_or_else(|| anyhow::anyhow!("{username}: run `generate` first"))?;
        app_user::Entity::update(app_user::ActiveModel {
            id: Set(user.id),
            password_hash: Set(hash.as_str().to_owned()),
            ..Default::default()
        })
        .exec(db)
        .await?;
        // The commune's newest rosters: field work marks this week's sessions.
        let roster: Vec<(Uuid, Uuid)> = attendance::Entity::find()
            .select_only()
            .column(attendance::Column::SessionId)
            .column(attendance::Column::ParticipantId)
            .inner_join(training_session::Entity)
            .filter(training_session::Column::UnitId.eq(user.scope_unit_id))
            .order_by_desc(training_session::Column::StartsAt)
            .limit(2000)
            .into_tuple()
            .all(db)
            .await?;
        let mut sessions: Vec<Uuid> = roster.iter().map(|(s, _)| *s).collect();
        sessions.dedup();
        let url = plan.urls[i % plan.urls.len()].clone();
        // A phone gives up after 10 s; such a request counts as an error.
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .timeout(Duration::from_secs(10))
            .build()?;
        let signed = client
            .post(format!("{url}/api/auth/sign-in"))
            .header("Origin", &url)
            .form(&[("login", username.as_str()), ("password", PASSWORD)])
            .send()
            .await?;
        anyhow::ensure!(
            signed.status().is_success(),
            "{username} could not sign in: {}",
            signed.status()
        );
        users.push(Arc::new(User {
            client,
            roster,
            sessions,
        }));
    }
    println!(
        "load: {} req/s for {} s, {} signed-in leads, {} server(s)",
        plan.rate,
        plan.seconds,
        users.len(),
        plan.urls.len()
    );

    let samples: Arc<Mutex<Vec<Sample>>> = Arc::default();
    let mut ticker = tokio::time::interval(Duration::from_secs_f64(1.0 / f64::from(plan.rate)));
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let total = u64::from(plan.rate) * plan.seconds;
    let mut rng = StdRng::seed_from_u64(7);
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(total as usize);
    for n in 0..total {
        ticker.tick().await;
        let user = users[n as usize % users.len()].clone();
        let pick: u32 = rng.gen_range(0..100);
        let (session, person) = user.roster[rng.gen_range(0..user.roster.len())];
        let query = QUERIES[rng.gen_range(0..QUERIES.len())];
        let status = ["present", "late", "excused", "absent"][rng.gen_range(0..4)];
        let page_session = user.sessions[rng.gen_range(0..user.sessions.len())];
        // Consecutive requests of one signed-in phone go to different servers: a server
        // keeps no session of its own.
        let url = plan.urls[(n as usize / users.len()) % plan.urls.len()].clone();
        let samples = samples.clone();
        tasks.push(tokio::spawn(async move {
            let u = &url;
            let post = |path: &str| {
                user.client
                    .post(format!("{u}/api/{path}"))
                    .header("Origin", u)
            };
            let (kind, request) = match pick {
                // What the roster sends for a tap on a good connection: a batch of one.
                0..=49 => (
                    "attendance/mark-many",
                    post("attendance/mark-many").json(&serde_json::json!({
                        "session_id": session,
                        "marks": [{ "participant_id": person, "status": status }],
                    })),
                ),
                50..=79 => (
                    "participants/search",
                    post("participants/search").form(&[("q", query)]),
                ),
                80..=89 => ("sessions/list", post("sessions/list")),
                90..=98 => (
                    "GET session page",
                    user.client.get(format!("{u}/buoi-tap-huan/{page_session}")),
                ),
                _ => ("coverage/province", post("coverage/province")),
            };
            let t = Instant::now();
            let ok = match request.send().await {
                Ok(response) => {
                    let ok = response.status().is_success();
                    let _ = response.bytes().await;
                    ok
                }
                Err(_) => false,
            };
            samples.lock().await.push((kind, t.elapsed(), ok));
        }));
    }
    for task in tasks {
        let _ = task.await;
    }
    let wall = started.elapsed().as_secs_f64();
    let samples = samples.lock().await;
    let errors = samples.iter().filter(|(_, _, ok)| !ok).count();
    println!(
        "sent {} in {wall:.1} s ({:.0} req/s achieved), {errors} errors",
        samples.len(),
        samples.len() as f64 / wall
    );
    println!("| request | count | p50 ms | p95 ms | p99 ms | max ms |");
    println!("|---|---|---|---|---|---|");
    summary("all", samples.iter().map(|(_, d, _)| *d).collect());
    for kind in [
        "attendance/mark-many",
        "participants/search",
        "sessions/list",
        "GET session page",
        "coverage/province",
    ] {
        let of_kind: Vec<Duration> = samples
            .iter()
            .filter(|(k, _, _)| *k == kind)
            .map(|(_, d, _)| *d)
            .collect();
        if !of_kind.is_empty() {
            summary(kind, of_kind);
        }
    }
    for pid in plan.server_pids {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
        for line in status
            .lines()
            .filter(|l| l.starts_with("VmHWM") || l.starts_with("VmRSS"))
        {
            println!("server {pid} {line}");
        }
    }
    Ok(())
}
