//! Bounds every request before any work is done on it.
//!
//! Server functions take small forms and JSON: their bodies are read here up to
//! [`MAX_SERVER_FN_BODY`] and refused past it (413), so that no handler ever holds more.
//! Uploads have their own, larger bound on their own route (`/nhap/tai-len`).
//!
//! A NUL character is never part of a name, a note or a code, and PostgreSQL cannot store
//! one in a text column (it answers with an error the handler would turn into a 500): a
//! request that carries one, in its address or its body, is refused here with a 400.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use kynangso_app::AppError;

/// The largest body a server function accepts. The largest real one, a roster of 60 marks
/// or a registration form, is under 8 KB.
pub const MAX_SERVER_FN_BODY: usize = 64 * 1024;

/// Refuses oversized server-function bodies and any request carrying a NUL character.
pub async fn bounded_requests(request: Request, next: Next) -> Response {
    let uri = request.uri();
    if uri.query().is_some_and(|q| carries_nul(q.as_bytes())) || carries_nul(uri.path().as_bytes())
    {
        return refused(&request, StatusCode::BAD_REQUEST, NUL_MESSAGE);
    }
    let is_server_fn = request.uri().path().starts_with("/api/");
    if !is_server_fn || matches!(*request.method(), Method::GET | Method::HEAD) {
        return next.run(request).await;
    }
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|length| length > MAX_DRAINED) {
        return refused(&request, StatusCode::PAYLOAD_TOO_LARGE, TOO_LARGE_MESSAGE);
    }
    let (parts, body) = request.into_parts();
    let Some(bytes) = read_bounded(body).await else {
        let request = Request::from_parts(parts, Body::empty());
        return refused(&request, StatusCode::PAYLOAD_TOO_LARGE, TOO_LARGE_MESSAGE);
    };
    let request = Request::from_parts(parts, Body::from(bytes.clone()));
    if carries_nul(&bytes) {
        return refused(&request, StatusCode::BAD_REQUEST, NUL_MESSAGE);
    }
    next.run(request).await
}

/// How much of an oversized body is read and thrown away before refusing it, so that the
/// sender (a phone still uploading it) gets to read the 413 and its message instead of a
/// broken connection. Past this, the connection is simply dropped.
const MAX_DRAINED: usize = 1024 * 1024;

/// The body, or `None` when it is larger than [`MAX_SERVER_FN_BODY`] (whose excess is
/// drained, not kept: at most [`MAX_SERVER_FN_BODY`] bytes are ever held).
async fn read_bounded(mut body: Body) -> Option<axum::body::Bytes> {
    use http_body_util::BodyExt;
    let mut kept = Vec::new();
    let mut seen = 0usize;
    while let Some(frame) = body.frame().await {
        let Ok(frame) = frame else { return None };
        let Ok(data) = frame.into_data() else {
            continue;
        };
        seen = seen.saturating_add(data.len());
        if seen > MAX_DRAINED {
            return None;
        }
        if seen <= MAX_SERVER_FN_BODY {
            kept.extend_from_slice(&data);
        }
    }
    (seen <= MAX_SERVER_FN_BODY).then(|| kept.into())
}

const NUL_MESSAGE: &str = "Dữ liệu gửi lên chứa ký tự không hợp lệ (NUL).";
const TOO_LARGE_MESSAGE: &str = "Dữ liệu gửi lên quá lớn (tối đa 64 KB).";

/// A NUL as it is, or as a form or address would encode it (`%00`) or JSON would
/// (`\u0000`, any case): checked on the bytes, without copying the body.
fn carries_nul(bytes: &[u8]) -> bool {
    bytes.contains(&0)
        || bytes.windows(3).any(|w| w == b"%00")
        || bytes.windows(6).any(|w| w.eq_ignore_ascii_case(b"\\u0000"))
}

/// The refusal in the shape the caller reads: an [`AppError`] as JSON for server
/// functions (the client decodes it), plain text for pages.
fn refused(request: &Request, status: StatusCode, message: &str) -> Response {
    if request.uri().path().starts_with("/api/") {
        let body =
            serde_json::to_string(&AppError::Transport(message.to_owned())).unwrap_or_default();
        (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
    } else {
        (status, message.to_owned()).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::carries_nul;

    #[test]
    fn a_nul_is_found_however_it_is_encoded() {
        assert!(carries_nul(b"q=a%00b"));
        assert!(carries_nul(b"q=a%00"));
        assert!(carries_nul(br#"{"q":"a\u0000"}"#));
        assert!(carries_nul(br#"{"q":"a\U0000"}"#));
        assert!(carries_nul(b"a\0b"));
        assert!(!carries_nul(b"q=nguyen+van+a&x=%C3%A0"));
    }
}
