//! Hostile uploads (issue 20): a far cell address, zip bombs, a million columns, too many
//! rows, noise. Each is refused at the upload with a 4xx and a Vietnamese reason, in
//! bounded time and memory, and nothing is stored.

use std::time::{Duration, Instant};

use crate::helpers::TestApp;
use crate::hostile_files::{far_cell_xlsx, garbage, long_csv, wide_csv, zip_bomb_xlsx};

/// Uploads `bytes` as a register the way a script would (no `Accept: text/html`): the
/// status, the message, and how long it took.
async fn send(app: &TestApp, name: &str, bytes: Vec<u8>) -> (u16, String, Duration) {
    let form = reqwest::multipart::Form::new()
        .text("loai", "register")
        .part(
            "tep",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
        );
    let started = Instant::now();
    let response = app
        .client
        .post(app.url("/nhap/tai-len"))
        .header("Origin", &app.address)
        .multipart(form)
        .send()
        .await
        .expect("the server answers");
    let status = response.status().as_u16();
    let message = response.text().await.unwrap_or_default();
    (status, message, started.elapsed())
}

/// The highest resident memory this test process (server included) has reached.
fn peak_memory_mb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .map_or(0, |kb| kb / 1024)
}

/// Refused with `status`, a message containing `says`, within 20 s (a debug build on two
/// busy cores), and not stored.
async fn assert_refused(app: &TestApp, name: &str, bytes: Vec<u8>, status: u16, says: &str) {
    let stored = app.count("import_file").await;
    let (got, message, took) = send(app, name, bytes).await;
    assert_eq!(got, status, "{name}: {message}");
    assert!(message.contains(says), "{name}: {message}");
    assert!(took < Duration::from_secs(20), "{name} took {took:?}");
    assert_eq!(app.count("import_file").await, stored, "{name} is not kept");
    // Before the limits the far cell asked for 7.7 GB and the bomb for 4.2 GB.
    assert!(
        peak_memory_mb() < 1_500,
        "{name}: peak {} MB",
        peak_memory_mb()
    );
}

both_databases! {
    async fn a_cell_at_a_far_column_address_is_refused_before_the_row_grows(app) {
        app.load_demo().await;
        app.sign_in_as("totruong.hoaphu").await;
        let file = far_cell_xlsx("ZZZZZZ2");
        assert!(file.len() < 32 * 1024, "a small file: {} bytes", file.len());
        assert_refused(&app, "xa.xlsx", file, 413, "tối đa 200 cột").await;
        assert_refused(&app, "xa-vua.xlsx", far_cell_xlsx("ZZZZZ2"), 413, "Dòng 2").await;
        // A browser goes back to the form, where the reason sits beside the file field.
        let form = reqwest::multipart::Form::new().text("loai", "register")
            .part("tep", reqwest::multipart::Part::bytes(far_cell_xlsx("ZZZZZZ2")).file_name("xa.xlsx"));
        let response = app.client.post(app.url("/nhap/tai-len")).header("Origin", &app.address)
            .header("Accept", "text/html").multipart(form).send().await.expect("upload");
        assert_eq!(response.status(), 303);
        assert_eq!(response.headers()["location"], "/nhap?loi=nhieu-cot&dong=2");
        let page = app.get("/nhap?loi=nhieu-cot&dong=2").await.text().await.expect("page");
        assert!(page.contains("Dòng 2: có ô nằm ngoài 200 cột đầu"), "the form shows why");
    }

    async fn zip_bombs_are_refused_by_what_they_declare_and_by_what_really_inflates(app) {
        app.load_demo().await;
        app.sign_in_as("totruong.hoaphu").await;
        let honest = zip_bomb_xlsx(1, true);
        assert!(honest.len() < 4 * 1024 * 1024, "{} bytes", honest.len());
        assert_refused(&app, "bom.xlsx", honest, 413, "giải nén").await;
        // The same bomb claiming its sheet is 4 KB: the zip reader stops at what it was told
        // and finds the checksum wrong (422), or the bytes that come out are counted (413);
        // either way, in bounded time and memory.
        let (status, message, took) = send(&app, "bom-noi-doi.xlsx", zip_bomb_xlsx(1, false)).await;
        assert!(status == 413 || status == 422, "{status}: {message}");
        assert!(message.contains("Excel"), "{message}");
        assert!(took < Duration::from_secs(20), "{took:?}");
        assert!(peak_memory_mb() < 1_500, "peak {} MB", peak_memory_mb());
    }

    async fn a_million_columns_too_many_rows_and_noise_are_refused(app) {
        app.load_demo().await;
        app.sign_in_as("totruong.hoaphu").await;
        assert_refused(&app, "rong.csv", wide_csv(1_000_000), 413, "tối đa 200 cột").await;
        assert_refused(&app, "dai.csv", long_csv(200_001), 413, "200000 dòng").await;
        assert_refused(&app, "rac.xlsx", garbage(64 * 1024), 422, "").await;
        let (status, message, _) = send(&app, "rac.csv", garbage(64 * 1024)).await;
        assert_eq!(status, 422, "{message}");
        assert!(message.contains("UTF-8") || message.contains("không phải CSV"), "{message}");
        let mut broken_zip = b"PK\x03\x04".to_vec();
        broken_zip.extend(garbage(4096));
        assert_refused(&app, "hong.xlsx", broken_zip, 422, "Excel").await;
        // Within the limits a file is taken: 200 columns, 200 000 rows.
        let (status, message, _) = send(&app, "vua.csv", wide_csv(200)).await;
        assert_eq!(status, 303, "{message}");
        let (status, message, _) = send(&app, "vua-dai.csv", long_csv(199_999)).await;
        assert_eq!(status, 303, "{message}");
    }
}
