#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: Debian's server binaries, a temporary folder, a free
# port on loopback. Sourced by .ci/run, which then calls start_test_cluster and, on exit, stop_test_cluster.
# Exports TEST_DATABASE_URL naming a fresh database in it.

postgres_bin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/initdb" ] && echo "$dir"
  done | sort -V | tail -n 1
}

# Run as the postgres user when we are root (initdb refuses root); as ourselves otherwise.
as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_test_cluster() {
  local bin port
  bin="$(postgres_bin)"
  if [ -z "$bin" ]; then
    echo "Installing postgresql…"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq postgresql >/dev/null
    bin="$(postgres_bin)"
  fi
  PG_TEST_DIR="$(mktemp -d /tmp/neverok-pg.XXXXXX)"
  [ "$(id -u)" = 0 ] && chown postgres "$PG_TEST_DIR"
  port="$(node -e 'const s = require("node:net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });')"
  as_postgres "$bin/initdb" -D "$PG_TEST_DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$PG_TEST_DIR/initdb.log"
  # Durability is not what these tests are about: without fsync a throwaway cluster is several times faster.
  as_postgres "$bin/pg_ctl" -D "$PG_TEST_DIR/data" -l "$PG_TEST_DIR/server.log" -w -o \
    "-p $port -k $PG_TEST_DIR -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null
  PG_TEST_BIN="$bin"
  export PATH="$bin:$PATH"
  as_postgres "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres neverok_test
  export TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/neverok_test"
  echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') for the tests at $TEST_DATABASE_URL"
}

stop_test_cluster() {
  [ -n "${PG_TEST_DIR:-}" ] || return 0
  as_postgres "$PG_TEST_BIN/pg_ctl" -D "$PG_TEST_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PG_TEST_DIR"
}
