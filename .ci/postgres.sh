#!/usr/bin/env bash
# Makes a PostgreSQL server answer on 127.0.0.1:5432, creates the test role and database
# idempotently, and prints the connection URL as the only line on stdout (logs go to stderr):
#
#   export TEST_DATABASE_URL="$(.ci/postgres.sh)"
#
# Runs as root on Debian with no stdin and no systemd. In order of preference it
#   1. reuses a server that already answers on 127.0.0.1:5432;
#   2. installs the `postgresql` package when no server binaries are found (apt-get);
#   3. starts the Debian cluster (pg_ctlcluster, pg_createcluster if there is none);
#   4. falls back to a throwaway cluster made with initdb in $PG_CI_DATA_DIR, run as `postgres`.
# Role, password and database come from PG_CI_USER / PG_CI_PASSWORD / PG_CI_DATABASE.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

HOST=127.0.0.1
PORT=5432
DB_USER="${PG_CI_USER:-gateway}"
DB_PASSWORD="${PG_CI_PASSWORD:-gateway}"
DB_NAME="${PG_CI_DATABASE:-gateway_test}"
TEMP_DATA_DIR="${PG_CI_DATA_DIR:-/tmp/gateway-ci-postgres}"
URL="postgres://${DB_USER}:${DB_PASSWORD}@${HOST}:${PORT}/${DB_NAME}"
# Unix-socket directories where the superuser may be reached with peer authentication.
SOCKET_DIRS=(/var/run/postgresql /tmp "${TEMP_DATA_DIR}/socket")

log() { printf '[postgres.sh] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# The directory of the newest server binaries: Debian's /usr/lib/postgresql/<v>/bin, else the
# directory a `postgres` on PATH resolves to (for example symlinks in /usr/local/bin).
find_bin_dir() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [[ -n "$dir" && -x "$dir/postgres" && -x "$dir/initdb" ]]; then
    echo "$dir"
    return
  fi
  if command -v postgres >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v postgres)")"
  fi
}

# A client tool: from the server's bin directory when it has one, else from PATH.
tool() {
  if [[ -n "${BIN_DIR:-}" && -x "$BIN_DIR/$1" ]]; then echo "$BIN_DIR/$1"; else command -v "$1" || true; fi
}

as_postgres() {
  if command -v runuser >/dev/null 2>&1; then runuser -u postgres -- "$@"; else su postgres -s /bin/sh -c "$(printf '%q ' "$@")"; fi
}

is_ready() { "$(tool pg_isready)" -q -h "$HOST" -p "$PORT" >/dev/null 2>&1; }

wait_ready() {
  for _ in $(seq 1 60); do
    if is_ready; then return 0; fi
    sleep 0.5
  done
  return 1
}

ensure_postgres_user() {
  if ! id postgres >/dev/null 2>&1; then
    log "creating system user postgres"
    useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/bash postgres
  fi
}

install_packages() {
  log "no PostgreSQL server binaries found; installing the postgresql package"
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends postgresql postgresql-client >&2
}

# Debian's cluster tooling: start the cluster that owns port 5432, creating one if needed.
start_debian_cluster() {
  command -v pg_lsclusters >/dev/null 2>&1 || return 1
  local version cluster
  read -r version cluster < <(pg_lsclusters --no-header 2>/dev/null | awk -v p="$PORT" '$3 == p { print $1, $2; exit }') || true
  if [[ -z "${version:-}" ]]; then
    version="$(basename "$(dirname "$BIN_DIR")")"
    [[ "$version" =~ ^[0-9]+$ ]] || return 1
    cluster=main
    if pg_lsclusters --no-header 2>/dev/null | awk -v v="$version" '$1 == v && $2 == "main" { found = 1 } END { exit !found }'; then
      cluster=ci
    fi
    log "creating cluster $version/$cluster on port $PORT"
    pg_createcluster "$version" "$cluster" --port "$PORT" >&2 || return 1
  fi
  mkdir -p /var/run/postgresql && chown postgres:postgres /var/run/postgresql
  log "starting cluster $version/$cluster"
  pg_ctlcluster "$version" "$cluster" start >&2 || return 1
  wait_ready
}

