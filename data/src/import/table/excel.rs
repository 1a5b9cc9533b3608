//! Excel: .xlsx streamed cell by cell after its archive passed the zip guard, legacy
//! .xls through calamine's in-memory range (that format stops at 65 536 × 256 cells).

use std::io::{Read, Seek};

use calamine::{Data, DataRef, Reader, Xls, Xlsx};
use chrono::{Days, NaiveDate};
use kynangso_domain::import::file::MAX_COLUMNS;

use super::{FileProblem, Row, Send, cell_text, zip_guard};

pub(super) fn read_xlsx<R: Read + Seek>(
    mut input: R,
    send: &mut Send<'_>,
) -> Result<(), FileProblem> {
    zip_guard::check(&mut input)?;
    let mut workbook: Xlsx<R> =
        calamine::open_workbook_from_rs(input).map_err(|_| FileProblem::BrokenWorkbook)?;
    let Some(sheet) = workbook.sheet_names().first().cloned() else {
        return Err(FileProblem::Empty);
    };
    let mut cells = workbook
        .worksheet_cells_reader(&sheet)
        .map_err(|_| FileProblem::BrokenWorkbook)?;
    let mut current: Option<Row> = None;
    while let Some(cell) = cells.next_cell().map_err(|_| FileProblem::BrokenWorkbook)? {
        let (row, column) = cell.get_position();
        let number = u64::from(row) + 1;
        let column = column as usize;
        if current.as_ref().is_some_and(|r| r.number != number)
            && let Some(done) = current.take()
            && !send(done)?
        {
            return Ok(());
        }
        let text = cell_text(&data_ref_text(cell.get_value()), number, column)?;
        let row = current.get_or_insert_with(|| Row {
            number,
            cells: Vec::new(),
        });
        // Empty cells (formatted, never typed in) do not widen the row; a cell's column
        // is checked before the row grows to reach it (`ZZZZZZ1` asked for 321 million).
        if text.is_empty() {
            continue;
        }
        if column >= MAX_COLUMNS {
            return Err(FileProblem::TooManyColumns { row: number });
        }
        if row.cells.len() <= column {
            row.cells.resize(column + 1, String::new());
        }
        row.cells[column] = text;
    }
    if let Some(done) = current {
        send(done)?;
    }
    Ok(())
}

pub(super) fn read_xls<R: Read + Seek>(input: R, send: &mut Send<'_>) -> Result<(), FileProblem> {
    let mut workbook: Xls<R> =
        calamine::open_workbook_from_rs(input).map_err(|_| FileProblem::BrokenWorkbook)?;
    let Some(sheet) = workbook.sheet_names().first().cloned() else {
        return Err(FileProblem::Empty);
    };
    let range = workbook
        .worksheet_range(&sheet)
        .map_err(|_| FileProblem::BrokenWorkbook)?;
    let (first_row, first_column) = range.start().unwrap_or((0, 0));
    for (offset, values) in range.rows().enumerate() {
        let number = u64::from(first_row) + offset as u64 + 1;
        let mut cells = vec![String::new(); first_column as usize];
        for (i, value) in values.iter().enumerate() {
            cells.push(cell_text(
                &data_text(value),
                number,
                first_column as usize + i,
            )?);
        }
        super::trim_row(&mut cells, number)?;
        if !send(Row { number, cells })? {
            return Ok(());
        }
    }
    Ok(())
}

/// Whole numbers without ".0" (codes and years typed as numbers), dates as dd/mm/yyyy.
fn number_text(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.0}")
    } else {
        value.to_string()
    }
}

/// An Excel date serial (1900 system, with its phantom 29 Feb 1900) as dd/mm/yyyy.
fn serial_date_text(serial: f64) -> String {
    let base = NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or_default();
    if !(1.0..2_958_466.0).contains(&serial) {
        return number_text(serial);
    }
    base.checked_add_days(Days::new(serial.floor() as u64))
        .map_or_else(|| number_text(serial), |d| d.format("%d/%m/%Y").to_string())
}

fn data_ref_text(value: &DataRef<'_>) -> String {
    match value {
        DataRef::Int(n) => n.to_string(),
        DataRef::Float(f) => number_text(*f),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_owned(),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(d) if d.is_datetime() => serial_date_text(d.as_f64()),
        DataRef::DateTime(d) => number_text(d.as_f64()),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(_) | DataRef::Empty => String::new(),
    }
}

fn data_text(value: &Data) -> String {
    match value {
        Data::Int(n) => n.to_string(),
        Data::Float(f) => number_text(*f),
        Data::String(s) => s.clone(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) if d.is_datetime() => serial_date_text(d.as_f64()),
        Data::DateTime(d) => number_text(d.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(_) | Data::Empty => String::new(),
    }
}
