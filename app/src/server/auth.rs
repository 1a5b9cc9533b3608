//! Who is calling: the session cookie, the signed-in user, the client address.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::ConnectInfo;
use http::HeaderValue;
use http::header::{COOKIE, SET_COOKIE};
use kynangso_data::sign_in::sessions::{self, SessionPolicy, SessionUser};
use leptos::prelude::*;

use super::db;
use crate::AppError;

/// Cookie and session settings, provided as context by the server.
#[derive(Debug, Clone)]
pub struct AuthSettings {
    pub policy: SessionPolicy,
    /// Served over HTTPS: the cookie is `Secure` and `__Host-` prefixed.
    pub secure_cookies: bool,
    /// Proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Arc<[IpAddr]>,
}

impl AuthSettings {
    pub fn cookie_name(&self) -> &'static str {
        if self.secure_cookies {
            "__Host-kns_session"
        } else {
            "kns_session"
        }
    }

    /// The cookie that marks a device where an account signed in before (see
    /// `kynangso_data::sign_in`): it keeps its owner's sign-in throttle apart from others'.
    pub fn device_cookie_name(&self) -> &'static str {
        if self.secure_cookies {
            "__Host-kns_device"
        } else {
            "kns_device"
        }
    }
}

pub fn settings() -> Result<AuthSettings, AppError> {
    use_context::<AuthSettings>().ok_or_else(|| {
        tracing::error!("auth settings missing from the request context");
        AppError::Internal
    })
}

/// The session token from the request's cookies, if any.
pub fn session_token() -> Option<String> {
    let settings = use_context::<AuthSettings>()?;
    let parts = use_context::<http::request::Parts>()?;
    token_in(&parts.headers, &settings)
}

/// The known-device token from the request's cookies, if any.
pub fn device_token() -> Option<String> {
    let settings = use_context::<AuthSettings>()?;
    let parts = use_context::<http::request::Parts>()?;
    cookie_in(&parts.headers, settings.device_cookie_name())
}

/// The session token among `headers`' cookies.
pub fn token_in(headers: &http::HeaderMap, settings: &AuthSettings) -> Option<String> {
    cookie_in(headers, settings.cookie_name())
}

fn cookie_in(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|header| header.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}

/// The caller of a plain HTTP handler (a file download), by the same rules as
/// [`require_caller`]: 401 without a live session, 403 until a temporary password is changed.
pub async fn caller_of(
    db: &kynangso_data::DatabaseConnection,
    settings: &AuthSettings,
    parts: &http::request::Parts,
) -> Result<kynangso_data::access::Caller, AppError> {
    let Some(token) = token_in(&parts.headers, settings) else {
        return Err(AppError::Unauthenticated);
    };
    let user = sessions::resolve(db, &token, settings.policy)
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "resolving a session failed");
            AppError::Internal
        })?
        .ok_or(AppError::Unauthenticated)?;
    if user.must_change_password {
        return Err(AppError::PasswordChangeRequired);
    }
    Ok(kynangso_data::access::Caller::new(
        &user,
        Some(client_of(parts, settings)),
    ))
}

/// The signed-in user, or `None`.
pub async fn current_user() -> Result<Option<SessionUser>, AppError> {
    let Some(token) = session_token() else {
        return Ok(None);
    };
    let settings = settings()?;
    sessions::resolve(&db()?, &token, settings.policy)
        .await
        .map_err(AppError::from)
}

/// The signed-in user, or a 401 that asks the person to sign in.
pub async fn require_user() -> Result<SessionUser, AppError> {
    current_user().await?.ok_or(AppError::Unauthenticated)
}

/// The signed-in caller of a data function, with their client address. A temporary
/// password must be changed first: until then every data function answers 403.
pub async fn require_caller() -> Result<kynangso_data::access::Caller, AppError> {
    let user = require_user().await?;
    if user.must_change_password {
        return Err(AppError::PasswordChangeRequired);
    }
    Ok(kynangso_data::access::Caller::new(
        &user,
        Some(client_address()),
    ))
}

