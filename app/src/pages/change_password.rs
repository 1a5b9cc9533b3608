//! Changing one's password; the first thing a person with a temporary password must do.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::users::ChangePassword;
use crate::components::form::{FieldMessage, FormMessage, error_of};

#[component]
pub fn ChangePasswordPage() -> impl IntoView {
    view! {
        <Title text="Đổi mật khẩu"/>
        <ChangePasswordForm/>
    }
}

#[island]
fn ChangePasswordForm() -> impl IntoView {
    let change = ServerAction::<ChangePassword>::new();
    let error = error_of(change.value());
    view! {
        <section class="card">
            <h1>"Đổi mật khẩu"</h1>
            <p class="muted">"Mật khẩu mới cần ít nhất 12 ký tự. Một câu dễ nhớ là lựa chọn tốt, ví dụ: “lúa chín vàng đồng Hòa Phú”."</p>
            <ActionForm action=change attr:class="form" attr:novalidate="true">
                <label class="field">
                    <span>"Mật khẩu hiện tại (hoặc mật khẩu tạm thời)"</span>
                    <input type="password" name="current_password" autocomplete="current-password"
                        aria-describedby="err-current_password"/>
                    <FieldMessage error field="current_password"/>
                </label>
                <label class="field">
                    <span>"Mật khẩu mới"</span>
                    <input type="password" name="new_password" autocomplete="new-password"
                        aria-describedby="err-new_password"/>
                    <FieldMessage error field="new_password"/>
                </label>
                <FormMessage error/>
                <button type="submit" class="primary" disabled=move || change.pending().get()>
                    "Đổi mật khẩu"
                </button>
            </ActionForm>
        </section>
    }
}
