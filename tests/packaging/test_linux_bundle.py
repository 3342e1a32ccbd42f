"""The frozen Linux bundle runs from a clean directory without Python or the venv."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from client import __version__
from tests.packaging.bundle import ROOT, InstalledBundle, elf_files

# The first test that needs the bundle may build it (a few minutes on 2 cores).
pytestmark = [pytest.mark.slow, pytest.mark.timeout(1500)]


def test_version_runs_without_python(installed_bundle: InstalledBundle) -> None:
    result = installed_bundle.run("--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"treffpunkt {__version__}"


def test_bundle_carries_every_native_dependency(installed_bundle: InstalledBundle) -> None:
    result = installed_bundle.run("--bundle-self-check")
    report = json.loads(result.stdout)
    assert report["frozen"] is True
    failed = {k: v for k, v in report.items() if isinstance(v, dict) and not v.get("ok")}
    assert result.returncode == 0 and not failed, failed or result.stderr
    # Resources come from inside the copied bundle, not from the source tree.
    assert Path(report["resources"]["path"]).is_relative_to(installed_bundle.directory)
    # PortAudio is the bundled one (runtime hook), so sound works without libportaudio2.
    assert Path(report["sounddevice"]["library"]).is_relative_to(installed_bundle.directory)


def test_bundle_leaves_out_unneeded_qt_and_gtk(linux_bundle: Path) -> None:
    names = {p.name for p in linux_bundle.rglob("*")}
    unwanted = [n for n in names if n.startswith(
        ("libQt6WebEngine", "libQt6Quick", "libQt6Qml", "libQt63D", "libQt6Pdf",
         "QtWebEngine", "QtQuick3D", "libgtk-3", "libqgtk3"))]
    assert unwanted == []


def test_no_bundled_library_points_back_into_the_build_tree(linux_bundle: Path) -> None:
    # An RPATH/RUNPATH into build/venv would work here and break on every other machine.
    offenders = []
    for path in elf_files(linux_bundle):
        dynamic = subprocess.run(["readelf", "-d", str(path)], capture_output=True, text=True)
        if str(ROOT) in dynamic.stdout:
            offenders.append(str(path.relative_to(linux_bundle)))
    assert offenders == []


def test_config_js_sandbox_child_runs_in_the_frozen_app(installed_bundle: InstalledBundle) -> None:
    # Frozen, sys.executable is the app itself: client/jitsi/configjs.py re-enters it
    # through its hidden sandbox flag, with the same limits as from source.
    from client.jitsi import configjs

    source = "var config = { hosts: { domain: 'meet.example' } };"
    result = installed_bundle.run(configjs.SANDBOX_FLAG, configjs.child_limits("meet.example"),
                                  input=source, env={})
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert json.loads(answer["result"])["config"]["hosts"]["domain"] == "meet.example"


def test_the_frozen_app_is_no_python_interpreter(installed_bundle: InstalledBundle) -> None:
    # A command line must never be able to make the app run arbitrary code.
    result = installed_bundle.run("-c", "print('escaped')", env={})
    assert "escaped" not in result.stdout


def test_resolve_prints_the_same_json_as_the_source_tree(installed_bundle: InstalledBundle) -> None:
    link = "konferenz.bretten.de/Test"
    source = subprocess.run([sys.executable, "-m", "client", "resolve", link],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert source.returncode == 0, source.stderr
    frozen = installed_bundle.run("resolve", link)
    assert frozen.returncode == 0, frozen.stderr
    assert json.loads(frozen.stdout) == json.loads(source.stdout)


@pytest.mark.rig
def test_check_against_the_rig_from_the_frozen_app(installed_bundle: InstalledBundle,
                                                   rig) -> None:  # noqa: ANN001
    result = installed_bundle.run("check", rig.base_url, "--ca-file", str(rig.ca_file),
                                  "--json", "--connect", "--lang", "en", timeout_s=120)
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] is True
    deployment = report["deployment"]
    # "config.js" (not "defaults") proves the QuickJS sandbox child ran inside the bundle.
    assert deployment["source"] == "config.js"
    assert deployment["websocket_url"] == rig.websocket_url
    assert deployment["xmpp_domain"] == rig.xmpp_domain
    assert report["xmpp"]["ok"] is True


def test_tarball_user_install_registers_the_app_and_the_link_scheme(linux_bundle: Path,
                                                                     tmp_path: Path) -> None:
    unpacked = tmp_path / "unpacked"
    shutil.copytree(linux_bundle, unpacked / "treffpunkt", symlinks=True)
    home = tmp_path / "home"
    home.mkdir()
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(["bash", str(unpacked / "treffpunkt" / "install.sh")], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    app = home / ".local/opt/treffpunkt/treffpunkt"
    desktop = home / ".local/share/applications/de.treffpunkt.Treffpunkt.desktop"
    text = desktop.read_text(encoding="utf-8")
    assert f"Exec={app} %u" in text.splitlines()
    assert "MimeType=x-scheme-handler/jitsi-meet;" in text.splitlines()
    assert (home / ".local/share/icons/hicolor/256x256/apps/de.treffpunkt.Treffpunkt.png").is_file()
    version = subprocess.run([str(home / ".local/bin/treffpunkt"), "--version"], env=env,
                             capture_output=True, text=True, timeout=60)
    assert version.stdout.strip() == f"treffpunkt {__version__}"

    removed = subprocess.run(["bash", str(app.parent / "install.sh"), "--uninstall"], env=env,
                             capture_output=True, text=True, timeout=60)
    assert removed.returncode == 0, removed.stderr
    assert not app.exists() and not desktop.exists()
    assert not (home / ".local/bin/treffpunkt").is_symlink()
