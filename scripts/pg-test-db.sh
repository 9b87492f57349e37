#!/usr/bin/env bash
# Starts the local PostgreSQL 15 cluster if needed and makes sure a login role `stowaway_test`
# with CREATEDB exists. Prints the URL the integration suite should use. Needs root (or the
# postgres user) on Debian; prints nothing and exits 3 when PostgreSQL is not available.
set -euo pipefail
command -v pg_ctlcluster >/dev/null 2>&1 || exit 3
ver=$(ls /etc/postgresql 2>/dev/null | sort -n | tail -1)
[ -n "$ver" ] || exit 3
if ! pg_lsclusters -h 2>/dev/null | awk -v v="$ver" '$1==v && $2=="main" && $4=="online"' | grep -q .; then
  pg_ctlcluster "$ver" main start >&2 || exit 3
fi
for _ in $(seq 1 30); do
  su postgres -c "psql -qAt -c 'select 1'" >/dev/null 2>&1 && break
  sleep 1
done
su postgres -c "psql -qAt -c \"DO \\\$\\\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='stowaway_test') THEN CREATE ROLE stowaway_test LOGIN PASSWORD 'stowaway_test' CREATEDB; END IF; END \\\$\\\$;\"" >/dev/null
su postgres -c "psql -qAt -c \"SELECT 1 FROM pg_database WHERE datname='stowaway_test'\"" | grep -q 1 ||
  su postgres -c "createdb -O stowaway_test stowaway_test"
port=$(su postgres -c "psql -qAt -c 'show port'")
echo "postgres://stowaway_test:stowaway_test@127.0.0.1:${port}/stowaway_test"
