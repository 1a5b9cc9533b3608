//! `kynangso-bench`: fills a database with a province (`generate`) and times what people do
//! on it (`measure`). Figures go to BENCHMARKS.md; tests never assert timings.
//!
//! ```sh
//! kynangso-bench --database-url sqlite://var/bench.db generate --scale 1
//! kynangso-bench --database-url sqlite://var/bench.db measure
//! ```

mod generate;
mod load;
mod measure;
mod names;
mod register_file;

use std::time::Duration;

use clap::{Parser, Subcommand};
use kynangso_data::db::{self, DbSettings};

#[derive(Parser)]
struct Cli {
    /// The database to fill or measure (created if missing; must be empty to generate).
    #[arg(long, env = "DATABASE_URL")]
    database_url: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Fill an empty database: 102 communes, 1 M people, 50 k sessions, 10 M marks at scale 1.
    Generate {
        #[arg(long, default_value_t = 1.0)]
        scale: f64,
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        /// The 2025 unit list (`code,name,type,…`); generated names when absent.
        #[arg(long, default_value = "../shared/data/daklak-2025-units.csv")]
        units_csv: std::path::PathBuf,
    },
    /// Time the report, drill-down, trend, search, marking and the session flow.
    Measure,
    /// Write a participant register (.csv or .xlsx) to time the import with.
    RegisterFile {
        #[arg(long, default_value_t = 100_000)]
        rows: u64,
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// An HTTP load run against running servers on this database.
    Load {
        /// A server's address; give it twice or more to share the load between servers.
        #[arg(long, required = true)]
        url: Vec<String>,
        #[arg(long, default_value_t = 500)]
        rate: u32,
        #[arg(long, default_value_t = 60)]
        seconds: u64,
        #[arg(long, default_value_t = 20)]
        users: usize,
        /// Server process ids whose peak memory is reported.
        #[arg(long)]
        server_pid: Vec<u32>,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    if let Command::RegisterFile { rows, seed, out } = &cli.command {
        return register_file::write(out, *rows, *seed);
    }
    let conn = db::connect(&DbSettings {
        url: db::DatabaseUrl::new(cli.database_url.clone()),
        max_connections: 10,
        min_connections: 1,
        acquire_timeout: Duration::from_secs(30),
    })
    .await?;
    db::migrate(&conn).await?;
    match cli.command {
        Command::Generate {
            scale,
            seed,
            units_csv,
        } => {
            anyhow::ensure!(db::is_empty(&conn).await?, "the database is not empty");
            generate::generate(
                &conn,
                &generate::Plan {
                    seed,
                    scale,
                    units_csv: Some(units_csv),
                },
            )
            .await?;
        }
        Command::Measure => measure::measure(&conn).await?,
        // Written above, before connecting: it needs no database.
        Command::RegisterFile { .. } => {}
        Command::Load {
            url,
            rate,
            seconds,
            users,
            server_pid,
        } => {
            load::run(
                &conn,
                load::LoadPlan {
                    urls: url,
                    rate,
                    seconds,
                    users,
                    server_pids: server_pid,
                },
            )
            .await?;
        }
    }
    Ok(())
}
