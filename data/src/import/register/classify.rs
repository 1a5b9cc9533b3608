//! Classifying a read row against the people already known: the app's own code updates
//! that person, a sure match fills in what the record lacks, a possible match (a year
//! apart, a contradicting detail, the same CCCD, an earlier row of the same file) is left
//! for a person to decide, and anyone else is new. Pure: it changes the in-memory index,
//! the report and the batch of writes, never the database, so it is tested without one.

use kynangso_domain::import::RegisterField;
use kynangso_domain::person::{Sex, participant_code};

use super::known::{Known, Match, Person};
use super::read::{Layout, ReadRow};
use super::write::Batch;
use crate::import::Report;

#[cfg(test)]
mod tests;

/// New, updated, unchanged or left out: counts, issues and the writes to make. The person
/// the row stands for, unless it was left out.
pub(super) fn classify(
    read: ReadRow,
    number: u64,
    layout: &Layout,
    known: &mut Known,
    report: &mut Report,
    batch: &mut Batch,
) -> Option<usize> {
    let code_header = layout.header(RegisterField::Code);
    let name_header = layout.header(RegisterField::FullName);
    let by_code = read.code.is_some();
    let has_session = read.session.is_some();
    let found = match &read.code {
        Some(code) => known.by_code(code),
        None => known.find(&read.person),
    };
    match found {
        Match::UnknownCode => {
            report.counts.rejected += 1;
            let code = read.code.unwrap_or_default();
            report.error(
                number,
                &code_header,
                format!("Mã {code} không có trong xã này."),
            );
            None
        }
        Match::AmbiguousCode => {
            report.counts.rejected += 1;
            report.error(
                number,
                &code_header,
                "Mã này trùng với nhiều người; hãy xoá mã ở dòng này để nhập theo họ tên.",
            );
            None
        }
        Match::Nobody => {
            report.counts.new += 1;
            let index = known.add(read.person);
            batch.new.push(index);
            Some(index)
        }
        Match::Suspect(index) => {
            report.counts.duplicate_suspects += 1;
            report.warning(number, &name_header, suspect_message(&known.people[index]));
            None
        }
        Match::Same(index) => {
            // A person listed twice in one file is one person: a session register lists
            // them once per class, so a repeat there needs no remark.
            if let Some(first) = known.people[index]
                .from_row
                .filter(|_| !by_code && !has_session)
            {
                report.warning(
                    number,
                    &name_header,
                    format!("Người này đã có ở dòng {first} của tệp; không tạo thêm người mới."),
                );
            }
            let changed = merge(
                &mut known.people[index],
                read.person,
                by_code,
                number,
                layout,
                report,
            );
            if changed {
                known.note_national_id(index);
                report.counts.updated += 1;
                if !batch.new.contains(&index) && !batch.updated.contains(&index) {
                    batch.updated.push(index);
                }
            } else {
                report.counts.unchanged += 1;
            }
            Some(index)
        }
    }
}

fn suspect_message(other: &Person) -> String {
    match other.from_row {
        Some(row) => format!("Có thể trùng với dòng {row} của tệp; dòng này chưa được nhập."),
        None => format!(
            "Có thể trùng với {} (mã {}, sinh {}) đã có trong xã; dòng này chưa được nhập — hãy kiểm tra rồi ghi mã người đó vào cột Mã nếu đúng là một người.",
            other.full_name,
            participant_code(other.id),
            other.birth_year
        ),
    }
}

/// Applies the row to the record it names. By code the file is the newer truth; by name
/// only blanks are filled in (a file without diacritics must not overwrite a name that
/// has them), and a differing phone or village is only pointed out.
fn merge(
    existing: &mut Person,
    row: Person,
    by_code: bool,
    number: u64,
    layout: &Layout,
    report: &mut Report,
) -> bool {
    let before = existing.clone();
    if by_code {
        existing.full_name = row.full_name;
        existing.key = row.key;
        existing.birth_year = row.birth_year;
        existing.birth_date = row.birth_date;
    } else if existing.birth_date.is_none() {
        existing.birth_date = row.birth_date;
    }
    if row.sex != Sex::Unknown && (by_code || existing.sex == Sex::Unknown) {
        existing.sex = row.sex;
    }
    let mut fill = |current: &mut Option<String>, new: Option<String>, field: RegisterField| match (
        current.as_ref(),
        new,
    ) {
        (_, None) => {}
        (None, Some(new)) => *current = Some(new),
        (Some(old), Some(new)) if *old != new => {
            if by_code {
                *current = Some(new);
            } else {
                report.warning(
                    number,
                    &layout.header(field),
                    "Khác với hồ sơ đã có; giữ giá trị cũ (ghi mã người học để sửa).",
                );
            }
        }
        _ => {}
    };
    fill(&mut existing.phone, row.phone, RegisterField::Phone);
    fill(
        &mut existing.national_id,
        row.national_id,
        RegisterField::NationalId,
    );
    match (existing.village_id, row.village_id) {
        (_, None) => {}
        (None, Some(v)) => existing.village_id = Some(v),
        (Some(old), Some(new)) if old != new => {
            if by_code {
                existing.village_id = Some(new);
            } else {
                report.warning(
                    number,
                    &layout.header(RegisterField::Village),
                    "Thôn khác với hồ sơ đã có; giữ thôn cũ (ghi mã người học để sửa).",
                );
            }
        }
        _ => {}
    }
    existing.full_name != before.full_name
        || existing.sex != before.sex
        || existing.birth_date != before.birth_date
        || existing.birth_year != before.birth_year
        || existing.village_id != before.village_id
        || existing.phone != before.phone
        || existing.national_id != before.national_id
}
