"""The call window driven by a scripted conference: events in, rows/texts/buttons out."""

from __future__ import annotations

import asyncio

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from client.errors import RoomFullError, ServerUnreachableError
from client.i18n import set_language
from client.jitsi import events as ev
from client.meeting.address import parse_link
from client.ui.bridge import ConferenceBridge
from client.ui.call_window import CallWindow
from client.ui.dialogs import LeaveDialog, PasswordDialog, ShortcutsDialog
from client.ui.invite_dialog import InviteDialog
from client.ui.messages import Action
from client.ui.waiting_view import WaitingState
from tests.ui.conftest import drain
from tests.ui.fakes import FakeConference, FakeMedia, FakePump, solid_frame

pytestmark = pytest.mark.gui


@pytest.fixture
def call(qtbot, qloop):
    conference = FakeConference()
    media = FakeMedia()
    preview = FakePump()
    bridge = ConferenceBridge(conference, loop=qloop)
    window = CallWindow(bridge, parse_link("https://konferenz.bretten.de/omaopa"),
                        display_name="Ich", media=media, local_preview=preview)
    qtbot.addWidget(window)
    window.resize(1100, 700)
    window.show()
    qtbot.waitExposed(window)
    bridge.start()
    drain(qloop)
    window.conference = conference
    window.fake_media = media
    window.preview = preview
    window.qloop = qloop
    return window


def test_joining_shows_a_tile_per_person_yourself_first(call):
    assert call.pages.currentWidget() is call.waiting
    assert call.waiting.state is WaitingState.CONNECTING
    call.conference.join(others=(("ep-anna", "Anna Berg"), ("ep-bob", "Bob")))
    assert call.pages.currentWidget() is not call.waiting
    assert [t.endpoint_id for t in call.grid.tiles()] == ["me1", "ep-anna", "ep-bob"]
    assert call.grid.tile("me1").label_text() == "Ich (you)"
    assert "konferenz.bretten.de" in call.header.text() and "omaopa" in call.header.text()


def test_participant_updates_change_tile_icons_and_leaving_removes_the_tile(call):
    call.conference.join()
    call.conference.emit(ev.ParticipantUpdated(
        endpoint_id="ep-anna", display_name="Anna B.", role="participant", affiliation="none",
        audio_muted=True, video_muted=True, changed=frozenset({"audio_muted", "video_muted"})))
    tile = call.grid.tile("ep-anna")
    assert tile.audio_muted and tile.video_muted and tile.display_name == "Anna B."
    call.conference.emit(ev.ParticipantLeft(endpoint_id="ep-anna", display_name="Anna B."))
    assert call.grid.tile("ep-anna") is None


def test_microphone_and_camera_buttons_and_shortcuts_send_mute_commands(call, qtbot):
    call.conference.join()
    call.toolbar.microphone.click()
    drain(call.qloop)
    assert ("set_muted", "audio", True) in call.conference.calls
    assert call.grid.tile("me1").audio_muted
    assert call.toolbar.microphone.text() == "Microphone off"
    call.grid.setFocus()
    qtbot.keyClick(call.grid, Qt.Key.Key_M)
    qtbot.keyClick(call.grid, Qt.Key.Key_V)
    drain(call.qloop)
    assert call.conference.calls[-2:] == [("set_muted", "audio", False), ("set_muted", "video", True)]
    assert call.grid.tile("me1").video_muted


def test_typing_in_the_chat_does_not_trigger_single_key_shortcuts(call, qtbot):
    call.conference.join()
    call.toggle_panel("chat")
    qtbot.keyClicks(call.chat_panel.input(), "mv")
    qtbot.keyClick(call.chat_panel.input(), Qt.Key.Key_Return)
    drain(call.qloop)
    assert ("send_chat", "mv", None) in call.conference.calls
    assert not any(c[0] == "set_muted" for c in call.conference.calls)


