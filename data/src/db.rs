//! Opening the database: SQLite (embedded default) or PostgreSQL (production), chosen by URL.

use std::path::{Path, PathBuf};
use std::time::Duration;

use kynangso_migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DatabaseBackend, DatabaseConnection};

use crate::DataError;

/// A database address. Its password never reaches a log or an error message: `Debug` and
/// `Display` print `***` in its place; [`DatabaseUrl::expose`] is for connecting only.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl(String);

impl DatabaseUrl {
    pub fn new(url: impl Into<String>) -> DatabaseUrl {
        DatabaseUrl(url.into())
    }

    /// The address with its password, to connect with.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The address with any password replaced by `***`.
    pub fn redacted(&self) -> String {
        let url = &self.0;
        let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
            return url.clone();
        };
        let authority_end = url[scheme_end..]
            .find('/')
            .map_or(url.len(), |i| scheme_end + i);
        let authority = &url[scheme_end..authority_end];
        match authority.rfind('@').and_then(|at| {
            let user_info = &authority[..at];
            user_info.find(':').map(|colon| (colon, at))
        }) {
            Some((colon, at)) => format!(
                "{}***{}",
                &url[..scheme_end + colon + 1],
                &url[scheme_end + at..]
            ),
            None => url.clone(),
        }
    }
}

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("DatabaseUrl")
            .field(&self.redacted())
            .finish()
    }
}

impl std::fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl std::str::FromStr for DatabaseUrl {
    type Err = std::convert::Infallible;

    fn from_str(url: &str) -> Result<DatabaseUrl, Self::Err> {
        Ok(DatabaseUrl::new(url))
    }
}

/// How to reach the database and how many connections to keep.
#[derive(Debug, Clone)]
pub struct DbSettings {
    /// `sqlite://path/to/file.db` or `postgres://user@host:port/db`.
    pub url: DatabaseUrl,
    pub max_connections: u32,
    pub min_connections: u32,
    pub acquire_timeout: Duration,
}

/// Which engine a connection talks to; a few queries differ between the two.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// Opens a pool. For SQLite the file (and its folder) is created on first start.
///
/// SQLite runs in WAL mode with `synchronous = FULL`: in WAL mode `NORMAL` may lose the
/// last transactions on power loss, and a team member who saw "Đã lưu" must never lose
/// that record. FULL costs one extra fsync per commit, which SQLite's WAL keeps cheap.
/// Foreign keys are off by default in SQLite; they are switched on for every connection.
#[tracing::instrument(skip_all, fields(engine))]
pub async fn connect(settings: &DbSettings) -> Result<DatabaseConnection, DataError> {
    let engine = engine_of(settings.url.expose())?;
    tracing::Span::current().record("engine", tracing::field::debug(engine));
    if let (Engine::Sqlite, Some(path)) = (engine, sqlite_path(settings.url.expose())) {
        ensure_parent_dir(&path)?;
    }
    let mut options = ConnectOptions::new(settings.url.expose());
    options
        .max_connections(settings.max_connections)
        .min_connections(settings.min_connections)
        .acquire_timeout(settings.acquire_timeout)
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|opts| {
            opts.create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
        });
    Database::connect(options).await.map_err(DataError::Connect)
}

/// The pool size when none is configured. On SQLite each connection is a thread of its
/// own and the work is the server's CPU, so more connections than about two per core only
/// add thread switches: at 500 req/s on 2 cores, 4 connections instead of 10 lowered the
/// p95 from 21.5 to 12.3 ms, the server's CPU from 79 to 68 s a minute and its peak memory
/// from 223 to 147 MB. PostgreSQL works in its own processes: 10 per app server.
pub fn default_max_connections(url: &str) -> u32 {
    match engine_of(url) {
        Ok(Engine::Sqlite) => {
            let cores = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
            (2 * cores).clamp(2, 8) as u32
        }
        _ => 10,
    }
}

