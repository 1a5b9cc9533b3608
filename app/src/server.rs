//! Server-side helpers for server functions: the database handle, the caller, error mapping.

pub mod auth;
pub mod csp;

use kynangso_data::{DataError, DatabaseConnection};
use leptos::prelude::*;

use crate::AppError;

/// The pool, provided as context by the server for every request.
pub fn db() -> Result<DatabaseConnection, AppError> {
    use_context::<DatabaseConnection>().ok_or_else(|| {
        let path = use_context::<http::request::Parts>().map(|p| p.uri.path().to_owned());
        tracing::error!(
            ?path,
            "database connection missing from the request context"
        );
        AppError::Internal
    })
}

/// Sets the response's HTTP status for `error`: the one place where a status is chosen,
/// called when a server function's error is encoded and when a page shows one.
///
/// A plain form post (no JavaScript yet) that fails is answered with the framework's
/// redirect back to the form, the error in its address; its status must then be 303, or
/// the browser would show the error's JSON instead of following the redirect.
pub fn answer_status(error: &AppError) {
    let Some(options) = use_context::<leptos_axum::ResponseOptions>() else {
        return;
    };
    let from_plain_form = use_context::<http::request::Parts>().is_some_and(|parts| {
        parts.uri.path().starts_with("/api/")
            && parts
                .headers
                .get(http::header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|accept| accept.contains("text/html"))
    });
    options.set_status(if from_plain_form {
        http::StatusCode::SEE_OTHER
    } else {
        error.http_status()
    });
}

impl AppError {
    /// [`AppError::status`] as the server's type.
    pub fn http_status(&self) -> http::StatusCode {
        http::StatusCode::from_u16(self.status()).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR)
    }
}

/// The answer of a plain HTTP route (downloads, uploads): the error's status and its
/// message as text.
impl axum::response::IntoResponse for AppError {
    fn into_response(self) -> axum::response::Response {
        let content_type = [(http::header::CONTENT_TYPE, "text/plain; charset=utf-8")];
        (self.http_status(), content_type, self.to_string()).into_response()
    }
}

/// What a data-layer failure means to the person; the failure itself is logged here with
/// its context, and only what they can act on crosses the wire.
impl From<DataError> for AppError {
    fn from(error: DataError) -> Self {
        match &error {
            DataError::NotFound { .. } => AppError::NotFound,
            DataError::Invalid(msg) => AppError::invalid("", msg.clone()),
            DataError::InvalidField { field, message } => AppError::invalid(field, message.clone()),
            DataError::Forbidden => AppError::Forbidden,
            DataError::AlreadyExists { what: "user" } => {
                AppError::invalid("username", "Tên đăng nhập này đã có người dùng.")
            }
            DataError::AlreadyExists { .. } => {
                AppError::Conflict("Bản ghi đã tồn tại.".to_owned())
            }
            DataError::IdTaken { .. } => AppError::Conflict(
                "Mã bản ghi này đã được dùng cho một bản ghi khác. Vui lòng tải lại trang và nhập lại."
                    .to_owned(),
            ),
            _ => {
                tracing::error!(error = %error, "data layer failed");
                AppError::Internal
            }
        }
    }
}

/// Whether a request comes from a page of this site: its Origin, or without one its
/// Referer, names this host with the scheme the site is served over (`https` when
/// `https`; a page over plain http is another origin, which a network attacker could
/// serve). Guards state-changing requests (CSRF) and decides whether an error carried in
/// a page's address may be shown (a link from elsewhere could carry any text).
pub fn is_same_origin(headers: &http::HeaderMap, https: bool) -> bool {
    use http::header;
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    let scheme = if https { "https://" } else { "http://" };
    let matches = |value: &str| {
        value
            .strip_prefix(scheme)
            .and_then(|rest| rest.strip_prefix(host))
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    };
    match headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) {
        Some(origin) => matches(origin),
        None => headers
            .get(header::REFERER)
            .and_then(|r| r.to_str().ok())
            .is_some_and(matches),
    }
}
