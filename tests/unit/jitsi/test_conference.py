"""Conference, the orchestrator, against an in-process fake of Prosody + Jicofo."""

from __future__ import annotations

import asyncio
import functools
import json
from typing import Any, Callable

import pytest

from client.errors import (AuthenticationRequiredError, ConferenceEndedError, FocusUnavailableError,
                           KickedError, LobbyRefusedError, NotModeratorError, PasswordRequiredError,
                           RoomCreationRestrictedError, RoomFullError, UnknownParticipantError)
from client.jitsi.conference import Conference, JoinOptions, StaticDeployment
from client.jitsi.events import (ChatReceived, CommandFailed, ConferenceEnded, Connected,
                                 DisplayNameRequired, EndReason, HostLoggedIn, HostLoginRequested,
                                 Joined, JoinFailed, Kicked, KnockerAdded, KnockerRemoved, Left,
                                 LobbyAdmitted, LobbyEnabledChanged, LobbyRejected, LobbyWaiting,
                                 MuteRequested, ParticipantJoined, ParticipantLeft,
                                 ParticipantUpdated, PasswordRequested, Reconnecting, RoomDestroyed,
                                 RoomLockChanged, WaitingForHost)
from client.jitsi.ns import NS_JITSI_FOCUS, NS_MUC
from client.jitsi.sasl import Credentials
from client.jitsi.stanza import Jid, parse_xml
from tests.unit.jitsi.fake_server import FakeServer

ROOM = "ratssitzung"
TIMEOUT = 5.0


def async_test(function: Callable[..., Any]) -> Callable[..., Any]:
    """Run an ``async def`` test in a fresh event loop (no pytest-asyncio here)."""
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return asyncio.run(asyncio.wait_for(function(*args, **kwargs), 30))
    return wrapper


async def until(predicate: Callable[[], bool]) -> None:
    """Let the in-process server work until ``predicate`` holds (stanzas hop via call_soon)."""
    async def poll() -> None:
        while not predicate():
            await asyncio.sleep(0.005)
    await asyncio.wait_for(poll(), TIMEOUT)


class EventLog:
    def __init__(self) -> None:
        self.events: list[Any] = []
        self._changed = asyncio.Event()

    def __call__(self, event: Any) -> None:
        self.events.append(event)
        self._changed.set()

    def of(self, kind: type) -> list[Any]:
        return [e for e in self.events if isinstance(e, kind)]

    async def wait(self, kind: type, predicate: Callable[[Any], bool] = lambda e: True,
                   count: int = 1) -> Any:
        async def poll() -> Any:
            while True:
                found = [e for e in self.of(kind) if predicate(e)]
                if len(found) >= count:
                    return found[count - 1]
                self._changed.clear()
                await self._changed.wait()
        return await asyncio.wait_for(poll(), TIMEOUT)


class Harness:
    def __init__(self, server: FakeServer, conference: Conference, log: EventLog) -> None:
        self.server, self.conference, self.log = server, conference, log
        self.task: asyncio.Task[ConferenceEnded] = asyncio.ensure_future(conference.run())

    @property
    def client(self):  # noqa: ANN201 — the latest FakeXmppClient
        return self.server.clients[-1]

    async def ended(self) -> ConferenceEnded:
        return await asyncio.wait_for(self.task, TIMEOUT)


@pytest.fixture
def server() -> FakeServer:
    return FakeServer()


def start(server: FakeServer, **options: Any) -> Harness:
    deployment = StaticDeployment(xmpp_domain=server.domain, muc_domain=server.muc,
                                  focus_jid=server.focus_component,
                                  websocket_url=f"wss://{server.domain}/xmpp-websocket",
                                  auth_domain=server.domain)
    log = EventLog()
    options.setdefault("display_name", "Erika")
    conference = Conference(deployment, JoinOptions(**options), room=ROOM, on_event=log,
                            connect=server.connect)
    conference.delay_scale = 0.001
    return Harness(server, conference, log)


