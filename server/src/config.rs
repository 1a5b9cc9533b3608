//! Typed configuration: command-line flags, each with an environment variable and a
//! documented default (`kynangso --help` lists them all).

use std::net::SocketAddr;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};
use kynangso_data::db::DbSettings;

#[derive(Debug, Parser)]
#[command(
    name = "kynangso",
    version,
    about = "Kỹ Năng Số: theo dõi phổ cập kỹ năng số cơ bản theo xã, phường",
    long_about = "Kỹ Năng Số tracks basic digital-skills training by commune for community digital \
                  technology teams. Without a subcommand it serves the web app."
)]
pub struct Cli {
    #[command(flatten)]
    pub settings: Settings,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web app (the default). Runs pending migrations first.
    Serve,
    /// Run pending database migrations and exit.
    Migrate,
    /// Create a province administrator (and the province unit if it is missing).
    CreateAdmin(CreateAdmin),
    /// Load the demo data set (idempotent), on any database.
    SeedDemo,
    /// Recompute who is trained from the attendance records (after loading data from
    /// outside the app, or to check the maintained table).
    RebuildCoverage,
}

#[derive(Debug, Args)]
pub struct CreateAdmin {
    /// Sign-in name (3–40 of a-z 0-9 . _ -).
    #[arg(long)]
    pub username: String,
    /// Name shown in the app.
    #[arg(long, default_value = "Quản trị tỉnh")]
    pub display_name: String,
    /// Statistics-office code of the province the administrator manages.
    #[arg(long, default_value = "66")]
    pub province_code: String,
    /// Province name, used only if the province unit does not exist yet.
    #[arg(long, default_value = "Tỉnh Đắk Lắk")]
    pub province_name: String,
    /// The password (at least 12 characters). Without it a pass-phrase is generated,
    /// printed once, and must be changed at first sign-in.
    #[arg(long, env = "KYNANGSO_ADMIN_PASSWORD", hide_env_values = true)]
    pub password: Option<String>,
}

/// When to load the demo data set at start-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DemoMode {
    /// Only into an empty SQLite database (never PostgreSQL).
    Auto,
    /// Always (idempotent), on any engine.
    Always,
    /// Never.
    Never,
}

#[derive(Debug, Clone, Args)]
pub struct Settings {
    /// Database: sqlite://FILE (embedded default; created on first start) or
    /// postgres://USER@HOST:PORT/DB (production).
    #[arg(
        long,
        global = true,
        env = "DATABASE_URL",
        default_value = "sqlite://var/kynangso.db"
    )]
    pub database_url: String,
    /// Most connections in the pool (per app server).
    #[arg(
        long,
        global = true,
        env = "KYNANGSO_DB_MAX_CONNECTIONS",
        default_value_t = 10
    )]
    pub db_max_connections: u32,
    /// Connections kept open when idle.
    #[arg(
        long,
        global = true,
        env = "KYNANGSO_DB_MIN_CONNECTIONS",
        default_value_t = 1
    )]
    pub db_min_connections: u32,
    /// Seconds to wait for a free connection before answering 500.
    #[arg(
        long,
        global = true,
        env = "KYNANGSO_DB_ACQUIRE_TIMEOUT_SECS",
        default_value_t = 10
    )]
    pub db_acquire_timeout_secs: u64,
    /// Address to listen on (port 0 picks a free port).
    #[arg(
        long,
        global = true,
        env = "LEPTOS_SITE_ADDR",
        default_value = "127.0.0.1:3000"
    )]
    pub site_addr: SocketAddr,
    /// Folder with the built site (wasm, JS, CSS), as written by cargo-leptos.
    #[arg(
        long,
        global = true,
        env = "LEPTOS_SITE_ROOT",
        default_value = "target/site"
    )]
    pub site_root: String,
    /// Sub-folder of the site root holding the wasm/JS/CSS bundle.
    #[arg(
        long,
        global = true,
        env = "LEPTOS_SITE_PKG_DIR",
        default_value = "pkg"
    )]
    pub site_pkg_dir: String,
    /// When to load the demo data set.
    #[arg(long, global = true, env = "KYNANGSO_DEMO", value_enum, default_value_t = DemoMode::Auto)]
    pub demo: DemoMode,
    /// Password for every demo account (otherwise each gets its own printed pass-phrase).
    #[arg(
        long,
        global = true,
        env = "KYNANGSO_DEMO_PASSWORD",
        hide_env_values = true
    )]
    pub demo_password: Option<String>,
    /// Minutes without a request after which a sign-in session ends.
    #[arg(
        long,
        global = true,
        env = "KYNANGSO_SESSION_IDLE_MINUTES",
        default_value_t = 120
    )]
    pub session_idle_minutes: i64,
    /// Hours after sign-in after which a session ends however active it is.
    #[arg(
        long,
        global = true,
        env = "KYNANGSO_SESSION_MAX_HOURS",
        default_value_t = 12
    )]
    pub session_max_hours: i64,
    /// Served over HTTPS: mark the session cookie Secure and name it with the __Host- prefix.
    /// Set this in production; leave it off for plain HTTP on a local machine.
    #[arg(
        long,
        global = true,
        env = "KYNANGSO_SECURE_COOKIES",
        default_value_t = false
    )]
    pub secure_cookies: bool,
    /// Addresses of reverse proxies / load balancers in front of the app servers, comma
    /// separated. Only for requests from these is `X-Forwarded-For` believed (its last
    /// address that is not itself a trusted proxy is the client). Without it, every
    /// client behind a proxy shares the proxy's address and its sign-in throttle.
    #[arg(
        long,
        global = true,
        env = "KYNANGSO_TRUSTED_PROXIES",
        value_delimiter = ','
    )]
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

impl Settings {
    pub fn auth(&self) -> kynangso_app::server::auth::AuthSettings {
        kynangso_app::server::auth::AuthSettings {
            policy: kynangso_data::sessions::SessionPolicy {
                idle: chrono::Duration::minutes(self.session_idle_minutes.max(1)),
                absolute: chrono::Duration::hours(self.session_max_hours.max(1)),
            },
            secure_cookies: self.secure_cookies,
            trusted_proxies: self.trusted_proxies.clone().into(),
        }
    }

    pub fn db(&self) -> DbSettings {
        DbSettings {
            url: self.database_url.clone(),
            max_connections: self.db_max_connections.max(1),
            min_connections: self.db_min_connections.min(self.db_max_connections.max(1)),
            acquire_timeout: Duration::from_secs(self.db_acquire_timeout_secs.max(1)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_arguments_it_serves_on_the_embedded_sqlite_file() {
        let cli = Cli::try_parse_from(["kynangso"]).expect("parses");
        assert!(cli.command.is_none());
        assert!(cli.settings.database_url.starts_with("sqlite://"));
        assert_eq!(cli.settings.demo, DemoMode::Auto);
        assert!(cli.settings.trusted_proxies.is_empty());
    }

    #[test]
    fn trusted_proxies_are_a_comma_separated_list() {
        let cli =
            Cli::try_parse_from(["kynangso", "--trusted-proxies", "10.0.0.1,::1"]).expect("parses");
        assert_eq!(cli.settings.trusted_proxies.len(), 2);
    }

    #[test]
    fn global_flags_work_after_a_subcommand() {
        let cli =
            Cli::try_parse_from(["kynangso", "migrate", "--database-url", "postgres://u@h/db"])
                .expect("parses");
        assert!(matches!(cli.command, Some(Command::Migrate)));
        assert_eq!(cli.settings.database_url, "postgres://u@h/db");
    }
}
