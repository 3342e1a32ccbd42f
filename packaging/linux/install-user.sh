#!/usr/bin/env bash
# Install the unpacked Treffpunkt tarball for the current user (no root needed):
#
#   tar xzf treffpunkt-VERSION-linux-ARCH.tar.gz && treffpunkt/install.sh
#   treffpunkt/install.sh --uninstall
#
# Copies the app to ~/.local/opt/treffpunkt, links ~/.local/bin/treffpunkt, and
# registers the menu entry, the icons and the jitsi-meet:// link handler in
# ~/.local/share.  Nothing outside your home directory is touched.
set -euo pipefail

app_id="de.treffpunkt.Treffpunkt"
src="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
data="${XDG_DATA_HOME:-$HOME/.local/share}"
target="$HOME/.local/opt/treffpunkt"
bin="$HOME/.local/bin"

remove() {
    rm -rf "$target"
    rm -f "$bin/treffpunkt" "$data/applications/$app_id.desktop" "$data/metainfo/$app_id.metainfo.xml"
    find "$data/icons/hicolor" -name "$app_id.*" -delete 2>/dev/null || true
}

if [ "${1:-}" = "--uninstall" ]; then
    remove
    echo "Treffpunkt was removed."
    exit 0
fi

if [ "$src" != "$target" ]; then
    remove
    mkdir -p "$(dirname "$target")"
    cp -a "$src" "$target"
fi
mkdir -p "$bin" "$data/applications" "$data/metainfo"
ln -sf "$target/treffpunkt" "$bin/treffpunkt"
cp -a "$target/share/icons" "$data/"
cp "$target/share/metainfo/$app_id.metainfo.xml" "$data/metainfo/"
# ~/.local/bin is not on every desktop session's PATH: use the full path.
sed "s|^Exec=treffpunkt |Exec=$target/treffpunkt |" \
    "$target/share/applications/$app_id.desktop" > "$data/applications/$app_id.desktop"

command -v update-desktop-database >/dev/null && update-desktop-database -q "$data/applications" || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$data/icons/hicolor" || true
command -v xdg-mime >/dev/null && xdg-mime default "$app_id.desktop" x-scheme-handler/jitsi-meet || true
echo "Treffpunkt is installed: start it from the menu or with $bin/treffpunkt"
