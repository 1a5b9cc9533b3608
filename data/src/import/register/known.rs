//! The people a commune already has, indexed the ways an imported row can name them:
//! by the app's short code, by accent-free name and birth year, and by CCCD. Rows the
//! import adds join the index as it goes, so a person listed twice in one file is caught
//! like a person already recorded — in the dry run and the real run alike.
//! Loaded once per import from the commune's current people.

use std::collections::HashMap;

use chrono::NaiveDate;
use kynangso_domain::person::{Sex, participant_code};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::entities::participant;
use crate::import::ImportError;

/// What matching needs of one person.
#[derive(Debug, Clone)]
pub struct Person {
    pub id: Uuid,
    pub full_name: String,
    pub key: String,
    pub sex: Sex,
    pub birth_date: Option<NaiveDate>,
    pub birth_year: i32,
    pub village_id: Option<Uuid>,
    pub phone: Option<String>,
    pub national_id: Option<String>,
    /// The file row that added this person, when it was this import.
    pub from_row: Option<u64>,
}

/// How an imported row relates to the people known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Match {
    /// Nobody like this: a new person.
    Nobody,
    /// This person, by code or by an exact match of name, birth and sex.
    Same(usize),
    /// Someone this might be, but not surely: the row is left out for a person to decide.
    Suspect(usize),
    /// The code names several people (codes are short hashes).
    AmbiguousCode,
    /// The code names nobody in this commune.
    UnknownCode,
}

#[derive(Debug, Default)]
pub struct Known {
    pub people: Vec<Person>,
    by_code: HashMap<String, Vec<usize>>,
    by_name: HashMap<String, Vec<usize>>,
    by_national_id: HashMap<String, usize>,
}

impl Known {
    /// The commune's people as they stand: not merged away, consent not withdrawn. Read in
    /// pages of the columns matching needs, so a commune of 100 000 people never sits in
    /// memory twice (as database rows and as the index).
    pub async fn load(db: &DatabaseConnection, commune: Uuid) -> Result<Known, ImportError> {
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

    pub fn add(&mut self, person: Person) -> usize {
        let index = self.people.len();
        self.by_code
            .entry(participant_code(person.id))
            .or_default()
            .push(index);
        self.by_name
            .entry(person.key.clone())
            .or_default()
            .push(index);
        if let Some(id) = &person.national_id {
            self.by_national_id.entry(id.clone()).or_insert(index);
        }
        self.people.push(person);
        index
    }

    /// Re-indexes a person whose CCCD was filled in.
    pub fn note_national_id(&mut self, index: usize) {
        if let Some(id) = self.people[index].national_id.clone() {
            self.by_national_id.entry(id).or_insert(index);
        }
    }

    pub fn by_code(&self, code: &str) -> Match {
        match self.by_code.get(code).map(Vec::as_slice) {
            None | Some([]) => Match::UnknownCode,
            Some([one]) => Match::Same(*one),
            Some(_) => Match::AmbiguousCode,
        }
    }

    /// The same person: same name key and birth year, sexes and full dates that do not
    /// contradict each other. Someone close (a year apart, or a contradicting sex or
    /// date, or the same CCCD under another name) is a suspect.
    pub fn find(&self, row: &Person) -> Match {
        let candidates = self.by_name.get(&row.key).map(Vec::as_slice).unwrap_or(&[]);
        let mut same = candidates.iter().copied().filter(|&i| {
            let p = &self.people[i];
            p.birth_year == row.birth_year
                && compatible(p.sex, row.sex, Sex::Unknown)
                && compatible(p.birth_date, row.birth_date, None)
        });
        if let Some(first) = same.next() {
            return if same.next().is_some() {
                Match::Suspect(first)
            } else {
                Match::Same(first)
            };
        }
        if let Some(&close) = candidates
            .iter()
            .find(|&&i| (self.people[i].birth_year - row.birth_year).abs() <= 1)
        {
            return Match::Suspect(close);
        }
        match row
            .national_id
            .as_ref()
            .and_then(|id| self.by_national_id.get(id))
        {
            Some(&i) => Match::Suspect(i),
            None => Match::Nobody,
        }
    }
}

/// Two values agree when equal or when either is unknown.
fn compatible<T: PartialEq>(a: T, b: T, unknown: T) -> bool {
    a == b || a == unknown || b == unknown
}

#[cfg(test)]
mod tests {
    use super::*;
    use kynangso_domain::text::search_key;

    fn person(name: &str, sex: Sex, year: i32, date: Option<(u32, u32)>) -> Person {
        Person {
            id: kynangso_domain::new_id(),
            full_name: name.to_owned(),
            key: search_key(name),
            sex,
            birth_date: date.and_then(|(m, d)| NaiveDate::from_ymd_opt(year, m, d)),
            birth_year: year,
            village_id: None,
            phone: None,
            national_id: None,
            from_row: None,
        }
    }

    #[test]
    fn the_same_person_is_found_whatever_the_accents_and_missing_details() {
        let mut known = Known::default();
        let hoa = known.add(person("Nguyễn Thị Hoa", Sex::Female, 1985, Some((3, 7))));
        let find = |p| known.find(&p);
        assert_eq!(
            find(person("NGUYEN THI HOA", Sex::Female, 1985, None)),
            Match::Same(hoa)
        );
        assert_eq!(
            find(person("Nguyễn Thị Hoa", Sex::Unknown, 1985, Some((3, 7)))),
            Match::Same(hoa)
        );
        assert_eq!(
            find(person("Nguyễn Thị Hoa", Sex::Female, 1985, Some((4, 7)))),
            Match::Suspect(hoa),
            "another date in the same year may be a typing error: a person decides"
        );
        assert_eq!(
            find(person("Nguyễn Thị Hoa", Sex::Female, 1986, None)),
            Match::Suspect(hoa)
        );
        assert_eq!(
            find(person("Nguyễn Thị Hòa", Sex::Female, 1985, None)),
            Match::Same(hoa)
        );
        assert_eq!(
            find(person("Nguyễn Thị Hoà Bình", Sex::Female, 1985, None)),
            Match::Nobody
        );
    }

    #[test]
    fn two_people_with_one_name_and_year_make_any_third_a_suspect() {
        let mut known = Known::default();
        let first = known.add(person("Y Bhin Êban", Sex::Male, 1990, None));
        known.add(person("Y Bhin Êban", Sex::Male, 1990, None));
        assert_eq!(
            known.find(&person("Y Bhin Êban", Sex::Male, 1990, None)),
            Match::Suspect(first)
        );
    }

    #[test]
    fn a_known_national_id_under_another_name_is_a_suspect() {
        let mut known = Known::default();
        let mut a = person("Lê Văn Tám", Sex::Male, 1970, None);
        a.national_id = Some("066070001234".to_owned());
        let tam = known.add(a);
        let mut b = person("Lê Tám", Sex::Male, 1970, None);
        b.national_id = Some("066070001234".to_owned());
        assert_eq!(known.find(&b), Match::Suspect(tam));
        let code = participant_code(known.people[tam].id);
        assert_eq!(known.by_code(&code), Match::Same(tam));
        assert_eq!(known.by_code("ZZZZZZ"), Match::UnknownCode);
    }
}
