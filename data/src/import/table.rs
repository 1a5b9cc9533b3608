//! Reading a spreadsheet as rows of text, streamed: CSV (UTF-8, with or without a
//! byte-order mark; comma, semicolon or tab) and Excel (`excel.rs`). The limits of
//! `kynangso_domain::import::file` are checked here, as the file is read.
//!
//! The file is read on a blocking thread that hands rows to the importer through a small
//! bounded channel, so a 100 000-row file never sits in memory as rows: only the bytes
//! (or the open file) and a few hundred rows in flight.

use std::io::{BufReader, Cursor, Read, Seek};
use std::path::PathBuf;

pub use kynangso_domain::import::file::FileProblem;
use kynangso_domain::import::file::{MAX_CELL_CHARS, MAX_COLUMNS, MAX_ROWS};
use tokio::sync::mpsc;
use unicode_normalization::UnicodeNormalization;

mod excel;
mod zip_guard;

/// Rows in flight between the reading thread and the importer.
const CHANNEL_ROWS: usize = 512;

/// Where the file's bytes are.
#[derive(Debug, Clone)]
pub enum Source {
    Bytes(Vec<u8>),
    File(PathBuf),
}

/// One spreadsheet row: its number as the spreadsheet shows it (1 = first row) and its
/// cells as trimmed NFC text. Empty rows are skipped but keep their numbers counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub number: u64,
    pub cells: Vec<String>,
}

impl Row {
    pub fn cell(&self, index: usize) -> &str {
        self.cells.get(index).map_or("", String::as_str)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Csv,
    Xlsx,
    Xls,
}

/// The rows of a file, in order, as they are read.
pub struct Rows {
    receiver: mpsc::Receiver<Result<Row, FileProblem>>,
}

impl Rows {
    /// The next non-empty row; `None` at the end. A problem ends the stream.
    pub async fn next(&mut self) -> Option<Result<Row, FileProblem>> {
        self.receiver.recv().await
    }
}

/// Starts reading `source` on a blocking thread. The first item says whether the file
/// could be opened; reading stops early when `Rows` is dropped.
pub fn open(source: Source) -> Rows {
    let (sender, receiver) = mpsc::channel(CHANNEL_ROWS);
    tokio::task::spawn_blocking(move || {
        let mut emit = |row: Result<Row, FileProblem>| sender.blocking_send(row).is_ok();
        let outcome = match source {
            Source::Bytes(bytes) => read_all(Cursor::new(bytes), &mut emit),
            Source::File(path) => match std::fs::File::open(&path) {
                Ok(file) => read_all(BufReader::new(file), &mut emit),
                Err(_) => Err(FileProblem::Io),
            },
        };
        if let Err(problem) = outcome {
            emit(Err(problem));
        }
    });
    Rows { receiver }
}

/// Reads the whole file and keeps nothing: whether it can be read within the limits.
/// Blocking; the upload runs it before the file is stored.
pub fn check(bytes: &[u8]) -> Result<(), FileProblem> {
    read_all(Cursor::new(bytes), &mut |row| row.is_ok())
}

/// Reads every row into memory: for tests and small files only.
pub async fn read_to_end(source: Source) -> Result<Vec<Row>, FileProblem> {
    let mut rows = open(source);
    let mut out = Vec::new();
    while let Some(row) = rows.next().await {
        out.push(row?);
    }
    Ok(out)
}

type Emit<'a> = dyn FnMut(Result<Row, FileProblem>) -> bool + 'a;

fn read_all<R: Read + Seek>(mut input: R, emit: &mut Emit<'_>) -> Result<(), FileProblem> {
    let mut head = [0u8; 8];
    let read = read_up_to(&mut input, &mut head)?;
    input.rewind().map_err(|_| FileProblem::Io)?;
    let mut rows = Counter::default();
    let mut send = |row: Row| -> Result<bool, FileProblem> {
        rows.count()?;
        Ok(row.cells.iter().all(String::is_empty) || emit(Ok(row)))
    };
    match sniff(&head[..read])? {
        Format::Csv => read_csv(input, &mut send)?,
        Format::Xlsx => excel::read_xlsx(input, &mut send)?,
        Format::Xls => excel::read_xls(input, &mut send)?,
    }
    if rows.seen == 0 {
        return Err(FileProblem::Empty);
    }
    Ok(())
}

#[derive(Default)]
struct Counter {
    seen: u64,
}

impl Counter {
    fn count(&mut self) -> Result<(), FileProblem> {
        self.seen += 1;
        if self.seen > MAX_ROWS {
            return Err(FileProblem::TooManyRows);
        }
        Ok(())
    }
}

fn read_up_to<R: Read>(input: &mut R, buf: &mut [u8]) -> Result<usize, FileProblem> {
    let mut filled = 0;
    while filled < buf.len() {
        match input.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(_) => return Err(FileProblem::Io),
        }
    }
    Ok(filled)
}

