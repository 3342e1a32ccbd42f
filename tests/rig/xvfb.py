"""A private X server (Xvfb) for tests that take screenshots of real windows.

Picks a free display number (no lock file and no socket in /tmp/.X11-unix), listens
on the Unix socket only (``-nolisten tcp``), and is stopped by its PID.  ``display``
is the value for ``DISPLAY``.
"""

from __future__ import annotations

import os
from pathlib import Path

from tests.rig.process import ManagedProcess, RigError, wait_until

X11_DIR = Path("/tmp/.X11-unix")


def _display_free(number: int) -> bool:
    return not Path(f"/tmp/.X{number}-lock").exists() and not (X11_DIR / f"X{number}").exists()


class Xvfb:
    def __init__(self, directory: Path, *, size: str = "1280x800x24") -> None:
        self.directory = directory
        self.size = size
        self.number: int | None = None
        self._process: ManagedProcess | None = None

    @property
    def display(self) -> str:
        if self.number is None:
            raise RigError("Xvfb is not running")
        return f":{self.number}"

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    @property
    def env(self) -> dict[str, str]:
        return {"DISPLAY": self.display}

    def start(self, timeout_s: float = 10.0) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        candidates = [n for n in range(90 + os.getpid() % 300, 1000) if _display_free(n)][:20]
        for number in candidates:
            process = ManagedProcess("Xvfb", ["Xvfb", f":{number}", "-screen", "0", self.size,
                                              "-nolisten", "tcp", "-noreset"],
                                     self.directory / f"xvfb-{number}.log")
            socket = X11_DIR / f"X{number}"
            try:
                wait_until(socket.exists, timeout_s, f"Xvfb :{number}", process)
            except RigError:
                exited = process.poll() is not None
                process.stop()
                if exited:
                    continue    # another session took this display meanwhile: next number
                raise
            self.number = number
            self._process = process
            return
        raise RigError(f"no X display number free among {candidates}")

    def stop(self) -> None:
        if self._process is not None:
            self._process.stop()
            self._process = None
