//! The demo's curriculum (the five skills of Official Letter 3240/BTTTT-CĐSQG), both
//! working-age rules and illustrative working-age populations of the demo communes.

use chrono::Utc;
use kynangso_domain::status::CurriculumStatus;
use sea_orm::{ActiveValue::Set, ConnectionTrait};
use uuid::Uuid;

use super::demo_id;
use super::places::{self, DEMO_SOURCE};
use crate::DataError;
use crate::entities::{curriculum_version, skill_module, working_age_population, working_age_rule};
use crate::idempotent::insert_once;

pub(crate) struct DemoCurriculum {
    pub version: Uuid,
    pub modules: Vec<Uuid>,
}

/// The five skills of Official Letter 3240/BTTTT-CĐSQG (8 Aug 2024).
pub(super) async fn insert_curriculum<C: ConnectionTrait>(
    db: &C,
) -> Result<DemoCurriculum, DataError> {
    let version = demo_id(200);
    let now = Utc::now();
    insert_once(
        db,
        curriculum_version::ActiveModel {
            id: Set(version),
            code: Set("KNS-CB-2025".to_owned()),
            name: Set("Kỹ năng số cơ bản cho người dân (5 kỹ năng)".to_owned()),
            legal_basis: Set(Some("Công văn 3240/BTTTT-CĐSQG ngày 08/8/2024".to_owned())),
            completion_rule: Set(
                r#"{"kind":"all_required","counted_statuses":["present","late"]}"#.to_owned(),
            ),
            status: Set(CurriculumStatus::Published),
            published_at: Set(Some(now)),
            created_at: Set(now),
            updated_at: Set(now),
        },
    )
    .await?;
    let names = [
        ("DVC", "Sử dụng dịch vụ công trực tuyến"),
        ("TMDT", "Mua sắm trực tuyến"),
        ("TTTT", "Thanh toán trực tuyến"),
        ("ATTT", "Tự bảo vệ trên môi trường mạng"),
        ("NTS", "Sử dụng nền tảng số của địa phương"),
    ];
    let mut modules = Vec::new();
    for (i, (code, name)) in names.into_iter().enumerate() {
        let id = demo_id(201 + i as u16);
        insert_once(
            db,
            skill_module::ActiveModel {
                id: Set(id),
                curriculum_version_id: Set(version),
                code: Set(code.to_owned()),
                name: Set(name.to_owned()),
                required: Set(true),
                position: Set(i as i32 + 1),
            },
        )
        .await?;
        modules.push(id);
    }
    Ok(DemoCurriculum { version, modules })
}

/// Both working-age rules (Decree 135/2020 and the older 15–59/15–54 statistics rule) and
/// illustrative working-age populations for the demo communes.
/// Decree 135/2020's working age, as `kynangso_domain::working_age::WorkingAgeRule` reads it.
pub const DECREE_135_DEFINITION: &str = r#"{"min_age_years":15,"retirement":{"male":{"base_year":2021,"base_months":723,"step_months":3,"final_months":744},"female":{"base_year":2021,"base_months":664,"step_months":4,"final_months":720}}}"#;

/// The older statistical convention: men 15–59, women 15–54.
pub const OLD_STATISTICS_DEFINITION: &str =
    r#"{"min_age_years":15,"fixed_max_years":{"male":59,"female":54}}"#;

pub(super) async fn insert_rules_and_population<C: ConnectionTrait>(
    db: &C,
    units: &places::DemoUnits,
) -> Result<(), DataError> {
    let now = Utc::now();
    let rules = [
        (
            300,
            "ND135-2020",
            "Từ đủ 15 tuổi đến tuổi nghỉ hưu theo Nghị định 135/2020/NĐ-CP",
            "Bộ luật Lao động 2019, Điều 169; Nghị định 135/2020/NĐ-CP",
            DECREE_135_DEFINITION,
        ),
        (
            301,
            "TK-15-59-54",
            "Quy ước thống kê cũ: nam 15–59, nữ 15–54",
            "Quy ước thống kê dân số trước 2021",
            OLD_STATISTICS_DEFINITION,
        ),
    ];
    for (n, code, name, basis, definition) in rules {
        insert_once(
            db,
            working_age_rule::ActiveModel {
                id: Set(demo_id(n)),
                code: Set(code.to_owned()),
                name: Set(name.to_owned()),
                legal_basis: Set(Some(basis.to_owned())),
                definition: Set(definition.to_owned()),
                created_at: Set(now),
            },
        )
        .await?;
    }
    for (i, (unit, population)) in [
        (units.hoa_phu, 14_820_i64),
        (units.tan_an, 21_350),
        (units.buon_ma_thuot, 48_900),
        (units.ea_kao, 17_600),
    ]
    .into_iter()
    .enumerate()
    {
        insert_once(
            db,
            working_age_population::ActiveModel {
                id: Set(demo_id(310 + i as u16)),
                unit_id: Set(unit),
                year: Set(2026),
                population: Set(population),
                source: Set(DEMO_SOURCE.to_owned()),
                rule_id: Set(Some(demo_id(300))),
                entered_by: Set(Some(demo_id(100))),
                created_at: Set(now),
                updated_at: Set(now),
            },
        )
        .await?;
    }
    Ok(())
}