def kinds(log: EventLog) -> list[str]:
    return [e.kind for e in log.events]


@async_test
async def test_join_chat_and_leave_cleanly(server):
    h = start(server)
    joined = await h.log.wait(Joined)
    assert joined.room == ROOM and joined.endpoint_id == h.conference.endpoint_id
    assert joined.role == "moderator" and joined.display_name == "Erika"
    assert h.client.url == f"wss://{server.domain}/xmpp-websocket?room={ROOM}"
    # the conference request went first, with our machine-uid, then the join presence
    [request] = server.conference_requests
    conference = request.find(f"{{{NS_JITSI_FOCUS}}}conference")
    assert conference.get("room") == f"{ROOM}@{server.muc}"
    assert conference.get("machine-uid") == h.conference.machine_uid
    join = h.client.sent_of("presence")[0]
    assert join.find(f"{{{NS_MUC}}}x") is not None
    assert h.conference.ice_servers == server.ice_servers

    server.add_participant(ROOM, "b0b0b0b0", "Bob", source_info={"b0b0b0b0-a0": {"muted": True}})
    bob = await h.log.wait(ParticipantJoined)
    assert (bob.endpoint_id, bob.display_name, bob.audio_muted) == ("b0b0b0b0", "Bob", True)
    assert set(h.conference.occupants) == {"b0b0b0b0"}        # Jicofo is not a participant
    server.update_participant(ROOM, "b0b0b0b0", "Robert", source_info={"b0b0b0b0-a0": {"muted": False}})
    update = await h.log.wait(ParticipantUpdated)
    assert update.changed == {"display_name", "audio_muted", "sources"}

    server.say(ROOM, "b0b0b0b0", "Hallo Erika")
    assert (await h.log.wait(ChatReceived)).text == "Hallo Erika"
    assert h.conference.send_chat("Hallo Robert")
    mine = await h.log.wait(ChatReceived, lambda e: e.is_self)
    assert mine.text == "Hallo Robert" and not mine.private
    assert h.conference.send_chat("nur für dich", to="b0b0b0b0")
    await until(lambda: ("private-to-puppet", "nur für dich") in server.log)

    await h.conference.leave()
    ended = await h.ended()
    assert ended == ConferenceEnded(EndReason.LEFT)
    assert h.log.events[-1] is ended and isinstance(h.log.events[-2], Left)
    assert h.client.sent_of("presence")[-1].get("type") == "unavailable"
    assert h.client.closed.done()
    assert kinds(h.log)[:2] == ["connected", "joined"]


@async_test
async def test_not_ready_is_asked_again_until_ready(server):
    server.not_ready_answers = 2
    h = start(server)
    await h.log.wait(Joined)
    assert len(server.conference_requests) == 3
    h.conference.cancel()
    assert (await h.ended()).reason is EndReason.LEFT


@async_test
async def test_password_prompt_wrong_then_right(server):
    h = start(server)
    await h.log.wait(Joined)
    await h.conference.leave()
    await h.ended()
    server.room(ROOM).password = "geheim"
    h = start(server)
    assert await h.log.wait(PasswordRequested) == PasswordRequested(ROOM, after_wrong_password=False)
    h.conference.submit_password("falsch")
    assert (await h.log.wait(PasswordRequested, count=2)).after_wrong_password is True
    h.conference.submit_password("geheim")
    joined = await h.log.wait(Joined)
    assert joined.locked
    # a fresh conference request before every join attempt (spec §3.2): 1 + 3
    assert len(server.conference_requests) == 4
    await h.conference.leave()


@async_test
async def test_cancelling_the_password_prompt_ends_with_password_required(server):
    server.rooms  # noqa: B018
    h0 = start(server)
    await h0.log.wait(Joined)
    server.room(ROOM).password = "geheim"
    h = start(server)
    await h.log.wait(PasswordRequested)
    h.conference.cancel()
    ended = await h.ended()
    assert ended.reason is EndReason.CANCELLED and isinstance(ended.error, PasswordRequiredError)
    await h0.conference.leave()


