//! One session's page: details, modules, trainers and the roster with live counts.

use kynangso_domain::attendance::AttendanceCounts;
use kynangso_domain::person::participant_code;
use kynangso_domain::views::{RosterEntry, SessionDetail};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::find_in_scope;
use crate::DataError;
use crate::access::Caller;
use crate::entities::{admin_unit, attendance, participant, session_trainer, team_member};
use crate::units::village_names;

/// The session with its roster (names only for roles that may read personal data).
pub async fn detail<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    id: Uuid,
) -> Result<SessionDetail, DataError> {
    caller.personal_data_scope()?;
    let session = find_in_scope(db, caller, id).await?;
    let commune = admin_unit::Entity::find_by_id(session.unit_id)
        .one(db)
        .await?
        .map(|u| u.name)
        .unwrap_or_default();
    let covered = crate::curriculum::modules_covered(db, vec![id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    let modules = crate::curriculum::curriculum_of(db, session.curriculum_version_id)
        .await?
        .1
        .iter()
        .filter(|m| covered.contains(&m.id))
        .cloned()
        .collect();
    let (trainer_ids, trainers): (Vec<Uuid>, Vec<String>) = session_trainer::Entity::find()
        .find_also_related(team_member::Entity)
        .filter(session_trainer::Column::SessionId.eq(id))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(_, m)| m.map(|m| (m.id, m.full_name)))
        .unzip();
    let rows = attendance::Entity::find()
        .find_also_related(participant::Entity)
        .filter(attendance::Column::SessionId.eq(id))
        .order_by_asc(attendance::Column::Id)
        .all(db)
        .await?;
    let villages = village_names(
        db,
        rows.iter()
            .filter_map(|(_, p)| p.as_ref().and_then(|p| p.village_id))
            .chain(session.village_id),
    )
    .await?;
    let roster: Vec<RosterEntry> = rows
        .into_iter()
        .filter_map(|(a, p)| {
            let p = p?;
            Some(RosterEntry {
                participant_id: p.id,
                full_name: p.consent_withdrawn_at.is_none().then_some(p.full_name),
                birth_year: p.birth_year,
                village: p.village_id.and_then(|v| villages.get(&v).cloned()),
                status: a.status,
                code: participant_code(p.id),
            })
        })
        .collect();
    let counts = AttendanceCounts::of(roster.iter().map(|r| r.status));
    Ok(SessionDetail {
        id,
        commune,
        starts_at: session.starts_at,
        duration_minutes: session.duration_minutes,
        village: session.village_id.and_then(|v| villages.get(&v).cloned()),
        village_id: session.village_id,
        place: session.place,
        notes: session.notes,
        cancelled: session.cancelled_at.is_some(),
        modules,
        trainer_ids,
        trainers,
        roster,
        counts,
    })
}
