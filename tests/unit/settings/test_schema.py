"""The settings schema as a whole: sound defaults, German texts, dotted keys."""

from __future__ import annotations

import re

from client.i18n import _
from client.settings.schema import BY_KEY, SETTINGS


def test_keys_are_unique_dotted_and_lower_case():
    keys = [s.key for s in SETTINGS]
    assert len(keys) == len(set(keys)) == len(BY_KEY)
    for key in keys:
        assert re.fullmatch(r"[a-z]+(?:_[a-z]+)*\.[a-z]+(?:_[a-z]+)*", key), key


def test_every_default_passes_its_own_check_and_survives_json():
    for spec in SETTINGS:
        assert spec.validate(spec.default) == spec.default, spec.key
        assert spec.validate(spec.to_json(spec.default)) == spec.default, spec.key


def test_every_label_and_help_text_has_german_text():
    for spec in SETTINGS:
        for text in (spec.label, spec.help):
            assert text and _(text, "de") != text, (spec.key, text)
        for _value, label in spec.choices:
            assert label in ("Deutsch", "English") or _(label, "de") != label


def test_what_an_admin_can_fix():
    lockable = {s.key for s in SETTINGS if s.admin_lockable}
    assert {"server.default_url", "tls.extra_ca_file", "updates.check_url"} <= lockable
    assert "profile.display_name" not in lockable and "privacy.recent_rooms" not in lockable


def test_required_settings_exist_with_their_defaults():
    expected = {
        "server.default_url": None, "profile.display_name": "", "media.start_audio_muted": False,
        "media.start_video_muted": False, "media.audio_only": False, "devices.camera": None,
        "devices.microphone": None, "devices.speaker": None, "ui.language": "system",
        "privacy.keep_recent_rooms": True, "privacy.recent_rooms": (),
        "tls.extra_ca_file": None, "updates.check_url": None,
    }
    assert {k: BY_KEY[k].default for k in expected} == expected


def test_values_are_checked_and_normalised():
    assert BY_KEY["server.default_url"].validate("konferenz.bretten.de/") == \
        "https://konferenz.bretten.de"
    assert BY_KEY["server.default_url"].validate("http://konferenz.bretten.de") == \
        "https://konferenz.bretten.de"
    assert BY_KEY["profile.display_name"].validate("  Anna   Muster ") == "Anna Muster"
    for key, bad in [("server.default_url", "mailto:x@y.de"), ("media.audio_only", "yes"),
                     ("ui.language", "fr"), ("updates.check_url", "http://updates.example.org"),
                     ("profile.display_name", "x" * 101), ("profile.display_name", "a\x00b"),
                     ("devices.camera", {"id": 1}), ("privacy.recent_rooms", "x")]:
        try:
            BY_KEY[key].validate(bad)
        except ValueError:
            continue
        raise AssertionError(f"{key} accepted {bad!r}")
