//! The province dashboard: one line per commune or ward with trained people, working-age
//! population, share, status against both targets and how many more are needed; the
//! province total, communes on target, the trend, and the exports. Sorting and the
//! reference date are plain links and a GET form, so the page works without JavaScript.

use std::cmp::Ordering;

use kynangso_domain::text::collation_key;

use kynangso_domain::coverage::{
    Basis, CommuneCoverage, ProvinceReport, TARGETS, permille_vi, share_permille,
};
use kynangso_domain::format::{date_vi, integer_vi};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::coverage::{ProvinceDashboard, ReportQuery, read_province_coverage};
use crate::components::chart::TrendChart;
use crate::components::form::LoadError;

/// The report's query from the address, shared by the coverage pages.
pub fn report_query() -> Memo<ReportQuery> {
    let query = use_query_map();
    Memo::new(move |_| query.with(|q| ReportQuery::from_address(|key| q.get(key))))
}

/// `?ngay=…&quy-tac=…` for links that keep the reader's choices.
pub fn query_string(q: &ReportQuery) -> String {
    q.to_address()
}

#[component]
pub fn CoveragePage() -> impl IntoView {
    let query = report_query();
    let sort = {
        let q = use_query_map();
        Memo::new(move |_| {
            q.with(|q| {
                (
                    q.get("sap-xep").unwrap_or_default(),
                    q.get("chieu").unwrap_or_default(),
                )
            })
        })
    };
    let dashboard = Resource::new(
        move || query.get(),
        |q| read_province_coverage(q.on, q.rule, q.curriculum),
    );
    view! {
        <Title text="Phổ cập kỹ năng số"/>
        <Suspense fallback=|| view! { <p class="muted">"Đang tải…"</p> }>
            {move || Suspend::new(async move {
                match dashboard.await {
                    Ok(Some(d)) => view! { <Dashboard d query=query.get_untracked() sort=sort.get_untracked()/> }.into_any(),
                    Ok(None) => view! { <section class="card"><h1>"Phổ cập kỹ năng số"</h1><p>"Chưa có chương trình tập huấn hoặc quy tắc độ tuổi lao động nào được công bố."</p></section> }.into_any(),
                    Err(err) => view! { <LoadError error=err/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Dashboard(d: ProvinceDashboard, query: ReportQuery, sort: (String, String)) -> impl IntoView {
    let ProvinceDashboard {
        report,
        trend,
        rules,
    } = d;
    let qs = query_string(&query);
    let (population, missing) = report.population();
    let with_population: u64 = report
        .communes
        .iter()
        .filter(|c| c.population.is_some())
        .map(|c| c.trained)
        .sum();
    let share = share_permille(with_population, Some(population));
    let communes = report.communes.len();
    let on_target = TARGETS.map(|t| (t, report.communes_meeting(t)));
    let sources = sources(&report);
    let unplaced = report.unplaced;
    let total = report.trained();
    view! {
        <section class="card">
            <h1>"Phổ cập kỹ năng số cơ bản"</h1>
            <BasisLine basis=report.basis.clone()/>
            <ReportForm basis=report.basis.clone() rules/>
            <dl class="summary" data-testid="province-summary">
                <div><dt>"Đã tập huấn (trong độ tuổi lao động)"</dt><dd data-testid="province-trained">{integer_vi(total as i64)}</dd></div>
                <div><dt>"Dân số trong độ tuổi lao động"</dt><dd>{integer_vi(population as i64)}</dd></div>
                <div><dt>"Tỷ lệ toàn tỉnh"</dt><dd data-testid="province-share">{share.map_or_else(|| "chưa tính được".to_owned(), permille_vi)}</dd></div>
                {on_target.into_iter().map(|(t, n)| view! {
                    <div><dt>{format!("Xã, phường đạt {}", t.label_vi())}</dt><dd>{format!("{n}/{communes}")}</dd></div>
                }).collect_view()}
            </dl>
            {(missing > 0).then(|| view! {
                <p class="muted">{format!("{missing} xã, phường chưa có số dân trong độ tuổi lao động: không tính tỷ lệ cho các xã này, và tỷ lệ toàn tỉnh chỉ tính trên các xã đã có số dân.")}</p>
            })}
            {(unplaced > 0).then(|| view! {
                <p class="muted">{format!("{} người được ghi ở xã cũ đã chia cho nhiều xã mới, chưa xếp được vào xã nào (có trong tổng toàn tỉnh).", integer_vi(unplaced as i64))}</p>
            })}
            <p class="exports">
                "Tải bảng: "
                <a href=format!("/bao-cao/xuat/xa-phuong.xlsx{qs}") download>"Excel"</a>" · "
                <a href=format!("/bao-cao/xuat/xa-phuong.csv{qs}") download>"CSV"</a>
            </p>
        </section>
        <section class="card">
            <h2>"Theo xã, phường"</h2>
            <CommuneTable rows=report.communes query=query.clone() sort/>
            {(!sources.is_empty()).then(|| view! { <p class="muted">{format!("Nguồn số dân: {}.", sources.join("; "))}</p> })}
        </section>
        <section class="card">
            <h2>"Diễn biến toàn tỉnh"</h2>
            <TrendChart points=trend caption="Tỷ lệ người trong độ tuổi lao động đã tập huấn, cuối mỗi tháng".to_owned()/>
            <p class="exports">
                "Tải số liệu: "
                <a href=format!("/bao-cao/xuat/xu-huong.xlsx{qs}") download>"Excel"</a>" · "
                <a href=format!("/bao-cao/xuat/xu-huong.csv{qs}") download>"CSV"</a>
            </p>
        </section>
    }
}

/// Every figure says what it rests on.
#[component]
pub fn BasisLine(basis: Basis) -> impl IntoView {
    view! {
        <p class="muted basis" data-testid="basis">
            {format!(
                "Tính đến ngày {} · Độ tuổi lao động: {} ({}) · Chương trình: {} ({}) · Hoàn thành: có mặt hoặc đến muộn ở các buổi đủ mọi mô-đun bắt buộc.",
                date_vi(basis.reference_date), basis.rule_name, basis.rule_code, basis.curriculum_name, basis.curriculum_code,
            )}
        </p>
    }
}

/// The reference date and working-age rule, as a GET form.
#[component]
fn ReportForm(basis: Basis, rules: Vec<(String, String)>) -> impl IntoView {
    let chosen = basis.rule_code.clone();
    view! {
        <form method="get" class="report-form">
            <label class="field"><span>"Tính đến ngày"</span>
                <input type="date" name="ngay" value=basis.reference_date.format("%Y-%m-%d").to_string()/>
            </label>
            <label class="field"><span>"Quy tắc độ tuổi lao động"</span>
                <select name="quy-tac">
                    {rules.into_iter().map(|(code, name)| {
                        let selected = code == chosen;
                        view! { <option value=code.clone() selected=selected>{name}</option> }
                    }).collect_view()}
                </select>
            </label>
            <button type="submit" class="small">"Xem"</button>
        </form>
    }
}

fn sources(report: &ProvinceReport) -> Vec<String> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for p in report.communes.iter().filter_map(|c| c.population.as_ref()) {
        let label = format!("{} (năm {})", p.source, p.year);
        match counts.iter_mut().find(|(s, _)| *s == label) {
            Some((_, n)) => *n += 1,
            None => counts.push((label, 1)),
        }
    }
    counts
        .into_iter()
        .map(|(s, n)| format!("{s}: {n} xã, phường"))
        .collect()
}

/// Status against the targets: a word and a colour, so it reads without colour too.
pub fn status(c: &CommuneCoverage) -> (&'static str, &'static str) {
    let [by_2025, by_2030] = TARGETS;
    match (c.still_needed(by_2030), c.still_needed(by_2025)) {
        (None, _) => ("none", "Chưa có số dân"),
        (Some(0), _) => ("met-2030", "Đạt 80 %"),
        (_, Some(0)) => ("met-2025", "Đạt trên 70 %"),
        _ => ("below", "Chưa đạt"),
    }
}

#[component]
fn CommuneTable(
    rows: Vec<CommuneCoverage>,
    query: ReportQuery,
    sort: (String, String),
) -> impl IntoView {
    let (key, direction) = sort;
    let descending = direction == "giam";
    let mut rows = rows;
    let [by_2025, by_2030] = TARGETS;
    // Vietnamese alphabetical order first, each name's key computed once; the figure
    // sorts below are stable, so equal figures keep that order. A commune without a
    // figure (no population, so no share) comes last whichever way the column is sorted.
    rows.sort_by_cached_key(|c| collation_key(&c.name));
    let by = |rows: &mut Vec<CommuneCoverage>, figure: &dyn Fn(&CommuneCoverage) -> Option<u64>| {
        rows.sort_by(|a, b| match (figure(a), figure(b)) {
            (Some(x), Some(y)) if descending => y.cmp(&x),
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        });
    };
    match key.as_str() {
        "ty-le" => by(&mut rows, &|c| c.share_permille()),
        "can-them" => by(&mut rows, &|c| c.still_needed(by_2030)),
        "da-tap-huan" => by(&mut rows, &|c| Some(c.trained)),
        _ if descending => rows.reverse(),
        _ => {}
    }
    let base = query_string(&query);
    let header = move |label: &'static str, column: &'static str| {
        let active = key == column || (column == "ten" && key.is_empty());
        // A name column starts A→Z; a figure starts with the largest.
        let next = match (active, descending) {
            (true, false) => "giam",
            (true, true) => "tang",
            (false, _) if column == "ten" => "tang",
            (false, _) => "giam",
        };
        let sep = if base.is_empty() { "?" } else { "&" };
        let href = format!("{base}{sep}sap-xep={column}&chieu={next}");
        let sorted = if !active {
            "none"
        } else if descending {
            "descending"
        } else {
            "ascending"
        };
        view! { <th aria-sort=sorted><a href=href>{label}{active.then_some(if descending { " ▼" } else { " ▲" })}</a></th> }
    };
    let qs = query_string(&query);
    view! {
        <div class="table-scroll">
            <table class="coverage" data-testid="communes">
                <thead>
                    <tr>
                        {header("Xã, phường", "ten")}
                        {header("Đã tập huấn", "da-tap-huan")}
                        <th>"Dân số LĐ"</th>
                        {header("Tỷ lệ", "ty-le")}
                        <th>"So với mục tiêu"</th>
                        <th>"Cần thêm (70 %)"</th>
                        {header("Cần thêm (80 %)", "can-them")}
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|c| {
                        let (class, label) = status(&c);
                        let need = |t| c.still_needed(t).map_or_else(|| "—".to_owned(), |n| integer_vi(n as i64));
                        view! {
                            <tr data-code=c.code.clone()>
                                <th scope="row"><a href=format!("/bao-cao/{}{qs}", c.code)>{c.name.clone()}</a></th>
                                <td class="num">{integer_vi(c.trained as i64)}</td>
                                <td class="num">{c.population.as_ref().map_or_else(|| "—".to_owned(), |p| integer_vi(p.count as i64))}</td>
                                <td class="num">{c.share_permille().map_or_else(|| "—".to_owned(), permille_vi)}</td>
                                <td><span class=format!("status {class}")>{label}</span></td>
                                <td class="num">{need(by_2025)}</td>
                                <td class="num">{need(by_2030)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
