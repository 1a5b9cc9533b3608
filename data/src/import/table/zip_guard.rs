//! An Excel file checked as a zip archive before calamine opens it.
//!
//! calamine reads the shared strings whole when a workbook opens and each cell's text
//! whole before we see it, so a 1 MB file unpacking to one 1 GB cell took 4.2 GB of
//! memory (issue 20). Here every part is inflated once, into a small buffer that is
//! thrown away, counting the bytes that really come out: the sizes a zip declares can
//! lie. The XML is scanned for a text run longer than any cell may be. Inflating twice
//! costs about as much as reading the sheet once, and only for files within the limits.

use std::io::{Read, Seek};

use kynangso_domain::import::file::{
    FileProblem, MAX_SHARED_STRINGS_BYTES, MAX_UNPACKED_BYTES, MAX_XML_TEXT_BYTES, MAX_ZIP_ENTRIES,
};

/// Inflates every part of the archive within the limits; `Ok` when calamine may open it.
pub(super) fn check<R: Read + Seek>(input: &mut R) -> Result<(), FileProblem> {
    let mut archive = zip::ZipArchive::new(&mut *input).map_err(|_| FileProblem::BrokenWorkbook)?;
    if archive.len() > MAX_ZIP_ENTRIES {
        return Err(FileProblem::TooLargeUnpacked);
    }
    // What the archive says first: an honest bomb is refused without inflating anything.
    let mut declared = 0u64;
    for index in 0..archive.len() {
        let part = archive
            .by_index_raw(index)
            .map_err(|_| FileProblem::BrokenWorkbook)?;
        declared = declared.saturating_add(part.size());
        if declared > MAX_UNPACKED_BYTES
            || (is_shared_strings(part.name_raw()) && part.size() > MAX_SHARED_STRINGS_BYTES)
        {
            return Err(FileProblem::TooLargeUnpacked);
        }
    }
    // Then what really comes out.
    let mut buffer = vec![0u8; 64 * 1024];
    let mut unpacked = 0u64;
    for index in 0..archive.len() {
        let mut part = archive
            .by_index(index)
            .map_err(|_| FileProblem::BrokenWorkbook)?;
        let xml = is_xml(part.name_raw());
        let part_limit = if is_shared_strings(part.name_raw()) {
            MAX_SHARED_STRINGS_BYTES
        } else {
            MAX_UNPACKED_BYTES
        };
        let mut part_bytes = 0u64;
        let mut run = TextRun::default();
        loop {
            let read = match part.read(&mut buffer) {
                Ok(0) => break,
                Ok(read) => read,
                Err(_) => return Err(FileProblem::BrokenWorkbook),
            };
            unpacked += read as u64;
            part_bytes += read as u64;
            if unpacked > MAX_UNPACKED_BYTES || part_bytes > part_limit {
                return Err(FileProblem::TooLargeUnpacked);
            }
            if xml {
                run.feed(&buffer[..read])?;
            }
        }
    }
    drop(archive);
    input.rewind().map_err(|_| FileProblem::Io)
}

fn is_xml(name: &[u8]) -> bool {
    name.ends_with(b".xml") || name.ends_with(b".rels")
}

fn is_shared_strings(name: &[u8]) -> bool {
    name.eq_ignore_ascii_case(b"xl/sharedStrings.xml")
}

/// The length of the text since the last `<` or `>`, across buffer boundaries.
#[derive(Default)]
struct TextRun {
    length: usize,
}

impl TextRun {
    fn feed(&mut self, bytes: &[u8]) -> Result<(), FileProblem> {
        let mut rest = bytes;
        while let Some(at) = memchr::memchr2(b'<', b'>', rest) {
            if self.length + at > MAX_XML_TEXT_BYTES {
                return Err(FileProblem::HugeWorkbookText);
            }
            self.length = 0;
            rest = &rest[at + 1..];
        }
        self.length += rest.len();
        if self.length > MAX_XML_TEXT_BYTES {
            return Err(FileProblem::HugeWorkbookText);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_run_is_measured_across_buffers_and_reset_at_each_tag() {
        let mut run = TextRun::default();
        let half = vec![b'a'; MAX_XML_TEXT_BYTES / 2];
        assert_eq!(run.feed(&half), Ok(()));
        assert_eq!(run.feed(b"<t>"), Ok(()), "a tag starts a new run");
        assert_eq!(run.feed(&half), Ok(()));
        assert_eq!(run.feed(&half), Ok(()));
        assert_eq!(run.feed(b"ab"), Err(FileProblem::HugeWorkbookText));
    }
}
