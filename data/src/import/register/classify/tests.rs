//! The classifier's outcomes, without a database: each test builds the people known and
//! a read row by hand and checks the counts, the issues and the writes queued.

use kynangso_domain::import::RegisterField as F;
use kynangso_domain::person::{Sex, participant_code};
use kynangso_domain::text::search_key;
use uuid::Uuid;

use super::classify;
use crate::import::Report;
use crate::import::register::known::{Known, Person};
use crate::import::register::read::{Layout, ReadRow};
use crate::import::register::write::Batch;

const HEADERS: [&str; 7] = [
    "Mã người học",
    "Họ tên",
    "Năm sinh",
    "Giới tính",
    "SĐT",
    "Số CCCD",
    "Thôn",
];

fn layout() -> Layout {
    let headers: Vec<String> = HEADERS.iter().map(|h| (*h).to_owned()).collect();
    let columns = [
        F::Code,
        F::FullName,
        F::BirthYear,
        F::Sex,
        F::Phone,
        F::NationalId,
        F::Village,
    ]
    .map(Some);
    match Layout::new(&headers, &columns) {
        Ok(layout) => layout,
        Err(e) => panic!("a layout with a name and a birth year column: {e:?}"),
    }
}

fn person(name: &str, sex: Sex, year: i32) -> Person {
    Person {
        id: kynangso_domain::new_id(),
        full_name: name.to_owned(),
        key: search_key(name),
        sex,
        birth_date: None,
        birth_year: year,
        village_id: None,
        phone: None,
        national_id: None,
        from_row: None,
    }
}

/// A row of the file at `number`, read into `person`.
fn row(number: u64, mut person: Person, code: Option<String>) -> ReadRow {
    person.from_row = Some(number);
    ReadRow {
        person,
        code,
        session: None,
    }
}

/// The classifier's state across the rows of one file.
#[derive(Default)]
struct Run {
    known: Known,
    report: Report,
    batch: Batch,
}

impl Run {
    fn classify(&mut self, number: u64, read: ReadRow) -> Option<usize> {
        classify(
            read,
            number,
            &layout(),
            &mut self.known,
            &mut self.report,
            &mut self.batch,
        )
    }

    /// (column, message, warning) of every issue.
    fn issues(&self) -> Vec<(&str, &str, bool)> {
        self.report
            .issues
            .iter()
            .map(|i| (i.column.as_str(), i.message.as_str(), i.warning))
            .collect()
    }
}

#[test]
fn a_row_with_the_apps_own_code_updates_that_person_with_what_the_file_says() {
    let mut run = Run::default();
    let mut recorded = person("Nguyen Thi Hoa", Sex::Unknown, 1985);
    recorded.phone = Some("0912345678".to_owned());
    let hoa = run.known.add(recorded);
    let code = participant_code(run.known.people[hoa].id);
    let mut corrected = person("Nguyễn Thị Hoa", Sex::Female, 1986);
    corrected.phone = Some("0987654321".to_owned());

    let found = run.classify(2, row(2, corrected, Some(code)));

    assert_eq!(found, Some(hoa));
    assert_eq!(run.report.counts.updated, 1);
    assert_eq!(run.report.counts.new, 0);
    assert_eq!(run.batch.updated, vec![hoa]);
    assert!(run.batch.new.is_empty());
    let hoa = &run.known.people[hoa];
    assert_eq!(
        hoa.full_name, "Nguyễn Thị Hoa",
        "by code the file is the newer truth"
    );
    assert_eq!(hoa.birth_year, 1986);
    assert_eq!(hoa.sex, Sex::Female);
    assert_eq!(hoa.phone.as_deref(), Some("0987654321"));
    assert_eq!(hoa.from_row, None, "still the recorded person, not a row's");
    assert!(run.issues().is_empty(), "{:?}", run.issues());
}

#[test]
fn a_code_that_names_nobody_in_the_commune_rejects_the_row() {
    let mut run = Run::default();
    run.known.add(person("Nguyễn Thị Hoa", Sex::Female, 1985));

    let found = run.classify(
        3,
        row(
            3,
            person("Nguyễn Thị Hoa", Sex::Female, 1985),
            Some("ZZZZZZ".to_owned()),
        ),
    );

    assert_eq!(found, None);
    assert_eq!(run.report.counts.rejected, 1);
    assert_eq!(
        run.issues(),
        vec![("Mã người học", "Mã ZZZZZZ không có trong xã này.", false)]
    );
    assert_eq!(run.batch.len(), 0);
}

#[test]
fn a_sure_match_fills_in_what_the_record_lacks_and_keeps_what_it_has() {
    let mut run = Run::default();
    let village = Uuid::from_u128(1);
    let mut recorded = person("Nguyễn Thị Hoa", Sex::Female, 1985);
    recorded.village_id = Some(village);
    let hoa = run.known.add(recorded);
    let mut listed = person("NGUYEN THI HOA", Sex::Female, 1985);
    listed.phone = Some("0912345678".to_owned());
    listed.national_id = Some("066185001234".to_owned());
    listed.village_id = Some(Uuid::from_u128(2));

    let found = run.classify(4, row(4, listed, None));

    assert_eq!(found, Some(hoa));
    assert_eq!(run.report.counts.updated, 1);
    assert_eq!(run.batch.updated, vec![hoa]);
    let recorded = &run.known.people[hoa];
    assert_eq!(
        recorded.full_name, "Nguyễn Thị Hoa",
        "a name without diacritics does not overwrite one with them"
    );
    assert_eq!(recorded.phone.as_deref(), Some("0912345678"));
    assert_eq!(recorded.national_id.as_deref(), Some("066185001234"));
    assert_eq!(
        recorded.village_id,
        Some(village),
        "a differing village is kept"
    );
    assert_eq!(
        run.issues(),
        vec![(
            "Thôn",
            "Thôn khác với hồ sơ đã có; giữ thôn cũ (ghi mã người học để sửa).",
            true
        )]
    );

    // The filled-in CCCD now finds her: the same CCCD under another name is a suspect.
    let mut other = person("Lê Thị Hoa", Sex::Female, 1985);
    other.national_id = Some("066185001234".to_owned());
    assert_eq!(run.classify(5, row(5, other, None)), None);
    assert_eq!(run.report.counts.duplicate_suspects, 1);
}

