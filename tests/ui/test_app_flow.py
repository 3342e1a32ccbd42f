"""The app's screens in order, with a scripted conference: first run → join → pre-join → call."""

from __future__ import annotations

import asyncio

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from client.errors import NotJitsiServerError
from client.ui import app_settings as keys
from client.ui.app import AppController, AppOptions, Session, parse_gui_args
from client.ui.call_window import CallWindow
from client.ui.first_run import FirstRunView
from client.ui.join_window import JoinView
from client.ui.prejoin_view import PreJoinView
from client.ui.settings_dialog import SettingsDialog
from tests.ui.conftest import drain
from tests.ui.fakes import FakeConference, FakePump, solid_frame

pytestmark = pytest.mark.gui


class FakePreview:
    instances: list["FakePreview"] = []

    def __init__(self, **options):
        self.options = options
        self.pump = FakePump()
        self.level_source = type("Level", (), {"level": 0.5})()
        self.started = self.closed = False
        self.muted: list[tuple[str, bool]] = []
        FakePreview.instances.append(self)

    async def start(self):
        self.started = True

    async def set_muted(self, media, muted):
        self.muted.append((media, muted))

    async def close(self):
        self.closed = True


@pytest.fixture
def controller(qtbot, qloop):
    FakePreview.instances.clear()
    conferences: list[FakeConference] = []
    checked: list[str] = []

    def factory(address, choices, options):
        conference = FakeConference(room=address.room)
        conference.choices = choices
        conferences.append(conference)
        return Session(conference)

    async def check(url):
        checked.append(url)
        if "bad" in url:
            raise NotJitsiServerError(host=url)
        return "Its meeting domain is meet.example."

    def make(settings=None, options=None):
        ctl = AppController(QApplication.instance(), settings or keys.MemorySettings(),
                            options=options or AppOptions(), session_factory=factory,
                            preview_factory=FakePreview, server_check=check)
        qtbot.addWidget(ctl.window)
        ctl.conferences = conferences
        ctl.checked = checked
        ctl.qloop = qloop
        return ctl

    yield make


def test_cli_arguments():
    args = parse_gui_args(["jitsi-meet://konferenz.bretten.de/omaopa", "--server",
                           "https://videokonferenz.rastatt.de", "--test-media"])
    assert args.link == "jitsi-meet://konferenz.bretten.de/omaopa"
    assert args.server == "https://videokonferenz.rastatt.de" and args.test_media


def test_first_run_chooses_a_town_server_then_checks_devices(controller, qtbot):
    ctl = controller()
    ctl.start()
    view = ctl.page
    assert isinstance(view, FirstRunView)
    view.server_buttons()[0].setChecked(True)           # Bretten, the first shipped server
    qtbot.mouseClick(view.next_button(), Qt.MouseButton.LeftButton)
    assert view.pages.currentIndex() == 1
    assert FakePreview.instances and FakePreview.instances[-1].options["camera_on"]
    drain(ctl.qloop)
    view._finish.click()
    assert ctl.settings.get(keys.SERVER_URL) == "https://konferenz.bretten.de"
    assert ctl.settings.get(keys.DEVICES_CHECKED)
    assert isinstance(ctl.page, JoinView)
    assert "konferenz.bretten.de" in ctl.page.texts()["server"]
    drain(ctl.qloop)
    assert FakePreview.instances[-1].closed


def test_first_run_checks_another_server_live(controller, qtbot):
    ctl = controller()
    ctl.start()
    view = ctl.page
    view.server_buttons()[-1].setChecked(True)
    assert not view.next_button().isEnabled()
    qtbot.keyClicks(view.other_field(), "bad.example.org")
    view.start_check()
    assert "Checking" in view.check_status()
    drain(ctl.qloop)
    assert view.check_status().startswith("✗") and not view.next_button().isEnabled()
    view.other_field().setText("meet.example.org")
    view.start_check()
    drain(ctl.qloop)
    assert view.check_status().startswith("✓")
    assert ctl.checked[-1] == "https://meet.example.org"
    assert view.next_button().isEnabled()


def test_admin_preset_skips_the_server_choice(controller):
    ctl = controller(options=AppOptions(admin_server="https://videokonferenz.rastatt.de"))
    ctl.start()
    assert isinstance(ctl.page, FirstRunView) and ctl.page.pages.currentIndex() == 1
    ctl.page._finish.click()
    assert isinstance(ctl.page, JoinView)
    assert ctl.settings.get(keys.SERVER_URL) is None      # the preset is not copied into the user's file
    assert "videokonferenz.rastatt.de" in ctl.page.texts()["server"]


