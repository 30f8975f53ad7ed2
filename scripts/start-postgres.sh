#!/usr/bin/env bash
# A local PostgreSQL for the test suite (`npm run test:pg`, .ci/run). Idempotent: installs the
# Debian packages when missing, initialises a private cluster once, starts it when it is not
# running, drops the per-test-file databases (jxmb_<name>_p<pid>_<8 hex>) of runs that have ended,
# and prints the connection URL on stdout (everything else goes to stderr):
#
#   TEST_DATABASE_URL="$(bash scripts/start-postgres.sh)" npx vitest run
#   bash scripts/start-postgres.sh stop
#
# The cluster listens on 127.0.0.1 only with trust authentication, and runs with fsync off: it is
# for tests, never for data you want to keep. Settings: JXMB_PG_DIR (data directory, default
# /tmp/jxmb-pg), JXMB_PG_PORT (first port tried, default 5432; the next free one is used when it
# is taken by something else).
set -euo pipefail

DATA="${JXMB_PG_DIR:-/tmp/jxmb-pg}"
WANTED_PORT="${JXMB_PG_PORT:-5432}"

log() { echo "start-postgres: $*" >&2; }
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

BIN="$(pg_bin)"
if [[ -z "$BIN" || ! -x "$BIN/initdb" ]]; then
  log "PostgreSQL server not found; installing it with apt-get"
  SUDO=()
  [[ "$(id -u)" -ne 0 ]] && SUDO=(sudo)
  "${SUDO[@]}" apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq postgresql >&2
  BIN="$(pg_bin)"
fi

# The server refuses to run as root: as root, run it as the postgres user the package created.
if [[ "$(id -u)" -eq 0 ]]; then
  AS=(runuser -u postgres --)
  OWNER=postgres
else
  AS=()
  OWNER="$(id -un)"
fi
pg_ctl() { "${AS[@]}" "$BIN/pg_ctl" -D "$DATA" "$@"; }

if [[ "${1:-}" == "stop" ]]; then
  if [[ -f "$DATA/postmaster.pid" ]]; then pg_ctl -m fast -w stop >&2; else log "not running"; fi
  exit 0
fi

if [[ ! -f "$DATA/PG_VERSION" ]]; then
  log "initialising a cluster in $DATA"
  mkdir -p "$DATA"
  chown "$OWNER" "$DATA"
  chmod 700 "$DATA"
  # C.UTF-8 collation orders text by code point, as SQLite's BINARY collation does.
  "${AS[@]}" "$BIN/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >&2
  cat >>"$DATA/postgresql.conf" <<CONF

# scripts/start-postgres.sh: a loopback-only, throwaway cluster for tests.
listen_addresses = '127.0.0.1'
unix_socket_directories = '$DATA'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
fi

port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if pg_ctl status >/dev/null 2>&1; then
  PORT="$(sed -n 4p "$DATA/postmaster.pid")"
else
  PORT="$WANTED_PORT"
  while port_taken "$PORT"; do
    log "port $PORT is taken; trying $((PORT + 1))"
    PORT=$((PORT + 1))
    if (( PORT > WANTED_PORT + 50 )); then log "no free port near $WANTED_PORT"; exit 1; fi
  done
  log "starting PostgreSQL on 127.0.0.1:$PORT"
  pg_ctl -l "$DATA/server.log" -w -t 60 -o "-p $PORT" start >&2
fi

psql_admin() { "${AS[@]}" psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U postgres -d postgres "$@"; }
# test/helpers/db.ts names each database jxmb_<name>_p<pid>_<random> after the vitest process of its
# run; a database whose process is gone is left over, one whose process lives belongs to a running suite.
dropped=0
while read -r name; do
  [[ -z "$name" ]] && continue
  pid="${name##*_p}"
  pid="${pid%_*}"
  [[ -d "/proc/$pid" ]] && continue
  psql_admin -c "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)"
  dropped=$((dropped + 1))
done <<<"$(psql_admin -At -c "SELECT datname FROM pg_database WHERE datname ~ '^jxmb_.+_p[0-9]+_[0-9a-f]{8}\$'")"
if (( dropped > 0 )); then log "dropped $dropped test databases left by finished runs"; fi

echo "postgresql://postgres@127.0.0.1:$PORT/postgres"
