//! Rules for reading registers people already keep in Excel: which column is which (from
//! common Vietnamese headers), dates as Vietnamese write them, sex as a word, and the
//! preview an import shows before anything is written.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::person::Sex;
use crate::text::search_key;

pub mod file;

/// A header or a typed word reduced for comparison: accent-free, lower case, letters and
/// digits only, single spaces ("Thôn/Buôn" → "thon buon", "SĐT" → "sdt").
pub fn header_key(raw: &str) -> String {
    search_key(raw)
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// What a register column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegisterField {
    /// The six-character code this app prints (round trip of its own export).
    Code,
    FullName,
    BirthDate,
    BirthYear,
    Sex,
    Village,
    Phone,
    NationalId,
    /// The day of a training session the person attended (session registers).
    SessionDate,
    /// The modules that session covered, by code or name.
    Modules,
}

impl RegisterField {
    pub const ALL: [RegisterField; 10] = [
        RegisterField::Code,
        RegisterField::FullName,
        RegisterField::BirthDate,
        RegisterField::BirthYear,
        RegisterField::Sex,
        RegisterField::Village,
        RegisterField::Phone,
        RegisterField::NationalId,
        RegisterField::SessionDate,
        RegisterField::Modules,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RegisterField::Code => "code",
            RegisterField::FullName => "full_name",
            RegisterField::BirthDate => "birth_date",
            RegisterField::BirthYear => "birth_year",
            RegisterField::Sex => "sex",
            RegisterField::Village => "village",
            RegisterField::Phone => "phone",
            RegisterField::NationalId => "national_id",
            RegisterField::SessionDate => "session_date",
            RegisterField::Modules => "modules",
        }
    }

    pub fn parse(value: &str) -> Option<RegisterField> {
        RegisterField::ALL.into_iter().find(|f| f.as_str() == value)
    }

    /// The header this app writes, and the label of the mapping choice.
    pub fn label_vi(self) -> &'static str {
        match self {
            RegisterField::Code => "Mã",
            RegisterField::FullName => "Họ và tên",
            RegisterField::BirthDate => "Ngày sinh",
            RegisterField::BirthYear => "Năm sinh",
            RegisterField::Sex => "Giới tính",
            RegisterField::Village => "Thôn/Buôn",
            RegisterField::Phone => "Số điện thoại",
            RegisterField::NationalId => "Số CCCD",
            RegisterField::SessionDate => "Ngày tập huấn",
            RegisterField::Modules => "Nội dung",
        }
    }

    /// Headers seen in registers, as `header_key`s.
    fn aliases(self) -> &'static [&'static str] {
        match self {
            RegisterField::Code => &["ma", "ma nguoi hoc", "ma hoc vien", "code"],
            RegisterField::FullName => &[
                "ho va ten",
                "ho ten",
                "ho va ten nguoi hoc",
                "ho ten hoc vien",
                "ho va ten hoc vien",
                "ten",
                "full name",
                "name",
            ],
            RegisterField::BirthDate => &[
                "ngay sinh",
                "ngay thang nam sinh",
                "sinh ngay",
                "ngay sinh dd mm yyyy",
                "date of birth",
            ],
            RegisterField::BirthYear => &["nam sinh", "year of birth"],
            RegisterField::Sex => &["gioi tinh", "gioi", "phai", "nam nu", "sex", "gender"],
            RegisterField::Village => &[
                "thon buon",
                "thon",
                "buon",
                "thon buon to dan pho",
                "thon to dan pho",
                "to dan pho",
                "thon xom",
                "village",
            ],
            RegisterField::Phone => &["so dien thoai", "dien thoai", "sdt", "so dt", "dt", "phone"],
            RegisterField::NationalId => &[
                "cccd",
                "so cccd",
                "can cuoc",
                "so can cuoc",
                "can cuoc cong dan",
                "so dinh danh",
                "so dinh danh ca nhan",
                "cmnd cccd",
                "so cmnd cccd",
            ],
            RegisterField::SessionDate => &[
                "ngay tap huan",
                "ngay hoc",
                "ngay tham gia",
                "ngay tham du",
                "ngay boi duong",
                "session date",
            ],
            RegisterField::Modules => &[
                "noi dung",
                "noi dung tap huan",
                "mo dun",
                "module",
                "chuyen de",
                "ky nang",
                "modules",
            ],
        }
    }
}

/// The field each column holds, guessed from the header row; each field at most once
/// (the first column that matches wins), unknown headers `None`.
pub fn guess_register_columns(headers: &[String]) -> Vec<Option<RegisterField>> {
    let mut taken = Vec::new();
    headers
        .iter()
        .map(|header| {
            let key = header_key(header);
            let field = RegisterField::ALL
                .into_iter()
                .find(|f| !taken.contains(f) && f.aliases().contains(&key.as_str()))?;
            taken.push(field);
            Some(field)
        })
        .collect()
}

/// A date as Vietnamese registers write it: dd/mm/yyyy (or with - or .), d/m/yyyy, or
/// ISO yyyy-mm-dd (possibly with a time, as spreadsheets export dates). Day first:
/// "03/07/1985" is 3 July.
pub fn parse_date_cell(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    let iso = text.split(['T', ' ']).next().unwrap_or_default();
    if let Ok(date) = NaiveDate::parse_from_str(iso, "%Y-%m-%d") {
        return Some(date);
    }
    let parts: Vec<&str> = text.split(['/', '-', '.']).map(str::trim).collect();
    let [day, month, year] = parts.as_slice() else {
        return None;
    };
    if year.len() != 4 || day.is_empty() || month.is_empty() || day.len() > 2 || month.len() > 2 {
        return None;
    }
    NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)
}