@async_test
async def test_room_full_fails_the_join(server):
    h0 = start(server)
    await h0.log.wait(Joined)
    server.room(ROOM).max_occupants = 1
    h = start(server)
    ended = await h.ended()
    assert ended.reason is EndReason.JOIN_FAILED and isinstance(ended.error, RoomFullError)
    assert isinstance(h.log.of(JoinFailed)[0].error, RoomFullError)
    assert h.log.events[-1] is ended
    await h0.conference.leave()


@async_test
async def test_focus_error_is_fatal(server):
    server.focus_error = "service-unavailable"
    h = start(server)
    ended = await h.ended()
    assert isinstance(ended.error, FocusUnavailableError)
    assert kinds(h.log) == ["connected", "join-failed", "conference-ended"]


@async_test
async def test_room_creation_restricted_is_retried_then_given_up(server):
    server.room_creation_fails = 2
    h = start(server)
    await h.log.wait(Joined)
    await h.conference.leave()
    server.room_creation_fails = 10
    h = start(server)
    ended = await h.ended()
    assert isinstance(ended.error, RoomCreationRestrictedError)


@async_test
async def test_lobby_knock_wait_admitted(server):
    moderator = start(server, display_name="Mod")
    await moderator.log.wait(Joined)
    assert await moderator.conference.set_lobby(True)
    await moderator.log.wait(LobbyEnabledChanged)
    guest = start(server, display_name="Gast", email="gast@example.org")
    waiting = await guest.log.wait(LobbyWaiting)
    assert waiting.lobby_room == f"{ROOM}@{server.lobby_domain}"
    knocker = await moderator.log.wait(KnockerAdded)
    assert knocker.display_name == "Gast"
    assert await moderator.conference.admit(knocker.knocker_id)
    await guest.log.wait(LobbyAdmitted)
    joined = await guest.log.wait(Joined)
    assert joined.role == "participant"
    await moderator.log.wait(KnockerRemoved)
    await moderator.log.wait(ParticipantJoined, lambda e: e.display_name == "Gast")
    # the guest left the lobby room once inside
    assert not server.room(ROOM).lobby.occupants.get(guest.conference.endpoint_id)
    await guest.conference.leave()
    await moderator.conference.leave()


@async_test
async def test_lobby_rejected(server):
    moderator = start(server)
    await moderator.log.wait(Joined)
    await moderator.conference.set_lobby(True)
    guest = start(server, display_name="Gast")
    await guest.log.wait(LobbyWaiting)
    knocker = await moderator.log.wait(KnockerAdded)
    assert await moderator.conference.reject(knocker.knocker_id)
    ended = await guest.ended()
    assert guest.log.of(LobbyRejected)
    assert ended.reason is EndReason.LOBBY_REJECTED and isinstance(ended.error, LobbyRefusedError)
    await moderator.log.wait(KnockerRemoved)
    await moderator.conference.leave()


@async_test
async def test_lobby_needs_a_display_name(server):
    moderator = start(server)
    await moderator.log.wait(Joined)
    await moderator.conference.set_lobby(True)
    guest = start(server, display_name=None)
    await guest.log.wait(DisplayNameRequired)
    guest.conference.set_display_name("Spät Genannt")
    await guest.log.wait(LobbyWaiting)
    assert (await moderator.log.wait(KnockerAdded)).display_name == "Spät Genannt"
    guest.conference.cancel()
    ended = await guest.ended()
    assert ended.reason is EndReason.CANCELLED and isinstance(ended.error, LobbyRefusedError)
    await moderator.log.wait(KnockerRemoved)
    await moderator.conference.leave()


@async_test
async def test_lobby_switched_off_lets_the_knocker_in(server):
    moderator = start(server)
    await moderator.log.wait(Joined)
    await moderator.conference.set_lobby(True)
    guest = start(server, display_name="Gast")
    await guest.log.wait(LobbyWaiting)
    assert await moderator.conference.set_lobby(False)
    await guest.log.wait(Joined)
    await guest.conference.leave()
    await moderator.conference.leave()


