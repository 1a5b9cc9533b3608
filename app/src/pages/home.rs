//! The landing page: what the app is for, and the province's communes with a filter that
//! ignores diacritics ("hoa phu" finds "Xã Hòa Phú").

use kynangso_domain::text::{fold_key, key_matches};
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::auth::{Me, who_am_i};
use crate::api::units::{CommuneSummary, list_communes};
use kynangso_domain::Role;

#[component]
pub fn HomePage() -> impl IntoView {
    let communes = Resource::new(|| (), |_| list_communes());

    let me = Resource::new(|| (), |_| who_am_i());

    view! {
        <Title text="Trang chủ"/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                me.await.ok().flatten().map(|me| view! { <Menu me/> })
            })}
        </Suspense>
        <section class="card intro">
            <h1>"Kỹ Năng Số"</h1>
            <p>
                "Theo dõi phổ cập kỹ năng số cơ bản cho người trong độ tuổi lao động, "
                "do Tổ công nghệ số cộng đồng các xã, phường thực hiện."
            </p>
        </section>
        <section class="card" aria-labelledby="communes-heading">
            <h2 id="communes-heading">"Xã, phường"</h2>
            <Suspense fallback=|| view! { <p class="muted">"Đang tải…"</p> }>
                {move || Suspend::new(async move {
                    match communes.await {
                        Ok(list) => view! { <CommuneList list/> }.into_any(),
                        Err(err) => view! { <p class="error" role="alert">{err.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The signed-in person's tasks, by role.
#[component]
fn Menu(me: Me) -> impl IntoView {
    if me.must_change_password {
        return view! {
            <section class="card notice" role="alert">
                <p>"Bạn đang dùng mật khẩu tạm thời. Hãy đổi mật khẩu để bắt đầu làm việc."</p>
                <a class="button" href="/doi-mat-khau">"Đổi mật khẩu"</a>
            </section>
        }
        .into_any();
    }
    let field = matches!(me.role, Role::CommuneLead | Role::TeamMember);
    let manages = matches!(me.role, Role::CommuneLead | Role::ProvinceAdmin);
    view! {
        <nav class="card menu" aria-label="Công việc">
            <p class="muted">{format!("{} · {}", me.display_name, me.role.label_vi())}</p>
            <ul class="tiles">
                {field.then(|| view! { <li><a href="/buoi-tap-huan">"Buổi tập huấn"</a></li> })}
                {field.then(|| view! { <li><a href="/buoi-tap-huan/moi">"Buổi mới"</a></li> })}
                {field.then(|| view! { <li><a href="/nguoi-hoc">"Người học"</a></li> })}
                {field.then(|| view! { <li><a href="/nguoi-hoc/moi">"Thêm người học"</a></li> })}
                <li><a href="/bao-cao">"Phổ cập theo xã"</a></li>
                {(me.role == Role::ProvinceAdmin).then(|| view! { <li><a href="/bao-cao/dan-so">"Số dân lao động"</a></li> })}
                {manages.then(|| view! { <li><a href="/nhap">"Nhập từ tệp"</a></li> })}
                {manages.then(|| view! { <li><a href="/nguoi-dung">"Tài khoản"</a></li> })}
                {manages.then(|| view! { <li><a href="/nhat-ky">"Nhật ký thay đổi"</a></li> })}
                <li><a href="/doi-mat-khau">"Đổi mật khẩu"</a></li>
            </ul>
        </nav>
    }
    .into_any()
}

/// The list with its filter: an island, the only part of this page that runs in the browser.
#[island]
fn CommuneList(list: Vec<CommuneSummary>) -> impl IntoView {
    let query = RwSignal::new(String::new());
    let total = list.len();
    let keyed: Vec<(String, CommuneSummary)> =
        list.into_iter().map(|c| (fold_key(&c.name), c)).collect();
    let visible = Memo::new(move |_| {
        let q = fold_key(&query.get());
        keyed
            .iter()
            .filter(|(key, _)| key_matches(key, &q))
            .map(|(_, c)| c.clone())
            .collect::<Vec<_>>()
    });

    view! {
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
