//! One entry point for every kind of import, for the web (an uploaded file) and the
//! command line (a path): who may import what, the options each kind takes, and the run
//! in the background with its progress and result kept on the upload.

use chrono::NaiveDate;
use kynangso_domain::Role;
use kynangso_domain::import::RegisterField;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::population::{PopulationOptions, import_population};
use super::previews::{self, Preview};
use super::register::{RegisterImport, import_register};
use super::successions::{SuccessionOptions, import_successions};
use super::units::{UnitListOptions, import_units};
use super::uploads::{self, Kind};
use super::{ImportError, Mode, Progress, Report, Source};
use crate::DataError;
use crate::access::Caller;
use crate::entities::{admin_unit, import_file};

/// The choices a person makes about a file, kept with the upload while it runs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Options {
    /// Registers: the field of each column (`None` = guess from the headers).
    pub columns: Option<Vec<Option<RegisterField>>>,
    /// Unit lists and the mapping: the day the list or the change took effect.
    pub effective: Option<NaiveDate>,
    /// Unit lists: force (or refuse) a reorganisation; `None` decides from the file.
    pub reorganisation: Option<bool>,
    /// Population: the year, when the file has no year column.
    pub year: Option<i32>,
    /// Population: the source, when the file has no source column.
    pub source_label: Option<String>,
}

/// What the page shows: the header row and columns as read (registers) and the report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    pub headers: Vec<String>,
    pub columns: Vec<Option<RegisterField>>,
    pub report: Report,
}

/// Who may import a kind of file, and into which unit: a commune lead their commune's
/// register (personal data stays with the commune's team); a province administrator the
/// reference data of their province.
pub fn scope_for(caller: &Caller, kind: Kind) -> Result<Uuid, DataError> {
    match (kind, caller.role) {
        (Kind::Register, Role::CommuneLead) => Ok(caller.scope_unit_id),
        (Kind::Units | Kind::Successions | Kind::Population, Role::ProvinceAdmin) => {
            Ok(caller.scope_unit_id)
        }
        _ => Err(DataError::Forbidden),
    }
}

/// The statistics-office code of the province unit `id`.
async fn province_code<C: ConnectionTrait>(db: &C, id: Uuid) -> Result<String, DataError> {
    admin_unit::Entity::find_by_id(id)
        .filter(admin_unit::Column::Kind.eq("province"))
        .one(db)
        .await?
        .map(|u| u.code)
        .ok_or(DataError::NotFound { what: "province" })
}

/// Runs one import of `kind` over `source` into `scope`, by `actor`.
#[allow(clippy::too_many_arguments)]
pub async fn run(
    db: &DatabaseConnection,
    kind: Kind,
    scope: Uuid,
    actor: Uuid,
    client: Option<String>,
    upload: Option<Uuid>,
    source: Source,
    options: &Options,
    mode: Mode,
    progress: &mut Progress<'_>,
) -> Result<Outcome, ImportError> {
    let today = kynangso_domain::format::today_in_vietnam(chrono::Utc::now());
    let report_only = |report: Report| Outcome {
        report,
        ..Outcome::default()
    };
    match kind {
        Kind::Register => {
            let job = RegisterImport {
                commune: scope,
                actor,
                client,
                columns: options.columns.clone(),
                upload,
            };
            // Registers are written in batches: read the whole file once first, so a file
            // that breaks half way (an encoding error at row 60 000) writes nothing.
            if mode == Mode::Apply {
                import_register(db, &job, source.clone(), Mode::DryRun, &mut |_| {}).await?;
            }
            let outcome = import_register(db, &job, source, mode, progress).await?;
            Ok(Outcome {
                headers: outcome.headers,
                columns: outcome.columns,
                report: outcome.report,
            })
        }
        Kind::Units => {
            let options = UnitListOptions {
                province_code: province_code(db, scope).await?,
                effective: options.effective.unwrap_or(today),
                reorganisation: options.reorganisation,
            };
            import_units(db, Some(actor), source, &options, mode)
                .await
                .map(report_only)
        }
        Kind::Successions => {
            let options = SuccessionOptions {
                effective: options.effective.unwrap_or(today),
                legal_basis: None,
            };
            import_successions(db, Some(actor), source, &options, mode)
                .await
                .map(report_only)
        }
        Kind::Population => {
            let options = PopulationOptions {
                year: options.year,
                source_label: options.source_label.clone(),
            };
            import_population(db, Some(actor), source, &options, mode)
                .await
                .map(report_only)
        }
    }
}

