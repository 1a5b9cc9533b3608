//! Server-rendered pages.

use crate::helpers::{Backend, spawn_app_configured, spawn_demo_app};

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bundle_is_sent_as_compressed_at_build_time_and_pages_are_compressed_on_the_fly() {
    // The release build precompresses the site (`cargo leptos build --precompress`): a
    // phone gets the brotli file written at build time, and the server spends nothing on
    // it. Pages, made per request, are compressed as they are sent.
    let site = tempfile::tempdir().expect("site folder");
    let pkg = site.path().join("pkg");
    std::fs::create_dir_all(&pkg).expect("pkg folder");
    let wasm = b"\0asm not really a bundle, repeated ".repeat(200);
    std::fs::write(pkg.join("kynangso.wasm"), &wasm).expect("wasm");
    let precompressed = b"brotli written at build time".to_vec();
    std::fs::write(pkg.join("kynangso.wasm.br"), &precompressed).expect("wasm.br");
    let root = site.path().to_str().expect("utf-8 path").to_owned();
    let app = spawn_app_configured(Backend::Sqlite, |settings| settings.site_root = root)
        .await
        .expect("sqlite");

    let get = |path: &str, encoding: &str| {
        app.client
            .get(format!("{}{path}", app.address))
            .header("Accept-Encoding", encoding)
            .send()
    };
    let bundle = get("/pkg/kynangso.wasm", "gzip, deflate, br")
        .await
        .expect("bundle");
    assert_eq!(bundle.status(), 200);
    assert_eq!(bundle.headers()["content-encoding"], "br");
    assert_eq!(
        bundle.bytes().await.expect("body").to_vec(),
        precompressed,
        "the file, as written"
    );
    let plain = get("/pkg/kynangso.wasm", "identity").await.expect("bundle");
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(plain.bytes().await.expect("body").to_vec(), wasm);

    let page = get("/", "br").await.expect("page");
    assert_eq!(page.status(), 200);
    assert_eq!(
        page.headers()["content-encoding"],
        "br",
        "pages are compressed as sent"
    );
}
