#!/usr/bin/env bash
# Build the self-contained Linux bundle of Treffpunkt.
#
#   bash packaging/linux/build.sh              → dist/treffpunkt/ and dist/treffpunkt-VERSION-linux-ARCH.tar.gz
#   bash packaging/linux/build.sh --venv-only  prepare the build venv (needs PyPI) and stop
#   bash packaging/linux/build.sh --force      rebuild even if nothing changed
#   bash packaging/linux/build.sh --no-tarball skip the tarball (the tests use this)
#
# The build venv (build/venv) is separate from the development .venv so that test
# tools never end up in the bundle.  Only its preparation needs the network; the
# freeze itself runs offline (the tests run it inside their network namespace).
# If dist/treffpunkt/ was built from exactly the current inputs it is reused.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$here"

venv="build/venv"
dist="dist/treffpunkt"
app_id="de.treffpunkt.Treffpunkt"

venv_only=0 force=0 tarball=1
for arg in "$@"; do
    case "$arg" in
        --venv-only) venv_only=1 ;;
        --force) force=1 ;;
        --no-tarball) tarball=0 ;;
        *) echo "usage: packaging/linux/build.sh [--venv-only] [--force] [--no-tarball]" >&2; exit 2 ;;
    esac
done

log() { echo "build.sh: $*" >&2; }

# --- 1. the build venv: runtime dependencies + the "bundle" extra of pyproject.toml -------
python="${PYTHON:-python3}"
"$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
    log "needs Python 3.11 or newer (set PYTHON=...)"; exit 1; }
requirements="$("$python" -c '
import tomllib
with open("pyproject.toml", "rb") as fh:
    project = tomllib.load(fh)["project"]
print("\n".join(project["dependencies"] + project["optional-dependencies"]["bundle"]))
')"
wanted_stamp="$(printf '%s\n' "$requirements" | sha256sum | cut -d' ' -f1)"
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$venv/.requirements" 2>/dev/null)" != "$wanted_stamp" ]; then
    log "preparing $venv (runtime dependencies + PyInstaller)"
    [ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
    printf '%s\n' "$requirements" > "$venv/requirements.txt"
    "$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$venv/requirements.txt"
    echo "$wanted_stamp" > "$venv/.requirements"
fi
[ "$venv_only" = 1 ] && exit 0

# --- 2. reuse the bundle if its inputs did not change --------------------------------------
inputs_hash() {
    # Every file that ends up in the bundle or steers the build, by content.
    find client resources packaging/common packaging/linux/build.sh packaging/linux/share \
         packaging/linux/install-user.sh \
         pyproject.toml "$venv/.requirements" -type f \
         ! -path '*/__pycache__/*' ! -name '*.pyc' ! -name '*.qm' -print0 \
        | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1
}
hash="$(inputs_hash)"
if [ "$force" = 0 ] && [ -x "$dist/treffpunkt" ] && [ "$(cat "$dist/BUILD-INPUTS" 2>/dev/null)" = "$hash" ]; then
    log "$dist is up to date"
else
    # --- 3. freeze ---------------------------------------------------------------------------
    started=$(date +%s)
    "$venv/bin/python" scripts/build_translations.py
    rm -rf "$dist"
    "$venv/bin/python" -m PyInstaller --noconfirm --log-level WARN \
        --distpath dist --workpath build/pyinstaller packaging/common/treffpunkt.spec
    # Desktop integration files travel inside the bundle so that the tarball, the
    # .deb and the Flatpak all install the same ones.
    cp -r packaging/linux/share "$dist/share"
    for size in 16 32 48 64 128 256 512; do
        mkdir -p "$dist/share/icons/hicolor/${size}x${size}/apps"
        cp "resources/icons/treffpunkt-$size.png" "$dist/share/icons/hicolor/${size}x${size}/apps/$app_id.png"
    done
    mkdir -p "$dist/share/icons/hicolor/scalable/apps"
    cp resources/icons/treffpunkt.svg "$dist/share/icons/hicolor/scalable/apps/$app_id.svg"
    cp packaging/linux/install-user.sh "$dist/install.sh"
    echo "$hash" > "$dist/BUILD-INPUTS"
    log "froze $dist in $(( $(date +%s) - started )) s, $(du -sh "$dist" | cut -f1)"
fi

# --- 4. tarball ----------------------------------------------------------------------------
if [ "$tarball" = 1 ]; then
    version="$("$venv/bin/python" -c 'import client; print(client.__version__)')"
    archive="dist/treffpunkt-$version-linux-$(uname -m).tar.gz"
    if [ ! -f "$archive" ] || [ "$dist/BUILD-INPUTS" -nt "$archive" ]; then
        tar -C dist -czf "$archive.tmp" treffpunkt
        mv "$archive.tmp" "$archive"
    fi
    log "$archive ($(du -h "$archive" | cut -f1))"
fi
