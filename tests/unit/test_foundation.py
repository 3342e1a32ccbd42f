"""The package starts, says its version without a display, and keeps its layers apart."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.netns import interfaces

ROOT = Path(__file__).resolve().parents[2]


def test_version_prints_and_exits_zero_without_a_display():
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run([sys.executable, "-m", "client", "--version"], capture_output=True,
                            text=True, env=env, cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    from client import __version__
    assert result.stdout.strip() == f"treffpunkt {__version__}"
    assert "PySide6" not in result.stderr


def test_protocol_layers_import_without_qt_or_aiortc():
    code = ("import sys, client.meeting, client.jitsi, client.settings, client.errors, client.i18n\n"
            "import pkgutil, importlib\n"
            "for pkg in ('client.meeting', 'client.jitsi', 'client.settings'):\n"
            "    mod = importlib.import_module(pkg)\n"
            "    for info in pkgutil.walk_packages(mod.__path__, pkg + '.'):\n"
            "        importlib.import_module(info.name)\n"
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'aiortc', 'av'))\n"
            "print(','.join(bad))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_media_layer_does_not_import_qt():
    code = ("import sys, pkgutil, importlib, client.media\n"
            "for info in pkgutil.walk_packages(client.media.__path__, 'client.media.'):\n"
            "    importlib.import_module(info.name)\n"
            "print(','.join(sorted(m for m in sys.modules if m.startswith('PySide6'))))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_tests_run_in_a_namespace_with_only_loopback():
    assert interfaces() == ["lo"]


@pytest.mark.parametrize("address", ["192.0.2.1", "10.0.0.1", "8.8.8.8"])
def test_no_route_leaves_the_namespace(address):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        with pytest.raises(OSError):
            sock.connect((address, 9))
            sock.send(b"x")


def test_loopback_has_the_second_address_for_ice():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.2", 0))
        assert sock.getsockname()[0] == "127.0.0.2"
