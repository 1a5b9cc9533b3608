//! Importing and exporting working-age population per commune and year: the
//! denominators of the coverage rates. There are no official figures per new commune
//! (DOMAIN.md), so a province loads whatever table it has, and every figure keeps the
//! source it came from.
//!
//! The rules are those of entering one figure by hand (`coverage::population::
//! set_population`): a year from 2000 to 2100, 0 to 10 000 000 people, a source of at
//! most 300 characters, one figure per unit and year (a new one replaces the old; the
//! audit log keeps the import). Codes are reused across reforms, so a code names the
//! commune-level unit that held it on 1 July of the figure's year (or, for a unit created
//! later that year, on 31 December). Numbers may carry Vietnamese thousands separators
//! ("12.345"). The dry run makes the same plan and stops before writing.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use kynangso_domain::import::header_key;
use kynangso_domain::text::search_key;
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::{Set, Unchanged},
    ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use super::units::{UnitIndex, is_commune_level};
use super::{FileProblem, ImportError, Mode, Report, Row, Source, table};
use crate::entities::{admin_unit, working_age_population};
use crate::{DataError, audit};

/// What the file may not say itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PopulationOptions {
    /// The year of the figures, for files without a year column (or an empty cell).
    pub year: Option<i32>,
    /// The source, for files without a source column (or an empty cell).
    pub source_label: Option<String>,
}

/// The columns [`export_population`] writes, which the import reads back.
pub const POPULATION_HEADERS: [&str; 5] =
    ["Mã", "Tên", "Năm", "Dân số trong độ tuổi lao động", "Nguồn"];

/// One figure as exported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PopulationLine {
    pub code: String,
    pub name: String,
    pub year: i32,
    pub population: i64,
    pub source: String,
}

const CODE: &[&str] = &["ma", "code", "ma xa", "ma dvhc"];
const NAME: &[&str] = &["ten", "name", "ten xa", "ten don vi", "xa phuong"];
const YEAR: &[&str] = &["nam", "year"];
const POPULATION: &[&str] = &[
    "dan so trong do tuoi lao dong",
    "so nguoi trong do tuoi lao dong",
    "population",
    "dan so",
];
const SOURCE: &[&str] = &["nguon", "source", "nguon so lieu"];
const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;
const MAX_POPULATION: i64 = 10_000_000;
const MAX_SOURCE_CHARS: usize = 300;

/// Reads a population table and records each figure (see the module documentation).
pub async fn import_population(
    db: &DatabaseConnection,
    actor: Option<Uuid>,
    source: Source,
    options: &PopulationOptions,
    mode: Mode,
) -> Result<Report, ImportError> {
    let defaults = Defaults::of(options)?;
    let mut report = Report::default();
    let (columns, figures) = read_figures(source, &defaults, &mut report).await?;
    let txn = db.begin().await?;
    let index = UnitIndex::read(&txn).await?;
    let existing = working_age_population::Entity::find().all(&txn).await?;
    let plan = plan(&index, existing, figures, &columns, actor, &mut report);
    if mode == Mode::Apply {
        apply(&txn, &plan).await?;
        audit::record(
            &txn,
            audit::AuditEntry {
                actor_user_id: actor,
                action: "import",
                entity: "working_age_population",
                after: Some(json!(report.counts)),
                ..Default::default()
            },
        )
        .await?;
        txn.commit().await?;
    }
    // File problems come while reading, unit problems while planning: show them in the
    // file's order.
    report.issues.sort_by_key(|issue| issue.row);
    Ok(report)
}

/// Every figure of the province's units, by year then code.
pub async fn export_population(
    db: &impl ConnectionTrait,
    province_code: &str,
) -> Result<Vec<PopulationLine>, DataError> {
    let index = UnitIndex::read(db).await?;
    let mut lines: Vec<PopulationLine> = working_age_population::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .filter(|p| index.province_code_of(p.unit_id) == Some(province_code))
        .filter_map(|p| {
            let unit = index.get(p.unit_id)?;
            Some(PopulationLine {
                code: unit.code.clone(),
                name: unit.name.clone(),
                year: p.year,
                population: p.population,
                source: p.source,
            })
        })
        .collect();
    lines.sort_by(|a, b| (a.year, &a.code).cmp(&(b.year, &b.code)));
    Ok(lines)
}

