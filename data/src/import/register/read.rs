//! Reading a register row: where each field's column is, and a row's cells through the
//! registration form's own rules into a typed person, with every problem reported
//! against the header the person wrote. Nothing here decides whether the person is new.

use std::collections::HashMap;

use kynangso_domain::import::{RegisterField, birth_from_cells, parse_sex_cell};
use kynangso_domain::person::{ParticipantForm, Sex, normalize_code};
use kynangso_domain::text::search_key;

use super::known::Person;
use super::sessions::{SessionKey, Sessions};
use super::villages::Villages;
use crate::import::{ImportError, Report, table};

/// Where each field is, and the header to name in messages.
pub(super) struct Layout {
    index: HashMap<RegisterField, usize>,
    headers: Vec<String>,
}

/// A row that passed the form's rules.
pub(super) struct ReadRow {
    pub person: Person,
    pub code: Option<String>,
    /// The session the row says the person attended.
    pub session: Option<SessionKey>,
}

impl Layout {
    pub fn new(
        headers: &[String],
        columns: &[Option<RegisterField>],
    ) -> Result<Layout, ImportError> {
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
    pub fn header(&self, field: RegisterField) -> String {
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
    pub fn read(
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
