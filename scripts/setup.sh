#!/usr/bin/env bash
# Treffpunkt set-up for a fresh Debian/Ubuntu machine; idempotent, as root or via sudo.
#   scripts/setup.sh app    install what the app needs, then start it (extra args go to the app)
#   scripts/setup.sh test   install what the tests need, then run the whole suite (extra args go to pytest)
set -euo pipefail

mode="${1:-}"
[ $# -gt 0 ] && shift
case "$mode" in app|test|install-app|install-test) ;; *)
    echo "usage: scripts/setup.sh app|test [args]" >&2; exit 2 ;;
esac

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi

# Runtime libraries: PortAudio for sounddevice, the xcb/EGL libraries Qt's platform
# plugins load, fonts so text renders, D-Bus for Qt's portal integration.
APP_PACKAGES="python3 python3-venv python3-pip libportaudio2 libasound2-plugins
  libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxkbcommon-x11-0 libxcb-image0 libxcb-render-util0
  libxcb-shape0 libxcb-randr0 libxcb-xkb1 libxcb-xinerama0 libegl1 libgl1 libfontconfig1
  libdbus-1-3 fonts-dejavu-core ca-certificates"
# The loopback rig: Prosody, coturn, Chromium for the lib-jitsi-meet peer, PulseAudio's
# null sink for audio, Xvfb for screenshots, iproute2 for the private network namespace,
# certutil (libnss3-tools) so the browser peer trusts the rig's CA through an NSS db.
TEST_PACKAGES="prosody lua-unbound coturn chromium pulseaudio xvfb xauth iproute2 openssl
  util-linux nodejs npm libnss3-tools"
# Packaging checks: .desktop and AppStream validators; readelf (binutils) for the bundle.
TEST_PACKAGES="$TEST_PACKAGES desktop-file-utils appstream binutils"

apt_install() {
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "setup: installing system packages: ${missing[*]}"
    $SUDO apt-get update -q
    # Prosody's and coturn's postinst try to start system daemons; the rig runs its own.
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# shellcheck disable=SC2086
apt_install $APP_PACKAGES
if [ "$mode" = test ] || [ "$mode" = install-test ]; then
    # Node.js may come from elsewhere (e.g. nodesource); only ask apt for what is absent.
    pkgs=""
    for p in $TEST_PACKAGES; do
        case "$p" in nodejs) command -v node >/dev/null || pkgs="$pkgs $p" ;;
                     npm) command -v npm >/dev/null || pkgs="$pkgs $p" ;;
                     *) pkgs="$pkgs $p" ;; esac
    done
    # shellcheck disable=SC2086
    apt_install $pkgs
fi

python=python3
"$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
    echo "setup: Treffpunkt needs Python 3.11 or newer" >&2; exit 1; }
[ -x .venv/bin/python ] || "$python" -m venv .venv
extra=""
[ "$mode" = test ] || [ "$mode" = install-test ] && extra="[test]"
stamp=".venv/.installed$extra"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q -e ".$extra"
    touch "$stamp"
fi
.venv/bin/python scripts/build_translations.py

case "$mode" in
app)
    exec .venv/bin/treffpunkt "$@" ;;
test)
    bash tests/rig/browser/install.sh
    # The bundle's build venv needs PyPI, which the tests' network namespace cannot reach.
    bash packaging/linux/build.sh --venv-only
    export QT_QPA_PLATFORM=offscreen
    exec .venv/bin/python -m pytest "$@" ;;
esac