/// The format from the first bytes, never from the file name (people rename files).
fn sniff(head: &[u8]) -> Result<Format, FileProblem> {
    match head {
        [] => Err(FileProblem::Empty),
        [0x50, 0x4B, 0x03, 0x04, ..] => Ok(Format::Xlsx),
        [0xD0, 0xCF, 0x11, 0xE0, ..] => Ok(Format::Xls),
        [0xFF, 0xFE, ..] | [0xFE, 0xFF, ..] => Err(FileProblem::Utf16),
        // UTF-16 without a mark still shows a zero byte beside each ASCII letter.
        bytes if bytes.contains(&0) => {
            if bytes.iter().step_by(2).any(|b| *b == 0)
                || bytes.iter().skip(1).step_by(2).all(|b| *b == 0)
            {
                Err(FileProblem::Utf16)
            } else {
                Err(FileProblem::UnknownType)
            }
        }
        _ => Ok(Format::Csv),
    }
}

/// Drops a row's trailing empty cells and refuses one wider than `MAX_COLUMNS`.
fn trim_row(cells: &mut Vec<String>, row: u64) -> Result<(), FileProblem> {
    let used = cells
        .iter()
        .rposition(|c| !c.is_empty())
        .map_or(0, |l| l + 1);
    if used > MAX_COLUMNS {
        return Err(FileProblem::TooManyColumns { row });
    }
    cells.truncate(used);
    Ok(())
}

type Send<'a> = dyn FnMut(Row) -> Result<bool, FileProblem> + 'a;

fn read_csv<R: Read + Seek>(mut input: R, send: &mut Send<'_>) -> Result<(), FileProblem> {
    let mut first_line = vec![0u8; 4096];
    let read = read_up_to(&mut input, &mut first_line)?;
    first_line.truncate(read);
    input.rewind().map_err(|_| FileProblem::Io)?;
    let bom = first_line.starts_with(b"\xEF\xBB\xBF");
    if bom {
        let mut skip = [0u8; 3];
        read_up_to(&mut input, &mut skip)?;
    }
    let line = first_line.split(|b| *b == b'\n').next().unwrap_or_default();
    let delimiter = [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| line.iter().filter(|b| *b == d).count())
        .unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(input);
    let mut record = csv::ByteRecord::new();
    let mut number = 0u64;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => return Ok(()),
            Ok(true) => {}
            Err(error) => {
                return Err(match error.kind() {
                    csv::ErrorKind::Io(_) => FileProblem::Io,
                    _ => FileProblem::NotUtf8 { row: number + 1 },
                });
            }
        }
        number += 1;
        // Trailing empty fields (`a,b,,,,`) are not columns; a value past the last
        // column allowed is refused before any cell of the row is built.
        let used = record
            .iter()
            .rposition(|field| !field.trim_ascii().is_empty())
            .map_or(0, |last| last + 1);
        if used > MAX_COLUMNS {
            return Err(FileProblem::TooManyColumns { row: number });
        }
        let mut cells = Vec::with_capacity(used);
        for (column, field) in record.iter().take(used).enumerate() {
            let text =
                std::str::from_utf8(field).map_err(|_| FileProblem::NotUtf8 { row: number })?;
            cells.push(cell_text(text, number, column)?);
        }
        if !send(Row { number, cells })? {
            return Ok(());
        }
    }
}

