//! `/nhap/{id}`: what importing an uploaded file will do — the columns as read (a
//! register's can be changed), the counts of new, updated, unchanged and left-out rows,
//! and every row's problem with its row number and column — then the confirmation.
//! While the import runs the page reloads itself every two seconds (no script needed).

use kynangso_domain::format::integer_vi;
use kynangso_domain::import::RegisterField;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::imports::{ImportChoices, ImportView, read_import};
use crate::components::form::{ErrorFromPlainForm, LoadError};
use crate::pages::imports::{kind_label, status_label};
use kynangso_domain::status::{ImportKind, ImportStatus};

/// The choices in the address: `cot=` as the confirmation sends it, or `c0=…&c1=…` as the
/// column form sends it.
fn choices_from_query() -> ImportChoices {
    use_query_map().with_untracked(|q| {
        let columns: Vec<String> = (0..200).map_while(|i| q.get(&format!("c{i}"))).collect();
        ImportChoices {
            cot: if columns.is_empty() {
                q.get("cot")
            } else {
                Some(columns.join(","))
            },
            ngay: q.get("ngay"),
            nam: q.get("nam"),
            nguon: q.get("nguon"),
            trang: q.get("trang"),
        }
    })
}

#[component]
pub fn ImportPage() -> impl IntoView {
    let id = use_params_map().with_untracked(|p| p.get("id").unwrap_or_default());
    let choices = choices_from_query();
    let view_of = {
        let (id, c) = (id.clone(), choices.clone());
        Resource::new(
            || (),
            move |_| {
                read_import(
                    id.clone(),
                    c.cot.clone(),
                    c.ngay.clone(),
                    c.nam.clone(),
                    c.nguon.clone(),
                    c.trang.clone(),
                )
            },
        )
    };
    view! {
        <Title text="Xem trước khi nhập"/>
        <ErrorFromPlainForm/>
        <Suspense fallback=|| view! { <p class="muted">"Đang đọc tệp…"</p> }>
            {move || {
                let choices = choices.clone();
                Suspend::new(async move {
                    match view_of.await {
                        Ok(file) => view! { <ImportFile file choices/> }.into_any(),
                        Err(error) => view! { <LoadError error/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn ImportFile(file: ImportView, choices: ImportChoices) -> impl IntoView {
    let heading = view! {
        <h1>{kind_label(file.kind)}</h1>
        <p class="muted">{format!("{} · {}", file.file_name, status_label(file.status))}</p>
    };
    match file.status {
        // A plain refresh in the body: leptos_meta's head tags do not reach a page whose
        // head was sent before this Suspense resolved, and a browser honours this one
        // wherever it stands. It needs no script, so it works on any phone.
        ImportStatus::Running => view! {
            <section class="card">
                <meta http-equiv="refresh" content="2"/>
                {heading}
                <p aria-live="polite" data-testid="import-progress">
                    {format!("Đang nhập… đã xử lý {} dòng.", integer_vi(file.rows_done as i64))}
                </p>
                <a href=format!("/nhap/{}", file.id)>"Tải lại trang"</a>
            </section>
        }.into_any(),
        ImportStatus::Done => view! {
            <section class="card">
                {heading}
                <p class="ok" data-testid="import-done">"Đã nhập xong."</p>
                <Counts file=file.clone()/>
                {(file.kind == ImportKind::Register).then(|| view! { <a class="button" href="/nguoi-hoc">"Xem người học"</a> })}
            </section>
            <Issues file choices/>
        }.into_any(),
        _ => view! {
            <section class="card">
                {heading}
                {file.failure.clone().map(|message| view! { <p class="error" role="alert">{message}</p> })}
                {file.problem.clone().map(|message| view! { <p class="error" role="alert" data-testid="import-problem">{message}</p> })}
                {file.problem.is_none().then(|| view! { <Counts file=file.clone()/> })}
            </section>
            <Issues file=file.clone() choices=choices.clone()/>
            <Confirm file=file.clone() choices=choices.clone()/>
            <Choices file choices/>
        }.into_any(),
    }
}

#[component]
fn Counts(file: ImportView) -> impl IntoView {
    let c = file.counts;
    let line = |label: &'static str, n: u64, id: &'static str| {
        view! { <tr data-count=id><th scope="row">{label}</th><td class="num">{integer_vi(n as i64)}</td></tr> }
    };
    view! {
        <table class="figures counts" data-testid="import-counts">
            <tbody>
                {line("Số dòng dữ liệu", c.rows, "rows")}
                {line("Mới", c.new, "new")}
                {line("Cập nhật", c.updated, "updated")}
                {line("Đã có, không đổi", c.unchanged, "unchanged")}
                {line("Nghi trùng (chưa nhập)", c.duplicate_suspects, "duplicate_suspects")}
                {line("Dòng lỗi (không nhập)", c.rejected, "rejected")}
                {(c.closed > 0).then(|| line("Đơn vị đóng lại", c.closed, "closed"))}
                {(c.attendance > 0).then(|| line("Lượt tham gia tập huấn", c.attendance, "attendance"))}
                {(c.sessions_new > 0).then(|| line("Buổi tập huấn mới", c.sessions_new, "sessions_new"))}
            </tbody>
        </table>
    }
}

/// A register's columns (a GET form that previews again) or a reference file's options.
#[component]
fn Choices(file: ImportView, choices: ImportChoices) -> impl IntoView {
    let action = format!("/nhap/{}", file.id);
    match file.kind {
        ImportKind::Register if !file.headers.is_empty() => view! {
            <details class="card" open=file.problem.is_some()>
                <summary>"Cách đọc các cột (bấm để sửa)"</summary>
                <form method="get" action=action data-testid="columns-form">
                    {file.headers.iter().enumerate().map(|(i, header)| {
                        let current = file.columns.get(i).copied().flatten();
                        view! {
                            <label class="field"><span>{if header.is_empty() { format!("Cột {}", i + 1) } else { header.clone() }}</span>
                                <select name=format!("c{i}")>
                                    <option value="" selected=current.is_none()>"Bỏ qua cột này"</option>
                                    {RegisterField::ALL.into_iter().map(|f| view! {
                                        <option value=f.as_str() selected=current == Some(f)>{f.label_vi()}</option>
                                    }).collect_view()}
                                </select>
                            </label>
                        }
                    }).collect_view()}
                    <button type="submit">"Xem lại với cách đọc cột này"</button>
                </form>
            </details>
        }.into_any(),
        ImportKind::Units | ImportKind::Successions => view! {
            <section class="card">
                <form method="get" action=action>
                    <label class="field"><span>"Ngày hiệu lực"</span>
                        <input type="date" name="ngay" value=choices.ngay.unwrap_or_default()/>
                    </label>
                    <button type="submit">"Xem lại"</button>
                </form>
            </section>
        }.into_any(),
        ImportKind::Population => view! {
            <section class="card">
                <form method="get" action=action>
                    <div class="pair">
                        <label class="field"><span>"Năm (nếu tệp không có cột Năm)"</span>
                            <input type="number" name="nam" inputmode="numeric" value=choices.nam.unwrap_or_default()/>
                        </label>
                    </div>
                    <label class="field"><span>"Nguồn (nếu tệp không có cột Nguồn)"</span>
                        <input type="text" name="nguon" maxlength="300" value=choices.nguon.unwrap_or_default()/>
                    </label>
                    <button type="submit">"Xem lại"</button>
                </form>
            </section>
        }.into_any(),
        _ => ().into_any(),
    }
}

#[component]
fn Issues(file: ImportView, choices: ImportChoices) -> impl IntoView {
    let pager = (file.pages > 1).then(|| view! { <IssuePages file=file.clone() choices/> });
    (!file.issues.is_empty()).then(|| view! {
        <section class="card">
            <h2>"Các dòng cần xem"</h2>
            <div class="table-scroll">
                <table class="issues" data-testid="import-issues">
                    <thead><tr><th class="num">"Dòng"</th><th>"Cột"</th><th>"Vấn đề"</th></tr></thead>
                    <tbody>
                        {file.issues.into_iter().map(|issue| view! {
                            <tr class:warning=issue.warning class:error=!issue.warning data-row=issue.row>
                                <td class="num">{if issue.row == 0 { "Cả tệp".to_owned() } else { issue.row.to_string() }}</td>
                                <td>{issue.column}</td>
                                <td>{if issue.warning { "Lưu ý: " } else { "Lỗi: " }}{issue.message}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            {pager}
            {(file.issues_left_out > 0).then(|| view! {
                <p class="muted">{format!("Còn {} vấn đề nữa không hiện ở đây.", integer_vi(file.issues_left_out as i64))}</p>
            })}
        </section>
    })
}

/// The previous and next pages of issues: a GET form carrying the page's choices, so the
/// browser encodes them and no script is needed.
#[component]
fn IssuePages(file: ImportView, choices: ImportChoices) -> impl IntoView {
    let hidden = |name: &'static str, value: Option<String>| {
        value.map(|value| view! { <input type="hidden" name=name value=value/> })
    };
    view! {
        <form method="get" action=format!("/nhap/{}", file.id) class="pager" data-testid="issue-pages">
            {hidden("cot", choices.cot)}
            {hidden("ngay", choices.ngay)}
            {hidden("nam", choices.nam)}
            {hidden("nguon", choices.nguon)}
            {(file.page > 1).then(|| view! {
                <button type="submit" name="trang" value=(file.page - 1).to_string()>"Trang trước"</button>
            })}
            <span>{format!("Trang {}/{}", file.page, file.pages)}</span>
            {(file.page < file.pages).then(|| view! {
                <button type="submit" name="trang" value=(file.page + 1).to_string()>"Trang sau"</button>
            })}
        </form>
    }
}

/// The confirmation: a plain POST to the server function, which sends the browser back
/// here (now running).
#[component]
fn Confirm(file: ImportView, choices: ImportChoices) -> impl IntoView {
    let writes = file.counts.new + file.counts.updated + file.counts.closed;
    let cot = file
        .columns
        .iter()
        .map(|c| c.map_or("", RegisterField::as_str))
        .collect::<Vec<_>>()
        .join(",");
    let register = file.kind == ImportKind::Register;
    let can_import = file.problem.is_none() && writes > 0;
    view! {
        <section class="card">
            {if can_import {
                view! {
                    <form method="post" action="/api/imports/start" data-testid="confirm-form">
                        <input type="hidden" name="id" value=file.id.clone()/>
                        <input type="hidden" name="cot" value=cot/>
                        <input type="hidden" name="ngay" value=choices.ngay.unwrap_or_default()/>
                        <input type="hidden" name="nam" value=choices.nam.unwrap_or_default()/>
                        <input type="hidden" name="nguon" value=choices.nguon.unwrap_or_default()/>
                        {register.then(|| view! {
                            <label class="check">
                                <input type="checkbox" name="dong_y" value="on" required/>
                                <span>"Tôi xác nhận những người mới trong tệp đã đồng ý (trên phiếu giấy) cho Tổ công nghệ số cộng đồng ghi thông tin của họ để theo dõi phổ cập kỹ năng số."</span>
                            </label>
                        })}
                        <p class="muted">"Các dòng lỗi và nghi trùng không được nhập. Nhập lại cùng tệp không tạo bản ghi mới."</p>
                        <button type="submit" class="primary">{format!("Nhập {} dòng", integer_vi(writes as i64))}</button>
                    </form>
                }.into_any()
            } else {
                view! { <p data-testid="nothing-to-import">"Không có dòng nào cần nhập."</p> }.into_any()
            }}
            <a href="/nhap">"Chọn tệp khác"</a>
        </section>
    }
}
