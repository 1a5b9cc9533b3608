//! Server functions: the app's HTTP API. Each file holds one function and its DTOs; each
//! function checks who calls before it reads anything.

pub mod auth;
pub mod units;
