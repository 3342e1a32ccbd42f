"""The real app against the loopback rig, with a lib-jitsi-meet peer in Chromium.

Paste a link → pre-join (our test picture in the preview) → join → the browser
peer's tile shows moving video → our microphone and camera buttons change what
the browser sees → leave, back at the start.  Then the password flow through the
dialog.  Everything real: discovery, XMPP, focus stand-in, P2P media, Qt widgets
on the qasync loop.  The browser peer's API blocks, so its calls run in the
loop's executor while the loop keeps our side going.
"""

from __future__ import annotations

import asyncio
import time
import warnings

import numpy as np
import pytest
from PySide6.QtWidgets import QApplication

from client.net import TrustSettings
from client.ui import app_settings as keys
from client.ui.app import AppController, AppOptions
from client.ui.call_window import CallWindow
from client.ui.dialogs import PasswordDialog
from client.ui.join_window import JoinView
from client.ui.prejoin_view import PreJoinView
from client.ui.waiting_view import WaitingState
from tests.ui.conftest import run

pytestmark = [pytest.mark.gui, pytest.mark.rig, pytest.mark.browser, pytest.mark.slow]


def wait(loop, predicate, *, timeout: float = 30.0, what: str = "", describe=None) -> None:
    async def until() -> None:
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                state = f"; {describe()}" if describe else ""
                raise TimeoutError(f"timed out waiting for {what}{state}")
            await asyncio.sleep(0.05)   # widgets have no "changed" signal for every fact we check
    run(loop, until())


def blocking(loop, fn, *args, **kwargs):
    """A blocking browser-peer call, run beside our loop (which keeps serving our client)."""
    return run(loop, loop.run_in_executor(None, lambda: fn(*args, **kwargs)))


def moderator(loop, peer) -> None:
    """The focus makes the first participant moderator a moment after the join."""
    if not blocking(loop, peer.is_moderator):
        blocking(loop, peer.wait_event, "user_role_changed",
                 lambda e: e.get("local") and e["role"] == "moderator")


@pytest.fixture
def app(rig, qtbot, qloop):
    settings = keys.MemorySettings({keys.SERVER_URL: rig.base_url, keys.DEVICES_CHECKED: True,
                                    keys.DISPLAY_NAME: "Oma Erika"})
    controller = AppController(QApplication.instance(), settings, options=AppOptions(
        test_media=True, trust=TrustSettings(extra_ca_file=rig.ca_file)))
    qtbot.addWidget(controller.window)
    controller.qloop = qloop
    yield controller
    # pytest-qt has closed and deleted the windows by now: follow the bridge, not the widgets
    bridge = controller.call.bridge if controller.call is not None else None
    if bridge is not None and bridge.running:
        bridge.cancel()
        try:
            wait(qloop, lambda: not bridge.running, timeout=15, what="the meeting to end")
        except (TimeoutError, RuntimeError) as exc:   # a failed test may leave it stuck
            warnings.warn(f"meeting did not end after cancel: {exc}")
    controller.shutdown()
    pending = [t for t in asyncio.all_tasks(qloop) if not t.done()]
    if pending:
        run(qloop, asyncio.wait(pending, timeout=10))


def open_room(app, link: str) -> PreJoinView:
    app.start()
    join = app.page
    assert isinstance(join, JoinView)
    join.field().setText(link)
    assert join.address is not None, join.texts()
    join.continue_button().click()
    prejoin = app.page
    assert isinstance(prejoin, PreJoinView)
    return prejoin


def test_paste_link_join_see_video_mute_and_leave(rig, room, browser, app):
    loop = app.qloop
    anna = browser("anna")
    blocking(loop, anna.join, room, "Anna")
    anna_id = blocking(loop, lambda: anna.id)

    prejoin = open_room(app, f"{rig.base_url}/{room}")
    wait(loop, lambda: prejoin.preview.has_frame, timeout=10, what="the preview picture")
    prejoin.controls()["join"].click()
    call = app.page
    assert isinstance(call, CallWindow)
    seen: list[str] = []
    call.bridge.event.connect(lambda e: seen.append(type(e).__name__))
    wait(loop, lambda: call.joined and call.grid.tile(anna_id) is not None, what="joining")
    our_id = call.participants.self_id
    assert call.grid.tile(our_id).label_text() == "Oma Erika (you)"
    assert call.grid.tile(anna_id).display_name == "Anna"
    blocking(loop, anna.wait_event, "user_joined", lambda e: e["id"] == our_id)

    # her tile shows moving video (the browser's fake camera), painted on screen
    tile = call.grid.tile(anna_id)
    wait(loop, lambda: tile.frames_received > 10, what="video from the browser")
    first = tile._frame.copy()
    received = tile.frames_received
    wait(loop, lambda: tile.frames_received > received + 15, what="more video from the browser",
         describe=lambda: f"tile got {tile.frames_received} frames; events {seen[-12:]}")
    assert np.abs(first.astype(int) - tile._frame.astype(int)).mean() > 0.5
    assert not tile.camera_off and tile.shows_video()
    wait(loop, lambda: tile.frames_painted > 0, what="a painted frame")
    # our buttons reach the browser
    for button, kind in ((call.toolbar.microphone, "audio"), (call.toolbar.camera, "video")):
        mark = anna.mark()
        button.click()
        blocking(loop, anna.wait_event, "track_mute_changed",
                 lambda e, k=kind: e["id"] == our_id and e["kind"] == k and e["muted"], after=mark)
    assert call.grid.tile(our_id).audio_muted and call.grid.tile(our_id).video_muted

    # leave with confirmation: back at the start, and the browser sees us go
    mark = anna.mark()
    call.toolbar.leave.click()
    call.dialog.leave_button().click()
    wait(loop, lambda: isinstance(app.page, JoinView), what="the join screen")
    blocking(loop, anna.wait_event, "user_left", lambda e: e["id"] == our_id, after=mark)
    assert [r.room for r in app.settings.recents()] == [room]


