"""Static checks of the desktop integration and installer files (no build needed)."""

from __future__ import annotations

import configparser
import json
import plistlib
import re
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import platformdirs.macos
import platformdirs.windows
import pytest

from client import __version__
from client.settings.preset import load_admin_preset
from tests.packaging.bundle import ROOT

PACKAGING = ROOT / "packaging"
APP_ID = "de.treffpunkt.Treffpunkt"
DESKTOP = PACKAGING / "linux" / "share" / "applications" / f"{APP_ID}.desktop"
METAINFO = PACKAGING / "linux" / "share" / "metainfo" / f"{APP_ID}.metainfo.xml"
MACOS = PACKAGING / "macos"
INNO = PACKAGING / "windows" / "treffpunkt.iss"
FLATPAK = PACKAGING / "linux" / "flatpak" / f"{APP_ID}.json"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def require_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is missing; `bash scripts/setup.sh test` installs it")
    return path


# --- Linux: .desktop ------------------------------------------------------------------------

def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def test_desktop_file_passes_desktop_file_validate() -> None:
    result = subprocess.run([require_tool("desktop-file-validate"), str(DESKTOP)],
                            capture_output=True, text=True)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def test_desktop_file_registers_the_jitsi_meet_scheme_and_takes_a_url() -> None:
    entry = desktop_entry()
    assert "x-scheme-handler/jitsi-meet" in entry["MimeType"].split(";")
    # %u hands the clicked link (or an https:// room link) to the app as its argument.
    assert entry["Exec"].split() == ["treffpunkt", "%u"]
    assert entry["Icon"] == APP_ID
    assert entry["Comment[de]"] and entry["GenericName[de]"]


def test_every_hicolor_icon_the_build_installs_exists() -> None:
    build = (PACKAGING / "linux" / "build.sh").read_text(encoding="utf-8")
    sizes = re.search(r"for size in ([0-9 ]+); do", build).group(1).split()
    for size in sizes:
        png = ROOT / "resources" / "icons" / f"treffpunkt-{size}.png"
        assert png.is_file(), png
        assert png.read_bytes()[16:24] == int(size).to_bytes(4, "big") * 2  # IHDR width, height
    assert (ROOT / "resources" / "icons" / "treffpunkt.svg").is_file()


# --- Linux: AppStream -----------------------------------------------------------------------

