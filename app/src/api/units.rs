//! Administrative units: public reference data published by the statistics office.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::AppError;

/// A commune-level unit as the pages show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommuneSummary {
    pub code: String,
    pub name: String,
    pub kind_label: String,
}

/// The communes and wards valid today. Public: unit lists carry no personal data.
#[server(endpoint = "units/communes")]
pub async fn list_communes() -> Result<Vec<CommuneSummary>, AppError> {
    use crate::server::db;
    use kynangso_domain::UnitKind;

    let db = db()?;
    let today = chrono::Utc::now().date_naive();
    let units = kynangso_data::units::commune_level_units_on(&db, today).await?;
    Ok(units
        .into_iter()
        .map(|u| CommuneSummary {
            kind_label: UnitKind::parse(&u.kind)
                .map_or("", UnitKind::label_vi)
                .to_owned(),
            code: u.code,
            name: u.name,
        })
        .collect())
}
