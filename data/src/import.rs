//! Bulk import of what provinces already hold: the statistics office's unit lists, the
//! 2025 old → new mapping, working-age population figures, and participant registers
//! kept in Excel.
//!
//! Every importer runs the same code twice: as a dry run that writes nothing and
//! returns the preview (counts and per-row issues), and for real. So what the person
//! confirmed is what happens. Every importer is idempotent: importing the same file again
//! finds every row already there and creates nothing.

pub mod jobs;
pub mod population;
pub mod previews;
pub mod register;
pub mod successions;
pub mod table;
pub mod units;
pub mod uploads;

use kynangso_domain::import::{ImportCounts, MAX_ISSUES_SHOWN, RowIssue};
use serde::{Deserialize, Serialize};

use crate::DataError;
pub use table::{FileProblem, Row, Rows, Source};

/// Whether to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    DryRun,
    Apply,
}

/// The counts of every row and the first `MAX_ISSUES_SHOWN` issues.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub counts: ImportCounts,
    pub issues: Vec<RowIssue>,
    /// Issues beyond those kept in `issues`.
    pub issues_left_out: u64,
}

impl Report {
    pub fn error(&mut self, row: u64, column: &str, message: impl Into<String>) {
        self.push(row, column, message.into(), false);
    }

    pub fn warning(&mut self, row: u64, column: &str, message: impl Into<String>) {
        self.push(row, column, message.into(), true);
    }

    fn push(&mut self, row: u64, column: &str, message: String, warning: bool) {
        if self.issues.len() < MAX_ISSUES_SHOWN {
            self.issues.push(RowIssue {
                row,
                column: column.to_owned(),
                message,
                warning,
            });
        } else {
            self.issues_left_out += 1;
        }
    }
}

/// Why an import could not run at all (as opposed to rows it left out).
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file cannot be read; the message is for the person who chose it.
    #[error("{0}")]
    File(#[from] FileProblem),
    /// The file reads, but is not what this import takes (missing columns, no data rows).
    #[error("{0}")]
    Layout(String),
    #[error(transparent)]
    Data(#[from] DataError),
}

impl From<sea_orm::DbErr> for ImportError {
    fn from(error: sea_orm::DbErr) -> Self {
        ImportError::Data(DataError::Db(error))
    }
}

/// Called after each batch with the data rows handled so far.
pub type Progress<'a> = dyn FnMut(u64) + Send + 'a;