def test_a_link_on_the_command_line_opens_the_prejoin_of_that_room(controller):
    ctl = controller()
    ctl.start("jitsi-meet://konferenz.bretten.de/OmaOpa")
    assert isinstance(ctl.page, PreJoinView)
    assert ctl.page.address.room == "OmaOpa"
    assert ctl.page.address.host == "konferenz.bretten.de"
    assert FakePreview.instances and ctl.page.preview is not None


def _settled(ctl, settings=None):
    settings = settings or keys.MemorySettings({keys.SERVER_URL: "https://konferenz.bretten.de",
                                                keys.DEVICES_CHECKED: True,
                                                keys.DISPLAY_NAME: "Oma"})
    return settings


def test_room_name_to_prejoin_to_call_and_back(controller, qtbot):
    ctl = controller(settings=_settled(None))
    ctl.start()
    join = ctl.page
    assert isinstance(join, JoinView)
    qtbot.keyClicks(join.field(), "omaopamustermann")
    assert join.texts()["preview"] == "Room <b>omaopamustermann</b> on <b>konferenz.bretten.de</b>"
    assert join.continue_button().isEnabled()
    qtbot.keyClick(join.field(), Qt.Key.Key_Return)
    prejoin = ctl.page
    assert isinstance(prejoin, PreJoinView)
    assert prejoin.controls()["name"].text() == "Oma"
    FakePreview.instances[-1].pump.push(solid_frame((0, 200, 0)))
    assert prejoin.preview.has_frame
    prejoin.controls()["camera"].click()                 # camera off in the preview
    drain(ctl.qloop)
    assert FakePreview.instances[-1].muted == [("video", True)]
    prejoin.controls()["join"].click()
    call = ctl.page
    assert isinstance(call, CallWindow)
    drain(ctl.qloop)
    conference = ctl.conferences[-1]
    assert conference.choices.camera_on is False and conference.choices.display_name == "Oma"
    conference.join(name="Oma")
    assert call.grid.tile("me1").label_text() == "Oma (you)"
    assert call.grid.tile("me1").video_muted
    call.toolbar.leave.click()
    call.dialog.leave_button().click()
    drain(ctl.qloop)
    assert isinstance(ctl.page, JoinView)
    recents = ctl.settings.recents()
    assert [(r.server, r.room) for r in recents] == [("https://konferenz.bretten.de",
                                                       "omaopamustermann")]
    assert ctl.page.recent_list().count() == 1


def test_public_server_needs_a_confirmation(controller, qtbot):
    ctl = controller(settings=_settled(None))
    ctl.start()
    join = ctl.page
    join.set_text("https://meet.jit.si/Familie")
    assert "public server" in join.texts()["warning"]
    assert not join.continue_button().isEnabled()
    join.confirm_checkbox().click()
    assert join.continue_button().isEnabled()


def test_an_administrator_can_refuse_public_servers(controller):
    settings = keys.MemorySettings({keys.SERVER_URL: "https://konferenz.bretten.de",
                                    keys.DEVICES_CHECKED: True}, hide_public_servers=True)
    ctl = controller(settings=settings)
    ctl.start()
    join = ctl.page
    join.set_text("https://meet.jit.si/Familie")
    assert "does not allow" in join.texts()["warning"]
    assert not join.confirm_checkbox().isVisible() and not join.continue_button().isEnabled()
    join.set_text("https://konferenz.bretten.de/Familie")
    assert join.continue_button().isEnabled()


def test_recent_rooms_can_be_removed_one_by_one_or_all(controller):
    from client.meeting.address import parse_link

    settings = _settled(None)
    settings.add_recent(parse_link("https://konferenz.bretten.de/eins"))
    settings.add_recent(parse_link("https://videokonferenz.rastatt.de/zwei"))
    ctl = controller(settings=settings)
    ctl.start()
    join = ctl.page
    assert join.recent_list().count() == 2
    assert "zwei on videokonferenz.rastatt.de" in join.recent_list().item(0).text()
    join.recent_list().setCurrentRow(0)
    join._remove.click()
    assert [r.room for r in settings.recents()] == ["eins"]
    join._clear.click()
    assert settings.recents() == []


