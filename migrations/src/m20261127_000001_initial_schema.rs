//! Initial schema: administrative units, users and sessions, teams, participants,
//! curricula, training sessions, attendance, population denominators and the audit log.
//!
//! The same statements run on SQLite and PostgreSQL. Everything is built with the
//! schema builder except the append-only triggers on `audit_log`, which are
//! backend-specific raw SQL.
//!
//! Conventions:
//! - every `id` is a client-generated UUIDv7 (`uuid` in PostgreSQL, a 16-byte blob in
//!   SQLite), never auto-increment; `user_session.id` is the exception (SHA-256 hex);
//! - instants are `timestamp with time zone` (UTC), calendar days are `date`;
//! - enumerations are short lowercase text (`varchar(32)`) with a named CHECK constraint;
//! - JSON documents are plain `text`;
//! - foreign keys are `ON DELETE RESTRICT` unless stated otherwise.
//!
//! The helpers below are private to this file on purpose: a shipped migration must
//! never change, so it does not share code that later migrations might edit.

use sea_orm_migration::{
    prelude::*,
    schema::*,
    sea_orm::{DbBackend, prelude::Uuid},
};

#[derive(DeriveMigrationName)]
pub struct Migration;

// ---------------------------------------------------------------------------
// Identifiers
// ---------------------------------------------------------------------------