@async_test
async def test_waiting_for_the_host_then_host_login(server):
    server.require_host = True
    server.users["chef"] = "passwort"
    h = start(server)
    waiting = await h.log.wait(WaitingForHost)
    assert waiting.room == ROOM
    h.conference.login_as_host("chef", "falsch")
    assert (await h.log.wait(HostLoginRequested)).after_failed_login
    h.conference.login_as_host("chef", "passwort")
    logged_in = await h.log.wait(HostLoggedIn)
    assert logged_in.identity == f"chef@{server.domain}"
    joined = await h.log.wait(Joined)
    # the guest connection presented the host's session id
    last = server.conference_requests[-1].find(f"{{{NS_JITSI_FOCUS}}}conference")
    assert last.get("session-id") in server.sessions
    assert last.get("machine-uid") == h.conference.machine_uid
    assert joined
    # the second (host) connection was closed again
    host_connections = [c for c in server.clients if c.authenticated]
    assert host_connections and all(c.closed.done() for c in host_connections)
    await h.conference.leave()


@async_test
async def test_waiting_for_the_host_is_polled_and_can_be_cancelled(server):
    server.require_host = True
    h = start(server)
    await h.log.wait(WaitingForHost)
    await until(lambda: len(server.conference_requests) >= 3)
    h.conference.cancel()
    ended = await h.ended()
    assert ended.reason is EndReason.CANCELLED
    assert isinstance(ended.error, AuthenticationRequiredError)


@async_test
async def test_host_opens_the_room_and_the_waiting_guest_gets_in(server):
    server.require_host = True
    server.users["chef"] = "pw"
    guest = start(server, display_name="Gast")
    await guest.log.wait(WaitingForHost)
    host = start(server, display_name="Chef", credentials=Credentials("chef", "pw"))
    host_joined = await host.log.wait(Joined)
    assert host_joined.role == "moderator"
    guest_joined = await guest.log.wait(Joined)
    assert guest_joined.role == "participant"
    await guest.conference.leave()
    await host.conference.leave()


@async_test
async def test_server_without_guests_asks_for_a_login(server):
    server.anonymous_allowed = False
    server.users["chef"] = "pw"
    h = start(server)
    assert await h.log.wait(HostLoginRequested) == HostLoginRequested(ROOM)
    h.conference.login_as_host("chef", "pw")
    assert (await h.log.wait(Joined)).role == "moderator"
    await h.conference.leave()


@async_test
async def test_kicked(server):
    h = start(server)
    await h.log.wait(Joined)
    server.kick(ROOM, h.conference.endpoint_id, actor="boss", reason="Tschüss")
    ended = await h.ended()
    assert h.log.of(Kicked) == [Kicked("boss", "Tschüss")]
    assert ended.reason is EndReason.KICKED and isinstance(ended.error, KickedError)


@async_test
async def test_room_destroyed(server):
    h = start(server)
    await h.log.wait(Joined)
    server.add_participant(ROOM, "b0b0b0b0", "Bob")
    await h.log.wait(ParticipantJoined)
    server.destroy(ROOM, "The meeting has been terminated")
    ended = await h.ended()
    assert h.log.of(RoomDestroyed) == [RoomDestroyed("The meeting has been terminated")]
    assert h.log.of(ParticipantLeft)[0].endpoint_id == "b0b0b0b0"
    assert ended.reason is EndReason.DESTROYED and isinstance(ended.error, ConferenceEndedError)


@async_test
async def test_focus_leaving_means_ask_again_and_rejoin(server):
    h = start(server)
    await h.log.wait(Joined)
    server.focus_leaves(ROOM)
    reconnecting = await h.log.wait(Reconnecting)
    assert reconnecting.reason == "focus-left"
    await h.log.wait(Joined, count=2)
    assert len(server.conference_requests) == 2
    await h.conference.leave()
    assert (await h.ended()).reason is EndReason.LEFT


