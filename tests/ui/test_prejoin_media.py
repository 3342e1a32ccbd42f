"""The pre-join page with the real media layer (``LocalPreview`` → ``LocalMedia``), test media."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from PySide6.QtWidgets import QApplication

from client.ui import app_settings as keys
from client.ui.app import AppController, AppOptions, LocalPreview, Session
from client.ui.prejoin_view import PreJoinView
from tests.ui.conftest import run
from tests.ui.fakes import FakeConference

pytestmark = pytest.mark.gui

LINK = "https://konferenz.bretten.de/OmaOpaSonntag"


async def _until(condition, what: str, timeout_s: float = 10.0) -> None:
    """Let the loop (and Qt's timers) run until ``condition()`` holds."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


@pytest.fixture
def test_media_app(qtbot, qloop):
    controllers = []

    def make(**values) -> AppController:
        settings = keys.MemorySettings({keys.SERVER_URL: "https://konferenz.bretten.de",
                                        keys.DEVICES_CHECKED: True, **values})
        ctl = AppController(QApplication.instance(), settings,
                            options=AppOptions(test_media=True),
                            session_factory=lambda *a: Session(FakeConference()),
                            preview_factory=LocalPreview)
        qtbot.addWidget(ctl.window)
        controllers.append(ctl)
        return ctl

    yield make
    for ctl in controllers:          # devices closed, the synthetic sound card's clock stopped
        ctl.shutdown()
        run(qloop, ctl.wait_idle(timeout_s=5.0))


def test_the_synthetic_microphone_moves_the_prejoin_meter(test_media_app, qloop):
    ctl = test_media_app()
    ctl.start(LINK)
    view = ctl.page
    assert isinstance(view, PreJoinView)
    meter = ctl.preview.level_source
    run(qloop, _until(lambda: view.meter.level > 0.5, "the level meter to show the tone"))
    # the 440 Hz tone at 0.3 of full scale is about -13.5 dBov
    assert -16.0 < meter.dbov < -11.0
    run(qloop, _until(lambda: ctl.preview.pump.frames_received > 0, "the test picture"))


def test_switching_the_microphone_on_in_the_prejoin_opens_it(test_media_app, qloop):
    ctl = test_media_app(**{keys.START_AUDIO_MUTED: True})
    ctl.start(LINK)
    view = ctl.page
    meter = ctl.preview.level_source
    run(qloop, _until(lambda: ctl.preview.pump.frames_received > 0, "the test picture"))
    assert meter.samples_fed == 0 and view.meter.level == 0.0     # off: nothing is heard
    view.controls()["microphone"].click()
    run(qloop, _until(lambda: view.meter.level > 0.5, "the level meter after switching on"))
    view.controls()["microphone"].click()
    run(qloop, _until(lambda: ctl.preview.local.is_muted("audio"), "the microphone to close"))
    assert meter.level == 0.0
    # closed like a device: the synthetic sound card's clock is gone, so no more sound
    assert not [t for t in threading.enumerate() if t.name == "tp-audio-clock" and t.is_alive()]
