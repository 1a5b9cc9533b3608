//! Importing a commune's participant register from Excel or CSV into the caller's
//! commune: the columns are recognised from their headers (or chosen by the person),
//! each row goes through the same rules as the registration form, and each row is
//! matched against the people already recorded so that nobody is created twice.
//!
//! - A row with the app's own code updates that person (the round trip of the export).
//! - A row that surely names a recorded person fills in what that record lacks.
//! - A row that only may name one (a year apart, a contradicting detail, the same CCCD,
//!   an earlier row of the same file) is left out and listed for a person to decide.
//! - Everything else is a new person, with the consent the importer confirmed.
//!
//! Writes go in batches of `BATCH_ROWS` rows, each one transaction that also records the
//! progress: other people's work is never held up for long, and a failed import resumes
//! by running again (what was written is found "unchanged").

mod known;
mod sessions;

use std::collections::HashMap;

use chrono::Utc;
use kynangso_domain::UnitKind;
use kynangso_domain::format::today_in_vietnam;
use kynangso_domain::import::{
    RegisterField, birth_from_cells, guess_register_columns, header_key, parse_sex_cell,
};
use kynangso_domain::person::{ParticipantForm, Sex, normalize_code, participant_code};
use kynangso_domain::text::search_key;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use self::known::{Known, Match, Person};
use self::sessions::{SessionKey, Sessions};
use super::{ImportError, Mode, Progress, Report, Source, table, uploads};
use crate::audit;
use crate::entities::{admin_unit, attendance, consent, participant};
use crate::participants::{CONSENT_STATEMENT, TRAINING_CONSENT_PURPOSE};

/// Rows written per transaction.
pub const BATCH_ROWS: usize = 500;

/// Who imports into which commune, and how the columns are read.
#[derive(Debug, Clone)]
pub struct RegisterImport {
    pub commune: Uuid,
    pub actor: Uuid,
    pub client: Option<String>,
    /// The field of each column; `None` guesses from the header row.
    pub columns: Option<Vec<Option<RegisterField>>>,
    /// The uploaded file whose progress to keep, for the web import.
    pub upload: Option<Uuid>,
}

/// The header row, the columns as read, and what happened to every row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterOutcome {
    pub headers: Vec<String>,
    pub columns: Vec<Option<RegisterField>>,
    pub report: Report,
}

/// Reads the register in `source` and, with `Mode::Apply`, writes it.
#[tracing::instrument(skip_all, fields(commune = %job.commune, mode = ?mode))]
pub async fn import_register(
    db: &DatabaseConnection,
    job: &RegisterImport,
    source: Source,
    mode: Mode,
    progress: &mut Progress<'_>,
) -> Result<RegisterOutcome, ImportError> {
    let mut rows = table::open(source);
    let headers = match rows.next().await {
        None => return Err(ImportError::Layout("Tệp không có dòng nào.".to_owned())),
        Some(header) => header?.cells,
    };
    let columns = match &job.columns {
        Some(chosen) => checked_mapping(chosen, headers.len())?,
        None => guess_register_columns(&headers),
    };
    let layout = Layout::new(&headers, &columns)?;
    let villages = Villages::load(db, job.commune).await?;
    let mut sessions = Sessions::load(db, job.commune).await?;
    let mut known = load_known(db, job.commune).await?;
    let today = today_in_vietnam(Utc::now());
    let mut report = Report::default();
    let mut batch = Batch::default();
    while let Some(row) = rows.next().await {
        let row = row?;
        report.counts.rows += 1;
        let Some(read) = layout.read(&row, &villages, &sessions, today, &mut report) else {
            report.counts.rejected += 1;
            continue;
        };
        let session = read.session.clone();
        let person = classify(
            read,
            row.number,
            &layout,
            &mut known,
            &mut report,
            &mut batch,
        );
        if let (Some(person), Some(key)) = (person, session) {
            let sessions_before = sessions.pending.len();
            let session = sessions.session_for(key);
            report.counts.sessions_new += (sessions.pending.len() - sessions_before) as u64;
            report.counts.attendance += 1;
            batch.attendance.push((session, person));
        }
        if mode == Mode::Apply && batch.len() >= BATCH_ROWS {
            batch
                .write(db, job, &known, &mut sessions, report.counts.rows, false)
                .await?;
            progress(report.counts.rows);
        }
    }
    if report.counts.rows == 0 {
        return Err(ImportError::Layout(
            "Tệp chỉ có dòng tiêu đề, không có dòng dữ liệu nào.".to_owned(),
        ));
    }
    if mode == Mode::Apply {
        batch
            .write(db, job, &known, &mut sessions, report.counts.rows, true)
            .await?;
        progress(report.counts.rows);
    }
    Ok(RegisterOutcome {
        headers,
        columns,
        report,
    })
}

