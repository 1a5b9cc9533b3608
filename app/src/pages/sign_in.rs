//! The sign-in page. A plain HTML form posting to the server function: it works before the
//! wasm has loaded (the server answers with a redirect) and after (the island shows the
//! error beside the form without a page load).

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::AppError;
use crate::api::auth::SignIn;

#[component]
pub fn SignInPage() -> impl IntoView {
    let next = use_query_map()
        .with_untracked(|q| q.get("next"))
        .unwrap_or_else(|| "/".to_owned());
    view! {
        <Title text="Đăng nhập"/>
        <section class="card">
            <h1>"Đăng nhập"</h1>
            <SignInForm next/>
        </section>
    }
}

#[island]
fn SignInForm(next: String) -> impl IntoView {
    let sign_in = ServerAction::<SignIn>::new();
    let show_password = RwSignal::new(false);
    let error = move || match sign_in.value().get() {
        Some(Err(AppError::Transport(_))) => {
            Some("Không gửi được, vui lòng kiểm tra kết nối và thử lại.".to_owned())
        }
        Some(Err(err)) => Some(err.to_string()),
        _ => None,
    };
    view! {
        <ActionForm action=sign_in attr:class="form" attr:novalidate="true">
            <input type="hidden" name="next" value=next/>
            <label class="field">
                <span>"Tên đăng nhập hoặc số điện thoại"</span>
                <input type="text" name="login" required autocomplete="username"
                    autocapitalize="none" spellcheck="false"/>
            </label>
            <label class="field">
                <span>"Mật khẩu"</span>
                <input
                    type=move || if show_password.get() { "text" } else { "password" }
                    name="password" required autocomplete="current-password"
                    aria-describedby="sign-in-error"
                />
            </label>
            <label class="check">
                <input type="checkbox" on:change=move |ev| show_password.set(event_target_checked(&ev))/>
                <span>"Hiện mật khẩu"</span>
            </label>
            <p id="sign-in-error" class="error" role="alert">{error}</p>
            <button type="submit" class="primary" disabled=move || sign_in.pending().get()>
                {move || if sign_in.pending().get() { "Đang đăng nhập…" } else { "Đăng nhập" }}
            </button>
        </ActionForm>
    }
}
