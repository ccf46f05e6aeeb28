#!/usr/bin/env bash
# A local PostgreSQL for the store tests (`make postgres`, run by `make unit`): installs the Debian
# package if missing, creates a cluster if none listens on the port, starts it listening on
# 127.0.0.1 only, and makes the role of LOGIN_BRIDGE_TEST_POSTGRES_URL (password login, CREATEDB:
# every test creates and drops its own database). Idempotent; a second run takes well under a second.
# No systemd needed (containers): the cluster is driven with pg_ctlcluster.
set -euo pipefail

URL=${LOGIN_BRIDGE_TEST_POSTGRES_URL:-postgres://login_bridge_test:lb-test-pw-7Hq2@127.0.0.1:5432/postgres}
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# postgres://USER:PASSWORD@127.0.0.1:PORT/DB — the test URL is ours, so plain characters only.
if [[ ! $URL =~ ^postgres(ql)?://([A-Za-z0-9_]+):([A-Za-z0-9_.-]+)@127\.0\.0\.1:([0-9]+)/([A-Za-z0-9_]+)$ ]]; then
  echo "scripts/postgres.sh: LOGIN_BRIDGE_TEST_POSTGRES_URL must look like postgres://user:password@127.0.0.1:5432/postgres (letters, digits, _ . -)" >&2
  exit 2
fi
ROLE=${BASH_REMATCH[2]} PASSWORD=${BASH_REMATCH[3]} PORT=${BASH_REMATCH[4]} DB=${BASH_REMATCH[5]}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }
as_role() { PGPASSWORD=$PASSWORD PGCONNECT_TIMEOUT=3 psql -X -h 127.0.0.1 -p "$PORT" -U "$ROLE" -d "$DB" -v ON_ERROR_STOP=1 -qAt "$@"; }

# Fast path: already running, ours, and loopback only.
if command -v psql >/dev/null 2>&1 \
  && [ "$(as_role -c "SELECT rolcreatedb AND pg_has_role('pg_signal_backend', 'MEMBER') AND current_setting('listen_addresses') = '127.0.0.1' FROM pg_roles WHERE rolname = current_user" 2>/dev/null)" = t ]; then
  exit 0
fi

if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  say "apt-get install postgresql"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postgresql
fi

# The cluster on PORT, else a new one (the package makes `main` on 5432 unless told otherwise).
read -r VERSION CLUSTER < <(pg_lsclusters -h | awk -v port="$PORT" '$3 == port { print $1, $2; exit }') || true
if [ -z "${VERSION:-}" ]; then
  VERSION=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  CLUSTER=main
  if pg_lsclusters -h | awk '{ print $1, $2 }' | grep -qx "$VERSION main"; then CLUSTER=login_bridge; fi
  say "pg_createcluster $VERSION $CLUSTER --port $PORT"
  as_root pg_createcluster "$VERSION" "$CLUSTER" --port "$PORT" >/dev/null
fi

# Loopback only: tests and their password must never be reachable from the network. A conf.d file
# (Debian's postgresql.conf includes conf.d/ last) leaves the cluster's own postgresql.conf alone.
restart=no
conf=/etc/postgresql/$VERSION/$CLUSTER/conf.d/login-bridge-test.conf
wanted="listen_addresses = '127.0.0.1'   # written by login-bridge scripts/postgres.sh"
if [ "$(cat "$conf" 2>/dev/null || true)" != "$wanted" ]; then
  printf '%s\n' "$wanted" | as_root tee "$conf" >/dev/null
  restart=yes
fi
status=$(pg_lsclusters -h | awk -v v="$VERSION" -v c="$CLUSTER" '$1 == v && $2 == c { print $4 }')
if [ "$status" != online ]; then
  say "pg_ctlcluster $VERSION $CLUSTER start"
  as_root pg_ctlcluster "$VERSION" "$CLUSTER" start
elif [ "$restart" = yes ]; then
  say "pg_ctlcluster $VERSION $CLUSTER restart (listen on 127.0.0.1 only)"
  as_root pg_ctlcluster "$VERSION" "$CLUSTER" restart
fi
for _ in $(seq 1 50); do
  pg_isready -q -h 127.0.0.1 -p "$PORT" && break
  sleep 0.2
done

# The role: password login, CREATEDB and pg_signal_backend (not superuser). Name and password
# are checked above.
as_postgres psql -X -p "$PORT" -d postgres -v ON_ERROR_STOP=1 -qAt <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') THEN
    CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD';
  ELSE
    ALTER ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD';
  END IF;
END
\$\$;
-- DROP DATABASE … WITH (FORCE) after each test may have to stop an autovacuum worker.
GRANT pg_signal_backend TO $ROLE;
SQL

if [ "$(as_role -c "SELECT rolcreatedb FROM pg_roles WHERE rolname = current_user")" != t ]; then
  echo "scripts/postgres.sh: cannot log in as $ROLE on 127.0.0.1:$PORT with its password (check pg_hba.conf of $VERSION/$CLUSTER)" >&2
  exit 1
fi
say "PostgreSQL $VERSION/$CLUSTER on 127.0.0.1:$PORT, role $ROLE"
