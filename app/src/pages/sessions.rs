//! The commune's training sessions, newest first, with attendance counts, a page at a
//! time: `?sau=<id>` shows the sessions older than that one. Plain links, so paging works
//! before the page's script has loaded on a slow connection.

use kynangso_domain::format::datetime_vi;
use kynangso_domain::views::{SessionPage, SessionSummary};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use uuid::Uuid;

use crate::api::sessions::list_sessions;
use crate::components::form::LoadError;

#[component]
pub fn SessionsPage() -> impl IntoView {
    let query = use_query_map();
    let after =
        Memo::new(move |_| query.with(|q| q.get("sau").and_then(|id| Uuid::parse_str(&id).ok())));
    let sessions = Resource::new(move || after.get(), list_sessions);
    view! {
        <Title text="Buổi tập huấn"/>
        <section class="card">
            <div class="row">
                <h1>"Buổi tập huấn"</h1>
                <a class="button" href="/buoi-tap-huan/moi">"+ Buổi mới"</a>
            </div>
            <Suspense fallback=|| view! { <p class="muted">"Đang tải…"</p> }>
                {move || Suspend::new(async move {
                    match sessions.await {
                        Ok(page) if page.sessions.is_empty() => view! { <p class="muted">"Chưa có buổi tập huấn nào."</p> }.into_any(),
                        Ok(page) => page_view(page, after.get_untracked().is_some()).into_any(),
                        Err(err) => view! { <LoadError error=err/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

fn page_view(page: SessionPage, paged: bool) -> impl IntoView {
    let older = page
        .more
        .then(|| {
            page.sessions
                .last()
                .map(|s| format!("/buoi-tap-huan?sau={}", s.id))
        })
        .flatten();
    view! {
        <ul class="people sessions" data-testid="sessions">{page.sessions.into_iter().map(session_row).collect_view()}</ul>
        <div class="row">
            {paged.then(|| view! { <a href="/buoi-tap-huan">"← Mới nhất"</a> })}
            {older.map(|href| view! { <a class="button" href=href data-testid="older">"Các buổi cũ hơn →"</a> })}
        </div>
    }
}

fn session_row(s: SessionSummary) -> impl IntoView {
    let where_ = match s.village {
        Some(v) => format!("{} · {v}", s.place),
        None => s.place,
    };
    view! {
        <li class:disabled=s.cancelled>
            <a href=format!("/buoi-tap-huan/{}", s.id)>
                <span class="name">{datetime_vi(s.starts_at)}{s.cancelled.then_some(" · Đã huỷ")}</span>
                <span class="muted">{where_}</span>
                <span class="muted">
                    {format!("{} có mặt / {} người · {}", s.counts.attended(), s.counts.total(), s.module_codes.join(", "))}
                </span>
            </a>
        </li>
    }
}
