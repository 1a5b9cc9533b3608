//! Comparing a read list with the units recorded ([`UnitIndex`]) and writing the
//! difference: the plan of what to insert, change and close as of the effective date,
//! and the writing of that plan. The plan is made in full before anything is written so
//! that the dry run shows exactly what applying does.

use std::collections::{HashMap, HashSet};

use chrono::{Days, NaiveDate, Utc};
use kynangso_domain::UnitKind;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::{Set, Unchanged},
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
};
use uuid::Uuid;

use super::index::{UnitIndex, is_district_level, is_valid_on, province_row};
use super::layout::List;
use crate::entities::admin_unit;
use crate::import::Report;

/// Rows per INSERT statement (10 columns: far below both engines' parameter limits).
const CHUNK: usize = 500;

// ---------------------------------------------------------------------------------------
// The plan

/// What applying a list changes; the dry run stops once it is made.
#[derive(Debug, Default)]
pub(super) struct Plan {
    pub(super) province_id: Uuid,
    pub(super) reorganise: bool,
    new_province: Option<admin_unit::Model>,
    /// Units that end the day before the list.
    close: Vec<Uuid>,
    new_districts: Vec<admin_unit::Model>,
    changed: Vec<admin_unit::Model>,
    new_communes: Vec<admin_unit::Model>,
}

/// A unit as the list wants it.
struct Wanted<'a> {
    code: &'a str,
    name: &'a str,
    name_en: Option<&'a str>,
    kind: UnitKind,
    parent: Uuid,
}

/// Compares the list with the units valid on `on` and counts what would change.
pub(super) fn plan(
    index: &UnitIndex,
    list: &List,
    province: &str,
    on: NaiveDate,
    reorganisation: Option<bool>,
    report: &mut Report,
) -> Plan {
    let new_province = match province_row(index, province, on) {
        Some(_) => None,
        None => {
            let name = list
                .province_name
                .clone()
                .unwrap_or_else(|| format!("Tỉnh {province}"));
            report.counts.new += 1;
            Some(new_unit(
                province,
                &name,
                None,
                UnitKind::Province,
                None,
                on,
                None,
            ))
        }
    };
    let current: Vec<&admin_unit::Model> = index
        .of_province(province)
        .filter(|u| is_valid_on(u, on))
        .collect();
    let mut plan = Plan {
        province_id: new_province
            .as_ref()
            .or_else(|| province_row(index, province, on))
            .map_or_else(Uuid::nil, |p| p.id),
        reorganise: reorganisation.unwrap_or_else(|| {
            list.districts.is_empty() && current.iter().any(|u| is_district_level(u))
        }),
        new_province,
        ..Plan::default()
    };
    // A list known to be older than rows already recorded ends where they begin.
    let next_list = index
        .of_province(province)
        .map(|u| u.valid_from)
        .filter(|d| *d > on)
        .min();
    let mut settle = Settle {
        index,
        on,
        reorganise: plan.reorganise,
        next_list,
        matched: HashSet::new(),
        replaced: Vec::new(),
    };
    let mut district_ids = HashMap::new();
    for (code, district) in &list.districts {
        let wanted = Wanted {
            code,
            name: &district.name,
            name_en: None,
            kind: district.kind,
            parent: plan.province_id,
        };
        let id = settle.unit(wanted, &mut plan.new_districts, &mut plan.changed, report);
        district_ids.insert(code.as_str(), id);
    }
    for (code, commune) in &list.communes {
        let parent = commune
            .district
            .as_deref()
            .and_then(|d| district_ids.get(d).copied())
            .unwrap_or(plan.province_id);
        let wanted = Wanted {
            code,
            name: &commune.name,
            name_en: commune.name_en.as_deref(),
            kind: commune.kind,
            parent,
        };
        settle.unit(wanted, &mut plan.new_communes, &mut plan.changed, report);
    }
    plan.close = closing(&settle, &current, list, on, report);
    report.counts.closed = plan.close.len() as u64;
    if plan.reorganise {
        report.warning(
            0,
            "",
            format!(
                "Sắp xếp lại đơn vị hành chính: {} đơn vị đang có của tỉnh kết thúc ngày {}, \
                 các đơn vị trong tệp bắt đầu từ ngày {} (kể cả khi dùng lại mã cũ).",
                plan.close.len(),
                day_before(on).format("%d/%m/%Y"),
                on.format("%d/%m/%Y")
            ),
        );
    }
    plan
}

/// Matches listed units with recorded ones, one at a time.
struct Settle<'a> {
    index: &'a UnitIndex,
    on: NaiveDate,
    reorganise: bool,
    next_list: Option<NaiveDate>,
    matched: HashSet<Uuid>,
    /// Units valid on the day that a reorganisation replaces by a new row of their code.
    replaced: Vec<Uuid>,
}