// ---------------------------------------------------------------------------------------
// Reading the file

/// The options, checked.
struct Defaults {
    year: Option<i32>,
    source: Option<String>,
}

impl Defaults {
    fn of(options: &PopulationOptions) -> Result<Defaults, ImportError> {
        let layout = |message: &str| ImportError::Layout(message.to_owned());
        if options.year.is_some_and(|y| !YEARS.contains(&y)) {
            return Err(layout("Năm phải từ 2000 đến 2100."));
        }
        let source = options
            .source_label
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        if source.is_some_and(|s| s.chars().count() > MAX_SOURCE_CHARS) {
            return Err(layout("Nguồn quá dài (tối đa 300 ký tự)."));
        }
        Ok(Defaults {
            year: options.year,
            source: source.map(str::to_owned),
        })
    }
}

/// Which column holds what, with the file's own headers for messages.
struct Columns {
    headers: Vec<String>,
    code: usize,
    name: Option<usize>,
    year: Option<usize>,
    population: usize,
    source: Option<usize>,
}

impl Columns {
    fn from_header(row: &Row, defaults: &Defaults) -> Result<Columns, ImportError> {
        let keys: Vec<String> = row.cells.iter().map(|c| header_key(c)).collect();
        let find = |aliases: &[&str]| keys.iter().position(|k| aliases.contains(&k.as_str()));
        let (code, population) = (find(CODE), find(POPULATION));
        let (Some(code), Some(population)) = (code, population) else {
            let missing: Vec<&str> = [
                (code, "Mã (mã xã, phường)"),
                (population, "Dân số trong độ tuổi lao động"),
            ]
            .into_iter()
            .filter(|(found, _)| found.is_none())
            .map(|(_, label)| label)
            .collect();
            return Err(ImportError::Layout(format!(
                "Tệp không phải bảng dân số trong độ tuổi lao động: thiếu cột {}. Tệp cần các cột \
                 Mã, Dân số trong độ tuổi lao động và có thể có Tên, Năm, Nguồn.",
                missing.join(", ")
            )));
        };
        let columns = Columns {
            headers: row.cells.clone(),
            code,
            name: find(NAME),
            year: find(YEAR),
            population,
            source: find(SOURCE),
        };
        if columns.year.is_none() && defaults.year.is_none() {
            return Err(ImportError::Layout(
                "Tệp không có cột Năm: hãy chọn năm của số liệu.".to_owned(),
            ));
        }
        if columns.source.is_none() && defaults.source.is_none() {
            return Err(ImportError::Layout(
                "Tệp không có cột Nguồn: hãy ghi nguồn của số liệu (ví dụ \"Cục Thống kê tỉnh, 2025\")."
                    .to_owned(),
            ));
        }
        Ok(columns)
    }

    fn header(&self, index: usize) -> &str {
        self.headers.get(index).map_or("", String::as_str)
    }
}

/// One figure as the file gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Figure {
    row: u64,
    code: String,
    name: String,
    year: i32,
    population: i64,
    source: String,
}

async fn read_figures(
    source: Source,
    defaults: &Defaults,
    report: &mut Report,
) -> Result<(Columns, Vec<Figure>), ImportError> {
    let mut rows = table::open(source);
    let header = rows.next().await.ok_or(FileProblem::Empty)??;
    let columns = Columns::from_header(&header, defaults)?;
    let mut figures = Vec::new();
    while let Some(row) = rows.next().await {
        let row = row?;
        report.counts.rows += 1;
        match parse(&row, &columns, defaults, report) {
            Ok(figure) => figures.push(figure),
            Err((column, message)) => {
                report.error(row.number, column, message);
                report.counts.rejected += 1;
            }
        }
    }
    if report.counts.rows == 0 {
        return Err(ImportError::Layout(
            "Tệp chỉ có dòng tiêu đề, không có dòng dữ liệu nào.".to_owned(),
        ));
    }
    Ok((columns, figures))
}

