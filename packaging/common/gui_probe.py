"""Watch the frozen app's GUI from the outside, for the packaging tests and the bench.

Enabled by ``TREFFPUNKT_GUI_PROBE`` (nothing happens without it):

* ``report`` prints one line to stderr when a page of the main window (join
  screen, pre-join, first run, …) is painted for the first time::

      treffpunkt-gui-probe: page=JoinView elapsed_s=0.912 texts=["…", …]

  ``elapsed_s`` counts from the start of the process (kernel start time), so it
  includes the bundle's bootloader and all imports.
* ``quit:JoinView,PreJoinView`` does the same and then closes every window once
  one of the named pages has been painted — the ordinary close path, so a clean
  exit (status 0) shows that the app shuts down properly.

The probe creates the QApplication itself before handing over to the app (which
reuses an existing instance), then only listens to paint events; it does not
change what the app shows.
"""

from __future__ import annotations

import json
import os
import sys
import time

ENV = "TREFFPUNKT_GUI_PROBE"
PREFIX = "treffpunkt-gui-probe:"
# The pages the main window shows (client/ui); any class name ending in View counts.
PAGE_SUFFIX = "View"


def process_age_s() -> float | None:
    """Seconds since the kernel started this process (Linux), else None."""
    try:
        with open("/proc/self/stat", encoding="ascii") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        start_ticks = int(fields[19])  # field 22 of stat(5), counted after "pid (comm)"
        with open("/proc/uptime", encoding="ascii") as fh:
            uptime_s = float(fh.read().split()[0])
        return uptime_s - start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def install_if_asked() -> None:
    mode = os.environ.get(ENV, "")
    if not mode:
        return
    quit_on = set()
    if mode.startswith("quit:"):
        quit_on = {name.strip() for name in mode[len("quit:"):].split(",") if name.strip()}
    elif mode != "report":
        print(f"{PREFIX} unknown mode {mode!r}", file=sys.stderr, flush=True)
        return

    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QWidget

    app = QApplication.instance() or QApplication(sys.argv[:1])
    started = time.monotonic()
    age_at_install = process_age_s()

    def visible_texts(page: QWidget) -> list[str]:
        texts = [w.text() for w in page.findChildren(QLabel) if w.isVisible() and w.text()]
        texts += [w.text() for w in page.findChildren(QLineEdit) if w.isVisible() and w.text()]
        return texts

    class PageWatcher(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.seen: set[int] = set()

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
            if event.type() == QEvent.Type.Paint and isinstance(watched, QWidget):
                name = type(watched).__name__
                if name.endswith(PAGE_SUFFIX) and id(watched) not in self.seen:
                    self.seen.add(id(watched))
                    elapsed = time.monotonic() - started + (age_at_install or 0.0)
                    print(f"{PREFIX} page={name} elapsed_s={elapsed:.3f} "
                          f"texts={json.dumps(visible_texts(watched), ensure_ascii=False)}",
                          file=sys.stderr, flush=True)
                    if name in quit_on:
                        QTimer.singleShot(0, app.closeAllWindows)
            return False

    watcher = PageWatcher()
    app.installEventFilter(watcher)
    app._treffpunkt_gui_probe = watcher  # keep it alive as long as the app