/// The preview of an uploaded file, or the result of its import when done. The dry run
/// runs once per file and options; views after that read the stored preview.
pub async fn preview(
    db: &DatabaseConnection,
    caller: &Caller,
    file: &import_file::Model,
    options: &Options,
) -> Result<Preview, DataError> {
    if let Some(result) = file
        .result
        .as_deref()
        .filter(|_| file.status == kynangso_domain::status::ImportStatus::Done)
    {
        let outcome =
            serde_json::from_str(result).map_err(|e| DataError::Invalid(e.to_string()))?;
        return Ok(Preview {
            outcome,
            problem: None,
        });
    }
    let kind = file.kind;
    let scope = scope_for(caller, kind)?;
    let key = serde_json::to_string(options).unwrap_or_default();
    if let Some(stored) = previews::load(db, file.id, &key).await? {
        return Ok(stored);
    }
    let computed = match run(
        db,
        kind,
        scope,
        caller.user_id,
        caller.client.clone(),
        None,
        Source::Bytes(file.content.clone()),
        options,
        Mode::DryRun,
        &mut |_| {},
    )
    .await
    {
        Ok(outcome) => Preview {
            outcome,
            problem: None,
        },
        Err(ImportError::Data(error)) => return Err(error),
        Err(problem) => {
            let mut outcome = Outcome::default();
            // Unrecognised columns are the preview's to fix: show them with their choices.
            if kind == Kind::Register {
                outcome.headers = header_row(file).await;
                outcome.columns = options.columns.clone().unwrap_or_else(|| {
                    kynangso_domain::import::guess_register_columns(&outcome.headers)
                });
                outcome.columns.resize(outcome.headers.len(), None);
            }
            Preview {
                outcome,
                problem: Some(problem.to_string()),
            }
        }
    };
    previews::store(db, file.id, &key, &computed).await?;
    Ok(computed)
}

/// Claims the upload and imports it on a background task; `false` when it is running or
/// done already (a second press of the button). Progress and the result go to the upload.
pub async fn start(
    db: &DatabaseConnection,
    caller: &Caller,
    file: import_file::Model,
    options: Options,
) -> Result<bool, DataError> {
    let id = file.id;
    let kind = file.kind;
    let scope = scope_for(caller, kind)?;
    let stored = serde_json::to_string(&options).unwrap_or_default();
    if !uploads::claim(db, id, caller.user_id, &stored).await? {
        return Ok(false);
    }
    let db = db.clone();
    let (actor, client) = (caller.user_id, caller.client.clone());
    tokio::spawn(async move {
        let source = Source::Bytes(file.content);
        let outcome = run(
            &db,
            kind,
            scope,
            actor,
            client,
            Some(id),
            source,
            &options,
            Mode::Apply,
            &mut |_| {},
        )
        .await;
        let (succeeded, result) = match outcome {
            Ok(outcome) => (true, serde_json::to_string(&outcome).unwrap_or_default()),
            Err(error) => {
                tracing::error!(%error, import = %id, "import failed");
                let message = match error {
                    ImportError::Data(_) => "Nhập bị gián đoạn do lỗi máy chủ; hãy bấm nhập lại, các dòng đã nhập sẽ không bị nhập hai lần.".to_owned(),
                    other => other.to_string(),
                };
                (false, message)
            }
        };
        if let Err(error) = uploads::finish(&db, id, succeeded, &result).await {
            tracing::error!(%error, import = %id, "recording the end of an import failed");
        }
    });
    Ok(true)
}

/// The first row of an uploaded file, so that a register whose columns were not all
/// recognised can still be mapped by hand. Empty when the file cannot be read.
async fn header_row(file: &import_file::Model) -> Vec<String> {
    let mut rows = super::table::open(Source::Bytes(file.content.clone()));
    match rows.next().await {
        Some(Ok(row)) => row.cells,
        _ => Vec::new(),
    }
}
