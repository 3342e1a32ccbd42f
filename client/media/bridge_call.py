"""BridgeCall: our side of Jicofo's session with the videobridge (media spec §1, §2, §4, §7).

Jicofo's ``session-initiate`` comes from the ``focus`` occupant once the room has two
members; every participant has one.  This module answers it with an aiortc peer
connection whose remote offer has one m-line per remote source
(client/jitsi/bridge_sdp.py), sends ``session-accept`` with our sources, applies
``source-add``/``source-remove`` (and a participant's MUC leave, for which Jicofo
sends nothing) by renegotiating, opens the bridge channel (colibri-ws) and keeps
``ReceiverVideoConstraints`` in line with what is on screen (``set_view``).

It works next to ``CallMedia`` (client/media/call.py, P2P) and reuses its local
tracks, playback and frame pumps: a remote source received here shows up as
``RemoteTrackAdded`` and in ``media.frames(source_name)`` exactly like a P2P one.
As lib-jitsi-meet does, the bridge session is *suspended* while a P2P session is
connected (nothing sent to the bridge, no video asked for, the bridge's remote
tracks hidden and drained) and resumed when P2P ends.

Decisions from the spec (§7.5): no transport-cc, no REMB — aiortc's per-receiver
REMB would be taken by JVB as the whole downlink estimate, so it is switched off
on every receiver; ICE failure → ``session-terminate`` ``connectivity-error`` with
``bridge-session restart='true'`` and a fresh session from Jicofo.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from aiortc import RTCPeerConnection, RTCRtpSender, RTCSessionDescription
from aiortc.exceptions import InternalError, InvalidAccessError, InvalidStateError, OperationError
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack

from client import errors
from client.jitsi.bridge_channel import BridgeChannelClient, BridgeChannelEvent, ChannelOpened
from client.jitsi.bridge_sdp import BridgeLine, BridgeOffer
from client.jitsi.colibri import (
    UNLIMITED,
    DominantSpeakerEndpointChangeEvent,
    EndpointMessage,
    ForwardedSources,
    SenderSourceConstraints,
)
from client.jitsi.description import SessionDescription
from client.jitsi.events import (
    ConferenceEnded,
    ConferenceEvent,
    DominantSpeakerChanged,
    EndpointMessageReceived,
    ForwardedSourcesChanged,
    Left,
    LocalMuteChanged,
    MediaConnected,
    MediaDisconnected,
    MediaError,
    ParticipantLeft,
    Reconnecting,
    SendConstraintChanged,
)
from client.jitsi.jingle import (
    Action,
    JingleRequest,
    JingleSession,
    RemoteSourcesAdded,
    RemoteSourcesRemoved,
    RemoteTransportInfo,
    SessionEnded,
    UnknownActionError,
    error_for,
    find_jingle,
    parse_jingle_iq,
    result_for,
    unknown_session_reply,
)
from client.jitsi.ns import NS_JITSI_FOCUS
from client.jitsi.sdp import local_description, our_source_name
from client.jitsi.stanza import Element, el, split_tag
from client.jitsi.view import Tile, View, view_for_endpoints
from client.media.session import (
    AUDIO_CODECS,
    VIDEO_CODECS,
    RemoteTrack,
    TrackReceived,
    _aiortc_candidate,
    ice_configuration,
)

log = logging.getLogger("treffpunkt.media")

_AIORTC_ERRORS = (InternalError, InvalidAccessError, InvalidStateError, OperationError, ValueError)
MODE = "jvb"


@dataclass(eq=False)      # identity: sessions go into sets
class _Session:
    jingle: JingleSession
    offer: BridgeOffer
    pc: RTCPeerConnection
    bridge_session_id: str | None
    channel: BridgeChannelClient | None = None
    tracks: dict[str, RemoteTrack] = field(default_factory=dict)       # by mid
    senders: dict[str, RTCRtpSender] = field(default_factory=dict)     # audio / video
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    connected: bool = False
    ended: bool = False
    answered: asyncio.Event = field(default_factory=asyncio.Event)
    closed: asyncio.Event = field(default_factory=asyncio.Event)   # peer connection closed


class BridgeCall:
    """The bridge session of one meeting.  ``await start()`` after ``media.start()``."""

    def __init__(self, media: Any, *, auto_tile_height_px: int = 360, last_n: int | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.media = media                      # CallMedia: local tracks, playback, pumps
        self.conference = media.conference
        self.auto_tile_height_px = auto_tile_height_px
        #: None: the deployment's ``channelLastN`` (config.js), else no limit
        self._last_n = last_n
        self._stage_endpoint: str | None = None
        #: endpoint id → tile height from the call window (show_endpoints); None = headless
        self._tile_heights: dict[str, int] | None = None
        self._view: View | None = None          # None: every remote video at auto height
        self._clock = clock
        self._session: _Session | None = None
        self._registered: set[str] = set()      # source names handed to the media layer
        self._drains: dict[str, asyncio.Task] = {}
        self._suspended = False
        self._p2p_peer: str | None = None
        self._sender_height: int | None = None
        self._remove_listener: Callable[[], None] | None = None
        self._remove_handler: Callable[[], None] | None = None
        self._tasks: set[asyncio.Task] = set()
        self._ending: set[_Session] = set()
        self._closed = False
        self.dominant_speaker: str | None = None
        self.forwarded_sources: tuple[str, ...] | None = None

    # --- public --------------------------------------------------------------------------

    async def start(self) -> None:
        self._remove_listener = self.conference.add_listener(self._on_conference_event)
        self._remove_handler = self.conference.add_stanza_handler(self._on_stanza)

    @property
    def connected(self) -> bool:
        return self._session is not None and self._session.connected

    @property
    def channel(self) -> BridgeChannelClient | None:
        return self._session.channel if self._session is not None else None

    @property
    def peer_connection(self) -> RTCPeerConnection | None:
        return self._session.pc if self._session is not None else None

    @property
    def remote_sources(self) -> list[str]:
        """Source names received over the bridge session now (whether shown or not)."""
        if self._session is None:
            return []
        return sorted(line.source_name for line in self._session.offer.active_lines()
                      if line.source_name)

    def set_view(self, view: View | None) -> None:
        """What is on screen; None: every remote video at ``auto_tile_height_px`` (headless)."""
        self._view = view
        self._send_view()

    def show_endpoints(self, heights_px: Mapping[str, int] | None, *,
                       on_stage: str | None = None) -> None:
        """The call window's tiles on screen (endpoint id → tile height in px), or None,
        and whose tile is shown large (the bridge serves that video first).

        Kept as heights per participant, not as sources: videos the bridge signals
        later (source-add) for a participant already on screen are asked for at once.
        """
        self._tile_heights = None if heights_px is None else dict(heights_px)
        self._stage_endpoint = on_stage
        self._view = None
        self._send_view()

    @property
    def last_n(self) -> int:
        """The last-N in force: ours if set, else the deployment's ``channelLastN``."""
        if self._last_n is not None:
            return self._last_n
        configured = getattr(getattr(self.conference, "deployment", None), "channel_last_n", None)
        return configured if isinstance(configured, int) and configured >= 0 else UNLIMITED

    def set_last_n(self, last_n: int) -> None:
        """The most videos to receive (−1: no limit); applies to the automatic view too."""
        self._last_n = last_n
        if self._view is not None:
            self._view = View(self._view.tiles, self._view.on_stage, self._view.selected, self.last_n,
                              self._view.max_height_px)
        self._send_view()

    def send_endpoint_message(self, to: str, payload: Any) -> bool:
        """A message to one participant (``to``) or all (``""``) over the bridge; False if
        the bridge channel is not open."""
        channel = self.channel
        if channel is None:
            return False
        return channel.send(EndpointMessage(to, {"msgPayload": payload}))

    def current_view(self) -> View:
        if self._suspended:
            return View()        # P2P carries the media: ask the bridge for no video at all
        if self._view is not None:
            return self._view
        if self._tile_heights is not None:
            lines = self._session.offer.active_lines() if self._session else []
            return view_for_endpoints(
                [(line.owner, line.source_name) for line in lines
                 if line.media == "video" and line.source_name and line.owner],
                self._tile_heights, last_n=self.last_n, on_stage_endpoint=self._stage_endpoint)
        tiles = tuple(Tile(line.source_name, self.auto_tile_height_px)
                      for line in (self._session.offer.active_lines() if self._session else [])
                      if line.media == "video" and line.source_name)
        return View(tiles=tiles, last_n=self.last_n)

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._remove_listener is not None:
            self._remove_listener()
        if self._remove_handler is not None:
            self._remove_handler()
        # like lib-jitsi-meet's close(): no session-terminate, Jicofo ends it with the MUC leave
        await self._end(notify=False, reason="success")
        # a session still closing (e.g. ended by the leave) must finish: a peer connection
        # cancelled half-way leaves aiortc decoder threads behind, and the process cannot exit
        for session in list(self._ending):
            try:
                await asyncio.wait_for(session.closed.wait(), 10)
            except TimeoutError:
                log.warning("a bridge session did not close within 10 s")
        for task in list(self._tasks):
            task.cancel()

    # --- conference events ---------------------------------------------------------------------

    def _on_conference_event(self, event: ConferenceEvent) -> None:
        if isinstance(event, ParticipantLeft):
            self._spawn(self._participant_left(event.endpoint_id))
        elif isinstance(event, MediaConnected) and event.mode == "p2p":
            self._suspend(event.endpoint_id)
        elif isinstance(event, MediaDisconnected) and event.mode == "p2p":
            self._resume()
        elif isinstance(event, LocalMuteChanged) and event.media == "video":
            self._send_video_type()
        elif isinstance(event, (Reconnecting, Left, ConferenceEnded)):
            self._spawn(self._end(notify=False, reason="success"))

    # --- Jingle from the focus -------------------------------------------------------------------

    def _on_stanza(self, stanza: Element) -> bool:
        """Claim Jingle sets from our room's focus occupant (lib-jitsi-meet: resource 'focus')."""
        if split_tag(stanza.tag)[1] != "iq" or stanza.get("type") != "set" or find_jingle(stanza) is None:
            return False
        room = self.conference.room_jid
        bare, _, resource = (stanza.get("from") or "").partition("/")
        if room is None or bare.lower() != str(room).lower() or resource != "focus":
            return False
        try:
            request = parse_jingle_iq(stanza)
        except UnknownActionError:
            self.conference.send(error_for(stanza, "bad-request"))
            return True
        except errors.RemoteProtocolError as exc:
            log.warning("bad Jingle request from the focus: %s", exc)
            self.conference.send(error_for(stanza, "bad-request"))
            return True
        session = self._session
        if request.action is Action.SESSION_INITIATE:
            if session is not None and session.jingle.sid == request.sid:
                self.conference.send(error_for(stanza, "service-unavailable"))
                return True
            self.conference.send(result_for(stanza))
            self._spawn(self._answer(request))
            return True
        if session is None or session.jingle.sid != request.sid:
            self.conference.send(unknown_session_reply(stanza))
            return True
        reply, events = session.jingle.receive(stanza, request)
        self.conference.send(reply)
        for event in events:
            if isinstance(event, RemoteSourcesAdded):
                self._spawn(self._sources_added(session, event.description))
            elif isinstance(event, RemoteSourcesRemoved):
                ssrcs = {s.ssrc for _, s in event.description.all_sources()}
                self._spawn(self._reject(session, lambda offer: offer.remove_sources(ssrcs)))
            elif isinstance(event, RemoteTransportInfo):
                self._spawn(self._add_candidates(session, event.description))
            elif isinstance(event, SessionEnded):
                log.info("the focus ended the bridge session: %s", event.reason)
                self._spawn(self._end(notify=False, reason=event.reason.condition, session=session))
        return True

    async def _request(self, iq: Element, timeout_s: float = 10.0) -> bool:
        xmpp = self.conference.xmpp
        if xmpp is None:
            return False
        try:
            await xmpp.iq(iq, timeout_s=timeout_s)
            return True
        except errors.TreffpunktError as exc:
            log.info("Jingle request %s to the focus failed: %s", iq.get("id"), exc)
            return False

    # --- the session ---------------------------------------------------------------------------

    async def _answer(self, request: JingleRequest) -> None:
        if self._session is not None:      # Jicofo moved or restarted us: a fresh session
            await self._end(notify=False, reason="success")
        if self._closed:
            return
        occupant = self.conference.room_jid.with_resource(self.conference.endpoint_id)
        jingle = JingleSession.incoming(request, local=occupant)
        try:
            offer = BridgeOffer(request.description)
        except errors.RemoteProtocolError as exc:
            log.warning("unusable bridge offer: %s", exc)
            terminate = jingle.terminate("failed-application", str(exc))
            if terminate is not None:
                await self._request(terminate)
            return
        pc = RTCPeerConnection(ice_configuration(list(self.conference.ice_servers or ())))
        session = self._session = _Session(jingle, offer, pc, _bridge_session_id(request))
        for media in ("audio", "video"):
            transceiver = pc.addTransceiver(media, direction="sendrecv")
            _prefer_codecs(transceiver, media)
            session.senders[media] = transceiver.sender
        self._attach_local_tracks()
        pc.on("track", lambda track: self._on_track(session, track))
        pc.on("connectionstatechange", lambda: self._on_connection_state(session))
        try:
            async with session.lock:
                await self._negotiate(session)
        except errors.MediaError as error:
            await self._fail(session, error)
            return
        if session.ended:
            return
        xmpp = self.conference.xmpp
        answer = local_description(pc.localDescription.sdp, endpoint_id=self.conference.endpoint_id,
                                   role="responder", include_mids=offer.content_mids)
        session.answered.set()
        if not await self._request(jingle.accept(answer, responder=xmpp.jid if xmpp else None)):
            await self._end(notify=False, reason="general-error", session=session)
            return
        urls = offer.transport.web_sockets
        if urls and not session.ended:
            session.channel = BridgeChannelClient(
                urls, on_event=lambda event: self._on_channel_event(session, event),
                trust=getattr(getattr(self.conference, "options", None), "trust", None))
            self._send_view()
            self._send_video_type()
            session.channel.start()

    async def _negotiate(self, session: _Session) -> None:
        """Apply the offer as it stands now and answer it (callers hold ``session.lock``)."""
        pc = session.pc
        try:
            await pc.setRemoteDescription(RTCSessionDescription(session.offer.sdp(), "offer"))
            await pc.setLocalDescription(await pc.createAnswer())
        except _AIORTC_ERRORS as exc:
            raise errors.MediaConnectionError(reason=str(exc) or type(exc).__name__) from exc

    async def _sources_added(self, session: _Session, description: SessionDescription) -> None:
        async with session.lock:
            if session.ended:
                return
            if not session.offer.add_sources(description):
                return
            try:
                await self._negotiate(session)
            except errors.MediaError as error:
                await self._fail(session, error)
                return
        self._send_view()

    async def _participant_left(self, endpoint_id: str) -> None:
        session = self._session
        if session is not None:
            await self._reject(session, lambda offer: offer.remove_owner(endpoint_id))

    async def _reject(self, session: _Session, reject: Callable[[BridgeOffer], list[BridgeLine]]) -> None:
        async with session.lock:
            if session.ended:
                return
            lines = reject(session.offer)
            if not lines:
                return
            for line in lines:
                remote = session.tracks.pop(line.mid, None)
                if remote is not None:
                    self._unregister(remote.source_name)
                    self._stop_drain(remote.source_name)
            try:
                await self._negotiate(session)
            except errors.MediaError as error:
                await self._fail(session, error)
                return
            for line in lines:
                await _stop_receiver(session.pc, line.mid)
        self._send_view()

    async def _add_candidates(self, session: _Session, description: SessionDescription) -> None:
        await session.answered.wait()
        for content in description.contents:
            if content.transport is None:
                continue
            for candidate in content.transport.candidates:
                if candidate.protocol == "udp" and not session.ended:
                    await session.pc.addIceCandidate(_aiortc_candidate(candidate, content.name))

    def _on_track(self, session: _Session, track: MediaStreamTrack) -> None:
        transceiver = next((t for t in session.pc.getTransceivers() if t.receiver.track is track), None)
        if transceiver is None or transceiver.mid is None:
            return
        line = session.offer.line(transceiver.mid)
        if line is None or line.rejected or line.is_content_line or not line.source_name:
            return        # the bridge's own lines never carry a participant's media
        _disable_remb(transceiver.receiver)
        remote = RemoteTrack(line.source_name, line.owner, line.media, line.mid, track,
                             transceiver.receiver)
        session.tracks[line.mid] = remote
        if self._suspended and line.owner == self._p2p_peer:
            self._start_drain(remote)
        else:
            self._register(remote)

    def _on_connection_state(self, session: _Session) -> None:
        state = session.pc.connectionState
        if session is not self._session or session.ended:
            return
        if state == "connected" and not session.connected:
            session.connected = True
            self.conference.emit(MediaConnected(None, MODE, False))
        elif state == "failed":
            log.warning("ICE/DTLS with the bridge failed; asking Jicofo for a new session")
            self.conference.emit(MediaError(errors.MediaConnectionLostError()))
            self._spawn(self._end(notify=True, reason="connectivity-error", text="ICE FAILED",
                                  restart=True, session=session))

    async def _fail(self, session: _Session, error: errors.MediaError) -> None:
        if session.ended or session.pc.signalingState == "closed":
            return      # the session was ended (left, replaced) while this step ran: no failure
        log.warning("bridge session failed: %s", error)
        self.conference.emit(MediaError(error))
        await self._end(notify=True, reason="failed-application", text=str(error), session=session)

    async def _end(self, *, notify: bool, reason: str, text: str | None = None,
                   restart: bool = False, session: _Session | None = None) -> None:
        session = session or self._session
        if session is None or session.ended:
            return
        session.ended = True
        self._ending.add(session)
        if self._session is session:
            self._session = None
        if notify:
            terminate = session.jingle.terminate(reason, text)
            if terminate is not None:
                jingle = find_jingle(terminate)
                if jingle is not None and session.bridge_session_id:
                    # Jicofo re-invites (a new session-initiate) when asked to restart
                    jingle.append(el(f"{{{NS_JITSI_FOCUS}}}bridge-session", {
                        "id": session.bridge_session_id, "restart": "true" if restart else "false"}))
                self._spawn(self._request(terminate, timeout_s=5.0))
        # before the first await: a new session (Jicofo's re-invite) may register the same names
        for remote in session.tracks.values():
            self._unregister(remote.source_name)
            self._stop_drain(remote.source_name)
        session.tracks.clear()
        try:
            if session.channel is not None:
                await session.channel.close()
            await session.pc.close()
        finally:
            session.closed.set()
            self._ending.discard(session)
        self.dominant_speaker = None
        self.forwarded_sources = None
        self.conference.emit(MediaDisconnected(None, MODE, reason))

    # --- the bridge channel -------------------------------------------------------------------

    def _on_channel_event(self, session: _Session, event: BridgeChannelEvent) -> None:
        if session is not self._session:
            return
        if isinstance(event, ChannelOpened):
            log.info("bridge channel open: %s", event.url.split("?", 1)[0])
        elif isinstance(event, DominantSpeakerEndpointChangeEvent):
            self.dominant_speaker = event.dominant_speaker_endpoint
            self.conference.emit(DominantSpeakerChanged(event.dominant_speaker_endpoint,
                                                        event.previous_speakers))
        elif isinstance(event, ForwardedSources):
            if event.forwarded_sources != self.forwarded_sources:
                self.forwarded_sources = event.forwarded_sources
                self.conference.emit(ForwardedSourcesChanged(event.forwarded_sources))
        elif isinstance(event, SenderSourceConstraints):
            if event.source_name == our_source_name(self.conference.endpoint_id or "", "video"):
                self._constrain(event.max_height)
        elif isinstance(event, EndpointMessage) and event.sender:
            payload = event.payload.get("msgPayload")
            if isinstance(payload, dict) and payload.get("type") == "e2e-ping-request":
                # lib-jitsi-meet measures end-to-end RTT with these; answer like a browser
                self.send_endpoint_message(event.sender, {"type": "e2e-ping-response",
                                                          "id": payload.get("id")})
            else:
                self.conference.emit(EndpointMessageReceived(event.sender, payload))

    def _send_view(self) -> None:
        session = self._session
        if session is not None and session.channel is not None:
            session.channel.set_view(self.current_view())

    def _send_video_type(self) -> None:
        session = self._session
        endpoint = self.conference.endpoint_id
        if session is None or session.channel is None or not endpoint:
            return
        muted = self.media.local.is_muted("video")
        session.channel.set_source_video_type(our_source_name(endpoint, "video"),
                                              "none" if muted else "camera")

    def _constrain(self, max_height: int) -> None:
        """The bridge says how much of our video anyone watches (0: nobody, −1: no limit)."""
        height = None if max_height == UNLIMITED else max_height
        if height == self._sender_height:
            return
        self._sender_height = height
        if not self._suspended:
            self.media.local.video_track.constrain(height)
        self.conference.emit(SendConstraintChanged(height))

    # --- P2P in charge ------------------------------------------------------------------------

    def _suspend(self, peer: str | None) -> None:
        """P2P is connected: stop using the bridge as lib-jitsi-meet does (no renegotiation)."""
        if self._suspended:
            return
        self._suspended = True
        self._p2p_peer = peer
        self._attach_local_tracks()
        session = self._session
        if session is not None:
            for remote in session.tracks.values():
                # the peer is shown from the P2P session now; ours are drained
                self._unregister(remote.source_name)
                self._start_drain(remote)
        self._send_view()

    def _resume(self) -> None:
        """P2P ended (or never connected): the bridge carries the media again."""
        if self._suspended:
            self._suspended = False
            self._p2p_peer = None
            self._attach_local_tracks()
            self.media.local.video_track.constrain(self._sender_height)
        session = self._session
        if session is not None:
            for remote in session.tracks.values():
                self._stop_drain(remote.source_name)
                # ending a P2P session drops every remote source in the media layer, ours too
                if self.media._received.get(remote.source_name) is None:
                    self._registered.discard(remote.source_name)
                    self._register(remote)
        self._send_view()

    def _attach_local_tracks(self) -> None:
        if self._session is None:
            return
        local = self.media.local
        for media, sender in self._session.senders.items():
            # one local track can feed only one sender: P2P has it while it runs
            track = None if self._suspended else (local.audio_track if media == "audio"
                                                  else local.video_track)
            if sender.track is not track:
                sender.replaceTrack(track)

    # --- remote tracks into the media layer -----------------------------------------------------

    def _register(self, remote: RemoteTrack) -> None:
        self._registered.add(remote.source_name)
        self.media._on_remote_track(TrackReceived(remote))

    def _unregister(self, source_name: str) -> None:
        if source_name not in self._registered:
            return
        self._registered.discard(source_name)
        # the media layer keys sources by name: if the P2P session has this source too,
        # hand the name back to it instead of removing the participant's picture
        p2p = self.media.session
        p2p_remote = p2p.remote_tracks.get(source_name) if p2p is not None else None
        if p2p_remote is not None:
            self.media._on_remote_track(TrackReceived(p2p_remote))
        else:
            self.media._remove_remote(source_name)

    def _start_drain(self, remote: RemoteTrack) -> None:
        """aiortc queues decoded frames without limit: read what nobody shows."""
        if remote.source_name in self._drains:
            return

        async def drain() -> None:
            try:
                while True:
                    await remote.track.recv()
            except MediaStreamError:
                pass
        self._drains[remote.source_name] = self._spawn(drain())

    def _stop_drain(self, source_name: str) -> None:
        task = self._drains.pop(source_name, None)
        if task is not None:
            task.cancel()

    # --- helpers --------------------------------------------------------------------------------

    def _spawn(self, coroutine) -> asyncio.Task:  # noqa: ANN001
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)

        def done(finished: asyncio.Task) -> None:
            self._tasks.discard(finished)
            if not finished.cancelled() and finished.exception() is not None:
                log.error("bridge task failed", exc_info=finished.exception())
        task.add_done_callback(done)
        return task


