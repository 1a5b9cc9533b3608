#!/usr/bin/env bash
# Two shape rules of the code base, checked in CI:
# - no Rust file outside migrations and tests is over 400 lines (a file that long holds
#   more than one idea; split it along meaning);
# - no import circle among the data crate's top-level modules (scripts/check-module-cycles.py).
set -euo pipefail
cd "$(dirname "$0")/.."

limit=400
long=$(find app data domain frontend server bench -name '*.rs' \
    -not -path '*/tests/*' -not -name 'tests.rs' -not -path '*/target/*' -print0 |
  xargs -0 wc -l | awk -v limit="$limit" '$2 != "total" && $1 > limit { print "  " $2 ": " $1 " lines" }')
if [[ -n "$long" ]]; then
  echo "Rust files over $limit lines (split them along meaning):"
  echo "$long"
  exit 1
fi
echo "no Rust file outside migrations and tests is over $limit lines"
python3 scripts/check-module-cycles.py data/src
