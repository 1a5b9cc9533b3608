//! The commune's training sessions, newest first, with attendance counts.

use kynangso_domain::format::datetime_vi;
use kynangso_domain::views::SessionSummary;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::sessions::list_sessions;
use crate::components::form::LoadError;

#[component]
pub fn SessionsPage() -> impl IntoView {
    let sessions = Resource::new(|| (), |_| list_sessions());
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
                        Ok(list) if list.is_empty() => view! { <p class="muted">"Chưa có buổi tập huấn nào."</p> }.into_any(),
                        Ok(list) => view! { <ul class="people" data-testid="sessions">{list.into_iter().map(session_row).collect_view()}</ul> }.into_any(),
                        Err(err) => view! { <LoadError error=err/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
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