#[derive(DeriveIden)]
enum AdminUnit {
    Table,
    Id,
    Code,
    Name,
    NameEn,
    Kind,
    ParentId,
    ValidFrom,
    ValidTo,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum UnitSuccession {
    Table,
    Id,
    PredecessorId,
    SuccessorId,
    Coverage,
    EffectiveDate,
    LegalBasis,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AppUser {
    Table,
    Id,
    Username,
    Phone,
    DisplayName,
    PasswordHash,
    Role,
    ScopeUnitId,
    MustChangePassword,
    DisabledAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum UserSession {
    Table,
    Id,
    UserId,
    CreatedAt,
    LastSeenAt,
    ExpiresAt,
    Client,
}

#[derive(DeriveIden)]
enum LoginAttempt {
    Table,
    Id,
    Username,
    Client,
    At,
    Succeeded,
}

#[derive(DeriveIden)]
enum Team {
    Table,
    Id,
    UnitId,
    Name,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum TeamMember {
    Table,
    Id,
    TeamId,
    UserId,
    FullName,
    Phone,
    Position,
    VillageId,
    JoinedOn,
    LeftOn,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Participant {
    Table,
    Id,
    FullName,
    SearchKey,
    Sex,
    BirthDate,
    BirthYear,
    HomeUnitId,
    VillageId,
    Phone,
    NationalId,
    MergedIntoId,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Consent {
    Table,
    Id,
    ParticipantId,
    Purpose,
    Statement,
    GrantedAt,
    RecordedBy,
    WithdrawnAt,
    WithdrawnBy,
}

#[derive(DeriveIden)]
enum CitizenProfile {
    Table,
    Id,
    ParticipantId,
    AsOf,
    HasSmartphone,
    HasPaymentAccount,
    UsesOnlinePublicServices,
    VneidActivated,
    RecordedBy,
    RecordedAt,
}

#[derive(DeriveIden)]
enum CurriculumVersion {
    Table,
    Id,
    Code,
    Name,
    LegalBasis,
    CompletionRule,
    Status,
    PublishedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum SkillModule {
    Table,
    Id,
    CurriculumVersionId,
    Code,
    Name,
    Required,
    Position,
}

#[derive(DeriveIden)]
enum WorkingAgeRule {
    Table,
    Id,
    Code,
    Name,
    LegalBasis,
    Definition,
    CreatedAt,
}

#[derive(DeriveIden)]
enum TrainingSession {
    Table,
    Id,
    UnitId,
    VillageId,
    Place,
    StartsAt,
    DurationMinutes,
    CurriculumVersionId,
    Notes,
    Status,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    CancelledAt,
}

#[derive(DeriveIden)]
enum SessionModule {
    Table,
    SessionId,
    ModuleId,
}

#[derive(DeriveIden)]
enum SessionTrainer {
    Table,
    SessionId,
    TeamMemberId,
}

#[derive(DeriveIden)]
enum Attendance {
    Table,
    Id,
    SessionId,
    ParticipantId,
    Status,
    MarkedBy,
    MarkedAt,
}

#[derive(DeriveIden)]
enum WorkingAgePopulation {
    Table,
    Id,
    UnitId,
    Year,
    Population,
    Source,
    RuleId,
    EnteredBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    At,
    ActorUserId,
    Action,
    Entity,
    EntityId,
    ScopeUnitId,
    Before,
    After,
    Client,
}

// ---------------------------------------------------------------------------
// Allowed values of the enumeration columns
// ---------------------------------------------------------------------------

const ADMIN_UNIT_KINDS: &[&str] = &[
    "province", "city", "district", "town", "commune", "ward", "township", "village",
];
const SUCCESSION_COVERAGES: &[&str] = &["full", "partial"];
const USER_ROLES: &[&str] = &[
    "province_admin",
    "province_reviewer",
    "commune_lead",
    "team_member",
];
const TEAM_POSITIONS: &[&str] = &["lead", "deputy", "member"];
const SEXES: &[&str] = &["male", "female", "unknown"];
const CURRICULUM_STATUSES: &[&str] = &["draft", "published", "retired"];
const SESSION_STATUSES: &[&str] = &["planned", "held", "cancelled"];
const ATTENDANCE_STATUSES: &[&str] = &["present", "late", "excused", "absent"];

// ---------------------------------------------------------------------------
// Raw SQL for the append-only audit log
// ---------------------------------------------------------------------------

const SQLITE_AUDIT_TRIGGERS_UP: &[&str] = &[
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log \
     BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;",
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log \
     BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;",
];
const SQLITE_AUDIT_TRIGGERS_DOWN: &[&str] = &[
    "DROP TRIGGER IF EXISTS audit_log_no_delete;",
    "DROP TRIGGER IF EXISTS audit_log_no_update;",
];

const PG_AUDIT_TRIGGERS_UP: &[&str] = &[
    "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger \
     LANGUAGE plpgsql AS $$ \
     BEGIN \
         RAISE EXCEPTION 'audit_log is append-only'; \
     END; \
     $$;",
    "CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log \
     FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();",
];
const PG_AUDIT_TRIGGERS_DOWN: &[&str] = &[
    "DROP TRIGGER IF EXISTS audit_log_no_update_delete ON audit_log;",
    "DROP FUNCTION IF EXISTS audit_log_append_only();",
];

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// An enumeration column: short lowercase text, NOT NULL.
fn enum_col<T: IntoIden>(col: T) -> ColumnDef {
    string_len(col, 32)
}

/// A named `CHECK (col IN (...))` constraint.
fn check_in<C>(name: &str, col: C, allowed: &[&str]) -> Check
where
    C: IntoIden,
{
    Check::named(
        Alias::new(name),
        Expr::col(col.into_iden()).is_in(allowed.iter().copied()),
    )
}

/// A named foreign key `table.col -> ref_table.ref_col` with the given ON DELETE action.
fn fk<T, C, RT, RC>(
    name: &str,
    table: T,
    col: C,
    ref_table: RT,
    ref_col: RC,
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement
where
    T: IntoIden,
    C: IntoIden,
    RT: IntoIden,
    RC: IntoIden,
{
    ForeignKey::create()
        .name(name)
        .from(table.into_iden(), col.into_iden())
        .to(ref_table.into_iden(), ref_col.into_iden())
        .on_delete(on_delete)
        .take()
}

/// A (possibly unique) index over one or more columns.
fn index<T: IntoIden>(
    name: &str,
    table: T,
    cols: Vec<DynIden>,
    unique: bool,
) -> IndexCreateStatement {
    let mut stmt = Index::create();
    stmt.name(name).table(table.into_iden());
    for col in cols {
        stmt.col(col);
    }
    if unique {
        stmt.unique();
    }
    stmt.take()
}

use ForeignKeyAction::{Cascade, Restrict};

// ---------------------------------------------------------------------------
// Migration
// ---------------------------------------------------------------------------

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // 1. admin_unit
        manager
            .create_table(
                Table::create()
                    .table(AdminUnit::Table)
                    .col(pk_uuid(AdminUnit::Id))
                    // Not unique on its own: a code outlives renames and mergers (the new
                    // Xã Hòa Phú kept old Hòa Khánh's 24175), so one code can have several
                    // rows over time. Only one of them may be current (index below).
                    .col(text(AdminUnit::Code))
                    .col(text(AdminUnit::Name))
                    .col(text_null(AdminUnit::NameEn))
                    .col(enum_col(AdminUnit::Kind))
                    .col(uuid_null(AdminUnit::ParentId))
                    .col(date(AdminUnit::ValidFrom))
                    .col(date_null(AdminUnit::ValidTo))
                    .col(timestamp_with_time_zone(AdminUnit::CreatedAt))
                    .col(timestamp_with_time_zone(AdminUnit::UpdatedAt))
                    .check(check_in(
                        "ck_admin_unit_kind",
                        AdminUnit::Kind,
                        ADMIN_UNIT_KINDS,
                    ))
                    .foreign_key(&mut fk(
                        "fk_admin_unit_parent_id",
                        AdminUnit::Table,
                        AdminUnit::ParentId,
                        AdminUnit::Table,
                        AdminUnit::Id,
                        Restrict,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_admin_unit_parent_id",
                AdminUnit::Table,
                vec![AdminUnit::ParentId.into_iden()],
                false,
            ))
            .await?;
        manager
            .create_index(index(
                "idx_admin_unit_code_valid_from",
                AdminUnit::Table,
                vec![
                    AdminUnit::Code.into_iden(),
                    AdminUnit::ValidFrom.into_iden(),
                ],
                true,
            ))
            .await?;
        // A partial index: identical SQL on SQLite and PostgreSQL.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX uq_admin_unit_current_code ON admin_unit (code) \
                 WHERE valid_to IS NULL",
            )
            .await?;
        manager
            .create_index(index(
                "idx_admin_unit_kind",
                AdminUnit::Table,
                vec![AdminUnit::Kind.into_iden()],
                false,
            ))
            .await?;

        // 2. unit_succession
        manager
            .create_table(
                Table::create()
                    .table(UnitSuccession::Table)
                    .col(pk_uuid(UnitSuccession::Id))
                    .col(uuid(UnitSuccession::PredecessorId))
                    .col(uuid(UnitSuccession::SuccessorId))
                    .col(enum_col(UnitSuccession::Coverage))
                    .col(date(UnitSuccession::EffectiveDate))
                    .col(text_null(UnitSuccession::LegalBasis))
                    .col(timestamp_with_time_zone(UnitSuccession::CreatedAt))
                    .check(check_in(
                        "ck_unit_succession_coverage",
                        UnitSuccession::Coverage,
                        SUCCESSION_COVERAGES,
                    ))
                    .foreign_key(&mut fk(
                        "fk_unit_succession_predecessor_id",
                        UnitSuccession::Table,
                        UnitSuccession::PredecessorId,
                        AdminUnit::Table,
                        AdminUnit::Id,
                        Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "fk_unit_succession_successor_id",
                        UnitSuccession::Table,
                        UnitSuccession::SuccessorId,
                        AdminUnit::Table,
                        AdminUnit::Id,
                        Restrict,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "uq_unit_succession_predecessor_successor",
                UnitSuccession::Table,
                vec![
                    UnitSuccession::PredecessorId.into_iden(),
                    UnitSuccession::SuccessorId.into_iden(),
                ],
                true,
            ))
            .await?;
        manager
            .create_index(index(
                "idx_unit_succession_successor_id",
                UnitSuccession::Table,
                vec![UnitSuccession::SuccessorId.into_iden()],
                false,
            ))
            .await?;

        // 3. app_user
        manager
            .create_table(
                Table::create()
                    .table(AppUser::Table)
                    .col(pk_uuid(AppUser::Id))
                    .col(text_uniq(AppUser::Username))
                    .col(text_null(AppUser::Phone).unique_key())
                    .col(text(AppUser::DisplayName))
                    .col(text(AppUser::PasswordHash))
                    .col(enum_col(AppUser::Role))
                    .col(uuid(AppUser::ScopeUnitId))
                    .col(boolean(AppUser::MustChangePassword).default(false))
                    .col(timestamp_with_time_zone_null(AppUser::DisabledAt))
                    .col(timestamp_with_time_zone(AppUser::CreatedAt))
                    .col(timestamp_with_time_zone(AppUser::UpdatedAt))
                    .check(check_in("ck_app_user_role", AppUser::Role, USER_ROLES))
                    .foreign_key(&mut fk(
                        "fk_app_user_scope_unit_id",
                        AppUser::Table,
                        AppUser::ScopeUnitId,
                        AdminUnit::Table,
                        AdminUnit::Id,
                        Restrict,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_app_user_scope_unit_id",
                AppUser::Table,
                vec![AppUser::ScopeUnitId.into_iden()],
                false,
            ))
            .await?;

        // 4. user_session (id = SHA-256 hex of the cookie token)
        manager
            .create_table(
                Table::create()
                    .table(UserSession::Table)
                    .col(string_len(UserSession::Id, 64).primary_key())
                    .col(uuid(UserSession::UserId))
                    .col(timestamp_with_time_zone(UserSession::CreatedAt))
                    .col(timestamp_with_time_zone(UserSession::LastSeenAt))
                    .col(timestamp_with_time_zone(UserSession::ExpiresAt))
                    .col(text_null(UserSession::Client))
                    .foreign_key(&mut fk(
                        "fk_user_session_user_id",
                        UserSession::Table,
                        UserSession::UserId,
                        AppUser::Table,
                        AppUser::Id,
                        Cascade,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_user_session_user_id",
                UserSession::Table,
                vec![UserSession::UserId.into_iden()],
                false,
            ))
            .await?;
        manager
            .create_index(index(
                "idx_user_session_expires_at",
                UserSession::Table,
                vec![UserSession::ExpiresAt.into_iden()],
                false,
            ))
            .await?;

        // 5. login_attempt
        manager
            .create_table(
                Table::create()
                    .table(LoginAttempt::Table)
                    .col(pk_uuid(LoginAttempt::Id))
                    .col(text(LoginAttempt::Username))
                    .col(text(LoginAttempt::Client))
                    .col(timestamp_with_time_zone(LoginAttempt::At))
                    .col(boolean(LoginAttempt::Succeeded))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_login_attempt_username_at",
                LoginAttempt::Table,
                vec![
                    LoginAttempt::Username.into_iden(),
                    LoginAttempt::At.into_iden(),
                ],
                false,
            ))
            .await?;
        manager
            .create_index(index(
                "idx_login_attempt_client_at",
                LoginAttempt::Table,
                vec![
                    LoginAttempt::Client.into_iden(),
                    LoginAttempt::At.into_iden(),
                ],
                false,
            ))
            .await?;

        // 6. team (one per commune/ward)
        manager
            .create_table(
                Table::create()
                    .table(Team::Table)
                    .col(pk_uuid(Team::Id))
                    .col(uuid_uniq(Team::UnitId))
                    .col(text(Team::Name))
                    .col(timestamp_with_time_zone(Team::CreatedAt))
                    .col(timestamp_with_time_zone(Team::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_team_unit_id",
                        Team::Table,
                        Team::UnitId,
                        AdminUnit::Table,
                        AdminUnit::Id,
                        Restrict,
                    ))
                    .take(),
            )
            .await?;

        // 7. team_member
        manager
            .create_table(
                Table::create()
                    .table(TeamMember::Table)
                    .col(pk_uuid(TeamMember::Id))
                    .col(uuid(TeamMember::TeamId))
                    .col(uuid_null(TeamMember::UserId))
                    .col(text(TeamMember::FullName))
                    .col(text_null(TeamMember::Phone))
                    .col(enum_col(TeamMember::Position))
                    .col(uuid_null(TeamMember::VillageId))
                    .col(date_null(TeamMember::JoinedOn))
                    .col(date_null(TeamMember::LeftOn))
                    .col(timestamp_with_time_zone(TeamMember::CreatedAt))
                    .col(timestamp_with_time_zone(TeamMember::UpdatedAt))
                    .check(check_in(
                        "ck_team_member_position",
                        TeamMember::Position,
                        TEAM_POSITIONS,
                    ))
                    .foreign_key(&mut fk(
                        "fk_team_member_team_id",
                        TeamMember::Table,
                        TeamMember::TeamId,
                        Team::Table,
                        Team::Id,
                        Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "fk_team_member_user_id",
                        TeamMember::Table,
                        TeamMember::UserId,
                        AppUser::Table,
                        AppUser::Id,
                        Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "fk_team_member_village_id",
                        TeamMember::Table,
                        TeamMember::VillageId,
                        AdminUnit::Table,
                        AdminUnit::Id,
                        Restrict,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "uq_team_member_user_id",
                TeamMember::Table,
                vec![TeamMember::UserId.into_iden()],
                true,
            ))
            .await?;
        manager
            .create_index(index(
                "idx_team_member_team_id",
                TeamMember::Table,
                vec![TeamMember::TeamId.into_iden()],
                false,
            ))
            .await?;

        // 8. participant
        manager
            .create_table(
                Table::create()
                    .table(Participant::Table)
                    .col(pk_uuid(Participant::Id))
                    .col(text(Participant::FullName))
                    .col(text(Participant::SearchKey))
                    .col(enum_col(Participant::Sex))
                    .col(date_null(Participant::BirthDate))
                    .col(integer(Participant::BirthYear))
                    .col(uuid(Participant::HomeUnitId))
                    .col(uuid_null(Participant::VillageId))
                    .col(text_null(Participant::Phone))
                    .col(text_null(Participant::NationalId))
                    .col(uuid_null(Participant::MergedIntoId))
                    .col(uuid_null(Participant::CreatedBy))
                    .col(timestamp_with_time_zone(Participant::CreatedAt))
                    .col(timestamp_with_time_zone(Participant::UpdatedAt))
                    .check(check_in("ck_participant_sex", Participant::Sex, SEXES))
                    .foreign_key(&mut fk(
                        "fk_participant_home_unit_id",
                        Participant::Table,
                        Participant::HomeUnitId,
                        AdminUnit::Table,
                        AdminUnit::Id,
                        Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "fk_participant_village_id",
                        Participant::Table,
                        Participant::VillageId,
                        AdminUnit::Table,
                        AdminUnit::Id,
                        Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "fk_participant_merged_into_id",
                        Participant::Table,
                        Participant::MergedIntoId,
                        Participant::Table,
                        Participant::Id,
                        Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "fk_participant_created_by",
                        Participant::Table,
                        Participant::CreatedBy,
                        AppUser::Table,
                        AppUser::Id,
                        Restrict,
                    ))
                    .take(),
            )
            .await?;
        for (name, cols) in [
            (
                "idx_participant_home_unit_id_search_key",
                vec![
                    Participant::HomeUnitId.into_iden(),
                    Participant::SearchKey.into_iden(),
                ],
            ),
            (
                "idx_participant_home_unit_id_birth_year",
                vec![
                    Participant::HomeUnitId.into_iden(),
                    Participant::BirthYear.into_iden(),
                ],
            ),
            (
                "idx_participant_phone",
                vec![Participant::Phone.into_iden()],
            ),
            (
                "idx_participant_national_id",
                vec![Participant::NationalId.into_iden()],
            ),
            (
                "idx_participant_merged_into_id",
                vec![Participant::MergedIntoId.into_iden()],
            ),
        ] {
            manager
                .create_index(index(name, Participant::Table, cols, false))
                .await?;
        }

        // 9. consent
        manager
            .create_table(
                Table::create()
                    .table(Consent::Table)
                    .col(pk_uuid(Consent::Id))
                    .col(uuid(Consent::ParticipantId))
                    .col(text(Consent::Purpose))
                    .col(text(Consent::Statement))
                    .col(timestamp_with_time_zone(Consent::GrantedAt))
                    .col(uuid_null(Consent::RecordedBy))
                    .col(timestamp_with_time_zone_null(Consent::WithdrawnAt))
                    .col(uuid_null(Consent::WithdrawnBy))
                    .foreign_key(&mut fk(
                        "fk_consent_participant_id",
                        Consent::Table,
                        Consent::ParticipantId,
                        Participant::Table,
                        Participant::Id,
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_consent_recorded_by",
                        Consent::Table,
                        Consent::RecordedBy,
                        AppUser::Table,
                        AppUser::Id,
                        Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "fk_consent_withdrawn_by",
                        Consent::Table,
                        Consent::WithdrawnBy,
                        AppUser::Table,
                        AppUser::Id,
                        Restrict,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_consent_participant_id",
                Consent::Table,
                vec![Consent::ParticipantId.into_iden()],
                false,
            ))
            .await?;

        // 10. citizen_profile
        manager
            .create_table(
                Table::create()
                    .table(CitizenProfile::Table)
                    .col(pk_uuid(CitizenProfile::Id))
                    .col(uuid(CitizenProfile::ParticipantId))
                    .col(date(CitizenProfile::AsOf))
                    .col(boolean_null(CitizenProfile::HasSmartphone))
                    .col(boolean_null(CitizenProfile::HasPaymentAccount))
                    .col(boolean_null(CitizenProfile::UsesOnlinePublicServices))
                    .col(boolean_null(CitizenProfile::VneidActivated))
                    .col(uuid_null(CitizenProfile::RecordedBy))
                    .col(timestamp_with_time_zone(CitizenProfile::RecordedAt))
                    .foreign_key(&mut fk(
                        "fk_citizen_profile_participant_id",
                        CitizenProfile::Table,
                        CitizenProfile::ParticipantId,
                        Participant::Table,
                        Participant::Id,
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_citizen_profile_recorded_by",
                        CitizenProfile::Table,
                        CitizenProfile::RecordedBy,
                        AppUser::Table,
                        AppUser::Id,
                        Restrict,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "uq_citizen_profile_participant_id_as_of",
                CitizenProfile::Table,
                vec![
                    CitizenProfile::ParticipantId.into_iden(),
                    CitizenProfile::AsOf.into_iden(),
                ],
                true,
            ))
            .await?;

        // 11. curriculum_version
        manager
            .create_table(
                Table::create()
                    .table(CurriculumVersion::Table)
                    .col(pk_uuid(CurriculumVersion::Id))
                    .col(text_uniq(CurriculumVersion::Code))
                    .col(text(CurriculumVersion::Name))
                    .col(text_null(CurriculumVersion::LegalBasis))
                    .col(text(CurriculumVersion::CompletionRule))
                    .col(enum_col(CurriculumVersion::Status))
                    .col(timestamp_with_time_zone_null(
                        CurriculumVersion::PublishedAt,
                    ))
                    .col(timestamp_with_time_zone(CurriculumVersion::CreatedAt))
                    .col(timestamp_with_time_zone(CurriculumVersion::UpdatedAt))
                    .check(check_in(
                        "ck_curriculum_version_status",
                        CurriculumVersion::Status,
                        CURRICULUM_STATUSES,
                    ))
                    .take(),
            )
            .await?;

        // 12. skill_module
        manager
            .create_table(
                Table::create()
                    .table(SkillModule::Table)
                    .col(pk_uuid(SkillModule::Id))
                    .col(uuid(SkillModule::CurriculumVersionId))
                    .col(text(SkillModule::Code))
                    .col(text(SkillModule::Name))
                    .col(boolean(SkillModule::Required).default(true))
                    .col(integer(SkillModule::Position))
                    .foreign_key(&mut fk(
                        "fk_skill_module_curriculum_version_id",
                        SkillModule::Table,
                        SkillModule::CurriculumVersionId,
                        CurriculumVersion::Table,
                        CurriculumVersion::Id,
                        Restrict,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "uq_skill_module_curriculum_version_id_code",
                SkillModule::Table,
                vec![
                    SkillModule::CurriculumVersionId.into_iden(),
                    SkillModule::Code.into_iden(),
                ],
                true,
            ))
            .await?;

        // 13. working_age_rule
        manager
            .create_table(
                Table::create()
                    .table(WorkingAgeRule::Table)
                    .col(pk_uuid(WorkingAgeRule::Id))
                    .col(text_uniq(WorkingAgeRule::Code))
                    .col(text(WorkingAgeRule::Name))
                    .col(text_null(WorkingAgeRule::LegalBasis))
                    .col(text(WorkingAgeRule::Definition))
                    .col(timestamp_with_time_zone(WorkingAgeRule::CreatedAt))
                    .take(),
            )
            .await?;

        // 14. training_session
        manager
            .create_table(
                Table::create()
                    .table(TrainingSession::Table)
                    .col(pk_uuid(TrainingSession::Id))
                    .col(uuid(TrainingSession::UnitId))
                    .col(uuid_null(TrainingSession::VillageId))
                    .col(text(TrainingSession::Place))
                    .col(timestamp_with_time_zone(TrainingSession::StartsAt))
                    .col(integer(TrainingSession::DurationMinutes))
                    .col(uuid(TrainingSession::CurriculumVersionId))
                    .col(text_null(TrainingSession::Notes))
                    .col(enum_col(TrainingSession::Status))
                    .col(uuid_null(TrainingSession::CreatedBy))
                    .col(timestamp_with_time_zone(TrainingSession::CreatedAt))
                    .col(timestamp_with_time_zone(TrainingSession::UpdatedAt))
                    .col(timestamp_with_time_zone_null(TrainingSession::CancelledAt))
                    .check(check_in(
                        "ck_training_session_status",
                        TrainingSession::Status,
                        SESSION_STATUSES,
                    ))
                    .foreign_key(&mut fk(
                        "fk_training_session_unit_id",
                        TrainingSession::Table,
                        TrainingSession::UnitId,
                        AdminUnit::Table,
                        AdminUnit::Id,
                        Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "fk_training_session_village_id",
                        TrainingSession::Table,
                        TrainingSession::VillageId,
                        AdminUnit::Table,
                        AdminUnit::Id,
                        Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "fk_training_session_curriculum_version_id",
                        TrainingSession::Table,
                        TrainingSession::CurriculumVersionId,
                        CurriculumVersion::Table,
                        CurriculumVersion::Id,
                        Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "fk_training_session_created_by",
                        TrainingSession::Table,
                        TrainingSession::CreatedBy,
                        AppUser::Table,
                        AppUser::Id,
                        Restrict,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_training_session_unit_id_starts_at",
                TrainingSession::Table,
                vec![
                    TrainingSession::UnitId.into_iden(),
                    TrainingSession::StartsAt.into_iden(),
                ],
                false,
            ))
            .await?;

        // 15. session_module
        manager
            .create_table(
                Table::create()
                    .table(SessionModule::Table)
                    .col(uuid(SessionModule::SessionId))
                    .col(uuid(SessionModule::ModuleId))
                    .primary_key(
                        Index::create()
                            .name("pk_session_module")
                            .col(SessionModule::SessionId)
                            .col(SessionModule::ModuleId),
                    )
                    .foreign_key(&mut fk(
                        "fk_session_module_session_id",
                        SessionModule::Table,
                        SessionModule::SessionId,
                        TrainingSession::Table,
                        TrainingSession::Id,
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_session_module_module_id",
                        SessionModule::Table,
                        SessionModule::ModuleId,
                        SkillModule::Table,
                        SkillModule::Id,
                        Restrict,
                    ))
                    .take(),
            )
            .await?;

        // 16. session_trainer
        manager
            .create_table(
                Table::create()
                    .table(SessionTrainer::Table)
                    .col(uuid(SessionTrainer::SessionId))
                    .col(uuid(SessionTrainer::TeamMemberId))
                    .primary_key(
                        Index::create()
                            .name("pk_session_trainer")
                            .col(SessionTrainer::SessionId)
                            .col(SessionTrainer::TeamMemberId),
                    )
                    .foreign_key(&mut fk(
                        "fk_session_trainer_session_id",
                        SessionTrainer::Table,
                        SessionTrainer::SessionId,
                        TrainingSession::Table,
                        TrainingSession::Id,
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_session_trainer_team_member_id",
                        SessionTrainer::Table,
                        SessionTrainer::TeamMemberId,
                        TeamMember::Table,
                        TeamMember::Id,
                        Restrict,
                    ))
                    .take(),
            )
            .await?;

        // 17. attendance
        manager
            .create_table(
                Table::create()
                    .table(Attendance::Table)
                    .col(pk_uuid(Attendance::Id))
                    .col(uuid(Attendance::SessionId))
                    .col(uuid(Attendance::ParticipantId))
                    .col(enum_col(Attendance::Status))
                    .col(uuid_null(Attendance::MarkedBy))
                    .col(timestamp_with_time_zone(Attendance::MarkedAt))
                    .check(check_in(
                        "ck_attendance_status",
                        Attendance::Status,
                        ATTENDANCE_STATUSES,
                    ))
                    .foreign_key(&mut fk(
                        "fk_attendance_session_id",
                        Attendance::Table,
                        Attendance::SessionId,
                        TrainingSession::Table,
                        TrainingSession::Id,
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_attendance_participant_id",
                        Attendance::Table,
                        Attendance::ParticipantId,
                        Participant::Table,
                        Participant::Id,
                        Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "fk_attendance_marked_by",
                        Attendance::Table,
                        Attendance::MarkedBy,
                        AppUser::Table,
                        AppUser::Id,
                        Restrict,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "uq_attendance_session_id_participant_id",
                Attendance::Table,
                vec![
                    Attendance::SessionId.into_iden(),
                    Attendance::ParticipantId.into_iden(),
                ],
                true,
            ))
            .await?;
        manager
            .create_index(index(
                "idx_attendance_participant_id",
                Attendance::Table,
                vec![Attendance::ParticipantId.into_iden()],
                false,
            ))
            .await?;

        // 18. working_age_population
        manager
            .create_table(
                Table::create()
                    .table(WorkingAgePopulation::Table)
                    .col(pk_uuid(WorkingAgePopulation::Id))
                    .col(uuid(WorkingAgePopulation::UnitId))
                    .col(integer(WorkingAgePopulation::Year))
                    .col(big_integer(WorkingAgePopulation::Population))
                    .col(text(WorkingAgePopulation::Source))
                    .col(uuid_null(WorkingAgePopulation::RuleId))
                    .col(uuid_null(WorkingAgePopulation::EnteredBy))
                    .col(timestamp_with_time_zone(WorkingAgePopulation::CreatedAt))
                    .col(timestamp_with_time_zone(WorkingAgePopulation::UpdatedAt))
                    .check(Check::named(
                        Alias::new("ck_working_age_population_population"),
                        Expr::col(WorkingAgePopulation::Population).gte(0),
                    ))
                    .foreign_key(&mut fk(
                        "fk_working_age_population_unit_id",
                        WorkingAgePopulation::Table,
                        WorkingAgePopulation::UnitId,
                        AdminUnit::Table,
                        AdminUnit::Id,
                        Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "fk_working_age_population_rule_id",
                        WorkingAgePopulation::Table,
                        WorkingAgePopulation::RuleId,
                        WorkingAgeRule::Table,
                        WorkingAgeRule::Id,
                        Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "fk_working_age_population_entered_by",
                        WorkingAgePopulation::Table,
                        WorkingAgePopulation::EnteredBy,
                        AppUser::Table,
                        AppUser::Id,
                        Restrict,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "uq_working_age_population_unit_id_year",
                WorkingAgePopulation::Table,
                vec![
                    WorkingAgePopulation::UnitId.into_iden(),
                    WorkingAgePopulation::Year.into_iden(),
                ],
                true,
            ))
            .await?;

        // 19. audit_log (no foreign keys: the log outlives what it describes)
        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .col(pk_uuid(AuditLog::Id))
                    .col(timestamp_with_time_zone(AuditLog::At))
                    .col(uuid_null(AuditLog::ActorUserId))
                    .col(text(AuditLog::Action))
                    .col(text(AuditLog::Entity))
                    .col(text_null(AuditLog::EntityId))
                    .col(uuid_null(AuditLog::ScopeUnitId))
                    .col(text_null(AuditLog::Before))
                    .col(text_null(AuditLog::After))
                    .col(text_null(AuditLog::Client))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_audit_log_scope_unit_id_at",
                AuditLog::Table,
                vec![AuditLog::ScopeUnitId.into_iden(), AuditLog::At.into_iden()],
                false,
            ))
            .await?;
        manager
            .create_index(index(
                "idx_audit_log_entity_entity_id",
                AuditLog::Table,
                vec![AuditLog::Entity.into_iden(), AuditLog::EntityId.into_iden()],
                false,
            ))
            .await?;
        let triggers = match manager.get_database_backend() {
            DbBackend::Sqlite => SQLITE_AUDIT_TRIGGERS_UP,
            DbBackend::Postgres => PG_AUDIT_TRIGGERS_UP,
            other => {
                return Err(DbErr::Migration(format!(
                    "unsupported database backend {other:?}"
                )));
            }
        };
        let conn = manager.get_connection();
        for sql in triggers {
            conn.execute_unprepared(sql).await?;
        }

        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let triggers = match manager.get_database_backend() {
            DbBackend::Sqlite => SQLITE_AUDIT_TRIGGERS_DOWN,
            DbBackend::Postgres => PG_AUDIT_TRIGGERS_DOWN,
            other => {
                return Err(DbErr::Migration(format!(
                    "unsupported database backend {other:?}"
                )));
            }
        };
        let conn = manager.get_connection();
        for sql in triggers {
            conn.execute_unprepared(sql).await?;
        }

        // SQLite's DROP TABLE first deletes every row, checking foreign keys as it goes;
        // with ON DELETE RESTRICT a self-reference (a commune whose parent province is
        // deleted before it) makes that fail. Every other referencing table is dropped
        // before the table it references, so clearing the two self-references suffices.
        if manager.get_database_backend() == DbBackend::Sqlite {
            manager
                .exec_stmt(
                    Query::update()
                        .table(Participant::Table)
                        .value(Participant::MergedIntoId, Option::<Uuid>::None)
                        .to_owned(),
                )
                .await?;
            manager
                .exec_stmt(
                    Query::update()
                        .table(AdminUnit::Table)
                        .value(AdminUnit::ParentId, Option::<Uuid>::None)
                        .to_owned(),
                )
                .await?;
        }

        // Reverse order of creation; dropping a table drops its indexes.
        let tables: [DynIden; 19] = [
            AuditLog::Table.into_iden(),
            WorkingAgePopulation::Table.into_iden(),
            Attendance::Table.into_iden(),
            SessionTrainer::Table.into_iden(),
            SessionModule::Table.into_iden(),
            TrainingSession::Table.into_iden(),
            WorkingAgeRule::Table.into_iden(),
            SkillModule::Table.into_iden(),
            CurriculumVersion::Table.into_iden(),
            CitizenProfile::Table.into_iden(),
            Consent::Table.into_iden(),
            Participant::Table.into_iden(),
            TeamMember::Table.into_iden(),
            Team::Table.into_iden(),
            LoginAttempt::Table.into_iden(),
            UserSession::Table.into_iden(),
            AppUser::Table.into_iden(),
            UnitSuccession::Table.into_iden(),
            AdminUnit::Table.into_iden(),
        ];
        for table in tables {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
