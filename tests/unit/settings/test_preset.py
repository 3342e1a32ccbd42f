"""Admin presets: defaults under the user's choice, locks over it, --server for the session."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from client.errors import AddressError, SettingLockedError
from client.settings.preset import (ENV_ADMIN_PRESET, MSG_PRESET_BAD_VALUE, MSG_PRESET_UNREADABLE,
                                    admin_preset_path, load_admin_preset)
from client.settings.store import MSG_SERVER_LOCKED, SettingsStore, apply_command_line_server


def write_preset(directory: Path, data) -> Path:
    path = directory / "defaults.json"
    path.write_text(json.dumps(data) if not isinstance(data, str) else data)
    return path


def test_preset_location_follows_the_environment_then_etc(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_ADMIN_PRESET, str(tmp_path / "x.json"))
    assert admin_preset_path() == tmp_path / "x.json"
    monkeypatch.delenv(ENV_ADMIN_PRESET)
    assert admin_preset_path() == Path("/etc/treffpunkt/defaults.json")


def test_a_missing_preset_is_normal(tmp_path):
    preset = load_admin_preset(tmp_path / "none.json")
    assert preset.defaults == {} and preset.locked == frozenset() and preset.messages == ()


def test_admin_default_applies_until_the_user_chooses(tmp_path):
    preset = load_admin_preset(write_preset(tmp_path, {"default_server": "konferenz.bretten.de"}))
    conf = tmp_path / "conf"
    store = SettingsStore.open(conf, admin=preset)
    assert store.get("server.default_url") == "https://konferenz.bretten.de"
    assert store.source("server.default_url") == "admin"
    assert store.is_first_run and store.suggested_server() == "https://konferenz.bretten.de"

    store.set("server.default_url", "https://videokonferenz.rastatt.de")
    store.save()
    again = SettingsStore.open(conf, admin=preset)
    assert again.get("server.default_url") == "https://videokonferenz.rastatt.de"
    assert not again.is_first_run


def test_a_lock_wins_over_the_saved_choice(tmp_path):
    conf = tmp_path / "conf"
    store = SettingsStore.open(conf, admin=load_admin_preset(tmp_path / "none.json"))
    store.set("server.default_url", "https://videokonferenz.rastatt.de")
    store.save()
    preset = load_admin_preset(write_preset(tmp_path, {
        "default_server": "https://konferenz.bretten.de", "lock_server": True,
        "hide_public_servers": True}))
    locked = SettingsStore.open(conf, admin=preset)
    assert locked.get("server.default_url") == "https://konferenz.bretten.de"
    assert locked.source("server.default_url") == "locked" and not locked.is_first_run
    assert preset.hide_public_servers
    with pytest.raises(SettingLockedError):
        locked.set("server.default_url", "https://other.example.de")
    locked.save()        # the user's own value stays in the file for when the lock goes
    assert json.loads((conf / "settings.json").read_text())["settings"][
        "server.default_url"] == "https://videokonferenz.rastatt.de"


def test_ca_file_and_update_address_from_the_admin_are_locked(tmp_path):
    preset = load_admin_preset(write_preset(tmp_path, {
        "extra_ca_file": "/etc/ssl/stadt-ca.pem", "update_check_url": "https://updates.stadt.de/t",
        "settings": {"media.start_audio_muted": True, "profile.display_name": "Amt"},
        "locked": ["media.start_video_muted", "profile.display_name", "no.such_key"]}))
    assert preset.locked == {"tls.extra_ca_file", "updates.check_url", "media.start_video_muted"}
    assert preset.defaults == {"tls.extra_ca_file": "/etc/ssl/stadt-ca.pem",
                               "updates.check_url": "https://updates.stadt.de/t",
                               "media.start_audio_muted": True}
    store = SettingsStore.open(tmp_path / "conf", admin=preset)
    assert store.get("tls.extra_ca_file") == "/etc/ssl/stadt-ca.pem"
    assert store.get("media.start_video_muted") is False
    assert store.is_locked("media.start_video_muted")
    store.set("media.start_audio_muted", False)          # a default, not a lock
    assert store.get("media.start_audio_muted") is False


def test_an_unreadable_preset_is_ignored_with_a_message(tmp_path):
    preset = load_admin_preset(write_preset(tmp_path, "{ nope"))
    assert preset.defaults == {}
    [message] = preset.messages
    assert message.template == MSG_PRESET_UNREADABLE
    store = SettingsStore.open(tmp_path / "conf", admin=preset)
    assert message in store.messages
    assert "Administrator" in message.text("de")


def test_a_bad_preset_value_is_dropped_alone(tmp_path):
    preset = load_admin_preset(write_preset(tmp_path, {
        "default_server": "mailto:it@stadt.de", "update_check_url": "https://u.stadt.de"}))
    assert preset.defaults == {"updates.check_url": "https://u.stadt.de"}
    [message] = preset.messages
    assert message.template == MSG_PRESET_BAD_VALUE
    assert "„Standardserver“" in message.text("de")


def test_the_environment_preset_is_used_by_default(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_ADMIN_PRESET, str(write_preset(tmp_path, {
        "default_server": "https://konferenz.bretten.de"})))
    store = SettingsStore.open(tmp_path / "conf")
    assert store.get("server.default_url") == "https://konferenz.bretten.de"


def test_command_line_server_applies_for_the_session_only(tmp_path):
    conf = tmp_path / "conf"
    preset = load_admin_preset(tmp_path / "none.json")
    store = SettingsStore.open(conf, admin=preset)
    store.set("server.default_url", "https://videokonferenz.rastatt.de")
    assert apply_command_line_server(store, "konferenz.bretten.de") is None
    assert store.get("server.default_url") == "https://konferenz.bretten.de"
    assert store.source("server.default_url") == "session"
    assert store.suggested_server() == "https://konferenz.bretten.de"
    store.save()
    assert SettingsStore.open(conf, admin=preset).get("server.default_url") == \
        "https://videokonferenz.rastatt.de"
    with pytest.raises(AddressError):
        apply_command_line_server(store, "ftp://nope")


def test_command_line_server_cannot_break_a_lock(tmp_path):
    preset = load_admin_preset(write_preset(tmp_path, {
        "default_server": "https://konferenz.bretten.de", "lock_server": True}))
    store = SettingsStore.open(tmp_path / "conf", admin=preset)
    message = apply_command_line_server(store, "https://meet.jit.si")
    assert message is not None and message.template == MSG_SERVER_LOCKED
    assert store.get("server.default_url") == "https://konferenz.bretten.de"