def test_locked_room_asks_for_the_password_in_a_dialog(rig, room, browser, app):
    loop = app.qloop
    anna = browser("anna")
    blocking(loop, anna.join, room, "Anna", p2p=False)
    moderator(loop, anna)
    blocking(loop, anna.lock_room, "Apfel7")
    prejoin = open_room(app, f"{rig.base_url}/{room}")
    prejoin.controls()["join"].click()
    call = app.page
    wait(loop, lambda: isinstance(call.dialog, PasswordDialog), what="the password prompt")
    call.dialog.field().setText("falsch")
    call.dialog._on_accept()
    wait(loop, lambda: isinstance(call.dialog, PasswordDialog) and call.dialog._wrong.isVisibleTo(call.dialog),
         what="the wrong-password prompt")
    call.dialog.field().setText("Apfel7")
    call.dialog._on_accept()
    wait(loop, lambda: call.joined, what="joining with the password")
    assert call.participants_panel.locked
    # the browser sees us, and Cancel in the room ends the meeting for us
    our_id = call.participants.self_id
    blocking(loop, anna.wait_event, "user_joined", lambda e: e["id"] == our_id)
    call.bridge.cancel()
    wait(loop, lambda: call.ended, timeout=15, what="the meeting to end")


def join_from_prejoin(app, rig, room) -> CallWindow:
    prejoin = open_room(app, f"{rig.base_url}/{room}")
    prejoin.controls()["join"].click()
    call = app.page
    assert isinstance(call, CallWindow)
    return call


def test_lobby_waiting_page_until_the_browser_lets_us_in(rig, room, browser, app):
    from tests.rig.prosody import PLUGIN_DIR
    if not (PLUGIN_DIR / "mod_rig_lobby.lua").exists():
        pytest.skip("rig piece missing: the lobby Prosody module")
    loop = app.qloop
    anna = browser("anna")
    blocking(loop, anna.join, room, "Anna", p2p=False)
    anna_id = blocking(loop, lambda: anna.id)
    moderator(loop, anna)
    blocking(loop, anna.enable_lobby)
    blocking(loop, anna.wait_event, "members_only_changed", lambda e: e["enabled"])
    call = join_from_prejoin(app, rig, room)
    seen: list[str] = []
    call.bridge.event.connect(lambda e: seen.append(
        f"{type(e).__name__}({getattr(e, 'reason', '')})" if hasattr(e, "reason") else type(e).__name__))
    wait(loop, lambda: call.waiting.state is WaitingState.LOBBY, what="the lobby page")
    assert call.pages.currentWidget() is call.waiting
    knocker = blocking(loop, anna.wait_event, "lobby_user_joined")
    assert knocker["displayName"] == "Oma Erika"
    blocking(loop, anna.lobby_approve, knocker["id"])
    wait(loop, lambda: call.joined and call.grid.tile(anna_id) is not None, what="being let in",
         describe=lambda: f"page {call.waiting.state.value}; events {seen}")


def test_waiting_for_the_host_then_signing_in_as_host(rig, room, browser, app):
    loop = app.qloop
    rig.focus.require_host_for(room, True)
    rig.register_host("chefin", "rathaus7")
    call = join_from_prejoin(app, rig, room)
    wait(loop, lambda: call.waiting.state is WaitingState.WAITING_FOR_HOST,
         what="the waiting-for-host page")
    user, password, sign_in = call.waiting.login_fields()
    user.setText("chefin")
    password.setText("rathaus7")
    sign_in.click()
    wait(loop, lambda: call.joined, what="joining as host")
    guest = browser("guest")
    blocking(loop, guest.join, room, "Gast", p2p=False)
    our_id = call.participants.self_id
    blocking(loop, guest.wait_event, "user_joined", lambda e: e["id"] == our_id)
    wait(loop, lambda: any(row.display_name == "Gast" for row in call.participants.rows()),
         what="the guest in our list")