def test_chat_counts_unread_messages_until_opened(call):
    call.conference.join()
    call.conference.emit(ev.ChatReceived(from_id="ep-anna", display_name="Anna Berg",
                                         text="Hallo!", private=False))
    call.conference.emit(ev.ChatReceived(from_id="ep-anna", display_name="Anna Berg",
                                         text="Hört ihr mich?", private=False))
    assert call.toolbar.chat.text() == "Chat (2)"
    call.toolbar.chat.click()
    assert call.toolbar.chat.text() == "Chat"
    assert call.chat.rowCount() == 2
    assert "Anna Berg: Hört ihr mich?" in call.chat.index(1).data()


def test_private_message_goes_to_the_chosen_person(call, qtbot):
    call.conference.join()
    call.toggle_panel("chat")
    combo = call.chat_panel.recipient()
    combo.setCurrentIndex(combo.findData("ep-anna"))
    qtbot.keyClicks(call.chat_panel.input(), "nur fuer dich")
    qtbot.keyClick(call.chat_panel.input(), Qt.Key.Key_Return)
    drain(call.qloop)
    assert ("send_chat", "nur fuer dich", "ep-anna") in call.conference.calls
    assert "Anna Berg (private)" in call.chat.index(0).data()


def test_password_prompt_submits_and_a_wrong_password_says_so(call, qtbot):
    call.conference.emit(ev.PasswordRequested(room="omaopa", after_wrong_password=False))
    dialog = call.dialog
    assert isinstance(dialog, PasswordDialog) and dialog.isVisible()
    qtbot.keyClicks(dialog.field(), "geheim")
    qtbot.keyClick(dialog.field(), Qt.Key.Key_Return)
    drain(call.qloop)
    assert ("submit_password", "geheim") in call.conference.calls
    call.conference.emit(ev.PasswordRequested(room="omaopa", after_wrong_password=True))
    assert "not correct" in call.dialog.findChild(type(call.header), "errorText").text()
    call.dialog.reject()
    drain(call.qloop)
    assert ("cancel",) in call.conference.calls


def test_lobby_waiting_page_then_admitted(call):
    call.conference.emit(ev.LobbyWaiting(room="omaopa", lobby_room="omaopa@lobby.meet.localhost"))
    assert call.waiting.state is WaitingState.LOBBY
    title, text, _hint = call.waiting.texts()
    assert title == "Waiting to be let in" and "omaopa" in text
    call.waiting.have_password_button().click()
    assert isinstance(call.dialog, PasswordDialog)
    call.dialog.reject()   # cancelling the password keeps us waiting in the lobby
    drain(call.qloop)
    assert ("cancel",) not in call.conference.calls
    call.conference.emit(ev.LobbyAdmitted(room="omaopa"))
    call.conference.join()
    assert call.pages.currentWidget() is not call.waiting


def test_waiting_for_host_offers_the_host_login(call, qtbot):
    call.conference.emit(ev.WaitingForHost(room="omaopa", poll_interval_s=5))
    assert call.waiting.state is WaitingState.WAITING_FOR_HOST
    user, password, login = call.waiting.login_fields()
    assert not login.isEnabled()
    qtbot.keyClicks(user, "host")
    qtbot.keyClicks(password, "pw")
    login.click()
    drain(call.qloop)
    assert ("login_as_host", "host", "pw") in call.conference.calls
    assert call.waiting.state is WaitingState.CONNECTING
    call.conference.emit(ev.HostLoginRequested(room="omaopa", after_failed_login=True))
    assert call.waiting.state is WaitingState.HOST_LOGIN
    assert call.waiting.findChild(type(call.header), "errorText").isVisible()


def test_cancel_while_waiting_cancels_the_join(call):
    call.conference.emit(ev.WaitingForHost(room="omaopa", poll_interval_s=5))
    closed = []
    call.closed.connect(lambda: closed.append(True))
    call.waiting.cancel_button().click()
    drain(call.qloop)
    assert ("cancel",) in call.conference.calls
    assert closed == [True]   # cancelled by us: straight back, no error page


