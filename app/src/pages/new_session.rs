//! Logging a training session, or changing one: when, where, what was covered, who
//! trained. A plain form (works before the wasm loads); its id is fixed when it opens.

use kynangso_domain::format::vietnam_offset;
use kynangso_domain::session::SessionForm;
use kynangso_domain::views::{SessionDetail, SessionFormContext};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::AppError;
use crate::api::sessions::{CreateSession, UpdateSession, load_session_form, read_session};
use crate::components::form::{
    FieldMessage, FormMessage, LoadError, SignInAgain, error_of, renew_id_on_return, textarea_text,
};

#[component]
pub fn NewSessionPage() -> impl IntoView {
    let context = Resource::new(|| (), |_| load_session_form());
    view! {
        <Title text="Buổi tập huấn mới"/>
        <Suspense fallback=|| view! { <p class="muted">"Đang tải…"</p> }>
            {move || Suspend::new(async move {
                match context.await {
                    Ok(context) => view! { <SessionEditor context initial=None/> }.into_any(),
                    Err(err) => view! { <LoadError error=err/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn EditSessionPage() -> impl IntoView {
    let id = use_params_map().with_untracked(|p| p.get("id").unwrap_or_default());
    let context = Resource::new(|| (), |_| load_session_form());
    let session = Resource::new(move || id.clone(), read_session);
    view! {
        <Title text="Sửa buổi tập huấn"/>
        <Suspense fallback=|| view! { <p class="muted">"Đang tải…"</p> }>
            {move || Suspend::new(async move {
                match (context.await, session.await) {
                    (Ok(context), Ok(detail)) => {
                        let initial = Some(form_of(&detail));
                        view! { <SessionEditor context initial/> }.into_any()
                    }
                    (Err(err), _) | (_, Err(err)) => view! { <LoadError error=err/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The form as it would be typed for an existing session.
fn form_of(detail: &SessionDetail) -> SessionForm {
    SessionForm {
        id: detail.id.to_string(),
        starts_at: detail
            .starts_at
            .with_timezone(&vietnam_offset())
            .format("%Y-%m-%dT%H:%M")
            .to_string(),
        duration_minutes: detail.duration_minutes.to_string(),
        village_id: detail.village_id.map(|v| v.to_string()).unwrap_or_default(),
        place: detail.place.clone(),
        module_ids: detail.modules.iter().map(|m| m.id.to_string()).collect(),
        trainer_ids: detail.trainer_ids.iter().map(|t| t.to_string()).collect(),
        notes: detail.notes.clone().unwrap_or_default(),
    }
}

/// The form: for a new session (`initial` = None) or to change one.
#[island]
fn SessionEditor(context: SessionFormContext, initial: Option<SessionForm>) -> impl IntoView {
    let create = ServerAction::<CreateSession>::new();
    let update = ServerAction::<UpdateSession>::new();
    let editing = initial.is_some();
    let form = initial.unwrap_or_else(|| SessionForm {
        id: context.new_id.to_string(),
        starts_at: format!("{}T08:00", context.today),
        duration_minutes: "120".to_owned(),
        ..Default::default()
    });
    let pending = Signal::derive(move || {
        if editing {
            update.pending().get()
        } else {
            create.pending().get()
        }
    });
    let error = Signal::derive(move || {
        if editing {
            error_of(update.value()).get()
        } else {
            error_of(create.value()).get()
        }
    });
    let id_input = NodeRef::<leptos::html::Input>::new();
    if !editing {
        renew_id_on_return(id_input);
    }
    let fields = fields(context, form, error, id_input);
    let button = move || match (pending.get(), editing) {
        (true, _) => "Đang lưu…",
        (false, true) => "Lưu thay đổi",
        (false, false) => "Lưu buổi tập huấn",
    };
    let footer = move || {
        view! {
            <FormMessage error/>
            <SignInAgain error/>
            <button type="submit" class="primary" disabled=move || pending.get()>{button}</button>
        }
    };
    view! {
        <section class="card">
            <h1>{if editing { "Sửa buổi tập huấn" } else { "Buổi tập huấn mới" }}</h1>
            {if editing {
                view! { <ActionForm action=update attr:class="form" attr:novalidate="true">{fields}{footer()}</ActionForm> }.into_any()
            } else {
                view! { <ActionForm action=create attr:class="form" attr:novalidate="true">{fields}{footer()}</ActionForm> }.into_any()
            }}
        </section>
    }
}

fn fields(
    context: SessionFormContext,
    form: SessionForm,
    error: Signal<Option<AppError>>,
    id_input: NodeRef<leptos::html::Input>,
) -> impl IntoView {
    let field = move |name: &'static str| view! { <FieldMessage error field=name/> };
    let village = form.village_id.clone();
    let modules = form.module_ids.clone();
    let trainers = form.trainer_ids.clone();
    view! {
        <p class="muted">{context.commune.clone()}</p>
        <input type="hidden" name="form[id]" value=form.id autocomplete="off" node_ref=id_input/>
        <div class="pair">
            <label class="field">
                <span>"Bắt đầu"</span>
                <input type="datetime-local" name="form[starts_at]" value=form.starts_at/>
                {field("starts_at")}
            </label>
            <label class="field">
                <span>"Thời lượng (phút)"</span>
                <input type="number" name="form[duration_minutes]" inputmode="numeric"
                    value=form.duration_minutes min="10" max="720"/>
                {field("duration_minutes")}
            </label>
        </div>
        <label class="field">
            <span>"Thôn, buôn"</span>
            <select name="form[village_id]">
                <option value="">"— Cả xã —"</option>
                {context.villages.into_iter().map(|(id, name)| {
                    let id = id.to_string();
                    let selected = id == village;
                    view! { <option value=id selected=selected>{name}</option> }
                }).collect_view()}
            </select>
            {field("village_id")}
        </label>
        <label class="field">
            <span>"Địa điểm"</span>
            <input type="text" name="form[place]" placeholder="Nhà văn hoá thôn 3" value=form.place/>
            {field("place")}
        </label>
        <fieldset class="field">
            <legend>{format!("Nội dung đã tập huấn ({})", context.curriculum)}</legend>
            {context.modules.into_iter().map(|m| {
                let id = m.id.to_string();
                let checked = modules.contains(&id);
                view! {
                    <label class="check">
                        <input type="checkbox" name="form[module_ids][]" value=id checked=checked/>
                        <span>{format!("{} — {}", m.code, m.name)}</span>
                    </label>
                }
            }).collect_view()}
            {field("module_ids")}
        </fieldset>
        <fieldset class="field">
            <legend>"Người hướng dẫn"</legend>
            {context.trainers.into_iter().map(|(id, name)| {
                let id = id.to_string();
                let checked = trainers.contains(&id);
                view! {
                    <label class="check">
                        <input type="checkbox" name="form[trainer_ids][]" value=id checked=checked/>
                        <span>{name}</span>
                    </label>
                }
            }).collect_view()}
            {field("trainer_ids")}
        </fieldset>
        <label class="field">
            <span>"Ghi chú"</span>
            <textarea name="form[notes]" rows="3">{textarea_text(form.notes)}</textarea>
            {field("notes")}
        </label>
    }
}
