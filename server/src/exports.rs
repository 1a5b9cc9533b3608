//! File downloads: the province table and the trend (any signed-in role: counts only) and
//! a commune's participant register (its own team only; logged). Plain GET handlers
//! beside the server functions, with the same caller rules (`caller_of`).

mod reference;
mod sheet;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use kynangso_app::AppError;
use kynangso_app::server::auth::{AuthSettings, caller_of};
use kynangso_data::DatabaseConnection;
use kynangso_data::access::Caller;
use kynangso_domain::coverage::ReportQuery;
use kynangso_domain::coverage::{TARGETS, share_permille};
use serde::Deserialize;

pub use reference::reference_data;
pub use sheet::{Cell, Sheet};

/// The address's query, as the report pages write it.
#[derive(Debug, Default, Deserialize)]
pub struct Params {
    #[serde(flatten)]
    report: ReportQuery,
    /// The trend of one commune instead of the province.
    xa: Option<String>,
}

#[derive(Clone)]
pub struct ExportState {
    pub db: DatabaseConnection,
    pub auth: AuthSettings,
}

/// `/bao-cao/xuat/{file}`: `xa-phuong.csv|xlsx` or `xu-huong.csv|xlsx`.
pub async fn report(
    State(state): State<ExportState>,
    Path(file): Path<String>,
    Query(params): Query<Params>,
    request: axum::extract::Request,
) -> Response {
    let (parts, _) = request.into_parts();
    let outcome = async {
        caller_of(&state.db, &state.auth, &parts).await?;
        let (name, format) = split(&file)?;
        let resolved = resolve(&state.db, &params.report).await?;
        let sheet = match name {
            "xa-phuong" => communes_sheet(&state.db, &resolved).await?,
            "xu-huong" => trend_sheet(&state.db, &resolved, params.xa.as_deref()).await?,
            _ => return Err(AppError::NotFound),
        };
        Ok((sheet, format))
    }
    .await;
    respond(outcome)
}

/// `/bao-cao/{code}/xuat/nguoi-hoc.csv|xlsx`: the commune's register, for its own team.
pub async fn register(
    State(state): State<ExportState>,
    Path((code, file)): Path<(String, String)>,
    request: axum::extract::Request,
) -> Response {
    let (parts, _) = request.into_parts();
    let outcome = async {
        let caller = caller_of(&state.db, &state.auth, &parts).await?;
        let (name, format) = split(&file)?;
        let sheet = match name {
            "nguoi-hoc" => register_sheet(&state.db, &caller, &code).await?,
            "diem-danh" => attendance_sheet(&state.db, &caller, &code).await?,
            _ => return Err(AppError::NotFound),
        };
        Ok((sheet, format))
    }
    .await;
    respond(outcome)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Csv,
    Xlsx,
}

fn split(file: &str) -> Result<(&str, Format), AppError> {
    match file.rsplit_once('.') {
        Some((name, "csv")) => Ok((name, Format::Csv)),
        Some((name, "xlsx")) => Ok((name, Format::Xlsx)),
        _ => Err(AppError::NotFound),
    }
}

