//! A commune's page: its figures by village, its sessions and trainers, the module mix,
//! the digital profile of the people met, the trend, and, for its own team only, who still
//! misses required modules.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{Datelike, Days, NaiveTime};
use kynangso_domain::Role;
use kynangso_domain::attendance::AttendanceStatus;
use kynangso_domain::coverage::{
    CommuneCoverage, CommuneReport, ModuleMix, ProfileShares, StillMissing, TrainerActivity,
    VillageCount,
};
use kynangso_domain::format::vietnam_offset;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

use super::population::latest_by_unit;
use super::{Resolved, Successors, trend, working_age_condition};
use crate::DataError;
use crate::access::Caller;
use crate::entities::{
    admin_unit, attendance, citizen_profile, participant, session_trainer, team_member,
    trained_person, training_session,
};

/// The page of the commune or ward with `code` as of the reference date. Any signed-in
/// role may read the counts; the list of names goes only to the commune's own team.
pub async fn commune_report(
    db: &DatabaseConnection,
    caller: &Caller,
    code: &str,
    resolved: &Resolved,
) -> Result<CommuneReport, DataError> {
    let on = resolved.basis.reference_date;
    let unit = crate::units::commune_level_units_on(db, on)
        .await?
        .into_iter()
        .find(|u| u.code == code)
        .ok_or(DataError::NotFound { what: "unit" })?;
    let units = Successors::in_effect(db, on).await?.absorbed_into(unit.id);
    let population = latest_by_unit(db, on.year()).await?.remove(&unit.id);

    let villages = villages(db, resolved, &units).await?;
    let trained = villages.iter().map(|v| v.trained).sum();
    let sessions = sessions_held(db, resolved, &units).await?;
    let attended = attended_per_session(db, &sessions).await?;
    let own_team = matches!(caller.role, Role::CommuneLead | Role::TeamMember)
        && caller.scope_unit_id == unit.id;
    let still_missing = if own_team {
        Some(still_missing(db, resolved, &units, &sessions).await?)
    } else {
        None
    };
    Ok(CommuneReport {
        basis: resolved.basis.clone(),
        line: CommuneCoverage {
            code: unit.code,
            name: unit.name,
            trained,
            population,
        },
        villages,
        sessions_held: sessions.len() as u64,
        trainers: trainers(db, &sessions, &attended).await?,
        modules: module_mix(db, resolved, &sessions, &attended).await?,
        profile: profile_shares(db, &units).await?,
        trend: trend(db, resolved, Some(unit.id), 12).await?,
        still_missing,
    })
}

