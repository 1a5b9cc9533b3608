//! A session's page: its details and the attendance roster. One tap on a person cycles
//! present → late → excused → absent; the counts update at once and the request goes in
//! the background (a failed tap reloads the page, so it shows what the server holds).
//! People are added by searching without diacritics or by the code on the paper sheet.
//! Every control is a plain form underneath, so the page also works without the wasm;
//! only the roster and the "add people" box are islands.

use kynangso_domain::attendance::{AttendanceCounts, AttendanceStatus};
use kynangso_domain::format::datetime_vi;
use kynangso_domain::views::{RosterEntry, SessionDetail};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use crate::AppError;
use crate::api::attendance::{
    MarkAllPresent, MarkAttendance, MarkByCode, RosterMark, mark_attendance_batch,
};
use crate::api::participants::search_participants;
use crate::api::sessions::{CancelSession, read_session};
use crate::components::form::{
    FieldMessage, FormMessage, LoadError, TYPING_PAUSE, debounced, error_of,
};

#[component]
pub fn SessionPage() -> impl IntoView {
    let id = use_params_map().with_untracked(|p| p.get("id").unwrap_or_default());
    let session = Resource::new(move || id.clone(), read_session);
    view! {
        <Title text="Buổi tập huấn"/>
        <Suspense fallback=|| view! { <p class="muted">"Đang tải…"</p> }>
            {move || Suspend::new(async move {
                match session.await {
                    Ok(detail) => view! { <Session detail/> }.into_any(),
                    Err(err) => view! { <LoadError error=err/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Session(detail: SessionDetail) -> impl IntoView {
    let id = detail.id.to_string();
    let where_ = match &detail.village {
        Some(v) => format!("{} · {v}", detail.place),
        None => detail.place.clone(),
    };
    let cancelled = detail.cancelled;
    let cancel = ServerAction::<CancelSession>::new();
    let (add_id, cancel_id) = (id.clone(), id.clone());
    view! {
        <section class="card">
            <h1>{datetime_vi(detail.starts_at)}{cancelled.then_some(" · Đã huỷ")}</h1>
            <p>{where_}" · "{format!("{} phút", detail.duration_minutes)}</p>
            <ul class="plain">
                {detail.modules.iter().map(|m| view! { <li>{format!("{} — {}", m.code, m.name)}</li> }).collect_view()}
            </ul>
            <p class="muted">{format!("Hướng dẫn: {}", if detail.trainers.is_empty() { "—".to_owned() } else { detail.trainers.join(", ") })}</p>
            {detail.notes.clone().map(|n| view! { <p class="muted">{n}</p> })}
            <div class="row">
                <a class="button" href=format!("/buoi-tap-huan/{id}/in")>"In danh sách ký tên"</a>
                {(!cancelled).then(|| view! { <a class="button" href=format!("/buoi-tap-huan/{id}/sua")>"Sửa"</a> })}
            </div>
        </section>
        <section class="card">
            <Roster session_id=id.clone() roster=detail.roster cancelled/>
        </section>
        {(!cancelled).then(|| view! {
            <AddPeople session_id=add_id/>
            <section class="card">
                <ActionForm action=cancel attr:class="form danger-zone">
                    <input type="hidden" name="id" value=cancel_id/>
                    <label class="check">
                        <input type="checkbox" required name="confirm" value="yes"/>
                        <span>"Buổi này không diễn ra. Huỷ buổi (danh sách vẫn được lưu)."</span>
                    </label>
                    <button type="submit" class="danger">"Huỷ buổi tập huấn"</button>
                </ActionForm>
            </section>
        })}
    }
}

/// The roster with live counts. Each row is a form (a plain post without the wasm); with it,
/// a tap updates the row at once and the roster sends the change in the background. One
/// request is on its way at a time: taps made meanwhile wait and go together in the next
/// one, each row with its latest status. So on a slow connection 40 taps become a few
/// requests, and rapid taps can never arrive out of order and leave the server with an
/// earlier status. "Đang lưu…" shows while anything is unsent.
#[island]
fn Roster(session_id: String, roster: Vec<RosterEntry>, cancelled: bool) -> impl IntoView {
    let saving = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);
    // Per row: the person, the status shown, and the status the server holds.
    let rows: Vec<(
        RosterEntry,
        RwSignal<AttendanceStatus>,
        StoredValue<AttendanceStatus>,
    )> = roster
        .into_iter()
        .map(|entry| {
            let status = RwSignal::new(entry.status);
            let saved = StoredValue::new(entry.status);
            (entry, status, saved)
        })
        .collect();
    let queue: Vec<(
        Uuid,
        RwSignal<AttendanceStatus>,
        StoredValue<AttendanceStatus>,
    )> = rows
        .iter()
        .map(|(entry, status, saved)| (entry.participant_id, *status, *saved))
        .collect();
    let queue = StoredValue::new(queue);
    let signals: Vec<RwSignal<AttendanceStatus>> = rows.iter().map(|(_, s, _)| *s).collect();
    let every_status = StoredValue::new(signals.clone());
    let counts = Memo::new(move |_| AttendanceCounts::of(signals.iter().map(|s| s.get())));
    // Marks a tap set otherwise than present: "all present" overwrites them only when asked.
    let others = Memo::new(move |_| {
        let c = counts.get();
        c.total() - c.present
    });
    // What "all present" replaced, until undone.
    let replaced = RwSignal::new(None::<Vec<(RwSignal<AttendanceStatus>, AttendanceStatus)>>);
    let session = Uuid::parse_str(&session_id).ok();
    // Sends every row whose shown status differs from the saved one, until none does.
    let flush = move || {
        if saving.get_untracked() {
            return; // the request on its way sends again when it returns
        }
        let Some(session) = session else { return };
        saving.set(true);
        leptos::task::spawn_local(async move {
            loop {
                let batch: Vec<RosterMark> = queue.with_value(|rows| {
                    rows.iter()
                        .filter(|(_, status, saved)| status.get_untracked() != saved.get_value())
                        .map(|(id, status, _)| RosterMark {
                            participant_id: *id,
                            status: status.get_untracked(),
                        })
                        .collect()
                });
                if batch.is_empty() {
                    break;
                }
                match mark_attendance_batch(session, batch.clone()).await {
                    Ok(_) => queue.with_value(|rows| {
                        for mark in &batch {
                            if let Some((_, _, saved)) =
                                rows.iter().find(|(id, _, _)| *id == mark.participant_id)
                            {
                                saved.set_value(mark.status);
                            }
                        }
                    }),
                    Err(err) => {
                        // Show why, then the roster as the server holds it.
                        error.set(Some(err));
                        let _ = window().location().reload();
                        break;
                    }
                }
            }
            saving.set(false);
        });
    };
    let all_present = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let before: Vec<_> = every_status.with_value(|all| {
            all.iter()
                .map(|status| (*status, status.get_untracked()))
                .collect()
        });
        every_status.with_value(|all| {
            for status in all {
                status.set(AttendanceStatus::Present);
            }
        });
        replaced.set(Some(before));
        flush();
    };
    let undo = move |_| {
        if let Some(before) = replaced.get_untracked() {
            for (status, was) in before {
                status.set(was);
            }
            replaced.set(None);
            flush();
        }
    };
    let all_session = session_id.clone();
    let url = MarkAttendance::url();
    view! {
        <div class="row">
            <h2>"Điểm danh"</h2>
            <p class="counts" data-testid="counts" aria-live="polite">
                {move || {
                    let c = counts.get();
                    format!("Có mặt {} · Muộn {} · Phép {} · Vắng {} / {}", c.present, c.late, c.excused, c.absent, c.total())
                }}
            </p>
        </div>
        <p class="muted" data-testid="save-state" aria-live="polite">
            {move || if saving.get() { "Đang lưu…" } else { "Đã lưu" }}
        </p>
        <FormMessage error=Signal::from(error)/>
        <ul class="roster" data-testid="roster">
            {rows.into_iter().map(|(entry, status, _)| {
                let name = entry.full_name.clone().unwrap_or_else(|| "(Đã rút đồng ý)".to_owned());
                let on_submit = move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    status.update(|s| *s = s.next());
                    flush();
                };
                view! {
                    <li>
                        <form method="post" action=url on:submit=on_submit>
                            <input type="hidden" name="session_id" value=session_id.clone()/>
                            <input type="hidden" name="participant_id" value=entry.participant_id.to_string()/>
                            // An attribute, not a property: the server writes it into the
                            // page, so a tap before the script arrives (or without it) posts
                            // the next status.
                            <input type="hidden" name="status" value=move || status.get().next().as_str()/>
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
        // A plain form without the script: the server writes the checkbox when some marks
        // would be overwritten, and refuses to overwrite them unless it is ticked.
        {(!cancelled).then(|| view! {
            <form method="post" action=MarkAllPresent::url() on:submit=all_present class="all-present">
                <input type="hidden" name="session_id" value=all_session/>
                <Show when=move || { others.get() > 0 }>
                    <label class="check">
                        <input type="checkbox" name="overwrite" value="yes" required/>
                        <span>{move || format!("Kể cả {} người đang Muộn, Phép hoặc Vắng", others.get())}</span>
                    </label>
                </Show>
                <div class="row">
                    <button type="submit" class="small">"Tất cả có mặt"</button>
                    <Show when=move || replaced.with(Option::is_some)>
                        <button type="button" class="small" on:click=undo>"Hoàn tác"</button>
                    </Show>
                </div>
            </form>
        }.into_any())}
    }
    .into_any()
}

/// Adding people: by the code on the paper sheet, or by search as you type. After an add
/// the page reloads, so the roster island starts from what the server holds.
#[island]
fn AddPeople(session_id: String) -> impl IntoView {
    let add = ServerAction::<MarkAttendance>::new();
    let by_code = ServerAction::<MarkByCode>::new();
    Effect::new(move |_| {
        if matches!(add.value().get(), Some(Ok(()))) || matches!(by_code.value().get(), Some(Ok(_)))
        {
            let _ = window().location().reload();
        }
    });
    let query = RwSignal::new(String::new());
    let search_box = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if let Some(input) = search_box.get() {
            let typed = input.value();
            if !typed.is_empty() {
                query.set(typed);
            }
        }
    });
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
                // Not bound to the signal: what was typed before the script arrived stays,
                // and the search starts from it (see the effect above).
                <input type="search" autocomplete="off" placeholder="nguyen thi hoa"
                    node_ref=search_box
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
