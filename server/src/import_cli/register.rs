//! `kynangso import register`: a commune's register from the console, for an
//! administrator moving years of Excel files at once. The same importer as the web page;
//! the account named with `--user` is recorded as the importer in the audit log.

use kynangso_data::DatabaseConnection;
use kynangso_data::entities::{admin_unit, app_user};
use kynangso_data::import::jobs::{self, Options};
use kynangso_data::import::uploads::Kind;
use kynangso_data::import::{ImportError, Report, Source};
use kynangso_domain::UnitKind;
use kynangso_domain::import::RegisterField;
use sea_orm::sea_query::ExprTrait;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::{mode, refuse};
use crate::config::ImportRegister;

pub async fn run(conn: &DatabaseConnection, args: &ImportRegister) -> Result<Report, ImportError> {
    let today = kynangso_domain::format::today_in_vietnam(chrono::Utc::now());
    let commune_kinds = UnitKind::ALL
        .into_iter()
        .filter(|k| k.is_commune_level())
        .map(UnitKind::as_str);
    let commune = admin_unit::Entity::find()
        .filter(admin_unit::Column::Code.eq(args.commune.trim()))
        .filter(admin_unit::Column::Kind.is_in(commune_kinds))
        .filter(admin_unit::Column::ValidFrom.lte(today))
        .filter(
            admin_unit::Column::ValidTo
                .is_null()
                .or(admin_unit::Column::ValidTo.gte(today)),
        )
        .one(conn)
        .await?
        .unwrap_or_else(|| {
            refuse(&format!(
                "không có xã, phường mã {} / no such commune",
                args.commune
            ))
        });
    let user = app_user::Entity::find()
        .filter(app_user::Column::Username.eq(args.user.trim()))
        .one(conn)
        .await?
        .unwrap_or_else(|| refuse(&format!("không có tài khoản {} / no such user", args.user)));
    if args.input.apply && !args.consent_confirmed {
        refuse(
            "thêm --consent-confirmed: những người trong tệp đã đồng ý cho ghi thông tin / the people in the file must have consented",
        );
    }
    let columns =
        args.columns.as_deref().map(|list| {
            list.split(',')
                .map(|code| match code.trim() {
                    "" => None,
                    code => Some(RegisterField::parse(code).unwrap_or_else(|| {
                        refuse(&format!("không có trường {code} / unknown field"))
                    })),
                })
                .collect()
        });
    let options = Options {
        columns,
        ..Options::default()
    };
    // With --apply, `jobs::run` reads the whole file once before writing anything.
    let outcome = jobs::run(
        conn,
        Kind::Register,
        commune.id,
        user.id,
        Some("cli".to_owned()),
        None,
        Source::File(args.input.file.clone()),
        &options,
        mode(&args.input),
        &mut |rows| eprint!("\r  … {rows} dòng / rows"),
    )
    .await?;
    eprintln!();
    Ok(outcome.report)
}
