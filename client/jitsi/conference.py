"""``Conference``: runs one meeting — commands in, events out; no widgets, no decoders.

The asyncio orchestrator over the sans-I/O pieces (style.md §6.3):

    discovery → XMPP login → conference request (focus.py) → MUC join (muc.py)
      ↳ not ready: back off          ↳ password / display name: ask, join again
      ↳ not authorized: wait for     ↳ members-only: knock at the lobby (lobby.py)
        the host, or log in (auth.py) ↳ room creation restricted: ask Jicofo again (×3)
    in the room: participants, chat, mute requests … until leave / kick / end,
    Jicofo leaving (ask again and rejoin) or the connection dropping (reconnect).

Incoming stanzas go to whichever room object claims them (``_on_stanza``); what
they queue is sent, their public events go to ``on_event`` and the listeners at
once, and everything the join flow waits for also lands in an inbox the flow task
reads.  Commands (``submit_password``, ``leave`` …) go to the same inbox.

For the media layer: ``xmpp`` (the live ``XmppClient``; a new one after a
reconnect — re-register handlers on every ``Joined``), ``room_jid``,
``endpoint_id``, ``occupants``, ``ice_servers``, ``capabilities``,
``add_listener``/``emit`` and ``set_sources``.
"""

from __future__ import annotations

import asyncio
import collections
import logging
import random
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Mapping

from client.errors import (AuthenticationRequiredError, CommandError, ConferenceEndedError,
                           DisplayNameRequiredError, FocusLeftError, FocusUnavailableError,
                           HostLoginFailedError, JoinTimeoutError, KickedError, LobbyRefusedError,
                           LobbyUnsupportedError, LocalProtocolError, MembersOnlyError,
                           NoWebSocketError, NotInRoomError, NotModeratorError,
                           PasswordRequiredError, PasswordUnsupportedError, RemoteProtocolError,
                           TreffpunktError, UnknownParticipantError,
                           WrongPasswordError)
from client.jitsi import chat as chat_messages
from client.jitsi.auth import login_domain, obtain_host_session
from client.jitsi.disco import Capabilities
from client.jitsi.events import (ConferenceEnded, ConferenceEvent, Connected, DisplayNameRequired,
                                 EndReason, HostLoggedIn, HostLoginRequested, Joined, JoinFailed,
                                 Kicked, Left, LobbyEnabledChanged, LobbyRejected, PasswordRequested,
                                 Reconnecting, RoleChanged, RoomDestroyed, RoomLockChanged,
                                 SourceInfo, WaitingForHost, CommandFailed)
from client.jitsi.extdisco import IceServer
from client.jitsi.focus import (REQUEST_TIMEOUT_S, AskAgain, ConferenceRequest, FocusError,
                                FocusNegotiation, FocusRefusal, FocusResult, GiveUp, JoinNow,
                                WaitForHost, new_machine_uid)
from client.jitsi.lobby import (LOBBY_IDENTITY_TYPE, EnterMainRoom, LobbyClosed, LobbyFailed,
                                LobbyKnock, LobbyWatch, admit_message)
from client.jitsi.muc import (FocusLeft, JoinRefused, MucRoom, Occupant, Refusal, RoomConfigChanged,
                              RoomExited, RoomInfo, RoomState, affiliation_request, config_submit,
                              endpoint_id_for, form_fields, kick_request, lock_fields,
                              members_only_fields, mute_request, owner_form_request,
                              room_info_request)
from client.jitsi.presence import Caps, LocalPresence, with_muted
from client.jitsi.sasl import AnonymousLoginRefusedError, AuthenticationError, Credentials
from client.jitsi.ns import NS_JINGLE
from client.jitsi.stanza import Element, Jid, el, new_id, split_tag
from client.jitsi.xmpp import ConnectionLostError, IqError, IqTimeoutError
from client.net import TrustSettings

log = logging.getLogger("treffpunkt.conference")

#: lib-jitsi-meet retries a join refused with "room creation is restricted" 3 times
ROOM_CREATION_RETRIES = 3
#: reconnect after a dropped connection (XmppConnection.ts: ~1.5–3 s, 3–9 s, 4.5–27 s)
RECONNECT_DELAYS_S = ((1.5, 3.0), (3.0, 9.0), (4.5, 27.0))
#: wait this long for STUN/TURN before joining anyway (media can ask again later)
ICE_SERVERS_WAIT_S = 5.0


@dataclass(frozen=True)
class JoinOptions:
    """Plain values for one meeting (never the settings store itself)."""

    display_name: str | None = None
    password: str | None = None
    start_audio_muted: bool = False          # for the media layer: our mic at the start
    start_video_muted: bool = False
    credentials: Credentials | None = None   # log in as host right away
    email: str | None = None                 # shown to lobby moderators
    machine_uid: str | None = None           # persistent per install; random if None
    jwt: str | None = None
    trust: TrustSettings = TrustSettings()
    codecs: tuple[str, ...] = ("vp8",)
    stats_id: str | None = None
    connect_timeout_s: float = 10.0
    join_timeout_s: float = 20.0
    leave_timeout_s: float = 5.0
    max_rejoins: int = 3
    #: no media layer attached (``--no-media``): answer Jingle offers with a decline
    #: instead of leaving the peer waiting (signaling spec §6.5)
    decline_jingle: bool = False