# A throwaway cluster owned by `postgres` (initdb refuses to run as root).
start_temp_cluster() {
  ensure_postgres_user
  local data="$TEMP_DATA_DIR/data" socket="$TEMP_DATA_DIR/socket"
  mkdir -p "$TEMP_DATA_DIR" "$socket"
  chown -R postgres:postgres "$TEMP_DATA_DIR"
  if [[ ! -s "$data/PG_VERSION" ]]; then
    log "initdb into $data"
    as_postgres "$BIN_DIR/initdb" -D "$data" -U postgres --auth-local=peer --auth-host=scram-sha-256 -E UTF8 >&2
  fi
  log "starting a server on $HOST:$PORT from $data"
  as_postgres "$BIN_DIR/pg_ctl" -D "$data" -l "$TEMP_DATA_DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=$HOST -p $PORT -k $socket" start >&2 || { tail -n 20 "$TEMP_DATA_DIR/server.log" >&2 || true; return 1; }
  wait_ready
}

# Runs SQL as a superuser: peer authentication over a local socket, or PG_CI_ADMIN_URL if given.
admin_psql() {
  local psql
  psql="$(tool psql)"
  if [[ -n "${PG_CI_ADMIN_URL:-}" ]]; then
    "$psql" "$PG_CI_ADMIN_URL" -v ON_ERROR_STOP=1 -qAt "$@"
    return
  fi
  local dir
  for dir in "${SOCKET_DIRS[@]}"; do
    if [[ -S "$dir/.s.PGSQL.$PORT" ]] && as_postgres "$psql" -h "$dir" -p "$PORT" -d postgres -qAt -c 'select 1' >/dev/null 2>&1; then
      (cd / && as_postgres "$psql" -h "$dir" -p "$PORT" -d postgres -v ON_ERROR_STOP=1 -qAt "$@")
      return
    fi
  done
  die "cannot reach the server as a superuser over a local socket; set PG_CI_ADMIN_URL"
}

create_role_and_database() {
  log "ensuring role $DB_USER and database $DB_NAME"
  admin_psql -v user="$DB_USER" -v password="$DB_PASSWORD" -v db="$DB_NAME" >&2 <<'SQL'
select format('create role %I login password %L', :'user', :'password')
  where not exists (select 1 from pg_roles where rolname = :'user') \gexec
select format('alter role %I login password %L', :'user', :'password') \gexec
select format('create database %I owner %I', :'db', :'user')
  where not exists (select 1 from pg_database where datname = :'db') \gexec
select format('alter database %I owner to %I', :'db', :'user') \gexec
SQL
}

main() {
  [[ "$(id -u)" == 0 ]] || die "run as root"
  BIN_DIR="$(find_bin_dir)"
  if [[ -z "$BIN_DIR" ]] || [[ -z "$(tool psql)" ]] || [[ -z "$(tool pg_isready)" ]]; then
    install_packages
    BIN_DIR="$(find_bin_dir)"
  fi
  [[ -n "$BIN_DIR" ]] || die "no PostgreSQL server binaries after installing"
  log "server binaries in $BIN_DIR"

  if is_ready; then
    log "a server already answers on $HOST:$PORT; reusing it"
  elif [[ "${PG_CI_FORCE_TEMP_CLUSTER:-}" != 1 ]] && start_debian_cluster; then
    log "Debian cluster is up"
  else
    log "no usable Debian cluster (or PG_CI_FORCE_TEMP_CLUSTER=1); using a throwaway cluster"
    start_temp_cluster || die "could not start PostgreSQL"
  fi

  create_role_and_database
  "$(tool psql)" "$URL" -qAt -c 'select 1' >/dev/null || die "cannot connect with $URL"
  log "ready"
  echo "$URL"
}

main "$@"
