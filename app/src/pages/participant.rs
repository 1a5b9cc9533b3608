//! One person's record: what was recorded, their consent, the sessions they attended,
//! and withdrawing consent (which erases their personal data for good). Rendered on the
//! server only: its forms are plain posts answered with a redirect to this page, and a
//! failure comes back as the page-wide message (`ErrorFromPlainForm`).

use kynangso_domain::format::{date_vi, datetime_vi};
use kynangso_domain::views::{ParticipantDetail, ProfileView};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::participants::{
    MergeParticipants, WithdrawConsent, find_duplicates, read_participant,
};
use crate::components::form::LoadError;

#[component]
pub fn ParticipantPage() -> impl IntoView {
    let id = use_params_map().with_untracked(|p| p.get("id").unwrap_or_default());
    let person = Resource::new(move || id.clone(), read_participant);
    view! {
        <Title text="Người học"/>
        <Suspense fallback=|| view! { <p class="muted">"Đang tải…"</p> }>
            {move || Suspend::new(async move {
                match person.await {
                    Ok(person) => view! { <Record person/> }.into_any(),
                    Err(err) => view! { <LoadError error=err/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Record(person: ParticipantDetail) -> impl IntoView {
    let withdraw = ServerAction::<WithdrawConsent>::new();
    let withdrawn = person.consent_withdrawn_at.is_some();
    let name = person
        .full_name
        .clone()
        .unwrap_or_else(|| "(Đã rút lại sự đồng ý)".to_owned());
    let birth = person
        .birth_date
        .map_or_else(|| person.birth_year.to_string(), date_vi);
    let yes_no = |v: Option<bool>| match v {
        Some(true) => "Có",
        Some(false) => "Chưa",
        None => "Chưa rõ",
    };
    let profile = person.profile.map(|p: ProfileView| {
        view! {
            <h2>{format!("Công dân số (ngày {})", date_vi(p.as_of))}</h2>
            <dl class="facts">
                <dt>"Điện thoại thông minh"</dt><dd>{yes_no(p.has_smartphone)}</dd>
                <dt>"Tài khoản thanh toán"</dt><dd>{yes_no(p.has_payment_account)}</dd>
                <dt>"Dịch vụ công trực tuyến"</dt><dd>{yes_no(p.uses_online_public_services)}</dd>
                <dt>"VNeID"</dt><dd>{yes_no(p.vneid_activated)}</dd>
            </dl>
        }
    });
    let consent = person.consent.map(|c| {
        view! {
            <h2>"Sự đồng ý"</h2>
            <p class="statement">{c.statement}</p>
            <p class="muted">
                {format!("Ghi nhận lúc {}", datetime_vi(c.granted_at))}
                {c.recorded_by.map(|by| format!(" bởi {by}"))}
                {c.withdrawn_at.map(|at| format!(". Đã rút lại lúc {}.", datetime_vi(at)))}
            </p>
        }
    });
    let progress = person.progress.clone().map(|p| {
        let status = if p.complete {
            format!("Đã hoàn thành chương trình {}.", p.curriculum)
        } else {
            format!("Chưa hoàn thành chương trình {}. Còn thiếu:", p.curriculum)
        };
        view! {
            <section class="card" data-testid="progress">
                <h2>"Kết quả tập huấn"</h2>
                <p class:ok=p.complete>{status}</p>
                <ul class="plain">
                    {p.missing.into_iter().map(|m| view! { <li>{format!("{} — {}", m.code, m.name)}</li> }).collect_view()}
                </ul>
            </section>
        }
    });
    let duplicates = person.full_name.clone().map(|name| {
        view! { <Duplicates id=person.id name birth_year=person.birth_year phone=person.phone.clone()/> }
    });
    let id = person.id.to_string();
    view! {
        <section class="card">
            <h1 data-testid="person-name">{name}</h1>
            <dl class="facts">
                <dt>"Giới tính"</dt><dd>{person.sex.label_vi()}</dd>
                <dt>"Sinh"</dt><dd>{birth}</dd>
                <dt>"Xã, phường"</dt><dd>{person.commune}</dd>
                <dt>"Thôn"</dt><dd>{person.village.unwrap_or_else(|| "—".to_owned())}</dd>
                <dt>"Điện thoại"</dt><dd>{person.phone.unwrap_or_else(|| "—".to_owned())}</dd>
                <dt>"CCCD"</dt><dd>{person.national_id_masked.unwrap_or_else(|| "—".to_owned())}</dd>
                <dt>"Mã phiếu"</dt><dd class="code">{person.code.clone()}</dd>
            </dl>
            {profile}
        </section>
        {progress}
        <section class="card">
            <h2>{format!("Đã tham gia {} buổi", person.sessions.len())}</h2>
            <ul class="plain">
                {person.sessions.into_iter().map(|s| view! {
                    <li><a href=format!("/buoi-tap-huan/{}", s.session_id)>{format!("{} · {} · {}", datetime_vi(s.starts_at), s.place, s.status.label_vi())}</a></li>
                }).collect_view()}
            </ul>
        </section>
        {duplicates}
        <section class="card">
            {consent}
            {(!withdrawn).then(|| view! {
                <ActionForm action=withdraw attr:class="form danger-zone">
                    <input type="hidden" name="id" value=id/>
                    <label class="check">
                        <input type="checkbox" required name="confirm" value="yes"/>
                        <span>"Người này yêu cầu rút lại sự đồng ý. Họ tên, số điện thoại, CCCD và ngày sinh sẽ bị xoá vĩnh viễn; số liệu thống kê ẩn danh được giữ."</span>
                    </label>
                    <button type="submit" class="danger">"Rút lại sự đồng ý"</button>
                </ActionForm>
            })}
        </section>
    }
}

/// Other records that may be the same person, with a merge into this one (commune leads).
#[component]
fn Duplicates(
    id: uuid::Uuid,
    name: String,
    birth_year: i32,
    phone: Option<String>,
) -> impl IntoView {
    let merge = ServerAction::<MergeParticipants>::new();
    let found = Resource::new(
        || (),
        move |_| {
            find_duplicates(
                name.clone(),
                Some(birth_year.to_string()),
                None,
                phone.clone(),
            )
        },
    );
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let others: Vec<_> = found.await.unwrap_or_default().into_iter().filter(|p| p.id != id).collect();
                (!others.is_empty()).then(|| view! {
                    <section class="card notice" data-testid="merge">
                        <h2>"Bản ghi có thể trùng"</h2>
                        <ul class="people">
                            {others.into_iter().map(|p| view! {
                                <li>
                                    <a href=format!("/nguoi-hoc/{}", p.id)>
                                        <span class="name">{p.full_name}</span>
                                        <span class="muted">{format!("{} · {}", p.birth_year, p.village.unwrap_or_default())}</span>
                                    </a>
                                    <ActionForm action=merge>
                                        <input type="hidden" name="kept_id" value=id.to_string()/>
                                        <input type="hidden" name="duplicate_id" value=p.id.to_string()/>
                                        <button type="submit" class="small">"Gộp vào đây"</button>
                                    </ActionForm>
                                </li>
                            }).collect_view()}
                        </ul>
                    </section>
                })
            })}
        </Transition>
    }
}
