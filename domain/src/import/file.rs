//! The limits an uploaded file must keep, in one place, and why a file is refused.
//!
//! Every limit is checked while the file is read, before anything sized by the file is
//! allocated: a 1.7 KB workbook naming cell `ZZZZZZ1` once asked for 321 million cells,
//! and a 1 MB workbook unpacked to a 1 GB cell (issue 20). The README's "Limits" section
//! lists the same numbers; the upload page and the server share these messages.

use thiserror::Error;

/// The largest file taken: a 100 000-row register is about 8 MB as CSV.
pub const MAX_UPLOAD_BYTES: usize = 40 * 1024 * 1024;
/// A cell longer than this is a mistake (a pasted document), not a name or a code.
pub const MAX_CELL_CHARS: usize = 2_000;
/// Rows a file may have: a commune's register (at most tens of thousands of people of
/// working age, even in the largest wards after the 2025 mergers), with room to spare.
pub const MAX_ROWS: u64 = 200_000;
/// Columns a row may use (the last non-empty cell decides). Registers have about ten;
/// the preview's column form shows every one of them.
pub const MAX_COLUMNS: usize = 200;
/// What an Excel file may unpack to, all its parts together, counted as they inflate.
/// A 100 000-row, seven-column register unpacks to about 35 MB (28 MB of sheet XML, 6 MB
/// of shared strings), so a register twice that size still fits.
pub const MAX_UNPACKED_BYTES: u64 = 128 * 1024 * 1024;
/// The shared-strings part is read whole into memory when a workbook opens, at up to
/// three times its size: it gets a bound of its own.
pub const MAX_SHARED_STRINGS_BYTES: u64 = 32 * 1024 * 1024;
/// Parts an Excel file may hold (a workbook from Excel has a dozen or two).
pub const MAX_ZIP_ENTRIES: usize = 1_000;
/// Text between two XML tags in a workbook: a cell of `MAX_CELL_CHARS` characters
/// written as XML entities (`&quot;` is six bytes for one character) fits with room.
pub const MAX_XML_TEXT_BYTES: usize = 64 * 1024;

/// Why a file cannot be read at all, in words for the person who chose it.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FileProblem {
    #[error("Tệp trống, không có dòng nào.")]
    Empty,
    #[error(
        "Tệp CSV đang ở mã UTF-16. Trong Excel hãy chọn Lưu thành → \"CSV UTF-8 (phân cách bằng dấu phẩy)\" rồi tải lại."
    )]
    Utf16,
    #[error(
        "Dòng {row}: có chữ không đọc được — tệp không ở mã UTF-8 (có thể là Windows-1258 hoặc TCVN3). Hãy lưu lại dưới dạng \"CSV UTF-8\" rồi tải lại."
    )]
    NotUtf8 { row: u64 },
    #[error("Không đọc được tệp Excel: tệp hỏng hoặc không phải .xlsx/.xls.")]
    BrokenWorkbook,
    #[error("Tệp không phải CSV hay Excel (.xlsx, .xls).")]
    UnknownType,
    #[error("Dòng {row}, cột {column}: ô dài hơn {MAX_CELL_CHARS} ký tự.")]
    HugeCell { row: u64, column: usize },
    /// A text too long inside the workbook's XML, found before calamine reads it.
    #[error("Tệp Excel có một ô dài hơn {MAX_CELL_CHARS} ký tự.")]
    HugeWorkbookText,
    #[error("Tệp có hơn {MAX_ROWS} dòng; hãy chia nhỏ tệp.")]
    TooManyRows,
    #[error(
        "Dòng {row}: có ô nằm ngoài {MAX_COLUMNS} cột đầu; tệp chỉ được có tối đa {MAX_COLUMNS} cột."
    )]
    TooManyColumns { row: u64 },
    #[error(
        "Tệp Excel khi giải nén lớn hơn {} MB (hoặc có quá nhiều phần); hãy chia nhỏ tệp hoặc lưu lại bằng Excel.",
        MAX_UNPACKED_BYTES / 1024 / 1024
    )]
    TooLargeUnpacked,
    #[error("Không đọc được tệp.")]
    Io,
}

