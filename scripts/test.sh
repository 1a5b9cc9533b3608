#!/usr/bin/env bash
# Every check CI makes, in order: formatting, lints per package and feature set, the proof
# that the wasm carries no database code, unit and integration tests on SQLite and
# PostgreSQL, the release build with its size budget, and the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/env.sh

step() { printf '\n\033[1;34m==> %s\033[0m (%s)\n' "$*" "$(date +%H:%M:%S)"; }
started=$(date +%s)

step "formatting"
cargo fmt --all --check

step "code shape: files under 400 lines, no import circle in data/"
scripts/check-code-shape.sh

step "clippy: server side (ssr)"
cargo clippy --locked -p kynangso-domain -p kynangso-migrations -p kynangso-data -p kynangso-app \
  -p kynangso-server -p kynangso-bench --features kynangso-app/ssr --all-targets -- -D warnings

step "clippy: browser side (hydrate, wasm32)"
cargo clippy --locked -p kynangso-frontend --target wasm32-unknown-unknown -- -D warnings

step "the wasm build carries no database, hashing or tokio code"
scripts/check-wasm-deps.sh

step "PostgreSQL is up"
scripts/ensure-postgres.sh

step "unit and integration tests (SQLite and PostgreSQL)"
CI="${CI:-false}" cargo test --locked -p kynangso-domain -p kynangso-migrations -p kynangso-data \
  -p kynangso-app -p kynangso-server --features kynangso-app/ssr

step "release build (cargo-leptos)"
cargo leptos build --release --precompress

step "the release binary's pages name files the site has"
scripts/check-site.sh

step "wasm size budget"
scripts/wasm-size.sh

step "browser tests (Playwright, Debian Chromium, 390x844)"
(cd end2end && npx playwright test)

echo
echo "all checks passed in $(( $(date +%s) - started )) s"
