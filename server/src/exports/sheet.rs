//! A table to hand to a spreadsheet: CSV (UTF-8 with a byte-order mark, so Excel reads
//! Vietnamese letters; numbers as plain digits) or XLSX (numbers as numbers, bold header,
//! frozen first row), written by maintained crates.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// One cell: text stays text (codes keep their leading zeros), numbers stay numbers.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Int(i64),
    /// A share in per cent, one decimal.
    Percent(f64),
    Empty,
}

impl From<&str> for Cell {
    fn from(value: &str) -> Self {
        Cell::Text(value.to_owned())
    }
}

impl From<String> for Cell {
    fn from(value: String) -> Self {
        Cell::Text(value)
    }
}

impl From<u64> for Cell {
    fn from(value: u64) -> Self {
        Cell::Int(i64::try_from(value).unwrap_or(i64::MAX))
    }
}

impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(value: Option<T>) -> Self {
        value.map_or(Cell::Empty, Into::into)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    /// The worksheet's name (at most 31 characters) and the file's base name.
    pub title: &'static str,
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
}

impl Sheet {
    pub fn to_csv(&self) -> Result<Vec<u8>, csv::Error> {
        let mut out = Vec::from(*b"\xEF\xBB\xBF");
        {
            let mut writer = csv::Writer::from_writer(&mut out);
            writer.write_record(&self.headers)?;
            for row in &self.rows {
                writer.write_record(row.iter().map(|cell| match cell {
                    Cell::Text(text) => inert_in_csv(text),
                    Cell::Int(n) => n.to_string(),
                    Cell::Percent(p) => format!("{p:.1}"),
                    Cell::Empty => String::new(),
                }))?;
            }
            writer.flush()?;
        }
        Ok(out)
    }

    /// The XLSX writer stores text cells as text (never formulas), so they need no such care.
    pub fn to_xlsx(&self) -> Result<Vec<u8>, XlsxError> {
        let mut workbook = Workbook::new();
        let bold = Format::new().set_bold().set_text_wrap();
        let percent = Format::new().set_num_format("0.0");
        let sheet = workbook.add_worksheet();
        sheet.set_name(self.title)?;
        for (col, header) in self.headers.iter().enumerate() {
            let col = u16::try_from(col).unwrap_or(u16::MAX);
            sheet.write_string_with_format(0, col, *header, &bold)?;
            sheet.set_column_width(col, header.chars().count().clamp(10, 28) as f64)?;
        }
        for (r, row) in self.rows.iter().enumerate() {
            let r = u32::try_from(r + 1).unwrap_or(u32::MAX);
            for (c, cell) in row.iter().enumerate() {
                let c = u16::try_from(c).unwrap_or(u16::MAX);
                match cell {
                    Cell::Text(text) => {
                        sheet.write_string(r, c, text)?;
                    }
                    Cell::Int(n) => {
                        sheet.write_number(r, c, *n as f64)?;
                    }
                    Cell::Percent(p) => {
                        sheet.write_number_with_format(r, c, *p, &percent)?;
                    }
                    Cell::Empty => {}
                }
            }
        }
        sheet.set_freeze_panes(1, 0)?;
        workbook.save_to_buffer()
    }
}

/// A text cell as a spreadsheet will not run it: one starting with `=`, `+`, `-`, `@`, a tab
/// or a carriage return would be read by Excel or LibreOffice as a formula (a name typed as
/// `=HYPERLINK(…)` becomes a link that sends data elsewhere), so it gets a leading
/// apostrophe, which the spreadsheet shows as plain text (OWASP's advice for CSV).
fn inert_in_csv(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Sheet {
        Sheet {
            title: "Xã phường",
            headers: vec!["Mã", "Xã, phường", "Đã tập huấn", "Tỷ lệ (%)"],
            rows: vec![
                vec![
                    "24175".into(),
                    "Xã Hòa Phú".into(),
                    Cell::Int(6),
                    Cell::Percent(0.04),
                ],
                vec![
                    "00123".into(),
                    "Phường \"Tân\", An".into(),
                    Cell::Int(0),
                    Cell::Empty,
                ],
            ],
        }
    }

    #[test]
    fn csv_keeps_codes_as_text_quotes_commas_and_starts_with_a_bom() {
        let csv = String::from_utf8(sample().to_csv().expect("csv")).expect("utf-8");
        assert_eq!(
            csv,
            "\u{feff}Mã,\"Xã, phường\",Đã tập huấn,Tỷ lệ (%)\n24175,Xã Hòa Phú,6,0.0\n00123,\"Phường \"\"Tân\"\", An\",0,\n"
        );
    }

    #[test]
    fn xlsx_is_a_zip_workbook() {
        let bytes = sample().to_xlsx().expect("xlsx");
        assert_eq!(&bytes[..2], b"PK", "an XLSX file is a zip archive");
        assert!(bytes.len() > 1000);
    }

    #[test]
    fn csv_text_that_a_spreadsheet_would_run_is_made_inert() {
        let sheet = Sheet {
            title: "t",
            headers: vec!["Họ tên"],
            rows: [
                "=HYPERLINK(\"http://x\")",
                "+1",
                "-1",
                "@SUM(A1)",
                "\tx",
                "\rx",
                "An",
            ]
            .into_iter()
            .map(|t| vec![Cell::from(t)])
            .chain([vec![Cell::Int(-5)]])
            .collect(),
        };
        let csv = String::from_utf8(sheet.to_csv().expect("csv")).expect("utf-8");
        let lines: Vec<&str> = csv.lines().skip(1).collect();
        assert_eq!(lines[0], "\"'=HYPERLINK(\"\"http://x\"\")\"");
        assert_eq!(&lines[1..4], ["'+1", "'-1", "'@SUM(A1)"]);
        assert!(csv.contains("'\tx") && csv.contains("'\rx"));
        assert!(
            csv.ends_with("An\n-5\n"),
            "plain text and numbers stay as they are"
        );
    }
}
