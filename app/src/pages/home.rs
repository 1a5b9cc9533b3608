//! The landing page: what the app is for, and the province's communes with a filter that
//! ignores diacritics ("hoa phu" finds "Xã Hòa Phú").

use kynangso_domain::text::{key_matches, search_key};
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::units::{CommuneSummary, list_communes};

#[component]
pub fn HomePage() -> impl IntoView {
    let communes = Resource::new(|| (), |_| list_communes());
    let query = RwSignal::new(String::new());

    view! {
        <Title text="Trang chủ"/>
        <section class="card intro">
            <h1>"Kỹ Năng Số"</h1>
            <p>
                "Theo dõi phổ cập kỹ năng số cơ bản cho người trong độ tuổi lao động, "
                "do Tổ công nghệ số cộng đồng các xã, phường thực hiện."
            </p>
        </section>
        <section class="card" aria-labelledby="communes-heading">
            <h2 id="communes-heading">"Xã, phường"</h2>
            <label class="field">
                <span>"Tìm xã, phường"</span>
                <input
                    type="search"
                    name="q"
                    autocomplete="off"
                    placeholder="Ví dụ: hoa phu"
                    prop:value=move || query.get()
                    on:input=move |ev| query.set(event_target_value(&ev))
                />
            </label>
            <Suspense fallback=|| view! { <p class="muted">"Đang tải…"</p> }>
                {move || Suspend::new(async move {
                    match communes.await {
                        Ok(list) => view! { <CommuneList list query/> }.into_any(),
                        Err(err) => view! { <p class="error" role="alert">{err.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn CommuneList(list: Vec<CommuneSummary>, query: RwSignal<String>) -> impl IntoView {
    let total = list.len();
    let keyed: Vec<(String, CommuneSummary)> =
        list.into_iter().map(|c| (search_key(&c.name), c)).collect();
    let visible = Memo::new(move |_| {
        let q = search_key(&query.get());
        keyed
            .iter()
            .filter(|(key, _)| key_matches(key, &q))
            .map(|(_, c)| c.clone())
            .collect::<Vec<_>>()
    });

    view! {
        <p class="muted" aria-live="polite">
            {move || format!("Hiển thị {} / {} đơn vị", visible.with(Vec::len), total)}
        </p>
        <ul class="unit-list">
            <For each=move || visible.get() key=|c| c.code.clone() let:commune>
                <li>
                    <span class="unit-name">{commune.name}</span>
                    <span class="unit-code">{format!("Mã {}", commune.code)}</span>
                </li>
            </For>
        </ul>
    }
}
