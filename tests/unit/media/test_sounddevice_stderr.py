"""PortAudio's start-up must not swallow what other threads write to stderr.

sounddevice points the process's descriptor 2 at /dev/null while PortAudio initialises.
A child process writes numbered lines to ``sys.stderr`` from the main thread while a
worker thread loads sounddevice (as the pre-join page's device listing does), and
counts how many arrive.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

CHILD = r"""
import sys, threading
from client.media.audio_io import import_sounddevice

def load():
    if sys.argv[1] == "plain":
        import sounddevice       # what the code did before
    else:
        import_sounddevice()
    done.set()

done = threading.Event()
worker = threading.Thread(target=load)
written = 0
worker.start()
while not done.is_set():
    print(f"line {written}", file=sys.stderr)
    written += 1
worker.join()
print(f"line {written}", file=sys.stderr)
print(written + 1)
"""


def _lines_lost(mode: str) -> tuple[int, int]:
    result = subprocess.run([sys.executable, "-c", CHILD, mode], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    written = int(result.stdout.strip())
    arrived = {line for line in result.stderr.splitlines() if line.startswith("line ")}
    lost = sum(1 for n in range(written) if f"line {n}" not in arrived)
    return written, lost


def _portaudio_available() -> bool:
    probe = subprocess.run([sys.executable, "-c", "import sounddevice"], capture_output=True,
                           timeout=60)
    return probe.returncode == 0


pytestmark = pytest.mark.skipif(not _portaudio_available(), reason="no PortAudio here")


def test_a_plain_import_in_a_thread_loses_other_threads_stderr():
    # the control: this is what happened, and why the next test means something
    written, lost = _lines_lost("plain")
    assert written > 1 and lost > 0


def test_import_sounddevice_keeps_other_threads_stderr():
    written, lost = _lines_lost("ours")
    assert written > 1 and lost == 0
