//! `kynangso import …`: loads the reference data a province already holds in
//! spreadsheets (the statistics office's unit lists, a reform's old → new mapping,
//! working-age population) from the console, where an administrator of the server works.
//!
//! It runs the very importers the web upload runs. Without `--apply` it is a dry run: it
//! prints the counts and the first issues and writes nothing, so the administrator sees
//! what would happen before it does.

use std::time::{Duration, Instant};

use kynangso_data::db;
use kynangso_data::import::population::{PopulationOptions, import_population};
use kynangso_data::import::successions::{SuccessionOptions, import_successions};
use kynangso_data::import::units::{UnitListOptions, import_units};
use kynangso_data::import::{ImportError, Mode, Report, Source};

mod register;

use crate::config::{ImportArgs, ImportInput, ImportKind, Settings};

/// Issues printed after the counts (the rest are counted).
const ISSUES_PRINTED: usize = 20;

pub async fn import(settings: &Settings, args: ImportArgs) -> anyhow::Result<()> {
    let input = match &args.kind {
        ImportKind::Units(a) => &a.input,
        ImportKind::Mapping(a) => &a.input,
        ImportKind::Population(a) => &a.input,
        ImportKind::Register(a) => &a.input,
    };
    if !input.file.is_file() {
        refuse(&format!(
            "Không tìm thấy tệp {} / file not found",
            input.file.display()
        ));
    }
    let conn = db::connect(&settings.db()).await?;
    db::migrate(&conn).await?;
    let started = Instant::now();
    let outcome = run(&conn, &args.kind).await;
    let elapsed = started.elapsed();
    match outcome {
        Ok(report) => {
            print_report(input, &report, elapsed);
            Ok(())
        }
        Err(ImportError::Data(error)) => Err(error.into()),
        // The file's own problem, already in words for the person who chose it.
        Err(error) => refuse(&error.to_string()),
    }
}

/// Ends the command over a problem of the file or the options: the message alone, no
/// backtrace (it is not a fault of the program), exit status 1.
pub(crate) fn refuse(message: &str) -> ! {
    eprintln!("Không nhập được / import refused: {message}");
    std::process::exit(1)
}

pub(crate) fn mode(input: &ImportInput) -> Mode {
    if input.apply {
        Mode::Apply
    } else {
        Mode::DryRun
    }
}

async fn run(
    conn: &kynangso_data::DatabaseConnection,
    kind: &ImportKind,
) -> Result<Report, ImportError> {
    match kind {
        ImportKind::Units(a) => {
            let options = UnitListOptions {
                province_code: a.province_code.clone(),
                effective: a.effective,
                reorganisation: match (a.reorganisation, a.no_reorganisation) {
                    (true, _) => Some(true),
                    (_, true) => Some(false),
                    _ => None,
                },
            };
            let source = Source::File(a.input.file.clone());
            import_units(conn, None, source, &options, mode(&a.input)).await
        }
        ImportKind::Mapping(a) => {
            let options = SuccessionOptions {
                effective: a.effective,
                legal_basis: a.legal_basis.clone(),
            };
            let source = Source::File(a.input.file.clone());
            import_successions(conn, None, source, &options, mode(&a.input)).await
        }
        ImportKind::Register(a) => register::run(conn, a).await,
        ImportKind::Population(a) => {
            let options = PopulationOptions {
                year: a.year,
                source_label: a.source.clone(),
            };
            let source = Source::File(a.input.file.clone());
            import_population(conn, None, source, &options, mode(&a.input)).await
        }
    }
}

fn print_report(input: &ImportInput, report: &Report, elapsed: Duration) {
    let c = &report.counts;
    let heading = if input.apply {
        "Đã nhập / Imported"
    } else {
        "Chạy thử, chưa ghi gì / Dry run, nothing written"
    };
    println!("{heading}: {}", input.file.display());
    let lines = [
        ("Dòng đã đọc / rows read", c.rows),
        ("Bỏ qua: tỉnh khác, huyện không có xã / skipped", c.skipped),
        ("Mới / new", c.new),
        ("Cập nhật / updated", c.updated),
        ("Không đổi / unchanged", c.unchanged),
        ("Đóng lại / closed", c.closed),
        ("Nghi trùng / duplicate suspects", c.duplicate_suspects),
        ("Dòng lỗi, bị loại / rejected", c.rejected),
    ];
    for (label, count) in lines {
        if count > 0 || matches!(label, "Dòng đã đọc / rows read" | "Mới / new") {
            println!("  {label:<48} {count:>8}");
        }
    }
    let seconds = elapsed.as_secs_f64();
    let rate = if seconds > 0.0 {
        c.rows as f64 / seconds
    } else {
        0.0
    };
    println!("  Thời gian / elapsed: {seconds:.2} s ({rate:.0} dòng/s / rows/s)");
    print_issues(report);
    if !input.apply {
        println!("Thêm --apply để ghi. / Add --apply to write.");
    }
}

fn print_issues(report: &Report) {
    let total = report.issues.len() as u64 + report.issues_left_out;
    if total == 0 {
        return;
    }
    println!(
        "Vấn đề / issues: {total} (lỗi: dòng bị loại; lưu ý: dòng vẫn được nhập / errors leave the row out, warnings do not)"
    );
    for issue in report.issues.iter().take(ISSUES_PRINTED) {
        let kind = if issue.warning { "lưu ý" } else { "lỗi" };
        let place = match (issue.row, issue.column.as_str()) {
            (0, _) => "Cả tệp".to_owned(),
            (row, "") => format!("Dòng {row}"),
            (row, column) => format!("Dòng {row}, cột «{column}»"),
        };
        println!("  {place} — {kind}: {}", issue.message);
    }
    if total > ISSUES_PRINTED as u64 {
        println!(
            "  … và {} vấn đề khác / more",
            total - ISSUES_PRINTED as u64
        );
    }
}
