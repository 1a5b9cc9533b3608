//! The kynangso server: configuration, start-up and the HTTP router. `main.rs` only parses
//! the command line and calls into here, so integration tests start the very same server.

pub mod admin;
pub mod config;
pub mod exports;
pub mod housekeeping;
pub mod import_cli;
pub mod limits;
pub mod router;
pub mod security;
pub mod startup;
pub mod telemetry;
pub mod uploads;

pub use startup::Application;
