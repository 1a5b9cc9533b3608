//! Pieces every form uses: the message beside a field, the form-wide message, and the
//! panel that lets a person sign in again without losing what they typed.

use kynangso_domain::validation::message_for;
use leptos::form::ActionForm;
use leptos::prelude::*;

use crate::AppError;
use crate::api::auth::SignIn;

/// The last result of a form's action, as a signal of its error (if any).
pub fn error_of<T, S>(value: S) -> Signal<Option<AppError>>
where
    T: Send + Sync + 'static,
    S: With<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
{
    Signal::derive(move || value.with(|v| v.as_ref().and_then(|r| r.as_ref().err().cloned())))
}

/// The message for one field, shown beside it (`id` = "err-<field>" for aria-describedby).
#[component]
pub fn FieldMessage(error: Signal<Option<AppError>>, field: &'static str) -> impl IntoView {
    let message = move || {
        error.with(|e| {
            e.as_ref()
                .and_then(|e| message_for(e.field_errors(), field).map(str::to_owned))
        })
    };
    view! { <p id=format!("err-{field}") class="error" role="alert">{message}</p> }
}

/// A form-wide message for errors that belong to no single field.
#[component]
pub fn FormMessage(error: Signal<Option<AppError>>) -> impl IntoView {
    let message = move || {
        error.with(|e| match e {
            None | Some(AppError::Unauthenticated) => None,
            Some(AppError::Invalid(fields)) if !fields.is_empty() => {
                Some("Vui lòng sửa các mục được đánh dấu bên dưới.".to_owned())
            }
            Some(AppError::Transport(_)) => {
                Some("Không gửi được, vui lòng kiểm tra kết nối và thử lại.".to_owned())
            }
            Some(other) => Some(other.to_string()),
        })
    };
    view! { <p class="error form-message" role="alert">{message}</p> }
}

/// Shown when a submission met an expired session: sign in here, then press the form's
/// button again. The form keeps what was typed and its record id, so the second press
/// saves the record exactly once.
#[component]
pub fn SignInAgain(error: Signal<Option<AppError>>) -> impl IntoView {
    let sign_in = ServerAction::<SignIn>::new();
    let expired = move || matches!(error.get(), Some(AppError::Unauthenticated));
    let signed_in_again = move || matches!(sign_in.value().get(), Some(Ok(_)));
    let sign_in_error = move || match sign_in.value().get() {
        Some(Err(err)) => Some(err.to_string()),
        _ => None,
    };
    view! {
        <Show when=move || expired() && !signed_in_again()>
            <div class="card notice" role="alert" data-testid="sign-in-again">
                <p>"Phiên đăng nhập đã hết hạn. Đăng nhập lại để lưu — những gì bạn đã nhập vẫn được giữ nguyên."</p>
                <ActionForm action=sign_in attr:class="form">
                    <label class="field">
                        <span>"Tên đăng nhập hoặc số điện thoại"</span>
                        <input type="text" name="login" autocomplete="username" autocapitalize="none"/>
                    </label>
                    <label class="field">
                        <span>"Mật khẩu"</span>
                        <input type="password" name="password" autocomplete="current-password"/>
                    </label>
                    <p class="error" role="alert">{sign_in_error}</p>
                    <button type="submit" class="primary">"Đăng nhập lại"</button>
                </ActionForm>
            </div>
        </Show>
        <Show when=move || expired() && signed_in_again()>
            <p class="notice ok" role="status">"Đã đăng nhập lại. Bấm lưu thêm một lần nữa."</p>
        </Show>
    }
}

/// What a page shows when its data could not be loaded: a sign-in link for a missing
/// session, the change-password link for a temporary password, the message otherwise.
#[component]
pub fn LoadError(error: AppError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::server::answer_status(&error);
    match error {
        AppError::Unauthenticated => view! {
            <section class="card">
                <p>"Vui lòng đăng nhập để xem trang này."</p>
                <a class="button" href="/dang-nhap">"Đăng nhập"</a>
            </section>
        }
        .into_any(),
        AppError::PasswordChangeRequired => view! {
            <section class="card">
                <p>{AppError::PasswordChangeRequired.to_string()}</p>
                <a class="button" href="/doi-mat-khau">"Đổi mật khẩu"</a>
            </section>
        }
        .into_any(),
        other => view! {
            <section class="card">
                <p class="error" role="alert">{other.to_string()}</p>
                <a class="button" href="/">"Về trang chủ"</a>
            </section>
        }
        .into_any(),
    }
}