fn parse<'c>(
    row: &Row,
    c: &'c Columns,
    defaults: &Defaults,
    report: &mut Report,
) -> Result<Figure, (&'c str, String)> {
    let fail = |index: usize, message: &str| (c.header(index), message.to_owned());
    let text = row.cell(c.code);
    if text.is_empty() || text.len() > 5 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(fail(c.code, "Mã xã phải gồm 5 chữ số."));
    }
    let code = format!("{text:0>5}");
    if code != text {
        let message = format!("Mã được lưu như một số; đã thêm số 0 ở đầu thành {code}.");
        report.warning(row.number, c.header(c.code), message);
    }
    let year_cell = c.year.map(|i| row.cell(i)).filter(|y| !y.is_empty());
    let year = match (year_cell, defaults.year) {
        (Some(text), _) => text.parse().ok().filter(|y| YEARS.contains(y)),
        (None, year) => year,
    }
    .ok_or_else(|| fail(c.year.unwrap_or_default(), "Năm phải từ 2000 đến 2100."))?;
    let population = parse_count(row.cell(c.population)).map_err(|m| fail(c.population, m))?;
    let source = c
        .source
        .map(|i| row.cell(i).to_owned())
        .filter(|s| !s.is_empty())
        .or_else(|| defaults.source.clone())
        .ok_or_else(|| fail(c.source.unwrap_or_default(), "Chưa ghi nguồn của số liệu."))?;
    if source.chars().count() > MAX_SOURCE_CHARS {
        return Err(fail(
            c.source.unwrap_or_default(),
            "Nguồn quá dài (tối đa 300 ký tự).",
        ));
    }
    Ok(Figure {
        row: row.number,
        code,
        name: c.name.map(|i| row.cell(i).to_owned()).unwrap_or_default(),
        year,
        population,
        source,
    })
}

/// A head count as Vietnamese tables write it: digits, possibly grouped by thousands
/// with "." or "," (or spaces): "12.345", "12,345", "1.234.567". A separator followed by
/// other than three digits is a decimal, which a head count cannot be.
fn parse_count(text: &str) -> Result<i64, &'static str> {
    let text = text.trim();
    if text.is_empty() {
        return Err("Ô dân số trống (chưa có số).");
    }
    if text.starts_with('-') {
        return Err("Dân số không được âm.");
    }
    const NOT_WHOLE: &str =
        "Dân số phải là số nguyên; dấu chấm hay dấu phẩy chỉ dùng ngăn cách hàng nghìn (12.345).";
    let separators: Vec<char> = text.chars().filter(|c| !c.is_ascii_digit()).collect();
    if separators
        .iter()
        .any(|c| !matches!(c, '.' | ',' | ' ' | '\u{a0}'))
    {
        return Err(NOT_WHOLE);
    }
    if separators.windows(2).any(|pair| pair[0] != pair[1]) {
        return Err(NOT_WHOLE);
    }
    let mut groups = text.split(['.', ',', ' ', '\u{a0}']);
    let first = groups.next().unwrap_or_default();
    let grouped = (1..=3).contains(&first.len()) && groups.clone().all(|g| g.len() == 3);
    if !separators.is_empty() && !grouped {
        return Err(NOT_WHOLE);
    }
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    match digits.parse::<i64>() {
        Ok(n) if n <= MAX_POPULATION => Ok(n),
        _ => Err("Dân số phải từ 0 đến 10.000.000."),
    }
}

// ---------------------------------------------------------------------------------------
// The plan