def test_metainfo_passes_appstreamcli_validate() -> None:
    result = subprocess.run([require_tool("appstreamcli"), "validate", "--no-net", str(METAINFO)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_metainfo_names_the_desktop_file_and_this_version_in_both_languages() -> None:
    root = ElementTree.parse(METAINFO).getroot()
    assert root.findtext("id") == APP_ID
    assert root.find("launchable").text == DESKTOP.name
    assert root.find("provides/binary").text == "treffpunkt"
    summaries = {s.get(XML_LANG, "en"): s.text for s in root.findall("summary")}
    assert set(summaries) == {"en", "de"} and all(summaries.values())
    paragraphs = {p.get(XML_LANG, "en") for p in root.findall("description/p")}
    assert paragraphs == {"en", "de"}
    assert root.find("content_rating").get("type") == "oars-1.1"
    assert __version__ in [r.get("version") for r in root.findall("releases/release")]


# --- admin preset ---------------------------------------------------------------------------

def test_example_preset_is_read_by_the_app_as_intended(tmp_path: Path) -> None:
    preset = load_admin_preset(PACKAGING / "linux" / "defaults.json.example")
    assert preset.messages == ()
    assert preset.defaults["server.default_url"] == "https://konferenz.bretten.de"
    assert "server.default_url" in preset.locked
    assert preset.hide_public_servers is True


# --- Linux: Flatpak -------------------------------------------------------------------------

def test_flatpak_manifest_installs_the_bundle_with_narrow_permissions() -> None:
    manifest = json.loads(FLATPAK.read_text(encoding="utf-8"))
    assert manifest["id"] == APP_ID
    assert manifest["command"] == "treffpunkt"
    args = manifest["finish-args"]
    for needed in ("--share=network", "--socket=wayland", "--socket=fallback-x11",
                   "--socket=pulseaudio", "--device=all"):
        assert needed in args
    # No access to the user's files or the whole host.
    assert not [a for a in args if a.startswith("--filesystem")]
    env = dict(a.removeprefix("--env=").split("=", 1) for a in args if a.startswith("--env="))
    assert env["TREFFPUNKT_ADMIN_PRESET"] == "/app/etc/treffpunkt/defaults.json"
    [module] = manifest["modules"]
    commands = "\n".join(module["build-commands"])
    assert "/app/bin/treffpunkt" in commands and "/app/etc/treffpunkt/defaults.json" in commands
    bundle_source = next(s for s in module["sources"] if s.get("dest") == "bundle")
    assert (FLATPAK.parent / bundle_source["path"]).resolve() == ROOT / "dist" / "treffpunkt"


# --- macOS ----------------------------------------------------------------------------------

def read_strings(path: Path) -> dict[str, str]:
    text = path.read_text(encoding="utf-8")
    return dict(re.findall(r'^"([^"]+)"\s*=\s*"((?:[^"\\]|\\.)*)";\s*$', text, re.M))


def test_info_plist_declares_camera_microphone_and_the_url_scheme() -> None:
    with open(MACOS / "Info.plist", "rb") as fh:
        info = plistlib.load(fh)
    assert info["CFBundleIdentifier"] == APP_ID
    assert info["NSCameraUsageDescription"].strip()
    assert info["NSMicrophoneUsageDescription"].strip()
    schemes = [s for t in info["CFBundleURLTypes"] for s in t["CFBundleURLSchemes"]]
    assert schemes == ["jitsi-meet"]
    assert set(info["CFBundleLocalizations"]) == {"en", "de"}


@pytest.mark.parametrize("language", ["en", "de"])
def test_permission_prompts_are_localised(language: str) -> None:
    strings = read_strings(MACOS / f"{language}.lproj" / "InfoPlist.strings")
    for key in ("NSCameraUsageDescription", "NSMicrophoneUsageDescription"):
        assert len(strings.get(key, "").strip()) > 20, key
    if language == "de":
        english = read_strings(MACOS / "en.lproj" / "InfoPlist.strings")
        assert strings["NSCameraUsageDescription"] != english["NSCameraUsageDescription"]
        assert "Kamera" in strings["NSCameraUsageDescription"]


def test_entitlements_allow_camera_audio_input_and_network_client() -> None:
    with open(MACOS / "entitlements.plist", "rb") as fh:
        entitlements = plistlib.load(fh)
    for key in ("com.apple.security.device.camera", "com.apple.security.device.audio-input",
                "com.apple.security.network.client"):
        assert entitlements.get(key) is True, key


def preset_path_on(monkeypatch: pytest.MonkeyPatch, platform: str, dirs_class: type) -> str:
    """client/settings/preset.py's admin_preset_path() as it comes out on ``platform``."""
    from client.settings import preset

    monkeypatch.delenv(preset.ENV_ADMIN_PRESET, raising=False)
    monkeypatch.setattr(sys, "platform", platform)
    monkeypatch.setattr(preset.platformdirs, "site_config_dir",
                        lambda *args, **kwargs: dirs_class(*args, **kwargs).site_config_dir)
    return str(preset.admin_preset_path())


def test_readme_documents_where_each_platform_reads_the_preset(
        monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    mac = preset_path_on(monkeypatch, "darwin", platformdirs.macos.MacOS)
    assert mac == "/Library/Application Support/treffpunkt/defaults.json"
    for path in ("/etc/treffpunkt/defaults.json", mac, "C:\\ProgramData\\treffpunkt\\defaults.json",
                 "TREFFPUNKT_ADMIN_PRESET"):
        assert path in readme, path


# --- Windows --------------------------------------------------------------------------------

def inno_script() -> str:
    return INNO.read_text(encoding="utf-8-sig")


def test_inno_setup_registers_the_url_scheme_to_open_the_app_with_the_link() -> None:
    text = inno_script()
    registry = [line for line in text.splitlines() if line.startswith("Root: HKA")]
    scheme_key = r'Subkey: "Software\Classes\{#UrlScheme}'
    assert re.search(r'#define UrlScheme "jitsi-meet"', text)
    assert any(scheme_key + '"' in line and 'ValueName: "URL Protocol"' in line
               for line in registry)
    command = next(line for line in registry if scheme_key + r'\shell\open\command"' in line)
    assert '"""{app}\\{#AppExe}"" ""%1"""' in command
    assert any("uninsdeletekey" in line for line in registry if scheme_key + '"' in line)


def test_inno_setup_writes_a_preset_the_app_reads(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    text = inno_script()
    # Command-line parameters for unattended installs, and a wizard page.
    for param in ("SERVER", "PRESET"):
        assert f"{{param:{param}|" in text, param
    for switch in ("LOCKSERVER", "HIDEPUBLIC"):
        assert f"ParamIsOn('{switch}')" in text, switch
    assert "ExpandConstant('{param:' + Name + '|0}')" in text
    assert "CreateInputQueryPage" in text
    # The file goes where client/settings/preset.py looks on Windows.
    preset_dir = re.search(r'#define PresetDir "\{commonappdata\}\\([^"]+)"', text).group(1)
    monkeypatch.setattr(platformdirs.windows, "get_win_folder",
                        {"CSIDL_COMMON_APPDATA": "C:\\ProgramData"}.__getitem__)
    expected = preset_path_on(monkeypatch, "win32", platformdirs.windows.Windows)
    # (os.path joins with "/" on this machine; Windows would use "\\")
    assert "C:\\ProgramData\\" + preset_dir + "\\defaults.json" == expected.replace("/", "\\")
    # The JSON the installer writes (rebuilt from its Pascal lines) means what it should.
    keys = re.findall(r"'  \"(\w+)\": ' \+ (JsonString|JsonBool)\((\w+)", text)
    sample = {"JsonString": "https://videokonferenz.rastatt.de", "JsonBool": True}
    written = {key: sample[kind] for key, kind, _ in keys}
    assert set(written) == {"default_server", "lock_server", "hide_public_servers"}
    path = tmp_path / "defaults.json"
    path.write_text(json.dumps(written), encoding="utf-8")
    preset = load_admin_preset(path)
    assert preset.messages == ()
    assert preset.defaults["server.default_url"] == "https://videokonferenz.rastatt.de"
    assert "server.default_url" in preset.locked and preset.hide_public_servers


def test_inno_setup_translates_every_custom_message_into_german() -> None:
    text = inno_script()
    english = set(re.findall(r"^en\.(\w+)=", text, re.M))
    german = set(re.findall(r"^de\.(\w+)=", text, re.M))
    assert english and english == german
    used = set(re.findall(r"CustomMessage\('(\w+)'\)|\{cm:(\w+)\}", text))
    assert {a or b for a, b in used} - {"CreateDesktopIcon", "AdditionalIcons"} <= english
