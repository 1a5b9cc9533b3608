//! The server-only data layer of Kỹ Năng Số.
//!
//! Services take a connection and return `Result`; reads and writes are separate
//! functions; entities never leave this crate's callers on the server — the web layer
//! turns them into DTOs from `kynangso-domain` before anything crosses the wire.

pub mod access;
pub mod attendance;
pub mod audit;
pub mod coverage;
pub mod curriculum;
pub mod db;
pub mod entities;
pub mod erasure;
pub mod error;
pub mod group_commit;
pub mod idempotent;
pub mod import;
pub mod participants;
pub mod password;
pub mod seed;
pub mod sign_in;
pub mod standings;
pub mod training;
pub mod units;
pub mod user_admin;
pub mod users;

pub use error::DataError;
pub use sea_orm::DatabaseConnection;
