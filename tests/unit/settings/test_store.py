"""The settings file: survives restarts, corrupt files are set aside, writes are atomic."""

from __future__ import annotations

import json
import os
import stat

import pytest

from client.errors import InvalidSettingError, SettingLockedError, SettingsSaveError
from client.settings.devices import DeviceChoice
from client.settings.preset import AdminPreset
from client.settings.store import (ENV_CONFIG_DIR, FILE_NAME, MSG_BAD_VALUE, MSG_CORRUPT,
                                   MSG_CORRUPT_NOT_MOVED, SettingsStore, config_dir)

NO_ADMIN = AdminPreset()


def open_store(directory, admin=NO_ADMIN):
    return SettingsStore.open(directory, admin=admin)


def test_settings_survive_a_restart(tmp_path):
    store = open_store(tmp_path)
    assert store.messages == () and not (tmp_path / FILE_NAME).exists()
    store.set("server.default_url", "konferenz.bretten.de")
    store.set("profile.display_name", "Anna Muster")
    store.set("media.start_audio_muted", True)
    store.set("devices.camera", DeviceChoice("2", "HD Webcam C270"))
    store.set("ui.language", "de")
    store.save()

    again = open_store(tmp_path)
    assert again.messages == ()
    assert again.get("server.default_url") == "https://konferenz.bretten.de"
    assert again.get("profile.display_name") == "Anna Muster"
    assert again.get("media.start_audio_muted") is True
    assert again.get("media.start_video_muted") is False
    assert again.get("devices.camera") == DeviceChoice("2", "HD Webcam C270")
    assert again.get("ui.language") == "de"
    assert again.source("ui.language") == "user" and again.source("media.audio_only") == "default"


def test_the_config_directory_can_be_chosen_by_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_CONFIG_DIR, str(tmp_path / "conf"))
    assert config_dir() == tmp_path / "conf"
    store = SettingsStore.open(admin=NO_ADMIN)
    store.set("media.audio_only", True)
    store.save()
    assert json.loads((tmp_path / "conf" / FILE_NAME).read_text())["settings"] == {
        "media.audio_only": True}


@pytest.mark.parametrize("content", [b"{not json", b"[1, 2, 3]", b'{"settings": [1]}',
                                     b"\xff\xfe\x00garbage", b""])
def test_a_corrupt_file_is_set_aside_and_reported(tmp_path, content):
    (tmp_path / FILE_NAME).write_bytes(content)
    store = open_store(tmp_path)
    assert store.get("media.audio_only") is False and store.get("server.default_url") is None
    [message] = store.messages
    assert message.template == MSG_CORRUPT
    backup = store.corrupt_backup
    assert backup is not None and backup.name.startswith(FILE_NAME + ".corrupt-")
    assert backup.read_bytes() == content
    assert not (tmp_path / FILE_NAME).exists()
    assert str(backup) in message.text("de") and "Standardeinstellungen" in message.text("de")

    store.set("media.audio_only", True)
    store.save()
    assert backup.read_bytes() == content          # the old file is still there
    assert open_store(tmp_path).get("media.audio_only") is True


def test_two_corrupt_files_in_the_same_second_get_different_names(tmp_path):
    for content in (b"{", b"["):
        (tmp_path / FILE_NAME).write_bytes(content)
        open_store(tmp_path)
    backups = sorted(p.read_bytes() for p in tmp_path.glob(FILE_NAME + ".corrupt-*"))
    assert backups == [b"[", b"{"]


def test_an_unreadable_file_that_cannot_be_moved_is_protected(tmp_path, monkeypatch):
    (tmp_path / FILE_NAME).write_text("{broken")

    def refuse(src, dst):
        raise PermissionError("read-only folder")
    monkeypatch.setattr(os, "replace", refuse)
    store = open_store(tmp_path)
    assert [m.template for m in store.messages] == [MSG_CORRUPT_NOT_MOVED]
    with pytest.raises(SettingsSaveError):
        store.save()
    monkeypatch.undo()
    assert (tmp_path / FILE_NAME).read_text() == "{broken"


