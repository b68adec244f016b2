#!/usr/bin/env bash
# Installs Mesa's software Vulkan driver (lavapipe) so that the WebGPU test runs on a machine without a GPU.
# Dawn (ONNX Runtime's WebGPU provider) refuses bookworm's Mesa 22; bookworm-backports' Mesa 25 works.
# The backports suite reuses the URIs of the machine's own Debian source, so no mirror is named here.
# Without root or apt (a developer's machine), it says so and leaves the machine alone: the test then skips.
set -uo pipefail

ATTEMPTS=${VULKAN_INSTALL_ATTEMPTS:-3}
LIST=/etc/apt/sources.list.d/stylize-backports.sources

log() { echo "install-vulkan: $*" >&2; }

if ! command -v apt-get >/dev/null || [ "$(id -u)" != 0 ]; then
  log "needs root and apt-get; skipped (the WebGPU test will skip outside CI)."
  exit 0
fi
if ls /usr/share/vulkan/icd.d/lvp_icd*.json >/dev/null 2>&1 && dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null | grep -q '^2[5-9]\.'; then
  log "lavapipe from Mesa $(dpkg-query -W -f='${Version}' mesa-vulkan-drivers) is already installed."
  exit 0
fi

# The first Debian URI apt already uses (deb822 .sources first, then the one-line sources.list).
debian_uri() {
  local uri
  uri=$(grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v -- '-security' | head -n1)
  if [ -z "$uri" ]; then
    uri=$(grep -hE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | grep -v -- '-security' | awk '{for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit }}' | head -n1)
  fi
  echo "$uri"
}

URI=$(debian_uri)
if [ -z "$URI" ]; then
  log "found no Debian apt source to reuse; cannot add bookworm-backports."
  exit 1
fi
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
{
  echo "Types: deb"
  echo "URIs: $URI"
  echo "Suites: bookworm-backports"
  echo "Components: main"
  [ -f "$KEYRING" ] && echo "Signed-By: $KEYRING"
} >"$LIST"

# apt may be slow or briefly unreachable: retry with growing pauses before giving up.
for attempt in $(seq 1 "$ATTEMPTS"); do
  if apt-get -o Acquire::Retries=3 update -qq &&
    DEBIAN_FRONTEND=noninteractive apt-get -o Acquire::Retries=3 install -y -qq --no-install-recommends \
      -t bookworm-backports mesa-vulkan-drivers libvulkan1 >/dev/null; then
    log "installed lavapipe from Mesa $(dpkg-query -W -f='${Version}' mesa-vulkan-drivers)."
    exit 0
  fi
  log "attempt $attempt of $ATTEMPTS failed; retrying in $((attempt * 15)) s."
  sleep $((attempt * 15))
done
log "could not install lavapipe after $ATTEMPTS attempts."
exit 1
