//! Who is calling: the session cookie, the signed-in user, the client address.

use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use http::HeaderValue;
use http::header::{COOKIE, SET_COOKIE};
use kynangso_data::sessions::{self, SessionPolicy, SessionUser};
use leptos::prelude::*;

use super::{data_error, db, respond_with};
use crate::AppError;

/// Cookie and session settings, provided as context by the server.
#[derive(Debug, Clone, Copy)]
pub struct AuthSettings {
    pub policy: SessionPolicy,
    /// Served over HTTPS: the cookie is `Secure` and `__Host-` prefixed.
    pub secure_cookies: bool,
}

impl AuthSettings {
    pub fn cookie_name(&self) -> &'static str {
        if self.secure_cookies {
            "__Host-kns_session"
        } else {
            "kns_session"
        }
    }
}

pub fn settings() -> Result<AuthSettings, AppError> {
    use_context::<AuthSettings>().ok_or_else(|| {
        tracing::error!("auth settings missing from the request context");
        respond_with(AppError::Internal)
    })
}

/// The session token from the request's cookies, if any.
pub fn session_token() -> Option<String> {
    let settings = use_context::<AuthSettings>()?;
    let parts = use_context::<http::request::Parts>()?;
    let name = settings.cookie_name();
    parts
        .headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|header| header.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}

/// The signed-in user, or `None`.
pub async fn current_user() -> Result<Option<SessionUser>, AppError> {
    let Some(token) = session_token() else {
        return Ok(None);
    };
    let settings = settings()?;
    sessions::resolve(&db()?, &token, settings.policy)
        .await
        .map_err(data_error)
}

/// The signed-in user, or a 401 that asks the person to sign in.
pub async fn require_user() -> Result<SessionUser, AppError> {
    current_user()
        .await?
        .ok_or_else(|| respond_with(AppError::Unauthenticated))
}

/// The client's address as the server saw it (for throttling and the audit log). A
/// forwarded-for header is not trusted: it is whatever the client wants it to be.
pub fn client_address() -> String {
    use_context::<http::request::Parts>()
        .and_then(|parts| {
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip().to_string())
        })
        .unwrap_or_else(|| "unknown".to_owned())
}

pub fn set_session_cookie(token: &str) -> Result<(), AppError> {
    let settings = settings()?;
    let max_age = settings.policy.absolute.num_seconds();
    let secure = if settings.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}",
        settings.cookie_name()
    );
    append_cookie(&cookie);
    Ok(())
}

pub fn clear_session_cookie() -> Result<(), AppError> {
    let settings = settings()?;
    let secure = if settings.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    append_cookie(&format!(
        "{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}",
        settings.cookie_name()
    ));
    Ok(())
}

fn append_cookie(cookie: &str) {
    if let (Some(options), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        HeaderValue::from_str(cookie),
    ) {
        options.append_header(SET_COOKIE, value);
    }
}