def test_leave_asks_first_and_then_leaves(call, qtbot):
    call.conference.join()
    closed = []
    call.closed.connect(lambda: closed.append(True))
    call.toolbar.leave.click()
    dialog = call.dialog
    assert isinstance(dialog, LeaveDialog)
    dialog.stay_button().click()
    drain(call.qloop)
    assert ("leave",) not in call.conference.calls
    call.toolbar.leave.click()
    call.dialog.leave_button().click()
    drain(call.qloop)
    assert ("leave",) in call.conference.calls
    assert closed == [True]


def test_kicked_shows_who_and_why_with_a_way_back(call):
    call.conference.join()
    closed = []
    call.closed.connect(lambda: closed.append(True))
    call.conference.emit(ev.Kicked(actor="Chef", reason="Test"))
    call.conference.emit(ev.ConferenceEnded(reason=ev.EndReason.KICKED))
    assert call.waiting.state is WaitingState.MESSAGE
    title, text, _hint = call.waiting.texts()
    assert title == "You were removed" and "Chef" in text and "Test" in text
    call.waiting.action_button(Action.CHANGE_ROOM).click()
    assert closed == [True]


def test_join_failure_explains_in_german_and_offers_retry(call, language):
    retried = []
    call.retry_requested.connect(lambda: retried.append(True))
    error = RoomFullError(room="omaopa")
    call.conference.emit(ev.JoinFailed(error=error))
    call.conference.emit(ev.ConferenceEnded(reason=ev.EndReason.JOIN_FAILED, error=error))
    title, text, hint = call.waiting.texts()
    expected_title = {"en": "The meeting is full", "de": "Die Besprechung ist voll"}[language]
    assert title == expected_title
    assert "omaopa" in text and hint
    call.waiting.action_button(Action.RETRY).click()
    assert retried == [True]


def test_run_raising_an_error_ends_with_its_message(qtbot, qloop):
    class Failing(FakeConference):
        async def run(self):
            raise ServerUnreachableError(host="konferenz.bretten.de")

    bridge = ConferenceBridge(Failing(), loop=qloop)
    window = CallWindow(bridge, parse_link("https://konferenz.bretten.de/r"))
    qtbot.addWidget(window)
    bridge.start()
    drain(qloop)
    assert window.waiting.state is WaitingState.MESSAGE
    assert window.waiting.texts()[0] == "Server not reachable"


def test_reconnecting_banner_comes_and_goes(call):
    call.conference.join()
    call.conference.emit(ev.Reconnecting(reason="connection-lost", attempt=2, delay_s=1.0))
    assert call.banner.isVisible() and "attempt 2" in call.banner.text()
    call.conference.join()
    assert not call.banner.isVisible()


def test_moderator_lets_knockers_in_locks_and_kicks(call, qtbot):
    call.conference.join(role="moderator")
    call.conference.emit(ev.KnockerAdded(knocker_id="k1", display_name="Opa Heinz"))
    assert call.toolbar.participants.text() == "People (1 waiting)"
    call.toolbar.participants.click()
    panel = call.participants_panel
    buttons = panel.buttons()
    assert buttons["admit"].isVisible() and buttons["admit"].isEnabled()
    buttons["admit"].click()
    drain(call.qloop)
    assert ("admit", "k1") in call.conference.calls
    call.conference.emit(ev.KnockerRemoved(knocker_id="k1"))
    assert not buttons["admit"].isVisible()
    # kick: select Anna, press the button
    view = panel.participant_list()
    view.setCurrentIndex(call.participants.index(1))
    assert buttons["kick"].isEnabled()
    buttons["kick"].click()
    drain(call.qloop)
    assert ("kick", "ep-anna") in call.conference.calls
    # lock with a password → the invite carries it on its own line
    buttons["lock"].click()
    qtbot.keyClicks(call.dialog.field(), "Apfel7")
    qtbot.keyClick(call.dialog.field(), Qt.Key.Key_Return)
    drain(call.qloop)
    assert ("lock", "Apfel7") in call.conference.calls
    call.conference.emit(ev.RoomLockChanged(locked=True))
    assert buttons["lock"].text() == "Remove password"
    panel.lobby_checkbox().click()
    drain(call.qloop)
    assert ("set_lobby", True) in call.conference.calls
    call.open_invite()
    assert "\nApfel7\n" in call.dialog.invitation()


