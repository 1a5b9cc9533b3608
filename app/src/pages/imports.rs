//! `/nhap`: choose a spreadsheet to import. A plain multipart form to `/nhap/tai-len`
//! (no JavaScript needed, any phone browser can pick a file); the server answers with the
//! file's preview, or back here with the reason beside the file field.

use kynangso_domain::Role;
use kynangso_domain::import::file::FileProblem;
use leptos::prelude::*;
use leptos_meta::Title;

use kynangso_domain::status::{ImportKind, ImportStatus};

use crate::api::auth::who_am_i;
use crate::api::imports::{ImportLine, list_imports};
use crate::components::form::LoadError;

/// What each kind of file is called on the page.
pub fn kind_label(kind: ImportKind) -> &'static str {
    match kind {
        ImportKind::Register => "Danh sách người học",
        ImportKind::Units => "Danh mục đơn vị hành chính (Cục Thống kê)",
        ImportKind::Successions => "Bảng sắp xếp đơn vị: mã cũ → mã mới",
        ImportKind::Population => "Số dân trong độ tuổi lao động",
    }
}

pub fn status_label(status: ImportStatus) -> &'static str {
    match status {
        ImportStatus::Uploaded => "chưa nhập",
        ImportStatus::Running => "đang nhập",
        ImportStatus::Done => "đã nhập",
        ImportStatus::Failed => "bị gián đoạn",
    }
}

/// The message for an upload's refusal code (`?loi=`), shared with the upload handler.
pub fn refusal_message(code: &str) -> &'static str {
    match code {
        "dang-nhap" => "Vui lòng đăng nhập lại rồi tải tệp lên.",
        "loai" => "Hãy chọn loại dữ liệu.",
        "quyen" => "Tài khoản của bạn không được nhập loại dữ liệu này.",
        "trong" => "Chưa chọn tệp, hoặc tệp trống.",
        // MAX_UPLOAD_BYTES of kynangso_domain::import::file, written out: this is a &'static str.
        "qua-lon" => "Tệp lớn hơn 40 MB; hãy chia nhỏ tệp.",
        "doc" => "Không nhận được tệp; hãy thử tải lên lại.",
        _ => "Máy chủ đang bận hoặc gặp sự cố, vui lòng thử lại.",
    }
}

/// The kinds a role may import.
fn kinds_for(role: Role) -> &'static [ImportKind] {
    match role {
        Role::CommuneLead => &[ImportKind::Register],
        Role::ProvinceAdmin => &[
            ImportKind::Units,
            ImportKind::Successions,
            ImportKind::Population,
        ],
        Role::TeamMember | Role::ProvinceReviewer => &[],
    }
}

#[component]
pub fn ImportsPage() -> impl IntoView {
    let me = Resource::new(|| (), |_| who_am_i());
    let recent = Resource::new(|| (), |_| list_imports());
    let refusal = leptos_router::hooks::use_query_map().with_untracked(|q| {
        let code = q.get("loi")?;
        let number = |key: &str| q.get(key).and_then(|v| v.parse().ok());
        Some(
            FileProblem::from_query(
                &code,
                number("dong"),
                number("cot").map(|c: u64| c as usize),
            )
            .map_or_else(|| refusal_message(&code).to_owned(), |p| p.to_string()),
        )
    });
    view! {
        <Title text="Nhập dữ liệu từ tệp"/>
        <Suspense fallback=|| view! { <p class="muted">"Đang tải…"</p> }>
            {move || {
                let refusal = refusal.clone();
                Suspend::new(async move {
                let role = match me.await {
                    Ok(Some(me)) => me.role,
                    Ok(None) => return view! { <LoadError error=crate::AppError::Unauthenticated/> }.into_any(),
                    Err(error) => return view! { <LoadError error/> }.into_any(),
                };
                let kinds = kinds_for(role);
                let recent = recent.await.unwrap_or_default();
                view! {
                    <section class="card">
                        <h1>"Nhập dữ liệu từ tệp"</h1>
                        {if kinds.is_empty() {
                            view! { <p>"Tài khoản của bạn không nhập dữ liệu từ tệp. Trưởng nhóm xã nhập danh sách người học; quản trị tỉnh nhập danh mục đơn vị và số dân."</p> }.into_any()
                        } else {
                            view! { <UploadForm kinds refusal/> }.into_any()
                        }}
                    </section>
                    <RecentImports recent/>
                }.into_any()
            })}}
        </Suspense>
    }
}

#[component]
fn UploadForm(kinds: &'static [ImportKind], refusal: Option<String>) -> impl IntoView {
    let register = kinds.contains(&ImportKind::Register);
    view! {
        <p class="muted">
            "Tệp Excel (.xlsx, .xls) hoặc CSV (UTF-8). Dòng đầu là tiêu đề cột. Trước khi nhập, bạn sẽ xem từng dòng lỗi; chưa có gì được ghi cho đến khi bạn xác nhận."
        </p>
        {register.then(|| view! {
            <p class="muted">
                "Các cột thường gặp được tự nhận ra: Họ và tên, Ngày sinh hoặc Năm sinh, Giới tính, Thôn/Buôn, Số điện thoại, Số CCCD, Mã."
            </p>
        })}
        <form method="post" action="/nhap/tai-len" enctype="multipart/form-data" data-testid="upload-form">
            <label class="field"><span>"Loại dữ liệu"</span>
                <select name="loai" required>
                    {kinds.iter().map(|k| view! { <option value=k.as_str()>{kind_label(*k)}</option> }).collect_view()}
                </select>
            </label>
            <label class="field"><span>"Tệp"</span>
                <input type="file" name="tep" accept=".xlsx,.xls,.csv,text/csv" required
                    aria-invalid=refusal.is_some().then_some("true")
                    aria-describedby="tep-loi"/>
                {refusal.map(|message| view! { <span class="error" id="tep-loi" role="alert">{message}</span> })}
            </label>
            <button type="submit" class="primary">"Tải lên và xem trước"</button>
        </form>
    }
}

#[component]
fn RecentImports(recent: Vec<ImportLine>) -> impl IntoView {
    (!recent.is_empty()).then(|| view! {
        <section class="card">
            <h2>"Tệp đã tải lên gần đây"</h2>
            <ul class="people" data-testid="recent-imports">
                {recent.into_iter().map(|line| view! {
                    <li>
                        <a href=format!("/nhap/{}", line.id)>{line.file_name}</a>
                        <span class="muted">{format!("{} · {} · {}", kind_label(line.kind), status_label(line.status), line.uploaded)}</span>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    })
}
