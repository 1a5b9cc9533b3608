//! The plan of a mapping import: each link's old code resolved to the unit valid the day
//! before the link takes effect and its new code to the unit valid on that day (codes
//! are reused across reforms), checked against the links recorded, and written by the
//! caller's transaction.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::{Set, Unchanged},
    ConnectionTrait, DbErr, EntityTrait,
};
use uuid::Uuid;

use super::read::{Columns, Link};
use crate::entities::{admin_unit, unit_succession};
use crate::import::Report;
use crate::import::units::{UnitIndex, day_before};

#[derive(Debug, Default)]
pub(super) struct Plan {
    pub(super) new: Vec<unit_succession::Model>,
    pub(super) changed: Vec<unit_succession::Model>,
}

pub(super) fn plan(
    index: &UnitIndex,
    existing: Vec<unit_succession::Model>,
    links: Vec<Link>,
    columns: &Columns,
    report: &mut Report,
) -> Plan {
    let mut existing: HashMap<(Uuid, Uuid), unit_succession::Model> = existing
        .into_iter()
        .map(|s| ((s.predecessor_id, s.successor_id), s))
        .collect();
    let mut seen: HashMap<(Uuid, Uuid), u64> = HashMap::new();
    let mut plan = Plan::default();
    for link in links {
        let (old, new) = match resolve(index, &link) {
            Ok(pair) => pair,
            Err((column, message)) => {
                let column = columns.header(if column == Side::Old {
                    columns.old
                } else {
                    columns.new
                });
                report.error(link.row, column, message);
                report.counts.rejected += 1;
                continue;
            }
        };
        let key = (old.id, new.id);
        if let Some(earlier) = seen.insert(key, link.row) {
            let message = format!(
                "Liên kết {} → {} đã có ở dòng {earlier}.",
                link.old, link.new
            );
            report.error(link.row, columns.header(columns.new), message);
            report.counts.rejected += 1;
            continue;
        }
        match existing.remove(&key) {
            Some(before) => {
                let after = unit_succession::Model {
                    coverage: link.coverage.to_owned(),
                    effective_date: link.date,
                    // Without a basis in the file or the options, the recorded one stays.
                    legal_basis: link.basis.or_else(|| before.legal_basis.clone()),
                    ..before.clone()
                };
                if after == before {
                    report.counts.unchanged += 1;
                } else {
                    report.counts.updated += 1;
                    plan.changed.push(after);
                }
            }
            None => {
                report.counts.new += 1;
                plan.new.push(unit_succession::Model {
                    id: kynangso_domain::new_id(),
                    predecessor_id: old.id,
                    successor_id: new.id,
                    coverage: link.coverage.to_owned(),
                    effective_date: link.date,
                    legal_basis: link.basis,
                    created_at: Utc::now(),
                });
            }
        }
    }
    plan
}

/// Which code of a link a problem is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Old,
    New,
}

/// The old unit (valid the day before the link) and the new one (valid on its day).
fn resolve<'i>(
    index: &'i UnitIndex,
    link: &Link,
) -> Result<(&'i admin_unit::Model, &'i admin_unit::Model), (Side, String)> {
    let before = day_before(link.date);
    let old = index.valid_on(&link.old, before).ok_or_else(|| {
        (Side::Old, format!(
            "Không có đơn vị mã {} vào ngày {} (trước ngày hiệu lực); hãy nhập danh mục cũ trước.",
            link.old,
            before.format("%d/%m/%Y")
        ))
    })?;
    let new = index.valid_on(&link.new, link.date).ok_or_else(|| {
        (
            Side::New,
            format!(
                "Không có đơn vị mã {} vào ngày {}; hãy nhập danh mục mới trước.",
                link.new,
                link.date.format("%d/%m/%Y")
            ),
        )
    })?;
    if old.id == new.id {
        return Err((
            Side::New,
            format!(
                "Mã {} trước và sau ngày {} là cùng một đơn vị: chưa nhập danh mục mới với sắp xếp lại?",
                link.old,
                link.date.format("%d/%m/%Y")
            ),
        ));
    }
    Ok((old, new))
}

pub(super) async fn apply<C: ConnectionTrait>(db: &C, plan: &Plan) -> Result<(), DbErr> {
    for chunk in plan.new.chunks(500) {
        unit_succession::Entity::insert_many(chunk.iter().map(|s| unit_succession::ActiveModel {
            id: Set(s.id),
            predecessor_id: Set(s.predecessor_id),
            successor_id: Set(s.successor_id),
            coverage: Set(s.coverage.clone()),
            effective_date: Set(s.effective_date),
            legal_basis: Set(s.legal_basis.clone()),
            created_at: Set(s.created_at),
        }))
        .exec_without_returning(db)
        .await?;
    }
    for link in &plan.changed {
        unit_succession::ActiveModel {
            id: Unchanged(link.id),
            coverage: Set(link.coverage.clone()),
            effective_date: Set(link.effective_date),
            legal_basis: Set(link.legal_basis.clone()),
            ..Default::default()
        }
        .update(db)
        .await?;
    }
    Ok(())
}
