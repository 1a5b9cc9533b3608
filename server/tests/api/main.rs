//! Integration tests: the real server on port 0 with a fresh database, spoken to over HTTP.
//! Every test runs on SQLite and on PostgreSQL (see `helpers::both_databases!`).

#[macro_use]
mod helpers;

mod access;
mod auth;
mod coverage;
mod database;
mod demo;
mod fuzz;
mod hardening;
mod hostile_files;
mod hostile_uploads;
mod import_previews;
mod imports;
mod imports_reference;
mod pages;
mod participants;
mod sessions;
mod startup;
mod throttle;
mod units;
mod users;
