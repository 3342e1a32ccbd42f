"""``treffpunkt`` itself: run_gui starts on the first-run screen and ends when the window closes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from client.ui.app import MainWindow, run_gui
from client.ui.first_run import FirstRunView
from client.ui.prejoin_view import PreJoinView

pytestmark = pytest.mark.gui


@pytest.fixture
def fresh_config(tmp_path, monkeypatch, qapp):
    monkeypatch.setenv("TREFFPUNKT_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("TREFFPUNKT_ADMIN_PRESET", str(tmp_path / "no-preset.json"))
    return tmp_path / "config"


def _run_and_look(argv):
    seen = {}

    def look_and_close() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        if not windows:                      # not shown yet: look again on the next turn
            QTimer.singleShot(0, look_and_close)
            return
        seen["page"] = windows[0].pages.currentWidget()
        seen["title"] = windows[0].windowTitle()
        seen["type"] = type(seen["page"])
        windows[0].close()

    QTimer.singleShot(0, look_and_close)
    code = run_gui(argv)
    return code, seen


def test_first_start_shows_the_server_choice_and_exits_when_closed(fresh_config):
    code, seen = _run_and_look(["--test-media", "--language", "de"])
    assert code == 0
    assert seen["type"] is FirstRunView and seen["title"] == "Treffpunkt"


def test_a_jitsi_meet_link_opens_the_prejoin_of_that_room(fresh_config):
    code, seen = _run_and_look(["jitsi-meet://konferenz.bretten.de/OmaOpa", "--test-media"])
    assert code == 0
    assert seen["type"] is PreJoinView


def test_server_option_is_a_default_for_room_names(fresh_config):
    code, seen = _run_and_look(["OmaOpa", "--server", "https://videokonferenz.rastatt.de",
                                "--test-media"])
    assert code == 0
    assert seen["type"] is PreJoinView
    assert seen["page"].address.host == "videokonferenz.rastatt.de"


# --- the whole program, started again and again ---------------------------------------------

REPO = Path(__file__).resolve().parents[2]
PROBE = "treffpunkt-gui-probe: page=PreJoinView"


@pytest.mark.slow
def test_ten_test_media_starts_all_paint_the_prejoin_page(tmp_path):
    """With ``--test-media`` about half of the starts used to end without the probe's
    "page painted" line: the page was painted, but sounddevice silences descriptor 2
    while PortAudio starts in the device-listing thread, and the line went with it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "TREFFPUNKT_"))}
    env.update(HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "xdg"),
               TREFFPUNKT_CONFIG_DIR=str(tmp_path / "config"),
               TREFFPUNKT_ADMIN_PRESET=str(tmp_path / "no-preset.json"),
               TREFFPUNKT_GUI_PROBE="quit:PreJoinView", QT_QPA_PLATFORM="offscreen",
               PYTHONPATH=os.pathsep.join([str(REPO), str(REPO / "packaging" / "common")]))
    command = [sys.executable, str(REPO / "packaging" / "common" / "entry.py"),
               "jitsi-meet://konferenz.bretten.de/OmaOpaSonntag", "--test-media"]
    outcomes = []
    for _ in range(10):
        # subprocess.run kills the child if it overruns
        done = subprocess.run(command, env=env, cwd=tmp_path, capture_output=True, text=True,
                              timeout=60)
        painted = [line for line in done.stderr.splitlines() if line.startswith(PROBE)]
        outcomes.append((done.returncode, len(painted)))
        assert painted and "OmaOpaSonntag" in painted[0], done.stderr[-3000:]
    assert outcomes == [(0, 1)] * 10
