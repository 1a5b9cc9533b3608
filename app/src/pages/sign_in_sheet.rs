//! A printable A4 sign-in sheet for halls without phones: the roster with each person's
//! code, and blank rows for people who come without being registered.

use kynangso_domain::format::datetime_vi;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::sessions::read_session;
use crate::components::form::LoadError;

/// Blank rows after the roster for people not yet registered.
const BLANK_ROWS: usize = 15;

#[component]
pub fn SignInSheetPage() -> impl IntoView {
    let params = use_params_map();
    let session = Resource::new(
        move || params.with(|p| p.get("id").unwrap_or_default()),
        read_session,
    );
    view! {
        <Title text="Danh sách ký tên"/>
        <Suspense fallback=|| view! { <p class="muted">"Đang tải…"</p> }>
            {move || Suspend::new(async move {
                match session.await {
                    Ok(s) => {
                        let first_blank = s.roster.len() + 1;
                        view! {
                            <article class="sheet">
                                <header>
                                    <h1>"DANH SÁCH KÝ TÊN THAM GIA TẬP HUẤN KỸ NĂNG SỐ"</h1>
                                    <p>{format!("{} · {} · {}", s.commune, datetime_vi(s.starts_at), s.place)}</p>
                                    <p>{s.modules.iter().map(|m| m.code.clone()).collect::<Vec<_>>().join(", ")}</p>
                                </header>
                                <table data-testid="sheet">
                                    <thead><tr><th>"TT"</th><th>"Mã"</th><th>"Họ và tên"</th><th>"Năm sinh"</th><th>"Ký tên"</th></tr></thead>
                                    <tbody>
                                        {s.roster.into_iter().enumerate().map(|(i, r)| view! {
                                            <tr>
                                                <td>{i + 1}</td>
                                                <td class="code">{r.code}</td>
                                                <td>{r.full_name.unwrap_or_default()}</td>
                                                <td>{r.birth_year}</td>
                                                <td></td>
                                            </tr>
                                        }).collect_view()}
                                        {(first_blank..first_blank + BLANK_ROWS).map(|n| view! {
                                            <tr class="blank"><td>{n}</td><td></td><td></td><td></td><td></td></tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                                <p class="no-print"><PrintButton/></p>
                            </article>
                        }.into_any()
                    }
                    Err(err) => view! { <LoadError error=err/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[island]
fn PrintButton() -> impl IntoView {
    let print = move |_| {
        let _ = window().print();
    };
    view! { <button type="button" class="primary" on:click=print>"In (A4)"</button> }
}