def test_participants_see_no_moderator_actions(call):
    call.conference.join(role="participant")
    call.toggle_panel("participants")
    buttons = call.participants_panel.buttons()
    assert not buttons["kick"].isVisible() and not buttons["lock"].isVisible()
    call.conference.emit(ev.RoleChanged(endpoint_id="me1", role="moderator", affiliation="owner"))
    assert buttons["kick"].isVisible() and buttons["lock"].isVisible()


def test_remote_video_reaches_its_tile_and_local_preview_the_own_tile(call):
    call.conference.join()
    call.conference.emit(ev.RemoteTrackAdded(endpoint_id="ep-anna", source_name="ep-anna-v0",
                                             media="video"))
    pump = call.fake_media.pumps["ep-anna-v0"]
    pump.push(solid_frame((0, 0, 255)))
    tile = call.grid.tile("ep-anna")
    assert tile.has_frame and tile.frames_received == 1
    image = tile.grab().toImage()
    centre = image.pixelColor(image.width() // 2, image.height() // 2)
    assert (centre.red(), centre.green(), centre.blue()) == (255, 0, 0)
    call.preview.push(solid_frame((0, 255, 0)))
    assert call.grid.tile("me1").frames_received == 1


def test_frames_from_another_thread_arrive_on_the_gui_thread(call, qtbot):
    import threading

    call.conference.join()
    call.conference.emit(ev.RemoteTrackAdded(endpoint_id="ep-anna", source_name="ep-anna-v0",
                                             media="video"))
    pump = call.fake_media.pumps["ep-anna-v0"]
    tile = call.grid.tile("ep-anna")
    seen_threads = []
    original = tile.set_frame
    tile.set_frame = lambda f: (seen_threads.append(threading.get_ident()), original(f))
    worker = threading.Thread(target=lambda: [pump.push(solid_frame((i, 0, 0))) for i in range(5)])
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: tile.has_frame, timeout=2000)
    assert set(seen_threads) == {threading.get_ident()}
    assert 1 <= len(seen_threads) <= 5   # only the newest frame is kept while one is pending


def test_shortcut_help_opens_with_question_mark(call, qtbot):
    call.conference.join()
    call.grid.setFocus()
    qtbot.keyClicks(call.grid, "?")
    assert isinstance(call.dialog, ShortcutsDialog)
    assert "Turn the microphone on or off" in call.dialog.texts()


def test_invite_copies_the_link_and_the_invitation(call):
    call.conference.join()
    call.toolbar.invite.click()
    dialog = call.dialog
    assert isinstance(dialog, InviteDialog)
    dialog.copy_link()
    assert QApplication.clipboard().text() == "https://konferenz.bretten.de/omaopa"
    dialog.copy_invitation()
    text = QApplication.clipboard().text()
    assert "https://konferenz.bretten.de/omaopa" in text and "https://" in text


def test_language_switch_retranslates_the_visible_call(call):
    from client.ui.language import retranslate_all

    call.conference.join()
    try:
        set_language("de")
        retranslate_all(call)
        assert call.toolbar.leave.text() == "Verlassen"
        assert call.grid.tile("me1").label_text() == "Ich (Sie)"
    finally:
        set_language("en")
    retranslate_all(call)
    assert call.toolbar.leave.text() == "Leave"


def test_slow_commands_never_block_the_gui_thread(call):
    """A command that takes long runs as a task: the click returns at once."""
    call.conference.join()
    call.conference.command_delay_s = 5.0
    before = call.bridge.pending_tasks()      # the conference's run() task
    call.toolbar.microphone.click()           # returns immediately, nothing awaited here
    assert call.bridge.pending_tasks() == before + 1
    drain(call.qloop, rounds=1)
    assert ("set_muted", "audio", True) in call.conference.calls
    assert call.bridge.pending_tasks() == before + 1   # still sleeping in its own task
    call.bridge.cancel_tasks()
    drain(call.qloop)
    assert call.bridge.pending_tasks() == 0


