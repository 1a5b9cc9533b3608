//! The HTTP status of a failed server function always matches its error.
//!
//! Server functions set the status themselves for the errors they raise, but a request
//! the framework cannot even decode (a malformed form) never reaches them and would leave
//! as a 500. This layer reads such an error body back as an [`AppError`] and answers with
//! that error's own status: a client's mistake is a 4xx, never a 500.
//!
//! A plain form post (no JavaScript yet) that fails is answered with the framework's
//! redirect back to the form, the error encoded in the query string; its status must then
//! be 303, or the browser would show the error's JSON body instead of following it.

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use kynangso_app::AppError;

/// Error bodies are a few hundred bytes; anything larger is left alone.
const MAX_ERROR_BODY: usize = 64 * 1024;

pub async fn error_status_matches_error(request: Request, next: Next) -> Response {
    let is_api = request.uri().path().starts_with("/api/");
    let from_plain_form = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    let mut response = next.run(request).await;
    if is_api
        && from_plain_form
        && response.headers().contains_key(header::LOCATION)
        && (response.status().is_client_error() || response.status().is_server_error())
    {
        *response.status_mut() = StatusCode::SEE_OTHER;
        *response.body_mut() = Body::empty();
        response.headers_mut().remove(header::CONTENT_TYPE);
        response.headers_mut().remove(header::CONTENT_LENGTH);
        return response;
    }
    if !is_api || response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_ERROR_BODY).await else {
        parts.status = StatusCode::INTERNAL_SERVER_ERROR;
        return Response::from_parts(parts, Body::empty());
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes)
        && let Ok(status) = StatusCode::from_u16(error.status())
    {
        parts.status = status;
    }
    Response::from_parts(parts, Body::from(bytes))
}
