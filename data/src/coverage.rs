//! The indicator's numerator: people of working age on a reference date who have completed
//! the current curriculum by that date, counted once each, in the unit that exists now.
//!
//! A live computation over the records (no stored totals yet), so it is right while
//! attendance is being written: each call reads one consistent snapshot of the rows it
//! needs. Rolling up:
//! - a merged duplicate counts as the record it was merged into (and so only once);
//! - a record under a unit that was later absorbed counts in the absorbing unit, following
//!   `unit_succession` rows with `coverage = "full"`; records under a unit that was split
//!   (`partial`) cannot be placed by the unit alone and are reported as `unplaced`.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use kynangso_domain::attendance::AttendanceStatus;
use kynangso_domain::completion::CompletionRule;
use kynangso_domain::format::today_in_vietnam;
use kynangso_domain::person::Sex;
use kynangso_domain::working_age::{Birth, WorkingAgeRule};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::DataError;
use crate::entities::{attendance, participant, session_module, training_session, unit_succession};

/// Trained people of working age, by the unit that exists now.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrainedCounts {
    pub by_unit: BTreeMap<Uuid, u64>,
    /// Trained people recorded under a split unit, which the unit alone cannot place.
    pub unplaced: u64,
    /// The curriculum version whose rule was applied.
    pub curriculum_version_id: Uuid,
}

/// Counts, for the current curriculum, everyone trained and of working age on `on`.
/// `None` when no curriculum is published.
pub async fn trained_by_unit<C: ConnectionTrait>(
    db: &C,
    on: NaiveDate,
    working_age: &WorkingAgeRule,
) -> Result<Option<TrainedCounts>, DataError> {
    let Some((version, modules)) = crate::training::current_curriculum(db).await? else {
        return Ok(None);
    };
    let rule: CompletionRule = serde_json::from_str(&version.completion_rule)
        .map_err(|e| DataError::Invalid(format!("curriculum {}: {e}", version.code)))?;

    // Sessions of this curriculum held by the reference date, with their modules.
    let sessions: HashSet<Uuid> = training_session::Entity::find()
        .filter(training_session::Column::CurriculumVersionId.eq(version.id))
        .filter(training_session::Column::CancelledAt.is_null())
        .all(db)
        .await?
        .into_iter()
        .filter(|s| today_in_vietnam(s.starts_at) <= on)
        .map(|s| s.id)
        .collect();
    let mut covers: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for link in session_module::Entity::find().all(db).await? {
        if sessions.contains(&link.session_id) {
            covers
                .entry(link.session_id)
                .or_default()
                .push(link.module_id);
        }
    }

    let people: HashMap<Uuid, participant::Model> = participant::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let kept = |id: Uuid| people.get(&id).and_then(|p| p.merged_into_id).unwrap_or(id);

    let mut attended: HashMap<Uuid, Vec<(AttendanceStatus, Vec<Uuid>)>> = HashMap::new();
    for row in attendance::Entity::find().all(db).await? {
        let (Some(status), Some(modules)) = (
            AttendanceStatus::parse(&row.status),
            covers.get(&row.session_id),
        ) else {
            continue;
        };
        attended
            .entry(kept(row.participant_id))
            .or_default()
            .push((status, modules.clone()));
    }

    let successor = successors(db).await?;
    let mut counts = TrainedCounts {
        curriculum_version_id: version.id,
        ..Default::default()
    };
    for (person_id, sessions) in attended {
        let Some(person) = people.get(&person_id) else {
            continue;
        };
        if !rule.progress(&version.name, &modules, &sessions).complete {
            continue;
        }
        let birth = person
            .birth_date
            .map_or(Birth::Year(person.birth_year), Birth::Date);
        let sex = Sex::parse(&person.sex).unwrap_or(Sex::Unknown);
        if !working_age.includes(birth, sex, on) {
            continue;
        }
        match current_unit(&successor, person.home_unit_id) {
            Some(unit) => *counts.by_unit.entry(unit).or_default() += 1,
            None => counts.unplaced += 1,
        }
    }
    Ok(Some(counts))
}

/// Where each absorbed unit went: `Some(successor)` for a full absorption, `None` for a
/// unit that was split between several.
async fn successors<C: ConnectionTrait>(db: &C) -> Result<HashMap<Uuid, Option<Uuid>>, DataError> {
    let mut map = HashMap::new();
    for row in unit_succession::Entity::find().all(db).await? {
        let target = (row.coverage == "full").then_some(row.successor_id);
        map.insert(row.predecessor_id, target);
    }
    Ok(map)
}

/// Follows full absorptions to the unit that exists now (a few steps at most: 2024 and
/// 2025 reforms); `None` when the trail reaches a split unit.
fn current_unit(successor: &HashMap<Uuid, Option<Uuid>>, mut unit: Uuid) -> Option<Uuid> {
    for _ in 0..8 {
        match successor.get(&unit) {
            None => return Some(unit),
            Some(Some(next)) => unit = *next,
            Some(None) => return None,
        }
    }
    Some(unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absorbed_units_roll_up_and_split_ones_stay_unplaced() {
        let (a, b, c, split) = (
            Uuid::from_u128(1),
            Uuid::from_u128(2),
            Uuid::from_u128(3),
            Uuid::from_u128(4),
        );
        let successor = HashMap::from([(a, Some(b)), (b, Some(c)), (split, None)]);
        assert_eq!(current_unit(&successor, a), Some(c), "two reforms in a row");
        assert_eq!(current_unit(&successor, c), Some(c));
        assert_eq!(current_unit(&successor, split), None);
    }
}
