//! Logging a training session: when, where, what was covered, who trained. A plain form
//! (works before the wasm loads); its id is fixed when the form opens.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::sessions::{CreateSession, load_session_form};
use crate::components::form::{FieldMessage, FormMessage, LoadError, SignInAgain, error_of};
use kynangso_domain::views::SessionFormContext;

#[component]
pub fn NewSessionPage() -> impl IntoView {
    let context = Resource::new(|| (), |_| load_session_form());
    view! {
        <Title text="Buổi tập huấn mới"/>
        <Suspense fallback=|| view! { <p class="muted">"Đang tải…"</p> }>
            {move || Suspend::new(async move {
                match context.await {
                    Ok(context) => view! { <SessionForm context/> }.into_any(),
                    Err(err) => view! { <LoadError error=err/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[island]
fn SessionForm(context: SessionFormContext) -> impl IntoView {
    let create = ServerAction::<CreateSession>::new();
    let error = error_of(create.value());
    let field = move |name: &'static str| view! { <FieldMessage error field=name/> };
    let default_start = format!("{}T08:00", context.today);
    view! {
        <section class="card">
            <h1>"Buổi tập huấn mới"</h1>
            <p class="muted">{context.commune.clone()}</p>
            <ActionForm action=create attr:class="form" attr:novalidate="true">
                <input type="hidden" name="form[id]" value=context.new_id.to_string()/>
                <div class="pair">
                    <label class="field">
                        <span>"Bắt đầu"</span>
                        <input type="datetime-local" name="form[starts_at]" value=default_start/>
                        {field("starts_at")}
                    </label>
                    <label class="field">
                        <span>"Thời lượng (phút)"</span>
                        <input type="number" name="form[duration_minutes]" inputmode="numeric" value="120" min="10" max="720"/>
                        {field("duration_minutes")}
                    </label>
                </div>
                <label class="field">
                    <span>"Thôn, buôn"</span>
                    <select name="form[village_id]">
                        <option value="">"— Cả xã —"</option>
                        {context.villages.into_iter().map(|(id, name)| view! { <option value=id.to_string()>{name}</option> }).collect_view()}
                    </select>
                    {field("village_id")}
                </label>
                <label class="field">
                    <span>"Địa điểm"</span>
                    <input type="text" name="form[place]" placeholder="Nhà văn hoá thôn 3"/>
                    {field("place")}
                </label>
                <fieldset class="field">
                    <legend>{format!("Nội dung đã tập huấn ({})", context.curriculum)}</legend>
                    {context.modules.into_iter().map(|m| view! {
                        <label class="check">
                            <input type="checkbox" name="form[module_ids][]" value=m.id.to_string()/>
                            <span>{format!("{} — {}", m.code, m.name)}</span>
                        </label>
                    }).collect_view()}
                    {field("module_ids")}
                </fieldset>
                <fieldset class="field">
                    <legend>"Người hướng dẫn"</legend>
                    {context.trainers.into_iter().map(|(id, name)| view! {
                        <label class="check">
                            <input type="checkbox" name="form[trainer_ids][]" value=id.to_string()/>
                            <span>{name}</span>
                        </label>
                    }).collect_view()}
                    {field("trainer_ids")}
                </fieldset>
                <label class="field">
                    <span>"Ghi chú"</span>
                    <textarea name="form[notes]" rows="3"></textarea>
                    {field("notes")}
                </label>
                <FormMessage error/>
                <SignInAgain error/>
                <button type="submit" class="primary" disabled=move || create.pending().get()>
                    {move || if create.pending().get() { "Đang lưu…" } else { "Lưu buổi tập huấn" }}
                </button>
            </ActionForm>
        </section>
    }
}
