//! Previews computed once and shown a page at a time, and what a consent withdrawal and
//! the end of an import leave of them (issue 20).

use kynangso_data::entities::{import_file, participant};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::Value;

use crate::imports::{REGISTER, confirm, preview, upload};

both_databases! {
    async fn a_preview_is_computed_once_and_its_issues_come_a_page_at_a_time(app) {
        app.load_demo().await;
        app.sign_in_as("totruong.hoaphu").await;
        // 250 rows without a name: 250 errors, three pages of 100.
        let mut file = "Họ và tên,Năm sinh\n".to_owned();
        for _ in 0..250 {
            file.push_str(",1990\n");
        }
        let id = upload(&app, &app.client, "register", "khong-ten.csv", file.into_bytes()).await;
        let first = preview(&app, &id, &[]).await;
        assert_eq!(first["counts"]["rejected"], 250, "{first}");
        assert_eq!(first["issues"].as_array().map(Vec::len), Some(100));
        assert_eq!((first["page"].clone(), first["pages"].clone()), (Value::from(1), Value::from(3)));
        let last = preview(&app, &id, &[("trang", "3")]).await;
        assert_eq!(last["issues"].as_array().map(Vec::len), Some(50));
        assert_eq!(last["issues"][0]["row"], 202, "page 3 starts at the 201st issue");
        let beyond = preview(&app, &id, &[("trang", "99")]).await;
        assert_eq!(beyond["page"], 3, "a page past the end is the last one");

        // The file is not read again: with its stored bytes gone, the preview is the same.
        assert_eq!(app.count("import_preview").await, 1);
        let uuid = uuid::Uuid::parse_str(&id).expect("id");
        import_file::Entity::update_many()
            .col_expr(import_file::Column::Content, Expr::value(b"garbage".to_vec()))
            .filter(import_file::Column::Id.eq(uuid))
            .exec(&app.db).await.expect("update");
        let again = preview(&app, &id, &[]).await;
        assert_eq!(again["counts"], first["counts"]);
        assert_eq!(again["problem"], Value::Null);
        // Other options are another preview, which replaces the first.
        let other = preview(&app, &id, &[("cot", "full_name")]).await;
        assert!(other["problem"].is_string(), "now the garbage is read: {other}");
        assert_eq!(app.count("import_preview").await, 1);
    }

    async fn a_withdrawn_persons_name_leaves_previews_and_finished_imports(app) {
        app.load_demo().await;
        app.sign_in_as("totruong.hoaphu").await;
        // Row 11 of the register may be Lê Thị Mai, recorded already: the issue names her.
        let imported = upload(&app, &app.client, "register", "a.csv", REGISTER.as_bytes().to_vec()).await;
        let pending = upload(&app, &app.client, "register", "b.csv", format!("{REGISTER}\n").into_bytes()).await;
        assert_ne!(imported, pending);
        let named = |view: &Value| view["issues"].to_string().contains("Lê Thị Mai (mã");
        assert!(named(&preview(&app, &pending, &[]).await), "the preview names her");
        let done = confirm(&app, &imported, &[]).await;
        assert!(named(&done), "so does the result: {done}");
        assert_eq!(app.count("import_preview").await, 1, "the finished import's preview went");
        let import_row = import_file::Entity::find_by_id(uuid::Uuid::parse_str(&imported).expect("id"))
            .one(&app.db).await.expect("query").expect("row");
        assert!(import_row.content.is_empty(), "the finished import's bytes are erased");

        let mai = participant::Entity::find()
            .filter(participant::Column::FullName.eq("Lê Thị Mai"))
            .one(&app.db).await.expect("query").expect("Lê Thị Mai");
        let response = app.call("participants/withdraw-consent", &[("id", &mai.id.to_string())]).await;
        assert_eq!(response.status(), 200);

        let done = preview(&app, &imported, &[]).await;
        assert!(!named(&done) && !done.to_string().contains("Lê Thị Mai ("), "{done}");
        assert!(done["issues"].to_string().contains("rút lại đồng ý"), "{done}");
        let pending_view = preview(&app, &pending, &[]).await;
        assert!(!pending_view.to_string().contains("Lê Thị Mai ("), "{pending_view}");
    }

    async fn finished_imports_go_after_a_week(app) {
        app.load_demo().await;
        app.sign_in_as("totruong.hoaphu").await;
        let id = upload(&app, &app.client, "register", "a.csv", REGISTER.as_bytes().to_vec()).await;
        confirm(&app, &id, &[]).await;
        let uuid = uuid::Uuid::parse_str(&id).expect("id");
        kynangso_data::import::uploads::forget_abandoned(&app.db).await.expect("housekeeping");
        assert_eq!(app.count("import_file").await, 1, "a fresh result stays");
        let eight_days_ago = chrono::Utc::now() - chrono::Duration::days(8);
        import_file::Entity::update_many()
            .col_expr(import_file::Column::UpdatedAt, Expr::value(eight_days_ago))
            .filter(import_file::Column::Id.eq(uuid))
            .exec(&app.db).await.expect("update");
        kynangso_data::import::uploads::forget_abandoned(&app.db).await.expect("housekeeping");
        assert_eq!(app.count("import_file").await, 0, "with its result, which may name people");
    }
}
