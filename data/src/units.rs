//! Reads of administrative units. Units are public reference data (the statistics
//! office publishes them), so these reads need no personal-data scope.

use chrono::NaiveDate;
use sea_orm::sea_query::ExprTrait;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use kynangso_domain::UnitKind;

use crate::DataError;
use crate::entities::admin_unit;

/// A unit as the rest of the server sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitRow {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub parent_id: Option<Uuid>,
}

impl From<admin_unit::Model> for UnitRow {
    fn from(m: admin_unit::Model) -> Self {
        UnitRow {
            id: m.id,
            code: m.code,
            name: m.name,
            kind: m.kind,
            parent_id: m.parent_id,
        }
    }
}

/// The commune-level units (communes, wards, townships) valid on `on`, by name.
#[tracing::instrument(skip(db))]
pub async fn commune_level_units_on<C: ConnectionTrait>(
    db: &C,
    on: NaiveDate,
) -> Result<Vec<UnitRow>, DataError> {
    let rows = admin_unit::Entity::find()
        .filter(
            admin_unit::Column::Kind.is_in(
                UnitKind::ALL
                    .into_iter()
                    .filter(|k| k.is_commune_level())
                    .map(UnitKind::as_str),
            ),
        )
        .filter(admin_unit::Column::ValidFrom.lte(on))
        .filter(
            admin_unit::Column::ValidTo
                .is_null()
                .or(admin_unit::Column::ValidTo.gte(on)),
        )
        .order_by_asc(admin_unit::Column::Name)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(UnitRow::from).collect())
}

/// A commune's name and its current villages, by name.
pub async fn commune_and_villages<C: ConnectionTrait>(
    db: &C,
    commune: Uuid,
) -> Result<(String, Vec<(Uuid, String)>), DataError> {
    let name = admin_unit::Entity::find_by_id(commune)
        .one(db)
        .await?
        .ok_or(DataError::NotFound { what: "unit" })?
        .name;
    let villages = admin_unit::Entity::find()
        .filter(admin_unit::Column::ParentId.eq(commune))
        .filter(admin_unit::Column::Kind.eq(UnitKind::Village.as_str()))
        .filter(admin_unit::Column::ValidTo.is_null())
        .order_by_asc(admin_unit::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .map(|v| (v.id, v.name))
        .collect();
    Ok((name, villages))
}

/// The names of the villages `ids`, by id.
pub async fn village_names<C: ConnectionTrait>(
    db: &C,
    ids: impl Iterator<Item = Uuid>,
) -> Result<std::collections::HashMap<Uuid, String>, DataError> {
    let ids: Vec<Uuid> = ids.collect();
    if ids.is_empty() {
        return Ok(Default::default());
    }
    Ok(admin_unit::Entity::find()
        .filter(admin_unit::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect())
}