/// The client's address (for throttling and the audit log). `X-Forwarded-For` is whatever
/// a client wants it to be, so it is read only when the peer is a configured proxy.
pub fn client_address() -> String {
    match (
        use_context::<http::request::Parts>(),
        use_context::<AuthSettings>(),
    ) {
        (Some(parts), Some(settings)) => client_of(&parts, &settings),
        _ => "unknown".to_owned(),
    }
}

/// The client's address behind the configured proxies.
pub fn client_of(parts: &http::request::Parts, settings: &AuthSettings) -> String {
    let Some(peer) = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
    else {
        return "unknown".to_owned();
    };
    let forwarded: Vec<&str> = parts
        .headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    client_behind_proxies(peer, &forwarded, &settings.trusted_proxies).to_string()
}

/// Walks `X-Forwarded-For` from the right while the hop is a trusted proxy: the first
/// untrusted hop is the client. Each proxy appends the address it received from.
fn client_behind_proxies(peer: IpAddr, forwarded: &[&str], trusted: &[IpAddr]) -> IpAddr {
    let mut client = peer;
    let hops = forwarded
        .iter()
        .flat_map(|header| header.split(','))
        .map(str::trim)
        .collect::<Vec<_>>();
    for hop in hops.into_iter().rev() {
        if !trusted.contains(&client) {
            break;
        }
        match hop.parse::<IpAddr>() {
            Ok(ip) => client = ip,
            Err(_) => break,
        }
    }
    client
}

pub fn set_session_cookie(token: &str) -> Result<(), AppError> {
    let settings = settings()?;
    let max_age = settings.policy.absolute.num_seconds();
    set_cookie(&settings, settings.cookie_name(), token, max_age);
    Ok(())
}

pub fn clear_session_cookie() -> Result<(), AppError> {
    let settings = settings()?;
    set_cookie(&settings, settings.cookie_name(), "", 0);
    Ok(())
}

/// Marks this device as one where the account signed in (for 90 days).
pub fn remember_device(token: &str) -> Result<(), AppError> {
    let settings = settings()?;
    let max_age = kynangso_data::sign_in::devices::DEVICE_LIFETIME.num_seconds();
    set_cookie(&settings, settings.device_cookie_name(), token, max_age);
    Ok(())
}

/// Our cookies: HttpOnly, SameSite=Lax, site-wide, `Secure` over HTTPS.
fn set_cookie(settings: &AuthSettings, name: &str, value: &str, max_age: i64) {
    let secure = if settings.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    append_cookie(&format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"
    ));
}

fn append_cookie(cookie: &str) {
    if let (Some(options), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        HeaderValue::from_str(cookie),
    ) {
        options.append_header(SET_COOKIE, value);
    }
}

#[cfg(test)]
mod tests {
    use super::client_behind_proxies;
    use std::net::IpAddr;

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("ip")
    }

    #[test]
    fn forwarded_for_is_believed_only_from_trusted_proxies() {
        let proxy = ip("10.0.0.2");
        let trusted = [proxy];
        // Direct client: the header is its own invention.
        assert_eq!(
            client_behind_proxies(ip("203.0.113.9"), &["1.2.3.4"], &trusted),
            ip("203.0.113.9")
        );
        // Through the proxy: the hop the proxy saw, not what the client prepended.
        assert_eq!(
            client_behind_proxies(proxy, &["1.2.3.4, 198.51.100.7"], &trusted),
            ip("198.51.100.7")
        );
        // No proxies configured: the peer, whatever the header says.
        assert_eq!(client_behind_proxies(proxy, &["198.51.100.7"], &[]), proxy);
        // A garbled header stops at the proxy.
        assert_eq!(client_behind_proxies(proxy, &["nonsense"], &trusted), proxy);
    }
}
