"""Every string a person can see has German text, and translations keep their placeholders."""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

import build_translations  # noqa: E402

PLACEHOLDER = re.compile(r"\{[a-z_][a-z0-9_]*\}")


def test_every_marked_string_has_a_german_translation():
    assert build_translations.missing("de") == []


def test_german_translations_keep_the_placeholders_of_their_source():
    catalogue = build_translations.read_language("de")
    broken = {source: text for source, (text, kind) in catalogue.items()
              if kind is None and sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(text))}
    assert broken == {}


def test_the_runtime_catalogue_translates_an_error_message():
    from client.errors import ServerUnreachableError

    error = ServerUnreachableError(host="konferenz.bretten.de")
    assert "konferenz.bretten.de" in error.user_message("de")
    assert error.user_message("de") != error.user_message("en")
