//! The HTTP router: pages (SSR), server functions, static files and health.

use axum::extract::DefaultBodyLimit;
use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Router, middleware};
use kynangso_app::server::auth::AuthSettings;
use kynangso_app::{App, shell};
use kynangso_data::DatabaseConnection;
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list};
use sea_orm::ConnectionTrait;
use tower_http::compression::CompressionLayer;

use crate::security;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: DatabaseConnection,
}

pub fn build(db: DatabaseConnection, leptos_options: LeptosOptions, auth: AuthSettings) -> Router {
    let state = AppState {
        leptos_options: leptos_options.clone(),
        db: db.clone(),
    };
    let routes = generate_route_list(App);
    let downloads = Router::new()
        .route("/bao-cao/xuat/{file}", get(crate::exports::report))
        .route("/bao-cao/{code}/xuat/{file}", get(crate::exports::register))
        .route("/du-lieu/xuat/{file}", get(crate::exports::reference_data))
        .route(
            "/nhap/tai-len",
            post(crate::uploads::upload).layer(DefaultBodyLimit::max(
                kynangso_data::import::uploads::MAX_UPLOAD_BYTES + 64 * 1024,
            )),
        )
        .with_state(crate::exports::ExportState {
            db: db.clone(),
            auth: auth.clone(),
        });
    // Every page, the 404 page included, renders the top bar, which asks who is signed in.
    let https = auth.secure_cookies;
    let context = move || {
        provide_context(db.clone());
        provide_context(auth.clone());
    };
    let files_or_page =
        leptos_axum::file_and_error_handler_with_context::<AppState, _>(context.clone(), shell);
    Router::new()
        .route("/healthz", get(health))
        .merge(downloads)
        .leptos_routes_with_context(&state, routes, context.clone(), move || {
            shell(leptos_options.clone())
        })
        .fallback(move |uri, state, request| {
            let files_or_page = files_or_page.clone();
            async move { not_found_page_is_404(files_or_page(uri, state, request).await) }
        })
        .layer(middleware::from_fn(crate::limits::bounded_requests))
        .layer(middleware::from_fn_with_state(
            https,
            security::same_origin_only,
        ))
        .layer(middleware::from_fn_with_state(
            https,
            security::foreign_form_errors_dropped,
        ))
        .layer(middleware::from_fn_with_state(
            https,
            security::security_headers,
        ))
        // Pages and answers are compressed as they are sent. The site's files are not: the
        // release build writes `.br`/`.gz` copies (`--precompress`), which are sent as they
        // are (the 960 KB bundle: 291 KB and no CPU, against 370 KB and 16–27 ms a phone).
        .layer(CompressionLayer::new())
        .with_state(state)
}

/// The fallback serves the site's files; any page it renders is the not-found page, whose
/// status must be 404 every time. (The page sets it itself, but as one response option
/// among others that leptos_axum may apply after the status is already chosen: the same
/// address answered 200 or 404 at random.) Redirects pass unchanged.
fn not_found_page_is_404(mut response: axum::response::Response) -> axum::response::Response {
    let is_page = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if is_page && response.status().is_success() {
        *response.status_mut() = StatusCode::NOT_FOUND;
    }
    response
}

/// For load balancers: 200 when the database answers, 503 otherwise.
async fn health(State(db): State<DatabaseConnection>) -> (StatusCode, &'static str) {
    match db.execute_unprepared("SELECT 1").await {
        Ok(_) => (StatusCode::OK, "ok"),
        Err(err) => {
            tracing::error!(error = %err, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
        }
    }
}
