//! Denominators: the province administrator enters each commune's working-age population
//! for a year, with its source and the rule it was counted under. A plain form: the server
//! answers with this page again, and a refusal shows its reason at the top.

use kynangso_domain::Role;
use kynangso_domain::format::{integer_vi, today_in_vietnam};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::auth::who_am_i;
use crate::api::coverage::{ProvinceDashboard, SetPopulation, read_province_coverage};
use crate::components::form::LoadError;

#[component]
pub fn PopulationPage() -> impl IntoView {
    let dashboard = Resource::new(|| (), |_| read_province_coverage(None, None, None));
    let me = Resource::new(|| (), |_| who_am_i());
    view! {
        <Title text="Số dân trong độ tuổi lao động"/>
        <Suspense fallback=|| view! { <p class="muted">"Đang tải…"</p> }>
            {move || Suspend::new(async move {
                let is_admin = me.await.ok().flatten().is_some_and(|m| m.role == Role::ProvinceAdmin);
                match dashboard.await {
                    Ok(Some(d)) => view! { <Figures d is_admin/> }.into_any(),
                    Ok(None) => view! { <section class="card"><p>"Chưa có quy tắc độ tuổi lao động nào."</p></section> }.into_any(),
                    Err(err) => view! { <LoadError error=err/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Figures(d: ProvinceDashboard, is_admin: bool) -> impl IntoView {
    let set = ServerAction::<SetPopulation>::new();
    let year = chrono::Datelike::year(&today_in_vietnam(chrono::Utc::now())).to_string();
    let communes = d.report.communes;
    let options = communes.clone();
    let rule_in_use = d.report.basis.rule_code.clone();
    view! {
        {is_admin.then(|| view! {
            <section class="card">
                <h1>"Số dân trong độ tuổi lao động"</h1>
                <p class="muted">"Mẫu số của tỷ lệ phổ cập. Hãy ghi rõ nguồn (ví dụ: Thống kê tỉnh, niên giám 2025)."</p>
                <ActionForm action=set>
                    <label class="field"><span>"Xã, phường"</span>
                        <select name="unit_code" required>
                            {options.into_iter().map(|c| view! { <option value=c.code.clone()>{format!("{} ({})", c.name, c.code)}</option> }).collect_view()}
                        </select>
                    </label>
                    <div class="pair">
                        <label class="field"><span>"Năm"</span><input type="number" name="year" value=year inputmode="numeric" required/></label>
                        <label class="field"><span>"Số người"</span><input type="text" name="population" inputmode="numeric" required/></label>
                    </div>
                    <label class="field"><span>"Nguồn số liệu"</span><input type="text" name="source" maxlength="300" required/></label>
                    <label class="field"><span>"Tính theo quy tắc độ tuổi"</span>
                        <select name="rule_code">
                            {d.rules.into_iter().map(|(code, name)| {
                                let selected = code == rule_in_use;
                                view! { <option value=code.clone() selected=selected>{name}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                    <button type="submit" class="primary">"Lưu số dân"</button>
                </ActionForm>
            </section>
        })}
        <section class="card">
            <h2>"Số liệu đang dùng"</h2>
            <div class="table-scroll">
                <table class="figures" data-testid="populations">
                    <thead><tr><th>"Xã, phường"</th><th class="num">"Số người"</th><th>"Năm"</th><th>"Nguồn"</th></tr></thead>
                    <tbody>
                        {communes.into_iter().map(|c| {
                            let p = c.population;
                            view! {
                                <tr data-code=c.code>
                                    <th scope="row">{c.name}</th>
                                    <td class="num">{p.as_ref().map_or_else(|| "—".to_owned(), |p| integer_vi(p.count as i64))}</td>
                                    <td>{p.as_ref().map(|p| p.year.to_string())}</td>
                                    <td>{p.map(|p| p.source)}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
