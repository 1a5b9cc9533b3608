//! The units already recorded, read once and indexed by id and by code: what every
//! reference-data import (unit lists, successions, population) compares its file with.
//! Codes are reused across reforms, so lookups by code always name a day.

use std::collections::HashMap;

use chrono::NaiveDate;
use kynangso_domain::UnitKind;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::entities::admin_unit;

/// Every unit except villages, read once: what the reference-data imports compare a file
/// with. Villages are the communes' own business and never in these files.
pub(crate) struct UnitIndex {
    pub(super) units: Vec<admin_unit::Model>,
    by_id: HashMap<Uuid, usize>,
    by_code: HashMap<String, Vec<usize>>,
}

impl UnitIndex {
    pub(crate) async fn read<C: ConnectionTrait>(db: &C) -> Result<UnitIndex, DbErr> {
        let units = admin_unit::Entity::find()
            .filter(admin_unit::Column::Kind.ne(UnitKind::Village.as_str()))
            .all(db)
            .await?;
        let mut by_id = HashMap::with_capacity(units.len());
        let mut by_code: HashMap<String, Vec<usize>> = HashMap::with_capacity(units.len());
        for (i, unit) in units.iter().enumerate() {
            by_id.insert(unit.id, i);
            by_code.entry(unit.code.clone()).or_default().push(i);
        }
        Ok(UnitIndex {
            units,
            by_id,
            by_code,
        })
    }

    pub(crate) fn get(&self, id: Uuid) -> Option<&admin_unit::Model> {
        self.by_id.get(&id).map(|&i| &self.units[i])
    }

    /// Every row that has ever held `code`, in no particular order.
    pub(crate) fn with_code(&self, code: &str) -> impl Iterator<Item = &admin_unit::Model> {
        self.by_code
            .get(code)
            .into_iter()
            .flatten()
            .map(|&i| &self.units[i])
    }

    /// The unit holding `code` on `on` (codes are reused: never join on the code alone).
    pub(crate) fn valid_on(&self, code: &str, on: NaiveDate) -> Option<&admin_unit::Model> {
        self.with_code(code)
            .filter(|u| is_valid_on(u, on))
            .max_by_key(|u| u.valid_from)
    }

    /// The code of the province the unit lies in (its own code for a province).
    pub(crate) fn province_code_of(&self, id: Uuid) -> Option<&str> {
        let mut unit = self.get(id)?;
        // Province → district → commune: never deeper (villages are not read).
        for _ in 0..3 {
            if unit.kind == UnitKind::Province.as_str() {
                return Some(&unit.code);
            }
            unit = self.get(unit.parent_id?)?;
        }
        None
    }

    /// Every unit of the province but the province itself, over all time.
    pub(super) fn of_province<'a>(
        &'a self,
        code: &'a str,
    ) -> impl Iterator<Item = &'a admin_unit::Model> {
        self.units.iter().filter(move |u| {
            u.kind != UnitKind::Province.as_str() && self.province_code_of(u.id) == Some(code)
        })
    }
}

pub(crate) fn is_valid_on(unit: &admin_unit::Model, on: NaiveDate) -> bool {
    unit.valid_from <= on && unit.valid_to.is_none_or(|to| to >= on)
}

pub(crate) fn is_commune_level(unit: &admin_unit::Model) -> bool {
    UnitKind::parse(&unit.kind).is_some_and(UnitKind::is_commune_level)
}

pub(super) fn is_district_level(unit: &admin_unit::Model) -> bool {
    matches!(
        UnitKind::parse(&unit.kind),
        Some(UnitKind::District | UnitKind::Town | UnitKind::City)
    )
}

/// The province's row: the one valid on `on`, else its latest.
pub(super) fn province_row<'a>(
    index: &'a UnitIndex,
    code: &str,
    on: NaiveDate,
) -> Option<&'a admin_unit::Model> {
    let rows = || {
        index
            .with_code(code)
            .filter(|u| u.kind == UnitKind::Province.as_str())
    };
    rows()
        .filter(|u| is_valid_on(u, on))
        .max_by_key(|u| u.valid_from)
        .or_else(|| rows().max_by_key(|u| u.valid_from))
}