/// The birth cells of a row as the registration form takes them: an ISO date and a
/// year. A "Ngày sinh" cell holding only a year is a year (common in registers).
pub fn birth_from_cells(date: &str, year: &str) -> Result<(String, String), &'static str> {
    let date = date.trim();
    if !date.is_empty() {
        if date.len() == 4 && date.bytes().all(|b| b.is_ascii_digit()) {
            return Ok((String::new(), date.to_owned()));
        }
        let parsed = parse_date_cell(date)
            .ok_or("Ngày sinh không đọc được; ghi theo dạng ngày/tháng/năm, ví dụ 07/03/1985.")?;
        return Ok((
            parsed.format("%Y-%m-%d").to_string(),
            parsed.year().to_string(),
        ));
    }
    Ok((String::new(), year.trim().to_owned()))
}

/// Sex as registers write it; an empty cell is "not recorded".
pub fn parse_sex_cell(text: &str) -> Result<Sex, &'static str> {
    match header_key(text).as_str() {
        "nam" | "m" | "male" | "trai" | "1" => Ok(Sex::Male),
        "nu" | "f" | "female" | "gai" | "0" => Ok(Sex::Female),
        "" | "khong ro" | "khac" | "unknown" => Ok(Sex::Unknown),
        _ => Err("Giới tính ghi \"Nam\" hoặc \"Nữ\" (hoặc để trống)."),
    }
}

/// One problem of one row: the spreadsheet's row number, the column's header, and what
/// is wrong. Errors keep the row out; warnings let it in with the note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowIssue {
    pub row: u64,
    pub column: String,
    pub message: String,
    pub warning: bool,
}

/// What an import did, or would do in a dry run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportCounts {
    /// Data rows read (without the header row and empty rows).
    pub rows: u64,
    pub new: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// Rows that look like a person already recorded (or an earlier row): left out.
    pub duplicate_suspects: u64,
    /// Rows with an error: left out.
    pub rejected: u64,
    /// Units closed because a newer list no longer has them (unit lists only).
    pub closed: u64,
    /// Registers with training: sessions created for days and modules not yet recorded.
    #[serde(default)]
    pub sessions_new: u64,
    /// Registers with training: rows that put their person on a session's roster.
    #[serde(default)]
    pub attendance: u64,
    /// Rows left out on purpose, not errors: another province's rows in a whole-country
    /// unit list, or a district without communes (unit lists only).
    #[serde(default)]
    pub skipped: u64,
}

/// At most this many issues travel to the page; the counts cover every row.
pub const MAX_ISSUES_SHOWN: usize = 500;
/// Issues on one page of a preview: a page stays small on a phone however bad the file.
pub const ISSUES_PER_PAGE: usize = 100;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_vietnamese_headers_are_recognised_whatever_their_accents_and_case() {
        let headers: Vec<String> = [
            "STT",
            "HỌ VÀ TÊN",
            "Ngày sinh",
            "Năm sinh",
            "Giới tính",
            "Thôn/Buôn",
            "SĐT",
            "Số CCCD",
            "Ho ten",
            "Mã",
        ]
        .map(String::from)
        .to_vec();
        let guessed = guess_register_columns(&headers);
        assert_eq!(
            guessed,
            [
                None,
                Some(RegisterField::FullName),
                Some(RegisterField::BirthDate),
                Some(RegisterField::BirthYear),
                Some(RegisterField::Sex),
                Some(RegisterField::Village),
                Some(RegisterField::Phone),
                Some(RegisterField::NationalId),
                None, // a second name column is not taken twice
                Some(RegisterField::Code),
            ]
        );
        // The app's own export headers read back as what they are.
        let own: Vec<String> = RegisterField::ALL.map(|f| f.label_vi().to_owned()).to_vec();
        assert_eq!(
            guess_register_columns(&own),
            RegisterField::ALL.map(Some).to_vec()
        );
    }

    #[test]
    fn dates_are_read_day_first_in_vietnamese_forms() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        assert_eq!(parse_date_cell("07/03/1985"), d(1985, 3, 7));
        assert_eq!(parse_date_cell("7/3/1985"), d(1985, 3, 7));
        assert_eq!(parse_date_cell("07-03-1985"), d(1985, 3, 7));
        assert_eq!(parse_date_cell("07.03.1985"), d(1985, 3, 7));
        assert_eq!(parse_date_cell("1985-03-07"), d(1985, 3, 7));
        assert_eq!(parse_date_cell("1985-03-07T00:00:00"), d(1985, 3, 7));
        assert_eq!(parse_date_cell("31/02/1985"), None);
        assert_eq!(
            parse_date_cell("03/07/85"),
            None,
            "two-digit years are ambiguous"
        );
        assert_eq!(parse_date_cell("1985"), None);
        assert_eq!(
            birth_from_cells("", "1985"),
            Ok((String::new(), "1985".to_owned()))
        );
        assert_eq!(
            birth_from_cells("1985", ""),
            Ok((String::new(), "1985".to_owned())),
            "a year in the date column"
        );
        assert_eq!(
            birth_from_cells("07/03/1985", "1990"),
            Ok(("1985-03-07".to_owned(), "1985".to_owned())),
            "the full date wins"
        );
        assert!(birth_from_cells("ngày 7", "").is_err());
    }

    #[test]
    fn sex_words() {
        assert_eq!(parse_sex_cell("Nữ"), Ok(Sex::Female));
        assert_eq!(parse_sex_cell(" NỮ "), Ok(Sex::Female));
        assert_eq!(parse_sex_cell("nu"), Ok(Sex::Female));
        assert_eq!(parse_sex_cell("Nam"), Ok(Sex::Male));
        assert_eq!(parse_sex_cell(""), Ok(Sex::Unknown));
        assert!(parse_sex_cell("x").is_err());
    }
}