def test_a_bad_value_is_reset_alone_and_kept_in_the_file_until_changed(tmp_path):
    (tmp_path / FILE_NAME).write_text(json.dumps({"format": 1, "settings": {
        "media.start_audio_muted": "yes", "profile.display_name": "Anna"}}))
    store = open_store(tmp_path)
    [message] = store.messages
    assert message.template == MSG_BAD_VALUE
    assert message.text("de") == ("Die Einstellung „Mit ausgeschaltetem Mikrofon beginnen“ "
                                  "hatte einen ungültigen Wert und wurde auf den Standardwert "
                                  "zurückgesetzt.")
    assert store.get("media.start_audio_muted") is False
    assert store.get("profile.display_name") == "Anna"

    store.set("media.audio_only", True)
    store.save()
    saved = json.loads((tmp_path / FILE_NAME).read_text())["settings"]
    assert saved["media.start_audio_muted"] == "yes"        # not silently lost
    store.set("media.start_audio_muted", True)
    store.save()
    assert json.loads((tmp_path / FILE_NAME).read_text())["settings"][
        "media.start_audio_muted"] is True


def test_settings_from_a_newer_version_are_preserved(tmp_path):
    (tmp_path / FILE_NAME).write_text(json.dumps({
        "format": 2, "window": {"width": 800},
        "settings": {"video.max_height": 720, "profile.display_name": "Anna"}}))
    store = open_store(tmp_path)
    assert store.messages == ()
    store.set("profile.display_name", "Anna M")
    store.save()
    data = json.loads((tmp_path / FILE_NAME).read_text())
    assert data["window"] == {"width": 800}
    assert data["settings"] == {"video.max_height": 720, "profile.display_name": "Anna M"}


def _snapshot(directory):
    return {p.name: p.read_bytes() for p in directory.iterdir()}


@pytest.mark.parametrize("failing", ["replace", "fsync"])
def test_a_crash_while_saving_leaves_the_old_file_and_no_temp_file(tmp_path, monkeypatch, failing):
    store = open_store(tmp_path)
    store.set("profile.display_name", "Alt")
    store.save()
    before = _snapshot(tmp_path)

    def crash(*args, **kwargs):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(os, failing, crash)
    store.set("profile.display_name", "Neu")
    with pytest.raises(SettingsSaveError) as info:
        store.save()
    monkeypatch.undo()
    assert _snapshot(tmp_path) == before
    assert "gespeichert" in info.value.user_message("de")
    assert open_store(tmp_path).get("profile.display_name") == "Alt"


def test_saving_into_an_impossible_folder_is_a_save_error(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    store = open_store(blocker)
    store.set("media.audio_only", True)
    with pytest.raises(SettingsSaveError):
        store.save()


def test_the_file_is_private(tmp_path):
    store = open_store(tmp_path)
    store.set("profile.display_name", "Anna")
    store.save()
    assert stat.S_IMODE((tmp_path / FILE_NAME).stat().st_mode) == 0o600


def test_invalid_and_locked_values_are_refused_with_translated_messages(tmp_path):
    store = open_store(tmp_path, AdminPreset(
        defaults={"server.default_url": "https://a.example.de"},
        locked=frozenset({"server.default_url"})))
    with pytest.raises(SettingLockedError) as locked:
        store.set("server.default_url", "https://b.example.de")
    assert "„Standardserver“" in locked.value.user_message("de")
    with pytest.raises(InvalidSettingError) as invalid:
        store.set("ui.language", "fr")
    assert invalid.value.user_message("de") == "Dieser Wert ist für „Sprache“ nicht möglich."
    assert store.get("ui.language") == "system"


def test_reset_returns_to_the_default(tmp_path):
    store = open_store(tmp_path)
    store.set("media.audio_only", True)
    store.reset("media.audio_only")
    assert store.get("media.audio_only") is False and not store.is_user_set("media.audio_only")


def test_unknown_keys_are_programming_errors(tmp_path):
    with pytest.raises(KeyError):
        open_store(tmp_path).get("no.such_key")
