"""The rig's PulseAudio and Xvfb: private, working, and stopped by PID."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.rig


def test_pulse_offers_a_null_sink_and_source_to_portaudio(pulse) -> None:  # noqa: ANN001
    sinks = pulse.pactl("list", "short", "sinks").stdout
    sources = pulse.pactl("list", "short", "sources").stdout
    assert "rig_sink" in sinks
    assert "rig_source" in sources and "rig_sink.monitor" in sources
    # sounddevice (PortAudio via the ALSA pulse plugin) sees it, in a fresh process so
    # PortAudio reads the environment the fixture set.
    probe = ("import sounddevice as sd; names=[d['name'] for d in sd.query_devices()]; "
             "print('pulse' in names or 'default' in names)")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=30, env={**os.environ, **pulse.env})
    assert done.stdout.strip() == "True", done.stderr


SCREENSHOT_PROBE = """
import sys
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication(sys.argv)
label = QLabel("Treffpunkt rig")
label.resize(320, 120)
label.show()
app.processEvents()
screen = app.primaryScreen()
screen.grabWindow(0).save(sys.argv[1])
print(app.platformName(), screen.size().width(), screen.size().height())
"""


def test_xvfb_serves_a_display_qt_can_screenshot(xvfb, tmp_path) -> None:  # noqa: ANN001
    shot = tmp_path / "screen.png"
    env = {**os.environ, **xvfb.env, "QT_QPA_PLATFORM": "xcb"}
    done = subprocess.run([sys.executable, "-c", SCREENSHOT_PROBE, str(shot)], capture_output=True,
                          text=True, timeout=60, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["xcb", "1280", "800"]
    assert shot.stat().st_size > 0
