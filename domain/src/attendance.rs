//! Attendance at a session, and what counts towards being trained.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "db", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(
    feature = "db",
    sea_orm(
        rs_type = "String",
        db_type = "String(sea_orm::sea_query::StringLen::N(32))",
        rename_all = "snake_case"
    )
)]
pub enum AttendanceStatus {
    Present,
    Late,
    Excused,
    Absent,
}

impl AttendanceStatus {
    pub const ALL: [AttendanceStatus; 4] = [
        AttendanceStatus::Present,
        AttendanceStatus::Late,
        AttendanceStatus::Excused,
        AttendanceStatus::Absent,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AttendanceStatus::Present => "present",
            AttendanceStatus::Late => "late",
            AttendanceStatus::Excused => "excused",
            AttendanceStatus::Absent => "absent",
        }
    }

    pub fn parse(value: &str) -> Option<AttendanceStatus> {
        AttendanceStatus::ALL
            .into_iter()
            .find(|s| s.as_str() == value)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            AttendanceStatus::Present => "Có mặt",
            AttendanceStatus::Late => "Đến muộn",
            AttendanceStatus::Excused => "Vắng có phép",
            AttendanceStatus::Absent => "Vắng",
        }
    }

    /// The next status for the roster's one-tap cycle.
    pub fn next(self) -> AttendanceStatus {
        match self {
            AttendanceStatus::Present => AttendanceStatus::Late,
            AttendanceStatus::Late => AttendanceStatus::Excused,
            AttendanceStatus::Excused => AttendanceStatus::Absent,
            AttendanceStatus::Absent => AttendanceStatus::Present,
        }
    }

    /// Whether the person was there, so the session's modules count for them.
    pub fn attended(self) -> bool {
        matches!(self, AttendanceStatus::Present | AttendanceStatus::Late)
    }
}

/// Live counts for a roster.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendanceCounts {
    pub present: u32,
    pub late: u32,
    pub excused: u32,
    pub absent: u32,
}

impl AttendanceCounts {
    pub fn of(statuses: impl IntoIterator<Item = AttendanceStatus>) -> AttendanceCounts {
        let mut counts = AttendanceCounts::default();
        for status in statuses {
            match status {
                AttendanceStatus::Present => counts.present += 1,
                AttendanceStatus::Late => counts.late += 1,
                AttendanceStatus::Excused => counts.excused += 1,
                AttendanceStatus::Absent => counts.absent += 1,
            }
        }
        counts
    }

    pub fn attended(&self) -> u32 {
        self.present + self.late
    }

    pub fn total(&self) -> u32 {
        self.present + self.late + self.excused + self.absent
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_tap_cycles_through_every_status_and_back() {
        let mut status = AttendanceStatus::Present;
        let mut seen = vec![status];
        for _ in 0..3 {
            status = status.next();
            seen.push(status);
        }
        assert_eq!(seen, AttendanceStatus::ALL);
        assert_eq!(status.next(), AttendanceStatus::Present);
    }

    #[test]
    fn late_counts_as_attended_excused_does_not() {
        let counts = AttendanceCounts::of([
            AttendanceStatus::Present,
            AttendanceStatus::Late,
            AttendanceStatus::Excused,
            AttendanceStatus::Absent,
            AttendanceStatus::Present,
        ]);
        assert_eq!((counts.attended(), counts.total()), (3, 5));
        assert!(AttendanceStatus::Late.attended() && !AttendanceStatus::Excused.attended());
    }
}
