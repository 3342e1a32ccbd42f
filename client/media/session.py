"""MediaSession: one aiortc RTCPeerConnection driven by Jingle description models.

It answers an offer (``answer``), makes one (``offer`` → ``accept_answer``), takes
trickled candidates, and mutes or stops video by swapping the sender's track — never
by renegotiating, the way lib-jitsi-meet does (the source stays signalled).

Privacy: the ICE servers are exactly the ones the Jitsi server advertised (XEP-0215
or config.js ``p2p.stunServers``).  aiortc falls back to Google's public STUN server
when ``iceServers`` is None, so the configuration is always an explicit list, even
an empty one (``ice_configuration``).

Remote tracks are reported with the Jitsi source name they carry: every remote
source has an m-line of its own (client/jitsi/sdp.py), and the m-line's mid tells
which source it is.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Sequence

from aiortc import (
    RTCBundlePolicy,
    RTCConfiguration,
    RTCIceCandidate,
    RTCIceServer,
    RTCPeerConnection,
    RTCRtpSender,
    RTCSessionDescription,
)
from aiortc.exceptions import InternalError, InvalidAccessError, InvalidStateError, OperationError
from aiortc.mediastreams import MediaStreamTrack

from client.errors import MediaConnectionError
from client.jitsi.description import Candidate, SessionDescription
from client.jitsi.extdisco import IceServer
from client.jitsi.sdp import MediaLine, RemoteSdp, local_description, remote_sdp
from client.jitsi.source_changes import with_sources_added, with_sources_removed

log = logging.getLogger("treffpunkt.media")

#: What we send and accept, in order of preference.  VP8 is what every Jitsi peer can
#: decode; H264 (constrained baseline) is the alternative; opus is the only audio codec.
VIDEO_CODECS = ("video/VP8", "video/H264")
AUDIO_CODECS = ("audio/opus",)

#: aiortc's own default when it is given no ICE server list; must never be used.
AIORTC_DEFAULT_STUN = "stun:stun.l.google.com:19302"

_AIORTC_ERRORS = (InternalError, InvalidAccessError, InvalidStateError, OperationError, ValueError)


def ice_configuration(servers: Iterable[IceServer]) -> RTCConfiguration:
    """aiortc configuration with exactly ``servers`` (possibly none; never aiortc's default)."""
    ice_servers = [RTCIceServer(urls=list(server.urls), username=server.username,
                                credential=server.credential) for server in servers]
    # max-bundle: with aiortc's default (balanced) an extra remote video m-line created
    # from an offer is left on a transport that BUNDLE then discards, so it never
    # receives (bridge offers carry one m-line per remote source).
    return RTCConfiguration(iceServers=ice_servers, bundlePolicy=RTCBundlePolicy.MAX_BUNDLE)


# --- what the session reports -------------------------------------------------------------

@dataclass(frozen=True)
class RemoteTrack:
    """A remote source being received."""

    source_name: str
    endpoint_id: str | None
    media: str
    mid: str
    track: MediaStreamTrack
    #: the aiortc RTCRtpReceiver behind ``track`` (keyframe requests), if known
    receiver: Any = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class SessionEvent:
    pass


@dataclass(frozen=True)
class TrackReceived(SessionEvent):
    remote: RemoteTrack


@dataclass(frozen=True)
class TrackEnded(SessionEvent):
    """The peer stopped sending a source (source-remove): no longer received."""

    source_name: str


@dataclass(frozen=True)
class ConnectionStateChanged(SessionEvent):
    """aiortc's connection state: new, connecting, connected, failed, closed."""

    state: str


class MediaSession:
    """One peer connection.  Our tracks go in at construction; either may be None (off)."""

    def __init__(self, *, endpoint_id: str, ice_servers: Sequence[IceServer] = (),
                 audio: MediaStreamTrack | None = None, video: MediaStreamTrack | None = None,
                 on_event: Callable[[SessionEvent], None] = lambda event: None) -> None:
        self.endpoint_id = endpoint_id
        self.configuration = ice_configuration(ice_servers)
        self._pc = RTCPeerConnection(self.configuration)
        self._on_event = on_event
        self._tracks: dict[str, MediaStreamTrack | None] = {"audio": audio, "video": video}
        self._muted: dict[str, bool] = {"audio": False, "video": False}
        self._remote: RemoteSdp | None = None
        #: the peer's description as applied (source changes are applied to it)
        self._remote_description: SessionDescription | None = None
        self._remote_version = 1
        self._remote_tracks: dict[str, RemoteTrack] = {}
        self._role: str | None = None
        self._peer_endpoint: str | None = None
        self._closed = False
        self._senders: dict[str, RTCRtpSender] = {}
        for media in ("audio", "video"):
            transceiver = self._pc.addTransceiver(media, direction="sendrecv")
            _prefer_codecs(transceiver, media)
            if self._tracks[media] is not None:
                transceiver.sender.replaceTrack(self._tracks[media])
            self._senders[media] = transceiver.sender
        self._pc.on("track", self._on_track)
        self._pc.on("connectionstatechange", self._on_connection_state)

    # -- state

    @property
    def connection_state(self) -> str:
        return self._pc.connectionState

    @property
    def peer_connection(self) -> RTCPeerConnection:
        """For statistics and tests; the session owns it."""
        return self._pc

    @property
    def remote_tracks(self) -> dict[str, RemoteTrack]:
        return dict(self._remote_tracks)

    @property
    def remote_lines(self) -> tuple[MediaLine, ...]:
        return self._remote.lines if self._remote is not None else ()

    # -- offer / answer

    async def answer(self, offer: SessionDescription, *, peer_endpoint: str | None = None) -> SessionDescription:
        """Apply the peer's session-initiate; our session-accept contents."""
        self._role, self._peer_endpoint = "responder", peer_endpoint
        self._remote_description = offer
        self._remote = remote_sdp(offer, sdp_type="offer",
                                  peer_endpoint=peer_endpoint)
        try:
            await self._pc.setRemoteDescription(RTCSessionDescription(self._remote.text, "offer"))
            await self._pc.setLocalDescription(await self._pc.createAnswer())
        except _AIORTC_ERRORS as exc:
            raise MediaConnectionError(reason=str(exc) or type(exc).__name__) from exc
        return local_description(self._pc.localDescription.sdp, endpoint_id=self.endpoint_id,
                                 role="responder", include_mids=self._remote.content_mids)

    async def offer(self) -> SessionDescription:
        """Our session-initiate contents (all candidates included: aiortc gathers first)."""
        self._role = "initiator"
        await self._pc.setLocalDescription(await self._pc.createOffer())
        return local_description(self._pc.localDescription.sdp, endpoint_id=self.endpoint_id,
                                 role="initiator")

    async def accept_answer(self, answer: SessionDescription, *, peer_endpoint: str | None = None) -> None:
        """Apply the peer's session-accept to our offer."""
        self._peer_endpoint = peer_endpoint
        # the answer must list the m-lines in our offer's order, by mid
        order = [t.mid for t in self._pc.getTransceivers() if t.mid is not None]
        contents = sorted(answer.contents, key=lambda c: order.index(c.name) if c.name in order else len(order))
        answer = SessionDescription(tuple(contents), answer.groups)
        self._remote_description = answer
        self._remote = remote_sdp(answer, sdp_type="answer",
                                  peer_endpoint=peer_endpoint)
        try:
            await self._pc.setRemoteDescription(RTCSessionDescription(self._remote.text, "answer"))
        except _AIORTC_ERRORS as exc:
            raise MediaConnectionError(reason=str(exc) or type(exc).__name__) from exc

    async def change_remote_sources(self, *, added: SessionDescription | None = None,
                                    removed_ssrcs: Iterable[int] = ()) -> None:
        """The peer's source-add / source-remove: renegotiate locally, as lib-jitsi-meet does
        (the peer has already changed its side; nothing is signalled back).

        New sources show up as ``TrackReceived``, ended ones as ``TrackEnded``.
        """
        if self._closed or self._remote_description is None or self._role is None:
            return
        description = self._remote_description
        if added is not None:
            description = with_sources_added(description, added)
        removed = set(removed_ssrcs)
        if removed:
            description = with_sources_removed(description, removed)
        if description == self._remote_description:
            return
        self._remote_description = description
        self._remote_version += 1
        sdp_type = "offer" if self._role == "responder" else "answer"
        self._remote = remote_sdp(description, sdp_type=sdp_type, peer_endpoint=self._peer_endpoint,
                                  session_version=self._remote_version)
        try:
            if sdp_type == "offer":
                await self._pc.setRemoteDescription(RTCSessionDescription(self._remote.text, "offer"))
                await self._pc.setLocalDescription(await self._pc.createAnswer())
            else:
                await self._pc.setLocalDescription(await self._pc.createOffer())
                await self._pc.setRemoteDescription(RTCSessionDescription(self._remote.text, "answer"))
        except _AIORTC_ERRORS as exc:
            raise MediaConnectionError(reason=str(exc) or type(exc).__name__) from exc
        self._reconcile_remote_tracks()

    def _reconcile_remote_tracks(self) -> None:
        """After a local renegotiation: report sources that ended and ones that came back
        on a receiver aiortc already had (it fires ``track`` only the first time)."""
        sending = {line.source_name: line for line in self.remote_lines
                   if line.source_name and line.direction in ("sendrecv", "sendonly")}
        for name in [n for n in self._remote_tracks if n not in sending]:
            self._remote_tracks.pop(name)
            self._on_event(TrackEnded(name))
        for transceiver in self._pc.getTransceivers():
            line = self._remote.line(transceiver.mid) if transceiver.mid and self._remote else None
            track = transceiver.receiver.track
            if (line is None or track is None or line.source_name not in sending
                    or line.source_name in self._remote_tracks):
                continue
            self._report_track(line, transceiver, track)

    async def add_remote_candidates(self, description: SessionDescription) -> int:
        """Trickled candidates (transport-info); returns how many were usable."""
        if self._closed:
            return 0
        bundle_mid = self._first_mid()
        added = 0
        for content in description.contents:
            if content.transport is None:
                continue
            for candidate in content.transport.candidates:
                if candidate.protocol != "udp":
                    continue   # aioice speaks ICE over UDP only (TCP only towards TURN)
                await self._pc.addIceCandidate(_aiortc_candidate(candidate, bundle_mid))
                added += 1
        return added

    def _first_mid(self) -> str | None:
        for transceiver in self._pc.getTransceivers():
            if transceiver.mid is not None:
                return transceiver.mid
        return None

    # -- sending

    def is_muted(self, media: str) -> bool:
        return self._muted[media]

    def set_muted(self, media: str, muted: bool) -> None:
        """Stop or resume sending ``media`` without renegotiation (the SSRC stays signalled)."""
        self._muted[media] = muted
        self._apply_sender(media)

    def replace_track(self, media: str, track: MediaStreamTrack | None) -> None:
        """Use another source (device switch, synthetic fallback); None = nothing to send."""
        self._tracks[media] = track
        self._apply_sender(media)

    def _apply_sender(self, media: str) -> None:
        sender = self._senders[media]
        track = None if self._muted[media] else self._tracks[media]
        if sender.track is track:
            return
        sender.replaceTrack(track)
        if track is not None and media == "video":
            # the receiver would otherwise wait for its next keyframe request
            request_keyframe = getattr(sender, "_send_keyframe", None)
            if request_keyframe is not None:
                request_keyframe()

    def sender_ssrcs(self, media: str) -> tuple[int, int]:
        sender = self._senders[media]
        return sender._ssrc, sender._rtx_ssrc

    # -- remote tracks

    def _on_track(self, track: MediaStreamTrack) -> None:
        # fired inside setRemoteDescription; self._remote already describes the m-lines
        transceiver = next((t for t in self._pc.getTransceivers() if t.receiver.track is track), None)
        if transceiver is None or transceiver.mid is None or self._remote is None:
            return
        line = self._remote.line(transceiver.mid)
        if line is None or line.source_name is None:
            # an m-line without a remote source (e.g. the peer sends nothing on it)
            log.debug("track on mid %s without a remote source", transceiver.mid)
            return
        self._report_track(line, transceiver, track)

    def _report_track(self, line: MediaLine, transceiver: Any, track: MediaStreamTrack) -> None:
        remote = RemoteTrack(line.source_name, line.owner, track.kind, transceiver.mid, track,
                             transceiver.receiver)
        self._remote_tracks[line.source_name] = remote
        self._on_event(TrackReceived(remote))

    def _on_connection_state(self) -> None:
        self._on_event(ConnectionStateChanged(self._pc.connectionState))

    # -- the end

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        await self._pc.close()


def _prefer_codecs(transceiver, media: str) -> None:
    wanted = AUDIO_CODECS if media == "audio" else VIDEO_CODECS
    capabilities = RTCRtpSender.getCapabilities(media).codecs
    preferred = [c for name in wanted for c in capabilities if c.mimeType.lower() == name.lower()]
    preferred += [c for c in capabilities if c.mimeType.lower() == f"{media}/rtx"]
    transceiver.setCodecPreferences(preferred)


def _aiortc_candidate(candidate: Candidate, mid: str | None) -> RTCIceCandidate:
    return RTCIceCandidate(
        component=candidate.component, foundation=candidate.foundation, ip=candidate.ip,
        port=candidate.port, priority=candidate.priority, protocol=candidate.protocol,
        type=candidate.type, relatedAddress=candidate.rel_addr, relatedPort=candidate.rel_port,
        sdpMid=mid, tcpType=candidate.tcptype)
