//! Importing spreadsheets: the preview of an uploaded file (a dry run, with the columns
//! as read and every row's problems), starting the import, and the person's recent
//! uploads. The upload itself is a plain multipart POST (`server/src/uploads.rs`).
//!
//! Who may import what is decided in one place (`kynangso_data::import::jobs::scope_for`):
//! commune leads their commune's register, province administrators reference data.

use kynangso_domain::import::{ImportCounts, RegisterField, RowIssue};
use kynangso_domain::status::{ImportKind, ImportStatus};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::AppError;

/// The choices on the preview page, as its address carries them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportChoices {
    /// The field of each column, comma-separated codes (`full_name,,birth_year`).
    pub cot: Option<String>,
    /// The day a unit list or mapping took effect (yyyy-mm-dd).
    pub ngay: Option<String>,
    /// The population's year, when the file has none.
    pub nam: Option<String>,
    /// The population's source, when the file has none.
    pub nguon: Option<String>,
    /// The page of issues shown (from 1).
    pub trang: Option<String>,
}

/// The page asked for: a number from 1, anything else the first page.
pub fn page_number(trang: Option<&str>) -> usize {
    trang
        .and_then(|t| t.trim().parse::<usize>().ok())
        .filter(|p| *p >= 1)
        .unwrap_or(1)
}

/// An uploaded file and what importing it does (or did).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportView {
    pub id: String,
    pub kind: ImportKind,
    pub file_name: String,
    pub status: ImportStatus,
    pub rows_done: u64,
    pub headers: Vec<String>,
    pub columns: Vec<Option<RegisterField>>,
    pub counts: ImportCounts,
    /// The issues of this page (`ISSUES_PER_PAGE` at most), in row order.
    pub issues: Vec<RowIssue>,
    pub issues_left_out: u64,
    /// This page of issues (from 1) and how many pages there are.
    pub page: usize,
    pub pages: usize,
    /// Why the file cannot be imported as it is (then there are no counts).
    pub problem: Option<String>,
    /// Why the last run stopped, when it failed.
    pub failure: Option<String>,
}

/// One of the person's recent uploads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportLine {
    pub id: String,
    pub kind: ImportKind,
    pub file_name: String,
    pub status: ImportStatus,
    /// dd/mm/yyyy hh:mm, Vietnam time.
    pub uploaded: String,
}

/// The preview (a dry run on the stored file) or, once imported, the result.
#[server(endpoint = "imports/preview")]
pub async fn read_import(
    id: String,
    cot: Option<String>,
    ngay: Option<String>,
    nam: Option<String>,
    nguon: Option<String>,
    trang: Option<String>,
) -> Result<ImportView, AppError> {
    use kynangso_data::import::jobs;
    use kynangso_domain::import::ISSUES_PER_PAGE;
    let choices = ImportChoices {
        cot,
        ngay,
        nam,
        nguon,
        trang: None,
    };
    let (caller, db, file, options) = server::upload_of(&id, &choices).await?;
    let mut view = ImportView {
        id: file.id.to_string(),
        kind: file.kind,
        file_name: file.file_name.clone(),
        status: file.status,
        rows_done: u64::try_from(file.rows_done).unwrap_or(0),
        headers: Vec::new(),
        columns: Vec::new(),
        counts: ImportCounts::default(),
        issues: Vec::new(),
        issues_left_out: 0,
        page: 1,
        pages: 1,
        problem: None,
        failure: (file.status == ImportStatus::Failed)
            .then(|| file.result.clone())
            .flatten(),
    };
    if file.status == ImportStatus::Running {
        return Ok(view);
    }
    let preview = jobs::preview(&db, &caller, &file, &options).await?;
    let issues = preview.outcome.report.issues;
    // One page of issues travels: the page stays small however many rows are wrong.
    view.pages = issues.len().div_ceil(ISSUES_PER_PAGE).max(1);
    view.page = page_number(trang.as_deref()).min(view.pages);
    view.issues = issues
        .into_iter()
        .skip((view.page - 1) * ISSUES_PER_PAGE)
        .take(ISSUES_PER_PAGE)
        .collect();
    view.headers = preview.outcome.headers;
    view.columns = preview.outcome.columns;
    view.counts = preview.outcome.report.counts;
    view.issues_left_out = preview.outcome.report.issues_left_out;
    view.problem = preview.problem;
    Ok(view)
}

