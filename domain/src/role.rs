//! Who a user is, and therefore what they may see.

use serde::{Deserialize, Serialize};

/// A user's role. Together with the user's scope unit it decides every access check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Manages units, curriculum, denominators and users of any commune.
    ProvinceAdmin,
    /// Reads aggregates and per-commune figures; never an individual's personal data.
    ProvinceReviewer,
    /// Manages the commune's team, users and records.
    CommuneLead,
    /// Logs sessions, participants and attendance in their commune.
    TeamMember,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::ProvinceAdmin,
        Role::ProvinceReviewer,
        Role::CommuneLead,
        Role::TeamMember,
    ];

    /// The value stored in the database (`app_user.role`).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::ProvinceAdmin => "province_admin",
            Role::ProvinceReviewer => "province_reviewer",
            Role::CommuneLead => "commune_lead",
            Role::TeamMember => "team_member",
        }
    }

    pub fn parse(value: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.as_str() == value)
    }

    /// The label shown to people.
    pub fn label_vi(self) -> &'static str {
        match self {
            Role::ProvinceAdmin => "Quản trị cấp tỉnh",
            Role::ProvinceReviewer => "Theo dõi cấp tỉnh",
            Role::CommuneLead => "Tổ trưởng cấp xã",
            Role::TeamMember => "Thành viên tổ",
        }
    }

    /// Whether this role may ever read an individual's personal data (within its scope):
    /// only the commune's own team, who collected it. The province works with aggregates
    /// (Decree 13/2023: data is processed by whoever needs it for the purpose it was given
    /// for); an administrator has no way to open a person's record, a roster or a session
    /// list, which is simpler to trust than an audited exception.
    pub fn sees_personal_data(self) -> bool {
        matches!(self, Role::CommuneLead | Role::TeamMember)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_round_trips_through_its_stored_value() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn only_the_province_reviewer_is_kept_from_personal_data() {
        let blind: Vec<_> = Role::ALL
            .into_iter()
            .filter(|r| !r.sees_personal_data())
            .collect();
        assert_eq!(blind, vec![Role::ProvinceAdmin, Role::ProvinceReviewer]);
    }
}