/// `source`, settled: it follows `source` once no change came for `delay`. Search-as-you-
/// type sends one request per pause instead of one per keystroke, which matters on a weak
/// connection. (Effects only run in the browser; the server renders the initial value.)
pub fn debounced(source: RwSignal<String>, delay: std::time::Duration) -> ReadSignal<String> {
    let (settled, set_settled) = signal(source.get_untracked());
    let generation = StoredValue::new(0_u64);
    Effect::new(move |_| {
        let value = source.get();
        generation.update_value(|g| *g += 1);
        let mine = generation.get_value();
        set_timeout(
            move || {
                if generation.get_value() == mine {
                    set_settled.set(value);
                }
            },
            delay,
        );
    });
    settled
}

/// The pause after the last keystroke before a search goes out.
pub const TYPING_PAUSE: std::time::Duration = std::time::Duration::from_millis(250);

/// The error a plain form post (before the wasm loaded) came back with: the framework puts
/// it in the query string (`__err`) of the redirect back to the form. Shown at the top of
/// every page, so a person without JavaScript still learns what went wrong.
#[component]
pub fn ErrorFromPlainForm() -> impl IntoView {
    // A link from elsewhere carrying `__err` never gets here: the server strips it
    // (`foreign_form_errors_dropped` in server/src/security.rs).
    let error = leptos_router::hooks::use_query_map().with_untracked(|q| {
        q.get("__err").map(|encoded| {
            leptos::server_fn::error::ServerFnUrlError::<AppError>::decode_err(&encoded)
        })
    });
    error.map(|error| {
        let fields: Vec<String> = error.field_errors().iter().map(|f| f.message.clone()).collect();
        view! {
            <section class="card notice" role="alert" data-testid="form-error">
                <p class="error">{error.to_string()}</p>
                <ul class="plain">{fields.into_iter().map(|m| view! { <li class="error">{m}</li> }).collect_view()}</ul>
            </section>
        }
    })
}

/// The text to put between `<textarea>` and `</textarea>`. Leptos writes a textarea's
/// children as they are (its content is raw text to the HTML parser, so it is not
/// escaped like other text): a note holding `</textarea><meta …>` would end the field and
/// plant markup in the page. On the server the two characters that matter there are
/// escaped (the browser decodes them back into the field's value); in the browser the
/// text becomes a DOM text node, which is never parsed.
pub fn textarea_text(text: String) -> String {
    if cfg!(feature = "ssr") {
        text.replace('&', "&amp;").replace('<', "&lt;")
    } else {
        text
    }
}

/// A form that creates a record names it by an id fixed when the page was made, so that
/// every retry names the same record. Back after saving must not bring that id back: the
/// phone would show the form again (from its back-forward cache) and the next person typed
/// into it would be refused as "the same id with other content". On such a return the
/// form gets a new id. (A page loaded again gets a new one from the server; the input's
/// `autocomplete="off"` keeps the browser from restoring the old value into it.)
pub fn renew_id_on_return(id_input: NodeRef<leptos::html::Input>) {
    let _ = window_event_listener(leptos::ev::pageshow, move |event| {
        if event.persisted()
            && let Some(input) = id_input.get_untracked()
        {
            input.set_value(&kynangso_domain::new_id().to_string());
        }
    });
}

#[cfg(test)]
mod tests {
    #[cfg(feature = "ssr")]
    #[test]
    fn a_note_cannot_close_its_textarea() {
        let text = super::textarea_text("a</textarea><meta http-equiv=refresh> & b".to_owned());
        assert_eq!(text, "a&lt;/textarea>&lt;meta http-equiv=refresh> &amp; b");
    }
}
