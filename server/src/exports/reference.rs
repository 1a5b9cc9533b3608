//! Downloads of reference data: the province's unit list, its reform mapping and its
//! working-age population, in the very columns the imports read, so that a province can
//! correct a file in Excel and import it back (or move it to another installation).
//! Any signed-in role: units are public and the figures are aggregate counts.

use axum::extract::{Path, Query, State};
use axum::response::Response;
use chrono::NaiveDate;
use kynangso_app::AppError;
use kynangso_app::server::auth::caller_of;
use kynangso_data::DatabaseConnection;
use kynangso_data::entities::admin_unit;
use kynangso_data::import::{population, successions, units};
use kynangso_domain::UnitKind;
use sea_orm::EntityTrait;
use serde::Deserialize;
use uuid::Uuid;

use super::{Cell, ExportState, Sheet, respond, split};

/// `?ngay=yyyy-mm-dd`: the day the unit list is taken on (default today).
#[derive(Debug, Default, Deserialize)]
pub struct ReferenceParams {
    ngay: Option<String>,
}

/// `/du-lieu/xuat/{file}`: `don-vi`, `sap-xep-2025` or `dan-so`, as `.csv` or `.xlsx`,
/// for the caller's province.
pub async fn reference_data(
    State(state): State<ExportState>,
    Path(file): Path<String>,
    Query(params): Query<ReferenceParams>,
    request: axum::extract::Request,
) -> Response {
    let (parts, _) = request.into_parts();
    let outcome = async {
        let caller = caller_of(&state.db, &state.auth, &parts).await?;
        let (name, format) = split(&file)?;
        let province = province_of(&state.db, caller.scope_unit_id).await?;
        let sheet = match name {
            "don-vi" => units_sheet(&state.db, &province, day(&params)?).await?,
            "sap-xep-2025" => successions_sheet(&state.db, &province).await?,
            "dan-so" => population_sheet(&state.db, &province).await?,
            _ => return Err(AppError::NotFound),
        };
        Ok((sheet, format))
    }
    .await;
    respond(outcome)
}

fn day(params: &ReferenceParams) -> Result<NaiveDate, AppError> {
    match params.ngay.as_deref().filter(|d| !d.is_empty()) {
        None => Ok(kynangso_domain::format::today_in_vietnam(chrono::Utc::now())),
        Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
            AppError::invalid(
                "ngay",
                "Ngày ghi theo dạng năm-tháng-ngày, ví dụ 2025-07-01.",
            )
        }),
    }
}

/// The code of the province the caller's unit lies in (the unit itself for province
/// roles, the commune's province for commune roles).
async fn province_of(db: &DatabaseConnection, scope: Uuid) -> Result<String, AppError> {
    let mut next = Some(scope);
    // Province → district → commune → village: never deeper.
    for _ in 0..4 {
        let Some(id) = next else { break };
        let unit = admin_unit::Entity::find_by_id(id)
            .one(db)
            .await
            .map_err(kynangso_data::DataError::from)?
            .ok_or(AppError::NotFound)?;
        if unit.kind == UnitKind::Province.as_str() {
            return Ok(unit.code);
        }
        next = unit.parent_id;
    }
    Err(AppError::NotFound)
}

async fn units_sheet(
    db: &DatabaseConnection,
    province: &str,
    on: NaiveDate,
) -> Result<Sheet, AppError> {
    let rows = units::export_units(db, province, on).await?;
    Ok(Sheet {
        title: "Đơn vị hành chính",
        headers: units::UNIT_LIST_HEADERS.to_vec(),
        rows: rows
            .into_iter()
            .map(|row| row.into_iter().map(Cell::from).collect())
            .collect(),
    })
}

async fn successions_sheet(db: &DatabaseConnection, province: &str) -> Result<Sheet, AppError> {
    let rows = successions::export_successions(db, province).await?;
    Ok(Sheet {
        title: "Sắp xếp đơn vị",
        headers: successions::SUCCESSION_HEADERS.to_vec(),
        rows: rows
            .into_iter()
            .map(|row| row.into_iter().map(Cell::from).collect())
            .collect(),
    })
}

async fn population_sheet(db: &DatabaseConnection, province: &str) -> Result<Sheet, AppError> {
    let lines = population::export_population(db, province).await?;
    Ok(Sheet {
        title: "Dân số trong độ tuổi lao động",
        headers: population::POPULATION_HEADERS.to_vec(),
        rows: lines
            .into_iter()
            .map(|l| {
                vec![
                    l.code.into(),
                    l.name.into(),
                    Cell::Int(i64::from(l.year)),
                    Cell::Int(l.population),
                    l.source.into(),
                ]
            })
            .collect(),
    })
}
