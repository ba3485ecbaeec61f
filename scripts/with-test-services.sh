#!/usr/bin/env bash
# Run a command against throw-away PostgreSQL, Redis and ClamAV instances.
#
#   scripts/with-test-services.sh CMD [ARGS...]
#
# Installs missing Debian packages (postgresql incl. contrib extensions,
# redis-server, chromium, clamav-daemon, fonts-dejavu-core) when run as root,
# starts a private PostgreSQL cluster and a private Redis on free 127.0.0.1
# ports and a private clamd on a unix socket, all inside a temporary
# directory. clamd gets no downloaded virus database (no freshclam, no
# network): only a local hash signature of the EICAR test file, written at
# start, so that the document store's virus check is tested for real. Exports
#   DATABASE_URL, CELERY_BROKER_URL, REDIS_URL, ONEDOOR_TEST_PG_BIN,
#   ONEDOOR_TEST_REDIS_PORT, ONEDOOR_TEST_PGDATA, CHROMIUM_PATH,
#   ONEDOOR_CLAMD_SOCKET
# runs CMD and exits with its exit code. Everything is stopped and the
# temporary directory removed on exit, failure, SIGINT, SIGTERM and SIGHUP.
set -euo pipefail

readonly PG_PORT_START=55432
readonly REDIS_PORT_START=56379
readonly CHROMIUM=/usr/bin/chromium
readonly DB_NAME=onedoor DB_USER=onedoor DB_PASSWORD=onedoor
readonly START_ATTEMPTS=5
readonly CLAMD=/usr/sbin/clamd

