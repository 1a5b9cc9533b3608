//! Importing a commune's participant register from Excel or CSV into the caller's
//! commune: the columns are recognised from their headers (or chosen by the person),
//! each row goes through the same rules as the registration form, and each row is
//! matched against the people already recorded so that nobody is created twice.
//!
//! - A row with the app's own code updates that person (the round trip of the export).
//! - A row that surely names a recorded person fills in what that record lacks.
//! - A row that only may name one (a year apart, a contradicting detail, the same CCCD,
//!   an earlier row of the same file) is left out and listed for a person to decide.
//! - Everything else is a new person, with the consent the importer confirmed.
//!
//! Writes go in batches of `BATCH_ROWS` rows, each one transaction that also records the
//! progress: other people's work is never held up for long, and a failed import resumes
//! by running again (what was written is found "unchanged").
//!
//! The work is split by step: `read` turns a row's cells into a typed person (or issues),
//! `classify` decides what that person is against the people already known (no
//! database: it is unit-tested), and `write` makes the writes of a batch in one
//! transaction. This file only runs the steps in order over the file.

mod classify;
mod known;
mod read;
mod sessions;
mod villages;
mod write;

use chrono::Utc;
use kynangso_domain::format::today_in_vietnam;
use kynangso_domain::import::{RegisterField, guess_register_columns};
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use self::classify::classify;
use self::known::Known;
use self::read::Layout;
use self::sessions::Sessions;
use self::villages::Villages;
use self::write::Batch;
use super::{ImportError, Mode, Progress, Report, Source, table};

/// Rows written per transaction.
pub const BATCH_ROWS: usize = 500;

/// Who imports into which commune, and how the columns are read.
#[derive(Debug, Clone)]
pub struct RegisterImport {
    pub commune: Uuid,
    pub actor: Uuid,
    pub client: Option<String>,
    /// The field of each column; `None` guesses from the header row.
    pub columns: Option<Vec<Option<RegisterField>>>,
    /// The uploaded file whose progress to keep, for the web import.
    pub upload: Option<Uuid>,
}

/// The header row, the columns as read, and what happened to every row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterOutcome {
    pub headers: Vec<String>,
    pub columns: Vec<Option<RegisterField>>,
    pub report: Report,
}

/// Reads the register in `source` and, with `Mode::Apply`, writes it.
#[tracing::instrument(skip_all, fields(commune = %job.commune, mode = ?mode))]
pub async fn import_register(
    db: &DatabaseConnection,
    job: &RegisterImport,
    source: Source,
    mode: Mode,
    progress: &mut Progress<'_>,
) -> Result<RegisterOutcome, ImportError> {
    let mut rows = table::open(source);
    let headers = match rows.next().await {
        None => return Err(ImportError::Layout("Tệp không có dòng nào.".to_owned())),
        Some(header) => header?.cells,
    };
    let columns = match &job.columns {
        Some(chosen) => checked_mapping(chosen, headers.len())?,
        None => guess_register_columns(&headers),
    };
    let layout = Layout::new(&headers, &columns)?;
    let villages = Villages::load(db, job.commune).await?;
    let mut sessions = Sessions::load(db, job.commune).await?;
    let mut known = Known::load(db, job.commune).await?;
    let today = today_in_vietnam(Utc::now());
    let mut report = Report::default();
    let mut batch = Batch::default();
    while let Some(row) = rows.next().await {
        let row = row?;
        report.counts.rows += 1;
        let Some(read) = layout.read(&row, &villages, &sessions, today, &mut report) else {
            report.counts.rejected += 1;
            continue;
        };
        let session = read.session.clone();
        let person = classify(
            read,
            row.number,
            &layout,
            &mut known,
            &mut report,
            &mut batch,
        );
        if let (Some(person), Some(key)) = (person, session) {
            let sessions_before = sessions.pending.len();
            let session = sessions.session_for(key);
            report.counts.sessions_new += (sessions.pending.len() - sessions_before) as u64;
            report.counts.attendance += 1;
            batch.attendance.push((session, person));
        }
        if mode == Mode::Apply && batch.len() >= BATCH_ROWS {
            batch
                .write(db, job, &known, &mut sessions, report.counts.rows, false)
                .await?;
            progress(report.counts.rows);
        }
    }
    if report.counts.rows == 0 {
        return Err(ImportError::Layout(
            "Tệp chỉ có dòng tiêu đề, không có dòng dữ liệu nào.".to_owned(),
        ));
    }
    if mode == Mode::Apply {
        batch
            .write(db, job, &known, &mut sessions, report.counts.rows, true)
            .await?;
        progress(report.counts.rows);
    }
    Ok(RegisterOutcome {
        headers,
        columns,
        report,
    })
}

/// A mapping the person chose: no field twice, no column beyond the file's.
fn checked_mapping(
    chosen: &[Option<RegisterField>],
    width: usize,
) -> Result<Vec<Option<RegisterField>>, ImportError> {
    let mut seen = Vec::new();
    for field in chosen.iter().flatten() {
        if seen.contains(field) {
            return Err(ImportError::Layout(format!(
                "Cột \"{}\" được chọn hai lần.",
                field.label_vi()
            )));
        }
        seen.push(*field);
    }
    let mut columns = chosen.to_vec();
    columns.resize(width, None);
    Ok(columns)
}