#[derive(Debug, Default)]
struct Plan {
    new: Vec<working_age_population::Model>,
    changed: Vec<working_age_population::Model>,
}

fn plan(
    index: &UnitIndex,
    existing: Vec<working_age_population::Model>,
    figures: Vec<Figure>,
    columns: &Columns,
    actor: Option<Uuid>,
    report: &mut Report,
) -> Plan {
    let mut existing: HashMap<(Uuid, i32), working_age_population::Model> = existing
        .into_iter()
        .map(|p| ((p.unit_id, p.year), p))
        .collect();
    let mut seen: HashMap<(Uuid, i32), u64> = HashMap::new();
    let mut plan = Plan::default();
    let code_column = columns.header(columns.code);
    for figure in figures {
        let Some(unit) = unit_for(index, &figure.code, figure.year) else {
            let named = if figure.name.is_empty() {
                String::new()
            } else {
                format!(" ({})", figure.name)
            };
            let message = format!(
                "Không có xã, phường mã {}{named} trong năm {}.",
                figure.code, figure.year
            );
            report.error(figure.row, code_column, message);
            report.counts.rejected += 1;
            continue;
        };
        if let Some(earlier) = seen.insert((unit.id, figure.year), figure.row) {
            let message = format!(
                "Mã {} năm {} đã có ở dòng {earlier}; dòng này bị bỏ qua.",
                figure.code, figure.year
            );
            report.error(figure.row, code_column, message);
            report.counts.rejected += 1;
            continue;
        }
        if !same_name(&figure.name, &unit.name) {
            let message = format!(
                "Tên trong tệp \"{}\" khác tên của mã {}: \"{}\". Hãy kiểm tra mã.",
                figure.name, figure.code, unit.name
            );
            let column = columns.name.map_or(code_column, |i| columns.header(i));
            report.warning(figure.row, column, message);
        }
        settle(
            &mut plan,
            existing.remove(&(unit.id, figure.year)),
            unit,
            figure,
            actor,
            report,
        );
    }
    plan
}

/// Counts one figure and adds it to the plan when it is new or different.
fn settle(
    plan: &mut Plan,
    before: Option<working_age_population::Model>,
    unit: &admin_unit::Model,
    figure: Figure,
    actor: Option<Uuid>,
    report: &mut Report,
) {
    let now = Utc::now();
    match before {
        Some(b) if b.population == figure.population && b.source == figure.source => {
            report.counts.unchanged += 1;
        }
        // The file says nothing of the working-age rule: the recorded one stays.
        Some(b) => {
            report.counts.updated += 1;
            plan.changed.push(working_age_population::Model {
                population: figure.population,
                source: figure.source,
                entered_by: actor,
                updated_at: now,
                ..b
            });
        }
        None => {
            report.counts.new += 1;
            plan.new.push(working_age_population::Model {
                id: kynangso_domain::new_id(),
                unit_id: unit.id,
                year: figure.year,
                population: figure.population,
                source: figure.source,
                rule_id: None,
                entered_by: actor,
                created_at: now,
                updated_at: now,
            });
        }
    }
}

/// The commune-level unit holding the code on 1 July of the year, else on 31 December.
fn unit_for<'i>(index: &'i UnitIndex, code: &str, year: i32) -> Option<&'i admin_unit::Model> {
    [(7, 1), (12, 31)].into_iter().find_map(|(month, day)| {
        let on = NaiveDate::from_ymd_opt(year, month, day)?;
        index.valid_on(code, on).filter(|u| is_commune_level(u))
    })
}

/// Whether a name in the file is the unit's, ignoring accents, case and the kind word
/// ("Hòa Phú" is "Xã Hoà Phú"). An empty name says nothing.
fn same_name(file: &str, unit: &str) -> bool {
    let (file, unit) = (search_key(file), search_key(unit));
    file.is_empty() || unit == file || unit.ends_with(&format!(" {file}"))
}

