#!/usr/bin/env bash
# Installs what this machine is missing to build and test Kỹ Năng Số, and nothing twice:
# the wasm target, cargo-leptos 0.3.10, the wasm-bindgen CLI matching Cargo.lock, wasm-opt
# (npm binaryen 132), the end-to-end test packages and Debian's Chromium.
# Everything comes from the package registries; nothing is downloaded from elsewhere.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\033[1;32m[setup]\033[0m %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [[ "$(cargo leptos --version 2>/dev/null)" != *"0.3.10"* ]]; then
  # 0.3.11 does not build on Rust 1.95; --locked keeps its dependencies at tested versions.
  log "installing cargo-leptos 0.3.10 (one-time, about 15 minutes on 2 cores)"
  cargo install cargo-leptos --locked --version 0.3.10
fi

bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
if [[ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $bindgen_version" ]]; then
  # Without --locked: its lockfile pins a crate version the registry mirror lacks.
  log "installing wasm-bindgen-cli $bindgen_version (must match Cargo.lock)"
  cargo install wasm-bindgen-cli --version "$bindgen_version"
fi

# wasm-opt from npm's binaryen 132. Debian's binaryen 108 produces a release wasm that
# fails at load time, so ours must come first on PATH (scripts put .tools/bin first).
if [[ ! -x .tools/node_modules/.bin/wasm-opt ]]; then
  log "installing wasm-opt (npm binaryen@132) into .tools/"
  npm install --prefix .tools --no-audit --no-fund --silent binaryen@132
fi

if [[ ! -d end2end/node_modules/@playwright/test ]]; then
  log "installing the end-to-end test packages"
  (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent)
fi

if [[ ! -x /usr/bin/chromium ]]; then
  log "installing Debian's Chromium for the browser tests"
  if [[ $(id -u) -eq 0 ]]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
fi
log "tools are ready"
