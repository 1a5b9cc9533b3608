//! Writing what the classifier decided: the batch of new people, updates and attendance
//! waiting for the next transaction, and that transaction. New people go in through the
//! registration form's own [`insert_with_consent`]; then the updates, the sessions and
//! rosters, the coverage rows all of it moves, an audit entry and the progress.

use chrono::Utc;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, DatabaseConnection, EntityTrait, TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use super::RegisterImport;
use super::known::Known;
use super::sessions::Sessions;
use crate::audit;
use crate::entities::{attendance, participant};
use crate::import::{ImportError, uploads};
use crate::participants::CONSENT_STATEMENT;
use crate::participants::create::{CreatedBy, NewPerson, insert_with_consent};

/// The writes waiting for the next transaction, as indexes into `Known::people`.
#[derive(Default)]
pub(super) struct Batch {
    pub new: Vec<usize>,
    pub updated: Vec<usize>,
    /// (session, person) rosters to be on.
    pub attendance: Vec<(Uuid, usize)>,
}

impl Batch {
    pub fn len(&self) -> usize {
        self.new.len() + self.updated.len() + self.attendance.len()
    }

    /// One transaction: the new people with their consent, the updates (and the coverage
    /// rows they move), an audit entry, and the progress.
    pub async fn write(
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
        // New people go in exactly as the registration form puts them, with their consent.
        let people = self.new.iter().map(|&i| {
            let p = &known.people[i];
            NewPerson {
                id: p.id,
                full_name: p.full_name.clone(),
                search_key: p.key.clone(),
                sex: p.sex,
                birth_date: p.birth_date,
                birth_year: p.birth_year,
                village_id: p.village_id,
                phone: p.phone.clone(),
                national_id: p.national_id.clone(),
            }
        });
        let by = CreatedBy {
            commune: job.commune,
            actor: job.actor,
            consent_statement: CONSENT_STATEMENT,
            at: now,
        };
        insert_with_consent(&txn, &by, people.collect()).await?;
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
