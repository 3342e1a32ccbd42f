"""Build the Linux bundle (or reuse an up-to-date one) and run it like a desktop would."""

from __future__ import annotations

import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BUILD_SCRIPT = ROOT / "packaging" / "linux" / "build.sh"
DIST = ROOT / "dist" / "treffpunkt"
# One build may take a few minutes on a 2-core machine; a cached one, seconds.
BUILD_TIMEOUT_S = 1200.0


class BundleBuildError(RuntimeError):
    pass


def build_bundle() -> Path:
    """Run packaging/linux/build.sh; it reuses dist/treffpunkt if nothing changed."""
    if not (ROOT / "build" / "venv" / "bin" / "python").exists():
        # The venv needs PyPI, which the tests' network namespace cannot reach;
        # scripts/setup.sh test prepares it before pytest starts.
        raise BundleBuildError("no build venv: run `bash packaging/linux/build.sh --venv-only` "
                               "(needs network) before the tests")
    result = subprocess.run(["bash", str(BUILD_SCRIPT), "--no-tarball"], cwd=ROOT,
                            capture_output=True, text=True, timeout=BUILD_TIMEOUT_S)
    if result.returncode != 0 or not (DIST / "treffpunkt").is_file():
        raise BundleBuildError(f"build.sh failed ({result.returncode}):\n"
                               f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}")
    return DIST


def desktop_environment(home: Path, **extra: str) -> dict[str, str]:
    """What a desktop session hands a program it starts: no PYTHON*, no venv."""
    runtime = home / "runtime"
    runtime.mkdir(parents=True, exist_ok=True, mode=0o700)
    env = {
        "HOME": str(home),
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "XDG_RUNTIME_DIR": str(runtime),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "QT_QPA_PLATFORM": "offscreen",
    }
    env.update(extra)
    return env


@dataclass
class InstalledBundle:
    """A copy of the bundle in a directory of its own, as a user would unpack it."""

    directory: Path
    home: Path

    @property
    def executable(self) -> Path:
        return self.directory / "treffpunkt"

    def env(self, **extra: str) -> dict[str, str]:
        return desktop_environment(self.home, **extra)

    def run(self, *args: str, timeout_s: float = 60.0, env: dict[str, str] | None = None,
            cwd: Path | None = None, input: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(self.executable), *args], env=env or self.env(),
                              cwd=cwd or self.home, capture_output=True, text=True,
                              timeout=timeout_s, input=input)

    @contextmanager
    def start(self, *args: str, env: dict[str, str] | None = None) -> Iterator[RunningApp]:
        """Start the app; on leaving, stop it by its PID if it still runs."""
        process = subprocess.Popen([str(self.executable), *args], env=env or self.env(),
                                   cwd=self.home, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True, bufsize=1,
                                   start_new_session=True)
        app = RunningApp(process)
        try:
            yield app
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=10)
            app.reader.join(timeout=10)


class RunningApp:
    """A started app whose output is read line by line as it arrives."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.process = process
        self.lines: list[str] = []
        self._changed = threading.Condition()
        self._ended = False
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            with self._changed:
                self.lines.append(line.rstrip("\n"))
                self._changed.notify_all()
        with self._changed:
            self._ended = True
            self._changed.notify_all()

    def wait_for(self, needle: str, timeout_s: float) -> str | None:
        """The first output line containing ``needle``; None if the output ended
        (the app exited) or ``timeout_s`` passed first."""
        deadline = time.monotonic() + timeout_s
        with self._changed:
            while True:
                for line in self.lines:
                    if needle in line:
                        return line
                remaining = deadline - time.monotonic()
                if self._ended or remaining <= 0:
                    return None
                self._changed.wait(remaining)

    def wait_exit(self, timeout_s: float) -> int:
        return self.process.wait(timeout=timeout_s)

    @property
    def output(self) -> str:
        with self._changed:
            return "\n".join(self.lines)


def install_copy(source: Path, target: Path) -> InstalledBundle:
    shutil.copytree(source, target / "treffpunkt", symlinks=True)
    home = target / "home"
    home.mkdir()
    return InstalledBundle(target / "treffpunkt", home)


def elf_files(directory: Path) -> Iterator[Path]:
    for path in directory.rglob("*"):
        if path.is_file() and not path.is_symlink():
            with open(path, "rb") as fh:
                if fh.read(4) == b"\x7fELF":
                    yield path