def test_settings_dialog_switches_the_language_of_the_visible_screen(controller):
    ctl = controller(settings=_settled(None))
    ctl.start()
    ctl.open_settings()
    dialog = ctl.dialog
    assert isinstance(dialog, SettingsDialog)
    language = dialog.editor(keys.LANGUAGE)
    language.setCurrentIndex(language.findData("de"))
    dialog._on_ok()
    try:
        assert ctl.settings.get(keys.LANGUAGE) == "de"
        assert ctl.page._title.text() == "An einer Besprechung teilnehmen"
    finally:
        ctl.language.apply("en")
    assert ctl.page._title.text() == "Join a meeting"


def test_closing_the_window_during_a_meeting_asks_first(controller, qtbot):
    ctl = controller(settings=_settled(None))
    ctl.start("omaopa")
    ctl.page.controls()["join"].click()
    drain(ctl.qloop)
    ctl.conferences[-1].join()
    assert ctl.in_meeting()
    ctl.window.close()
    assert ctl.window.isVisible()           # not closed: a confirmation is open
    ctl.dialog.leave_button().click()
    drain(ctl.qloop)
    assert ("leave",) in ctl.conferences[-1].calls
    assert not ctl.window.isVisible()


def test_retry_after_a_failure_joins_again(controller):
    from client.errors import ServerUnreachableError
    from client.jitsi import events as ev

    ctl = controller(settings=_settled(None))
    ctl.start("omaopa")
    ctl.page.controls()["join"].click()
    drain(ctl.qloop)
    error = ServerUnreachableError(host="konferenz.bretten.de")
    ctl.conferences[-1].emit(ev.JoinFailed(error=error))
    ctl.conferences[-1].emit(ev.ConferenceEnded(reason=ev.EndReason.JOIN_FAILED, error=error))
    from client.ui.messages import Action
    ctl.page.waiting.action_button(Action.RETRY).click()
    drain(ctl.qloop)
    assert len(ctl.conferences) == 2 and ("run",) in ctl.conferences[-1].calls


# --- recent rooms: every write goes through client.settings.recents.RecentRooms --------------

def _settings_of_kind(kind, tmp_path):
    values = {keys.SERVER_URL: "https://konferenz.bretten.de", keys.DEVICES_CHECKED: True,
              keys.DISPLAY_NAME: "Oma"}
    if kind == "memory":
        return keys.MemorySettings(values)
    from PySide6.QtCore import QSettings

    from client.settings.preset import AdminPreset
    from client.settings.store import SettingsStore
    from client.ui.settings_store import StoreSettings

    store = SettingsStore.open(tmp_path / "config", admin=AdminPreset())
    settings = StoreSettings(store, QSettings(str(tmp_path / "ui-state.ini"),
                                              QSettings.Format.IniFormat))
    for key, value in values.items():
        settings.set(key, value)
    return settings


def _join_and_leave(ctl, qtbot, text):
    """The way a person does it: type on the join screen, join, leave with confirmation."""
    join = ctl.page
    assert isinstance(join, JoinView)
    join.field().setText(text)
    qtbot.keyClick(join.field(), Qt.Key.Key_Return)
    ctl.page.controls()["join"].click()
    drain(ctl.qloop)
    ctl.conferences[-1].join()
    ctl.page.toolbar.leave.click()
    ctl.page.dialog.leave_button().click()
    drain(ctl.qloop)
    assert isinstance(ctl.page, JoinView)


@pytest.fixture
def recent_adds(monkeypatch):
    from client.settings.recents import RecentRooms
    from client.ui.devices import DeviceLists

    async def no_devices():          # dozens of pre-join pages: skip asking PortAudio each time
        return DeviceLists()

    monkeypatch.setattr("client.ui.app.gather_devices", no_devices)

    calls = []
    original = RecentRooms.add

    def spy(self, address, when=None):
        calls.append(address.room)
        return original(self, address, when)

    monkeypatch.setattr(RecentRooms, "add", spy)
    return calls


@pytest.mark.parametrize("kind", ["memory", "store"])
def test_recent_rooms_keep_the_newest_30(controller, qtbot, tmp_path, kind, recent_adds):
    from client.meeting.address import parse_link

    settings = _settings_of_kind(kind, tmp_path)
    rooms = [f"Chorprobe{n:02d}Sonntag" for n in range(1, 33)]
    for room in rooms[:30]:                          # a full list from earlier meetings
        settings.add_recent(parse_link(room, "https://konferenz.bretten.de"))
    ctl = controller(settings=settings)
    ctl.start()
    assert ctl.page.recent_list().count() == 30
    for room in rooms[30:]:                          # two more, joined the way people do
        _join_and_leave(ctl, qtbot, room)
    assert recent_adds == rooms                      # every one went through RecentRooms.add
    recents = settings.recents()
    assert [r.room for r in recents] == rooms[::-1][:30]   # newest first, the two oldest gone
    assert ctl.page.recent_list().count() == 30
    assert "Chorprobe32Sonntag" in ctl.page.recent_list().item(0).text()
    if kind == "store":
        settings.save_now()
        import json

        saved = json.loads((tmp_path / "config" / "settings.json").read_text("utf-8"))
        assert len(saved["settings"]["privacy.recent_rooms"]) == 30