/// Starts the import of an uploaded file with the choices shown on its preview. A
/// register needs the importer's word that the people in it agreed (`dong_y`). Pressing
/// twice starts it once.
#[server(endpoint = "imports/start")]
pub async fn start_import(
    id: String,
    cot: Option<String>,
    ngay: Option<String>,
    nam: Option<String>,
    nguon: Option<String>,
    dong_y: Option<String>,
) -> Result<(), AppError> {
    use kynangso_data::import::jobs;
    let choices = ImportChoices {
        cot,
        ngay,
        nam,
        nguon,
        trang: None,
    };
    let (caller, db, file, options) = server::upload_of(&id, &choices).await?;
    if file.kind == ImportKind::Register && dong_y.as_deref().is_none_or(|v| v.is_empty()) {
        return Err(AppError::invalid(
            "dong_y",
            "Hãy xác nhận những người trong tệp đã đồng ý cho ghi thông tin của họ.",
        ));
    }
    jobs::start(&db, &caller, file, options).await?;
    Ok(())
}

/// The person's ten latest uploads.
#[server(endpoint = "imports/recent")]
pub async fn list_imports() -> Result<Vec<ImportLine>, AppError> {
    use crate::server::{auth::require_caller, db};
    let caller = require_caller().await?;
    let lines = kynangso_data::import::uploads::recent(&db()?, caller.user_id).await?;
    Ok(lines
        .into_iter()
        .map(|(id, kind, file_name, status, at)| ImportLine {
            id: id.to_string(),
            kind,
            file_name,
            status,
            uploaded: kynangso_domain::format::datetime_vi(at),
        })
        .collect())
}

#[cfg(feature = "ssr")]
mod server {
    use super::ImportChoices;
    use crate::AppError;
    use kynangso_data::import::jobs::Options;
    use kynangso_domain::import::RegisterField;

    /// The caller, the database, the caller's own upload `id` (anyone else's is "not
    /// found") and the page's choices as options: what every import function starts with.
    pub async fn upload_of(
        id: &str,
        choices: &ImportChoices,
    ) -> Result<
        (
            kynangso_data::access::Caller,
            kynangso_data::DatabaseConnection,
            kynangso_data::entities::import_file::Model,
            Options,
        ),
        AppError,
    > {
        use crate::server::{auth::require_caller, db};
        let caller = require_caller().await?;
        let id = uuid::Uuid::parse_str(id.trim()).map_err(|_| AppError::NotFound)?;
        let options = options(choices)?;
        let db = db()?;
        let file = kynangso_data::import::uploads::load(&db, id, caller.user_id).await?;
        Ok((caller, db, file, options))
    }

    /// The page's choices as import options, each checked: a bad one is a 422 on its field.
    pub fn options(choices: &ImportChoices) -> Result<Options, AppError> {
        let bad = |field: &str, message: &str| AppError::invalid(field, message);
        let text = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
        };
        let columns = match text(&choices.cot) {
            None => None,
            Some(list) => Some(
                list.split(',')
                    .map(|code| match code.trim() {
                        "" => Ok(None),
                        code => RegisterField::parse(code).map(Some).ok_or(()),
                    })
                    .collect::<Result<Vec<_>, ()>>()
                    .map_err(|()| bad("cot", "Cách đọc cột không hợp lệ."))?,
            ),
        };
        let effective = match text(&choices.ngay) {
            None => None,
            Some(day) => Some(
                chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d")
                    .map_err(|_| bad("ngay", "Ngày hiệu lực không hợp lệ."))?,
            ),
        };
        let year = match text(&choices.nam) {
            None => None,
            Some(year) => Some(
                year.parse::<i32>()
                    .ok()
                    .filter(|y| (2000..=2100).contains(y))
                    .ok_or_else(|| bad("nam", "Năm gồm 4 chữ số, ví dụ 2025."))?,
            ),
        };
        let source_label = text(&choices.nguon);
        if source_label
            .as_ref()
            .is_some_and(|s| s.chars().count() > 300)
        {
            return Err(bad("nguon", "Nguồn dài tối đa 300 ký tự."));
        }
        Ok(Options {
            columns,
            effective,
            reorganisation: None,
            year,
            source_label,
        })
    }
}
