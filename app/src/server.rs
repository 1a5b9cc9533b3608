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
        respond_with(AppError::Internal)
    })
}

/// Sets the HTTP status that matches `error` on the current response and returns it.
pub fn respond_with(error: AppError) -> AppError {
    if let (Some(options), Ok(status)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(error.status()),
    ) {
        options.set_status(status);
    }
    error
}

/// Logs a data-layer failure with its context and turns it into what the client may see.
pub fn data_error(error: DataError) -> AppError {
    let public = match &error {
        DataError::NotFound { .. } => AppError::NotFound,
        DataError::Invalid(msg) => AppError::invalid("", msg.clone()),
        DataError::InvalidField { field, message } => AppError::invalid(field, message.clone()),
        DataError::Forbidden => AppError::Forbidden,
        DataError::AlreadyExists { what: "user" } => {
            AppError::invalid("username", "Tên đăng nhập này đã có người dùng.")
        }
        DataError::AlreadyExists { .. } => AppError::Conflict("Bản ghi đã tồn tại.".to_owned()),
        DataError::IdTaken { .. } => AppError::Conflict(
            "Mã bản ghi này đã được dùng cho một bản ghi khác. Vui lòng tải lại trang và nhập lại."
                .to_owned(),
        ),
        _ => {
            tracing::error!(error = %error, "data layer failed");
            AppError::Internal
        }
    };
    respond_with(public)
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
