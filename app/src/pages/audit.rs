//! The audit log, newest first, 50 entries a page ("Cũ hơn" for the next).

use kynangso_domain::format::datetime_vi;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::audit::read_audit;
use crate::components::form::LoadError;

#[component]
pub fn AuditPage() -> impl IntoView {
    let query = use_query_map();
    let lines = Resource::new(move || query.with(|q| q.get("truoc")), read_audit);
    view! {
        <Title text="Nhật ký thay đổi"/>
        <Suspense fallback=|| view! { <p class="muted">"Đang tải…"</p> }>
            {move || Suspend::new(async move {
                match lines.await {
                    Ok(lines) => {
                        let older = (lines.len() as u64 >= 50)
                            .then(|| lines.last().map(|l| format!("/nhat-ky?truoc={}", l.id)))
                            .flatten();
                        view! {
                            <section class="card">
                                <h1>"Nhật ký thay đổi"</h1>
                                <ul class="audit" data-testid="audit">
                                    {lines.into_iter().map(|l| view! {
                                        <li>
                                            <span class="muted">{datetime_vi(l.at)}" · "{l.actor.unwrap_or_else(|| "hệ thống".to_owned())}</span>
                                            <span>{format!("{} {} {}", l.action, l.entity, l.entity_id.unwrap_or_default())}</span>
                                            {l.after.map(|a| view! { <code>{a}</code> })}
                                            {l.client.map(|c| view! { <span class="muted">{format!("từ {c}")}</span> })}
                                        </li>
                                    }).collect_view()}
                                </ul>
                                {older.map(|href| view! { <a href=href>"Cũ hơn"</a> })}
                            </section>
                        }.into_any()
                    }
                    Err(err) => view! { <LoadError error=err/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