/// A mapping the person chose: no field twice, no column beyond the file's.
fn checked_mapping(
    chosen: &[Option<RegisterField>],
    width: usize,
) -> Result<Vec<Option<RegisterField>>, ImportError> {
    let mut seen = Vec::new();
    for field in chosen.iter().flatten() {
        if seen.contains(field) {
            return Err(ImportError::Layout(format!(
                "Cột \"{}\" được chọn hai lần.",
                field.label_vi()
            )));
        }
        seen.push(*field);
    }
    let mut columns = chosen.to_vec();
    columns.resize(width, None);
    Ok(columns)
}

/// Where each field is, and the header to name in messages.
struct Layout {
    index: HashMap<RegisterField, usize>,
    headers: Vec<String>,
}

/// A row that passed the form's rules.
struct ReadRow {
    person: Person,
    code: Option<String>,
    /// The session the row says the person attended.
    session: Option<SessionKey>,
}

impl Layout {
    fn new(headers: &[String], columns: &[Option<RegisterField>]) -> Result<Layout, ImportError> {
        let index: HashMap<RegisterField, usize> = columns
            .iter()
            .enumerate()
            .filter_map(|(i, f)| f.map(|f| (f, i)))
            .collect();
        let mut missing = Vec::new();
        if !index.contains_key(&RegisterField::FullName) {
            missing.push("Họ và tên");
        }
        if !index.contains_key(&RegisterField::BirthDate)
            && !index.contains_key(&RegisterField::BirthYear)
        {
            missing.push("Ngày sinh hoặc Năm sinh");
        }
        if !missing.is_empty() {
            return Err(ImportError::Layout(format!(
                "Không tìm thấy cột: {}. Hãy chọn cột tương ứng.",
                missing.join(", ")
            )));
        }
        Ok(Layout {
            index,
            headers: headers.to_vec(),
        })
    }

