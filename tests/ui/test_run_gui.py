"""``treffpunkt`` itself: run_gui starts on the first-run screen and ends when the window closes."""

from __future__ import annotations

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