log() { printf 'test-services: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

if [[ $# -eq 0 ]]; then
    printf 'usage: %s CMD [ARGS...]\n' "${0##*/}" >&2
    exit 2
fi

IS_ROOT=0
[[ $(id -u) -eq 0 ]] && IS_ROOT=1

# ---------------------------------------------------------------------------
# State used by cleanup (set as things get started).
# ---------------------------------------------------------------------------
TMP_ROOT=""
PG_BIN=""
PGDATA_DIR=""
PG_LAUNCHED=0      # pg_ctl start was attempted
REDIS_LAUNCHED=0   # redis-server was attempted
REDIS_PIDFILE=""
CLAMD_PID=""
CHILD_PID=""

# ---------------------------------------------------------------------------
# 1. Packages
# ---------------------------------------------------------------------------
find_pg_bin() {
    # Highest installed major version that has the server binaries.
    local dir
    PG_BIN=""
    while IFS= read -r dir; do
        [[ -n $dir ]] || continue
        if [[ -x $dir/initdb && -x $dir/pg_ctl && -x $dir/postgres \
              && -x $dir/pg_isready && -x $dir/psql ]]; then
            PG_BIN=$dir
        fi
    done < <(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V || true)
    [[ -n $PG_BIN ]]
}

pg_sharedir() {
    local share=""
    if [[ -x $PG_BIN/pg_config ]]; then
        share=$("$PG_BIN/pg_config" --sharedir 2>/dev/null || true)
    fi
    if [[ -z $share || ! -d $share ]]; then
        share=/usr/share/postgresql/$(basename "$(dirname "$PG_BIN")")
    fi
    printf '%s\n' "$share"
}

have_pg_contrib() {
    local ext
    ext=$(pg_sharedir)/extension
    [[ -f $ext/pg_trgm.control && -f $ext/unaccent.control ]]
}

missing_packages() {
    local -a pkgs=()
    if ! find_pg_bin; then
        pkgs+=(postgresql postgresql-contrib)
    elif ! have_pg_contrib; then
        # Debian 12: contrib lives in postgresql-15 (postgresql-contrib is a
        # metapackage); older/newer layouts may differ, so ask for it.
        pkgs+=(postgresql-contrib)
    fi
    if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
        pkgs+=(redis-server redis-tools)
    fi
    if [[ ! -x $CHROMIUM ]]; then
        pkgs+=(chromium fonts-liberation)
    fi
    if [[ ! -x /usr/sbin/clamd ]]; then
        pkgs+=(clamav-daemon)
    fi
    if [[ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]]; then
        pkgs+=(fonts-dejavu-core)
    fi
    if ! command -v runuser >/dev/null 2>&1; then
        pkgs+=(util-linux)
    fi
    printf '%s\n' "${pkgs[@]}"
}

ensure_packages() {
    local -a missing
    mapfile -t missing < <(missing_packages)
    # mapfile yields one empty element when nothing is printed
    [[ ${#missing[@]} -eq 1 && -z ${missing[0]} ]] && missing=()
    if [[ ${#missing[@]} -eq 0 ]]; then
        return 0
    fi
    if [[ $IS_ROOT -ne 1 ]]; then
        die "missing packages: ${missing[*]} - install them as root: apt-get install ${missing[*]} (or run this script as root)"
    fi
    command -v apt-get >/dev/null 2>&1 || die "missing packages (${missing[*]}) and apt-get is not available"
    log "installing missing packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get -o DPkg::Lock::Timeout=300 update -q </dev/null >&2 \
        || die "apt-get update failed"
    apt-get -o DPkg::Lock::Timeout=300 install -y -q --no-install-recommends \
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
        "${missing[@]}" </dev/null >&2 \
        || die "apt-get install ${missing[*]} failed"
    mapfile -t missing < <(missing_packages)
    [[ ${#missing[@]} -eq 1 && -z ${missing[0]} ]] && missing=()
    if [[ ${#missing[@]} -ne 0 ]]; then
        die "still missing after installation: ${missing[*]}"
    fi
}

# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------
# Run a command as the PostgreSQL OS user (initdb refuses to run as root).
as_pg() {
    if [[ $IS_ROOT -eq 1 ]]; then
        (cd / && exec runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

PYTHON=""
for candidate in python3 python; do
    if command -v "$candidate" >/dev/null 2>&1; then PYTHON=$candidate; break; fi
done

# Print the first port >= $1 that can be bound on 127.0.0.1 (skipping $2..).
free_port() {
    local start=$1; shift
    local -a exclude=("$@")
    if [[ -n $PYTHON ]]; then
        "$PYTHON" - "$start" "${exclude[@]}" <<'PY'
import socket, sys
start = int(sys.argv[1])
exclude = {int(p) for p in sys.argv[2:] if p}
for port in range(start, min(start + 2000, 65536)):
    if port in exclude:
        continue
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        continue
    finally:
        s.close()
    print(port)
    sys.exit(0)
sys.exit(1)
PY
        return
    fi
    # Fallback without python: treat "nobody answers a connect" as free.
    local port ex skip
    for ((port = start; port < start + 2000 && port < 65536; port++)); do
        skip=0
        for ex in "${exclude[@]}"; do [[ $ex == "$port" ]] && skip=1; done
        [[ $skip -eq 1 ]] && continue
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    return 1
}

# Alive = exists and is not a zombie (daemons are reparented to PID 1, which
# may be slow to reap them, e.g. in containers).
pid_alive() {
    local stat
    [[ -n ${1:-} ]] && kill -0 "$1" 2>/dev/null || return 1
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
    stat=${stat##*) }
    [[ ${stat:0:1} != Z ]]
}

# wait_gone PID TENTHS_OF_SECONDS -> 0 if PID is gone in time
wait_gone() {
    local pid=$1 n=$2
    while ((n-- > 0)); do
        pid_alive "$pid" || return 0
        sleep 0.1
    done
    ! pid_alive "$pid"
}

# All descendants of a PID (snapshot, via /proc).
descendants() {
    local parent=$1 f pid ppid rest
    local -A children=()
    for f in /proc/[0-9]*/stat; do
        # field 2 (comm) may contain spaces; strip through the last ')'
        rest=$(<"$f") 2>/dev/null || continue
        pid=${f#/proc/}; pid=${pid%/stat}
        rest=${rest##*) }
        read -r _ ppid _ <<<"$rest"
        children[$ppid]+="$pid "
    done 2>/dev/null
    local -a queue=("$parent") out=()
    while ((${#queue[@]})); do
        local p=${queue[0]}
        queue=("${queue[@]:1}")
        for pid in ${children[$p]:-}; do
            out+=("$pid"); queue+=("$pid")
        done
    done
    ((${#out[@]} == 0)) || printf '%s\n' "${out[@]}"
}

# Stop the child command (and its process tree) after we got signal $1.
stop_child() {
    local sig=$1 pid
    local -a tree
    [[ -n $CHILD_PID ]] || return 0
    if pid_alive "$CHILD_PID"; then
        # On SIGINT from a terminal the child got it too: give it a moment.
        if [[ $sig == INT ]]; then wait_gone "$CHILD_PID" 20 || true; fi
        if pid_alive "$CHILD_PID"; then
            log "stopping command (pid $CHILD_PID) with SIG$sig"
            mapfile -t tree < <(descendants "$CHILD_PID")
            kill -s "$sig" "$CHILD_PID" "${tree[@]}" 2>/dev/null || true
            if ! wait_gone "$CHILD_PID" 100; then
                log "command did not exit, sending SIGKILL"
                mapfile -t -O "${#tree[@]}" tree < <(descendants "$CHILD_PID")
                kill -s KILL "$CHILD_PID" "${tree[@]}" 2>/dev/null || true
            fi
            for pid in "${tree[@]}"; do
                [[ -n $pid ]] && kill -s KILL "$pid" 2>/dev/null || true
            done
        fi
    fi
    wait "$CHILD_PID" 2>/dev/null || true
    CHILD_PID=""
}

# ---------------------------------------------------------------------------
# Cleanup / signals
# ---------------------------------------------------------------------------
cleanup() {
    local rc=$?
    trap '' INT TERM HUP
    set +e
    stop_child TERM
    # A signal may arrive right after pg_ctl/redis-server returned, before we
    # recorded success, so look at pid files rather than "started" flags and
    # give a just-launched server a moment to write its pid file.
    local n
    if [[ $PG_LAUNCHED -eq 1 && ! -f $PGDATA_DIR/postmaster.pid ]]; then
        for ((n = 0; n < 30; n++)); do
            [[ -f $PGDATA_DIR/postmaster.pid ]] && break
            sleep 0.1
        done
    fi
    if [[ -n $PGDATA_DIR && -f $PGDATA_DIR/postmaster.pid ]]; then
        log "stopping PostgreSQL"
        if ! as_pg "$PG_BIN/pg_ctl" stop -D "$PGDATA_DIR" -m fast -w -t 30 >/dev/null 2>&1; then
            local pgpid
            pgpid=$(head -n1 "$PGDATA_DIR/postmaster.pid" 2>/dev/null)
            if [[ -n $pgpid ]] && pid_alive "$pgpid"; then
                log "pg_ctl stop failed, killing postmaster $pgpid"
                kill -s QUIT "$pgpid" 2>/dev/null
                wait_gone "$pgpid" 50 || kill -s KILL "$pgpid" 2>/dev/null
            fi
        fi
    fi
    if [[ $REDIS_LAUNCHED -eq 1 && -n $REDIS_PIDFILE && ! -s $REDIS_PIDFILE ]]; then
        for ((n = 0; n < 30; n++)); do
            [[ -s $REDIS_PIDFILE ]] && break
            sleep 0.1
        done
    fi
    if [[ -n $REDIS_PIDFILE && -s $REDIS_PIDFILE ]]; then
        local rpid
        rpid=$(<"$REDIS_PIDFILE")
        if [[ -n $rpid ]] && pid_alive "$rpid"; then
            log "stopping Redis"
            kill -s TERM "$rpid" 2>/dev/null
            wait_gone "$rpid" 100 || kill -s KILL "$rpid" 2>/dev/null
        fi
    fi
    if [[ -n $CLAMD_PID ]] && pid_alive "$CLAMD_PID"; then
        log "stopping clamd"
        kill -s TERM "$CLAMD_PID" 2>/dev/null
        wait_gone "$CLAMD_PID" 100 || kill -s KILL "$CLAMD_PID" 2>/dev/null
    fi
    if [[ -n $TMP_ROOT && -d $TMP_ROOT ]]; then
        # postgres children may need a moment to release files after KILL
        rm -rf -- "$TMP_ROOT" 2>/dev/null || { sleep 1; rm -rf -- "$TMP_ROOT"; }
    fi
    exit "$rc"
}

on_signal() {
    local sig=$1 num
    trap '' INT TERM HUP
    log "received SIG$sig, cleaning up"
    stop_child "$sig"
    case $sig in INT) num=2 ;; HUP) num=1 ;; *) num=15 ;; esac
    exit $((128 + num))
}

trap cleanup EXIT
trap 'on_signal INT' INT
trap 'on_signal TERM' TERM
trap 'on_signal HUP' HUP

# ---------------------------------------------------------------------------
# Go
# ---------------------------------------------------------------------------
ensure_packages
find_pg_bin || die "no PostgreSQL server binaries under /usr/lib/postgresql/*/bin"
have_pg_contrib || die "PostgreSQL contrib extensions (pg_trgm, unaccent) not found in $(pg_sharedir)/extension"
command -v redis-server >/dev/null 2>&1 || die "redis-server not found"

if [[ $IS_ROOT -eq 1 ]] && ! id -u postgres >/dev/null 2>&1; then
    log "creating system user postgres"
    useradd --system --user-group --home-dir /var/lib/postgresql --no-create-home \
        --shell /bin/bash postgres || die "could not create user postgres"
fi

make_tmp_root() {
    local base=$1
    TMP_ROOT=$(mktemp -d "${base%/}/onedoor-test-services.XXXXXX") || return 1
    # unix socket paths are limited to ~107 bytes
    if (( ${#TMP_ROOT} > 80 )); then
        rm -rf -- "$TMP_ROOT"; TMP_ROOT=""; return 1
    fi
    if [[ $IS_ROOT -eq 1 ]]; then
        chown postgres: "$TMP_ROOT"
        if ! as_pg test -w "$TMP_ROOT"; then
            rm -rf -- "$TMP_ROOT"; TMP_ROOT=""; return 1
        fi
    fi
    return 0
}

if ! make_tmp_root "${TMPDIR:-/tmp}"; then
    [[ ${TMPDIR:-/tmp} != /tmp ]] || die "could not create a usable temp dir under /tmp"
    log "TMPDIR=$TMPDIR is not usable (path too long or not accessible by postgres), using /tmp"
    make_tmp_root /tmp || die "could not create a usable temp dir under /tmp"
fi
log "temp dir $TMP_ROOT"

# --- PostgreSQL -------------------------------------------------------------
PGDATA_DIR=$TMP_ROOT/pgdata
PG_LOG=$TMP_ROOT/postgresql.log
PG_VERSION=$("$PG_BIN/postgres" -V 2>/dev/null | awk '{print $3}')

log "initdb (PostgreSQL ${PG_VERSION:-?}, $PG_BIN)"
if ! as_pg "$PG_BIN/initdb" -D "$PGDATA_DIR" -U postgres \
        --auth-local=trust --auth-host=scram-sha-256 \
        --encoding=UTF8 --locale=C.UTF-8 --no-sync \
        >"$TMP_ROOT/initdb.log" 2>&1; then
    tail -n 30 "$TMP_ROOT/initdb.log" >&2
    die "initdb failed"
fi

cat >>"$PGDATA_DIR/postgresql.conf" <<EOF

# --- with-test-services.sh: throw-away test cluster ---
listen_addresses = '127.0.0.1'
unix_socket_directories = '$TMP_ROOT'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
logging_collector = off
EOF

PG_PORT=""
for ((attempt = 1; attempt <= START_ATTEMPTS; attempt++)); do
    port=$(free_port "$PG_PORT_START") || die "no free port for PostgreSQL"
    log "starting PostgreSQL on 127.0.0.1:$port"
    PG_LAUNCHED=1
    if as_pg "$PG_BIN/pg_ctl" start -D "$PGDATA_DIR" -l "$PG_LOG" -w -t 60 \
            -o "-p $port" >/dev/null 2>&1; then
        PG_PORT=$port
        break
    fi
    if grep -qiE 'could not (bind|create any TCP)|address already in use' "$PG_LOG" 2>/dev/null; then
        log "port $port was taken meanwhile, retrying"
        : >"$PG_LOG"
        continue
    fi
    tail -n 30 "$PG_LOG" >&2 || true
    die "PostgreSQL failed to start"
done
[[ -n $PG_PORT ]] || die "PostgreSQL failed to start after $START_ATTEMPTS attempts"

ready=0
for ((i = 0; i < 100; i++)); do
    if "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -d postgres -t 2; then
        ready=1; break
    fi
    sleep 0.2
done
[[ $ready -eq 1 ]] || { tail -n 30 "$PG_LOG" >&2 || true; die "PostgreSQL does not accept connections"; }

psql_admin() {
    as_pg env -u PGSERVICE -u PGOPTIONS "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 \
        -h "$TMP_ROOT" -p "$PG_PORT" -U postgres -d postgres "$@"
}
psql_admin -c "CREATE ROLE $DB_USER LOGIN SUPERUSER PASSWORD '$DB_PASSWORD'" >/dev/null \
    || die "could not create role $DB_USER"
psql_admin -c "CREATE DATABASE $DB_NAME OWNER $DB_USER" >/dev/null \
    || die "could not create database $DB_NAME"
log "PostgreSQL ready: role/database $DB_USER/$DB_NAME"

# --- Redis ------------------------------------------------------------------
REDIS_DIR=$TMP_ROOT/redis
mkdir -p "$REDIS_DIR"
REDIS_PORT=""
for ((attempt = 1; attempt <= START_ATTEMPTS; attempt++)); do
    port=$(free_port "$REDIS_PORT_START" "$PG_PORT") || die "no free port for Redis"
    REDIS_PIDFILE=$REDIS_DIR/redis-$port.pid
    REDIS_LOG=$REDIS_DIR/redis-$port.log
    log "starting Redis on 127.0.0.1:$port"
    REDIS_LAUNCHED=1
    redis-server --port "$port" --bind 127.0.0.1 --dir "$REDIS_DIR" \
        --save "" --appendonly no --daemonize yes \
        --pidfile "$REDIS_PIDFILE" --logfile "$REDIS_LOG" \
        </dev/null >/dev/null 2>&1 || true
    ok=0
    for ((i = 0; i < 100; i++)); do
        rpid=""
        [[ -s $REDIS_PIDFILE ]] && rpid=$(<"$REDIS_PIDFILE")
        if [[ -n $rpid ]] && pid_alive "$rpid"; then
            # make sure the answering server is ours, not someone else's
            served=$(redis-cli -h 127.0.0.1 -p "$port" info server 2>/dev/null \
                | tr -d '\r' | sed -n 's/^process_id://p' || true)
            if [[ $served == "$rpid" ]] \
                && [[ $(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | tr -d '\r') == PONG ]]; then
                ok=1; break
            fi
        elif [[ -n $rpid ]] || grep -q 'Address already in use\|Could not create server TCP' "$REDIS_LOG" 2>/dev/null; then
            break   # it died
        fi
        sleep 0.1
    done
    if [[ $ok -eq 1 ]]; then REDIS_PORT=$port; break; fi
    [[ -n ${rpid:-} ]] && pid_alive "$rpid" && kill -s KILL "$rpid" 2>/dev/null || true
    if grep -q 'Address already in use\|Could not create server TCP' "$REDIS_LOG" 2>/dev/null; then
        log "port $port was taken meanwhile, retrying"
        continue
    fi
    tail -n 30 "$REDIS_LOG" >&2 2>/dev/null || true
    die "Redis failed to start"
done
[[ -n $REDIS_PORT ]] || die "Redis failed to start after $START_ATTEMPTS attempts"
log "Redis ready"

# --- ClamAV (clamd) ---------------------------------------------------------
# A local signature database only: the SHA-256 hash signature (.hsb) of the
# EICAR test file. The string is put together from two pieces here so that no
# file of the repository holds it whole (and no scanner flags the repository).
CLAMD_DIR=$TMP_ROOT/clamd
CLAMD_SOCKET=$CLAMD_DIR/clamd.sock
CLAMD_LOG=$CLAMD_DIR/clamd.log
mkdir -p "$CLAMD_DIR/db"
eicar_head='X5O!P%@AP[4\PZX54(P^)7CC)7}$'
eicar_tail='EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*'
eicar_sha256=$(printf '%s%s' "$eicar_head" "$eicar_tail" | sha256sum | cut -d' ' -f1)
eicar_size=$(printf '%s%s' "$eicar_head" "$eicar_tail" | wc -c)
printf '%s:%s:Eicar-Signature\n' "$eicar_sha256" "$eicar_size" >"$CLAMD_DIR/db/onedoor-test.hsb"
cat >"$CLAMD_DIR/clamd.conf" <<CONF
LocalSocket $CLAMD_SOCKET
LocalSocketMode 600
DatabaseDirectory $CLAMD_DIR/db
TemporaryDirectory $CLAMD_DIR
LogFile $CLAMD_LOG
Foreground yes
SelfCheck 0
CONF
log "starting clamd (local EICAR signature only)"
"$CLAMD" --config-file="$CLAMD_DIR/clamd.conf" </dev/null >"$CLAMD_DIR/clamd.out" 2>&1 &
CLAMD_PID=$!
ok=0
for ((i = 0; i < 300; i++)); do
    pid_alive "$CLAMD_PID" || break
    if [[ -S $CLAMD_SOCKET ]] && clamdscan --config-file="$CLAMD_DIR/clamd.conf" --ping 1 >/dev/null 2>&1; then
        ok=1; break
    fi
    sleep 0.1
done
if [[ $ok -ne 1 ]]; then
    tail -n 30 "$CLAMD_LOG" "$CLAMD_DIR/clamd.out" >&2 2>/dev/null || true
    die "clamd does not answer PING"
fi
log "clamd ready"

# --- Environment & command --------------------------------------------------
export DATABASE_URL="postgres://$DB_USER:$DB_PASSWORD@127.0.0.1:$PG_PORT/$DB_NAME"
export CELERY_BROKER_URL="redis://127.0.0.1:$REDIS_PORT/0"
export REDIS_URL="$CELERY_BROKER_URL"
export ONEDOOR_TEST_PG_BIN="$PG_BIN"
export ONEDOOR_TEST_REDIS_PORT="$REDIS_PORT"
export ONEDOOR_TEST_PGDATA="$PGDATA_DIR"
export CHROMIUM_PATH="$CHROMIUM"
export ONEDOOR_CLAMD_SOCKET="$CLAMD_SOCKET"

log "running: $*"
# Background + wait so that our signal traps run while the command is running.
# Undo the SIGINT/SIGQUIT ignore bash applies to background jobs, and keep
# stdin (bash would otherwise redirect it from /dev/null).
( trap - INT QUIT TERM HUP; exec "$@" ) <&0 &
CHILD_PID=$!
rc=0
wait "$CHILD_PID" || rc=$?
CHILD_PID=""
log "command exited with status $rc"
exit "$rc"
