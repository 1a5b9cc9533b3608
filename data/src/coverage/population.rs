//! Denominators: the working-age population of each unit for a year, entered by a province
//! administrator (or imported) with its source and the working-age rule it was counted
//! under. There are no official figures per new commune (DOMAIN.md), so the source is
//! always shown next to the figure.

use std::collections::HashMap;

use chrono::Utc;
use kynangso_domain::Role;
use kynangso_domain::coverage::Population;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    TransactionSession, TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use crate::access::Caller;
use crate::entities::{working_age_population, working_age_rule};
use crate::{DataError, audit};

/// Each unit's latest figure for `year` or an earlier year.
pub async fn latest_by_unit<C: ConnectionTrait>(
    db: &C,
    year: i32,
) -> Result<HashMap<Uuid, Population>, DataError> {
    Ok(History::read(db, year).await?.latest(year))
}

/// Every figure up to a year, read once, for a trend that needs several years.
pub struct History(Vec<working_age_population::Model>);

impl History {
    pub async fn read<C: ConnectionTrait>(db: &C, up_to: i32) -> Result<History, DataError> {
        Ok(History(
            working_age_population::Entity::find()
                .filter(working_age_population::Column::Year.lte(up_to))
                .order_by_asc(working_age_population::Column::Year)
                .all(db)
                .await?,
        ))
    }

    /// Each unit's latest figure for `year` or an earlier year.
    pub fn latest(&self, year: i32) -> HashMap<Uuid, Population> {
        let mut latest = HashMap::new();
        for row in self.0.iter().filter(|r| r.year <= year) {
            latest.insert(
                row.unit_id,
                Population {
                    count: u64::try_from(row.population).unwrap_or(0),
                    year: row.year,
                    source: row.source.clone(),
                },
            );
        }
        latest
    }
}

/// A figure as a province administrator enters it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PopulationEntry {
    pub unit_code: String,
    pub year: i32,
    pub population: i64,
    pub source: String,
    pub rule_code: String,
}

/// Sets a unit's figure for a year (replacing an earlier one; the audit log keeps both).
/// Province administrators only. Setting the same figure again changes nothing.
pub async fn set_population<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    caller: &Caller,
    entry: PopulationEntry,
) -> Result<(), DataError> {
    if caller.role != Role::ProvinceAdmin {
        return Err(DataError::Forbidden);
    }
    let field = |field: &'static str, message: &str| DataError::InvalidField {
        field,
        message: message.to_owned(),
    };
    if !(2000..=2100).contains(&entry.year) {
        return Err(field("year", "Năm phải từ 2000 đến 2100."));
    }
    if !(0..=10_000_000).contains(&entry.population) {
        return Err(field("population", "Dân số phải từ 0 đến 10.000.000."));
    }
    let source = entry.source.trim();
    if source.is_empty() {
        return Err(field("source", "Hãy ghi nguồn của số liệu."));
    }
    if source.chars().count() > 300 {
        return Err(field("source", "Nguồn quá dài (tối đa 300 ký tự)."));
    }
    // Codes are reused across reforms (new Xã Hòa Phú has old Xã Hòa Khánh's code): the
    // figure is for the unit that holds the code now.
    let today = kynangso_domain::format::today_in_vietnam(Utc::now());
    let unit = crate::units::commune_level_units_on(db, today)
        .await?
        .into_iter()
        .find(|u| u.code == entry.unit_code.trim())
        .ok_or_else(|| field("unit_code", "Không có xã, phường với mã này."))?;
    let rule = working_age_rule::Entity::find()
        .filter(working_age_rule::Column::Code.eq(entry.rule_code.trim()))
        .one(db)
        .await?
        .ok_or_else(|| field("rule_code", "Không có quy tắc độ tuổi này."))?;

    let txn = db.begin().await?;
    let before = working_age_population::Entity::find()
        .filter(working_age_population::Column::UnitId.eq(unit.id))
        .filter(working_age_population::Column::Year.eq(entry.year))
        .one(&txn)
        .await?;
    if before.as_ref().is_some_and(|b| {
        b.population == entry.population && b.source == source && b.rule_id == Some(rule.id)
    }) {
        return Ok(());
    }
    let now = Utc::now();
    working_age_population::Entity::insert(working_age_population::ActiveModel {
        id: Set(kynangso_domain::new_id()),
        unit_id: Set(unit.id),
        year: Set(entry.year),
        population: Set(entry.population),
        source: Set(source.to_owned()),
        rule_id: Set(Some(rule.id)),
        entered_by: Set(Some(caller.user_id)),
        created_at: Set(now),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([
            working_age_population::Column::UnitId,
            working_age_population::Column::Year,
        ])
        .update_columns([
            working_age_population::Column::Population,
            working_age_population::Column::Source,
            working_age_population::Column::RuleId,
            working_age_population::Column::EnteredBy,
            working_age_population::Column::UpdatedAt,
        ])
        .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    audit::record(
        &txn,
        audit::AuditEntry {
            actor_user_id: Some(caller.user_id),
            action: "set_population",
            entity: "working_age_population",
            entity_id: Some(format!("{}/{}", unit.code, entry.year)),
            scope_unit_id: Some(unit.id),
            before: before.map(|b| json!({ "population": b.population, "source": b.source })),
            after: Some(
                json!({ "population": entry.population, "source": source, "rule": rule.code }),
            ),
            client: caller.client.clone(),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// (code, name) of every working-age rule, oldest first.
pub async fn rules<C: ConnectionTrait>(db: &C) -> Result<Vec<(String, String)>, DataError> {
    Ok(working_age_rule::Entity::find()
        .order_by_asc(working_age_rule::Column::CreatedAt)
        .order_by_asc(working_age_rule::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.code, r.name))
        .collect())
}
