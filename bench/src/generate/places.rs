//! The synthetic province's places: the province, its communes and wards (the real 2025
//! list when given, else generated names) and ten villages each.

use std::collections::HashMap;
use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use kynangso_data::entities::admin_unit;
use rand::rngs::StdRng;
use sea_orm::ActiveValue::Set;
use uuid::Uuid;

use super::{Plan, id};

/// The unit rows to insert, and the communes (id, name) with their villages.
pub(super) struct Places {
    pub rows: Vec<admin_unit::ActiveModel>,
    pub communes: Vec<(Uuid, String)>,
    pub villages: HashMap<Uuid, Vec<Uuid>>,
}

pub(super) fn places(
    rng: &mut StdRng,
    plan: &Plan,
    now: DateTime<Utc>,
    base_millis: u64,
) -> Places {
    let reform = NaiveDate::from_ymd_opt(2025, 7, 1).unwrap_or_default();
    let unit_row = |id, code: String, name: String, kind: &str, parent| admin_unit::ActiveModel {
        id: Set(id),
        code: Set(code),
        name: Set(name),
        name_en: Set(None),
        kind: Set(kind.to_owned()),
        parent_id: Set(parent),
        valid_from: Set(reform),
        valid_to: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    };
    let province = id(rng, base_millis);
    let mut units = vec![unit_row(
        province,
        "66".into(),
        "Tỉnh Đắk Lắk".into(),
        "province",
        None,
    )];
    let mut communes = Vec::new();
    let mut villages: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for (code, name, kind) in unit_list(plan) {
        let commune = id(rng, base_millis);
        units.push(unit_row(
            commune,
            code.clone(),
            name.clone(),
            kind,
            Some(province),
        ));
        for v in 1..=10 {
            let village = id(rng, base_millis);
            units.push(unit_row(
                village,
                format!("{code}-T{v:03}"),
                format!("Thôn {v}"),
                "village",
                Some(commune),
            ));
            villages.entry(commune).or_default().push(village);
        }
        communes.push((commune, name));
    }
    Places {
        rows: units,
        communes,
        villages,
    }
}

fn unit_list(plan: &Plan) -> Vec<(String, String, &'static str)> {
    if let Some(list) = plan
        .units_csv
        .as_deref()
        .filter(|p| p.exists())
        .and_then(|p| read_units(p).ok())
    {
        return list;
    }
    (0..102)
        .map(|i| {
            (
                format!("{:05}", 90_000 + i),
                format!("Xã Thử Nghiệm {}", i + 1),
                "commune",
            )
        })
        .collect()
}

fn read_units(path: &Path) -> anyhow::Result<Vec<(String, String, &'static str)>> {
    let mut reader = csv::Reader::from_path(path)?;
    let mut out = Vec::new();
    for row in reader.records() {
        let row = row?;
        let kind = if row.get(2) == Some("Phường") {
            "ward"
        } else {
            "commune"
        };
        out.push((
            row.get(0).unwrap_or_default().to_owned(),
            row.get(1).unwrap_or_default().to_owned(),
            kind,
        ));
    }
    Ok(out)
}