@async_test
async def test_dropped_connection_reconnects_and_rejoins(server, monkeypatch):
    monkeypatch.setattr("client.jitsi.conference.RECONNECT_DELAYS_S", ((0.01, 0.02),) * 3)
    h = start(server)
    await h.log.wait(Joined)
    first = h.client
    first.drop()
    assert (await h.log.wait(Reconnecting)).reason == "connection-lost"
    await h.log.wait(Joined, count=2)
    assert h.client is not first and len(h.log.of(Connected)) == 2
    assert h.conference.xmpp is h.client
    await h.conference.leave()


@async_test
async def test_connection_lost_for_good_ends_the_conference(server, monkeypatch):
    monkeypatch.setattr("client.jitsi.conference.RECONNECT_DELAYS_S", ((0.01, 0.02),) * 2)
    h = start(server)
    await h.log.wait(Joined)

    async def refuse(*args: Any, **kwargs: Any) -> Any:
        from client.errors import ServerUnreachableError
        raise ServerUnreachableError(host="x")
    h.conference._connect_fn = refuse
    h.client.drop()
    ended = await h.ended()
    assert ended.reason is EndReason.CONNECTION_LOST
    assert len(h.log.of(Reconnecting)) == 2


@async_test
async def test_moderator_locks_and_unlocks(server):
    h = start(server)
    await h.log.wait(Joined)
    assert await h.conference.lock("geheim")
    assert await h.log.wait(RoomLockChanged) == RoomLockChanged(True)
    config = json.loads([text for kind, text in server.log if kind == "config"][-1])
    assert config["muc#roomconfig_roomsecret"] == "geheim"
    assert config["muc#roomconfig_passwordprotectedroom"] == "1"
    assert server.room(ROOM).password == "geheim"
    assert await h.conference.lock(None)
    assert (await h.log.wait(RoomLockChanged, count=2)).locked is False
    assert server.room(ROOM).password is None
    await h.conference.leave()


@async_test
async def test_lock_keeps_the_lobby_on(server):
    h = start(server)
    await h.log.wait(Joined)
    await h.conference.set_lobby(True)
    await h.conference.lock("pw")
    config = json.loads([text for kind, text in server.log if kind == "config"][-1])
    assert config["muc#roomconfig_membersonly"] == "true"
    await h.conference.leave()


@async_test
async def test_participants_cannot_use_moderator_commands(server):
    h0 = start(server)
    await h0.log.wait(Joined)
    h = start(server)
    assert (await h.log.wait(Joined)).role == "participant"
    assert not await h.conference.lock("x")
    [failed] = h.log.of(CommandFailed)
    assert failed.command == "lock" and isinstance(failed.error, NotModeratorError)
    await h.conference.leave()
    await h0.conference.leave()


@async_test
async def test_moderator_kicks_and_mutes(server):
    h = start(server)
    await h.log.wait(Joined)
    server.add_participant(ROOM, "b0b0b0b0", "Bob")
    await h.log.wait(ParticipantJoined)
    assert await h.conference.mute_participant("b0b0b0b0", "audio")
    assert await h.conference.kick("b0b0b0b0")
    left = await h.log.wait(ParticipantLeft)
    assert left.kicked and left.actor == h.conference.endpoint_id
    assert not await h.conference.kick("b0b0b0b0")
    assert isinstance(h.log.of(CommandFailed)[0].error, UnknownParticipantError)
    await h.conference.leave()


