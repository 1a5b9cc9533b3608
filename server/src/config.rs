//! Typed configuration: command-line flags, each with an environment variable and a
//! documented default (`kynangso --help` lists them all).

use std::net::SocketAddr;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};
use kynangso_data::db::{self, DbSettings};

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
    /// Import reference data from a spreadsheet (CSV, XLSX, XLS). Without --apply it is a
    /// dry run: it prints what would change and writes nothing.
    Import(ImportArgs),
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(subcommand)]
    pub kind: ImportKind,
}

/// What a file holds.
#[derive(Debug, Subcommand)]
pub enum ImportKind {
    /// The statistics office's unit list ("Danh mục đơn vị hành chính"), in either of its
    /// export layouts, with or without a header row.
    Units(ImportUnits),
    /// The old → new mapping of a reform: old_code, new_code, and optionally coverage
    /// (full/partial), effective_date and legal basis.
    Mapping(ImportMapping),
    /// Working-age population per commune and year, with its source.
    Population(ImportPopulation),
    /// A commune's participant register (Họ và tên, Ngày sinh/Năm sinh, Giới tính,
    /// Thôn/Buôn, Số điện thoại, Số CCCD, Mã), checked row by row against the people the
    /// commune already has. With --apply the whole file is checked first.
    Register(ImportRegister),
}

#[derive(Debug, Args)]
pub struct ImportRegister {
    #[command(flatten)]
    pub input: ImportInput,
    /// The statistics-office code of the commune or ward the people belong to.
    #[arg(long)]
    pub commune: String,
    /// The account recorded as the importer (and as the one who took the consents).
    #[arg(long)]
    pub user: String,
    /// The field of each column, comma-separated (full_name, birth_date, birth_year, sex,
    /// village, phone, national_id, code; empty to skip a column). Default: from the
    /// header row.
    #[arg(long)]
    pub columns: Option<String>,
    /// Required with --apply: the people in the file agreed to their data being recorded.
    #[arg(long)]
    pub consent_confirmed: bool,
}

/// The file and whether to write: every import takes these.
#[derive(Debug, Args)]
pub struct ImportInput {
    /// The file to read.
    pub file: std::path::PathBuf,
    /// Write the changes (without it: a dry run that writes nothing).
    #[arg(long)]
    pub apply: bool,
}

#[derive(Debug, Args)]
pub struct ImportUnits {
    #[command(flatten)]
    pub input: ImportInput,
    /// The province whose rows are taken; other provinces' rows are skipped.
    #[arg(long, visible_alias = "province", default_value = "66")]
    pub province_code: String,
    /// The day the list takes effect (yyyy-mm-dd or dd/mm/yyyy).
    #[arg(long, value_parser = parse_day)]
    pub effective: chrono::NaiveDate,
    /// A reform: close every unit of the province the day before and start every listed
    /// unit anew, even where a code is reused. By default this is decided from the file
    /// (a list without districts for a province that still has them).
    #[arg(long, conflicts_with = "no_reorganisation")]
    pub reorganisation: bool,
    /// Never treat the list as a reform: compare unit by unit.
    #[arg(long)]
    pub no_reorganisation: bool,
}

#[derive(Debug, Args)]
pub struct ImportMapping {
    #[command(flatten)]
    pub input: ImportInput,
    /// The day the links take effect, for rows without an effective_date.
    #[arg(long, value_parser = parse_day, default_value = "2025-07-01")]
    pub effective: chrono::NaiveDate,
    /// The resolution, for rows without one (e.g. "Nghị quyết 1660/NQ-UBTVQH15").
    #[arg(long)]
    pub legal_basis: Option<String>,
}

#[derive(Debug, Args)]
pub struct ImportPopulation {
    #[command(flatten)]
    pub input: ImportInput,
    /// The year of the figures, for files without a year column.
    #[arg(long)]
    pub year: Option<i32>,
    /// The source of the figures, for files without a source column (or an empty cell).
    #[arg(long)]
    pub source: Option<String>,
}

