//! Registering a person: the minimum fields, the digital-citizen profile and the consent
//! statement the person agreed to. A plain form that works before the wasm has loaded; the
//! record id is fixed when the form opens, so a retried submission never makes a second
//! record.

use kynangso_domain::person::Sex;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::participants::{
    RegisterParticipant, RegistrationContext, find_duplicates, load_registration_context,
};
use crate::components::form::{
    FieldMessage, FormMessage, LoadError, SignInAgain, error_of, renew_id_on_return,
};

#[component]
pub fn RegisterPage() -> impl IntoView {
    let context = Resource::new(|| (), |_| load_registration_context());
    view! {
        <Title text="Thêm người học"/>
        <Suspense fallback=|| view! { <p class="muted">"Đang tải…"</p> }>
            {move || Suspend::new(async move {
                match context.await {
                    Ok(context) => view! { <RegisterForm context/> }.into_any(),
                    Err(err) => view! { <LoadError error=err/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The form is an island: field messages, the duplicate check and "sign in again" run in
/// the browser.
#[island]
fn RegisterForm(context: RegistrationContext) -> impl IntoView {
    let register = ServerAction::<RegisterParticipant>::new();
    let id_input = NodeRef::<leptos::html::Input>::new();
    renew_id_on_return(id_input);
    let error = error_of(register.value());
    let today = context.today.to_string();
    let field = move |name: &'static str| view! { <FieldMessage error field=name/> };
    // What is typed so far, for the duplicate check.
    let name = RwSignal::new(String::new());
    let year = RwSignal::new(String::new());
    let date = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let duplicates = Resource::new(
        move || (name.get(), year.get(), date.get(), phone.get()),
        |(name, year, date, phone)| async move {
            let year = if date.len() >= 4 {
                date[..4].to_owned()
            } else {
                year
            };
            if name.trim().is_empty() && phone.trim().len() < 10 {
                return Ok(Vec::new());
            }
            find_duplicates(name, Some(year), None, Some(phone)).await
        },
    );

    view! {
        <section class="card">
            <h1>"Thêm người học"</h1>
            <p class="muted">{format!("Người học của {}", context.commune)}</p>
            <ActionForm action=register attr:class="form" attr:novalidate="true">
                <input type="hidden" name="form[id]" value=context.new_id.to_string()
                    autocomplete="off" node_ref=id_input/>
                <label class="field">
                    <span>"Họ và tên"</span>
                    <input type="text" name="form[full_name]" required autocomplete="off"
                        aria-describedby="err-full_name"
                        on:change=move |ev| name.set(event_target_value(&ev))/>
                    {field("full_name")}
                </label>
                <fieldset class="field">
                    <legend>"Giới tính"</legend>
                    <div class="choices">
                        {Sex::ALL.into_iter().map(|sex| view! {
                            <label class="choice">
                                <input type="radio" name="form[sex]" value=sex.as_str()/>
                                <span>{sex.label_vi()}</span>
                            </label>
                        }).collect_view()}
                    </div>
                    {field("sex")}
                </fieldset>
                <div class="pair">
                    <label class="field">
                        <span>"Năm sinh"</span>
                        <input type="number" name="form[birth_year]" inputmode="numeric"
                            min="1900" max=context.today.format("%Y").to_string() placeholder="1985"
                            on:input=move |ev| year.set(event_target_value(&ev))/>
                        {field("birth_year")}
                    </label>
                    <label class="field">
                        <span>"hoặc ngày sinh"</span>
                        <input type="date" name="form[birth_date]" max=today
                            on:change=move |ev| date.set(event_target_value(&ev))/>
                        {field("birth_date")}
                    </label>
                </div>
                <label class="field">
                    <span>"Thôn, buôn, tổ dân phố"</span>
                    <select name="form[village_id]">
                        <option value="">"— Chưa rõ —"</option>
                        {context.villages.into_iter().map(|(id, name)| view! {
                            <option value=id.to_string()>{name}</option>
                        }).collect_view()}
                    </select>
                    {field("village_id")}
                </label>
                <label class="field">
                    <span>"Số điện thoại (không bắt buộc)"</span>
                    <input type="tel" name="form[phone]" inputmode="tel" autocomplete="off"
                        placeholder="0912 345 678"
                        on:change=move |ev| phone.set(event_target_value(&ev))/>
                    {field("phone")}
                </label>
                <label class="field">
                    <span>"Số CCCD (không bắt buộc)"</span>
                    <input type="text" name="form[national_id]" inputmode="numeric" autocomplete="off"
                        maxlength="16"/>
                    {field("national_id")}
                </label>
                <fieldset class="field">
                    <legend>"Hiện trạng công dân số"</legend>
                    <label class="check"><input type="checkbox" name="form[has_smartphone]" value="on"/><span>"Có điện thoại thông minh"</span></label>
                    <label class="check"><input type="checkbox" name="form[has_payment_account]" value="on"/><span>"Có tài khoản ngân hàng / ví điện tử"</span></label>
                    <label class="check"><input type="checkbox" name="form[uses_online_public_services]" value="on"/><span>"Đã dùng dịch vụ công trực tuyến"</span></label>
                    <label class="check"><input type="checkbox" name="form[vneid_activated]" value="on"/><span>"Đã kích hoạt VNeID"</span></label>
                </fieldset>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        let found = duplicates.await.unwrap_or_default();
                        (!found.is_empty()).then(|| view! {
                            <div class="card notice" role="status" data-testid="duplicates">
                                <p>"Có thể người này đã có trong danh sách. Nếu đúng, hãy chọn người đó thay vì thêm mới:"</p>
                                <ul class="people">
                                    {found.into_iter().map(|p| view! {
                                        <li><a href=format!("/nguoi-hoc/{}", p.id)>
                                            <span class="name">{p.full_name}</span>
                                            <span class="muted">{format!("{} · {}{}", p.birth_year, p.village.unwrap_or_default(), p.phone_masked.map(|ph| format!(" · {ph}")).unwrap_or_default())}</span>
                                        </a></li>
                                    }).collect_view()}
                                </ul>
                            </div>
                        })
                    })}
                </Transition>
                <fieldset class="field consent">
                    <legend>"Sự đồng ý của người học"</legend>
                    <p class="statement">{context.consent_statement}</p>
                    <label class="check">
                        <input type="checkbox" name="form[consent]" value="on" aria-describedby="err-consent"/>
                        <span>"Người học đã nghe và đồng ý với nội dung trên"</span>
                    </label>
                    {field("consent")}
                </fieldset>
                <FormMessage error/>
                <SignInAgain error/>
                <button type="submit" class="primary" disabled=move || register.pending().get()>
                    {move || if register.pending().get() { "Đang lưu…" } else { "Lưu người học" }}
                </button>
            </ActionForm>
        </section>
    }
}
