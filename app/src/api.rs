//! Server functions: the app's HTTP API. Each file holds one area's functions and DTOs;
//! each function checks who calls before it reads anything.

pub mod attendance;
pub mod audit;
pub mod auth;
pub mod coverage;
pub mod imports;
pub mod participants;
pub mod sessions;
pub mod units;
pub mod users;
