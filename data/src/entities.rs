//! sea-orm entities, one module per table, matching migration
//! `m20261127_000001_initial_schema` column for column.
//!
//! Conventions: ids are client-generated UUIDv7 (`Uuid`, never auto-increment);
//! instants are `DateTimeUtc`; calendar days are `Date` (`chrono::NaiveDate`);
//! enumeration columns stay `String` here (the domain crate owns the enums and the
//! services convert); JSON documents are `String` holding JSON text.
//!
//! Models deliberately do not derive `Serialize`: entities never leave the server.

pub mod admin_unit;
pub mod app_user;
pub mod attendance;
pub mod audit_log;
pub mod citizen_profile;
pub mod consent;
pub mod coverage_epoch;
pub mod curriculum_version;
pub mod import_file;
pub mod import_preview;
pub mod login_attempt;
pub mod participant;
pub mod session_module;
pub mod session_trainer;
pub mod sign_in_device;
pub mod skill_module;
pub mod team;
pub mod team_member;
pub mod trained_cell;
pub mod trained_person;
pub mod training_session;
pub mod unit_succession;
pub mod user_session;
pub mod working_age_population;
pub mod working_age_rule;