@pytest.mark.parametrize("kind", ["memory", "store"])
def test_the_same_room_again_moves_to_the_top_instead_of_a_second_entry(
        controller, qtbot, tmp_path, kind, recent_adds):
    settings = _settings_of_kind(kind, tmp_path)
    ctl = controller(settings=settings)
    ctl.start()
    _join_and_leave(ctl, qtbot, "OmaOpaSonntag")
    _join_and_leave(ctl, qtbot, "https://videokonferenz.rastatt.de/OmaOpaSonntag")
    _join_and_leave(ctl, qtbot, "Elternabend4b")
    _join_and_leave(ctl, qtbot, "omaopasonntag")     # the same backend room as the first
    entries = [(r.server, r.room) for r in settings.recents()]
    assert entries == [("https://konferenz.bretten.de", "omaopasonntag"),
                       ("https://konferenz.bretten.de", "Elternabend4b"),
                       ("https://videokonferenz.rastatt.de", "OmaOpaSonntag")]
    assert ctl.page.recent_list().count() == 3
    assert len(recent_adds) == 4


@pytest.mark.parametrize("kind", ["memory", "store"])
def test_switching_recent_rooms_off_forgets_them_and_records_no_more(
        controller, qtbot, tmp_path, kind, recent_adds):
    settings = _settings_of_kind(kind, tmp_path)
    ctl = controller(settings=settings)
    ctl.start()
    _join_and_leave(ctl, qtbot, "OmaOpaSonntag")
    assert len(settings.recents()) == 1
    ctl.open_settings()
    ctl.dialog.editor(keys.KEEP_RECENTS).setChecked(False)
    ctl.dialog._on_ok()
    assert settings.recents() == []
    _join_and_leave(ctl, qtbot, "Elternabend4b")
    assert settings.recents() == [] and ctl.page.recent_list().count() == 0
    assert len(recent_adds) == 2                     # asked, and RecentRooms said no


# --- a server fixed by the administrator (preset "lock_server": true) ------------------------

def _preset_settings(tmp_path, preset: dict, *, devices_checked: bool = True):
    import json

    from PySide6.QtCore import QSettings

    from client.settings.preset import load_admin_preset
    from client.settings.store import SettingsStore
    from client.ui.settings_store import StoreSettings

    path = tmp_path / "defaults.json"
    path.write_text(json.dumps(preset), "utf-8")
    store = SettingsStore.open(tmp_path / "config", admin=load_admin_preset(path))
    settings = StoreSettings(store, QSettings(str(tmp_path / "ui-state.ini"),
                                              QSettings.Format.IniFormat))
    settings.set(keys.DEVICES_CHECKED, devices_checked)
    return settings


LOCK_NOTE = {"en": "Your administrator has fixed the server setting; it cannot be changed here.",
             "de": "Ihre Administration hat den Server festgelegt; er kann hier nicht geändert "
                   "werden."}


def test_a_locked_server_offers_no_change_server_button_and_says_why(controller, tmp_path,
                                                                      language):
    # ``language`` sets the catalogue; the app applies its own choice at start (AppOptions)
    settings = _preset_settings(tmp_path, {"default_server": "https://videokonferenz.rastatt.de",
                                           "lock_server": True})
    ctl = controller(settings=settings, options=AppOptions(language=language))
    ctl.start()
    try:
        join = ctl.page
        assert isinstance(join, JoinView) and join.server_locked
        assert join.change_server_button().isHidden()
        assert "videokonferenz.rastatt.de" in join.texts()["server"]
        assert join.texts()["server_lock"] == LOCK_NOTE[language]
        assert join._server_lock_note.isVisible()
        assert join._server_line.accessibleDescription() == LOCK_NOTE[language]
    finally:
        ctl.language.apply("en")      # Qt's own translator too, for the tests that follow


