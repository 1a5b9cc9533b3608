#!/usr/bin/env bash
# The integration tests need PostgreSQL on 127.0.0.1:5432 (trust auth). Start the local
# cluster if it is installed but stopped; under CI=true a missing server fails the tests.
set -uo pipefail
if pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  echo "PostgreSQL is accepting connections on 127.0.0.1:5432"
  exit 0
fi
if command -v pg_ctlcluster >/dev/null && [[ -d /etc/postgresql ]]; then
  echo "starting the local PostgreSQL cluster"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && exit 0; sleep 1; done
fi
echo "PostgreSQL is not reachable on 127.0.0.1:5432" >&2
[[ "${CI:-false}" == "true" ]] && exit 1
exit 0
