//! Signing in and out. These are the only server functions a caller without a session may
//! use besides public reference data.

use kynangso_domain::Role;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::AppError;

/// What the pages need to know about the signed-in person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub must_change_password: bool,
}

/// Signs in with a user name or phone number and a password, then goes to `next`
/// (a path on this site; anything else is ignored), or to the change-password page when
/// the account still has a temporary password.
#[server(endpoint = "auth/sign-in")]
pub async fn sign_in(
    login: String,
    password: String,
    next: Option<String>,
) -> Result<Me, AppError> {
    use crate::server::auth::{
        client_address, device_token, remember_device, session_token, set_session_cookie,
    };
    use crate::server::db;
    use kynangso_data::audit;
    use kynangso_data::sign_in::SignInOutcome;
    use kynangso_data::sign_in::sessions;

    let db = db()?;
    let client = client_address();
    let device = device_token();
    let outcome =
        kynangso_data::sign_in::check(&db, &login, password, &client, device.as_deref()).await?;
    let user = match outcome {
        SignInOutcome::Accepted {
            user,
            new_device_token,
        } => {
            if let Some(token) = new_device_token {
                remember_device(&token)?;
            }
            user
        }
        SignInOutcome::Rejected => return Err(AppError::SignInFailed),
        SignInOutcome::Throttled { minutes } => {
            return Err(AppError::TooManyAttempts { minutes });
        }
    };
    let settings = crate::server::auth::settings()?;
    // A new session id at every sign-in; the old one (if any) ends.
    if let Some(old) = session_token() {
        sessions::end(&db, &old).await?;
    }
    let token = sessions::start(&db, user.id, Some(client.clone()), settings.policy).await?;
    set_session_cookie(&token)?;
    audit::record(
        &db,
        audit::AuditEntry {
            actor_user_id: Some(user.id),
            action: "sign_in",
            entity: "app_user",
            entity_id: Some(user.id.to_string()),
            scope_unit_id: Some(user.scope_unit_id),
            client: Some(client),
            ..Default::default()
        },
    )
    .await
    .map_err(kynangso_data::DataError::from)?;
    let role = Role::parse(&user.role).ok_or(AppError::Internal)?;
    // The sign-in page always sends `next` (a plain form post needs the redirect); the
    // "sign in again" panel inside another form sends none and stays on its page.
    if let Some(next) = next {
        if user.must_change_password {
            leptos_axum::redirect("/doi-mat-khau");
        } else {
            leptos_axum::redirect(&safe_next(Some(&next)));
        }
    }
    Ok(Me {
        username: user.username,
        display_name: user.display_name,
        role,
        must_change_password: user.must_change_password,
    })
}

/// Ends this session.
#[server(endpoint = "auth/sign-out")]
pub async fn sign_out() -> Result<(), AppError> {
    use crate::server::auth::{clear_session_cookie, session_token};
    use crate::server::db;

    if let Some(token) = session_token() {
        kynangso_data::sign_in::sessions::end(&db()?, &token).await?;
    }
    clear_session_cookie()?;
    leptos_axum::redirect("/");
    Ok(())
}

/// Ends every session of the signed-in user, on every device.
#[server(endpoint = "auth/sign-out-everywhere")]
pub async fn sign_out_everywhere() -> Result<u64, AppError> {
    use crate::server::auth::{clear_session_cookie, require_user};
    use crate::server::db;

    let me = require_user().await?;
    let ended = kynangso_data::sign_in::sessions::end_all(&db()?, me.user_id).await?;
    clear_session_cookie()?;
    Ok(ended)
}

/// The signed-in person, or `None`.
#[server(endpoint = "auth/me")]
pub async fn who_am_i() -> Result<Option<Me>, AppError> {
    let user = crate::server::auth::current_user().await?;
    Ok(user.map(|u| Me {
        username: u.username,
        display_name: u.display_name,
        role: u.role,
        must_change_password: u.must_change_password,
    }))
}

/// Only local paths: "/x" but not "//evil.example" or "https://…" (no open redirect).
/// Browsers drop tabs and line breaks from an address and read a backslash as a slash,
/// so "/\t/evil.example" would become "//evil.example": a path holding any control
/// character, space or backslash is refused whole.
#[cfg_attr(not(feature = "ssr"), allow(dead_code))]
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path
                    .chars()
                    .any(|c| c.is_control() || c.is_whitespace() || c == '\\') =>
        {
            path.to_owned()
        }
        _ => "/".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(safe_next(Some("/phien-tap-huan")), "/phien-tap-huan");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(None), "/");
        assert_eq!(safe_next(Some("/\t/evil.example")), "/");
        assert_eq!(safe_next(Some("/\n/evil.example")), "/");
        assert_eq!(safe_next(Some("/ /evil.example")), "/");
        assert_eq!(safe_next(Some("/\u{0}/x")), "/");
    }
}