def test_without_a_lock_the_change_server_button_is_offered(controller, tmp_path):
    settings = _preset_settings(tmp_path, {"default_server": "https://videokonferenz.rastatt.de"})
    ctl = controller(settings=settings)
    ctl.start()
    assert not ctl.page.server_locked
    assert ctl.page.change_server_button().isVisible()
    assert ctl.page.texts()["server_lock"] == ""
    ctl.page.change_server_button().click()
    assert isinstance(ctl.dialog, SettingsDialog)
    assert ctl.dialog.editor(keys.SERVER_URL).isEnabled()


def test_no_ui_path_changes_a_locked_server(controller, tmp_path):
    from client.ui.first_run import FirstRunResult

    settings = _preset_settings(tmp_path, {"default_server": "https://videokonferenz.rastatt.de",
                                           "lock_server": True})
    ctl = controller(settings=settings)
    ctl.start()
    locked_url = "https://videokonferenz.rastatt.de"
    # the settings dialog shows it, disabled, with the reason
    ctl.open_settings()
    editor = ctl.dialog.editor(keys.SERVER_URL)
    assert not editor.isEnabled()
    assert editor.accessibleDescription() == "Set by your administrator."
    editor.setText("konferenz.bretten.de")            # even if it were typed into somehow
    ctl.dialog._on_ok()
    assert settings.get(keys.SERVER_URL) == locked_url
    # what the dialog or the first-run page could hand over is not taken either
    ctl._settings_applied({keys.SERVER_URL: "https://konferenz.bretten.de"})
    ctl._first_run_done(FirstRunResult("https://konferenz.bretten.de", None, True))
    assert settings.get(keys.SERVER_URL) == locked_url
    # nor by "clear everything", which starts over at the device check, not the server choice
    ctl._clear_everything()
    assert settings.get(keys.SERVER_URL) == locked_url
    assert isinstance(ctl.page, FirstRunView) and ctl.page.pages.currentIndex() == 1
    ctl.page._finish.click()
    assert isinstance(ctl.page, JoinView) and ctl.page.change_server_button().isHidden()
    assert "videokonferenz.rastatt.de" in ctl.page.texts()["server"]


def test_first_run_with_a_locked_server_skips_the_server_choice(controller, tmp_path):
    settings = _preset_settings(tmp_path, {"default_server": "https://videokonferenz.rastatt.de",
                                           "lock_server": True}, devices_checked=False)
    ctl = controller(settings=settings)
    ctl.start()
    assert isinstance(ctl.page, FirstRunView)
    assert ctl.page.pages.currentIndex() == 1 and not ctl.page._back.isVisible()


def test_a_server_locked_to_none_never_asks_for_a_server(controller, tmp_path):
    settings = _preset_settings(tmp_path, {"lock_server": True})
    ctl = controller(settings=settings)
    ctl.start()
    join = ctl.page
    assert isinstance(join, JoinView)                  # not the first-run server choice
    assert join.change_server_button().isHidden()
    assert join.texts()["server"] == "No server has been set. Paste a full meeting link."
    join.set_text("https://konferenz.bretten.de/Elternabend4b")   # full links still work
    assert join.continue_button().isEnabled()


def test_the_chosen_camera_is_remembered_and_offered_again(controller, qtbot, monkeypatch):
    from client.ui.devices import DeviceInfo, DeviceLists

    lists = DeviceLists(cameras=(DeviceInfo("/dev/video0", "Integrated Camera"),
                                 DeviceInfo("/dev/video2", "USB Kamera")))

    async def listed():
        return lists

    monkeypatch.setattr("client.ui.app.gather_devices", listed)
    settings = _settled(None)
    ctl = controller(settings=settings)
    ctl.start("OmaOpaSonntag")
    drain(ctl.qloop)
    picker = ctl.page.controls()["camera_picker"]
    picker.setCurrentIndex(picker.findText("USB Kamera"))
    ctl.page.controls()["join"].click()
    drain(ctl.qloop)
    ctl.conferences[-1].join()
    ctl.page.toolbar.leave.click()
    ctl.page.dialog.leave_button().click()
    drain(ctl.qloop)
    saved = settings.get(keys.CAMERA)
    assert (saved.id, saved.label) == ("/dev/video2", "USB Kamera")
    ctl.page.set_text("OmaOpaSonntag")
    ctl.page.submit()
    drain(ctl.qloop)                                   # the device list arrives
    assert isinstance(ctl.page, PreJoinView)
    assert ctl.page.controls()["camera_picker"].currentText() == "USB Kamera"
    assert FakePreview.instances[-1].options["camera"] == DeviceInfo("/dev/video2", "USB Kamera")
