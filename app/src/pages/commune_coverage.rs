//! A commune's page: its line of the province table, then villages, sessions and trainers,
//! the module mix, the digital profile of the people met, the trend, and for the
//! commune's own team the people still missing modules.

use kynangso_domain::coverage::{CommuneReport, ProfileShares, permille_vi, share_permille};
use kynangso_domain::format::integer_vi;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::coverage::{BasisLine, query_string, report_query, status};
use crate::api::coverage::read_commune_coverage;
use crate::components::chart::TrendChart;
use crate::components::form::LoadError;

#[component]
pub fn CommuneCoveragePage() -> impl IntoView {
    let params = use_params_map();
    let query = report_query();
    let report = Resource::new(
        move || {
            (
                params.with(|p| p.get("code").unwrap_or_default()),
                query.get(),
            )
        },
        |(code, q)| read_commune_coverage(code, q.on, q.rule, q.curriculum),
    );
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Đang tải…"</p> }>
            {move || Suspend::new(async move {
                match report.await {
                    Ok(Some(r)) => view! { <Commune r qs=query_string(&query.get_untracked())/> }.into_any(),
                    Ok(None) => view! { <section class="card"><p>"Chưa có chương trình tập huấn hoặc quy tắc độ tuổi lao động nào được công bố."</p></section> }.into_any(),
                    Err(err) => view! { <LoadError error=err/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn n(value: u64) -> String {
    integer_vi(i64::try_from(value).unwrap_or(i64::MAX))
}

#[component]
fn Commune(r: CommuneReport, qs: String) -> impl IntoView {
    let CommuneReport {
        basis,
        line,
        villages,
        sessions_held,
        trainers,
        modules,
        profile,
        trend,
        still_missing,
    } = r;
    let (class, label) = status(&line);
    let code = line.code.clone();
    view! {
        <Title text=line.name.clone()/>
        <section class="card">
            <p class="muted"><a href=format!("/bao-cao{qs}")>"← Toàn tỉnh"</a></p>
            <h1>{line.name.clone()}</h1>
            <BasisLine basis/>
            <dl class="summary" data-testid="commune-summary">
                <div><dt>"Đã tập huấn"</dt><dd data-testid="commune-trained">{n(line.trained)}</dd></div>
                <div><dt>"Dân số trong độ tuổi lao động"</dt><dd>{line.population.as_ref().map_or_else(|| "chưa có".to_owned(), |p| n(p.count))}</dd></div>
                <div><dt>"Tỷ lệ"</dt><dd data-testid="commune-share">{line.share_permille().map_or_else(|| "chưa tính được".to_owned(), permille_vi)}</dd></div>
                <div><dt>"So với mục tiêu"</dt><dd><span class=format!("status {class}")>{label}</span></dd></div>
            </dl>
            {line.population.as_ref().map(|p| view! { <p class="muted">{format!("Số dân năm {}, nguồn: {}.", p.year, p.source)}</p> })}
        </section>
        <section class="card">
            <h2>"Theo thôn, buôn, tổ dân phố"</h2>
            <table class="figures" data-testid="villages">
                <thead><tr><th>"Thôn, buôn"</th><th class="num">"Đã tập huấn"</th><th class="num">"Người học đã ghi"</th></tr></thead>
                <tbody>
                    {villages.into_iter().map(|v| view! {
                        <tr>
                            <th scope="row">{v.name.unwrap_or_else(|| "Chưa ghi thôn".to_owned())}</th>
                            <td class="num">{n(v.trained)}</td>
                            <td class="num">{n(v.participants)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
        <section class="card">
            <h2>"Buổi tập huấn và người hướng dẫn"</h2>
            <p data-testid="sessions-held">{format!("{} buổi đã tổ chức.", n(sessions_held))}</p>
            <table class="figures">
                <thead><tr><th>"Thành viên tổ"</th><th class="num">"Số buổi"</th><th class="num">"Lượt có mặt"</th></tr></thead>
                <tbody>
                    {trainers.into_iter().map(|t| view! {
                        <tr><th scope="row">{t.name}</th><td class="num">{n(t.sessions)}</td><td class="num">{n(t.attended)}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
        <section class="card">
            <h2>"Các mô-đun đã dạy"</h2>
            <table class="figures" data-testid="modules">
                <thead><tr><th>"Mô-đun"</th><th class="num">"Số buổi"</th><th class="num">"Lượt có mặt"</th></tr></thead>
                <tbody>
                    {modules.into_iter().map(|m| view! {
                        <tr>
                            <th scope="row">{m.name}{(!m.required).then_some(" (tự chọn)")}</th>
                            <td class="num">{n(m.sessions)}</td>
                            <td class="num">{n(m.attended)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
        <Profile profile/>
        <section class="card">
            <h2>"Diễn biến"</h2>
            <TrendChart points=trend caption=format!("Tỷ lệ đã tập huấn của {}, cuối mỗi tháng", line.name)/>
        </section>
        {still_missing.map(|people| view! {
            <section class="card">
                <h2>"Người học còn thiếu mô-đun"</h2>
                <p class="muted">"Chỉ tổ công nghệ số của xã xem được danh sách này."</p>
                <p class="exports">
                    "Tải danh sách người học của xã: "
                    <a href=format!("/bao-cao/{code}/xuat/nguoi-hoc.xlsx") download>"Excel"</a>" · "
                    <a href=format!("/bao-cao/{code}/xuat/nguoi-hoc.csv") download>"CSV"</a>
                    "; sổ điểm danh (ai học buổi nào): "
                    <a href=format!("/bao-cao/{code}/xuat/diem-danh.xlsx") download>"Excel"</a>" · "
                    <a href=format!("/bao-cao/{code}/xuat/diem-danh.csv") download>"CSV"</a>
                </p>
                {if people.is_empty() {
                    view! { <p>"Không có ai."</p> }.into_any()
                } else {
                    view! {
                        <ul class="people" data-testid="still-missing">
                            {people.into_iter().map(|p| view! {
                                <li><a href=format!("/nguoi-hoc/{}", p.participant_id)>
                                    <span class="name">{p.full_name}</span>
                                    <span class="muted">{format!("Còn thiếu: {}", p.missing.join(", "))}</span>
                                </a></li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </section>
        })}
    }
}

/// The plan's other indicators, among the people the team met and asked: labelled as
/// such, because they are not estimates for the population.
#[component]
fn Profile(profile: ProfileShares) -> impl IntoView {
    let of = profile.profiled;
    let row = move |label: &'static str, yes: u64| {
        view! {
            <tr>
                <th scope="row">{label}</th>
                <td class="num">{n(yes)}</td>
                <td class="num">{share_permille(yes, Some(of)).map_or_else(|| "—".to_owned(), permille_vi)}</td>
            </tr>
        }
    };
    view! {
        <section class="card">
            <h2>"Hồ sơ số của người học"</h2>
            <p class="muted">{format!(
                "Tỷ lệ trên {} người học đã được hỏi (không phải ước tính cho toàn bộ dân cư).", n(of)
            )}</p>
            <table class="figures" data-testid="profile">
                <thead><tr><th>"Chỉ tiêu"</th><th class="num">"Số người"</th><th class="num">"Tỷ lệ"</th></tr></thead>
                <tbody>
                    {row("Có điện thoại thông minh", profile.smartphone)}
                    {row("Có tài khoản ngân hàng/ví điện tử", profile.payment_account)}
                    {row("Dùng dịch vụ công trực tuyến", profile.online_public_services)}
                    {row("Đã kích hoạt VNeID", profile.vneid)}
                </tbody>
            </table>
        </section>
    }
}