fn cell_text(raw: &str, row: u64, column: usize) -> Result<String, FileProblem> {
    let trimmed = raw.trim();
    if trimmed.chars().count() > MAX_CELL_CHARS {
        return Err(FileProblem::HugeCell {
            row,
            column: column + 1,
        });
    }
    Ok(trimmed.nfc().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn rows(bytes: &[u8]) -> Result<Vec<Row>, FileProblem> {
        read_to_end(Source::Bytes(bytes.to_vec())).await
    }

    #[tokio::test]
    async fn csv_with_a_bom_semicolons_and_decomposed_letters_reads_as_nfc_text() {
        let text = "\u{feff}Mã;Họ và tên\n 01 ;Nguye\u{302}\u{303}n Văn A\n;\n\"02\";\"Lê, Thị\"\n";
        let rows = rows(text.as_bytes()).await.expect("rows");
        assert_eq!(rows.len(), 3, "the empty row is skipped: {rows:?}");
        assert_eq!(rows[0].cells, ["Mã", "Họ và tên"]);
        assert_eq!(rows[1].cells, ["01", "Nguyễn Văn A"]);
        assert_eq!(rows[2].number, 4, "numbers count the skipped row");
        assert_eq!(rows[2].cell(1), "Lê, Thị");
    }

    #[tokio::test]
    async fn wrong_encodings_and_other_files_get_a_clear_problem() {
        assert_eq!(rows(b"").await, Err(FileProblem::Empty));
        assert_eq!(rows(b"\n\n").await, Err(FileProblem::Empty));
        let utf16: Vec<u8> = "\u{feff}Họ tên\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(rows(&utf16).await, Err(FileProblem::Utf16));
        // "Nguyễn" in Windows-1258: N g u y ê (0xEA) ~ (0xDE) n.
        assert_eq!(
            rows(b"H\xf4 t\xean\nNguy\xea\xden\n").await,
            Err(FileProblem::NotUtf8 { row: 1 })
        );
        assert_eq!(
            rows(b"PK\x03\x04broken zip").await,
            Err(FileProblem::BrokenWorkbook)
        );
        assert_eq!(
            rows(b"\x7fELF\x02\x01\x01\x00\x00").await,
            Err(FileProblem::UnknownType)
        );
        let huge = format!("a,{}\n", "x".repeat(MAX_CELL_CHARS + 1));
        assert_eq!(
            rows(huge.as_bytes()).await,
            Err(FileProblem::HugeCell { row: 1, column: 2 })
        );
    }

    #[tokio::test]
    async fn xlsx_cells_come_back_as_text_with_dates_and_whole_numbers() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "Ngày sinh").expect("write");
        sheet.write_string(0, 2, "Mã").expect("write");
        let date = rust_xlsxwriter::ExcelDateTime::from_ymd(1985, 3, 7).expect("date");
        let format = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
        sheet
            .write_datetime_with_format(1, 0, &date, &format)
            .expect("write");
        sheet.write_number(1, 1, 1985.0).expect("write");
        sheet.write_string(1, 2, "00001").expect("write");
        sheet.write_number(3, 1, 2.5).expect("write");
        let bytes = book.save_to_buffer().expect("xlsx");
        let rows = rows(&bytes).await.expect("rows");
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].cells, ["Ngày sinh", "", "Mã"]);
        assert_eq!(rows[1].cells, ["07/03/1985", "1985", "00001"]);
        assert_eq!((rows[2].number, rows[2].cell(1)), (4, "2.5"));
    }

    #[tokio::test]
    async fn a_value_past_the_last_column_allowed_is_refused_before_the_row_grows() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "Họ và tên").expect("write");
        // XFD, Excel's last column: 16 384 cells if the row were widened to reach it.
        sheet.write_string(1, 16_383, "x").expect("write");
        let bytes = book.save_to_buffer().expect("xlsx");
        assert_eq!(
            rows(&bytes).await,
            Err(FileProblem::TooManyColumns { row: 2 })
        );
        let wide = "a,".repeat(MAX_COLUMNS + 1);
        assert_eq!(
            rows(wide.as_bytes()).await,
            Err(FileProblem::TooManyColumns { row: 1 })
        );
        let trailing = format!("a,b{}\n", ",".repeat(10 * MAX_COLUMNS));
        let read = rows(trailing.as_bytes())
            .await
            .expect("empty fields are not columns");
        assert_eq!(read[0].cells, ["a", "b"]);
    }
}