def _bridge_session_id(request: JingleRequest) -> str | None:
    jingle = request.element
    if jingle is None:
        return None
    element = jingle.find(f"{{{NS_JITSI_FOCUS}}}bridge-session")
    return element.get("id") if element is not None else None


def _prefer_codecs(transceiver: Any, media: str) -> None:
    wanted = AUDIO_CODECS if media == "audio" else VIDEO_CODECS
    capabilities = RTCRtpSender.getCapabilities(media).codecs
    preferred = [c for name in wanted for c in capabilities if c.mimeType.lower() == name.lower()]
    preferred += [c for c in capabilities if c.mimeType.lower() == f"{media}/rtx"]
    transceiver.setCodecPreferences(preferred)


def _disable_remb(receiver: Any) -> None:
    # One estimator per receiver, and JVB takes each REMB as our *whole* downlink (§7.3): off.
    if hasattr(receiver, "_RTCRtpReceiver__remote_bitrate_estimator"):
        receiver._RTCRtpReceiver__remote_bitrate_estimator = None


async def _stop_receiver(pc: RTCPeerConnection, mid: str) -> None:
    """A rejected m-line's receiver keeps its decoder thread in aiortc: stop it."""
    for transceiver in pc.getTransceivers():
        if transceiver.mid == mid:
            try:
                await transceiver.receiver.stop()
            except Exception as exc:  # noqa: BLE001 - cleanup only
                log.debug("stopping the receiver of %s: %r", mid, exc)
            return


__all__ = ["BridgeCall"]