@dataclass(frozen=True)
class StaticDeployment:
    """The few deployment facts a Conference needs, for tests and hand-made setups.
    ``client.jitsi.deployment.Deployment`` from discovery has the same surface."""

    xmpp_domain: str
    muc_domain: str
    focus_jid: str
    websocket_url: str
    anonymous_domain: str | None = None
    auth_domain: str | None = None
    conference_request_url: str | None = None

    @property
    def host(self) -> str:
        from urllib.parse import urlsplit
        return urlsplit(self.websocket_url).hostname or ""

    def websocket_url_for(self, room: str | None = None, jwt: str | None = None) -> str:
        from urllib.parse import quote
        query = []
        if room:
            query.append("room=" + quote(room, safe="%"))
        if jwt:
            query.append("token=" + quote(jwt, safe=""))
        sep = "&" if "?" in self.websocket_url else "?"
        return self.websocket_url + (sep + "&".join(query) if query else "")

    def room_jid(self, room: str) -> str:
        return f"{room}@{self.muc_domain.lower()}"

    def stream_domain(self, *, anonymous: bool, jwt: bool = False) -> str:
        if anonymous and not jwt and self.anonymous_domain:
            return self.anonymous_domain
        return self.xmpp_domain


# --- how the flow ends, internally ---------------------------------------------------------

class _End(Exception):
    def __init__(self, reason: EndReason, error: TreffpunktError | None = None) -> None:
        super().__init__(reason.value)
        self.reason, self.error = reason, error


class _Dropped(Exception):
    def __init__(self, error: TreffpunktError) -> None:
        super().__init__(str(error))
        self.error = error


class _Relogin(Exception):
    """Reconnect with (new) credentials, e.g. after the user chose to log in as host."""


@dataclass(frozen=True)
class _Command:
    name: str                   # 'password', 'display-name', 'login'
    args: tuple[Any, ...] = ()


Connect = Callable[..., Awaitable[Any]]
Discover = Callable[..., Awaitable[Any]]


