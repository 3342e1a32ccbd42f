#!/usr/bin/env bash
# Build Treffpunkt.app and a .dmg on macOS.
#
#   bash packaging/macos/build.sh
#     → dist/Treffpunkt.app and dist/Treffpunkt-VERSION-macOS.dmg
#
# Optional: SIGN_IDENTITY="Developer ID Application: …" signs the app with the
# hardened runtime and packaging/macos/entitlements.plist (camera, microphone,
# network client), ready for notarisation (xcrun notarytool, not done here).
# Needs Python 3.11+ (python3 or PYTHON=…) and Xcode's command line tools.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$here"
python="${PYTHON:-python3}"
venv="build/venv"
mac="packaging/macos"

[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
"$venv/bin/python" - > "$venv/requirements.txt" <<'PY'
import tomllib
project = tomllib.load(open("pyproject.toml", "rb"))["project"]
print("\n".join(project["dependencies"] + project["optional-dependencies"]["bundle"]))
PY
"$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$venv/requirements.txt"
"$venv/bin/python" scripts/build_translations.py

# The app icon from the PNGs that packaging/common/render_icons.py made.
iconset="build/macos/treffpunkt.iconset"
rm -rf "$iconset" && mkdir -p "$iconset"
for size in 16 32 128 256 512; do
    cp "resources/icons/treffpunkt-$size.png" "$iconset/icon_${size}x${size}.png"
    cp "resources/icons/treffpunkt-$((size * 2)).png" "$iconset/icon_${size}x${size}@2x.png"
done
iconutil -c icns "$iconset" -o build/macos/treffpunkt.icns

rm -rf dist/Treffpunkt.app
"$venv/bin/python" -m PyInstaller --noconfirm --log-level WARN \
    --distpath dist --workpath build/pyinstaller packaging/common/treffpunkt.spec

# Localised permission prompts: macOS picks <lang>.lproj/InfoPlist.strings.
for lang in en de; do
    mkdir -p "dist/Treffpunkt.app/Contents/Resources/$lang.lproj"
    cp "$mac/$lang.lproj/InfoPlist.strings" "dist/Treffpunkt.app/Contents/Resources/$lang.lproj/"
done

if [ -n "${SIGN_IDENTITY:-}" ]; then
    codesign --force --deep --timestamp --options runtime \
        --entitlements "$mac/entitlements.plist" --sign "$SIGN_IDENTITY" dist/Treffpunkt.app
    codesign --verify --strict --verbose=2 dist/Treffpunkt.app
fi

version="$("$venv/bin/python" -c 'import client; print(client.__version__)')"
dmg="dist/Treffpunkt-$version-macOS.dmg"
rm -f "$dmg"
hdiutil create -volname Treffpunkt -srcfolder dist/Treffpunkt.app -ov -format UDZO "$dmg"
echo "build.sh: $dmg" >&2