    fn cell<'r>(&self, row: &'r table::Row, field: RegisterField) -> &'r str {
        self.index.get(&field).map_or("", |&i| row.cell(i))
    }

    /// The header of `field`'s column (or of the birth column in use).
    fn header(&self, field: RegisterField) -> String {
        let field = match field {
            RegisterField::BirthDate | RegisterField::BirthYear
                if !self.index.contains_key(&field) =>
            {
                if field == RegisterField::BirthDate {
                    RegisterField::BirthYear
                } else {
                    RegisterField::BirthDate
                }
            }
            other => other,
        };
        self.index
            .get(&field)
            .and_then(|&i| self.headers.get(i))
            .filter(|h| !h.is_empty())
            .cloned()
            .unwrap_or_else(|| field.label_vi().to_owned())
    }

    /// The row through the registration form's rules; every problem goes to `report`.
    fn read(
        &self,
        row: &table::Row,
        villages: &Villages,
        sessions: &Sessions,
        today: chrono::NaiveDate,
        report: &mut Report,
    ) -> Option<ReadRow> {
        use RegisterField as F;
        let mut failed = false;
        let mut fail = |report: &mut Report, field: F, message: &str| {
            report.error(row.number, &self.header(field), message);
            failed = true;
        };
        let sex = parse_sex_cell(self.cell(row, F::Sex)).unwrap_or_else(|message| {
            fail(report, F::Sex, message);
            Sex::Unknown
        });
        let (birth_date, birth_year) =
            birth_from_cells(self.cell(row, F::BirthDate), self.cell(row, F::BirthYear))
                .unwrap_or_else(|message| {
                    fail(report, F::BirthDate, message);
                    (String::new(), "1900".to_owned())
                });
        let session = sessions
            .read(
                self.cell(row, F::SessionDate),
                self.cell(row, F::Modules),
                today,
            )
            .unwrap_or_else(|(day_column, message)| {
                let field = if day_column {
                    F::SessionDate
                } else {
                    F::Modules
                };
                fail(report, field, &message);
                None
            });
        let village_text = self.cell(row, F::Village);
        let village_id = villages.find(village_text);
        let form = ParticipantForm {
            id: kynangso_domain::new_id().to_string(),
            full_name: self.cell(row, F::FullName).to_owned(),
            sex: sex.as_str().to_owned(),
            birth_date,
            birth_year,
            village_id: village_id.map(|v| v.to_string()).unwrap_or_default(),
            phone: self.cell(row, F::Phone).to_owned(),
            national_id: self.cell(row, F::NationalId).to_owned(),
            consent: Some("on".to_owned()),
            ..Default::default()
        };
        let valid = match form.validate(today) {
            Ok(valid) => valid,
            Err(errors) => {
                for error in errors {
                    let field = match error.field.as_str() {
                        "full_name" => F::FullName,
                        "birth_date" => F::BirthDate,
                        "birth_year" => F::BirthYear,
                        "phone" => F::Phone,
                        "national_id" => F::NationalId,
                        "village_id" => F::Village,
                        _ => F::Sex,
                    };
                    fail(report, field, &error.message);
                }
                return None;
            }
        };
        if failed {
            return None;
        }
        // Said only of rows that go in: a rejected row's village does not matter.
        if village_id.is_none() && !village_text.is_empty() {
            report.warning(
                row.number,
                &self.header(F::Village),
                format!(
                    "Xã không có thôn, buôn \"{village_text}\"; người này được nhập không có thôn."
                ),
            );
        }
        let code = Some(normalize_code(self.cell(row, F::Code))).filter(|c| !c.is_empty());
        Some(ReadRow {
            code,
            session,
            person: Person {
                id: valid.id,
                key: search_key(&valid.full_name),
                full_name: valid.full_name,
                sex: valid.sex,
                birth_date: valid.birth_date,
                birth_year: valid.birth_year,
                village_id: valid.village_id,
                phone: valid.phone.map(|p| p.as_str().to_owned()),
                national_id: valid.national_id.map(|n| n.as_str().to_owned()),
                from_row: Some(row.number),
            },
        })
    }
}

