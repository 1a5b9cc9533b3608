//! Demo administrative units: the new province and four of its communes/wards, the old
//! district and communes that became the new Xã Hòa Phú, and three villages.

use chrono::{NaiveDate, Utc};
use sea_orm::{ActiveValue::Set, ConnectionTrait};
use uuid::Uuid;

use super::demo_id;
use crate::DataError;
use crate::entities::{admin_unit, unit_succession};
use crate::idempotent::insert_once;

/// Labels every figure the demo invents.
pub const DEMO_SOURCE: &str =
    "Số liệu minh hoạ (dữ liệu demo), không phải số liệu thống kê chính thức";

pub(crate) struct DemoUnits {
    pub province: Uuid,
    pub hoa_phu: Uuid,
    pub tan_an: Uuid,
    pub buon_ma_thuot: Uuid,
    pub ea_kao: Uuid,
    pub villages: Vec<Uuid>,
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

struct Unit<'a> {
    n: u16,
    code: &'a str,
    name: &'a str,
    kind: &'a str,
    parent: Option<Uuid>,
    from: NaiveDate,
    to: Option<NaiveDate>,
}

async fn unit<C: ConnectionTrait>(db: &C, u: Unit<'_>) -> Result<Uuid, DataError> {
    let now = Utc::now();
    let id = demo_id(u.n);
    insert_once(
        db,
        admin_unit::ActiveModel {
            id: Set(id),
            code: Set(u.code.to_owned()),
            name: Set(u.name.to_owned()),
            name_en: Set(None),
            kind: Set(u.kind.to_owned()),
            parent_id: Set(u.parent),
            valid_from: Set(u.from),
            valid_to: Set(u.to),
            created_at: Set(now),
            updated_at: Set(now),
        },
    )
    .await?;
    Ok(id)
}

pub(crate) async fn insert_units<C: ConnectionTrait>(db: &C) -> Result<DemoUnits, DataError> {
    let reform = date(2025, 7, 1);
    let before = date(2025, 6, 30);
    let old_start = date(2008, 1, 1);
    let province = unit(
        db,
        Unit {
            n: 1,
            code: "66",
            name: "Tỉnh Đắk Lắk",
            kind: "province",
            parent: None,
            from: old_start,
            to: None,
        },
    )
    .await?;
    let new_unit = |n, code, name, kind| Unit {
        n,
        code,
        name,
        kind,
        parent: Some(province),
        from: reform,
        to: None,
    };
    let hoa_phu = unit(db, new_unit(10, "24175", "Xã Hòa Phú", "commune")).await?;
    let tan_an = unit(db, new_unit(11, "24163", "Phường Tân An", "ward")).await?;
    let buon_ma_thuot = unit(db, new_unit(12, "24133", "Phường Buôn Ma Thuột", "ward")).await?;
    let ea_kao = unit(db, new_unit(13, "24169", "Phường Ea Kao", "ward")).await?;

    // Before the reform: city Buôn Ma Thuột (643) and three of its communes. The new
    // Xã Hòa Phú kept old Hòa Khánh's code 24175; old Hòa Phú was 24172.
    let city = unit(
        db,
        Unit {
            n: 20,
            code: "643",
            name: "Thành phố Buôn Ma Thuột",
            kind: "city",
            parent: Some(province),
            from: old_start,
            to: Some(before),
        },
    )
    .await?;
    let old_unit = |n, code, name| Unit {
        n,
        code,
        name,
        kind: "commune",
        parent: Some(city),
        from: old_start,
        to: Some(before),
    };
    let old = [
        unit(db, old_unit(21, "24172", "Xã Hòa Phú")).await?,
        unit(db, old_unit(22, "24175", "Xã Hòa Khánh")).await?,
        unit(db, old_unit(23, "24178", "Xã Hòa Xuân")).await?,
    ];
    for (i, predecessor) in old.into_iter().enumerate() {
        insert_once(
            db,
            unit_succession::ActiveModel {
                id: Set(demo_id(30 + i as u16)),
                predecessor_id: Set(predecessor),
                successor_id: Set(hoa_phu),
                coverage: Set("full".to_owned()),
                effective_date: Set(reform),
                legal_basis: Set(Some("Nghị quyết 1660/NQ-UBTVQH15".to_owned())),
                created_at: Set(Utc::now()),
            },
        )
        .await?;
    }

    // Villages have no national code: "<commune code>-<short id>" is unique and needs no
    // server-assigned counter, so a phone could create one offline.
    let mut villages = Vec::new();
    for (i, name) in ["Thôn 1", "Thôn 2", "Buôn Ea Khít"].into_iter().enumerate() {
        let n = 40 + i as u16;
        let code = format!("24175-T{n:03}");
        villages.push(
            unit(
                db,
                Unit {
                    n,
                    code: &code,
                    name,
                    kind: "village",
                    parent: Some(hoa_phu),
                    from: reform,
                    to: None,
                },
            )
            .await?,
        );
    }
    Ok(DemoUnits {
        province,
        hoa_phu,
        tan_an,
        buon_ma_thuot,
        ea_kao,
        villages,
    })
}
