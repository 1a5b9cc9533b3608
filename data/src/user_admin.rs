//! Managing accounts: who may create, list and disable whom, and changing one's password.
//!
//! A province admin manages every account; a commune lead manages the team members of
//! their own commune. New accounts get a temporary password that must be changed at the
//! first sign-in. Disabling an account ends its sessions at once.

use chrono::Utc;
use kynangso_domain::Role;
use kynangso_domain::credentials::{check_password, parse_username};
use kynangso_domain::phone::VnMobile;
use kynangso_domain::views::UserSummary;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use crate::access::Caller;
use crate::entities::{admin_unit, app_user};
use crate::idempotent::Outcome;
use crate::sign_in::sessions;
use crate::users::{self, NewUser};
use crate::{DataError, audit, password};

/// An account to create, as the form sends it (already parsed).
#[derive(Clone)]
pub struct AccountRequest {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    pub phone: Option<String>,
    pub role: Role,
    /// Statistics-office code of the unit; ignored for a commune lead's request (their
    /// own commune is used).
    pub unit_code: Option<String>,
    pub temporary_password: String,
}

/// Creates an account the caller is allowed to create. Idempotent on `id`.
#[tracing::instrument(skip_all, fields(user_id = %caller.user_id, new_user = %request.id))]
pub async fn create_account(
    db: &DatabaseConnection,
    caller: &Caller,
    request: AccountRequest,
) -> Result<Outcome, DataError> {
    let unit_id = match caller.role {
        Role::ProvinceAdmin => current_unit_by_code(db, request.unit_code.as_deref()).await?,
        Role::CommuneLead if request.role == Role::TeamMember => caller.scope_unit_id,
        _ => return Err(DataError::Forbidden),
    };
    check_unit_fits_role(db, unit_id, request.role).await?;
    let invalid = |field: &'static str, message: String| DataError::InvalidField { field, message };
    parse_username(&request.username).map_err(|p| invalid("username", p.to_string()))?;
    if request.display_name.trim().is_empty() {
        return Err(invalid(
            "display_name",
            "Vui lòng nhập họ và tên.".to_owned(),
        ));
    }
    let phone = match request.phone.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(
            VnMobile::parse(text)
                .map_err(|p| invalid("phone", p.to_string()))?
                .as_str()
                .to_owned(),
        ),
    };
    check_password(&request.temporary_password)
        .map_err(|p| invalid("temporary_password", p.to_string()))?;
    if let Some(phone) = &phone {
        let holder = app_user::Entity::find()
            .filter(app_user::Column::Phone.eq(phone.as_str()))
            .one(db)
            .await?;
        if holder.is_some_and(|u| u.id != request.id) {
            return Err(invalid(
                "phone",
                "Số điện thoại này đã gắn với một tài khoản khác.".to_owned(),
            ));
        }
    }
    let new = NewUser {
        id: request.id,
        username: request.username,
        phone,
        display_name: kynangso_domain::text::canonical_name(&request.display_name),
        password: request.temporary_password,
        role: request.role,
        scope_unit_id: unit_id,
        must_change_password: true,
    };
    // The password is hashed first, outside any transaction. On SQLite the transaction
    // then takes the writers' gate, so two creations of one user name follow each other
    // and the second reads the first's account. A transaction that read before another
    // connection (outside the gate) committed still fails its upgrade to a writer with
    // SQLITE_BUSY_SNAPSHOT (code 517), which waiting cannot cure: the whole create is then
    // tried again (it is idempotent on the id).
    let hash = users::hash_password_of(&new).await?;
    let mut tries = 0;
    loop {
        let _gate = crate::db::write_gate(db).await;
        let txn = db.begin().await?;
        match users::create_hashed(&txn, new.clone(), hash.clone(), Some(caller.user_id)).await {
            Ok(outcome) => {
                txn.commit().await?;
                return Ok(outcome);
            }
            Err(DataError::Db(err)) if tries < 2 && err.to_string().contains("(code: 517)") => {
                txn.rollback().await?;
                tries += 1;
                tracing::warn!(tries, "account creation raced another writer; trying again");
            }
            Err(err) => return Err(err),
        }
    }
}

async fn current_unit_by_code<C: ConnectionTrait>(
    db: &C,
    code: Option<&str>,
) -> Result<Uuid, DataError> {
    let code = code.map(str::trim).unwrap_or_default();
    admin_unit::Entity::find()
        .filter(admin_unit::Column::Code.eq(code))
        .filter(admin_unit::Column::ValidTo.is_null())
        .one(db)
        .await?
        .map(|u| u.id)
        .ok_or(DataError::InvalidField {
            field: "unit_code",
            message: "Vui lòng chọn một đơn vị hiện hành.".to_owned(),
        })
}

/// Province roles belong to the province; commune roles to a current commune or ward.
async fn check_unit_fits_role<C: ConnectionTrait>(
    db: &C,
    unit_id: Uuid,
    role: Role,
) -> Result<(), DataError> {
    let unit = admin_unit::Entity::find_by_id(unit_id)
        .filter(admin_unit::Column::ValidTo.is_null())
        .one(db)
        .await?;
    let kind = unit
        .as_ref()
        .and_then(|u| kynangso_domain::UnitKind::parse(&u.kind));
    let fits = match (role, kind) {
        (Role::ProvinceAdmin | Role::ProvinceReviewer, Some(k)) => {
            k == kynangso_domain::UnitKind::Province
        }
        (Role::CommuneLead | Role::TeamMember, Some(k)) => k.is_commune_level(),
        _ => false,
    };
    if fits {
        Ok(())
    } else {
        Err(DataError::InvalidField {
            field: "unit_code",
            message: "Đơn vị không phù hợp với vai trò đã chọn.".to_owned(),
        })
    }
}

