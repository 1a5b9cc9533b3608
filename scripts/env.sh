# Sourced by the other scripts: tool paths and the build output locations.
export PATH="$PWD/.tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-$PWD/target/site}"
export KYNANGSO_BIN="${KYNANGSO_BIN:-$CARGO_TARGET_DIR/release/kynangso}"
