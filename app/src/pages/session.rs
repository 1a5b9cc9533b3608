//! A session's page: its details and the attendance roster. One tap on a person cycles
//! present → late → excused → absent; the counts update at once and the request goes in
//! the background (a failure puts the roster back to what the server has). People are added
//! by searching without diacritics or by the code on the paper sheet. Every control is a
//! plain form underneath, so the page also works before the wasm has loaded.

use kynangso_domain::attendance::{AttendanceCounts, AttendanceStatus};
use kynangso_domain::format::datetime_vi;
use kynangso_domain::views::{RosterEntry, SessionDetail};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::participants::search_participants;
use crate::api::sessions::{
    CancelSession, MarkAllPresent, MarkAttendance, MarkByCode, read_session,
};
use crate::components::form::{
    FieldMessage, FormMessage, LoadError, TYPING_PAUSE, debounced, error_of,
};

#[component]
pub fn SessionPage() -> impl IntoView {
    let params = use_params_map();
    let add = ServerAction::<MarkAttendance>::new();
    let all = ServerAction::<MarkAllPresent>::new();
    let by_code = ServerAction::<MarkByCode>::new();
    let cancel = ServerAction::<CancelSession>::new();
    // Taps: not a dependency of the resource, so a tap never reloads the roster.
    let mark = ServerAction::<MarkAttendance>::new();
    let session = Resource::new(
        move || {
            (
                params.with(|p| p.get("id").unwrap_or_default()),
                add.version().get()
                    + all.version().get()
                    + by_code.version().get()
                    + cancel.version().get(),
            )
        },
        |(id, _)| read_session(id),
    );
    view! {
        <Title text="Buổi tập huấn"/>
        <Suspense fallback=|| view! { <p class="muted">"Đang tải…"</p> }>
            {move || Suspend::new(async move {
                match session.await {
                    Ok(detail) => {
                        let reload = Callback::new(move |()| session.refetch());
                        view! { <Session detail add all by_code cancel mark reload/> }.into_any()
                    }
                    Err(err) => view! { <LoadError error=err/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Session(
    detail: SessionDetail,
    add: ServerAction<MarkAttendance>,
    all: ServerAction<MarkAllPresent>,
    by_code: ServerAction<MarkByCode>,
    cancel: ServerAction<CancelSession>,
    mark: ServerAction<MarkAttendance>,
    reload: Callback<()>,
) -> impl IntoView {
    let id = detail.id.to_string();
    let where_ = match &detail.village {
        Some(v) => format!("{} · {v}", detail.place),
        None => detail.place.clone(),
    };
    let cancelled = detail.cancelled;
    view! {
        <section class="card">
            <h1>{datetime_vi(detail.starts_at)}{cancelled.then_some(" · Đã huỷ")}</h1>
            <p>{where_}" · "{format!("{} phút", detail.duration_minutes)}</p>
            <ul class="plain">
                {detail.modules.iter().map(|m| view! { <li>{format!("{} — {}", m.code, m.name)}</li> }).collect_view()}
            </ul>
            <p class="muted">{format!("Hướng dẫn: {}", if detail.trainers.is_empty() { "—".to_owned() } else { detail.trainers.join(", ") })}</p>
            {detail.notes.clone().map(|n| view! { <p class="muted">{n}</p> })}
            <a class="button" href=format!("/buoi-tap-huan/{id}/in")>"In danh sách ký tên"</a>
        </section>
        {view! { <Roster session_id=id.clone() roster=detail.roster all mark cancelled reload/> }.into_any()}
        {(!cancelled).then(|| view! {
            <AddPeople session_id=id.clone() add by_code/>
            <CancelForm session_id=id.clone() cancel/>
        }.into_any())}
    }
}

#[component]
fn Roster(
    session_id: String,
    roster: Vec<RosterEntry>,
    all: ServerAction<MarkAllPresent>,
    mark: ServerAction<MarkAttendance>,
    cancelled: bool,
    reload: Callback<()>,
) -> impl IntoView {
    // A failed tap: show why, and put the roster back to what the server holds.
    Effect::new(move |previous: Option<usize>| {
        let version = mark.version().get();
        if previous.is_some_and(|p| p != version)
            && matches!(mark.value().get_untracked(), Some(Err(_)))
        {
            reload.run(());
        }
        version
    });
    let rows: Vec<(RosterEntry, RwSignal<AttendanceStatus>)> = roster
        .into_iter()
        .map(|entry| {
            let status = RwSignal::new(entry.status);
            (entry, status)
        })
        .collect();
    let signals: Vec<RwSignal<AttendanceStatus>> = rows.iter().map(|(_, s)| *s).collect();
    let counts = Memo::new(move |_| AttendanceCounts::of(signals.iter().map(|s| s.get())));
    let error = error_of(mark.value());
    let all_error = error_of(all.value());
    let url = MarkAttendance::url();
    let all_session = session_id.clone();
    view! {
        <section class="card">
            <div class="row">
                <h2>"Điểm danh"</h2>
                <p class="counts" data-testid="counts" aria-live="polite">
                    {move || {
                        let c = counts.get();
                        format!("Có mặt {} · Muộn {} · Phép {} · Vắng {} / {}", c.present, c.late, c.excused, c.absent, c.total())
                    }}
                </p>
            </div>
            <FormMessage error/>
            {(!cancelled).then(|| view! {
                <ActionForm action=all>
                    <input type="hidden" name="session_id" value=all_session/>
                    <button type="submit" class="small">"Tất cả có mặt"</button>
                </ActionForm>
                <FormMessage error=all_error/>
            })}
            <ul class="roster" data-testid="roster">
                {rows.into_iter().map(|(entry, status)| {
                    let name = entry.full_name.clone().unwrap_or_else(|| "(Đã rút đồng ý)".to_owned());
                    let participant = entry.participant_id.to_string();
                    let session = session_id.clone();
                    let on_submit = {
                        let (session, participant) = (session.clone(), participant.clone());
                        move |ev: leptos::ev::SubmitEvent| {
                            ev.prevent_default();
                            let next = status.get_untracked().next();
                            status.set(next);
                            mark.dispatch(MarkAttendance {
                                session_id: session.clone(),
                                participant_id: participant.clone(),
                                status: next.as_str().to_owned(),
                            });
                        }
                    };
                    view! {
                        <li>
                            <form method="post" action=url on:submit=on_submit>
                                <input type="hidden" name="session_id" value=session/>
                                <input type="hidden" name="participant_id" value=participant/>
                                <input type="hidden" name="status" prop:value=move || status.get().next().as_str()/>
                                <button type="submit" class="roster-row" disabled=cancelled
                                    data-status=move || status.get().as_str()>
                                    <span class="who">
                                        <span class="name">{name}</span>
                                        <span class="muted">{format!("{} · mã {}", entry.birth_year, entry.code)}</span>
                                    </span>
                                    <span class="badge">{move || status.get().label_vi()}</span>
                                </button>
                            </form>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn AddPeople(
    session_id: String,
    add: ServerAction<MarkAttendance>,
    by_code: ServerAction<MarkByCode>,
) -> impl IntoView {
    let query = RwSignal::new(String::new());
    let settled = debounced(query, TYPING_PAUSE);
    let found = Resource::new(
        move || settled.get(),
        |q| async move {
            if q.trim().chars().count() < 2 {
                Ok(Vec::new())
            } else {
                search_participants(q).await
            }
        },
    );
    let code_error = error_of(by_code.value());
    let add_error = error_of(add.value());
    let session = StoredValue::new(session_id.clone());
    view! {
        <section class="card">
            <h2>"Thêm người vào buổi"</h2>
            <ActionForm action=by_code attr:class="inline-form">
                <input type="hidden" name="session_id" value=session_id.clone()/>
                <label class="field">
                    <span>"Mã trên phiếu ký tên"</span>
                    <input type="text" name="code" autocomplete="off" autocapitalize="characters" maxlength="8"/>
                    <FieldMessage error=code_error field="code"/>
                </label>
                <button type="submit" class="small">"Có mặt"</button>
            </ActionForm>
            <label class="field">
                <span>"Tìm người học (tên không dấu, năm sinh, số điện thoại)"</span>
                <input type="search" autocomplete="off" placeholder="nguyen thi hoa"
                    prop:value=move || query.get()
                    on:input=move |ev| query.set(event_target_value(&ev))/>
            </label>
            <FormMessage error=add_error/>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let people = found.await.unwrap_or_default();
                    view! {
                        <ul class="people" data-testid="found">
                            {people.into_iter().map(|p| view! {
                                <li>
                                    <div>
                                        <span class="name">{p.full_name}</span>
                                        <span class="muted">{format!("{} · {}", p.birth_year, p.village.unwrap_or_default())}</span>
                                    </div>
                                    <ActionForm action=add>
                                        <input type="hidden" name="session_id" value=session.get_value()/>
                                        <input type="hidden" name="participant_id" value=p.id.to_string()/>
                                        <input type="hidden" name="status" value="present"/>
                                        <button type="submit" class="small">"Thêm"</button>
                                    </ActionForm>
                                </li>
                            }).collect_view()}
                        </ul>
                    }
                })}
            </Transition>
            <a href="/nguoi-hoc/moi">"Người mới? Đăng ký người học"</a>
        </section>
    }
}

#[component]
fn CancelForm(session_id: String, cancel: ServerAction<CancelSession>) -> impl IntoView {
    let error = error_of(cancel.value());
    view! {
        <section class="card">
            <ActionForm action=cancel attr:class="form danger-zone">
                <input type="hidden" name="id" value=session_id/>
                <label class="check">
                    <input type="checkbox" required name="confirm" value="yes"/>
                    <span>"Buổi này không diễn ra. Huỷ buổi (danh sách vẫn được lưu)."</span>
                </label>
                <FormMessage error/>
                <button type="submit" class="danger">"Huỷ buổi tập huấn"</button>
            </ActionForm>
        </section>
    }
}