@async_test
async def test_mute_request_from_jicofo_and_the_unmute_afterwards(server):
    h = start(server)
    await h.log.wait(Joined)
    h.conference.set_muted("audio", False)
    server.focus_mutes(ROOM, h.conference.endpoint_id, "audio")
    assert (await h.log.wait(MuteRequested)).media == "audio"
    ep = h.conference.endpoint_id
    assert h.conference.presence.sources[f"{ep}-a0"].muted is True
    h.conference.set_muted("audio", False)

    def unmutes() -> list[Any]:
        return [s for s in h.client.sent_of("iq")
                if s.find("{http://jitsi.org/jitmeet/audio}mute") is not None]
    await until(lambda: bool(unmutes()))
    assert unmutes()[-1].get("to") == f"{ROOM}@{server.muc}/focus"
    assert unmutes()[-1].find("{http://jitsi.org/jitmeet/audio}mute").text == "false"
    await h.conference.leave()


@async_test
async def test_sources_from_the_media_layer_are_published(server):
    h = start(server)
    await h.log.wait(Joined)
    from client.jitsi.events import SourceInfo
    ep = h.conference.endpoint_id
    h.conference.set_sources({f"{ep}-a0": SourceInfo(False), f"{ep}-v0": SourceInfo(True, "camera")})
    presence = h.client.sent_of("presence")[-1]
    assert json.loads(presence.findtext("SourceInfo")) == {f"{ep}-a0": {"muted": False},
                                                           f"{ep}-v0": {"muted": True}}
    await h.conference.leave()


@async_test
async def test_without_media_a_p2p_offer_is_acked_and_declined(server):
    h = start(server, decline_jingle=True)
    await h.log.wait(Joined)
    server.add_participant(ROOM, "0a0a0a0a", "Browser")
    room = server.room(ROOM)
    offer = parse_xml(
        f"<iq xmlns='jabber:client' type='set' id='j1' from='{room.jid}/0a0a0a0a' to='{h.client.jid}'>"
        "<jingle xmlns='urn:xmpp:jingle:1' action='session-initiate' sid='s1' "
        "initiator='x@y/z'><content name='0'/></jingle></iq>")
    h.client.push(offer)
    await until(lambda: any(s.get("type") == "result" and s.get("id") == "j1"
                            for s in h.client.sent_of("iq")))
    await until(lambda: any(s.find("{urn:xmpp:jingle:1}jingle") is not None
                            for s in h.client.sent_of("iq") if s.get("type") == "set"))
    [terminate] = [s for s in h.client.sent_of("iq") if s.find("{urn:xmpp:jingle:1}jingle") is not None]
    jingle = terminate.find("{urn:xmpp:jingle:1}jingle")
    assert terminate.get("to") == f"{room.jid}/0a0a0a0a"
    assert (jingle.get("action"), jingle.get("sid")) == ("session-terminate", "s1")
    assert jingle.find("{urn:xmpp:jingle:1}reason/{urn:xmpp:jingle:1}decline") is not None
    assert h.client.unclaimed == []
    await h.conference.leave()


@async_test
async def test_with_a_media_layer_jingle_is_left_to_it(server):
    h = start(server)
    await h.log.wait(Joined)
    offer = parse_xml(
        f"<iq xmlns='jabber:client' type='set' id='j1' from='{ROOM}@{server.muc}/0a0a0a0a'>"
        "<jingle xmlns='urn:xmpp:jingle:1' action='session-initiate' sid='s1'/></iq>")
    h.client.push(offer)
    await until(lambda: bool(h.client.unclaimed))
    assert h.client.unclaimed[0].get("id") == "j1"
    await h.conference.leave()


@async_test
async def test_listener_errors_do_not_break_the_meeting_and_ended_comes_once(server):
    h = start(server)

    def broken(event: Any) -> None:
        raise RuntimeError("listener bug")
    h.conference.add_listener(broken)
    await h.log.wait(Joined)
    await h.conference.leave()
    await h.conference.leave()            # idempotent
    await h.ended()
    assert len(h.log.of(ConferenceEnded)) == 1


@async_test
async def test_cancelling_the_task_still_ends_with_conference_ended(server):
    h = start(server)
    await h.log.wait(Joined)
    h.task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await h.task
    assert h.log.events[-1] == ConferenceEnded(EndReason.CANCELLED)
    assert h.client.closed.done()