/// The right to write, for SQLite: one writer at a time, in arrival order.
///
/// SQLite lets one transaction write at a time; others get "busy" and its busy handler
/// retries them after sleeps of up to 100 ms, which under a roster's worth of taps made
/// the slowest marks wait 230 ms while the database was idle most of that time. The hot
/// write paths (attendance, sessions, registrations) take this gate before they begin,
/// so writers of this process queue instead of sleeping. PostgreSQL locks rows itself:
/// there the gate is open. Never take it twice in one task (it is not re-entrant).
pub async fn write_gate(db: &DatabaseConnection) -> Option<tokio::sync::MutexGuard<'static, ()>> {
    static SQLITE_WRITER: std::sync::LazyLock<tokio::sync::Mutex<()>> =
        std::sync::LazyLock::new(Default::default);
    match engine(db) {
        Engine::Sqlite => Some(SQLITE_WRITER.lock().await),
        Engine::Postgres => None,
    }
}

/// Brings the schema up to date. A failure here must stop the server: running against a
/// half-migrated schema would corrupt data.
#[tracing::instrument(skip_all)]
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DataError> {
    Migrator::up(db, None).await.map_err(DataError::Migrate)
}

pub fn engine_of(url: &str) -> Result<Engine, DataError> {
    if url.starts_with("sqlite:") {
        Ok(Engine::Sqlite)
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Engine::Postgres)
    } else {
        Err(DataError::UnsupportedUrl)
    }
}

pub fn engine(db: &DatabaseConnection) -> Engine {
    match db.get_database_backend() {
        DatabaseBackend::Postgres => Engine::Postgres,
        _ => Engine::Sqlite,
    }
}

/// The file behind a `sqlite://` URL, if it names one (not `sqlite::memory:`).
pub fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    if path.is_empty() || path.starts_with(":memory:") {
        return None;
    }
    Some(PathBuf::from(path))
}

/// Whether the database holds no administrative unit yet (a brand-new install).
pub async fn is_empty(db: &DatabaseConnection) -> Result<bool, DataError> {
    use sea_orm::{EntityTrait, PaginatorTrait};
    let units = crate::entities::admin_unit::Entity::find()
        .count(db)
        .await?;
    Ok(units == 0)
}

fn ensure_parent_dir(path: &Path) -> Result<(), DataError> {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => {
            std::fs::create_dir_all(dir).map_err(|source| DataError::DataDir {
                path: dir.to_path_buf(),
                source,
            })
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_password_never_reaches_a_log() {
        let url = DatabaseUrl::new("postgres://kns:s3cr:et@db.example:5432/kynangso");
        assert_eq!(
            url.to_string(),
            "postgres://kns:***@db.example:5432/kynangso"
        );
        assert!(!format!("{url:?}").contains("s3cr"), "{url:?}");
        let settings = DbSettings {
            url: url.clone(),
            max_connections: 1,
            min_connections: 0,
            acquire_timeout: Duration::from_secs(1),
        };
        assert!(!format!("{settings:?}").contains("s3cr"));
        assert_eq!(
            url.expose(),
            "postgres://kns:s3cr:et@db.example:5432/kynangso"
        );
        for plain in ["postgres://u@h/db", "sqlite://var/k.db", "sqlite::memory:"] {
            assert_eq!(DatabaseUrl::new(plain).to_string(), plain);
        }
    }

    #[test]
    fn the_engine_follows_the_url_scheme() {
        assert_eq!(engine_of("sqlite://data/k.db").ok(), Some(Engine::Sqlite));
        assert_eq!(engine_of("sqlite::memory:").ok(), Some(Engine::Sqlite));
        assert_eq!(engine_of("postgres://u@h/db").ok(), Some(Engine::Postgres));
        assert_eq!(
            engine_of("postgresql://u@h/db").ok(),
            Some(Engine::Postgres)
        );
        assert!(engine_of("mysql://u@h/db").is_err());
    }

    #[test]
    fn the_sqlite_file_is_read_from_the_url() {
        assert_eq!(
            sqlite_path("sqlite://data/k.db?mode=rwc"),
            Some(PathBuf::from("data/k.db"))
        );
        assert_eq!(
            sqlite_path("sqlite:///abs/k.db"),
            Some(PathBuf::from("/abs/k.db"))
        );
        assert_eq!(sqlite_path("sqlite::memory:"), None);
    }
}
