#!/usr/bin/env bash
# Makes sure the servers cluster mode's tests use are installed and running: Redis on 127.0.0.1:6379 and
# PostgreSQL on 127.0.0.1:5432, both from Debian's packages. Where one already answers it is left alone.
# A PostgreSQL this script starts lets local TCP connections in without a password (trust on 127.0.0.1
# and ::1), as the tests connect: only for a CI machine, which nothing else reaches.
set -uo pipefail

ATTEMPTS=${SERVERS_INSTALL_ATTEMPTS:-3}

log() { echo "start-servers: $*" >&2; }

redis_up() { command -v redis-cli >/dev/null && [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = PONG ]; }
postgres_up() { command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432; }

# Waits up to 30 s for a server to answer.
wait_for() {
  local check=$1 name=$2
  for _ in $(seq 1 60); do
    "$check" && return 0
    sleep 0.5
  done
  log "$name did not answer within 30 s."
  return 1
}

if redis_up && postgres_up; then
  log "Redis and PostgreSQL already run; nothing to do."
  exit 0
fi
if ! command -v apt-get >/dev/null || [ "$(id -u)" != 0 ]; then
  log "Redis or PostgreSQL is not running on 127.0.0.1, and starting them needs root and apt-get: start them by hand (see the README's \"Growing past one machine\")."
  exit 1
fi

packages=()
command -v redis-server >/dev/null || packages+=(redis-server)
ls /etc/postgresql/*/main >/dev/null 2>&1 || packages+=(postgresql)
if [ ${#packages[@]} -gt 0 ]; then
  installed=
  # apt may be slow or briefly unreachable: retry with growing pauses before giving up.
  for attempt in $(seq 1 "$ATTEMPTS"); do
    if apt-get -o Acquire::Retries=3 update -qq &&
      DEBIAN_FRONTEND=noninteractive apt-get -o Acquire::Retries=3 install -y -qq --no-install-recommends "${packages[@]}" >/dev/null; then
      installed=yes
      break
    fi
    log "installing ${packages[*]}: attempt $attempt of $ATTEMPTS failed; retrying in $((attempt * 15)) s."
    sleep $((attempt * 15))
  done
  [ -n "$installed" ] || { log "could not install ${packages[*]}."; exit 1; }
  log "installed ${packages[*]}."
fi

if ! redis_up; then
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no >/dev/null
  wait_for redis_up Redis || exit 1
  log "started Redis $(redis-server --version | sed -E 's/.*v=([^ ]+).*/\1/')."
fi

if ! postgres_up; then
  version=$(ls /etc/postgresql | sort -n | tail -n1)
  hba=/etc/postgresql/$version/main/pg_hba.conf
  if ! grep -qE '^host\s+all\s+all\s+127\.0\.0\.1/32\s+trust' "$hba"; then
    # First match wins in pg_hba.conf: these lines go before Debian's password rules.
    { printf 'host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n'; cat "$hba"; } >"$hba.new" && mv "$hba.new" "$hba"
    chown postgres:postgres "$hba"
  fi
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
  wait_for postgres_up PostgreSQL || exit 1
  log "started PostgreSQL $version."
fi