impl Settle<'_> {
    /// The recorded unit a listed code continues: the one valid on the day, unless a
    /// reorganisation replaces it (a unit that began on the day itself came from this
    /// very list, so importing it again matches it).
    fn existing(&mut self, code: &str) -> Option<&admin_unit::Model> {
        let unit = self
            .index
            .valid_on(code, self.on)
            .filter(|u| u.kind != UnitKind::Province.as_str())?;
        if self.reorganise && unit.valid_from < self.on {
            self.replaced.push(unit.id);
            return None;
        }
        Some(unit)
    }

    /// Settles one listed unit: unchanged, changed (pushed to `changed`) or new (pushed
    /// to `new`); returns its id.
    fn unit(
        &mut self,
        wanted: Wanted<'_>,
        new: &mut Vec<admin_unit::Model>,
        changed: &mut Vec<admin_unit::Model>,
        report: &mut Report,
    ) -> Uuid {
        let Some(unit) = self.existing(wanted.code).cloned() else {
            let valid_to = self.valid_to(wanted.code);
            let row = new_unit(
                wanted.code,
                wanted.name,
                wanted.name_en,
                wanted.kind,
                Some(wanted.parent),
                self.on,
                valid_to,
            );
            report.counts.new += 1;
            let id = row.id;
            new.push(row);
            return id;
        };
        self.matched.insert(unit.id);
        let name_en = wanted
            .name_en
            .map(str::to_owned)
            .or_else(|| unit.name_en.clone());
        let updated = admin_unit::Model {
            name: wanted.name.to_owned(),
            name_en,
            kind: wanted.kind.as_str().to_owned(),
            parent_id: Some(wanted.parent),
            ..unit.clone()
        };
        if updated == unit {
            report.counts.unchanged += 1;
        } else {
            report.counts.updated += 1;
            changed.push(updated);
        }
        unit.id
    }

    /// Where a new row ends: open, unless rows already recorded begin later (a later
    /// list of the province, or a later holder of the code): then the day before.
    fn valid_to(&self, code: &str) -> Option<NaiveDate> {
        let later_holder = self
            .index
            .with_code(code)
            .map(|u| u.valid_from)
            .filter(|d| *d > self.on)
            .min();
        [later_holder, self.next_list]
            .into_iter()
            .flatten()
            .min()
            .map(day_before)
    }
}

/// The units that end the day before the list: the province's units valid then that
/// the list no longer has (not those whose row was rejected), and in a reorganisation
/// every unit replaced by a new row.
fn closing(
    settle: &Settle<'_>,
    current: &[&admin_unit::Model],
    list: &List,
    on: NaiveDate,
    report: &mut Report,
) -> Vec<Uuid> {
    let mut close: Vec<Uuid> = settle.replaced.clone();
    let missing: Vec<Uuid> = current
        .iter()
        .filter(|u| !settle.matched.contains(&u.id) && !list.rejected_codes.contains(&u.code))
        .map(|u| u.id)
        .collect();
    if list.unreadable && !settle.reorganise {
        if !missing.is_empty() {
            report.warning(
                0,
                "",
                format!(
                    "Có dòng lỗi không đọc được mã, nên chưa đóng {} đơn vị không có trong tệp \
                     từ ngày {}. Hãy sửa các dòng lỗi rồi nhập lại.",
                    missing.len(),
                    on.format("%d/%m/%Y")
                ),
            );
        }
    } else {
        close.extend(missing);
    }
    close.sort();
    close.dedup();
    close
}

/// The day before (the last day of what a list or link ends).
pub(crate) fn day_before(day: NaiveDate) -> NaiveDate {
    day.checked_sub_days(Days::new(1)).unwrap_or(day)
}

fn new_unit(
    code: &str,
    name: &str,
    name_en: Option<&str>,
    kind: UnitKind,
    parent: Option<Uuid>,
    from: NaiveDate,
    to: Option<NaiveDate>,
) -> admin_unit::Model {
    let now = Utc::now();
    admin_unit::Model {
        id: kynangso_domain::new_id(),
        code: code.to_owned(),
        name: name.to_owned(),
        name_en: name_en.map(str::to_owned),
        kind: kind.as_str().to_owned(),
        parent_id: parent,
        valid_from: from,
        valid_to: to,
        created_at: now,
        updated_at: now,
    }
}

// ---------------------------------------------------------------------------------------
// Writing

/// Writes the plan: closes first (a reused code is free again), then districts before
/// the communes that name them.
pub(super) async fn apply<C: ConnectionTrait>(
    db: &C,
    plan: &Plan,
    on: NaiveDate,
) -> Result<(), DbErr> {
    let now = Utc::now();
    insert_all(db, plan.new_province.iter()).await?;
    for ids in plan.close.chunks(CHUNK) {
        admin_unit::Entity::update_many()
            .col_expr(admin_unit::Column::ValidTo, Expr::value(day_before(on)))
            .col_expr(admin_unit::Column::UpdatedAt, Expr::value(now))
            .filter(admin_unit::Column::Id.is_in(ids.iter().copied()))
            .exec(db)
            .await?;
    }
    insert_all(db, plan.new_districts.iter()).await?;
    for unit in &plan.changed {
        admin_unit::ActiveModel {
            id: Unchanged(unit.id),
            name: Set(unit.name.clone()),
            name_en: Set(unit.name_en.clone()),
            kind: Set(unit.kind.clone()),
            parent_id: Set(unit.parent_id),
            updated_at: Set(now),
            ..Default::default()
        }
        .update(db)
        .await?;
    }
    insert_all(db, plan.new_communes.iter()).await
}

async fn insert_all<'a, C: ConnectionTrait>(
    db: &C,
    units: impl Iterator<Item = &'a admin_unit::Model>,
) -> Result<(), DbErr> {
    let models: Vec<admin_unit::ActiveModel> = units.map(|u| active(u.clone())).collect();
    for chunk in models.chunks(CHUNK) {
        admin_unit::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

fn active(unit: admin_unit::Model) -> admin_unit::ActiveModel {
    admin_unit::ActiveModel {
        id: Set(unit.id),
        code: Set(unit.code),
        name: Set(unit.name),
        name_en: Set(unit.name_en),
        kind: Set(unit.kind),
        parent_id: Set(unit.parent_id),
        valid_from: Set(unit.valid_from),
        valid_to: Set(unit.valid_to),
        created_at: Set(unit.created_at),
        updated_at: Set(unit.updated_at),
    }
}
