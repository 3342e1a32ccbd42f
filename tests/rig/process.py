"""Starting and stopping the rig's server processes, and finding free ports.

Every process is started with its output going to a log file in its own temp
directory, and stopped by its PID (SIGTERM, then SIGKILL), never by name.  Free
ports come from binding port 0: the test run has its own network namespace, so
nothing else can take a port between our choosing it and the server binding it.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Sequence
from pathlib import Path

LOOPBACK = "127.0.0.1"


class RigError(RuntimeError):
    """A rig component failed to start or misbehaved; the message says where to look."""


def free_tcp_port(host: str = LOOPBACK) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def free_tcp_udp_port(host: str = LOOPBACK) -> int:
    """A port number free for both TCP and UDP (TURN listens on both)."""
    for _ in range(50):
        port = free_tcp_port(host)
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            try:
                udp.bind((host, port))
            except OSError:
                continue
            return port
    raise RigError("no port free for both TCP and UDP")


def tcp_accepts(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.2):
            return True
    except OSError:
        return False


def wait_until(condition: Callable[[], bool], timeout_s: float, what: str,
               process: "ManagedProcess | None" = None, interval_s: float = 0.01) -> None:
    """Poll ``condition`` until true; fail early if ``process`` died meanwhile."""
    deadline = time.monotonic() + timeout_s
    while True:
        if condition():
            return
        if process is not None and process.poll() is not None:
            raise RigError(f"{process.name} exited with {process.returncode} while waiting for "
                           f"{what}; log: {process.log_file}\n{process.log_tail()}")
        if time.monotonic() > deadline:
            tail = f"; log: {process.log_file}\n{process.log_tail()}" if process else ""
            raise RigError(f"timed out after {timeout_s:.1f} s waiting for {what}{tail}")
        time.sleep(interval_s)


class ManagedProcess:
    """A child process whose stdout and stderr go to ``log_file``."""

    def __init__(self, name: str, argv: Sequence[str], log_file: Path, *,
                 env: dict[str, str] | None = None, cwd: Path | None = None) -> None:
        self.name = name
        self.argv = list(argv)
        self.log_file = log_file
        log_file.parent.mkdir(parents=True, exist_ok=True)
        full_env = dict(os.environ)
        if env:
            full_env.update(env)
        with open(log_file, "ab") as log:
            # start_new_session: a Ctrl-C in the terminal goes to pytest, which stops us in order.
            self._popen = subprocess.Popen(self.argv, stdin=subprocess.DEVNULL, stdout=log,
                                           stderr=subprocess.STDOUT, env=full_env,
                                           cwd=str(cwd) if cwd else None, start_new_session=True)
        self.pid = self._popen.pid

    @property
    def returncode(self) -> int | None:
        return self._popen.returncode

    def poll(self) -> int | None:
        return self._popen.poll()

    def log_tail(self, lines: int = 25) -> str:
        try:
            return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self, timeout_s: float = 5.0) -> None:
        """SIGTERM by PID, then SIGKILL if it lingers.  Safe to call twice."""
        if self._popen.poll() is not None:
            return
        try:
            os.kill(self.pid, signal.SIGTERM)
            self._popen.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            os.kill(self.pid, signal.SIGKILL)
            self._popen.wait(timeout=timeout_s)
        except ProcessLookupError:
            pass


def run_checked(argv: Sequence[str], *, env: dict[str, str] | None = None,
                timeout_s: float = 30.0) -> str:
    full_env = dict(os.environ)
    if env:
        full_env.update(env)
    done = subprocess.run(list(argv), capture_output=True, text=True, env=full_env,
                          timeout=timeout_s, stdin=subprocess.DEVNULL)
    if done.returncode != 0:
        raise RigError(f"{' '.join(argv)} failed ({done.returncode}): {done.stdout}{done.stderr}")
    return done.stdout
