//! Sign-in, sessions, throttling, CSRF and security headers, through the real server.

use chrono::Utc;
use kynangso_data::entities::{app_user, user_session};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::helpers::{DEMO_PASSWORD, TestApp};

async fn sign_in(app: &TestApp, login: &str, password: &str) -> reqwest::Response {
    app.call("auth/sign-in", &[("login", login), ("password", password)])
        .await
}

async fn me(app: &TestApp) -> serde_json::Value {
    let response = app.call("auth/me", &[]).await;
    assert_eq!(response.status(), 200);
    response.json().await.expect("JSON")
}

fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("kns_session="))
        .map(str::to_owned)
}

async fn demo(app: &TestApp) {
    kynangso_data::seed::load_demo(&app.db, Some(DEMO_PASSWORD.to_owned()))
        .await
        .expect("demo");
}

both_databases! {
    async fn a_team_member_signs_in_and_out(app) {
        demo(&app).await;
        assert!(me(&app).await.is_null(), "nobody is signed in yet");

        let response = sign_in(&app, "ThanhVien.HoaPhu", DEMO_PASSWORD).await;
        assert_eq!(response.status(), 200);
        let cookie = session_cookie(&response).expect("a session cookie");
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"), "{cookie}");
        let who = me(&app).await;
        assert_eq!(who["username"], "thanhvien.hoaphu");
        assert_eq!(who["role"], "team_member");
        assert_eq!(app.count("user_session").await, 1);

        let signed_in = kynangso_data::entities::audit_log::Entity::find()
            .filter(kynangso_data::entities::audit_log::Column::Action.eq("sign_in"))
            .all(&app.db).await.expect("audit");
        assert_eq!(signed_in.len(), 1);
        assert!(!signed_in[0].after.clone().unwrap_or_default().contains(DEMO_PASSWORD));

        let response = app.call("auth/sign-out", &[]).await;
        assert!(response.status().is_success() || response.status().is_redirection());
        assert!(me(&app).await.is_null());
        assert_eq!(app.count("user_session").await, 0);
    }

    async fn a_wrong_password_and_an_unknown_user_get_the_same_answer(app) {
        demo(&app).await;
        let wrong = sign_in(&app, "thanhvien.hoaphu", "không phải mật khẩu này").await;
        let unknown = sign_in(&app, "khong.ton.tai", "không phải mật khẩu này").await;
        assert_eq!(wrong.status(), 401);
        assert_eq!(unknown.status(), 401);
        let (wrong, unknown) = (wrong.text().await.expect("body"), unknown.text().await.expect("body"));
        assert_eq!(wrong, unknown);
        assert!(wrong.contains("SignInFailed"), "{wrong}");
        assert!(me(&app).await.is_null());
    }

    async fn a_phone_number_in_any_spelling_signs_in(app) {
        demo(&app).await;
        app_user::Entity::update_many()
            .col_expr(app_user::Column::Phone, sea_orm::sea_query::Expr::value("0912345678"))
            .filter(app_user::Column::Username.eq("totruong.hoaphu"))
            .exec(&app.db).await.expect("phone");
        assert_eq!(sign_in(&app, "+84 912 345 678", DEMO_PASSWORD).await.status(), 200);
        assert_eq!(me(&app).await["username"], "totruong.hoaphu");
    }

    async fn repeated_failures_lock_the_account_even_for_the_right_password(app) {
        demo(&app).await;
        for _ in 0..kynangso_data::sign_in::MAX_FAILURES_PER_SOURCE {
            assert_eq!(sign_in(&app, "admin", "sai mật khẩu rồi nhé").await.status(), 401);
        }
        let locked = sign_in(&app, "admin", DEMO_PASSWORD).await;
        assert_eq!(locked.status(), 429);
        assert!(locked.text().await.expect("body").contains("TooManyAttempts"));
        assert!(me(&app).await.is_null());
        // Another account is not locked by these failures.
        assert_eq!(sign_in(&app, "theodoi", DEMO_PASSWORD).await.status(), 200);
    }

    async fn signing_in_again_issues_a_new_session_id_and_ends_the_old_one(app) {
        demo(&app).await;
        let first = session_cookie(&sign_in(&app, "admin", DEMO_PASSWORD).await).expect("cookie");
        let second = session_cookie(&sign_in(&app, "admin", DEMO_PASSWORD).await).expect("cookie");
        assert_ne!(first, second);
        assert_eq!(app.count("user_session").await, 1, "the first session ended");
        let stored = user_session::Entity::find().one(&app.db).await.expect("query").expect("row");
        assert!(!second.contains(&stored.id), "the database keeps a hash, not the token");
    }

    async fn a_disabled_user_is_signed_out_at_once_and_cannot_sign_in(app) {
        demo(&app).await;
        assert_eq!(sign_in(&app, "thanhvien.hoaphu", DEMO_PASSWORD).await.status(), 200);
        app_user::Entity::update_many()
            .col_expr(app_user::Column::DisabledAt, sea_orm::sea_query::Expr::value(Utc::now()))
            .filter(app_user::Column::Username.eq("thanhvien.hoaphu"))
            .exec(&app.db).await.expect("disable");
        assert!(me(&app).await.is_null(), "the live session no longer works");
        assert_eq!(sign_in(&app, "thanhvien.hoaphu", DEMO_PASSWORD).await.status(), 401);
    }

    async fn sign_out_everywhere_ends_every_session_of_the_user(app) {
        demo(&app).await;
        let other_device = crate::helpers::spawn_client();
        let response = other_device
            .post(app.url("/api/auth/sign-in"))
            .header("Origin", &app.address)
            .form(&[("login", "admin"), ("password", DEMO_PASSWORD)])
            .send().await.expect("sign in");
        assert_eq!(response.status(), 200);
        assert_eq!(sign_in(&app, "admin", DEMO_PASSWORD).await.status(), 200);
        assert_eq!(app.count("user_session").await, 2);
        assert_eq!(app.call("auth/sign-out-everywhere", &[]).await.status(), 200);
        assert_eq!(app.count("user_session").await, 0);
    }

    async fn a_cross_site_post_is_refused_before_it_reaches_a_server_function(app) {
        demo(&app).await;
        let forged = app.client.post(app.url("/api/auth/sign-in"))
            .header("Origin", "https://evil.example")
            .form(&[("login", "admin"), ("password", DEMO_PASSWORD)])
            .send().await.expect("request");
        assert_eq!(forged.status(), 403);
        let bare = app.client.post(app.url("/api/auth/sign-in"))
            .form(&[("login", "admin"), ("password", DEMO_PASSWORD)])
            .send().await.expect("request");
        assert_eq!(bare.status(), 403, "no Origin and no Referer");
        assert_eq!(app.count("user_session").await, 0);
        assert_eq!(app.count("login_attempt").await, 0);
    }

    async fn pages_carry_the_security_headers_and_a_fresh_script_nonce(app) {
        let first = app.get("/dang-nhap").await;
        assert_eq!(first.status(), 200);
        let csp = first.headers()["content-security-policy"].to_str().expect("csp").to_owned();
        assert!(csp.contains("frame-ancestors 'none'") && csp.contains("default-src 'self'"), "{csp}");
        assert_eq!(first.headers()["x-content-type-options"], "nosniff");
        assert_eq!(first.headers()["referrer-policy"], "same-origin");
        let nonce = csp.split("'nonce-").nth(1).and_then(|r| r.split('\'').next()).expect("a nonce").to_owned();
        let html = first.text().await.expect("body");
        assert!(html.contains(&format!("nonce=\"{nonce}\"")), "the hydration script carries the nonce");
        let again = app.get("/dang-nhap").await;
        assert!(!again.headers()["content-security-policy"].to_str().expect("csp").contains(&nonce));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_session_is_gone_and_the_person_is_asked_to_sign_in() {
    let app = crate::helpers::spawn_app(crate::helpers::Backend::Sqlite)
        .await
        .expect("sqlite");
    demo(&app).await;
    assert_eq!(sign_in(&app, "admin", DEMO_PASSWORD).await.status(), 200);
    user_session::Entity::update_many()
        .col_expr(
            user_session::Column::ExpiresAt,
            sea_orm::sea_query::Expr::value(Utc::now()),
        )
        .exec(&app.db)
        .await
        .expect("expire");
    assert!(me(&app).await.is_null());
    let response = app.call("auth/sign-out-everywhere", &[]).await;
    assert_eq!(response.status(), 401);
    assert!(
        response
            .text()
            .await
            .expect("body")
            .contains("Unauthenticated")
    );
}
