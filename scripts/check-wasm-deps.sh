#!/usr/bin/env bash
# Fails if the hydrate (wasm) crate depends, directly or not, on server-only crates.
set -euo pipefail
cd "$(dirname "$0")/.."
forbidden='^(sea-orm|sea-query|sqlx|sqlx-core|argon2|tokio|mio|kynangso-data|kynangso-migrations|leptos_axum|axum) '
deps=$(cargo tree --locked -p kynangso-frontend --target wasm32-unknown-unknown -e normal,build \
  --prefix none --format '{p}' | sort -u)
if found=$(grep -E "$forbidden" <<<"$deps"); then
  echo "The wasm bundle would include server-only crates:" >&2
  echo "$found" >&2
  exit 1
fi
echo "ok: $(wc -l <<<"$deps") crates in the wasm graph, none of them server-only"
