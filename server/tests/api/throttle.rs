//! Sign-in throttling under bursts, and that it cannot lock an account's owner out.
//!
//! In these tests every client comes from 127.0.0.1: attacker and owner share an address,
//! as a commune office's staff do behind one connection.

use kynangso_data::sign_in::{MAX_FAILURES_PER_ADDRESS, MAX_FAILURES_PER_SOURCE};

use crate::helpers::{DEMO_PASSWORD, TestApp, spawn_client};

async fn sign_in_with(app: &TestApp, client: &reqwest::Client, login: &str, password: &str) -> u16 {
    app.call_with(
        client,
        "auth/sign-in",
        &[("login", login), ("password", password)],
    )
    .await
    .status()
    .as_u16()
}

async fn change_password(app: &TestApp, current: &str) -> reqwest::Response {
    let form = [
        ("current_password", current),
        ("new_password", "một mật khẩu mới đủ dài"),
    ];
    app.call("auth/change-password", &form).await
}

both_databases! {
    async fn a_burst_of_guesses_gets_no_more_checks_than_the_limit(app) {
        app.load_demo().await;
        let mut burst = tokio::task::JoinSet::new();
        for i in 0..41 {
            let (client, url, origin) = (spawn_client(), app.url("/api/auth/sign-in"), app.address.clone());
            let password = if i == 40 { DEMO_PASSWORD.to_owned() } else { format!("đoán sai lần {i}") };
            burst.spawn(async move {
                let form = [("login", "totruong.hoaphu".to_owned()), ("password", password)];
                client.post(url).header("Origin", origin).form(&form).send().await.expect("sign in").status().as_u16()
            });
        }
        let mut checked = 0;
        while let Some(status) = burst.join_next().await {
            match status.expect("task") {
                200 | 401 => checked += 1,
                429 => {}
                other => panic!("unexpected status {other}"),
            }
        }
        assert!(checked as u64 <= MAX_FAILURES_PER_SOURCE, "{checked} passwords were checked");
        assert!(app.count("login_attempt").await as u64 <= MAX_FAILURES_PER_SOURCE);
    }

    async fn someone_guessing_cannot_lock_the_owner_out_of_their_own_phone(app) {
        app.load_demo().await;
        let owner = spawn_client();
        assert_eq!(sign_in_with(&app, &owner, "totruong.hoaphu", DEMO_PASSWORD).await, 200);
        app.call_with(&owner, "auth/sign-out", &[]).await;
        let colleague = app.other_client_signed_in_as("thanhvien.hoaphu", DEMO_PASSWORD).await;
        let attacker = spawn_client();
        for i in 0..12 {
            let status = sign_in_with(&app, &attacker, "totruong.hoaphu", &format!("sai {i}")).await;
            assert!(status == 401 || status == 429, "{status}");
        }
        assert_eq!(sign_in_with(&app, &attacker, "totruong.hoaphu", DEMO_PASSWORD).await, 429, "the attacker is locked");
        assert_eq!(sign_in_with(&app, &owner, "totruong.hoaphu", DEMO_PASSWORD).await, 200, "the owner's phone is not");
        // Guesses at made-up names from the same office address lock that address…
        for i in 0..=MAX_FAILURES_PER_ADDRESS {
            sign_in_with(&app, &attacker, &format!("khong.co.{i}"), "sai").await;
        }
        assert_eq!(sign_in_with(&app, &attacker, "thanhvien.hoaphu", DEMO_PASSWORD).await, 429);
        // …but not a colleague's phone that signed in there before.
        assert_eq!(sign_in_with(&app, &colleague, "thanhvien.hoaphu", DEMO_PASSWORD).await, 200);
    }

    async fn changing_the_password_is_throttled_too(app) {
        app.load_demo().await;
        app.sign_in_as("thanhvien.hoaphu").await;
        for _ in 0..MAX_FAILURES_PER_SOURCE {
            assert_eq!(change_password(&app, "sai mật khẩu").await.status(), 422);
        }
        let locked = change_password(&app, DEMO_PASSWORD).await;
        assert_eq!(locked.status(), 422);
        assert!(locked.text().await.expect("body").contains("quá nhiều lần"));
    }
}
