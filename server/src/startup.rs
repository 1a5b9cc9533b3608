//! Start-up: open the database, migrate, maybe load the demo, bind, serve.

use std::net::SocketAddr;

use anyhow::Context;
use axum::serve::ListenerExt;
use kynangso_data::db::{self, Engine};
use leptos::config::LeptosOptions;
use tokio::net::TcpListener;

use crate::admin::print_demo_accounts;
use crate::config::{DemoMode, Settings};
use crate::router;

pub struct Application {
    listener: TcpListener,
    router: axum::Router,
    addr: SocketAddr,
}

impl Application {
    /// Everything up to accepting connections. A failed migration stops here, with the
    /// database error in the message, and the server never serves a half-migrated schema.
    pub async fn build(settings: &Settings) -> anyhow::Result<Application> {
        let engine = db::engine_of(settings.database_url.expose())?;
        if let Some(path) = db::sqlite_path(settings.database_url.expose()) {
            let shown = std::path::absolute(&path).unwrap_or(path);
            tracing::info!(file = %shown.display(), "using the embedded SQLite database");
        }
        let conn = db::connect(&settings.db())
            .await
            .context("opening the database")?;
        db::migrate(&conn).await.context(
            "migrating the database schema; the server will not start on an outdated schema",
        )?;

        if kynangso_data::standings::rebuild_if_missing(&conn)
            .await
            .context("building the coverage table")?
        {
            tracing::info!("coverage table rebuilt from attendance");
        }

        let load_demo = match settings.demo {
            DemoMode::Always => true,
            DemoMode::Never => false,
            DemoMode::Auto => engine == Engine::Sqlite && db::is_empty(&conn).await?,
        };
        if load_demo {
            let accounts = kynangso_data::seed::load_demo(&conn, settings.demo_password.clone())
                .await
                .context("loading the demo data set")?;
            print_demo_accounts(&accounts);
        }

        let listener = TcpListener::bind(settings.site_addr)
            .await
            .with_context(|| format!("binding {}", settings.site_addr))?;
        let addr = listener.local_addr()?;
        let options = LeptosOptions::builder()
            .output_name("kynangso")
            .site_root(settings.site_root.as_str())
            .site_pkg_dir(settings.site_pkg_dir.as_str())
            .site_addr(addr)
            .build();
        let auth = settings.auth();
        crate::housekeeping::spawn(conn.clone(), auth.policy);
        let router = router::build(conn, options, auth);
        Ok(Application {
            listener,
            router,
            addr,
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        tracing::info!("Kỹ Năng Số is listening on http://{}", self.addr);
        // Pages stream in chunks (the shell, then what waited on data). With Nagle's
        // algorithm on, a chunk written while the previous one is unacknowledged waits for
        // the client's delayed ACK (40 ms on Linux): session pages took 46 ms at p50 under
        // 500 req/s instead of 7 ms.
        let listener = self.listener.tap_io(|stream| {
            if let Err(error) = stream.set_nodelay(true) {
                tracing::debug!(%error, "could not set TCP_NODELAY");
            }
        });
        axum::serve(
            listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown_signal())
        .await?;
        Ok(())
    }
}

async fn shutdown_signal() {
    let _ = tokio::signal::ctrl_c().await;
}
