"""Python-version workarounds are applied where needed and harmless everywhere."""

from __future__ import annotations

import subprocess
import sys
import traceback

from client import compat


def test_the_ast_race_workaround_matches_the_python_version():
    affected = sys.version_info[:3] < (3, 11, 8) and sys.version_info[:2] >= (3, 11)
    applied = compat.avoid_cpython_ast_race()
    assert applied is affected
    # tracebacks still name every line, carets or not
    try:
        {}["missing"]
    except KeyError:
        text = traceback.format_exc()
    assert '{}["missing"]' in text and "KeyError" in text


def test_the_app_applies_it_before_anything_else():
    # `treffpunkt --version` runs main(); the workaround is in place by then
    code = ("import sys, traceback; from client.__main__ import main; main(['--version']); "
            "patched = getattr(traceback, '_extract_caret_anchors_from_line_segment', None); "
            "print('patched' if patched is not None and patched.__name__ == '<lambda>' else 'original')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                         cwd=str(__import__("pathlib").Path(__file__).resolve().parents[2]))
    assert out.returncode == 0, out.stderr
    affected = (3, 11) <= sys.version_info[:2] and sys.version_info[:3] < (3, 11, 8)
    assert out.stdout.strip().splitlines()[-1] == ("patched" if affected else "original")
