//! The trend chart: an SVG drawn on the server (no chart library in the browser), with
//! the targets as dashed lines and every point's figure in its tooltip and in a table
//! beside it for screen readers and for reading without colour.

use kynangso_domain::coverage::{TARGETS, TrendPoint, permille_vi, share_permille};
use kynangso_domain::format::{date_vi, integer_vi};
use leptos::prelude::*;

const WIDTH: f64 = 360.0;
const HEIGHT: f64 = 180.0;
const LEFT: f64 = 34.0;
const BOTTOM: f64 = 22.0;
const TOP: f64 = 8.0;

/// Trained share by month. Points without a denominator are left out of the line.
#[component]
pub fn TrendChart(points: Vec<TrendPoint>, caption: String) -> impl IntoView {
    let shares: Vec<Option<u64>> = points
        .iter()
        .map(|p| share_permille(p.trained, p.population))
        .collect();
    let highest = shares.iter().flatten().copied().max().unwrap_or(0);
    // The scale reaches the 80 % target at least, so progress reads against it.
    let top_permille = highest.max(800).div_ceil(100) * 100;
    let n = points.len().max(2) as f64;
    let x = move |i: usize| LEFT + (WIDTH - LEFT - 6.0) * i as f64 / (n - 1.0);
    let y = move |permille: u64| {
        TOP + (HEIGHT - TOP - BOTTOM) * (1.0 - permille as f64 / top_permille as f64)
    };

    let line: String = shares
        .iter()
        .enumerate()
        .filter_map(|(i, s)| s.map(|s| format!("{:.1},{:.1}", x(i), y(s))))
        .collect::<Vec<_>>()
        .join(" ");
    let grid = (0..=top_permille / 200).map(|k| {
        let permille = k * 200;
        view! {
            <line class="grid" x1=LEFT x2=WIDTH y1=y(permille) y2=y(permille)/>
            <text class="axis" x=LEFT - 4.0 y=y(permille) + 4.0 text-anchor="end">{format!("{}%", permille / 10)}</text>
        }
    });
    let targets = TARGETS.into_iter().map(|t| {
        let permille = u64::from(t.percent) * 10;
        view! {
            <line class="target" x1=LEFT x2=WIDTH y1=y(permille) y2=y(permille)/>
            <text class="target-label" x=WIDTH - 2.0 y=y(permille) - 3.0 text-anchor="end">{format!("mục tiêu {} %", t.percent)}</text>
        }
    }).collect_view();
    let labels = points.iter().enumerate().filter(|(i, _)| i % 3 == points.len().saturating_sub(1) % 3).map(|(i, p)| {
        view! { <text class="axis" x=x(i) y=HEIGHT - 6.0 text-anchor="middle">{p.on.format("%m/%y").to_string()}</text> }
    }).collect_view();
    let dots = shares.iter().zip(&points).enumerate().filter_map(|(i, (s, p))| {
        s.map(|s| view! {
            <circle class="point" cx=x(i) cy=y(s) r="3">
                <title>{format!("{}: {} ({} người)", date_vi(p.on), permille_vi(s), integer_vi(p.trained as i64))}</title>
            </circle>
        })
    }).collect_view();
    let rows = points
        .iter()
        .zip(&shares)
        .map(|(p, s)| {
            view! {
                <tr>
                    <td>{date_vi(p.on)}</td>
                    <td class="num">{integer_vi(p.trained as i64)}</td>
                    <td class="num">{s.map_or_else(|| "—".to_owned(), permille_vi)}</td>
                </tr>
            }
        })
        .collect_view();
    let has_line = !line.is_empty();
    view! {
        <figure class="trend" data-testid="trend">
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-label=caption.clone()>
                {grid.collect_view()}
                {targets}
                {has_line.then(|| view! { <polyline class="line" points=line/> })}
                {dots}
                {labels}
            </svg>
            <figcaption class="muted">{caption}</figcaption>
            {(!has_line).then(|| view! { <p class="muted">"Chưa có số dân trong độ tuổi lao động nên chưa vẽ được tỷ lệ."</p> })}
            <details>
                <summary>"Số liệu từng tháng"</summary>
                <table class="figures">
                    <thead><tr><th>"Ngày"</th><th>"Đã tập huấn"</th><th>"Tỷ lệ"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </details>
        </figure>
    }
}
