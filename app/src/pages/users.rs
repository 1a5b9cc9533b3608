//! Accounts: the list the caller manages, creating an account with a temporary password,
//! and disabling one. The province admin picks any unit and role; a commune lead creates
//! team members of their own commune.

use kynangso_domain::Role;
use kynangso_domain::views::UserSummary;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::auth::who_am_i;
use crate::api::units::{CommuneSummary, list_communes};
use crate::api::users::{CreateUser, SetUserDisabled, list_users};
use crate::components::form::{FieldMessage, FormMessage, LoadError, error_of};

#[component]
pub fn UsersPage() -> impl IntoView {
    let users = Resource::new(|| (), |_| list_users());
    let me = Resource::new(|| (), |_| who_am_i());
    let communes = Resource::new(|| (), |_| list_communes());
    view! {
        <Title text="Tài khoản"/>
        <Suspense fallback=|| view! { <p class="muted">"Đang tải…"</p> }>
            {move || Suspend::new(async move {
                let is_admin = me.await.ok().flatten().is_some_and(|m| m.role == Role::ProvinceAdmin);
                let communes = if is_admin { communes.await.unwrap_or_default() } else { Vec::new() };
                match users.await {
                    Ok(list) => view! {
                        <UserList list/>
                        <NewUserForm is_admin communes/>
                    }.into_any(),
                    Err(err) => view! { <LoadError error=err/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Plain forms: disabling posts and the server answers with the updated page.
#[component]
fn UserList(list: Vec<UserSummary>) -> impl IntoView {
    let toggle = ServerAction::<SetUserDisabled>::new();
    view! {
        <section class="card">
            <h1>"Tài khoản"</h1>
            <ul class="people" data-testid="users">
                {list.into_iter().map(|u| view! {
                    <li class:disabled=u.disabled>
                        <div>
                            <span class="name">{u.display_name}</span>
                            <span class="muted">
                                {format!("{} · {} · {}", u.username, u.role.label_vi(), u.unit)}
                                {u.must_change_password.then_some(" · mật khẩu tạm")}
                                {u.disabled.then_some(" · đã khoá")}
                            </span>
                        </div>
                        <ActionForm action=toggle>
                            <input type="hidden" name="user_id" value=u.id.to_string()/>
                            <input type="hidden" name="disabled" value=(!u.disabled).to_string()/>
                            <button type="submit" class="small">{if u.disabled { "Mở khoá" } else { "Khoá" }}</button>
                        </ActionForm>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}

/// An island: its id is generated in the browser, and field messages show without a reload.
#[island]
fn NewUserForm(is_admin: bool, communes: Vec<CommuneSummary>) -> impl IntoView {
    let create = ServerAction::<CreateUser>::new();
    let error = error_of(create.value());
    // A new id after each successful create; the same id for retries of a failed one.
    let id = RwSignal::new(kynangso_domain::new_id().to_string());
    Effect::new(move |_| {
        if matches!(create.value().get(), Some(Ok(()))) {
            id.set(kynangso_domain::new_id().to_string());
        }
    });
    let roles: Vec<Role> = if is_admin {
        vec![
            Role::CommuneLead,
            Role::TeamMember,
            Role::ProvinceReviewer,
            Role::ProvinceAdmin,
        ]
    } else {
        vec![Role::TeamMember]
    };
    view! {
        <section class="card">
            <h2>"Tạo tài khoản"</h2>
            <ActionForm action=create attr:class="form" attr:novalidate="true">
                <input type="hidden" name="id" prop:value=move || id.get()/>
                <label class="field">
                    <span>"Họ và tên"</span>
                    <input type="text" name="display_name" autocomplete="off"/>
                    <FieldMessage error field="display_name"/>
                </label>
                <label class="field">
                    <span>"Tên đăng nhập"</span>
                    <input type="text" name="username" autocomplete="off" autocapitalize="none"
                        placeholder="vd: lethu.hoaphu"/>
                    <FieldMessage error field="username"/>
                </label>
                <label class="field">
                    <span>"Số điện thoại (không bắt buộc)"</span>
                    <input type="tel" name="phone" inputmode="tel" autocomplete="off"/>
                    <FieldMessage error field="phone"/>
                </label>
                <label class="field">
                    <span>"Vai trò"</span>
                    <select name="role">
                        {roles.into_iter().map(|r| view! { <option value=r.as_str()>{r.label_vi()}</option> }).collect_view()}
                    </select>
                    <FieldMessage error field="role"/>
                </label>
                {is_admin.then(|| view! {
                    <label class="field">
                        <span>"Đơn vị"</span>
                        <select name="unit_code">
                            <option value="66">"Tỉnh Đắk Lắk (vai trò cấp tỉnh)"</option>
                            {communes.into_iter().map(|c| view! {
                                <option value=c.code.clone()>{c.name}</option>
                            }).collect_view()}
                        </select>
                        <FieldMessage error field="unit_code"/>
                    </label>
                })}
                <label class="field">
                    <span>"Mật khẩu tạm thời (ít nhất 12 ký tự; người dùng đổi ở lần đăng nhập đầu)"</span>
                    <input type="text" name="temporary_password" autocomplete="off"/>
                    <FieldMessage error field="temporary_password"/>
                </label>
                <FormMessage error/>
                <button type="submit" class="primary" disabled=move || create.pending().get()>"Tạo tài khoản"</button>
            </ActionForm>
        </section>
    }
}