impl FileProblem {
    /// Whether the file breaks one of the limits above (HTTP 413) rather than being
    /// unreadable as it is (422).
    pub fn is_limit(&self) -> bool {
        matches!(
            self,
            FileProblem::HugeCell { .. }
                | FileProblem::HugeWorkbookText
                | FileProblem::TooManyRows
                | FileProblem::TooManyColumns { .. }
                | FileProblem::TooLargeUnpacked
        )
    }

    /// The query the upload form is sent back with (`loi=…`, and the row and column the
    /// message names): the page rebuilds the message from it, so no text from the
    /// request is ever shown.
    pub fn query(&self) -> String {
        let code = match self {
            FileProblem::Empty => "tep-trong",
            FileProblem::Utf16 => "utf16",
            FileProblem::NotUtf8 { .. } => "ma-chu",
            FileProblem::BrokenWorkbook => "excel-hong",
            FileProblem::UnknownType => "khong-ho-tro",
            FileProblem::HugeCell { .. } => "o-dai",
            FileProblem::HugeWorkbookText => "o-excel-dai",
            FileProblem::TooManyRows => "nhieu-dong",
            FileProblem::TooManyColumns { .. } => "nhieu-cot",
            FileProblem::TooLargeUnpacked => "giai-nen",
            FileProblem::Io => "doc-tep",
        };
        match self {
            FileProblem::NotUtf8 { row } | FileProblem::TooManyColumns { row } => {
                format!("loi={code}&dong={row}")
            }
            FileProblem::HugeCell { row, column } => format!("loi={code}&dong={row}&cot={column}"),
            _ => format!("loi={code}"),
        }
    }

    /// The problem a `loi` code names, with the row and column from the same query.
    pub fn from_query(code: &str, row: Option<u64>, column: Option<usize>) -> Option<Self> {
        let row = row.unwrap_or(0);
        Some(match code {
            "tep-trong" => FileProblem::Empty,
            "utf16" => FileProblem::Utf16,
            "ma-chu" => FileProblem::NotUtf8 { row },
            "excel-hong" => FileProblem::BrokenWorkbook,
            "khong-ho-tro" => FileProblem::UnknownType,
            "o-dai" => FileProblem::HugeCell {
                row,
                column: column.unwrap_or(0),
            },
            "o-excel-dai" => FileProblem::HugeWorkbookText,
            "nhieu-dong" => FileProblem::TooManyRows,
            "nhieu-cot" => FileProblem::TooManyColumns { row },
            "giai-nen" => FileProblem::TooLargeUnpacked,
            "doc-tep" => FileProblem::Io,
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_problem_goes_through_the_address_and_back() {
        let all = [
            FileProblem::Empty,
            FileProblem::Utf16,
            FileProblem::NotUtf8 { row: 7 },
            FileProblem::BrokenWorkbook,
            FileProblem::UnknownType,
            FileProblem::HugeCell { row: 3, column: 2 },
            FileProblem::HugeWorkbookText,
            FileProblem::TooManyRows,
            FileProblem::TooManyColumns { row: 1 },
            FileProblem::TooLargeUnpacked,
            FileProblem::Io,
        ];
        for problem in all {
            let query = problem.query();
            let field = |key: &str| {
                query
                    .split('&')
                    .find_map(|p| p.strip_prefix(&format!("{key}=")))
                    .map(str::to_owned)
            };
            let back = FileProblem::from_query(
                &field("loi").unwrap_or_default(),
                field("dong").and_then(|r| r.parse().ok()),
                field("cot").and_then(|c| c.parse().ok()),
            );
            assert_eq!(back, Some(problem), "{query}");
        }
    }
}
