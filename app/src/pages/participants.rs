//! The commune's people: search as you type, without diacritics, by birth year or phone.
//! Without JavaScript the search box is a plain GET form and the server renders results.

use kynangso_domain::views::ParticipantSummary;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::participants::search_participants;
use crate::components::form::{LoadError, TYPING_PAUSE, debounced};

#[component]
pub fn ParticipantsPage() -> impl IntoView {
    let initial = use_query_map().with_untracked(|q| q.get("q").unwrap_or_default());
    view! {
        <Title text="Người học"/>
        <section class="card">
            <div class="row">
                <h1>"Người học"</h1>
                <a class="button" href="/nguoi-hoc/moi">"+ Thêm người"</a>
            </div>
            <PeopleSearch initial/>
        </section>
    }
}

/// The search box and its results: an island, so results follow the typing.
#[island]
fn PeopleSearch(initial: String) -> impl IntoView {
    let query = RwSignal::new(initial);
    let settled = debounced(query, TYPING_PAUSE);
    let results = Resource::new(move || settled.get(), search_participants);
    view! {
        <form method="get" action="/nguoi-hoc" role="search">
            <label class="field">
                <span>"Tìm theo tên, năm sinh hoặc số điện thoại"</span>
                <input type="search" name="q" autocomplete="off" placeholder="Ví dụ: nguyen thi hoa"
                    prop:value=move || query.get()
                    on:input=move |ev| query.set(event_target_value(&ev))/>
            </label>
        </form>
        <Transition fallback=|| view! { <p class="muted">"Đang tìm…"</p> }>
            {move || Suspend::new(async move {
                match results.await {
                    Ok(people) => view! { <PeopleList people/> }.into_any(),
                    Err(err) => view! { <LoadError error=err/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn PeopleList(people: Vec<ParticipantSummary>) -> impl IntoView {
    if people.is_empty() {
        return view! { <p class="muted">"Không có ai khớp với từ khoá."</p> }.into_any();
    }
    view! {
        <ul class="people" data-testid="people">
            {people.into_iter().map(|p| view! {
                <li>
                    <a href=format!("/nguoi-hoc/{}", p.id)>
                        <span class="name">{p.full_name}</span>
                        <span class="muted">
                            {format!("{} · {}", p.sex.label_vi(), p.birth_year)}
                            {p.village.map(|v| format!(" · {v}"))}
                            {p.phone_masked.map(|ph| format!(" · {ph}"))}
                        </span>
                    </a>
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}