INVITATION = {
    "en": {"intro": "Ich invites you to a video meeting on “",
           "password": "Meeting password:",
           "mobile": "Using the Jitsi Meet app on a phone or tablet? Paste the whole address"},
    "de": {"intro": "Ich lädt Sie zu einer Videokonferenz bei „",
           "password": "Passwort für die Konferenz:",
           "mobile": "Sie nutzen die Jitsi-Meet-App auf dem Smartphone oder Tablet?"},
}


def test_invite_dialog_shows_the_meeting_layers_invitation(call, qtbot, language):
    from PySide6.QtWidgets import QPlainTextEdit

    from client.meeting.invite import invitation_text

    call.conference.join(role="moderator")
    call.toggle_panel("participants")
    call.participants_panel.buttons()["lock"].click()
    qtbot.keyClicks(call.dialog.field(), "Apfel7")
    qtbot.keyClick(call.dialog.field(), Qt.Key.Key_Return)
    drain(call.qloop)
    call.toolbar.invite.click()
    dialog = call.dialog
    assert isinstance(dialog, InviteDialog)
    shown = dialog.findChild(QPlainTextEdit).toPlainText()
    # exactly what client.meeting.invite writes, in the app's language
    assert shown == invitation_text(call.address, password="Apfel7", inviter="Ich",
                                    language=language)
    lines = shown.splitlines()
    expected = INVITATION[language]
    assert lines[0].startswith(expected["intro"])
    assert "https://konferenz.bretten.de/omaopa" in lines          # the link on its own line
    password_at = lines.index("Apfel7")                            # the password on its own line
    assert lines[password_at - 1] == expected["password"]
    assert lines.index("https://konferenz.bretten.de/omaopa") < password_at
    assert lines[-1].startswith(expected["mobile"])                # the hint for the mobile app
    dialog.copy_invitation()
    assert QApplication.clipboard().text() == shown


class RecordingBridgeCall:
    def __init__(self) -> None:
        self.shown: list[dict[str, int]] = []
        self.stages: list[str | None] = []

    def show_endpoints(self, heights_px, *, on_stage=None):  # noqa: ANN001, ANN201
        self.shown.append(dict(heights_px))
        self.stages.append(on_stage)


def test_the_videos_asked_for_follow_the_tiles_on_screen(qtbot, qloop):
    """Only participants with a tile on screen get video, at their tile's height."""
    conference, media = FakeConference(), FakeMedia()
    media.bridge_call = RecordingBridgeCall()
    bridge = ConferenceBridge(conference, media=media, loop=qloop)
    window = CallWindow(bridge, parse_link("https://konferenz.bretten.de/omaopa"),
                        display_name="Ich", media=media, local_preview=FakePump())
    qtbot.addWidget(window)
    window.resize(1100, 700)
    window.show()
    qtbot.waitExposed(window)
    bridge.start()
    drain(qloop)
    conference.join(others=(("ep-anna", "Anna Berg"), ("ep-bob", "Bob")))
    qtbot.waitUntil(lambda: media.bridge_call.shown
                    and set(media.bridge_call.shown[-1]) == {"me1", "ep-anna", "ep-bob"})
    grid_heights = {t.endpoint_id: t.height() for t in window.grid.tiles()}
    assert media.bridge_call.shown[-1] == grid_heights
    # Anna on the stage: her tile is large, the others small
    qtbot.mouseClick(window.grid.tile("ep-anna"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: media.bridge_call.shown[-1].get("ep-anna", 0)
                    > 2 * media.bridge_call.shown[-1].get("ep-bob", 10_000))
    assert media.bridge_call.stages[-1] == "ep-anna"      # served first by the bridge
    # back to the tile view: nobody on stage
    qtbot.keyClick(window.grid, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: media.bridge_call.stages[-1] is None)
    assert media.bridge_call.shown[-1] == {t.endpoint_id: t.height() for t in window.grid.tiles()}
    # the call window hidden: nothing on screen, no video asked for
    window.hide()
    qtbot.waitUntil(lambda: media.bridge_call.shown[-1] == {})