@async_test
async def test_join_timeout_when_the_room_never_answers(server, monkeypatch):
    h = start(server, join_timeout_s=0.2)
    monkeypatch.setattr(server, "_on_presence", lambda *args: None)
    ended = await h.ended()
    assert ended.error.kind == "join-timeout"


@async_test
async def test_run_twice_is_a_bug(server):
    h = start(server)
    await h.log.wait(Joined)
    from client.errors import LocalProtocolError
    with pytest.raises(LocalProtocolError):
        await h.conference.run()
    await h.conference.leave()


def test_room_jid_and_websocket_url_from_a_static_deployment():
    deployment = StaticDeployment("meet.x", "conference.meet.x", "focus.meet.x",
                                  "wss://meet.x/xmpp-websocket")
    assert deployment.websocket_url_for("b%c3%bcrger", "jwt.t") == \
        "wss://meet.x/xmpp-websocket?room=b%c3%bcrger&token=jwt.t"
    assert Jid.parse(deployment.room_jid("raum")) == Jid.parse("raum@conference.meet.x")


class HttpFocus:
    """Jicofo's /conference-request/v1 on loopback (plain http is allowed there)."""

    def __init__(self, server: FakeServer, status: int = 200) -> None:
        self.server, self.status = server, status
        self.requests: list[tuple[dict[str, str], dict[str, Any]]] = []

    async def start(self) -> str:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        port = self._server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}/conference-request/v1"

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in head[1:] if line)}
        body = json.loads(await reader.readexactly(int(headers["content-length"])))
        self.requests.append((headers, body))
        if self.status == 200:
            room = Jid.parse(body["room"])
            self.server._ensure_room(room)
            answer = json.dumps({"ready": True, "focusJid": str(self.server.focus_real.bare),
                                 "room": body["room"], "properties": {"authentication": "false"}})
        else:
            answer = "forbidden"
        writer.write((f"HTTP/1.1 {self.status} X\r\nContent-Type: application/json\r\n"
                      f"Content-Length: {len(answer)}\r\nConnection: close\r\n\r\n{answer}").encode())
        await writer.drain()
        writer.close()

    def close(self) -> None:
        self._server.close()


def start_http(server: FakeServer, url: str, **options: Any) -> Harness:
    deployment = StaticDeployment(xmpp_domain=server.domain, muc_domain=server.muc,
                                  focus_jid=server.focus_component,
                                  websocket_url=f"wss://{server.domain}/xmpp-websocket",
                                  conference_request_url=url)
    log = EventLog()
    conference = Conference(deployment, JoinOptions(display_name="Http", **options), room=ROOM,
                            on_event=log, connect=server.connect)
    conference.delay_scale = 0.001
    return Harness(server, conference, log)


@async_test
async def test_http_conference_request_then_join_with_billing_id(server):
    focus = HttpFocus(server)
    url = await focus.start()
    h = start_http(server, url, jwt="the.jwt.token")
    await h.log.wait(Joined)
    assert server.conference_requests == []            # nothing over XMPP
    [(headers, body)] = focus.requests
    assert headers["content-type"] == "application/json"
    assert headers["authorization"] == "Bearer the.jwt.token"
    assert body == {"room": f"{ROOM}@{server.muc}", "machineUid": h.conference.machine_uid,
                    "properties": {"rtcstatsEnabled": "false"}}
    join = h.client.sent_of("presence")[0]
    assert join.findtext(f"{{{NS_MUC}}}x/{{{NS_MUC}}}billingid") == h.conference.machine_uid
    await h.conference.leave()
    focus.close()


@async_test
async def test_http_403_means_waiting_for_the_host(server):
    focus = HttpFocus(server, status=403)
    url = await focus.start()
    h = start_http(server, url)
    await h.log.wait(WaitingForHost)
    h.conference.cancel()
    assert isinstance((await h.ended()).error, AuthenticationRequiredError)
    focus.close()
