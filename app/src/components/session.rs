//! The signed-in person in the top bar, and the sign-in/out actions every page shares.

use leptos::form::ActionForm;
use leptos::prelude::*;

use crate::api::auth::{SignIn, SignOut, who_am_i};

/// Created once in `App`; the top bar refetches who is signed in after either runs.
#[derive(Clone, Copy)]
pub struct SessionActions {
    pub sign_in: ServerAction<SignIn>,
    pub sign_out: ServerAction<SignOut>,
}

impl SessionActions {
    pub fn provide() -> SessionActions {
        let actions = SessionActions {
            sign_in: ServerAction::new(),
            sign_out: ServerAction::new(),
        };
        provide_context(actions);
        actions
    }
}

#[component]
pub fn SessionBadge() -> impl IntoView {
    let SessionActions { sign_in, sign_out } = expect_context::<SessionActions>();
    let me = Resource::new(
        move || (sign_in.version().get(), sign_out.version().get()),
        |_| who_am_i(),
    );
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
