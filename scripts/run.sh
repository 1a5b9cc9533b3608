#!/usr/bin/env bash
# One command from a fresh machine to a running app: installs what is missing, builds the
# release site with cargo-leptos and serves it on http://127.0.0.1:3000 with the embedded
# SQLite database in var/kynangso.db (demo data is loaded on first start).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/env.sh
exec cargo leptos serve --release --precompress "$@"
