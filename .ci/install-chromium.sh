#!/usr/bin/env bash
# Installs Debian's Chromium (the `chromium` package, /usr/bin/chromium) for the web chat's browser tests,
# which drive it headless through playwright-core. Does nothing where it is already there. Without root or
# apt (a developer's machine), it says so and leaves the machine alone: the browser tests then skip.
set -uo pipefail

ATTEMPTS=${CHROMIUM_INSTALL_ATTEMPTS:-3}

log() { echo "install-chromium: $*" >&2; }

if [ -x /usr/bin/chromium ]; then
  log "$(/usr/bin/chromium --version 2>/dev/null || echo chromium) is already installed."
  exit 0
fi
if ! command -v apt-get >/dev/null || [ "$(id -u)" != 0 ]; then
  log "needs root and apt-get; skipped (the web chat's browser tests will skip outside CI)."
  exit 0
fi

# apt may be slow or briefly unreachable: retry with growing pauses before giving up.
for attempt in $(seq 1 "$ATTEMPTS"); do
  if apt-get -o Acquire::Retries=3 update -qq &&
    DEBIAN_FRONTEND=noninteractive apt-get -o Acquire::Retries=3 install -y -qq --no-install-recommends chromium >/dev/null; then
    log "installed $(/usr/bin/chromium --version 2>/dev/null || echo chromium)."
    exit 0
  fi
  log "attempt $attempt of $ATTEMPTS failed; retrying in $((attempt * 15)) s."
  sleep $((attempt * 15))
done
log "could not install chromium after $ATTEMPTS attempts."
exit 1
