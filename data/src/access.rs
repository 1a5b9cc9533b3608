//! Who is asking, and which records they may touch.
//!
//! Every read and write of personal data takes a [`Caller`] and filters by its [`Scope`]
//! in the query itself (`WHERE home_unit_id = …`), never after the fact. A record outside
//! the scope is answered exactly like a record that does not exist, and the attempt is
//! logged for whoever reviews the server's log.

use kynangso_domain::Role;
use uuid::Uuid;

use crate::DataError;
use crate::sign_in::sessions::SessionUser;

/// The set of units whose records a caller may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The whole province: every commune. (Two-tier government since 1 July 2025.)
    Province,
    /// One commune or ward.
    Commune(Uuid),
}

impl Scope {
    pub fn covers(self, unit_id: Uuid) -> bool {
        match self {
            Scope::Province => true,
            Scope::Commune(own) => own == unit_id,
        }
    }

    /// The commune, for records that must belong to exactly one.
    pub fn commune(self) -> Option<Uuid> {
        match self {
            Scope::Province => None,
            Scope::Commune(id) => Some(id),
        }
    }
}

/// The signed-in user behind a request, with the address the request came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub user_id: Uuid,
    pub role: Role,
    pub scope_unit_id: Uuid,
    pub client: Option<String>,
}

impl Caller {
    pub fn new(user: &SessionUser, client: Option<String>) -> Caller {
        Caller {
            user_id: user.user_id,
            role: user.role,
            scope_unit_id: user.scope_unit_id,
            client,
        }
    }

    /// Province roles see every commune; commune roles only their own.
    pub fn scope(&self) -> Scope {
        match self.role {
            Role::ProvinceAdmin | Role::ProvinceReviewer => Scope::Province,
            Role::CommuneLead | Role::TeamMember => Scope::Commune(self.scope_unit_id),
        }
    }

    /// The scope within which this caller may read individuals' personal data.
    pub fn personal_data_scope(&self) -> Result<Scope, DataError> {
        if self.role.sees_personal_data() {
            Ok(self.scope())
        } else {
            Err(DataError::Forbidden)
        }
    }

    /// The commune this caller records field work in (commune roles only).
    pub fn field_commune(&self) -> Result<Uuid, DataError> {
        match self.role {
            Role::CommuneLead | Role::TeamMember => Ok(self.scope_unit_id),
            Role::ProvinceAdmin | Role::ProvinceReviewer => Err(DataError::Forbidden),
        }
    }

    pub fn is_lead_or_admin(&self) -> bool {
        matches!(self.role, Role::CommuneLead | Role::ProvinceAdmin)
    }

    /// Logs a request for a record outside the caller's scope and returns the answer such
    /// a request gets: "not found".
    pub fn out_of_scope(&self, what: &'static str, id: Uuid) -> DataError {
        tracing::warn!(
            user_id = %self.user_id,
            role = self.role.as_str(),
            record = what,
            record_id = %id,
            "request for a record outside the caller's scope"
        );
        DataError::NotFound { what }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caller(role: Role, unit: Uuid) -> Caller {
        Caller {
            user_id: Uuid::nil(),
            role,
            scope_unit_id: unit,
            client: None,
        }
    }

    #[test]
    fn commune_roles_see_their_commune_only() {
        let (own, other) = (Uuid::from_u128(1), Uuid::from_u128(2));
        for role in [Role::CommuneLead, Role::TeamMember] {
            let scope = caller(role, own).scope();
            assert!(scope.covers(own));
            assert!(!scope.covers(other));
        }
        assert!(caller(Role::ProvinceAdmin, own).scope().covers(other));
    }

    #[test]
    fn province_roles_read_no_personal_data_and_record_no_field_work() {
        let unit = Uuid::from_u128(1);
        assert!(matches!(
            caller(Role::ProvinceReviewer, unit).personal_data_scope(),
            Err(DataError::Forbidden)
        ));
        assert!(matches!(
            caller(Role::ProvinceAdmin, unit).personal_data_scope(),
            Err(DataError::Forbidden)
        ));
        assert!(caller(Role::ProvinceAdmin, unit).field_commune().is_err());
        assert_eq!(
            caller(Role::TeamMember, unit).field_commune().ok(),
            Some(unit)
        );
    }
}
