//! Server-rendered pages.

use crate::helpers::{Backend, spawn_demo_app};

both_databases! {
    async fn the_home_page_is_rendered_in_vietnamese_with_the_hydration_script(app) {
        let response = app.get("/").await;
        assert_eq!(response.status(), 200);
        let html = response.text().await.expect("body");
        assert!(html.contains(r#"<html lang="vi""#), "document language is Vietnamese");
        assert!(html.contains("Kỹ Năng Số"));
        assert!(html.contains("/pkg/kynangso.js"), "the page loads the hydration script");
        assert!(html.contains("/pkg/kynangso.css"));
    }

    async fn an_unknown_page_answers_404_in_vietnamese(app) {
        let response = app.get("/khong-co-trang-nay").await;
        assert_eq!(response.status(), 404);
        assert!(response.text().await.expect("body").contains("Không tìm thấy trang"));
    }

    async fn the_health_check_answers_when_the_database_does(app) {
        let response = app.get("/healthz").await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.text().await.expect("body"), "ok");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_home_page_lists_the_demo_communes_in_the_server_rendered_html() {
    let app = spawn_demo_app(Backend::Sqlite).await.expect("sqlite");
    let html = app.get("/").await.text().await.expect("body");
    assert!(
        html.contains("Xã Hòa Phú"),
        "the communes are in the HTML before any script runs"
    );
    assert!(html.contains("Mã 24175"));
}
