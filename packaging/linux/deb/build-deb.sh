#!/usr/bin/env bash
# Build a .deb around the Linux bundle.
#
#   bash packaging/linux/deb/build-deb.sh [--fast]   → dist/treffpunkt_VERSION_ARCH.deb
#
# Runs packaging/linux/build.sh first (which reuses an up-to-date bundle).  The
# package installs the bundle to /opt/treffpunkt, links /usr/bin/treffpunkt, and
# registers the .desktop file (jitsi-meet:// links), the AppStream metainfo and
# the icons; Debian's triggers refresh the desktop and icon caches.  The admin
# preset file is documented in /usr/share/doc/treffpunkt/README.Debian with an
# example; the package never writes /etc/treffpunkt/defaults.json itself, so an
# admin's file survives upgrades and removal.
# --fast uses quick gzip compression (for the tests); releases use xz.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
cd "$here"
compress=(-Zxz)
[ "${1:-}" = "--fast" ] && compress=(-Zgzip -z1)

bash packaging/linux/build.sh --no-tarball
bundle="dist/treffpunkt"
version="$(build/venv/bin/python -c 'import client; print(client.__version__)')"
arch="$(dpkg --print-architecture)"
app_id="de.treffpunkt.Treffpunkt"
stage="build/deb/treffpunkt_${version}_${arch}"

rm -rf "$stage"
mkdir -p "$stage/DEBIAN" "$stage/opt" "$stage/usr/bin" "$stage/usr/share/doc/treffpunkt/examples"
cp -a "$bundle" "$stage/opt/treffpunkt"
rm -rf "$stage/opt/treffpunkt/share" "$stage/opt/treffpunkt/BUILD-INPUTS" "$stage/opt/treffpunkt/install.sh"
cp -a "$bundle/share/." "$stage/usr/share/"
ln -s /opt/treffpunkt/treffpunkt "$stage/usr/bin/treffpunkt"
cp packaging/linux/defaults.json.example "$stage/usr/share/doc/treffpunkt/examples/defaults.json"
cp packaging/linux/deb/README.Debian "$stage/usr/share/doc/treffpunkt/README.Debian"
cp packaging/linux/deb/copyright "$stage/usr/share/doc/treffpunkt/copyright"

installed_kb="$(du -sk --apparent-size "$stage" | cut -f1)"
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@INSTALLED_SIZE@/$installed_kb/" \
    packaging/linux/deb/control.in > "$stage/DEBIAN/control"
(cd "$stage" && find . -path ./DEBIAN -prune -o -type f -print0 | LC_ALL=C sort -z \
    | xargs -0 md5sum | sed 's| \./| |' > DEBIAN/md5sums)

out="dist/treffpunkt_${version}_${arch}.deb"
dpkg-deb --root-owner-group "${compress[@]}" --build "$stage" "$out" >/dev/null
echo "build-deb.sh: $out ($(du -h "$out" | cut -f1))" >&2
