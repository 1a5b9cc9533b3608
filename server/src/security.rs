//! Request hardening for every route: a same-origin check on state-changing requests
//! (CSRF, on top of SameSite=Lax cookies) and the security headers, including a
//! Content-Security-Policy whose script nonce changes with every response.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use kynangso_app::server::csp::CspNonce;
use kynangso_app::server::is_same_origin;
use rand::RngCore;

/// Refuses a POST/PUT/PATCH/DELETE whose Origin (or, without one, Referer) is not this
/// site. Browsers send Origin on every cross-site POST, so a forged form from another site
/// never reaches a server function.
/// `https`: the site is served over HTTPS (secure cookies), so only `https://` origins are
/// its own.
pub async fn same_origin_only(State(https): State<bool>, request: Request, next: Next) -> Response {
    let changes_state = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if changes_state && !is_same_origin(request.headers(), https) {
        tracing::warn!(path = %request.uri().path(), "cross-origin state-changing request refused");
        return (
            StatusCode::FORBIDDEN,
            "Yêu cầu bị từ chối: không xuất phát từ trang Kỹ Năng Số.",
        )
            .into_response();
    }
    next.run(request).await
}

/// A failed plain form post returns to its page with the error in the address (`__err`,
/// `__path`), and the page shows it — in the page-wide message and beside the form's
/// fields. Anyone can put such an address in a link, so a page request carrying one is
/// honoured only from a page of this site; from elsewhere it is redirected to the same
/// address without them.
pub async fn foreign_form_errors_dropped(
    State(https): State<bool>,
    request: Request,
    next: Next,
) -> Response {
    let carries_error = request.method() == Method::GET
        && request
            .uri()
            .query()
            .is_some_and(|q| q.split('&').any(|pair| pair.starts_with("__err=")));
    if !carries_error || is_same_origin(request.headers(), https) {
        return next.run(request).await;
    }
    let kept: Vec<&str> = request
        .uri()
        .query()
        .unwrap_or_default()
        .split('&')
        .filter(|pair| !pair.starts_with("__err=") && !pair.starts_with("__path="))
        .collect();
    let path = request.uri().path();
    let target = if kept.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", kept.join("&"))
    };
    (StatusCode::SEE_OTHER, [(header::LOCATION, target)]).into_response()
}

/// Adds the security headers, with a fresh CSP nonce that the page shell puts on scripts.
///
/// Everything but the site's own files (`/pkg/`, the same for everyone) is `no-store`:
/// pages, answers and downloads carry people's records, which must not stay in a shared
/// phone's or a proxy's cache. Over HTTPS, HSTS keeps browsers from ever trying plain http.
pub async fn security_headers(
    State(https): State<bool>,
    mut request: Request,
    next: Next,
) -> Response {
    let static_file = request.uri().path().starts_with("/pkg/");
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let nonce = hex::encode(bytes);
    request.extensions_mut().insert(CspNonce(nonce.clone()));
    let mut response: Response<Body> = next.run(request).await;
    let headers = response.headers_mut();
    // 'wasm-unsafe-eval' lets the page compile its own wasm; nothing else is evaluated.
    let csp = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; \
         frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'"
    );
    if let Ok(value) = HeaderValue::from_str(&csp) {
        headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if !static_file {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderMap;

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(name.clone(), HeaderValue::from_str(value).expect("header"));
        }
        map
    }

    #[test]
    fn the_same_origin_is_accepted_and_others_are_not() {
        let host = (header::HOST, "kns.example:3000");
        let https_origin = headers(&[host.clone(), (header::ORIGIN, "https://kns.example:3000")]);
        assert!(is_same_origin(&https_origin, true));
        assert!(!is_same_origin(&https_origin, false), "the scheme counts");
        let http_referer = headers(&[
            host.clone(),
            (header::REFERER, "http://kns.example:3000/dang-nhap"),
        ]);
        assert!(is_same_origin(&http_referer, false));
        assert!(
            !is_same_origin(&http_referer, true),
            "plain http is not the https site"
        );
        assert!(!is_same_origin(
            &headers(&[host.clone(), (header::ORIGIN, "https://evil.example")]),
            true
        ));
        assert!(!is_same_origin(
            &headers(&[
                host.clone(),
                (header::ORIGIN, "https://kns.example:3000.evil.example")
            ]),
            true
        ));
        assert!(!is_same_origin(
            &headers(&[host.clone(), (header::ORIGIN, "null")]),
            true
        ));
        assert!(
            !is_same_origin(&headers(&[host]), false),
            "neither Origin nor Referer"
        );
    }
}
