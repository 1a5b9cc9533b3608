//! Reading a population table: the options checked, the columns found from the header
//! row, and each row parsed into a figure (code, year, head count, source) or an issue.
//! Nothing here looks at the units recorded.

use kynangso_domain::import::header_key;

use super::PopulationOptions;
use crate::import::{FileProblem, ImportError, Report, Row, Source, table};

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

/// The options, checked.
pub(super) struct Defaults {
    pub(super) year: Option<i32>,
    pub(super) source: Option<String>,
}

impl Defaults {
    pub(super) fn of(options: &PopulationOptions) -> Result<Defaults, ImportError> {
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
pub(super) struct Columns {
    pub(super) headers: Vec<String>,
    pub(super) code: usize,
    pub(super) name: Option<usize>,
    pub(super) year: Option<usize>,
    pub(super) population: usize,
    pub(super) source: Option<usize>,
}

impl Columns {
    pub(super) fn from_header(row: &Row, defaults: &Defaults) -> Result<Columns, ImportError> {
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

    pub(super) fn header(&self, index: usize) -> &str {
        self.headers.get(index).map_or("", String::as_str)
    }
}

/// One figure as the file gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Figure {
    pub(super) row: u64,
    pub(super) code: String,
    pub(super) name: String,
    pub(super) year: i32,
    pub(super) population: i64,
    pub(super) source: String,
}

pub(super) async fn read_figures(
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

pub(super) fn parse<'c>(
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
pub(super) fn parse_count(text: &str) -> Result<i64, &'static str> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::population::POPULATION_HEADERS;

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
