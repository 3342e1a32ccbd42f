"""Settings in the UI: the dialog built from the schema, and the persistent store behind it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox, QLineEdit

from client.meeting.address import parse_link
from client.settings.preset import AdminPreset
from client.settings.schema import SETTINGS
from client.settings.store import SettingsStore
from client.ui import app_settings as keys
from client.ui.app import AppController
from client.ui.devices import DeviceInfo, DeviceLists
from client.ui.dialogs import MessageDialog
from client.ui.settings_dialog import ADMIN_ONLY_KEYS, HIDDEN_KEYS, SettingsDialog
from client.ui.settings_store import StoreSettings
from tests.ui.conftest import drain

pytestmark = pytest.mark.gui


@pytest.fixture
def store_settings(tmp_path, qapp):
    def make(admin: AdminPreset | None = None) -> StoreSettings:
        store = SettingsStore.open(tmp_path / "config", admin=admin or AdminPreset())
        state = QSettings(str(tmp_path / "ui-state.ini"), QSettings.Format.IniFormat)
        return StoreSettings(store, state)
    return make


def test_dialog_has_an_editor_for_every_setting_of_the_schema(store_settings, qtbot):
    dialog = SettingsDialog(store_settings())
    qtbot.addWidget(dialog)
    for setting in SETTINGS:
        if setting.key in HIDDEN_KEYS | ADMIN_ONLY_KEYS:
            continue
        editor = dialog.editor(setting.key)
        assert editor.accessibleName(), setting.key
        if isinstance(setting.default, bool):
            assert isinstance(editor, QCheckBox)
        elif setting.choices or setting.key.startswith("devices."):
            assert isinstance(editor, QComboBox)
        else:
            assert isinstance(editor, QLineEdit)


def test_changes_are_stored_and_survive_a_restart(store_settings, qtbot):
    settings = store_settings()
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    dialog.editor(keys.DISPLAY_NAME).setText("  Oma   Erika ")
    dialog.editor(keys.START_AUDIO_MUTED).setChecked(True)
    dialog.editor(keys.SERVER_URL).setText("videokonferenz.rastatt.de")
    dialog.set_devices(DeviceLists(cameras=(DeviceInfo("/dev/video0", "Integrated Camera"),)))
    camera = dialog.editor(keys.CAMERA)
    camera.setCurrentIndex(1)
    with qtbot.waitSignal(dialog.applied) as applied:
        dialog._on_ok()
    assert set(applied.args[0]) == {keys.DISPLAY_NAME, keys.START_AUDIO_MUTED, keys.SERVER_URL,
                                    keys.CAMERA}
    for key, value in applied.args[0].items():
        settings.set(key, {"id": value.id, "label": value.label} if isinstance(value, DeviceInfo)
                     else value)
    settings.save_now()
    again = store_settings()
    assert again.get(keys.DISPLAY_NAME) == "Oma Erika"
    assert again.get(keys.START_AUDIO_MUTED) is True
    assert again.get(keys.SERVER_URL) == "https://videokonferenz.rastatt.de"
    assert again.get(keys.CAMERA).label == "Integrated Camera"


def test_an_invalid_server_is_explained_and_nothing_is_applied(store_settings, qtbot):
    dialog = SettingsDialog(store_settings())
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.editor(keys.SERVER_URL).setText("ftp://nonsense")
    applied = []
    dialog.applied.connect(applied.append)
    dialog._on_ok()
    assert applied == [] and dialog.isVisible()
    assert dialog._server_error.isVisible() and dialog._server_error.text()


def test_settings_fixed_by_the_administrator_are_shown_locked(store_settings, qtbot):
    admin = AdminPreset(defaults={keys.SERVER_URL: "https://konferenz.bretten.de"},
                        locked=frozenset({keys.SERVER_URL}))
    settings = store_settings(admin)
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    editor = dialog.editor(keys.SERVER_URL)
    assert not editor.isEnabled() and editor.text() == "https://konferenz.bretten.de"
    assert "administrator" in dialog._helps[keys.SERVER_URL].text()
    assert keys.SERVER_URL not in dialog.changes()


def test_recent_rooms_and_forgetting_them(store_settings):
    settings = store_settings()
    settings.add_recent(parse_link("https://konferenz.bretten.de/Eins"))
    settings.add_recent(parse_link("https://konferenz.bretten.de/eins"))   # same room
    settings.add_recent(parse_link("https://konferenz.bretten.de/Zwei"))
    assert [r.room for r in settings.recents()] == ["Zwei", "eins"]
    settings.set(keys.KEEP_RECENTS, False)
    assert settings.recents() == []
    settings.save_now()
    assert store_settings().recents() == []


def test_clear_everything_forgets_name_rooms_and_the_device_check(store_settings):
    settings = store_settings()
    settings.set(keys.DISPLAY_NAME, "Oma")
    settings.set(keys.DEVICES_CHECKED, True)
    settings.add_recent(parse_link("https://konferenz.bretten.de/Eins"))
    settings.clear_everything()
    again = store_settings()
    assert again.get(keys.DISPLAY_NAME) == "" and again.recents() == []
    assert again.get(keys.DEVICES_CHECKED) is False


def test_a_corrupt_settings_file_is_reported_at_start(tmp_path, qtbot, qloop):
    config = tmp_path / "config"
    config.mkdir()
    (config / "settings.json").write_text("{ not json", encoding="utf-8")
    store = SettingsStore.open(config, admin=AdminPreset())
    settings = StoreSettings(store, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    controller = AppController(QApplication.instance(), settings, preview_factory=None)
    qtbot.addWidget(controller.window)
    controller.start()
    assert isinstance(controller.dialog, MessageDialog)
    assert "default" in controller.dialog._text.text()
    assert list(config.glob("settings.json.corrupt-*"))
    drain(qloop)


def test_the_update_address_is_shown_only_when_the_administrator_set_it(store_settings, qtbot):
    dialog = SettingsDialog(store_settings())
    qtbot.addWidget(dialog)
    with pytest.raises(KeyError):
        dialog.editor("updates.check_url")        # nothing for a user to enter
    admin = AdminPreset(defaults={"updates.check_url": "https://updates.stadt.example/treffpunkt"},
                        locked=frozenset({"updates.check_url"}))
    dialog = SettingsDialog(store_settings(admin))
    qtbot.addWidget(dialog)
    editor = dialog.editor("updates.check_url")
    assert not editor.isEnabled() and editor.text() == "https://updates.stadt.example/treffpunkt"
    assert editor.accessibleDescription() == "Set by your administrator."
    assert "updates.check_url" not in dialog.changes()