/// New, updated, unchanged or left out: counts, issues and the writes to make. The person
/// the row stands for, unless it was left out.
fn classify(
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

/// The commune's villages by name, with and without "Thôn"/"Buôn"/… in front.
struct Villages {
    exact: HashMap<String, Option<Uuid>>,
    bare: HashMap<String, Option<Uuid>>,
}

const VILLAGE_WORDS: [&str; 9] = [
    "thon ",
    "buon ",
    "to dan pho ",
    "tdp ",
    "xom ",
    "ap ",
    "khoi ",
    "khu pho ",
    "to ",
];

fn bare_village(key: &str) -> &str {
    VILLAGE_WORDS
        .iter()
        .find_map(|w| key.strip_prefix(w))
        .unwrap_or(key)
}

impl Villages {
    async fn load(db: &DatabaseConnection, commune: Uuid) -> Result<Villages, ImportError> {
        let rows = admin_unit::Entity::find()
            .filter(admin_unit::Column::ParentId.eq(commune))
            .filter(admin_unit::Column::Kind.eq(UnitKind::Village.as_str()))
            .filter(admin_unit::Column::ValidTo.is_null())
            .all(db)
            .await?;
        let mut villages = Villages {
            exact: HashMap::new(),
            bare: HashMap::new(),
        };
        for village in rows {
            let key = header_key(&village.name);
            // Two villages with one name: neither is chosen by that name.
            let note = |map: &mut HashMap<String, Option<Uuid>>, k: String| {
                map.entry(k)
                    .and_modify(|v| *v = None)
                    .or_insert(Some(village.id));
            };
            note(&mut villages.bare, bare_village(&key).to_owned());
            note(&mut villages.exact, key);
        }
        Ok(villages)
    }

    fn find(&self, text: &str) -> Option<Uuid> {
        let key = header_key(text);
        if key.is_empty() {
            return None;
        }
        match self.exact.get(&key) {
            Some(found) => *found,
            None => self.bare.get(bare_village(&key)).copied().flatten(),
        }
    }
}

/// The commune's people as they stand: not merged away, consent not withdrawn. Read in
/// pages of the columns matching needs, so a commune of 100 000 people never sits in
/// memory twice (as database rows and as the index).
async fn load_known(db: &DatabaseConnection, commune: Uuid) -> Result<Known, ImportError> {
    type Columns = (
        Uuid,
        String,
        String,
        String,
        Option<chrono::NaiveDate>,
        i32,
        Option<Uuid>,
        Option<String>,
        Option<String>,
    );
    const PAGE: u64 = 5_000;
    let mut known = Known::default();
    let mut after = Uuid::nil();
    loop {
        let page: Vec<Columns> = participant::Entity::find()
            .select_only()
            .columns([
                participant::Column::Id,
                participant::Column::SearchKey,
                participant::Column::FullName,
                participant::Column::Sex,
                participant::Column::BirthDate,
                participant::Column::BirthYear,
                participant::Column::VillageId,
                participant::Column::Phone,
                participant::Column::NationalId,
            ])
            .filter(participant::Column::HomeUnitId.eq(commune))
            .filter(participant::Column::MergedIntoId.is_null())
            .filter(participant::Column::ConsentWithdrawnAt.is_null())
            .filter(participant::Column::Id.gt(after))
            .order_by_asc(participant::Column::Id)
            .limit(PAGE)
            .into_tuple()
            .all(db)
            .await?;
        let full = page.len() as u64 == PAGE;
        for (id, key, full_name, sex, birth_date, birth_year, village_id, phone, national_id) in
            page
        {
            after = id;
            known.add(Person {
                id,
                key,
                full_name,
                sex: Sex::parse(&sex).unwrap_or(Sex::Unknown),
                birth_date,
                birth_year,
                village_id,
                phone,
                national_id,
                from_row: None,
            });
        }
        if !full {
            return Ok(known);
        }
    }
}

/// The writes waiting for the next transaction, as indexes into `Known::people`.
#[derive(Default)]
struct Batch {
    new: Vec<usize>,
    updated: Vec<usize>,
    /// (session, person) rosters to be on.
    attendance: Vec<(Uuid, usize)>,
}

impl Batch {
    fn len(&self) -> usize {
        self.new.len() + self.updated.len() + self.attendance.len()
    }

    /// One transaction: the new people with their consent, the updates (and the coverage
    /// rows they move), an audit entry, and the progress.
    async fn write(
        &mut self,
        db: &DatabaseConnection,
        job: &RegisterImport,
        known: &Known,
        sessions: &mut Sessions,
        rows_done: u64,
        last: bool,
    ) -> Result<(), ImportError> {
        let now = Utc::now();
        let txn = db.begin().await?;
        if !self.new.is_empty() {
            let people = self.new.iter().map(|&i| {
                let p = &known.people[i];
                participant::ActiveModel {
                    id: Set(p.id),
                    full_name: Set(p.full_name.clone()),
                    search_key: Set(p.key.clone()),
                    sex: Set(p.sex.as_str().to_owned()),
                    birth_date: Set(p.birth_date),
                    birth_year: Set(p.birth_year),
                    home_unit_id: Set(job.commune),
                    village_id: Set(p.village_id),
                    phone: Set(p.phone.clone()),
                    national_id: Set(p.national_id.clone()),
                    merged_into_id: Set(None),
                    created_by: Set(Some(job.actor)),
                    created_at: Set(now),
                    updated_at: Set(now),
                    consent_withdrawn_at: Set(None),
                }
            });
            participant::Entity::insert_many(people)
                .on_conflict(
                    OnConflict::column(participant::Column::Id)
                        .do_nothing()
                        .to_owned(),
                )
                .exec_without_returning(&txn)
                .await?;
            let consents = self.new.iter().map(|&i| consent::ActiveModel {
                id: Set(kynangso_domain::new_id()),
                participant_id: Set(known.people[i].id),
                purpose: Set(TRAINING_CONSENT_PURPOSE.to_owned()),
                statement: Set(CONSENT_STATEMENT.to_owned()),
                granted_at: Set(now),
                recorded_by: Set(Some(job.actor)),
                withdrawn_at: Set(None),
                withdrawn_by: Set(None),
            });
            consent::Entity::insert_many(consents)
                .exec_without_returning(&txn)
                .await?;
        }
        let mut moved = Vec::with_capacity(self.updated.len());
        for &i in &self.updated {
            let p = &known.people[i];
            participant::ActiveModel {
                id: Set(p.id),
                full_name: Set(p.full_name.clone()),
                search_key: Set(p.key.clone()),
                sex: Set(p.sex.as_str().to_owned()),
                birth_date: Set(p.birth_date),
                birth_year: Set(p.birth_year),
                village_id: Set(p.village_id),
                phone: Set(p.phone.clone()),
                national_id: Set(p.national_id.clone()),
                updated_at: Set(now),
                ..Default::default()
            }
            .update(&txn)
            .await?;
            moved.push(p.id);
        }
        sessions
            .write(&txn, job.commune, job.actor, "Nhập từ sổ tập huấn")
            .await?;
        if !self.attendance.is_empty() {
            let marks = self
                .attendance
                .iter()
                .map(|&(session, i)| attendance::ActiveModel {
                    id: Set(kynangso_domain::new_id()),
                    session_id: Set(session),
                    participant_id: Set(known.people[i].id),
                    status: Set(kynangso_domain::attendance::AttendanceStatus::Present),
                    marked_by: Set(Some(job.actor)),
                    marked_at: Set(now),
                });
            attendance::Entity::insert_many(marks)
                .on_conflict(
                    OnConflict::columns([
                        attendance::Column::SessionId,
                        attendance::Column::ParticipantId,
                    ])
                    .do_nothing()
                    .to_owned(),
                )
                .exec_without_returning(&txn)
                .await?;
            moved.extend(self.attendance.iter().map(|&(_, i)| known.people[i].id));
            moved.sort();
            moved.dedup();
        }
        // Sex, birth date, village and attendance feed the coverage counts.
        crate::standings::refresh(&txn, &moved).await?;
        if self.len() > 0 || last {
            audit::record(
                &txn,
                audit::AuditEntry {
                    actor_user_id: Some(job.actor),
                    action: "import",
                    entity: "participant",
                    scope_unit_id: Some(job.commune),
                    after: Some(json!({
                        "created": self.new.len(),
                        "updated": self.updated.len(),
                        "attendance": self.attendance.len(),
                        "rows_read": rows_done,
                    })),
                    client: job.client.clone(),
                    ..Default::default()
                },
            )
            .await?;
        }
        if let Some(upload) = job.upload {
            uploads::set_progress(&txn, upload, rows_done).await?;
        }
        txn.commit().await?;
        self.new.clear();
        self.updated.clear();
        self.attendance.clear();
        Ok(())
    }
}