#[test]
fn a_sure_match_with_nothing_new_is_unchanged_and_queues_no_write() {
    let mut run = Run::default();
    let hoa = run.known.add(person("Nguyễn Thị Hoa", Sex::Female, 1985));

    let found = run.classify(2, row(2, person("Nguyen Thi Hoa", Sex::Female, 1985), None));

    assert_eq!(found, Some(hoa));
    assert_eq!(run.report.counts.unchanged, 1);
    assert_eq!(run.report.counts.updated, 0);
    assert_eq!(run.batch.len(), 0);
    assert!(run.issues().is_empty(), "{:?}", run.issues());
}

#[test]
fn a_person_a_year_apart_is_a_suspect_left_for_a_person_to_decide() {
    let mut run = Run::default();
    let hoa = run.known.add(person("Nguyễn Thị Hoa", Sex::Female, 1985));
    let code = participant_code(run.known.people[hoa].id);

    let found = run.classify(6, row(6, person("Nguyễn Thị Hoa", Sex::Female, 1986), None));

    assert_eq!(found, None);
    assert_eq!(run.report.counts.duplicate_suspects, 1);
    assert_eq!(run.report.counts.new, 0);
    assert_eq!(run.batch.len(), 0);
    assert_eq!(run.known.people.len(), 1, "nobody is added");
    let issues = run.issues();
    assert_eq!(issues.len(), 1);
    let (column, message, warning) = issues[0];
    assert_eq!(column, "Họ tên");
    assert!(warning);
    assert!(
        message.contains(&format!("Nguyễn Thị Hoa (mã {code}, sinh 1985)")),
        "the message names the recorded person: {message}"
    );
}

#[test]
fn the_same_cccd_under_another_name_is_a_suspect() {
    let mut run = Run::default();
    let mut recorded = person("Lê Văn Tám", Sex::Male, 1970);
    recorded.national_id = Some("066070001234".to_owned());
    run.known.add(recorded);
    let mut listed = person("Lê Tám", Sex::Male, 1971);
    listed.national_id = Some("066070001234".to_owned());

    let found = run.classify(7, row(7, listed, None));

    assert_eq!(found, None);
    assert_eq!(run.report.counts.duplicate_suspects, 1);
    assert_eq!(run.batch.len(), 0);
    assert_eq!(run.known.people.len(), 1);
    assert!(run.issues()[0].1.starts_with("Có thể trùng với Lê Văn Tám"));
}

#[test]
fn a_row_like_an_earlier_row_of_the_same_file_is_a_suspect() {
    let mut run = Run::default();
    let first = run.classify(2, row(2, person("Y Bhin Êban", Sex::Male, 1990), None));
    assert!(first.is_some());

    let found = run.classify(9, row(9, person("Y Bhin Êban", Sex::Male, 1991), None));

    assert_eq!(found, None);
    assert_eq!(run.report.counts.new, 1);
    assert_eq!(run.report.counts.duplicate_suspects, 1);
    assert_eq!(run.batch.new.len(), 1, "only the first row is created");
    assert_eq!(
        run.issues(),
        vec![(
            "Họ tên",
            "Có thể trùng với dòng 2 của tệp; dòng này chưa được nhập.",
            true
        )]
    );
}

#[test]
fn the_same_person_twice_in_one_file_is_created_once_with_a_remark() {
    let mut run = Run::default();
    let first = run.classify(2, row(2, person("Y Bhin Êban", Sex::Male, 1990), None));

    let again = run.classify(8, row(8, person("Y Bhin Eban", Sex::Male, 1990), None));

    assert_eq!(again, first);
    assert_eq!(run.report.counts.new, 1);
    assert_eq!(run.report.counts.unchanged, 1);
    assert_eq!(run.batch.new.len(), 1);
    assert!(run.batch.updated.is_empty());
    assert_eq!(
        run.issues(),
        vec![(
            "Họ tên",
            "Người này đã có ở dòng 2 của tệp; không tạo thêm người mới.",
            true
        )]
    );
}

#[test]
fn anyone_else_is_a_new_person_queued_for_creation() {
    let mut run = Run::default();
    run.known.add(person("Nguyễn Thị Hoa", Sex::Female, 1985));
    let mut listed = person("Trần Văn Nam", Sex::Male, 2001);
    listed.phone = Some("0912345678".to_owned());

    let found = run.classify(3, row(3, listed, None));

    let Some(index) = found else {
        panic!("a new person is the row's person")
    };
    assert_eq!(run.report.counts.new, 1);
    assert_eq!(run.batch.new, vec![index]);
    assert!(run.batch.updated.is_empty());
    let added = &run.known.people[index];
    assert_eq!(added.full_name, "Trần Văn Nam");
    assert_eq!(
        added.from_row,
        Some(3),
        "later rows are told which row added them"
    );
    assert!(run.issues().is_empty(), "{:?}", run.issues());
}