class Conference:
    """One meeting.  ``await run()`` drives it; commands may be called meanwhile."""

    #: unit tests shrink every back-off and poll interval with this (never the timeouts)
    delay_scale = 1.0

    def __init__(self, target: Any, options: JoinOptions | None = None, *,
                 room: str | None = None, on_event: Callable[[ConferenceEvent], None] | None = None,
                 capabilities: Capabilities | None = None, connect: Connect | None = None,
                 discover: Discover | None = None) -> None:
        self.options = options or JoinOptions()
        self.on_event = on_event
        self.capabilities = capabilities or Capabilities.signaling_only()
        self._target = target
        self._room_name_arg = room
        self._connect_fn = connect
        self._discover_fn = discover
        self._listeners: list[Callable[[ConferenceEvent], None]] = []

        self.deployment: Any = None
        self.xmpp: Any = None
        self.room_jid: Jid | None = None
        self.room_name: str = room or getattr(target, "room", None) or ""
        self.ice_servers: list[IceServer] = []
        self.machine_uid = self.options.machine_uid or new_machine_uid()
        self._backend_room: str | None = room or getattr(target, "backend_room", None)
        self._jwt = self.options.jwt or getattr(target, "jwt", None)
        self._credentials = self.options.credentials
        self._password = self.options.password
        self._presence = LocalPresence(
            display_name=(self.options.display_name or "").strip() or None,
            codecs=self.options.codecs, stats_id=self.options.stats_id,
            caps=Caps(self.capabilities.node, self.capabilities.ver))
        self._session_id: str | None = None
        self._negotiation: FocusNegotiation | None = None

        self._room: MucRoom | None = None
        self._knock: LobbyKnock | None = None
        self._watch: LobbyWatch | None = None
        self._nick: str | None = None
        self._locked = False
        self._members_only = False
        self._lobby_domain: str | None = None
        self._lobby_room: Jid | None = None

        self._inbox: collections.deque[object] = collections.deque()
        self._wakeup = asyncio.Event()
        self._stop: str | None = None           # 'leave' or 'cancel'
        self._dropped: TreffpunktError | None = None
        self._cancel_error: TreffpunktError | None = None
        self._remove_handler: Callable[[], None] | None = None
        #: the media layer's handlers (Jingle); they outlive any one XMPP connection
        self._stanza_handlers: list[Callable[[Element], bool]] = []
        self._closing = False
        self._tasks: set[asyncio.Task[Any]] = set()
        self._domain_info: asyncio.Task[None] | None = None
        self._ice_task: asyncio.Task[None] | None = None
        self._running = False
        self._connected_before = False
        self._reconnect_attempt = 0
        self._ended: ConferenceEnded | None = None
        self._done: asyncio.Future[ConferenceEnded] | None = None

    # --- what others read ----------------------------------------------------------------

    @property
    def endpoint_id(self) -> str | None:
        return self._room.nick if self._room is not None else self._nick

    @property
    def occupants(self) -> dict[str, Occupant]:
        return dict(self._room.occupants) if self._room is not None else {}

    @property
    def joined(self) -> bool:
        return self._room is not None and self._room.joined

    @property
    def is_moderator(self) -> bool:
        return self.joined and self._room is not None and self._room.is_moderator

    @property
    def focus_occupant(self) -> Jid | None:
        return self._room.focus if self._room is not None else None

    @property
    def presence(self) -> LocalPresence:
        return self._presence

    @property
    def locked(self) -> bool:
        return self._locked

    @property
    def lobby_enabled(self) -> bool:
        return self._members_only

    def add_listener(self, callback: Callable[[ConferenceEvent], None]) -> Callable[[], None]:
        self._listeners.append(callback)

        def remove() -> None:
            if callback in self._listeners:
                self._listeners.remove(callback)
        return remove

    def add_stanza_handler(self, handler: Callable[[Element], bool]) -> Callable[[], None]:
        """Offer ``handler`` every stanza the conference's own protocol objects leave
        unclaimed (the media layer's Jingle); True claims it.  It stays registered
        across reconnects, which replace ``.xmpp``.  Returns a remover."""
        self._stanza_handlers.append(handler)

        def remove() -> None:
            if handler in self._stanza_handlers:
                self._stanza_handlers.remove(handler)
        return remove

    def send(self, stanza: Element) -> None:
        """Send ``stanza`` on the current connection; dropped while there is none."""
        if self.xmpp is not None:
            self.xmpp.send(stanza)

    def emit(self, event: ConferenceEvent) -> None:
        """Report ``event`` to ``on_event`` and every listener (also used by the media layer)."""
        if self._ended is not None:
            return          # ConferenceEnded is the last word
        if isinstance(event, ConferenceEnded):
            self._ended = event
        for callback in ([self.on_event] if self.on_event else []) + list(self._listeners):
            try:
                callback(event)
            except Exception:  # noqa: BLE001 — a listener's bug must not stop the meeting
                log.exception("event listener failed on %s", event.kind)

    # --- commands ---------------------------------------------------------------------------

    def submit_password(self, password: str) -> None:
        self._password = password
        self._push(_Command("password", (password,)))

    def set_display_name(self, name: str | None) -> None:
        name = (name or "").strip() or None
        self._presence = self._presence.replace(display_name=name)
        if self._room is not None:
            self._room.set_display_name(name)
            self._sync(self._room)
        self._push(_Command("display-name", (name,)))

    def login_as_host(self, user: str, password: str) -> None:
        self._push(_Command("login", (Credentials(user, password),)))

    def cancel(self) -> None:
        """Give up: at a prompt (password, lobby, waiting for the host) or in the room."""
        self._interrupt("cancel")

    async def leave(self) -> None:
        """Leave the room (unavailable presence, wait for the room's confirmation), close."""
        if not self._running:
            return
        self._interrupt("leave")
        if self._done is not None:
            await asyncio.shield(self._done)

    def set_sources(self, sources: Mapping[str, SourceInfo]) -> None:
        """Publish our media sources (name → SourceInfo) in presence (media layer)."""
        self._presence = self._presence.replace(sources=dict(sources))
        if self._room is not None:
            self._room.set_sources(sources)
            self._sync(self._room)

    def set_muted(self, kind: str, muted: bool) -> None:
        """Mute/unmute our 'audio' or 'video' in presence (the media layer stops the track)."""
        if kind not in ("audio", "video"):
            raise ValueError(f"kind must be 'audio' or 'video', not {kind!r}")
        if self._room is not None:
            self._room.set_muted(kind, muted)
            self._sync(self._room)
        else:
            self._presence = with_muted(self._presence, self._nick or "local", kind, muted)

    def send_chat(self, text: str, to: str | None = None) -> bool:
        """Group message, or private to endpoint id ``to``.  False if not in the room."""
        if not self.joined or self.room_jid is None or not text.strip():
            return False
        text = text[:chat_messages.MAX_CHAT_CHARS]
        if to is None:
            stanza = chat_messages.group_message(self.room_jid, text)
        else:
            stanza = chat_messages.private_message(self.room_jid, to, text)
        self.xmpp.send(stanza)
        return True

    # moderator commands: they report trouble as CommandFailed and return False

    async def lock(self, password: str | None) -> bool:
        return await self._moderator_command("lock", lambda: self._do_lock(password or None))

    async def set_lobby(self, enabled: bool) -> bool:
        return await self._moderator_command("lobby", lambda: self._do_set_lobby(enabled))

    async def admit(self, knocker_id: str) -> bool:
        return await self._moderator_command("admit", lambda: self._do_admit(knocker_id))

    async def reject(self, knocker_id: str) -> bool:
        return await self._moderator_command("reject", lambda: self._do_reject(knocker_id))

    async def kick(self, endpoint_id: str) -> bool:
        return await self._moderator_command("kick", lambda: self._do_kick(endpoint_id))

    async def mute_participant(self, endpoint_id: str, kind: str = "audio") -> bool:
        return await self._moderator_command("mute", lambda: self._do_mute(endpoint_id, kind))

    # --- running ---------------------------------------------------------------------------

    async def run(self) -> ConferenceEnded:
        """Join and stay until the meeting ends for us; returns the ``ConferenceEnded``."""
        if self._running or self._ended is not None:
            raise LocalProtocolError(reason="Conference.run() called twice")
        self._running = True
        loop = asyncio.get_running_loop()
        self._done = loop.create_future()
        try:
            ended = await self._run()
        except asyncio.CancelledError:
            await asyncio.shield(self._shutdown(leave_room=True, quick=True))
            self.emit(ConferenceEnded(EndReason.CANCELLED))
            if not self._done.done():
                self._done.set_result(self._ended)  # type: ignore[arg-type]
            raise
        finally:
            self._running = False
        if not self._done.done():
            self._done.set_result(ended)
        return ended

    async def _run(self) -> ConferenceEnded:
        try:
            try:
                await self._resolve_deployment()
                await self._sessions()
            except (_Dropped, _Relogin) as exc:  # pragma: no cover - handled in _sessions
                raise _End(EndReason.CONNECTION_LOST, getattr(exc, "error", None)) from exc
        except _End as end:
            await self._shutdown(leave_room=end.reason in (EndReason.LEFT, EndReason.CANCELLED))
            if end.reason is EndReason.JOIN_FAILED and end.error is not None:
                self.emit(JoinFailed(end.error))
            self.emit(ConferenceEnded(end.reason, end.error))
        assert self._ended is not None
        return self._ended

    async def _resolve_deployment(self) -> None:
        target = self._target
        if hasattr(target, "xmpp_domain"):
            self.deployment = target
        else:
            discover = self._discover_fn
            if discover is None:
                from client.jitsi.deployment import discover as discover_deployment
                discover = discover_deployment
            try:
                self.deployment = await self._race(discover(
                    target.server, getattr(target, "tenant", None), self._backend_room,
                    trust=self.options.trust))
            except TreffpunktError as exc:
                raise _End(EndReason.JOIN_FAILED, exc) from exc
        if not self._backend_room:
            raise LocalProtocolError(reason="Conference needs a room name")
        room_jid = getattr(self.deployment, "room_jid", None)
        text = room_jid(self._backend_room) if callable(room_jid) else \
            f"{self._backend_room}@{self.deployment.muc_domain.lower()}"
        self.room_jid = Jid.parse(text)
        self.room_name = self.room_name or self._backend_room

    # --- connections --------------------------------------------------------------------------

    async def _sessions(self) -> None:
        """Connect; on a dropped connection reconnect (a few times) and join again."""
        while True:
            try:
                await self._connect()
                await self._in_session()
            except _Relogin:
                await self._drop_connection()
                continue
            except _Dropped as dropped:
                await self._drop_connection()
                self._reconnect_attempt += 1
                attempt = self._reconnect_attempt
                if attempt > len(RECONNECT_DELAYS_S):
                    raise _End(EndReason.CONNECTION_LOST, dropped.error) from None
                low, high = RECONNECT_DELAYS_S[attempt - 1]
                delay = random.uniform(low, high)
                log.info("connection lost (%s); reconnecting in %.1f s", dropped.error, delay)
                self.emit(Reconnecting("connection-lost", attempt, delay))
                await self._sleep(delay)

    def _connector(self) -> Connect:
        if self._connect_fn is not None:
            return self._connect_fn
        from client.jitsi.transport import XmppClient
        return XmppClient.connect

    def _websocket_url(self) -> str:
        url = None
        builder = getattr(self.deployment, "websocket_url_for", None)
        if callable(builder):
            url = builder(self._backend_room, self._jwt)
        if not url:
            raise _End(EndReason.JOIN_FAILED,
                       NoWebSocketError(host=getattr(self.deployment, "host", "")))
        return url

    def _stream_domain(self) -> str:
        if self._credentials is not None:
            return login_domain(self._credentials.username,
                                auth_domain=getattr(self.deployment, "auth_domain", None),
                                xmpp_domain=self.deployment.xmpp_domain)
        chooser = getattr(self.deployment, "stream_domain", None)
        if callable(chooser):
            return chooser(anonymous=True, jwt=bool(self._jwt))
        return getattr(self.deployment, "anonymous_domain", None) or self.deployment.xmpp_domain

    async def _connect(self) -> None:
        connect = self._connector()
        while True:
            try:
                self.xmpp = await self._race(connect(
                    self._websocket_url(), self._stream_domain(), trust=self.options.trust,
                    credentials=self._credentials, timeout_s=self.options.connect_timeout_s,
                    capabilities=self.capabilities))
                break
            except AnonymousLoginRefusedError:
                # secure domain without guests (§3.6 C): only a login gets in
                self.emit(HostLoginRequested(self.room_name))
                self._credentials = await self._ask_login(AuthenticationRequiredError(
                    room=self.room_name))
            except AuthenticationError as exc:
                if self._credentials is None:
                    raise _End(EndReason.JOIN_FAILED, exc) from exc
                self.emit(HostLoginRequested(self.room_name, after_failed_login=True))
                self._credentials = await self._ask_login(HostLoginFailedError(
                    user=self._credentials.username))
            except TreffpunktError as exc:
                if self._connected_before:
                    raise _Dropped(exc) from exc      # counts as one reconnect attempt
                raise _End(EndReason.JOIN_FAILED, exc) from exc
        self._closing = False
        self._dropped = None
        self._connected_before = True
        self._remove_handler = self.xmpp.add_handler(self._on_stanza)
        self.xmpp.closed.add_done_callback(self._on_connection_closed)
        self._nick = endpoint_id_for(self.xmpp.jid, authenticated=self._credentials is not None)
        self.emit(Connected(str(self.xmpp.jid), self.xmpp.domain))
        self._ice_task = self._spawn(self._fetch_ice_servers())
        self._domain_info = self._spawn(self._fetch_domain_info())

    async def _ask_login(self, error_if_cancelled: TreffpunktError) -> Credentials:
        command = await self._prompt({"login"}, error_if_cancelled)
        return command.args[0]

    def _on_connection_closed(self, future: asyncio.Future[Any]) -> None:
        if self._closing or future.cancelled():
            return
        error = future.result() if future.exception() is None else future.exception()
        if not isinstance(error, TreffpunktError):
            error = ConnectionLostError(host=getattr(self.deployment, "host", ""))
        self._dropped = error
        self._wakeup.set()

    async def _drop_connection(self) -> None:
        self._closing = True
        if self._room is not None:
            self._room.forget()
            self._sync(self._room)
        self._room = None
        self._knock = None
        if self._watch is not None:
            self._watch.leave()
            self._sync(self._watch)
            self._watch = None
        if self._remove_handler is not None:
            self._remove_handler()
            self._remove_handler = None
        if self.xmpp is not None:
            try:
                await asyncio.wait_for(self.xmpp.close(), 3.0)
            except (TimeoutError, TreffpunktError, OSError) as exc:
                log.debug("closing the XMPP connection: %s", exc)
        self._dropped = None

    async def _fetch_ice_servers(self) -> None:
        try:
            self.ice_servers = list(await self.xmpp.external_services())
        except TreffpunktError as exc:
            log.info("no STUN/TURN from the server: %s", exc)

    async def _fetch_domain_info(self) -> None:
        try:
            info = await self.xmpp.disco_info()
        except (TreffpunktError, AttributeError) as exc:
            log.info("disco#info of the domain failed: %s", exc)
            return
        self._lobby_domain = info.components().get(LOBBY_IDENTITY_TYPE)

    # --- one connection: get in, stay, rejoin when Jicofo leaves --------------------------------

    async def _in_session(self) -> bool:
        assert self.room_jid is not None
        if self._negotiation is None:
            self._negotiation = FocusNegotiation(
                ConferenceRequest(self.room_jid, self.machine_uid, session_id=self._session_id,
                                  token=self._jwt),
                room_name=self.room_name, host=getattr(self.deployment, "host", ""))
        rejoins = 0
        while True:
            await self._enter_room()
            outcome = await self._stay()
            rejoins += 1
            if rejoins > self.options.max_rejoins:
                raise _End(EndReason.JOIN_FAILED, FocusLeftError(room=self.room_name))
            self.emit(Reconnecting(outcome, rejoins, 0.0))
            if self._room is not None:
                self._room.leave()
                self._sync(self._room)
                await self._wait_for(1.0, lambda item: isinstance(item, RoomExited))
                self._room.forget()
                self._sync(self._room)

    async def _request_focus(self) -> FocusResult:
        negotiation = self._negotiation
        assert negotiation is not None
        waiting_announced = False
        while True:
            decision = await self._ask_focus(negotiation)
            if isinstance(decision, JoinNow):
                self._session_id = negotiation.session_id
                return decision.result
            if isinstance(decision, GiveUp):
                raise _End(EndReason.JOIN_FAILED, decision.error)
            if isinstance(decision, AskAgain):
                log.info("focus: %s, asking again in %.0f s", decision.reason, decision.delay_s)
                await self._sleep(decision.delay_s)
                continue
            assert isinstance(decision, WaitForHost)
            if not waiting_announced:
                self.emit(WaitingForHost(self.room_name, decision.poll_s))
                waiting_announced = True
            self._cancel_error = AuthenticationRequiredError(room=self.room_name)
            command = await self._wait_for(decision.poll_s * self.delay_scale, _is_login_command)
            self._cancel_error = None
            if isinstance(command, _Command):
                await self._host_login(command.args[0], negotiation)

    async def _ask_focus(self, negotiation: FocusNegotiation) -> Any:
        request = negotiation.request()
        url = getattr(self.deployment, "conference_request_url", None)
        if url:
            return await self._ask_focus_over_http(url, negotiation)
        try:
            answer = await self._race(self.xmpp.iq(request.to_iq(self.deployment.focus_jid),
                                                   timeout_s=REQUEST_TIMEOUT_S))
            return negotiation.on_result(FocusResult.from_iq(answer))
        except IqError as exc:
            error = FocusError.from_iq(exc.element) if exc.element is not None else \
                FocusError(FocusRefusal.FATAL, exc.condition, exc.text)
            return negotiation.on_error(error)
        except IqTimeoutError:
            return negotiation.on_timeout()
        except RemoteProtocolError as exc:
            return GiveUp(FocusUnavailableError(host=getattr(self.deployment, "host", ""),
                                                reason=str(exc)))
        except ConnectionLostError as exc:
            raise _Dropped(exc) from exc

    async def _ask_focus_over_http(self, url: str, negotiation: FocusNegotiation) -> Any:
        from client.jitsi.focus import post_conference_request
        try:
            status, body = await self._race(post_conference_request(
                url, negotiation.request(), token=self._jwt, trust=self.options.trust))
        except TreffpunktError as exc:
            return GiveUp(FocusUnavailableError(host=getattr(self.deployment, "host", ""),
                                                reason=str(exc)))
        if 200 <= status < 300:
            try:
                return negotiation.on_result(FocusResult.from_json(body))
            except RemoteProtocolError as exc:
                return GiveUp(FocusUnavailableError(reason=str(exc)))
        return negotiation.on_error(FocusError.from_http(status, body))

    async def _host_login(self, credentials: Credentials, negotiation: FocusNegotiation) -> None:
        try:
            session = await self._race(obtain_host_session(
                self._connector(), websocket_url=self._websocket_url(),
                domain=login_domain(credentials.username,
                                    auth_domain=getattr(self.deployment, "auth_domain", None),
                                    xmpp_domain=self.deployment.xmpp_domain),
                credentials=credentials, request=negotiation.request(),
                focus=self.deployment.focus_jid, trust=self.options.trust,
                timeout_s=self.options.connect_timeout_s))
        except (HostLoginFailedError, AuthenticationError) as exc:
            log.info("host login failed: %s", exc)
            self.emit(HostLoginRequested(self.room_name, after_failed_login=True))
            return
        except TreffpunktError as exc:
            log.info("host login failed: %s", exc)
            self.emit(CommandFailed("login", exc))
            return
        negotiation.set_session(session.session_id)
        self._session_id = session.session_id
        self.emit(HostLoggedIn(session.identity))

    async def _enter_room(self) -> None:
        """Ask Jicofo, join; handle every "not yet" until we are in (or it ends)."""
        assert self.room_jid is not None and self._negotiation is not None
        password = self._password
        creation_retries = 0
        while True:
            await self._request_focus()
            self._inbox.clear()
            room = MucRoom(self.room_jid, self._nick or "", self._presence,
                           room_name=self.room_name, is_focus=self._negotiation.is_focus,
                           billing_id=self.machine_uid if getattr(
                               self.deployment, "conference_request_url", None) else None)
            self._room = room
            room.join(password)
            self._sync(room)
            item = await self._wait_for(
                self.options.join_timeout_s,
                lambda i: isinstance(i, (Joined, PasswordRequested, DisplayNameRequired, JoinRefused)))
            if item is None:
                raise _End(EndReason.JOIN_FAILED, JoinTimeoutError(room=self.room_name))
            if isinstance(item, Joined):
                self._reconnect_attempt = 0
                self._password = password
                self._nick = room.nick
                self._locked = bool(password)
                if self._knock is not None:
                    self._knock.leave()
                    self._sync(self._knock)
                    self._knock = None
                self._spawn(self._refresh_room_info())
                return
            if isinstance(item, PasswordRequested):
                error = (WrongPasswordError if item.after_wrong_password else
                         PasswordRequiredError)(room=self.room_name)
                answer = await self._prompt({"password"}, error, also=EnterMainRoom)
                password = answer.args[0] if isinstance(answer, _Command) else (
                    answer.password or password)
                continue
            if isinstance(item, DisplayNameRequired):
                await self._prompt({"display-name"}, DisplayNameRequiredError(room=self.room_name))
                continue
            assert isinstance(item, JoinRefused)
            refusal = item.refusal
            if refusal.reason is Refusal.MEMBERS_ONLY:
                if refusal.lobby_room is None:
                    raise _End(EndReason.JOIN_FAILED, MembersOnlyError(room=self.room_name))
                password = await self._knock_and_wait(refusal.lobby_room,
                                                      refusal.waiting_for_host) or password
                continue
            if refusal.reason is Refusal.CREATION_RESTRICTED and \
                    creation_retries < ROOM_CREATION_RETRIES:
                creation_retries += 1
                # ChatRoom.onPresenceError: jittered 0.5 s × 1.5^n, then a fresh request
                await self._sleep(random.uniform(0.5, 1.0) * 1.5 ** creation_retries)
                continue
            if refusal.reason is Refusal.AUTHENTICATION_REQUIRED and self._credentials is None:
                self.emit(HostLoginRequested(self.room_name))
                self._credentials = await self._ask_login(refusal.to_error(self.room_name))
                raise _Relogin()
            raise _End(EndReason.JOIN_FAILED,
                       refusal.to_error(self.room_name, password_sent=bool(password)))

    async def _knock_and_wait(self, lobby_room: Jid, waiting_for_host: bool) -> str | None:
        """Sit in the lobby until admitted; returns the password to join with (if any)."""
        assert self.room_jid is not None
        if self._presence.display_name is None and not waiting_for_host:
            self.emit(DisplayNameRequired(self.room_name))
            await self._prompt({"display-name"}, DisplayNameRequiredError(room=self.room_name))
        if self._knock is None:
            knock = LobbyKnock(lobby_room, self.room_jid, self._nick or "",
                               self._presence.replace(email=self.options.email, sources={}),
                               room_name=self.room_name, waiting_for_host=waiting_for_host)
            self._knock = knock
            knock.knock()
            self._sync(knock)
        self._cancel_error = LobbyRefusedError(room=self.room_name)
        try:
            while True:
                item = await self._next(None)
                if isinstance(item, EnterMainRoom):
                    return item.password
                if isinstance(item, _Command) and item.name == "password":
                    return item.args[0]        # a room password bypasses the lobby (§5.1)
                if isinstance(item, LobbyRejected):
                    self._knock = None
                    raise _End(EndReason.LOBBY_REJECTED, LobbyRefusedError(room=self.room_name))
                if isinstance(item, LobbyClosed):
                    self._knock = None
                    self.emit(RoomDestroyed(item.reason))
                    raise _End(EndReason.DESTROYED, ConferenceEndedError(room=self.room_name))
                if isinstance(item, LobbyFailed):
                    self._knock = None
                    raise _End(EndReason.JOIN_FAILED, item.error)
        finally:
            self._cancel_error = None

    async def _stay(self) -> str:
        """In the room until it ends; returns why we must rejoin ('focus-left', 'room-lost')."""
        while True:
            item = await self._next(None)
            if isinstance(item, RoomExited):
                if item.destroy is not None:
                    self.emit(RoomDestroyed(item.destroy.reason))
                    raise _End(EndReason.DESTROYED, ConferenceEndedError(room=self.room_name))
                if item.kicked:
                    self.emit(Kicked(item.actor, item.reason))
                    raise _End(EndReason.KICKED, KickedError(room=self.room_name))
                return "room-lost"
            if isinstance(item, FocusLeft):
                return "focus-left"
            if isinstance(item, RoomConfigChanged):
                self._spawn(self._refresh_room_info())
            elif isinstance(item, RoleChanged) and item.is_moderator:
                self._spawn(self._refresh_room_info())

    # --- the inbox ------------------------------------------------------------------------------

    def _push(self, item: object) -> None:
        self._inbox.append(item)
        self._wakeup.set()

    def _interrupt(self, what: str) -> None:
        if self._stop is None:
            self._stop = what
        self._wakeup.set()

    def _check_interrupt(self) -> None:
        if self._stop is not None:
            if self.joined:
                raise _End(EndReason.LEFT)
            # not in yet: leaving means giving up whatever we were waiting for
            raise _End(EndReason.CANCELLED, self._cancel_reason())
        if self._dropped is not None:
            raise _Dropped(self._dropped)

    def _cancel_reason(self) -> TreffpunktError | None:
        """Why giving up now leaves us outside: the prompt we are (about to be) showing."""
        if self._cancel_error is not None:
            return self._cancel_error
        room = self._room
        if room is not None and room.state is RoomState.NEEDS_PASSWORD:
            return (WrongPasswordError if room.password else PasswordRequiredError)(
                room=self.room_name)
        if room is not None and room.state is RoomState.NEEDS_DISPLAY_NAME:
            return DisplayNameRequiredError(room=self.room_name)
        if self._knock is not None:
            return LobbyRefusedError(room=self.room_name)
        return None

    async def _next(self, timeout_s: float | None) -> object | None:
        """The next inbox item, or None after ``timeout_s``; raises on leave/cancel/drop."""
        loop = asyncio.get_running_loop()
        deadline = None if timeout_s is None else loop.time() + timeout_s
        while True:
            self._check_interrupt()
            if self._inbox:
                return self._inbox.popleft()
            self._wakeup.clear()
            remaining = None if deadline is None else deadline - loop.time()
            if remaining is not None and remaining <= 0:
                return None
            try:
                await asyncio.wait_for(self._wakeup.wait(), remaining)
            except TimeoutError:
                self._check_interrupt()
                return self._inbox.popleft() if self._inbox else None

    async def _wait_for(self, timeout_s: float | None,
                        accept: Callable[[object], bool]) -> object | None:
        """The first inbox item ``accept`` likes within ``timeout_s``; others are dropped."""
        loop = asyncio.get_running_loop()
        deadline = None if timeout_s is None else loop.time() + timeout_s
        while True:
            remaining = None if deadline is None else max(0.0, deadline - loop.time())
            item = await self._next(remaining)
            if item is None:
                if deadline is not None and loop.time() >= deadline:
                    return None
                continue
            if accept(item):
                return item
            log.debug("not waiting for %r now", item)

    async def _sleep(self, delay_s: float) -> None:
        await self._wait_for(delay_s * self.delay_scale, lambda item: False)

    async def _prompt(self, commands: set[str], error_if_cancelled: TreffpunktError, *,
                      also: type | None = None) -> Any:
        """Wait for the user's answer (one of ``commands``); cancel ends with ``error``."""
        self._cancel_error = error_if_cancelled
        try:
            return await self._wait_for(None, lambda item: (
                isinstance(item, _Command) and item.name in commands) or (
                also is not None and isinstance(item, also)))
        finally:
            self._cancel_error = None

    async def _race(self, awaitable: Awaitable[Any]) -> Any:
        """Await ``awaitable`` unless leave/cancel/connection loss comes first."""
        task = asyncio.ensure_future(awaitable)
        try:
            while not task.done():
                self._check_interrupt()
                self._wakeup.clear()
                waiter = asyncio.ensure_future(self._wakeup.wait())
                try:
                    await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED)
                finally:
                    waiter.cancel()
            return task.result()
        finally:
            if not task.done():
                task.cancel()
                try:
                    await task
                except BaseException:  # noqa: BLE001 — it was cancelled on purpose
                    pass

    # --- stanzas in, stanzas and events out --------------------------------------------------------

    def _on_stanza(self, stanza: Element) -> bool:
        if self.options.decline_jingle and self._decline_jingle(stanza):
            return True
        # the knock first: the admitting invite comes from the main room's JID
        for owner in (self._knock, self._room, self._watch):
            if owner is not None and owner.receive(stanza):
                self._sync(owner)
                return True
        return any(handler(stanza) for handler in list(self._stanza_handlers))

    def _decline_jingle(self, stanza: Element) -> bool:
        """Ack a session-initiate and end it with ``decline``: the browser then stays
        on the bridge (JitsiConference.ts onCallEnded) instead of waiting for us."""
        if split_tag(stanza.tag)[1] != "iq" or stanza.get("type") != "set":
            return False
        jingle = stanza.find(f"{{{NS_JINGLE}}}jingle")
        if jingle is None or jingle.get("action") != "session-initiate" or not stanza.get("from"):
            return False
        sender = stanza.get("from")
        self.xmpp.send(el("iq", {"type": "result", "to": sender, "id": stanza.get("id")}))
        reason = el(f"{{{NS_JINGLE}}}reason", None, el(f"{{{NS_JINGLE}}}decline"))
        self._send(el("iq", {"type": "set", "to": sender, "id": new_id("jingle")},
                      el(f"{{{NS_JINGLE}}}jingle", {"action": "session-terminate",
                                                   "sid": jingle.get("sid")}, reason)))
        log.info("declined a Jingle offer from %s (no media)", sender)
        return True

    def _sync(self, owner: Any) -> None:
        """Send what ``owner`` queued; report its events; feed the flow."""
        for stanza in owner.take_outgoing():
            self._send(stanza)
        if owner is self._room:
            self._presence = owner.presence
        for event in owner.take_events():
            if isinstance(event, ConferenceEvent):
                self.emit(event)
            if owner is not self._watch:
                self._push(event)

    def _send(self, stanza: Element) -> None:
        if self.xmpp is None:
            return
        if split_tag(stanza.tag)[1] == "iq" and stanza.get("type") in ("get", "set"):
            self._spawn(self._quiet_iq(stanza))
        else:
            self.xmpp.send(stanza)

    async def _quiet_iq(self, stanza: Element) -> None:
        try:
            await self.xmpp.iq(stanza)
        except TreffpunktError as exc:
            log.info("request %s refused: %s", stanza.get("id"), exc)

    def _spawn(self, coroutine: Awaitable[Any]) -> asyncio.Task[Any]:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)

        def done(finished: asyncio.Task[Any]) -> None:
            self._tasks.discard(finished)
            if not finished.cancelled() and finished.exception() is not None:
                log.error("background task failed", exc_info=finished.exception())
        task.add_done_callback(done)
        return task

    # --- room state for moderators ------------------------------------------------------------------

    async def _refresh_room_info(self) -> None:
        if self.room_jid is None or not self.joined:
            return
        try:
            info = RoomInfo.from_iq(await self.xmpp.iq(room_info_request(self.room_jid)))
        except (TreffpunktError, ValueError) as exc:
            log.info("room disco#info failed: %s", exc)
            return
        if info.locked != self._locked:
            self._locked = info.locked
            self.emit(RoomLockChanged(info.locked))
        if info.members_only != self._members_only:
            self._members_only = info.members_only
            self.emit(LobbyEnabledChanged(info.members_only))
        self._lobby_room = info.lobby_room or self._lobby_room
        await self._maybe_watch_lobby()

    async def _maybe_watch_lobby(self) -> None:
        """Moderators sit in the lobby room while the lobby is on (Lobby.js)."""
        if not (self.is_moderator and self._members_only) or self._watch is not None:
            return
        lobby_room = self._lobby_room
        if lobby_room is None:
            if self._domain_info is not None:
                await asyncio.shield(self._domain_info)
            if self._lobby_domain and self.room_jid is not None:
                lobby_room = Jid(self.room_jid.local, self._lobby_domain)
        if lobby_room is None or self._room is None:
            return
        main = self._room

        def in_main_room(jid: Jid | None) -> bool:
            return jid is not None and any(o.jid == jid for o in main.occupants.values())

        watch = LobbyWatch(lobby_room, self._room.nick, self._presence, in_main_room=in_main_room)
        self._watch = watch
        watch.join()
        self._sync(watch)

    def _require_moderator(self) -> None:
        if not self.joined:
            raise NotInRoomError()
        if not self.is_moderator:
            raise NotModeratorError()

    async def _moderator_command(self, name: str, work: Callable[[], Awaitable[None]]) -> bool:
        try:
            self._require_moderator()
            await work()
            return True
        except IqError as exc:
            self.emit(CommandFailed(name, CommandError(command=name, condition=exc.condition,
                                                       text=exc.text)))
        except IqTimeoutError:
            self.emit(CommandFailed(name, CommandError(command=name, condition="timeout")))
        except TreffpunktError as exc:
            self.emit(CommandFailed(name, exc))
        return False

    async def _do_lock(self, password: str | None) -> None:
        assert self.room_jid is not None
        fields = form_fields(await self.xmpp.iq(owner_form_request(self.room_jid)))
        if "muc#roomconfig_roomsecret" not in fields:
            raise PasswordUnsupportedError()
        await self.xmpp.iq(config_submit(self.room_jid,
                                         lock_fields(password, members_only=self._members_only)))
        self._password = password
        if self._locked != bool(password):
            self._locked = bool(password)
            self.emit(RoomLockChanged(self._locked))

    async def _do_set_lobby(self, enabled: bool) -> None:
        assert self.room_jid is not None and self._room is not None
        if enabled:
            if self._domain_info is not None:
                await asyncio.shield(self._domain_info)
            if not self._lobby_domain and self._lobby_room is None:
                raise LobbyUnsupportedError()
            # everyone already inside stays inside: make them members first (§5.2)
            outsiders = [o.jid for o in self._room.occupants.values()
                         if o.jid is not None and o.affiliation not in ("owner", "admin", "member")]
            if outsiders:
                await self.xmpp.iq(affiliation_request(self.room_jid, outsiders))
        fields = form_fields(await self.xmpp.iq(owner_form_request(self.room_jid)))
        if "muc#roomconfig_membersonly" not in fields:
            raise LobbyUnsupportedError()
        await self.xmpp.iq(config_submit(self.room_jid,
                                         members_only_fields(enabled, locked=self._locked)))
        if self._members_only != enabled:
            self._members_only = enabled
            self.emit(LobbyEnabledChanged(enabled))
        if enabled:
            await self._refresh_room_info()
            await self._maybe_watch_lobby()
        elif self._watch is not None:
            self._watch.leave()
            self._sync(self._watch)
            self._watch = None

    async def _do_admit(self, knocker_id: str) -> None:
        assert self.room_jid is not None
        jid = self._watch.real_jid_of(knocker_id) if self._watch is not None else None
        if jid is None:
            raise UnknownParticipantError(id=knocker_id)
        self.xmpp.send(admit_message(self.room_jid, [jid]))

    async def _do_reject(self, knocker_id: str) -> None:
        if self._watch is None or knocker_id not in self._watch.knockers:
            raise UnknownParticipantError(id=knocker_id)
        await self.xmpp.iq(self._watch.reject_request(knocker_id))

    async def _do_kick(self, endpoint_id: str) -> None:
        assert self.room_jid is not None
        if endpoint_id not in self.occupants:
            raise UnknownParticipantError(id=endpoint_id)
        await self.xmpp.iq(kick_request(self.room_jid, endpoint_id))

    async def _do_mute(self, endpoint_id: str, kind: str) -> None:
        assert self.room_jid is not None
        focus = self.focus_occupant
        if endpoint_id not in self.occupants or focus is None:
            raise UnknownParticipantError(id=endpoint_id)
        await self.xmpp.iq(mute_request(focus, self.room_jid.with_resource(endpoint_id), kind, True))

    # --- the end ------------------------------------------------------------------------------------

    async def _shutdown(self, *, leave_room: bool, quick: bool = False) -> None:
        """Leave the room politely if asked, leave lobby rooms, close the connection."""
        room = self._room
        if leave_room and room is not None and room.joined and self.xmpp is not None \
                and self._dropped is None:
            room.leave()
            self._sync(room)
            if not quick:
                await self._await_exit(self.options.leave_timeout_s)
            self.emit(Left(self.room_name))
        for lobby in (self._knock, self._watch):
            if lobby is not None:
                lobby.leave()
                self._sync(lobby)
        self._knock = self._watch = None
        if room is not None and room.state is not RoomState.LEFT:
            room.forget()
            for event in room.take_events():
                if isinstance(event, ConferenceEvent):
                    self.emit(event)
        self._room = None
        if self._remove_handler is not None:
            self._remove_handler()
            self._remove_handler = None
        for task in list(self._tasks):
            task.cancel()
        self._closing = True
        if self.xmpp is not None:
            try:
                await asyncio.wait_for(self.xmpp.close(), 1.0 if quick else 3.0)
            except (TimeoutError, TreffpunktError, OSError) as exc:
                log.debug("closing the XMPP connection: %s", exc)

    async def _await_exit(self, timeout_s: float) -> None:
        """Wait for the room to confirm our leave (ChatRoom.leave: 5 s)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_s
        while loop.time() < deadline:
            while self._inbox:
                if isinstance(self._inbox.popleft(), RoomExited):
                    return
            if self._dropped is not None:
                return
            self._wakeup.clear()
            try:
                await asyncio.wait_for(self._wakeup.wait(), deadline - loop.time())
            except TimeoutError:
                return


def _is_login_command(item: object) -> bool:
    return isinstance(item, _Command) and item.name == "login"
