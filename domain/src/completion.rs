//! Whether a person counts as trained under a curriculum version, and if not, why not.
//!
//! The rule is data (stored as JSON with the curriculum version), never code: the province
//! can publish a new version with another rule, and every report names the one it used.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::attendance::AttendanceStatus;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CompletionRule {
    /// Trained once the person has attended (with one of `counted_statuses`) sessions that
    /// together cover every required module.
    AllRequired {
        counted_statuses: Vec<AttendanceStatus>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModuleRef {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub required: bool,
}

/// A person's standing under one curriculum version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub curriculum: String,
    pub complete: bool,
    pub covered: Vec<ModuleRef>,
    /// Required modules not yet covered: what the person still needs.
    pub missing: Vec<ModuleRef>,
}

impl CompletionRule {
    /// `attended`: for each session the person is on the roster of, their status and the
    /// modules the session covered.
    pub fn progress(
        &self,
        curriculum: &str,
        modules: &[ModuleRef],
        attended: &[(AttendanceStatus, Vec<Uuid>)],
    ) -> Progress {
        let CompletionRule::AllRequired { counted_statuses } = self;
        let covered_ids: HashSet<Uuid> = attended
            .iter()
            .filter(|(status, _)| counted_statuses.contains(status))
            .flat_map(|(_, ids)| ids.iter().copied())
            .collect();
        let (covered, rest): (Vec<_>, Vec<_>) = modules
            .iter()
            .cloned()
            .partition(|m| covered_ids.contains(&m.id));
        let missing: Vec<ModuleRef> = rest.into_iter().filter(|m| m.required).collect();
        Progress {
            curriculum: curriculum.to_owned(),
            complete: missing.is_empty() && modules.iter().any(|m| m.required),
            covered,
            missing,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn module(n: u128, required: bool) -> ModuleRef {
        ModuleRef {
            id: Uuid::from_u128(n),
            code: format!("M{n}"),
            name: format!("Mô-đun {n}"),
            required,
        }
    }

    fn rule() -> CompletionRule {
        CompletionRule::AllRequired {
            counted_statuses: vec![AttendanceStatus::Present, AttendanceStatus::Late],
        }
    }

    #[test]
    fn every_required_module_must_be_covered_by_an_attended_session() {
        let modules = [module(1, true), module(2, true), module(3, false)];
        let p = rule().progress(
            "KNS",
            &modules,
            &[
                (AttendanceStatus::Present, vec![Uuid::from_u128(1)]),
                // Excused: the module of this session does not count.
                (AttendanceStatus::Excused, vec![Uuid::from_u128(2)]),
            ],
        );
        assert!(!p.complete);
        assert_eq!(p.missing, [module(2, true)]);
        let p = rule().progress(
            "KNS",
            &modules,
            &[
                (AttendanceStatus::Present, vec![Uuid::from_u128(1)]),
                (AttendanceStatus::Late, vec![Uuid::from_u128(2)]),
            ],
        );
        assert!(p.complete, "the optional module is not needed");
        assert!(p.missing.is_empty());
    }

    #[test]
    fn a_curriculum_without_required_modules_trains_nobody() {
        let p = rule().progress("KNS", &[module(1, false)], &[]);
        assert!(!p.complete);
    }
}