async fn apply<C: ConnectionTrait>(db: &C, plan: &Plan) -> Result<(), DbErr> {
    for chunk in plan.new.chunks(500) {
        working_age_population::Entity::insert_many(chunk.iter().map(|p| {
            working_age_population::ActiveModel {
                id: Set(p.id),
                unit_id: Set(p.unit_id),
                year: Set(p.year),
                population: Set(p.population),
                source: Set(p.source.clone()),
                rule_id: Set(p.rule_id),
                entered_by: Set(p.entered_by),
                created_at: Set(p.created_at),
                updated_at: Set(p.updated_at),
            }
        }))
        .exec_without_returning(db)
        .await?;
    }
    for figure in &plan.changed {
        working_age_population::ActiveModel {
            id: Unchanged(figure.id),
            population: Set(figure.population),
            source: Set(figure.source.clone()),
            entered_by: Set(figure.entered_by),
            updated_at: Set(figure.updated_at),
            ..Default::default()
        }
        .update(db)
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_accept_vietnamese_thousands_separators_only() {
        assert_eq!(parse_count("12345"), Ok(12_345));
        assert_eq!(parse_count("12.345"), Ok(12_345));
        assert_eq!(parse_count("12,345"), Ok(12_345));
        assert_eq!(parse_count("1.234.567"), Ok(1_234_567));
        assert_eq!(parse_count("1 234 567"), Ok(1_234_567));
        assert_eq!(parse_count("0"), Ok(0));
        assert!(parse_count("").is_err_and(|m| m.contains("chưa có số")));
        assert!(parse_count("-5").is_err_and(|m| m.contains("âm")));
        for decimal in [
            "12.5",
            "1,5",
            "2.5",
            "1.234,5",
            "1,234.567",
            "12.3456",
            "1234.567",
            "abc",
        ] {
            assert!(parse_count(decimal).is_err(), "{decimal}");
        }
        assert!(parse_count("10.000.001").is_err_and(|m| m.contains("10.000.000")));
    }

    #[test]
    fn names_compare_without_accents_or_the_kind_word() {
        assert!(same_name("Hòa Phú", "Xã Hoà Phú"));
        assert!(same_name("XÃ HÒA PHÚ", "Xã Hòa Phú"));
        assert!(same_name("", "Xã Hòa Phú"));
        assert!(!same_name("Hòa Khánh", "Xã Hòa Phú"));
    }

    fn columns(headers: &[&str], defaults: &Defaults) -> Result<Columns, ImportError> {
        let row = Row {
            number: 1,
            cells: headers.iter().map(|h| (*h).to_owned()).collect(),
        };
        Columns::from_header(&row, defaults)
    }

    #[test]
    fn a_file_needs_a_year_and_a_source_from_itself_or_the_options() {
        let none = Defaults {
            year: None,
            source: None,
        };
        let real = [
            "code",
            "name",
            "type",
            "area_km2",
            "population",
            "admin_center",
            "source",
        ];
        let Err(ImportError::Layout(message)) = columns(&real, &none) else {
            panic!("no year");
        };
        assert!(message.contains("Năm"), "{message}");
        let year = Defaults {
            year: Some(2025),
            source: None,
        };
        let c = columns(&real, &year).expect("the real file with a year");
        assert_eq!(
            (c.code, c.name, c.population, c.source),
            (0, Some(1), 4, Some(6))
        );
        let Err(ImportError::Layout(message)) = columns(&["Mã", "Dân số"], &year) else {
            panic!("no source");
        };
        assert!(message.contains("Nguồn"), "{message}");
        let Err(ImportError::Layout(message)) = columns(&["Họ và tên", "Năm sinh"], &year)
        else {
            panic!("not a population table");
        };
        assert!(
            message.contains("thiếu cột Mã (mã xã, phường), Dân số"),
            "{message}"
        );
        let own = columns(&POPULATION_HEADERS, &none).expect("the export's own headers");
        assert_eq!((own.year, own.source), (Some(2), Some(4)));
    }
}
