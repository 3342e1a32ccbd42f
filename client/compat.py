"""Workarounds for known bugs of the Python versions Treffpunkt runs on.

``apply()`` runs first thing in the app (client/__main__.py) and in the tests
(tests/conftest.py).  Each workaround says which versions it is for and is a
no-op elsewhere.
"""

from __future__ import annotations

import sys


def avoid_cpython_ast_race() -> bool:
    """CPython gh-106905 (fixed in 3.11.8; Debian 12 ships 3.11.2): True if applied.

    Before the fix the AST converter kept its recursion depth in shared state, so two
    threads calling ast.parse at once could end in "SystemError: AST constructor
    recursion depth mismatch".  Python 3.11's traceback module calls ast.parse for
    every frame it formats (only to draw ^^^ carets), and aiortc's decoder threads
    log tracebacks while the event loop's thread may format its own: the error then
    replaces the traceback we wanted in the log (and it killed whole test runs).
    Without carets tracebacks still show every line.
    """
    import traceback

    if sys.version_info[:3] >= (3, 11, 8) or not hasattr(
            traceback, "_extract_caret_anchors_from_line_segment"):
        return False
    traceback._extract_caret_anchors_from_line_segment = lambda segment: None
    return True


def apply() -> None:
    avoid_cpython_ast_race()


__all__ = ["apply", "avoid_cpython_ast_race"]
