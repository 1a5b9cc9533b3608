//! Kỹ Năng Số: routes, pages and server functions shared by the SSR server and the wasm
//! client. Pages render on the server; only their interactive parts (`#[island]`
//! components) are hydrated in the browser. Server-only code sits behind `ssr`.

pub mod api;
pub mod components;
pub mod error;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;

use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::{
    ParamSegment, SsrMode, StaticSegment,
    components::{Route, Router, Routes},
};

pub use error::AppError;

/// The HTML document around every page.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    // Leptos writes this request's CSP nonce on the hydration and data scripts.
    #[cfg(feature = "ssr")]
    server::csp::provide_request_nonce();

    view! {
        <!DOCTYPE html>
        <html lang="vi">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="theme-color" content="#0b5d3b"/>
                // No icon file yet: an empty data URL stops the browser's /favicon.ico request.
                <link rel="icon" href="data:,"/>
                <HydrationScripts options islands=true/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();

    view! {
        <Stylesheet id="leptos" href="/pkg/kynangso.css"/>
        <Title formatter=|page: String| format!("{page} · Kỹ Năng Số")/>
        <Router>
            <header class="topbar">
                <a class="brand" href="/">"Kỹ Năng Số"</a>
                <components::session::SessionBadge/>
            </header>
            <main>
                <components::form::ErrorFromPlainForm/>
                <Routes fallback=pages::not_found::NotFound>
                    // In-order streaming: every page is complete HTML without JavaScript
                    // (out-of-order streaming would need a script to place the data).
                    <Route path=StaticSegment("") view=pages::home::HomePage ssr=SsrMode::InOrder/>
                    <Route path=StaticSegment("dang-nhap") view=pages::sign_in::SignInPage ssr=SsrMode::InOrder/>
                    <Route path=StaticSegment("doi-mat-khau") view=pages::change_password::ChangePasswordPage ssr=SsrMode::InOrder/>
                    <Route path=StaticSegment("nguoi-hoc") view=pages::participants::ParticipantsPage ssr=SsrMode::InOrder/>
                    <Route path=(StaticSegment("nguoi-hoc"), StaticSegment("moi")) view=pages::register::RegisterPage ssr=SsrMode::InOrder/>
                    <Route path=(StaticSegment("nguoi-hoc"), ParamSegment("id")) view=pages::participant::ParticipantPage ssr=SsrMode::InOrder/>
                    <Route path=StaticSegment("buoi-tap-huan") view=pages::sessions::SessionsPage ssr=SsrMode::InOrder/>
                    <Route path=(StaticSegment("buoi-tap-huan"), StaticSegment("moi")) view=pages::new_session::NewSessionPage ssr=SsrMode::InOrder/>
                    <Route path=(StaticSegment("buoi-tap-huan"), ParamSegment("id")) view=pages::session::SessionPage ssr=SsrMode::InOrder/>
                    <Route path=(StaticSegment("buoi-tap-huan"), ParamSegment("id"), StaticSegment("in")) view=pages::sign_in_sheet::SignInSheetPage ssr=SsrMode::InOrder/>
                    <Route path=(StaticSegment("buoi-tap-huan"), ParamSegment("id"), StaticSegment("sua")) view=pages::new_session::EditSessionPage ssr=SsrMode::InOrder/>
                    <Route path=StaticSegment("nguoi-dung") view=pages::users::UsersPage ssr=SsrMode::InOrder/>
                    <Route path=StaticSegment("nhap") view=pages::imports::ImportsPage ssr=SsrMode::InOrder/>
                    <Route path=(StaticSegment("nhap"), ParamSegment("id")) view=pages::import::ImportPage ssr=SsrMode::InOrder/>
                    <Route path=StaticSegment("nhat-ky") view=pages::audit::AuditPage ssr=SsrMode::InOrder/>
                    <Route path=StaticSegment("bao-cao") view=pages::coverage::CoveragePage ssr=SsrMode::InOrder/>
                    <Route path=(StaticSegment("bao-cao"), StaticSegment("dan-so")) view=pages::population::PopulationPage ssr=SsrMode::InOrder/>
                    <Route path=(StaticSegment("bao-cao"), ParamSegment("code")) view=pages::commune_coverage::CommuneCoveragePage ssr=SsrMode::InOrder/>
                </Routes>
            </main>
        </Router>
    }
}
