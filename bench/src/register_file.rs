//! `register-file`: a participant register as a commune would keep it in Excel, for
//! timing the import (`kynangso import register …`): Vietnamese headers, dd/mm/yyyy dates
//! or a year alone, many repeated names, the demo's villages, 1 % of rows with a mistake.

use std::path::Path;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::names::full_name;

const HEADERS: [&str; 6] = [
    "STT",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Thôn/Buôn",
    "Số điện thoại",
];
const VILLAGES: [&str; 4] = ["Thôn 1", "Thôn 2", "Buôn Ea Khít", "thon 1"];

/// Second given names, as in "Nguyễn Thị Thu Hà": the bench's name lists alone would
/// make a 100 000-row commune mostly namesakes.
const SECOND: [&str; 24] = [
    "Thu", "Ngọc", "Kim", "Minh", "Thanh", "Hoài", "Bảo", "Gia", "Xuân", "Hồng", "Anh", "Phương",
    "Khánh", "Hải", "Đình", "Công", "Quốc", "Trọng", "Mỹ", "Diệu", "Tuấn", "Hoàng", "Nhật", "Bích",
];

fn name(rng: &mut StdRng, female: bool) -> String {
    let name = full_name(rng, female);
    let words: Vec<&str> = name.split(' ').collect();
    match words.as_slice() {
        [family, middle, given] if rng.gen_bool(0.7) => {
            let second = SECOND[rng.gen_range(0..SECOND.len())];
            format!("{family} {middle} {second} {given}")
        }
        _ => name,
    }
}

fn row(rng: &mut StdRng, number: u64) -> [String; 6] {
    let female = rng.gen_bool(0.5);
    let year = rng.gen_range(1961..=2011);
    let birth = if rng.gen_ratio(1, 100) {
        format!("31/02/{year}")
    } else if rng.gen_ratio(3, 10) {
        year.to_string()
    } else {
        format!(
            "{:02}/{:02}/{year}",
            rng.gen_range(1..=28),
            rng.gen_range(1..=12)
        )
    };
    let phone = if rng.gen_bool(0.6) {
        format!("09{:08}", rng.gen_range(0..100_000_000u32))
    } else {
        String::new()
    };
    [
        number.to_string(),
        name(rng, female),
        birth,
        if female { "Nữ" } else { "Nam" }.to_owned(),
        VILLAGES[rng.gen_range(0..VILLAGES.len())].to_owned(),
        phone,
    ]
}

/// Writes `rows` data rows to `out` (.csv, or .xlsx in rust_xlsxwriter's constant-memory
/// mode) from `seed`.
pub fn write(out: &Path, rows: u64, seed: u64) -> anyhow::Result<()> {
    let mut rng = StdRng::seed_from_u64(seed);
    if out.extension().is_some_and(|e| e == "xlsx") {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet_with_constant_memory()?;
        for (column, header) in HEADERS.iter().enumerate() {
            sheet.write_string(0, column as u16, *header)?;
        }
        for number in 1..=rows {
            for (column, cell) in row(&mut rng, number).iter().enumerate() {
                sheet.write_string(number as u32, column as u16, cell)?;
            }
        }
        book.save(out)?;
    } else {
        let mut writer = csv::Writer::from_path(out)?;
        writer.write_record(HEADERS)?;
        for number in 1..=rows {
            writer.write_record(row(&mut rng, number))?;
        }
        writer.flush()?;
    }
    println!("wrote {rows} rows to {}", out.display());
    Ok(())
}
