//! One participant's record, as their commune team sees it.

use kynangso_domain::attendance::AttendanceStatus;
use kynangso_domain::completion::{CompletionRule, Progress};
use kynangso_domain::person::Sex;
use kynangso_domain::views::{AttendedSession, ConsentView, ParticipantDetail, ProfileView};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::{find_in_scope, masked_national_id};
use crate::DataError;
use crate::access::Caller;
use crate::entities::{
    admin_unit, app_user, attendance, citizen_profile, consent, training_session,
};
use crate::units::village_names;

/// The record with its consent, latest digital profile and the sessions attended. A merged
/// duplicate answers with the record it was merged into.
pub async fn detail<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    id: Uuid,
) -> Result<ParticipantDetail, DataError> {
    let mut row = find_in_scope(db, caller, id).await?;
    if let Some(kept) = row.merged_into_id {
        row = find_in_scope(db, caller, kept).await?;
    }
    let commune = admin_unit::Entity::find_by_id(row.home_unit_id)
        .one(db)
        .await?
        .map(|u| u.name)
        .unwrap_or_default();
    let villages = village_names(db, row.village_id.into_iter()).await?;
    let consent = consent::Entity::find()
        .filter(consent::Column::ParticipantId.eq(row.id))
        .order_by_desc(consent::Column::GrantedAt)
        .one(db)
        .await?;
    let recorded_by = match consent.as_ref().and_then(|c| c.recorded_by) {
        Some(user) => app_user::Entity::find_by_id(user)
            .one(db)
            .await?
            .map(|u| u.display_name),
        None => None,
    };
    let profile = citizen_profile::Entity::find()
        .filter(citizen_profile::Column::ParticipantId.eq(row.id))
        .order_by_desc(citizen_profile::Column::AsOf)
        .one(db)
        .await?;
    let sessions = attendance::Entity::find()
        .find_also_related(training_session::Entity)
        .filter(attendance::Column::ParticipantId.eq(row.id))
        .order_by_desc(attendance::Column::MarkedAt)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(a, s)| {
            s.map(|s| AttendedSession {
                session_id: s.id,
                starts_at: s.starts_at,
                place: s.place,
                status: a.status,
            })
        })
        .collect();
    let progress = progress_of(db, row.id).await?;
    let withdrawn = row.consent_withdrawn_at.is_some();
    Ok(ParticipantDetail {
        id: row.id,
        full_name: (!withdrawn).then_some(row.full_name),
        sex: Sex::parse(&row.sex).unwrap_or(Sex::Unknown),
        birth_date: row.birth_date,
        birth_year: row.birth_year,
        commune,
        village: row.village_id.and_then(|v| villages.get(&v).cloned()),
        phone: row.phone,
        national_id_masked: masked_national_id(row.national_id.as_deref()),
        profile: profile.map(|p| ProfileView {
            as_of: p.as_of,
            has_smartphone: p.has_smartphone,
            has_payment_account: p.has_payment_account,
            uses_online_public_services: p.uses_online_public_services,
            vneid_activated: p.vneid_activated,
        }),
        consent: consent.map(|c| ConsentView {
            statement: c.statement,
            granted_at: c.granted_at,
            recorded_by,
            withdrawn_at: c.withdrawn_at,
        }),
        consent_withdrawn_at: row.consent_withdrawn_at,
        sessions,
        progress,
        code: kynangso_domain::person::participant_code(row.id),
    })
}

/// The person's standing under the current curriculum: its rule applied to the sessions
/// of that curriculum they were on the roster of (cancelled sessions do not count).
pub(crate) async fn progress_of<C: ConnectionTrait>(
    db: &C,
    participant_id: Uuid,
) -> Result<Option<Progress>, DataError> {
    let Some((version, modules)) = crate::curriculum::current_curriculum(db).await? else {
        return Ok(None);
    };
    let rule: CompletionRule = serde_json::from_str(&version.completion_rule).map_err(|e| {
        DataError::Invalid(format!(
            "curriculum {} has an unreadable rule: {e}",
            version.code
        ))
    })?;
    // Sessions of this curriculum that were held by today (not cancelled, not planned).
    let today = kynangso_domain::format::today_in_vietnam(chrono::Utc::now());
    let held: Vec<(AttendanceStatus, Uuid)> = attendance::Entity::find()
        .find_also_related(training_session::Entity)
        .filter(attendance::Column::ParticipantId.eq(participant_id))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(a, session)| {
            let session = session?;
            let counts = session.curriculum_version_id == version.id
                && session.cancelled_at.is_none()
                && kynangso_domain::format::today_in_vietnam(session.starts_at) <= today;
            counts.then_some((a.status, session.id))
        })
        .collect();
    let mut covered =
        crate::curriculum::modules_covered(db, held.iter().map(|(_, id)| *id).collect()).await?;
    let attended: Vec<(AttendanceStatus, Vec<Uuid>)> = held
        .into_iter()
        .map(|(status, id)| (status, covered.remove(&id).unwrap_or_default()))
        .collect();
    Ok(Some(rule.progress(&version.name, &modules, &attended)))
}

#[cfg(test)]
mod tests {
    use kynangso_domain::attendance::AttendanceStatus;
    use kynangso_domain::completion::CompletionRule;

    #[test]
    fn the_demo_curriculums_stored_rule_parses() {
        let rule: CompletionRule = serde_json::from_str(
            r#"{"kind":"all_required","counted_statuses":["present","late"]}"#,
        )
        .expect("parses");
        assert_eq!(
            rule,
            CompletionRule::AllRequired {
                counted_statuses: vec![AttendanceStatus::Present, AttendanceStatus::Late]
            }
        );
    }
}
