//! The signed-in person in the top bar, with sign-out (a plain form: no script needed).

use leptos::form::ActionForm;
use leptos::prelude::*;

use crate::api::auth::{SignOut, who_am_i};

#[component]
pub fn SessionBadge() -> impl IntoView {
    let sign_out = ServerAction::<SignOut>::new();
    let me = Resource::new(|| (), |_| who_am_i());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(Some(me)) => view! {
                        <div class="session">
                            <span class="who">{me.display_name}</span>
                            <ActionForm action=sign_out>
                                <button type="submit" class="link">"Đăng xuất"</button>
                            </ActionForm>
                        </div>
                    }.into_any(),
                    _ => view! { <a class="session-link" href="/dang-nhap">"Đăng nhập"</a> }.into_any(),
                }
            })}
        </Suspense>
    }
}
