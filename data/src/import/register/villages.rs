//! The commune's villages by name, so a register's "Thôn" column finds the village
//! whether or not the file writes "Thôn"/"Buôn"/… in front of the name.

use std::collections::HashMap;

use kynangso_domain::UnitKind;
use kynangso_domain::import::header_key;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::entities::admin_unit;
use crate::import::ImportError;

/// The commune's villages by name, with and without "Thôn"/"Buôn"/… in front.
pub(super) struct Villages {
    exact: HashMap<String, Option<Uuid>>,
    bare: HashMap<String, Option<Uuid>>,
}

const VILLAGE_WORDS: [&str; 9] = [
    "thon ",
    "buon ",
    "to dan pho ",
    "tdp ",
    "xom ",
    "ap ",
    "khoi ",
    "khu pho ",
    "to ",
];

fn bare_village(key: &str) -> &str {
    VILLAGE_WORDS
        .iter()
        .find_map(|w| key.strip_prefix(w))
        .unwrap_or(key)
}

impl Villages {
    pub async fn load(db: &DatabaseConnection, commune: Uuid) -> Result<Villages, ImportError> {
        let rows = admin_unit::Entity::find()
            .filter(admin_unit::Column::ParentId.eq(commune))
            .filter(admin_unit::Column::Kind.eq(UnitKind::Village.as_str()))
            .filter(admin_unit::Column::ValidTo.is_null())
            .all(db)
            .await?;
        let mut villages = Villages {
            exact: HashMap::new(),
            bare: HashMap::new(),
        };
        for village in rows {
            let key = header_key(&village.name);
            // Two villages with one name: neither is chosen by that name.
            let note = |map: &mut HashMap<String, Option<Uuid>>, k: String| {
                map.entry(k)
                    .and_modify(|v| *v = None)
                    .or_insert(Some(village.id));
            };
            note(&mut villages.bare, bare_village(&key).to_owned());
            note(&mut villages.exact, key);
        }
        Ok(villages)
    }

    pub fn find(&self, text: &str) -> Option<Uuid> {
        let key = header_key(text);
        if key.is_empty() {
            return None;
        }
        match self.exact.get(&key) {
            Some(found) => *found,
            None => self.bare.get(bare_village(&key)).copied().flatten(),
        }
    }
}
