#!/usr/bin/env bash
# HTTP load on the generated province (see scripts/bench.sh, which builds the databases):
# release servers on loopback, `kynangso-bench load` from its own process, peak memory of
# each server. Prints the tables BENCHMARKS.md quotes.
#   scripts/load.sh sqlite [rate] [seconds]     one server on var/bench.db
#   scripts/load.sh postgres [rate] [seconds]   two servers sharing kns_bench
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
engine="${1:-sqlite}"
rate="${2:-500}"
seconds="${3:-60}"
pg_admin="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"

# The server is built the one way the app is (cargo-leptos: its settings name the site's
# wasm and JS files); a plain `cargo build -p kynangso-server` would leave a binary whose
# pages ask for files the site does not have.
cargo leptos build --release --precompress
cargo build --release --locked -p kynangso-bench
bench="$CARGO_TARGET_DIR/release/kynangso-bench"
server="$CARGO_TARGET_DIR/release/kynangso"
case "$engine" in
  sqlite) url="sqlite://var/bench.db"; ports=(3100) ;;
  postgres) url="${pg_admin%/*}/kns_bench"; ports=(3100 3101) ;;
  *) echo "usage: $0 sqlite|postgres [rate] [seconds]" >&2; exit 2 ;;
esac

pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
for port in "${ports[@]}"; do
  DATABASE_URL="$url" LEPTOS_SITE_ADDR="127.0.0.1:$port" KYNANGSO_DEMO=never RUST_LOG=warn \
    "$server" serve >"var/load-server-$port.log" 2>&1 &
  pids+=("$!")
done
for port in "${ports[@]}"; do
  for _ in $(seq 1 60); do
    curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break
    sleep 1
  done
done

args=()
for port in "${ports[@]}"; do args+=(--url "http://127.0.0.1:$port"); done
for pid in "${pids[@]}"; do args+=(--server-pid "$pid"); done
"$bench" --database-url "$url" load "${args[@]}" --rate "$rate" --seconds "$seconds"
