//! Administration commands: migrate, create-admin, seed-demo, rebuild-coverage.

use anyhow::Context;
use chrono::{NaiveDate, Utc};
use kynangso_data::db;
use kynangso_data::entities::admin_unit;
use kynangso_data::seed::DemoAccount;
use kynangso_data::users::{self, NewUser};
use kynangso_domain::Role;
use kynangso_domain::unit::UnitCode;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

use crate::config::{CreateAdmin, Settings};

pub async fn migrate(settings: &Settings) -> anyhow::Result<()> {
    let conn = db::connect(&settings.db()).await?;
    db::migrate(&conn).await?;
    println!("Đã cập nhật cấu trúc cơ sở dữ liệu. / Database schema is up to date.");
    Ok(())
}

pub async fn seed_demo(settings: &Settings) -> anyhow::Result<()> {
    let conn = db::connect(&settings.db()).await?;
    db::migrate(&conn).await?;
    let accounts = kynangso_data::seed::load_demo(&conn, settings.demo_password.clone()).await?;
    print_demo_accounts(&accounts);
    Ok(())
}

pub async fn rebuild_coverage(settings: &Settings) -> anyhow::Result<()> {
    let conn = db::connect(&settings.db()).await?;
    db::migrate(&conn).await?;
    let started = std::time::Instant::now();
    let people = kynangso_data::standings::rebuild(&conn)
        .await
        .context("rebuilding the coverage table")?;
    println!(
        "Đã tính lại {people} người có điểm danh trong {:.1} s. / Recomputed {people} attendees.",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

pub async fn create_admin(settings: &Settings, args: CreateAdmin) -> anyhow::Result<()> {
    let code = UnitCode::parse(&args.province_code).map_err(|e| anyhow::anyhow!("{e}"))?;
    let conn = db::connect(&settings.db()).await?;
    db::migrate(&conn).await?;

    let province = match admin_unit::Entity::find()
        .filter(admin_unit::Column::Code.eq(code.as_str()))
        .filter(admin_unit::Column::Kind.eq("province"))
        .filter(admin_unit::Column::ValidTo.is_null())
        .one(&conn)
        .await?
    {
        Some(unit) => unit.id,
        None => {
            let id = kynangso_domain::new_id();
            let now = Utc::now();
            admin_unit::Entity::insert(admin_unit::ActiveModel {
                id: Set(id),
                code: Set(code.as_str().to_owned()),
                name: Set(args.province_name.clone()),
                name_en: Set(None),
                kind: Set("province".to_owned()),
                parent_id: Set(None),
                valid_from: Set(NaiveDate::from_ymd_opt(2025, 7, 1).unwrap_or_default()),
                valid_to: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
            })
            .exec_without_returning(&conn)
            .await
            .context("creating the province unit")?;
            id
        }
    };

    let generated = args.password.is_none();
    let password = args
        .password
        .unwrap_or_else(kynangso_data::password::generate_passphrase);
    users::create(
        &conn,
        NewUser {
            id: kynangso_domain::new_id(),
            username: args.username.clone(),
            phone: None,
            display_name: args.display_name,
            password: password.clone(),
            role: Role::ProvinceAdmin,
            scope_unit_id: province,
            must_change_password: generated,
        },
        None,
    )
    .await?;
    println!("Đã tạo tài khoản quản trị tỉnh «{}».", args.username);
    if generated {
        println!("Mật khẩu tạm (đổi khi đăng nhập lần đầu): {password}");
    }
    Ok(())
}

pub fn print_demo_accounts(accounts: &[DemoAccount]) {
    println!();
    println!("=== DỮ LIỆU DEMO (minh hoạ, không phải số liệu thật) / DEMO DATA ===");
    println!("Tài khoản demo / demo accounts:");
    for account in accounts {
        println!(
            "  {:<18} {:<22} {:<18} mật khẩu: {}",
            account.username,
            account.role.label_vi(),
            account.unit_name,
            account
                .password
                .as_deref()
                .unwrap_or("(đã có từ trước, không đổi)")
        );
    }
    println!();
}
