//! Logging. `RUST_LOG` sets the filter (default: info for our crates, warn for the rest).

use tracing_subscriber::EnvFilter;

pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        EnvFilter::new("warn,kynangso=info,kynangso_server=info,kynangso_data=info")
    });
    // A second init (several test servers in one process) is harmless: ignore it.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .try_init();
}

/// The log of a server started by an integration test, with `filter` (`RUST_LOG`'s
/// syntax), written through the test harness so that it is shown with the failing test.
pub fn init_for_tests(filter: &str) {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::new(filter))
        .with_test_writer()
        .try_init();
}