/// Trained people and people recorded, per village (`None`: no village recorded).
async fn villages<C: ConnectionTrait>(
    db: &C,
    resolved: &Resolved,
    units: &[Uuid],
) -> Result<Vec<VillageCount>, DataError> {
    let on = resolved.basis.reference_date;
    let mut by_village: BTreeMap<Option<Uuid>, (u64, u64)> = BTreeMap::new();
    if let Some(ages) = working_age_condition(&resolved.rule, on) {
        let trained: Vec<(Option<Uuid>, i64)> = trained_person::Entity::find()
            .select_only()
            .column(trained_person::Column::VillageId)
            .column_as(trained_person::Column::ParticipantId.count(), "n")
            .filter(trained_person::Column::CurriculumVersionId.eq(resolved.version_id))
            .filter(trained_person::Column::CompletedOn.lte(on))
            .filter(trained_person::Column::HomeUnitId.is_in(units.iter().copied()))
            .filter(ages)
            .group_by(trained_person::Column::VillageId)
            .into_tuple()
            .all(db)
            .await?;
        for (village, n) in trained {
            by_village.entry(village).or_default().0 = n as u64;
        }
    }
    let recorded: Vec<(Option<Uuid>, i64)> = participant::Entity::find()
        .select_only()
        .column(participant::Column::VillageId)
        .column_as(participant::Column::Id.count(), "n")
        .filter(participant::Column::HomeUnitId.is_in(units.iter().copied()))
        .filter(participant::Column::MergedIntoId.is_null())
        .group_by(participant::Column::VillageId)
        .into_tuple()
        .all(db)
        .await?;
    for (village, n) in recorded {
        by_village.entry(village).or_default().1 = n as u64;
    }
    let names: HashMap<Uuid, String> = admin_unit::Entity::find()
        .filter(admin_unit::Column::Id.is_in(by_village.keys().flatten().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    let mut rows: Vec<VillageCount> = by_village
        .into_iter()
        .map(|(village, (trained, participants))| VillageCount {
            name: village.and_then(|v| names.get(&v).cloned()),
            trained,
            participants,
        })
        .collect();
    // Villages by name, "no village" last.
    rows.sort_by(|a, b| (a.name.is_none(), &a.name).cmp(&(b.name.is_none(), &b.name)));
    Ok(rows)
}

/// Sessions of the version held in these units by the end of the reference date.
async fn sessions_held<C: ConnectionTrait>(
    db: &C,
    resolved: &Resolved,
    units: &[Uuid],
) -> Result<Vec<training_session::Model>, DataError> {
    let next_day = resolved.basis.reference_date + Days::new(1);
    let end = next_day
        .and_time(NaiveTime::MIN)
        .and_local_timezone(vietnam_offset())
        .single()
        .map(|t| t.to_utc())
        .ok_or_else(|| DataError::Invalid("reference date out of range".to_owned()))?;
    Ok(training_session::Entity::find()
        .filter(training_session::Column::UnitId.is_in(units.iter().copied()))
        .filter(training_session::Column::CurriculumVersionId.eq(resolved.version_id))
        .filter(training_session::Column::CancelledAt.is_null())
        .filter(training_session::Column::StartsAt.lt(end))
        .all(db)
        .await?)
}

/// Present-or-late attendances per session.
async fn attended_per_session<C: ConnectionTrait>(
    db: &C,
    sessions: &[training_session::Model],
) -> Result<HashMap<Uuid, u64>, DataError> {
    let mut counts = HashMap::new();
    for chunk in sessions.chunks(500) {
        let rows: Vec<(Uuid, i64)> = attendance::Entity::find()
            .select_only()
            .column(attendance::Column::SessionId)
            .column_as(attendance::Column::Id.count(), "n")
            .filter(attendance::Column::SessionId.is_in(chunk.iter().map(|s| s.id)))
            .filter(attendance::Column::Status.is_in([
                AttendanceStatus::Present.as_str(),
                AttendanceStatus::Late.as_str(),
            ]))
            .group_by(attendance::Column::SessionId)
            .into_tuple()
            .all(db)
            .await?;
        counts.extend(rows.into_iter().map(|(s, n)| (s, n as u64)));
    }
    Ok(counts)
}

async fn trainers<C: ConnectionTrait>(
    db: &C,
    sessions: &[training_session::Model],
    attended: &HashMap<Uuid, u64>,
) -> Result<Vec<TrainerActivity>, DataError> {
    let mut by_member: HashMap<Uuid, (u64, u64)> = HashMap::new();
    for chunk in sessions.chunks(500) {
        for link in session_trainer::Entity::find()
            .filter(session_trainer::Column::SessionId.is_in(chunk.iter().map(|s| s.id)))
            .all(db)
            .await?
        {
            let entry = by_member.entry(link.team_member_id).or_default();
            entry.0 += 1;
            entry.1 += attended.get(&link.session_id).copied().unwrap_or(0);
        }
    }
    let names: HashMap<Uuid, String> = team_member::Entity::find()
        .filter(team_member::Column::Id.is_in(by_member.keys().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id, m.full_name))
        .collect();
    let mut rows: Vec<TrainerActivity> = by_member
        .into_iter()
        .map(|(id, (sessions, attended))| TrainerActivity {
            name: names.get(&id).cloned().unwrap_or_default(),
            sessions,
            attended,
        })
        .collect();
    rows.sort_by(|a, b| {
        b.sessions
            .cmp(&a.sessions)
            .then_with(|| a.name.cmp(&b.name))
    });
    Ok(rows)
}

async fn module_mix<C: ConnectionTrait>(
    db: &C,
    resolved: &Resolved,
    sessions: &[training_session::Model],
    attended: &HashMap<Uuid, u64>,
) -> Result<Vec<ModuleMix>, DataError> {
    let covered =
        crate::curriculum::modules_covered(db, sessions.iter().map(|s| s.id).collect()).await?;
    let mut per_module: HashMap<Uuid, (u64, u64)> = HashMap::new();
    for (session, modules) in &covered {
        for module in modules {
            let entry = per_module.entry(*module).or_default();
            entry.0 += 1;
            entry.1 += attended.get(session).copied().unwrap_or(0);
        }
    }
    Ok(crate::curriculum::modules_of(db, resolved.version_id)
        .await?
        .into_iter()
        .map(|m| {
            let (sessions, attended) = per_module.get(&m.id).copied().unwrap_or_default();
            ModuleMix {
                code: m.code,
                name: m.name,
                required: m.required,
                sessions,
                attended,
            }
        })
        .collect())
}

/// Each person's latest answers, counted among the people who have a profile.
async fn profile_shares<C: ConnectionTrait>(
    db: &C,
    units: &[Uuid],
) -> Result<ProfileShares, DataError> {
    let rows = citizen_profile::Entity::find()
        .inner_join(participant::Entity)
        .filter(participant::Column::HomeUnitId.is_in(units.iter().copied()))
        .filter(participant::Column::MergedIntoId.is_null())
        .order_by_asc(citizen_profile::Column::AsOf)
        .all(db)
        .await?;
    let latest: HashMap<Uuid, citizen_profile::Model> =
        rows.into_iter().map(|p| (p.participant_id, p)).collect();
    let yes = |f: fn(&citizen_profile::Model) -> Option<bool>| {
        latest.values().filter(|p| f(p) == Some(true)).count() as u64
    };
    Ok(ProfileShares {
        profiled: latest.len() as u64,
        smartphone: yes(|p| p.has_smartphone),
        payment_account: yes(|p| p.has_payment_account),
        online_public_services: yes(|p| p.uses_online_public_services),
        vneid: yes(|p| p.vneid_activated),
    })
}

/// People of these units on a roster of the version who are not trained yet, with the
/// required modules they still miss. At most 500, by name.
async fn still_missing<C: ConnectionTrait>(
    db: &C,
    resolved: &Resolved,
    units: &[Uuid],
    sessions: &[training_session::Model],
) -> Result<Vec<StillMissing>, DataError> {
    let (version, rule, modules) =
        crate::curriculum::curriculum_rule(db, resolved.version_id).await?;
    // People not trained yet: the commune's people minus `trained_person` (so only their
    // attendance is read, not every roster of the commune).
    let trained: BTreeSet<Uuid> = trained_person::Entity::find()
        .select_only()
        .column(trained_person::Column::ParticipantId)
        .filter(trained_person::Column::CurriculumVersionId.eq(version.id))
        .filter(trained_person::Column::HomeUnitId.is_in(units.iter().copied()))
        .into_tuple()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let people: Vec<(Uuid, String)> = participant::Entity::find()
        .select_only()
        .column(participant::Column::Id)
        .column(participant::Column::FullName)
        .filter(participant::Column::HomeUnitId.is_in(units.iter().copied()))
        .filter(participant::Column::MergedIntoId.is_null())
        .filter(participant::Column::ConsentWithdrawnAt.is_null())
        .into_tuple()
        .all(db)
        .await?;
    let untrained: Vec<(Uuid, String)> = people
        .into_iter()
        .filter(|(id, _)| !trained.contains(id))
        .collect();
    let held: BTreeSet<Uuid> = sessions.iter().map(|s| s.id).collect();
    let mut marks: Vec<(Uuid, Uuid, String)> = Vec::new();
    for chunk in untrained.chunks(500) {
        let rows: Vec<(Uuid, Uuid, String)> = attendance::Entity::find()
            .select_only()
            .column(attendance::Column::ParticipantId)
            .column(attendance::Column::SessionId)
            .column(attendance::Column::Status)
            .filter(attendance::Column::ParticipantId.is_in(chunk.iter().map(|(id, _)| *id)))
            .into_tuple()
            .all(db)
            .await?;
        marks.extend(rows.into_iter().filter(|(_, s, _)| held.contains(s)));
    }
    let covered = crate::curriculum::modules_covered(
        db,
        marks
            .iter()
            .map(|(_, s, _)| *s)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect(),
    )
    .await?;
    let mut attended: BTreeMap<Uuid, Vec<(AttendanceStatus, Vec<Uuid>)>> = BTreeMap::new();
    for (person, session, status) in marks {
        if let Some(status) = AttendanceStatus::parse(&status) {
            attended
                .entry(person)
                .or_default()
                .push((status, covered.get(&session).cloned().unwrap_or_default()));
        }
    }
    let mut rows = Vec::new();
    for (id, full_name) in untrained {
        let Some(sessions) = attended.get(&id) else {
            continue;
        };
        let progress = rule.progress(&version.name, &modules, sessions);
        if !progress.complete {
            rows.push(StillMissing {
                participant_id: id,
                full_name,
                missing: progress.missing.into_iter().map(|m| m.name).collect(),
            });
        }
    }
    rows.sort_by(|a, b| a.full_name.cmp(&b.full_name));
    rows.truncate(500);
    Ok(rows)
}
