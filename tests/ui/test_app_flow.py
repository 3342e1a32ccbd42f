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
