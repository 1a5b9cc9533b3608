//! Errors of the data layer, with enough context for the logs. The web layer maps them to
//! what a user can act on; nothing here is ever sent to a client verbatim.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum DataError {
    #[error("cannot connect to the database: {0}")]
    Connect(#[source] sea_orm::DbErr),
    #[error("database migration failed: {0}")]
    Migrate(#[source] sea_orm::DbErr),
    #[error("DATABASE_URL must start with sqlite: or postgres://")]
    UnsupportedUrl,
    #[error("cannot create the data folder {path}: {source}")]
    DataDir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("database error: {0}")]
    Db(#[source] sea_orm::DbErr),
    #[error("password hashing failed: {0}")]
    Password(String),
    #[error("{what} already exists")]
    AlreadyExists { what: &'static str },
    /// A create named an id that already holds *other* content. A retry (the same id, the
    /// same content) is not this: it answers with what the first try made.
    #[error("{what} id already used for other content")]
    IdTaken { what: &'static str },
    #[error("{what} not found")]
    NotFound { what: &'static str },
    #[error("invalid input: {0}")]
    Invalid(String),
    /// One field's problem, with the message the person sees beside it.
    #[error("invalid {field}: {message}")]
    InvalidField {
        field: &'static str,
        message: String,
    },
    /// The caller's role may not do this at all. (A record outside the caller's scope is
    /// `NotFound` instead, so that its existence is not revealed.)
    #[error("not allowed for this role")]
    Forbidden,
}

/// A database failure, with a unique constraint's refusal already told apart: two
/// requests that raced to create the same thing (a user name, a code) end in a conflict
/// the person can act on, never in a server error.
impl From<sea_orm::DbErr> for DataError {
    fn from(error: sea_orm::DbErr) -> Self {
        match error.sql_err() {
            Some(sea_orm::SqlErr::UniqueConstraintViolation(detail)) => {
                tracing::info!(%detail, "a unique constraint refused a write");
                DataError::AlreadyExists { what: "record" }
            }
            _ => DataError::Db(error),
        }
    }
}
