#!/usr/bin/env bash
# Province-scale benchmarks on SQLite and PostgreSQL: generates each database once (seeded,
# about 5 min on SQLite and 10 on PostgreSQL with 2 cores) and prints the timings that
# BENCHMARKS.md quotes. The databases are kept (var/bench.db, kns_bench on PostgreSQL);
# delete them to regenerate. Usage: scripts/bench.sh [scale]   (default 1 = full province)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
scale="${1:-1}"
pg_admin="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
pg_url="${pg_admin%/*}/kns_bench"

cargo build --release --locked -p kynangso-bench
bench="$CARGO_TARGET_DIR/release/kynangso-bench"
mkdir -p var

if [[ ! -f var/bench.db ]]; then
  "$bench" --database-url sqlite://var/bench.db generate --scale "$scale"
fi
if ! psql "$pg_url" -c 'SELECT 1 FROM trained_person LIMIT 1' >/dev/null 2>&1; then
  psql "$pg_admin" -c 'DROP DATABASE IF EXISTS kns_bench' -c 'CREATE DATABASE kns_bench' >/dev/null
  "$bench" --database-url "$pg_url" generate --scale "$scale"
fi

echo "## SQLite"
"$bench" --database-url sqlite://var/bench.db measure
echo "## PostgreSQL"
"$bench" --database-url "$pg_url" measure
