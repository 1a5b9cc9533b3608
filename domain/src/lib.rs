//! Domain types and rules of Kỹ Năng Số that both the browser (wasm) and the server use.
//!
//! Nothing here touches a database or the network, so the hydrated client and the server
//! validate and normalise input with the very same code ("parse, don't validate"). The
//! `db` feature (the server's) only adds derives that let the shared enums be columns.

pub mod attendance;
pub mod completion;
pub mod coverage;
pub mod credentials;
pub mod format;
pub mod id;
pub mod import;
pub mod person;
pub mod phone;
pub mod role;
pub mod session;
pub mod status;
pub mod text;
pub mod unit;
pub mod validation;
pub mod views;
pub mod working_age;

pub use id::new_id;
pub use role::Role;
pub use unit::UnitKind;
pub use validation::FieldError;
