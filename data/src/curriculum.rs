//! The curriculum: the published version in force, a version's modules and completion
//! rule, and which modules sessions covered. Reads only; every other module that needs
//! the curriculum (standings, coverage, sessions, records) reads it here.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use kynangso_domain::completion::{CompletionRule, ModuleRef};
use kynangso_domain::status::CurriculumStatus;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::DataError;
use crate::entities::{curriculum_version, session_module, skill_module};

/// The published curriculum version in force (the latest published), with its modules.
pub async fn current_curriculum<C: ConnectionTrait>(
    db: &C,
) -> Result<Option<(curriculum_version::Model, Vec<ModuleRef>)>, DataError> {
    let Some(version) = curriculum_version::Entity::find()
        .filter(curriculum_version::Column::Status.eq(CurriculumStatus::Published))
        .order_by_desc(curriculum_version::Column::PublishedAt)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let modules = modules_of(db, version.id).await?;
    Ok(Some((version, modules)))
}

pub async fn modules_of<C: ConnectionTrait>(
    db: &C,
    version: Uuid,
) -> Result<Vec<ModuleRef>, DataError> {
    Ok(skill_module::Entity::find()
        .filter(skill_module::Column::CurriculumVersionId.eq(version))
        .order_by_asc(skill_module::Column::Position)
        .all(db)
        .await?
        .into_iter()
        .map(|m| ModuleRef {
            id: m.id,
            code: m.code,
            name: m.name,
            required: m.required,
        })
        .collect())
}

/// The modules each of `sessions` covered, in one query.
pub async fn modules_covered<C: ConnectionTrait>(
    db: &C,
    sessions: Vec<Uuid>,
) -> Result<HashMap<Uuid, Vec<Uuid>>, DataError> {
    let mut covered: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    if sessions.is_empty() {
        return Ok(covered);
    }
    for link in session_module::Entity::find()
        .filter(session_module::Column::SessionId.is_in(sessions))
        .all(db)
        .await?
    {
        covered
            .entry(link.session_id)
            .or_default()
            .push(link.module_id);
    }
    Ok(covered)
}

/// A curriculum version's completion rule and modules.
pub(crate) type Curriculum = (CompletionRule, Vec<ModuleRef>);

/// Rules of versions that are no longer drafts, read once per process. A version is frozen
/// once published: changing a rule means publishing a new version, and nothing in the app
/// edits a published one. So what one server read stays true for every server, and marking
/// no longer reads the version and its modules (two queries) each time. Keyed by id alone:
/// ids are UUIDv7, and the test databases that share the demo's ids share its curriculum.
static FROZEN: LazyLock<Mutex<HashMap<Uuid, Arc<Curriculum>>>> = LazyLock::new(Default::default);

/// The rule and modules of version `id`, from [`FROZEN`] when kept.
pub(crate) async fn curriculum_of<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
) -> Result<Arc<Curriculum>, DataError> {
    let kept = FROZEN
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .get(&id)
        .cloned();
    if let Some(kept) = kept {
        return Ok(kept);
    }
    let (version, rule, modules) = curriculum_rule(db, id).await?;
    let read = Arc::new((rule, modules));
    if version.status != CurriculumStatus::Draft {
        FROZEN
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(id, read.clone());
    }
    Ok(read)
}

/// A curriculum version with its parsed completion rule and its modules.
pub(crate) async fn curriculum_rule<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
) -> Result<(curriculum_version::Model, CompletionRule, Vec<ModuleRef>), DataError> {
    let version = curriculum_version::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(DataError::NotFound {
            what: "curriculum_version",
        })?;
    let rule: CompletionRule = serde_json::from_str(&version.completion_rule)
        .map_err(|e| DataError::Invalid(format!("curriculum {}: {e}", version.code)))?;
    let modules = modules_of(db, id).await?;
    Ok((version, rule, modules))
}