/// The accounts the caller manages: all for an admin, their commune's for a lead.
pub async fn list_accounts<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
) -> Result<Vec<UserSummary>, DataError> {
    let mut select = app_user::Entity::find().find_also_related(admin_unit::Entity);
    match caller.role {
        Role::ProvinceAdmin => {}
        Role::CommuneLead => {
            select = select.filter(app_user::Column::ScopeUnitId.eq(caller.scope_unit_id));
        }
        _ => return Err(DataError::Forbidden),
    }
    let rows = select
        .order_by_asc(app_user::Column::Username)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(u, unit)| {
            Some(UserSummary {
                role: Role::parse(&u.role)?,
                id: u.id,
                username: u.username,
                display_name: u.display_name,
                unit: unit.map(|x| x.name).unwrap_or_default(),
                must_change_password: u.must_change_password,
                disabled: u.disabled_at.is_some(),
            })
        })
        .collect())
}

/// Disables (or re-enables) an account the caller manages. Disabling ends every session
/// of that account at once. Nobody disables themselves (an admin could lock everyone out).
#[tracing::instrument(skip_all, fields(user_id = %caller.user_id, target = %target))]
pub async fn set_disabled(
    db: &DatabaseConnection,
    caller: &Caller,
    target: Uuid,
    disabled: bool,
) -> Result<(), DataError> {
    if !caller.is_lead_or_admin() {
        return Err(DataError::Forbidden);
    }
    let user = app_user::Entity::find_by_id(target)
        .one(db)
        .await?
        .ok_or(DataError::NotFound { what: "user" })?;
    let manages = match caller.role {
        Role::ProvinceAdmin => true,
        _ => user.scope_unit_id == caller.scope_unit_id && user.role == Role::TeamMember.as_str(),
    };
    if !manages {
        return Err(caller.out_of_scope("user", target));
    }
    if target == caller.user_id {
        return Err(DataError::InvalidField {
            field: "user_id",
            message: "Không thể tự khoá tài khoản của mình.".to_owned(),
        });
    }
    if user.disabled_at.is_some() == disabled {
        return Ok(());
    }
    let now = Utc::now();
    let txn = db.begin().await?;
    app_user::Entity::update_many()
        .col_expr(
            app_user::Column::DisabledAt,
            Expr::value(disabled.then_some(now)),
        )
        .col_expr(app_user::Column::UpdatedAt, Expr::value(now))
        .filter(app_user::Column::Id.eq(target))
        .exec(&txn)
        .await?;
    if disabled {
        sessions::end_all(&txn, target).await?;
    }
    audit::record(
        &txn,
        audit::AuditEntry {
            actor_user_id: Some(caller.user_id),
            action: if disabled { "disable" } else { "enable" },
            entity: "app_user",
            entity_id: Some(target.to_string()),
            scope_unit_id: Some(user.scope_unit_id),
            before: Some(json!({ "disabled": user.disabled_at.is_some() })),
            after: Some(json!({ "disabled": disabled })),
            client: caller.client.clone(),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Changes the caller's own password after checking the current one. Clears the
/// "temporary password" flag and ends the account's other sessions.
#[tracing::instrument(skip_all, fields(user_id = %caller.user_id))]
pub async fn change_password(
    db: &DatabaseConnection,
    caller: &Caller,
    current_token: Option<&str>,
    current: String,
    new: String,
) -> Result<(), DataError> {
    let user = app_user::Entity::find_by_id(caller.user_id)
        .one(db)
        .await?
        .ok_or(DataError::NotFound { what: "user" })?;
    let client = caller.client.as_deref().unwrap_or("unknown");
    match crate::sign_in::verify_current(db, &user, current.clone(), client).await? {
        Some(true) => {}
        Some(false) => {
            return Err(DataError::InvalidField {
                field: "current_password",
                message: "Mật khẩu hiện tại không đúng.".to_owned(),
            });
        }
        None => {
            return Err(DataError::InvalidField {
                field: "current_password",
                message: format!(
                    "Nhập sai quá nhiều lần. Vui lòng thử lại sau {} phút.",
                    crate::sign_in::WINDOW.num_minutes()
                ),
            });
        }
    }
    check_password(&new).map_err(|problem| DataError::InvalidField {
        field: "new_password",
        message: problem.to_string(),
    })?;
    if new == current {
        return Err(DataError::InvalidField {
            field: "new_password",
            message: "Mật khẩu mới phải khác mật khẩu hiện tại.".to_owned(),
        });
    }
    let hash = password::hash(new).await?;
    let now = Utc::now();
    let txn = db.begin().await?;
    app_user::Entity::update_many()
        .col_expr(app_user::Column::PasswordHash, Expr::value(hash.as_str()))
        .col_expr(app_user::Column::MustChangePassword, Expr::value(false))
        .col_expr(app_user::Column::UpdatedAt, Expr::value(now))
        .filter(app_user::Column::Id.eq(caller.user_id))
        .exec(&txn)
        .await?;
    sessions::end_all_except(&txn, caller.user_id, current_token).await?;
    audit::record(
        &txn,
        audit::AuditEntry {
            actor_user_id: Some(caller.user_id),
            action: "change_password",
            entity: "app_user",
            entity_id: Some(caller.user_id.to_string()),
            scope_unit_id: Some(user.scope_unit_id),
            client: caller.client.clone(),
            ..Default::default()
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