/// A day as yyyy-mm-dd or dd/mm/yyyy.
fn parse_day(text: &str) -> Result<chrono::NaiveDate, String> {
    kynangso_domain::import::parse_date_cell(text)
        .ok_or_else(|| format!("not a date: {text} (yyyy-mm-dd or dd/mm/yyyy)"))
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
    pub database_url: db::DatabaseUrl,
    /// Most connections in the pool (per app server). Default: two per core on SQLite (at
    /// most 8), 10 on PostgreSQL.
    #[arg(long, global = true, env = "KYNANGSO_DB_MAX_CONNECTIONS")]
    pub db_max_connections: Option<u32>,
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
            policy: kynangso_data::sign_in::sessions::SessionPolicy {
                idle: chrono::Duration::minutes(self.session_idle_minutes.max(1)),
                absolute: chrono::Duration::hours(self.session_max_hours.max(1)),
            },
            secure_cookies: self.secure_cookies,
            trusted_proxies: self.trusted_proxies.clone().into(),
        }
    }

    pub fn db(&self) -> DbSettings {
        let max = self
            .db_max_connections
            .unwrap_or_else(|| db::default_max_connections(self.database_url.expose()))
            .max(1);
        DbSettings {
            url: self.database_url.clone(),
            max_connections: max,
            min_connections: self.db_min_connections.min(max),
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
        assert!(cli.settings.database_url.expose().starts_with("sqlite://"));
        assert_eq!(cli.settings.demo, DemoMode::Auto);
        assert!(cli.settings.trusted_proxies.is_empty());
        let pool = cli.settings.db().max_connections;
        assert!((2..=8).contains(&pool), "a small pool for SQLite: {pool}");
        let cli = Cli::try_parse_from(["kynangso", "--database-url", "postgres://u@h/db"])
            .expect("parses");
        assert_eq!(cli.settings.db().max_connections, 10);
        let cli = Cli::try_parse_from(["kynangso", "--db-max-connections", "3"]).expect("parses");
        assert_eq!(cli.settings.db().max_connections, 3);
    }

    #[test]
    fn trusted_proxies_are_a_comma_separated_list() {
        let cli =
            Cli::try_parse_from(["kynangso", "--trusted-proxies", "10.0.0.1,::1"]).expect("parses");
        assert_eq!(cli.settings.trusted_proxies.len(), 2);
    }

    #[test]
    fn imports_are_dry_runs_unless_told_to_apply() {
        let cli = Cli::try_parse_from([
            "kynangso",
            "import",
            "units",
            "ds.csv",
            "--effective",
            "01/07/2025",
        ])
        .expect("parses");
        let Some(Command::Import(ImportArgs {
            kind: ImportKind::Units(units),
        })) = cli.command
        else {
            panic!("an import of units");
        };
        assert!(!units.input.apply);
        assert_eq!(units.province_code, "66");
        assert_eq!(units.effective.to_string(), "2025-07-01");
        let cli = Cli::try_parse_from([
            "kynangso",
            "import",
            "population",
            "ds.xlsx",
            "--year",
            "2025",
            "--apply",
        ])
        .expect("parses");
        assert!(matches!(
            cli.command,
            Some(Command::Import(ImportArgs { kind: ImportKind::Population(p) })) if p.input.apply && p.year == Some(2025)
        ));
        assert!(
            Cli::try_parse_from(["kynangso", "import", "units", "ds.csv"]).is_err(),
            "a unit list needs its effective date"
        );
    }

    #[test]
    fn global_flags_work_after_a_subcommand() {
        let cli =
            Cli::try_parse_from(["kynangso", "migrate", "--database-url", "postgres://u@h/db"])
                .expect("parses");
        assert!(matches!(cli.command, Some(Command::Migrate)));
        assert_eq!(cli.settings.database_url.expose(), "postgres://u@h/db");
    }
}
