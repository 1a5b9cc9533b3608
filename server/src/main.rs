use clap::Parser;

use kynangso_server::config::{Cli, Command};
use kynangso_server::{Application, admin, import_cli, telemetry};

/// mimalloc instead of glibc's malloc: under the province-scale load glibc's allocator took
/// about 15 % of the server's CPU (`malloc_consolidate`, `_int_malloc`) and kept freed
/// memory in per-thread arenas. Measured in BENCHMARKS.md (stop 13).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    telemetry::init();
    let cli = Cli::parse();
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            let app = Application::build(&cli.settings).await?;
            app.run_until_stopped().await?;
        }
        Command::Migrate => admin::migrate(&cli.settings).await?,
        Command::CreateAdmin(args) => admin::create_admin(&cli.settings, args).await?,
        Command::SeedDemo => admin::seed_demo(&cli.settings).await?,
        Command::RebuildCoverage => admin::rebuild_coverage(&cli.settings).await?,
        Command::Import(args) => import_cli::import(&cli.settings, args).await?,
    }
    Ok(())
}
