//! What the pages show, as the server sends it. Plain data: the server fills these from the
//! database after its access checks; the browser only renders them.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Role;
use crate::attendance::{AttendanceCounts, AttendanceStatus};
use crate::completion::{ModuleRef, Progress};
use crate::person::Sex;

/// A participant in a list or search result. The phone is masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParticipantSummary {
    pub id: Uuid,
    pub full_name: String,
    pub sex: Sex,
    pub birth_year: i32,
    pub village: Option<String>,
    pub phone_masked: Option<String>,
}

/// One participant's page. After consent is withdrawn only the anonymous fields remain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParticipantDetail {
    pub id: Uuid,
    /// `None` once consent has been withdrawn.
    pub full_name: Option<String>,
    pub sex: Sex,
    pub birth_date: Option<NaiveDate>,
    pub birth_year: i32,
    pub commune: String,
    pub village: Option<String>,
    /// In full: this page is only for the person's own commune team.
    pub phone: Option<String>,
    pub national_id_masked: Option<String>,
    pub profile: Option<ProfileView>,
    pub consent: Option<ConsentView>,
    pub consent_withdrawn_at: Option<DateTime<Utc>>,
    pub sessions: Vec<AttendedSession>,
    /// Standing under the current curriculum (`None` when none is published).
    pub progress: Option<Progress>,
    /// The short code printed on sign-in sheets.
    pub code: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileView {
    pub as_of: NaiveDate,
    pub has_smartphone: Option<bool>,
    pub has_payment_account: Option<bool>,
    pub uses_online_public_services: Option<bool>,
    pub vneid_activated: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentView {
    pub statement: String,
    pub granted_at: DateTime<Utc>,
    pub recorded_by: Option<String>,
    pub withdrawn_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendedSession {
    pub session_id: Uuid,
    pub starts_at: DateTime<Utc>,
    pub place: String,
    pub status: crate::attendance::AttendanceStatus,
}

/// An account as the user-management page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSummary {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub unit: String,
    pub must_change_password: bool,
    pub disabled: bool,
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditLine {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub actor: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
    pub client: Option<String>,
}

/// A session in the commune's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionSummary {
    pub id: Uuid,
    pub starts_at: DateTime<Utc>,
    pub place: String,
    pub village: Option<String>,
    pub cancelled: bool,
    pub counts: AttendanceCounts,
    pub module_codes: Vec<String>,
}

/// A page of the commune's session list, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionPage {
    pub sessions: Vec<SessionSummary>,
    /// Older sessions follow: ask again with the last one's id as `after`.
    pub more: bool,
}

/// One person on a session's roster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterEntry {
    pub participant_id: Uuid,
    /// `None` when the person has withdrawn consent.
    pub full_name: Option<String>,
    pub birth_year: i32,
    pub village: Option<String>,
    pub status: AttendanceStatus,
    /// The short code printed on the sign-in sheet.
    pub code: String,
}

/// A session's page: details, modules, trainers and roster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionDetail {
    pub id: Uuid,
    pub commune: String,
    pub starts_at: DateTime<Utc>,
    pub duration_minutes: i32,
    pub place: String,
    pub village_id: Option<Uuid>,
    pub village: Option<String>,
    pub notes: Option<String>,
    pub cancelled: bool,
    pub modules: Vec<ModuleRef>,
    pub trainer_ids: Vec<Uuid>,
    pub trainers: Vec<String>,
    pub roster: Vec<RosterEntry>,
    pub counts: AttendanceCounts,
}

/// What the session form offers: the commune's villages, the current curriculum's modules
/// and the team's members.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionFormContext {
    pub commune: String,
    pub villages: Vec<(Uuid, String)>,
    pub curriculum: String,
    pub modules: Vec<ModuleRef>,
    pub trainers: Vec<(Uuid, String)>,
    pub new_id: Uuid,
    pub today: NaiveDate,
}
