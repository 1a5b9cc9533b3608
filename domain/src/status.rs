//! The recorded states and kinds that the browser, the server and the database share, each
//! stored as its fixed word in a text column. With the `db` feature (server only) they are
//! sea-orm active enums, so an entity's column has the type itself and a misspelt word
//! cannot compile; the wasm build never sees sea-orm.

use serde::{Deserialize, Serialize};

/// Derives and attributes for an enum stored as its snake_case word (32 characters).
macro_rules! stored_as_word {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident => $word:literal,)+ }) => {
        $(#[$meta])*
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
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The word stored in the database and sent over the wire.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $word,)+
                }
            }

            pub fn parse(word: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|v| v.as_str() == word)
            }
        }
    };
}

stored_as_word! {
    /// Where a training session stands.
    pub enum SessionStatus {
        /// Logged ahead of its time.
        Planned => "planned",
        /// Its time has come (logged on the day or afterwards).
        Held => "held",
        /// Called off; kept with its roster for the record.
        Cancelled => "cancelled",
    }
}

stored_as_word! {
    /// A curriculum version's life: a draft is edited, a published version never is.
    pub enum CurriculumStatus {
        Draft => "draft",
        Published => "published",
        /// No longer offered; its completions still count.
        Retired => "retired",
    }
}

stored_as_word! {
    /// What an uploaded spreadsheet holds.
    pub enum ImportKind {
        /// A commune's participant register.
        Register => "register",
        /// The statistics office's list of units.
        Units => "units",
        /// The 2025 old → new unit mapping.
        Successions => "successions",
        /// Working-age populations per unit.
        Population => "population",
    }
}

stored_as_word! {
    /// Where an uploaded spreadsheet's import stands.
    pub enum ImportStatus {
        /// Stored, previewed, not imported yet.
        Uploaded => "uploaded",
        /// Being imported (in batches; a restart resumes it).
        Running => "running",
        Done => "done",
        /// Interrupted; running it again resumes where it stopped.
        Failed => "failed",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The word a value is sent as over the wire.
    fn wire_word<T: Serialize>(value: &T) -> String {
        serde_json::to_value(value)
            .expect("serialize")
            .as_str()
            .expect("a word")
            .to_owned()
    }

    #[test]
    fn every_word_reads_back_as_its_value_and_the_wire_uses_the_same_word() {
        for status in SessionStatus::ALL {
            assert_eq!(SessionStatus::parse(status.as_str()), Some(*status));
            assert_eq!(wire_word(status), status.as_str());
        }
        for status in CurriculumStatus::ALL {
            assert_eq!(CurriculumStatus::parse(status.as_str()), Some(*status));
            assert_eq!(wire_word(status), status.as_str());
        }
        for kind in ImportKind::ALL {
            assert_eq!(ImportKind::parse(kind.as_str()), Some(*kind));
            assert_eq!(wire_word(kind), kind.as_str());
        }
        for status in ImportStatus::ALL {
            assert_eq!(ImportStatus::parse(status.as_str()), Some(*status));
            assert_eq!(wire_word(status), status.as_str());
        }
        assert_eq!(ImportKind::parse("Register"), None, "words are exact");
    }
}
