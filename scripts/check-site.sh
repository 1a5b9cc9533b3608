#!/usr/bin/env bash
# Starts the release binary on an empty SQLite database and checks that every file its
# pages name under /pkg/ (stylesheet, JS, wasm, as the page and its hydration script ask
# for them) exists in the site folder. A binary built without cargo-leptos' settings names
# a wasm file the site does not have, and no page hydrates: this catches it.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
site="${LEPTOS_SITE_ROOT:-target/site}"
work=$(mktemp -d)
port=$(( 20000 + RANDOM % 20000 ))
DATABASE_URL="sqlite://$work/site-check.db" LEPTOS_SITE_ADDR="127.0.0.1:$port" \
  LEPTOS_SITE_ROOT="$site" KYNANGSO_DEMO=never RUST_LOG=warn \
  "$KYNANGSO_BIN" serve >"$work/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 60); do
  curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break
  sleep 0.5
done
page=$(curl -sf "http://127.0.0.1:$port/dang-nhap") || { cat "$work/server.log"; exit 1; }
# Every /pkg/ path in the page: link and script tags, and the names inside the inline
# hydration script (the JS module and, beside it, its wasm).
mapfile -t named < <(grep -oE '/pkg/[A-Za-z0-9_.-]+' <<<"$page" | sort -u)
if (( ${#named[@]} < 3 )); then
  echo "the page names ${#named[@]} site files (expected the stylesheet, JS and wasm): ${named[*]}" >&2
  exit 1
fi
missing=0
for path in "${named[@]}"; do
  if [[ -f "$site$path" ]]; then
    echo "ok       $path"
  else
    echo "MISSING  $path (not in $site)" >&2
    missing=1
  fi
done
exit "$missing"
