"""CallMedia: the media side of one meeting — P2P Jingle sessions, local and remote media.

It listens to the ``Conference`` (participants come and go), decides with
``P2PPolicy`` when a peer-to-peer session runs and who starts it, speaks Jingle
with the other participant through the conference (``add_stanza_handler`` claims
Jingle IQs from room occupants other than the focus; ``send`` answers), and drives
one ``MediaSession``.  It
publishes our sources in presence and reports media events through
``conference.emit``: ``MediaConnected``, ``RemoteTrackAdded``/``Removed``,
``FirstFrame``, ``LocalMuteChanged``, ``SendConstraintChanged``, ``MediaError``,
``MediaStats``, ``MediaDisconnected``.

The UI takes remote video from ``frames(source_name)`` and the preview from
``preview``; ``set_muted`` is the mute button.  Sessions with the bridge (Jicofo's
session-initiate from the focus) are a later step: those IQs are not claimed here.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from typing import Any, Callable

from client import errors
from client.jitsi.description import SessionDescription
from client.jitsi.disco import Capabilities
from client.jitsi.events import (
    ConferenceEnded,
    ConferenceEvent,
    Connected,
    FirstFrame,
    Joined,
    Left,
    LocalMuteChanged,
    MediaConnected,
    MediaDisconnected,
    MediaError,
    MediaStats,
    MuteRequested,
    ParticipantJoined,
    ParticipantLeft,
    ParticipantUpdated,
    Reconnecting,
    RemoteTrackAdded,
    RemoteTrackRemoved,
    SendConstraintChanged,
    SourceInfo,
    StreamStats,
)
from client.jitsi.jingle import (
    Action,
    JingleEvent,
    JingleRequest,
    JingleSession,
    ReceiverConstraints,
    RemoteAccepted,
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
from client.jitsi.p2p import AcceptOffer, DeclineOffer, P2PAction, P2PPolicy, StartP2P, StopP2P
from client.jitsi.sdp import our_source_name
from client.jitsi.stanza import Element, Jid, split_tag
from client.jitsi.view import ask_height
from client.media.frames import FramePump
from client.media.local import LocalMedia, MediaOptions
from client.media.playback import AudioPlayback
from client.media.recovery import KeyframeRecovery
from client.media.session import (
    ConnectionStateChanged,
    MediaSession,
    SessionEvent,
    TrackEnded,
    TrackReceived,
)

log = logging.getLogger("treffpunkt.media")

#: what our decoders take; published as jitsi_participant_codecList (JoinOptions.codecs)
MEDIA_CODECS = ("vp8", "h264")


def media_capabilities() -> Capabilities:
    """The disco features for what this media layer implements (media spec §1.2, §7):
    audio, video, RTX; no transport-cc, no opus-red, no REMB claim, no SCTP (P2P only)."""
    return Capabilities.with_media(audio=True, video=True, rtx=True)


@dataclass
class _P2PCall:
    peer: str
    jingle: JingleSession
    media: MediaSession
    initiator: bool
    remote_set: asyncio.Event = field(default_factory=asyncio.Event)
    #: one local renegotiation at a time (the peer's source changes)
    renegotiation: asyncio.Lock = field(default_factory=asyncio.Lock)
    #: both descriptions exchanged (our session-accept acknowledged, or the peer's applied)
    active: asyncio.Event = field(default_factory=asyncio.Event)
    #: the video height last asked of the peer (content-modify); None: not asked yet
    asked_height: int | None = None
    connected: bool = False
    ended: bool = False


@dataclass
class _Received:
    endpoint_id: str
    media: str
    first_at: float | None = None
    frames: int = 0
    fps: float = 0.0


class CallMedia:
    """The media of one meeting.  ``await start()`` once; ``await close()`` at the end."""

    def __init__(self, conference: Any, options: MediaOptions = MediaOptions(), *,
                 p2p_enabled: bool = True, clock: Callable[[], float] = time.monotonic) -> None:
        self.conference = conference
        self.options = options
        self._clock = clock
        self._p2p_enabled = p2p_enabled
        self.local = LocalMedia(options, on_mute_changed=self._on_local_mute,
                                on_error=self._on_local_error)
        self.playback = AudioPlayback(self.local.audio_io, device=_device_id(options.speaker),
                                      on_error=self._on_playback_error)
        self.playback.on_first_frame(self._on_first_audio)
        self._policy: P2PPolicy | None = None
        self._call: _P2PCall | None = None
        self._pumps: dict[str, FramePump] = {}
        #: asks senders for keyframes when a remote video stays undecodable
        self.keyframe_recovery = KeyframeRecovery()
        self._received: dict[str, _Received] = {}
        self._ended_stats: dict[str, StreamStats] = {}
        self._remove_listener: Callable[[], None] | None = None
        self._remove_handler: Callable[[], None] | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._tasks: set[asyncio.Task] = set()
        #: peer connections being closed: awaited, never cancelled (decoder threads end there)
        self._closing: set[asyncio.Task] = set()
        self._max_height: int | None = None
        #: the call window's tiles (endpoint id → height px); None: headless, ask nothing
        self._tile_heights: dict[str, int] | None = None
        self._closed = False
        self._started_at = clock()

    # --- public ----------------------------------------------------------------------------

    async def start(self) -> None:
        """Open our devices (as the pre-join choices say) and follow the conference."""
        await self.local.start()
        self._remove_listener = self.conference.add_listener(self._on_conference_event)
        self._remove_handler = self.conference.add_stanza_handler(self._on_stanza)
        if getattr(self.conference, "joined", False) and self.conference.endpoint_id:
            self._on_joined(self.conference.endpoint_id)
            for occupant in self.conference.occupants.values():
                self._apply(self._policy.participant_joined(
                    occupant.endpoint_id, self._clock(), features=occupant.features))

    @property
    def preview(self) -> FramePump:
        """Our own camera (or test pattern), for the self view."""
        return self.local.preview

    def frames(self, source_name: str) -> FramePump | None:
        """Decoded video of a remote source (newest frame wins), or None if not received."""
        return self._pumps.get(source_name)

    @property
    def session(self) -> MediaSession | None:
        return self._call.media if self._call is not None else None

    @property
    def connected(self) -> bool:
        return self._call is not None and self._call.connected

    def show_endpoints(self, heights_px: dict[str, int] | None) -> None:
        """The tiles on screen (endpoint id → height px): in a P2P call the peer is asked
        for its video at its tile's size only, and for none while its tile is hidden
        (content-modify, as lib-jitsi-meet does) — the P2P side of "cost follows the screen"."""
        self._tile_heights = None if heights_px is None else dict(heights_px)
        if self._call is not None:
            self._spawn(self._ask_peer_for_video(self._call))

    async def set_muted(self, media: str, muted: bool) -> bool:
        """Microphone ('audio') or camera ('video') off/on.  False if it could not be switched on."""
        return await self.local.set_muted(media, muted, reason="user")

    def is_muted(self, media: str) -> bool:
        return self.local.is_muted(media)

    def stats(self) -> MediaStats:
        """Counters of every source received in this meeting (ended ones included)."""
        streams = dict(self._ended_stats)
        for name, received in self._received.items():
            streams[name] = self._stream_stats(name, received)
        return MediaStats(tuple(streams[name] for name in sorted(streams)))

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._remove_listener is not None:
            self._remove_listener()
        if self._remove_handler is not None:
            self._remove_handler()
        if self._timer is not None:
            self._timer.cancel()
        await self._end_call(notify=False, reason="success")
        await self.keyframe_recovery.close()
        for task in list(self._tasks):
            task.cancel()
        if self._closing:
            await asyncio.wait(list(self._closing), timeout=10)
        await self.playback.close()
        await self.local.close()

    # --- conference events ------------------------------------------------------------------

    def _on_conference_event(self, event: ConferenceEvent) -> None:
        if isinstance(event, Connected):
            # before the join presence goes out: it must carry our sources' mute state
            self._publish_sources()
        elif isinstance(event, Joined):
            self._on_joined(event.endpoint_id)
        elif self._policy is None:
            return
        elif isinstance(event, ParticipantJoined):
            self._apply(self._policy.participant_joined(event.endpoint_id, self._clock(),
                                                        features=event.features))
        elif isinstance(event, ParticipantUpdated):
            self._apply(self._policy.participant_updated(event.endpoint_id, self._clock(),
                                                         features=event.features))
        elif isinstance(event, ParticipantLeft):
            self._apply(self._policy.participant_left(event.endpoint_id, self._clock()))
            self._drop_endpoint(event.endpoint_id)
        elif isinstance(event, MuteRequested) and event.media in ("audio", "video"):
            self._spawn(self.local.set_muted(event.media, True, reason="moderator"))
        elif isinstance(event, (Reconnecting, Left, ConferenceEnded)):
            self._policy.reset()
            self._policy = None
            # now, not in a task: nothing may be emitted after ConferenceEnded
            call = self._call
            if self._finish_call(notify=False, reason="success") and call is not None:
                self._close_later(call.media)
            elif self._ended_stats:
                self.conference.emit(self.stats())

    def _on_joined(self, endpoint_id: str) -> None:
        # a reconnect brings a new XMPP connection and maybe a new endpoint id
        if self._call is not None:
            self._spawn(self._end_call(notify=False, reason="success"))
        self._policy = P2PPolicy(endpoint_id, enabled=self._p2p_enabled)
        self._publish_sources()

    def _publish_sources(self) -> None:
        endpoint = self.conference.endpoint_id
        if not endpoint:
            return
        self.conference.set_sources({
            our_source_name(endpoint, "audio"): SourceInfo(muted=self.local.is_muted("audio")),
            our_source_name(endpoint, "video"): SourceInfo(muted=self.local.is_muted("video"),
                                                           video_type="camera"),
        })

    def _apply(self, actions: list[P2PAction]) -> None:
        for action in actions:
            if isinstance(action, StartP2P):
                self._spawn(self._initiate(action.peer))
            elif isinstance(action, StopP2P):
                self._spawn(self._end_call(notify=action.notify, reason=action.reason,
                                           text=action.text))
        self._arm_timer()

    def _arm_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        due = self._policy.next_timer() if self._policy is not None else None
        if due is not None:
            delay = max(0.0, due - self._clock())
            self._timer = asyncio.get_running_loop().call_later(delay, self._on_timer)

    def _on_timer(self) -> None:
        self._timer = None
        if self._policy is not None:
            self._apply(self._policy.on_timer(self._clock()))

    # --- Jingle IQs -------------------------------------------------------------------------------

    def _our_occupant(self) -> Jid:
        room: Jid = self.conference.room_jid
        return room.with_resource(self.conference.endpoint_id)

    def _on_stanza(self, stanza: Element) -> bool:
        """Claim Jingle sets from other occupants of our room (P2P); the focus's are not ours."""
        if split_tag(stanza.tag)[1] != "iq" or stanza.get("type") != "set" or find_jingle(stanza) is None:
            return False
        room = self.conference.room_jid
        sender = stanza.get("from") or ""
        bare, _, resource = sender.partition("/")
        if room is None or bare.lower() != str(room).lower() or not resource or resource == "focus":
            return False
        try:
            request = parse_jingle_iq(stanza)
        except UnknownActionError:
            self.conference.send(error_for(stanza, "bad-request"))
            return True
        except errors.RemoteProtocolError as exc:
            log.warning("bad Jingle request from %s: %s", sender, exc)
            self.conference.send(error_for(stanza, "bad-request"))
            return True
        if request.action is Action.SESSION_INITIATE:
            self._on_session_initiate(stanza, request, resource)
            return True
        call = self._call
        if call is None or call.jingle.sid != request.sid:
            self.conference.send(unknown_session_reply(stanza))
            return True
        reply, events = call.jingle.receive(stanza, request)
        self.conference.send(reply)
        for event in events:
            self._on_jingle_event(call, event)
        return True

    def _on_session_initiate(self, stanza: Element, request: JingleRequest, peer: str) -> None:
        if self._call is not None and self._call.jingle.sid == request.sid:
            self.conference.send(error_for(stanza, "service-unavailable"))
            return
        self.conference.send(result_for(stanza))
        decision = self._policy.incoming_offer(peer, self._clock()) if self._policy else \
            DeclineOffer(peer, "decline", "P2P requirements not met")
        if isinstance(decision, AcceptOffer):
            self._spawn(self._answer(request, peer))
            return
        assert isinstance(decision, DeclineOffer)
        log.info("declining P2P from %s: %s", peer, decision.text)
        session = JingleSession.incoming(request, local=self._our_occupant())
        terminate = session.terminate(decision.reason, decision.text)
        if terminate is not None:
            self._spawn(self._request(terminate))

    def _on_jingle_event(self, call: _P2PCall, event: JingleEvent) -> None:
        if isinstance(event, RemoteAccepted):
            self._spawn(self._apply_answer(call, event.description))
        elif isinstance(event, RemoteTransportInfo):
            self._spawn(self._add_candidates(call, event.description))
        elif isinstance(event, RemoteSourcesAdded):
            self._spawn(self._change_sources(call, added=event.description))
        elif isinstance(event, RemoteSourcesRemoved):
            self._spawn(self._change_sources(
                call, removed={s.ssrc for _, s in event.description.all_sources()}))
        elif isinstance(event, ReceiverConstraints):
            height = event.request.effective_height
            if event.request.video_senders == "none":
                height = 0
            self._constrain(height)
        elif isinstance(event, SessionEnded):
            log.info("P2P session ended by %s: %s", call.peer, event.reason)
            if self._policy is not None:
                self._policy.session_ended()
            self._spawn(self._end_call(notify=False, reason=event.reason.condition, call=call))

    async def _request(self, iq: Element, timeout_s: float = 10.0) -> bool:
        xmpp = self.conference.xmpp
        if xmpp is None:
            return False
        try:
            await xmpp.iq(iq, timeout_s=timeout_s)
            return True
        except errors.TreffpunktError as exc:
            log.info("Jingle request %s to %s failed: %s", iq.get("id"), iq.get("to"), exc)
            return False

    # --- the P2P session ----------------------------------------------------------------------

    def _new_media(self) -> MediaSession:
        media = MediaSession(endpoint_id=self.conference.endpoint_id,
                             ice_servers=list(self.conference.ice_servers or ()),
                             audio=self.local.audio_track, video=self.local.video_track,
                             on_event=lambda event: self._on_session_event(media, event))
        for kind in ("audio", "video"):
            media.set_muted(kind, self.local.is_muted(kind))
        return media

    async def _initiate(self, peer: str) -> None:
        room: Jid = self.conference.room_jid
        jingle = JingleSession.outgoing(local=self._our_occupant(), peer=room.with_resource(peer))
        media = self._new_media()
        call = self._call = _P2PCall(peer, jingle, media, initiator=True)
        try:
            offer = await media.offer()
        except errors.MediaError as error:
            await self._fail(call, error)
            return
        if call.ended:
            return
        if not await self._request(jingle.initiate(offer)):
            if self._policy is not None:
                self._policy.session_ended()
            await self._end_call(notify=False, reason="general-error", call=call)

    async def _apply_answer(self, call: _P2PCall, answer: SessionDescription) -> None:
        try:
            await call.media.accept_answer(answer, peer_endpoint=call.peer)
        except errors.MediaError as error:
            await self._fail(call, error)
            return
        call.remote_set.set()
        call.active.set()
        self._spawn(self._ask_peer_for_video(call))

    async def _answer(self, request: JingleRequest, peer: str) -> None:
        jingle = JingleSession.incoming(request, local=self._our_occupant())
        media = self._new_media()
        call = self._call = _P2PCall(peer, jingle, media, initiator=False)
        try:
            answer = await media.answer(request.description, peer_endpoint=peer)
        except errors.MediaError as error:
            await self._fail(call, error)
            return
        if call.ended:
            return
        call.remote_set.set()
        xmpp = self.conference.xmpp
        accept = jingle.accept(answer, responder=xmpp.jid if xmpp is not None else None)
        if not await self._request(accept):
            if self._policy is not None:
                self._policy.session_ended()
            await self._end_call(notify=False, reason="general-error", call=call)
            return
        call.active.set()
        self._spawn(self._ask_peer_for_video(call))

    async def _add_candidates(self, call: _P2PCall, description: SessionDescription) -> None:
        # trickled candidates may come before our description is in place
        await call.remote_set.wait()
        if not call.ended:
            await call.media.add_remote_candidates(description)

    async def _ask_peer_for_video(self, call: _P2PCall) -> None:
        if self._tile_heights is None or call.ended:
            return
        await call.active.wait()
        height = ask_height(self._tile_heights.get(call.peer, 0))
        if call.ended or height == call.asked_height:
            return
        call.asked_height = height
        request = call.jingle.content_modify(
            max_height=height, source_heights={our_source_name(call.peer, "video"): height})
        await self._request(request)

    async def _change_sources(self, call: _P2PCall, *, added: SessionDescription | None = None,
                              removed: set[int] | None = None) -> None:
        """The peer turned a camera/microphone on or off as a new source (source-add/-remove)."""
        await call.remote_set.wait()
        async with call.renegotiation:
            if call.ended:
                return
            try:
                await call.media.change_remote_sources(added=added, removed_ssrcs=removed or ())
            except errors.MediaError as error:
                await self._fail(call, error)

    async def _fail(self, call: _P2PCall, error: errors.MediaError) -> None:
        log.warning("P2P session with %s failed: %s", call.peer, error)
        self.conference.emit(MediaError(error))
        if self._policy is not None:
            self._policy.session_ended()
        await self._end_call(notify=True, reason="failed-application", text=str(error), call=call)

    def _on_session_event(self, media: MediaSession, event: SessionEvent) -> None:
        call = self._call
        if call is None or call.media is not media:
            return
        if isinstance(event, TrackReceived):
            self._on_remote_track(event)
        elif isinstance(event, TrackEnded):
            self._remove_remote(event.source_name)
        elif isinstance(event, ConnectionStateChanged):
            if event.state == "connected" and not call.connected:
                call.connected = True
                self.conference.emit(MediaConnected(call.peer, "p2p", call.initiator,
                                                    self._elapsed()))
            elif event.state == "failed" and not call.ended:
                self.conference.emit(MediaError(errors.MediaConnectionLostError()))
                if self._policy is not None:
                    self._policy.session_ended()
                self._spawn(self._end_call(notify=True, reason="connectivity-error",
                                           text="ICE FAILED", call=call))

    async def _end_call(self, *, notify: bool, reason: str, text: str | None = None,
                        call: _P2PCall | None = None) -> None:
        call = call or self._call
        if self._finish_call(notify=notify, reason=reason, text=text, call=call) and call:
            # shielded: cancelling this task must not cut the peer connection's close short
            await asyncio.shield(self._close_later(call.media))

    def _finish_call(self, *, notify: bool, reason: str, text: str | None = None,
                     call: _P2PCall | None = None) -> bool:
        """End the session's bookkeeping and report it at once (stats, removed tracks,
        disconnected); the caller closes the peer connection.  False: nothing to end."""
        call = call or self._call
        if call is None or call.ended:
            return False
        call.ended = True
        if self._call is call:
            self._call = None
        if notify:
            terminate = call.jingle.terminate(reason, text)
            if terminate is not None:
                self._spawn(self._request(terminate, timeout_s=5.0))
        self.conference.emit(self.stats())
        for name in list(self._received):
            self._remove_remote(name)
        self.conference.emit(MediaDisconnected(call.peer, "p2p", reason))
        return True

    # --- remote media -----------------------------------------------------------------------------

    def _on_remote_track(self, event: TrackReceived) -> None:
        remote = event.remote
        endpoint = remote.endpoint_id or (self._call.peer if self._call else "")
        self._remove_remote(remote.source_name, report=False)
        self._received[remote.source_name] = _Received(endpoint, remote.media)
        if remote.media == "video":
            pump = FramePump(remote.track, name=remote.source_name).start()
            self._pumps[remote.source_name] = pump
            pump.add_listener(lambda frame, name=remote.source_name: self._on_video_frame(name, frame))
            if remote.receiver is not None:
                self.keyframe_recovery.watch(remote.source_name, remote.receiver,
                                             lambda pump=pump: pump.frames_received)
        else:
            self.playback.add_track(remote.source_name, remote.track)
        self.conference.emit(RemoteTrackAdded(endpoint, remote.source_name, remote.media))

    def _on_video_frame(self, source_name: str, frame) -> None:  # noqa: ANN001
        received = self._received.get(source_name)
        if received is None or received.first_at is not None:
            return
        received.first_at = self._clock()
        self.conference.emit(FirstFrame(received.endpoint_id, source_name, "video",
                                        frame.width, frame.height, self._elapsed()))

    def _on_first_audio(self, source_name: str) -> None:
        received = self._received.get(source_name)
        if received is None or received.first_at is not None:
            return
        received.first_at = self._clock()
        self.conference.emit(FirstFrame(received.endpoint_id, source_name, "audio",
                                        elapsed_s=self._elapsed()))

    def _stream_stats(self, name: str, received: _Received) -> StreamStats:
        if received.media == "video":
            pump = self._pumps.get(name)
            frames = pump.frames_received if pump else received.frames
            fps = pump.fps if pump else received.fps
            if pump is not None and received.first_at is not None and frames > 1:
                # the average over the whole stream, steadier than the last two seconds
                fps = frames / max(1e-3, self._clock() - received.first_at)
        else:
            frames = self.playback.frames(name) or received.frames
            fps = frames / max(1e-3, self._clock() - received.first_at) if received.first_at else 0.0
        return StreamStats(received.endpoint_id, name, received.media, frames, round(fps, 2))

    def _remove_remote(self, source_name: str, *, report: bool = True) -> None:
        received = self._received.pop(source_name, None)
        if received is None:
            return
        stats = self._stream_stats(source_name, received)
        self._ended_stats[source_name] = stats
        pump = self._pumps.pop(source_name, None)
        self.keyframe_recovery.unwatch(source_name)
        if pump is not None:
            self._spawn(pump.stop())
        self.playback.remove(source_name)
        if report:
            self.conference.emit(RemoteTrackRemoved(received.endpoint_id, source_name, received.media))

    def _drop_endpoint(self, endpoint_id: str) -> None:
        for name, received in list(self._received.items()):
            if received.endpoint_id == endpoint_id:
                self._remove_remote(name)

    # --- local media --------------------------------------------------------------------------------

    def _on_local_mute(self, media: str, muted: bool, reason: str) -> None:
        if self._call is not None:
            self._call.media.set_muted(media, muted)
        if self.conference.endpoint_id:
            self.conference.set_muted(media, muted)
        if reason != "start":
            self.conference.emit(LocalMuteChanged(media, muted, reason))

    def _on_local_error(self, error: errors.MediaError, media: str) -> None:
        self.conference.emit(MediaError(error, media))

    def _on_playback_error(self, error: errors.MediaError) -> None:
        label = self.options.speaker.label if self.options.speaker else "speaker"
        self.conference.emit(MediaError(errors.SpeakerUnavailableError(
            device=label, reason=error.details.get("reason", str(error))), "audio"))

    def _constrain(self, height: int | None) -> None:
        if height == self._max_height:
            return
        self._max_height = height
        self.local.video_track.constrain(height)
        self.conference.emit(SendConstraintChanged(height))

    # --- helpers ------------------------------------------------------------------------------------

    def _close_later(self, media: MediaSession) -> asyncio.Task:
        task = asyncio.ensure_future(media.close())
        self._closing.add(task)
        task.add_done_callback(self._closing.discard)
        return task

    def _elapsed(self) -> float:
        return round(self._clock() - self._started_at, 3)

    def _spawn(self, coroutine) -> asyncio.Task:  # noqa: ANN001
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)

        def done(finished: asyncio.Task) -> None:
            self._tasks.discard(finished)
            if not finished.cancelled() and finished.exception() is not None:
                log.error("media task failed", exc_info=finished.exception())
        task.add_done_callback(done)
        return task


def _device_id(device) -> int | None:  # noqa: ANN001
    if device is None:
        return None
    try:
        return int(device.id)
    except ValueError:
        return None
