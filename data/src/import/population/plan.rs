//! The plan of a population import: each figure matched to the commune-level unit that
//! held its code in its year, checked against the figures already recorded (new,
//! changed or unchanged), and written in one transaction by the caller.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use kynangso_domain::text::search_key;
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::{Set, Unchanged},
    ConnectionTrait, DbErr, EntityTrait,
};
use uuid::Uuid;

use super::read::{Columns, Figure};
use crate::entities::{admin_unit, working_age_population};
use crate::import::Report;
use crate::import::units::{UnitIndex, is_commune_level};

#[derive(Debug, Default)]
pub(super) struct Plan {
    pub(super) new: Vec<working_age_population::Model>,
    pub(super) changed: Vec<working_age_population::Model>,
}

pub(super) fn plan(
    index: &UnitIndex,
    existing: Vec<working_age_population::Model>,
    figures: Vec<Figure>,
    columns: &Columns,
    actor: Option<Uuid>,
    report: &mut Report,
) -> Plan {
    let mut existing: HashMap<(Uuid, i32), working_age_population::Model> = existing
        .into_iter()
        .map(|p| ((p.unit_id, p.year), p))
        .collect();
    let mut seen: HashMap<(Uuid, i32), u64> = HashMap::new();
    let mut plan = Plan::default();
    let code_column = columns.header(columns.code);
    for figure in figures {
        let Some(unit) = unit_for(index, &figure.code, figure.year) else {
            let named = if figure.name.is_empty() {
                String::new()
            } else {
                format!(" ({})", figure.name)
            };
            let message = format!(
                "Không có xã, phường mã {}{named} trong năm {}.",
                figure.code, figure.year
            );
            report.error(figure.row, code_column, message);
            report.counts.rejected += 1;
            continue;
        };
        if let Some(earlier) = seen.insert((unit.id, figure.year), figure.row) {
            let message = format!(
                "Mã {} năm {} đã có ở dòng {earlier}; dòng này bị bỏ qua.",
                figure.code, figure.year
            );
            report.error(figure.row, code_column, message);
            report.counts.rejected += 1;
            continue;
        }
        if !same_name(&figure.name, &unit.name) {
            let message = format!(
                "Tên trong tệp \"{}\" khác tên của mã {}: \"{}\". Hãy kiểm tra mã.",
                figure.name, figure.code, unit.name
            );
            let column = columns.name.map_or(code_column, |i| columns.header(i));
            report.warning(figure.row, column, message);
        }
        settle(
            &mut plan,
            existing.remove(&(unit.id, figure.year)),
            unit,
            figure,
            actor,
            report,
        );
    }
    plan
}

/// Counts one figure and adds it to the plan when it is new or different.
fn settle(
    plan: &mut Plan,
    before: Option<working_age_population::Model>,
    unit: &admin_unit::Model,
    figure: Figure,
    actor: Option<Uuid>,
    report: &mut Report,
) {
    let now = Utc::now();
    match before {
        Some(b) if b.population == figure.population && b.source == figure.source => {
            report.counts.unchanged += 1;
        }
        // The file says nothing of the working-age rule: the recorded one stays.
        Some(b) => {
            report.counts.updated += 1;
            plan.changed.push(working_age_population::Model {
                population: figure.population,
                source: figure.source,
                entered_by: actor,
                updated_at: now,
                ..b
            });
        }
        None => {
            report.counts.new += 1;
            plan.new.push(working_age_population::Model {
                id: kynangso_domain::new_id(),
                unit_id: unit.id,
                year: figure.year,
                population: figure.population,
                source: figure.source,
                rule_id: None,
                entered_by: actor,
                created_at: now,
                updated_at: now,
            });
        }
    }
}

/// The commune-level unit holding the code on 1 July of the year, else on 31 December.
fn unit_for<'i>(index: &'i UnitIndex, code: &str, year: i32) -> Option<&'i admin_unit::Model> {
    [(7, 1), (12, 31)].into_iter().find_map(|(month, day)| {
        let on = NaiveDate::from_ymd_opt(year, month, day)?;
        index.valid_on(code, on).filter(|u| is_commune_level(u))
    })
}

/// Whether a name in the file is the unit's, ignoring accents, case and the kind word
/// ("Hòa Phú" is "Xã Hoà Phú"). An empty name says nothing.
fn same_name(file: &str, unit: &str) -> bool {
    let (file, unit) = (search_key(file), search_key(unit));
    file.is_empty() || unit == file || unit.ends_with(&format!(" {file}"))
}

pub(super) async fn apply<C: ConnectionTrait>(db: &C, plan: &Plan) -> Result<(), DbErr> {
    for chunk in plan.new.chunks(500) {
        working_age_population::Entity::insert_many(chunk.iter().map(|p| {
            working_age_population::ActiveModel {
                id: Set(p.id),
                unit_id: Set(p.unit_id),
                year: Set(p.year),
                population: Set(p.population),
                source: Set(p.source.clone()),
                rule_id: Set(p.rule_id),
                entered_by: Set(p.entered_by),
                created_at: Set(p.created_at),
                updated_at: Set(p.updated_at),
            }
        }))
        .exec_without_returning(db)
        .await?;
    }
    for figure in &plan.changed {
        working_age_population::ActiveModel {
            id: Unchanged(figure.id),
            population: Set(figure.population),
            source: Set(figure.source.clone()),
            entered_by: Set(figure.entered_by),
            updated_at: Set(figure.updated_at),
            ..Default::default()
        }
        .update(db)
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_compare_without_accents_or_the_kind_word() {
        assert!(same_name("Hòa Phú", "Xã Hoà Phú"));
        assert!(same_name("XÃ HÒA PHÚ", "Xã Hòa Phú"));
        assert!(same_name("", "Xã Hòa Phú"));
        assert!(!same_name("Hòa Khánh", "Xã Hòa Phú"));
    }
}
