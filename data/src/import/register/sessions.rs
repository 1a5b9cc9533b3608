//! Training recorded in a register: a row's "Ngày tập huấn" and "Nội dung" (the modules)
//! put the person on the roster of that day's session, present. Sessions are found by
//! (day, modules) among the commune's held sessions, or created once per file — so
//! years of paper registers count towards coverage, and importing them again adds
//! nothing.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveTime, Utc};
use kynangso_domain::import::{header_key, parse_date_cell};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::DataError;
use crate::entities::{session_module, training_session};

/// A session a register row names: its day and its modules, sorted.
pub type SessionKey = (NaiveDate, Vec<Uuid>);

/// A session this import creates.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub id: Uuid,
    pub day: NaiveDate,
    pub modules: Vec<Uuid>,
}

#[derive(Debug, Default)]
pub struct Sessions {
    version: Option<Uuid>,
    /// (module id, code key, name key) of the current curriculum.
    modules: Vec<(Uuid, String, String)>,
    by_key: HashMap<SessionKey, Uuid>,
    /// Created by this import and not written yet.
    pub pending: Vec<NewSession>,
}

impl Sessions {
    pub async fn load<C: ConnectionTrait>(db: &C, commune: Uuid) -> Result<Sessions, DataError> {
        let Some((version, modules)) = crate::curriculum::current_curriculum(db).await? else {
            return Ok(Sessions::default());
        };
        let held = training_session::Entity::find()
            .filter(training_session::Column::UnitId.eq(commune))
            .filter(
                training_session::Column::Status.eq(kynangso_domain::status::SessionStatus::Held),
            )
            .all(db)
            .await?;
        let ids: Vec<Uuid> = held.iter().map(|s| s.id).collect();
        let mut modules_of: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
        for chunk in ids.chunks(500) {
            for link in session_module::Entity::find()
                .filter(session_module::Column::SessionId.is_in(chunk.to_vec()))
                .all(db)
                .await?
            {
                modules_of
                    .entry(link.session_id)
                    .or_default()
                    .push(link.module_id);
            }
        }
        let offset = kynangso_domain::format::vietnam_offset();
        let mut by_key = HashMap::new();
        for session in held {
            let mut modules = modules_of.remove(&session.id).unwrap_or_default();
            modules.sort();
            let day = session.starts_at.with_timezone(&offset).date_naive();
            by_key.entry((day, modules)).or_insert(session.id);
        }
        Ok(Sessions {
            version: Some(version.id),
            modules: modules
                .into_iter()
                .map(|m| (m.id, header_key(&m.code), header_key(&m.name)))
                .collect(),
            by_key,
            pending: Vec::new(),
        })
    }

    /// The day and modules of a row, or what is wrong with them (for the given column).
    pub fn read(
        &self,
        day: &str,
        modules: &str,
        today: NaiveDate,
    ) -> Result<Option<SessionKey>, (bool, String)> {
        if day.trim().is_empty() {
            return Ok(None);
        }
        let day = parse_date_cell(day).ok_or((
            true,
            "Ngày tập huấn không đọc được; ghi theo dạng ngày/tháng/năm.".to_owned(),
        ))?;
        if day > today || day < NaiveDate::from_ymd_opt(2015, 1, 1).unwrap_or(day) {
            return Err((
                true,
                "Ngày tập huấn phải từ năm 2015 đến hôm nay.".to_owned(),
            ));
        }
        if self.version.is_none() {
            return Err((
                false,
                "Chưa có chương trình tập huấn nào được ban hành.".to_owned(),
            ));
        }
        let mut ids = Vec::new();
        for part in modules.split([',', ';', '+', '/', '\n']) {
            let key = header_key(part);
            if key.is_empty() {
                continue;
            }
            let found = self
                .modules
                .iter()
                .find(|(_, code, name)| *code == key || *name == key)
                .ok_or((
                    false,
                    format!("Không có mô-đun \"{}\" trong chương trình.", part.trim()),
                ))?;
            if !ids.contains(&found.0) {
                ids.push(found.0);
            }
        }
        if ids.is_empty() {
            return Err((false, "Ghi nội dung (mô-đun) của buổi tập huấn.".to_owned()));
        }
        ids.sort();
        Ok(Some((day, ids)))
    }

    /// The session of `key`: one already held, one this import created, or a new one.
    pub fn session_for(&mut self, key: SessionKey) -> Uuid {
        if let Some(id) = self.by_key.get(&key) {
            return *id;
        }
        let id = kynangso_domain::new_id();
        self.pending.push(NewSession {
            id,
            day: key.0,
            modules: key.1.clone(),
        });
        self.by_key.insert(key, id);
        id
    }

    /// Writes the sessions created since the last call.
    pub async fn write<C: ConnectionTrait>(
        &mut self,
        db: &C,
        commune: Uuid,
        actor: Uuid,
        file_note: &str,
    ) -> Result<(), DataError> {
        let (Some(version), false) = (self.version, self.pending.is_empty()) else {
            return Ok(());
        };
        let now = Utc::now();
        let eight = NaiveTime::from_hms_opt(8, 0, 0).unwrap_or_default();
        let offset = kynangso_domain::format::vietnam_offset();
        let sessions = self.pending.iter().map(|s| training_session::ActiveModel {
            id: sea_orm::ActiveValue::Set(s.id),
            unit_id: sea_orm::ActiveValue::Set(commune),
            village_id: sea_orm::ActiveValue::Set(None),
            place: sea_orm::ActiveValue::Set("Theo sổ tập huấn đã nhập".to_owned()),
            starts_at: sea_orm::ActiveValue::Set(
                s.day
                    .and_time(eight)
                    .and_local_timezone(offset)
                    .single()
                    .map_or(now, |t| t.with_timezone(&Utc)),
            ),
            duration_minutes: sea_orm::ActiveValue::Set(120),
            curriculum_version_id: sea_orm::ActiveValue::Set(version),
            notes: sea_orm::ActiveValue::Set(Some(file_note.to_owned())),
            status: sea_orm::ActiveValue::Set(kynangso_domain::status::SessionStatus::Held),
            created_by: sea_orm::ActiveValue::Set(Some(actor)),
            created_at: sea_orm::ActiveValue::Set(now),
            updated_at: sea_orm::ActiveValue::Set(now),
            cancelled_at: sea_orm::ActiveValue::Set(None),
        });
        training_session::Entity::insert_many(sessions)
            .exec_without_returning(db)
            .await?;
        let links = self.pending.iter().flat_map(|s| {
            s.modules.iter().map(|m| session_module::ActiveModel {
                session_id: sea_orm::ActiveValue::Set(s.id),
                module_id: sea_orm::ActiveValue::Set(*m),
            })
        });
        session_module::Entity::insert_many(links)
            .exec_without_returning(db)
            .await?;
        self.pending.clear();
        Ok(())
    }
}