fn respond(outcome: Result<(Sheet, Format), AppError>) -> Response {
    let (sheet, format) = match outcome {
        Ok(ok) => ok,
        Err(error) => return error.into_response(),
    };
    let (bytes, content_type, extension) = match format {
        Format::Csv => (
            sheet.to_csv().map_err(|e| e.to_string()),
            "text/csv; charset=utf-8",
            "csv",
        ),
        Format::Xlsx => (
            sheet.to_xlsx().map_err(|e| e.to_string()),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
    };
    let bytes = match bytes {
        Ok(bytes) => bytes,
        Err(error) => {
            tracing::error!(%error, "writing a spreadsheet failed");
            return AppError::Internal.into_response();
        }
    };
    // The header carries an ASCII name; `filename*` the Vietnamese-free one too (RFC 6266).
    let ascii: String = kynangso_domain::text::search_key(sheet.title)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let disposition = format!("attachment; filename=\"kynangso-{ascii}.{extension}\"");
    let mut response = (StatusCode::OK, bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The report's basis, by the same rules as the pages (outside a Leptos request the
/// error's status is set by `respond`).
async fn resolve(
    db: &DatabaseConnection,
    query: &ReportQuery,
) -> Result<kynangso_data::coverage::Resolved, AppError> {
    let today = kynangso_domain::format::today_in_vietnam(chrono::Utc::now());
    kynangso_data::coverage::resolve_query(db, query, today)
        .await?
        .ok_or(AppError::NotFound)
}

fn percent(trained: u64, population: Option<u64>) -> Cell {
    share_permille(trained, population).map_or(Cell::Empty, |p| Cell::Percent(p as f64 / 10.0))
}

async fn communes_sheet(
    db: &DatabaseConnection,
    resolved: &kynangso_data::coverage::Resolved,
) -> Result<Sheet, AppError> {
    let report = kynangso_data::coverage::province_report(db, resolved).await?;
    let basis = &report.basis;
    let [by_2025, by_2030] = TARGETS;
    let rows = report
        .communes
        .iter()
        .map(|c| {
            let population = c.population.as_ref();
            vec![
                c.code.clone().into(),
                c.name.clone().into(),
                c.trained.into(),
                population.map(|p| p.count).into(),
                percent(c.trained, population.map(|p| p.count)),
                c.still_needed(by_2025).into(),
                c.still_needed(by_2030).into(),
                population.map(|p| p.year.to_string()).into(),
                population.map(|p| p.source.clone()).into(),
                basis.reference_date.format("%d/%m/%Y").to_string().into(),
                basis.rule_code.clone().into(),
                basis.curriculum_code.clone().into(),
            ]
        })
        .collect();
    Ok(Sheet {
        title: "Phổ cập theo xã",
        headers: vec![
            "Mã",
            "Xã, phường",
            "Đã tập huấn",
            "Dân số trong độ tuổi lao động",
            "Tỷ lệ (%)",
            "Cần thêm để trên 70 %",
            "Cần thêm để đạt 80 %",
            "Năm số dân",
            "Nguồn số dân",
            "Tính đến ngày",
            "Quy tắc độ tuổi",
            "Chương trình",
        ],
        rows,
    })
}

async fn trend_sheet(
    db: &DatabaseConnection,
    resolved: &kynangso_data::coverage::Resolved,
    commune: Option<&str>,
) -> Result<Sheet, AppError> {
    let unit = match commune {
        Some(code) => Some(
            kynangso_data::units::commune_level_units_on(db, resolved.basis.reference_date)
                .await?
                .into_iter()
                .find(|u| u.code == code)
                .ok_or(AppError::NotFound)?
                .id,
        ),
        None => None,
    };
    let points = kynangso_data::coverage::trend(db, resolved, unit, 12).await?;
    let rows = points
        .iter()
        .map(|p| {
            vec![
                p.on.format("%d/%m/%Y").to_string().into(),
                p.trained.into(),
                p.population.into(),
                percent(p.trained, p.population),
                resolved.basis.rule_code.clone().into(),
                resolved.basis.curriculum_code.clone().into(),
            ]
        })
        .collect();
    Ok(Sheet {
        title: "Diễn biến",
        headers: vec![
            "Ngày",
            "Đã tập huấn",
            "Dân số trong độ tuổi lao động",
            "Tỷ lệ (%)",
            "Quy tắc độ tuổi",
            "Chương trình",
        ],
        rows,
    })
}

/// The commune-level unit with `code` today.
async fn commune_today(db: &DatabaseConnection, code: &str) -> Result<uuid::Uuid, AppError> {
    let today = kynangso_domain::format::today_in_vietnam(chrono::Utc::now());
    Ok(kynangso_data::units::commune_level_units_on(db, today)
        .await?
        .into_iter()
        .find(|u| u.code == code)
        .ok_or(AppError::NotFound)?
        .id)
}

/// Who attended which session: the register with its training, in the columns the
/// register import reads sessions from (a round trip of paper registers).
async fn attendance_sheet(
    db: &DatabaseConnection,
    caller: &Caller,
    code: &str,
) -> Result<Sheet, AppError> {
    let unit = commune_today(db, code).await?;
    let lines = kynangso_data::participants::export::attendance_lines(db, caller, unit).await?;
    let mut headers = PERSON_HEADERS.to_vec();
    headers.extend(["Ngày tập huấn", "Nội dung"]);
    Ok(Sheet {
        title: "Điểm danh",
        headers,
        rows: lines
            .into_iter()
            .map(|l| {
                let mut row = person_cells(l.person);
                row.extend([l.day.into(), l.modules.into()]);
                row
            })
            .collect(),
    })
}

/// The person's columns of both registers: the headers the register import recognises
/// (`RegisterField::label_vi`), so the files go back in as they are.
const PERSON_HEADERS: [&str; 6] = [
    "Mã",
    "Họ và tên",
    "Giới tính",
    "Ngày sinh",
    "Thôn/Buôn",
    "Số điện thoại",
];

fn person_cells(l: kynangso_data::participants::export::RegisterLine) -> Vec<Cell> {
    vec![
        l.code.into(),
        l.full_name.into(),
        l.sex.into(),
        l.birth.into(),
        l.village.into(),
        l.phone.into(),
    ]
}

async fn register_sheet(
    db: &DatabaseConnection,
    caller: &Caller,
    code: &str,
) -> Result<Sheet, AppError> {
    let unit = commune_today(db, code).await?;
    let lines = kynangso_data::participants::export::register_lines(db, caller, unit).await?;
    let mut headers = PERSON_HEADERS.to_vec();
    headers.push("Hoàn thành ngày");
    Ok(Sheet {
        title: "Người học",
        headers,
        rows: lines
            .into_iter()
            .map(|l| {
                let completed = l.completed_on.clone();
                let mut row = person_cells(l);
                row.push(completed.into());
                row
            })
            .collect(),
    })
}
