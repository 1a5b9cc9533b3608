//! Hostile spreadsheets, generated in the tests (nothing downloaded): Excel files whose
//! sheet is written by hand into a zip written by hand, so that a part can be a deflate
//! stream of a gigabyte, or declare a size it does not have.

use std::io::Read;

use flate2::{Compress, Compression, FlushCompress};

/// One part of a zip archive, compressed already.
struct Part {
    name: String,
    /// 0 = stored, 8 = deflated.
    method: u16,
    crc: u32,
    data: Vec<u8>,
    /// What the archive says the part unpacks to (it may lie).
    declared_size: u64,
}

/// A workbook as `rust_xlsxwriter` writes it, with its first sheet replaced by `sheet`.
fn workbook_with_sheet(sheet: Part) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    book.add_worksheet()
        .write_string(0, 0, "Họ và tên")
        .expect("write");
    let bytes = book.save_to_buffer().expect("xlsx");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let mut parts = Vec::new();
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).expect("entry");
        let name = entry.name().expect("name").to_string();
        if name == "xl/worksheets/sheet1.xml" {
            continue;
        }
        let mut data = Vec::new();
        entry.read_to_end(&mut data).expect("read");
        parts.push(stored(&name, data));
    }
    parts.push(sheet);
    write_zip(&parts)
}

fn stored(name: &str, data: Vec<u8>) -> Part {
    let mut crc = flate2::Crc::new();
    crc.update(&data);
    Part {
        name: name.to_owned(),
        method: 0,
        crc: crc.sum(),
        declared_size: data.len() as u64,
        data,
    }
}

/// A sheet with a header row and whatever `cells` of row 2 hold, as XML.
fn sheet_xml(cells: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Họ và tên</t></is></c></row><row r="2">{cells}</row></sheetData></worksheet>"#
    )
}

/// A 1.7 KB workbook with one cell at `address` (`ZZZZZZ2`: column 321 272 406).
pub fn far_cell_xlsx(address: &str) -> Vec<u8> {
    let xml = sheet_xml(&format!(
        r#"<c r="A2" t="inlineStr"><is><t>Lê Văn An</t></is></c><c r="{address}" t="inlineStr"><is><t>x</t></is></c>"#
    ));
    workbook_with_sheet(stored("xl/worksheets/sheet1.xml", xml.into_bytes()))
}

/// A workbook of about 1 MB whose sheet unpacks to one cell of `gigabytes` GB of "a".
/// With `honest` the archive says so; otherwise it claims the sheet is 4 KB.
pub fn zip_bomb_xlsx(gigabytes: u64, honest: bool) -> Vec<u8> {
    let full = sheet_xml(r#"<c r="A2" t="inlineStr"><is><t>CELL</t></is></c>"#);
    let (head, tail) = full.split_once("CELL").expect("marker");
    // Deflate blocks ending in a full flush stand alone: one compressed megabyte of "a"
    // repeated is a valid stream of as many megabytes, written in no time.
    let mut compress = Compress::new(Compression::best(), false);
    let mut deflate = |input: &[u8], flush: FlushCompress| {
        let mut out = Vec::with_capacity(input.len() / 100 + 1024);
        let before = compress.total_in();
        compress
            .compress_vec(input, &mut out, flush)
            .expect("deflate");
        assert_eq!(
            compress.total_in() - before,
            input.len() as u64,
            "room for the output"
        );
        out
    };
    let mut data = deflate(head.as_bytes(), FlushCompress::Full);
    let megabyte = deflate(&vec![b'a'; 1 << 20], FlushCompress::Full);
    for _ in 0..gigabytes * 1024 {
        data.extend_from_slice(&megabyte);
    }
    data.extend(deflate(tail.as_bytes(), FlushCompress::Finish));
    let unpacked = full.len() as u64 - 4 + gigabytes * (1 << 30);
    workbook_with_sheet(Part {
        name: "xl/worksheets/sheet1.xml".to_owned(),
        method: 8,
        crc: 0,
        data,
        declared_size: if honest { unpacked } else { 4096 },
    })
}

/// A CSV whose second row has `columns` cells.
pub fn wide_csv(columns: usize) -> Vec<u8> {
    let mut file = "Họ và tên,Năm sinh\n".as_bytes().to_vec();
    file.extend("a,".repeat(columns).as_bytes());
    file.push(b'\n');
    file
}

/// A register of `rows` one-cell rows.
pub fn long_csv(rows: usize) -> Vec<u8> {
    let mut file = "Họ và tên\n".as_bytes().to_vec();
    file.extend("An\n".repeat(rows).as_bytes());
    file
}

/// `length` bytes of noise (xorshift, fixed seed: the same file on every run).
pub fn garbage(length: usize) -> Vec<u8> {
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    (0..length)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect()
}

/// Writes a zip archive (no zip64: every part here is under 4 GB compressed, and sizes
/// over 4 GB are declared as 0xFFFFFFFF, which readers take as "see zip64" and refuse).
fn write_zip(parts: &[Part]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for part in parts {
        let offset = out.len() as u32;
        let size = u32::try_from(part.declared_size).unwrap_or(u32::MAX);
        let header = |signature: u32, central: bool| {
            let mut h = Vec::new();
            h.extend(signature.to_le_bytes());
            if central {
                h.extend(20u16.to_le_bytes()); // made by
            }
            h.extend(20u16.to_le_bytes()); // needed
            h.extend(0x0800u16.to_le_bytes()); // UTF-8 names
            h.extend(part.method.to_le_bytes());
            h.extend([0, 0, 0x21, 0]); // time, date (1980-01-01)
            h.extend(part.crc.to_le_bytes());
            h.extend((part.data.len() as u32).to_le_bytes());
            h.extend(size.to_le_bytes());
            h.extend((part.name.len() as u16).to_le_bytes());
            h.extend(0u16.to_le_bytes()); // extra
            if central {
                h.extend([0u8; 6]); // comment length, disk, internal attributes
                h.extend(0u32.to_le_bytes()); // external attributes
                h.extend(offset.to_le_bytes());
            }
            h.extend(part.name.as_bytes());
            h
        };
        out.extend(header(0x0403_4b50, false));
        out.extend(&part.data);
        central.extend(header(0x0201_4b50, true));
    }
    let directory_offset = out.len() as u32;
    out.extend(&central);
    out.extend(0x0605_4b50u32.to_le_bytes());
    out.extend([0u8; 4]); // disk numbers
    out.extend((parts.len() as u16).to_le_bytes());
    out.extend((parts.len() as u16).to_le_bytes());
    out.extend((central.len() as u32).to_le_bytes());
    out.extend(directory_offset.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}
