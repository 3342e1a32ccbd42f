"""A test-only videobridge: SRTP in, SRTP out, nothing decoded (test-rig.md §4).

Each participant gets one endpoint: an aiortc ``RTCIceGatherer``/``RTCIceTransport``
(full ICE, **controlling**, as JVB is; host candidates on 127.0.0.2 inside the test
namespace) and an ``RTCDtlsTransport`` subclass whose ``_handle_rtp_data`` /
``_handle_rtcp_data`` hooks receive the already decrypted packets.  Forwarding is
``_send_rtp`` on the other endpoints' transports, which protects and sends.

What it forwards follows JVB (jitsi-media.md §3.3, §4.2, §5):

* RTP only from SSRCs that were signalled for that endpoint; audio to everyone
  else, video only to receivers whose allocation (last-N, constraints, on-stage,
  speaker order — see allocation.py) includes the source.
* RTCP: PLI/FIR/NACK go to the owner of the media SSRC (with the bridge's feedback
  SSRC as sender, the ``jvb-v0``/``jvb-a0`` the offer announced), sender reports go
  to the receivers of that source without report blocks; RR, REMB, BYE, SDES end
  here.  A receiver that starts getting a video source triggers a PLI to its sender.
* Dominant speaker from the RFC 6464 audio level header extension; the bridge
  channel gets ``DominantSpeakerEndpointChangeEvent``, ``ForwardedSources``,
  ``SenderSourceConstraints``, relays ``EndpointMessage``/``EndpointStats`` and
  answers ``ClientHello``.

Everything runs on the event loop the coroutines are called on; the rig runs one in
a thread (rig.py in this package).  Private aiortc hooks are used on purpose: the
project pins aiortc 1.16.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import struct
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from aiortc import (
    RTCCertificate,
    RTCDtlsFingerprint,
    RTCDtlsParameters,
    RTCDtlsTransport,
    RTCIceCandidate,
    RTCIceGatherer,
    RTCIceParameters,
    RTCIceTransport,
)
from aiortc.rtp import RtcpPacket, RtcpPsfbPacket, RtcpRtpfbPacket, RtcpSrPacket

from client.jitsi.description import Candidate, Fingerprint
from tests.rig.bridge.allocation import (
    ReceiverSettings,
    SpeakerTracker,
    VideoSource,
    forwarded_sources,
    sender_constraints,
)

log = logging.getLogger("rig.bridge")

AUDIO_LEVEL_URI = "urn:ietf:params:rtp-hdrext:ssrc-audio-level"
PLI, FIR = 1, 4          # payload-specific feedback formats
NACK = 1                 # transport-layer feedback format
NOT_FORWARDED_TYPES = {"none", "disabled"}


@dataclass(frozen=True)
class BridgeSource:
    """One signalled source of an endpoint: primary SSRC, its RTX partner, name, media."""

    ssrc: int
    media: str
    name: str
    owner: str
    rtx_ssrc: int | None = None
    video_type: str = "camera"


@dataclass(frozen=True)
class EndpointOffer:
    """The bridge side of an endpoint's transport, as it goes into session-initiate."""

    ufrag: str
    pwd: str
    candidates: tuple[Candidate, ...]
    fingerprint: Fingerprint
    web_socket: str | None


class _ForwardingDtlsTransport(RTCDtlsTransport):
    """Hands decrypted RTP/RTCP to the bridge instead of aiortc's receivers."""

    def __init__(self, ice: RTCIceTransport, certificates: list[RTCCertificate],
                 endpoint: "Endpoint") -> None:
        super().__init__(ice, certificates)
        self._endpoint = endpoint

    async def _handle_rtp_data(self, data: bytes, arrival_time_ms: int) -> None:
        await self._endpoint.bridge._on_rtp(self._endpoint, data)

    async def _handle_rtcp_data(self, data: bytes) -> None:
        await self._endpoint.bridge._on_rtcp(self._endpoint, data)


@dataclass
class EndpointStats:
    rtp_in: int = 0
    rtp_dropped: int = 0                                  # unsignalled SSRCs
    rtp_out: dict[int, int] = field(default_factory=dict)  # ssrc → packets sent to this endpoint
    rtcp_in: int = 0
    pli_out: int = 0


class Endpoint:
    def __init__(self, bridge: "Bridge", conference: "Conference", endpoint_id: str) -> None:
        self.bridge = bridge
        self.conference = conference
        self.id = endpoint_id
        self.password = secrets.token_urlsafe(12)
        self.gatherer = RTCIceGatherer(iceServers=[])
        self.gatherer._connection.ice_controlling = True      # JVB is the controlling agent
        self.ice = RTCIceTransport(self.gatherer)
        self.certificate = RTCCertificate.generateCertificate()
        self.dtls = _ForwardingDtlsTransport(self.ice, [self.certificate], self)
        self.sources: dict[str, BridgeSource] = {}             # by name
        self.settings = ReceiverSettings(default_max_height=bridge.initial_max_height)
        self.forwarded: list[VideoSource] = []
        self.sent_constraints: dict[str, int] = {}
        self.channel: Callable[[str], None] | None = None
        self.close_channel: Callable[[int], None] | None = None
        self.stats = EndpointStats()
        self.connected = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._remote_candidates = 0
        self.expired = False

    @property
    def is_connected(self) -> bool:
        return self.dtls.state == "connected"

    async def send(self, data: bytes) -> bool:
        if self.dtls.state != "connected":
            return False
        try:
            await self.dtls._send_rtp(data)
        except ConnectionError:
            return False
        return True

    def tell(self, message: dict) -> None:
        """A bridge-channel message to this endpoint, if its channel is open (else dropped, as JVB)."""
        if self.channel is not None:
            self.channel(json.dumps(message, separators=(",", ":")))


class Conference:
    def __init__(self, conference_id: str) -> None:
        self.id = conference_id
        self.endpoints: dict[str, Endpoint] = {}
        self.speakers = SpeakerTracker()
        self.feedback_audio_ssrc = secrets.randbits(31) + 1
        self.feedback_video_ssrc = secrets.randbits(31) + 1
        #: ssrc → (source, is_rtx), over all endpoints
        self.ssrcs: dict[int, tuple[BridgeSource, bool]] = {}
        self.speaker_task: asyncio.Task[None] | None = None

    def video_sources(self) -> list[VideoSource]:
        return [VideoSource(s.name, s.owner) for ep in self.endpoints.values()
                for s in ep.sources.values()
                if s.media == "video" and s.video_type.lower() not in NOT_FORWARDED_TYPES]


class Bridge:
    """The whole bridge: conferences of endpoints.  Call its coroutines on one loop."""

    def __init__(self, *, host_ip: str | None = "127.0.0.2", bridge_id: str = "rig-jvb",
                 initial_max_height: int = 180, audio_level_id: int = 1,
                 speaker_interval_s: float = 0.2,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.host_ip = host_ip
        self.bridge_id = bridge_id
        self.initial_max_height = initial_max_height
        self.audio_level_id = audio_level_id
        self.speaker_interval_s = speaker_interval_s
        self.clock = clock
        #: ``wss://host:port/colibri-ws/<bridge-id>``, set once the colibri server listens
        self.colibri_base_url: str | None = None
        self.conferences: dict[str, Conference] = {}

    # -- allocation (Jicofo's colibri2 requests, in-process) -------------------------------

    async def allocate(self, conference_id: str, endpoint_id: str) -> EndpointOffer:
        """A new endpoint (replacing one with the same id): its ICE/DTLS parameters."""
        conference = self.conferences.get(conference_id)
        if conference is None:
            conference = self.conferences[conference_id] = Conference(conference_id)
            conference.speaker_task = asyncio.ensure_future(self._watch_speakers(conference))
        if endpoint_id in conference.endpoints:
            await self.expire(conference_id, endpoint_id)
        endpoint = Endpoint(self, conference, endpoint_id)
        conference.endpoints[endpoint_id] = endpoint
        conference.speakers.add_endpoint(endpoint_id)
        await endpoint.gatherer.gather()
        candidates = tuple(
            _jingle_candidate(c, index) for index, c in enumerate(endpoint.gatherer.getLocalCandidates())
            if self.host_ip is None or c.ip == self.host_ip)
        ice = endpoint.gatherer.getLocalParameters()
        sha256 = next(f for f in endpoint.dtls.getLocalParameters().fingerprints
                      if f.algorithm == "sha-256")
        web_socket = None
        if self.colibri_base_url:
            web_socket = (f"{self.colibri_base_url}/{conference_id}/{endpoint_id}"
                          f"?pwd={endpoint.password}")
        return EndpointOffer(ice.usernameFragment, ice.password, candidates,
                             Fingerprint("sha-256", sha256.value, setup="actpass", required="false"),
                             web_socket)

    def feedback_ssrcs(self, conference_id: str) -> tuple[int, int]:
        """The bridge's own (audio, video) SSRCs: RTCP sender SSRCs, never RTP."""
        conference = self.conferences[conference_id]
        return conference.feedback_audio_ssrc, conference.feedback_video_ssrc

    def connect(self, conference_id: str, endpoint_id: str, *, ufrag: str, pwd: str,
                fingerprints: Iterable[tuple[str, str]], setup: str | None,
                candidates: Iterable[Candidate] = ()) -> None:
        """The participant's answer: start ICE and DTLS (in the background)."""
        endpoint = self._endpoint(conference_id, endpoint_id)
        if endpoint is None or endpoint._task is not None:
            return
        if setup == "passive":      # the participant wants to be the DTLS server
            endpoint.dtls._set_role("client")
        else:
            endpoint.dtls._set_role("server")
        params = RTCIceParameters(usernameFragment=ufrag, password=pwd)
        dtls = RTCDtlsParameters(fingerprints=[RTCDtlsFingerprint(algorithm=h.lower(), value=v)
                                               for h, v in fingerprints])
        endpoint._task = asyncio.ensure_future(self._run_endpoint(endpoint, params, dtls))
        self.add_candidates(conference_id, endpoint_id, candidates)

    def add_candidates(self, conference_id: str, endpoint_id: str,
                       candidates: Iterable[Candidate]) -> None:
        """Trickled candidates (transport-info) of a participant."""
        endpoint = self._endpoint(conference_id, endpoint_id)
        if endpoint is None:
            return
        for candidate in candidates:
            if candidate.protocol != "udp":
                continue
            endpoint._remote_candidates += 1
            asyncio.ensure_future(endpoint.ice.addRemoteCandidate(_aiortc_candidate(candidate)))

    async def _run_endpoint(self, endpoint: Endpoint, params: RTCIceParameters,
                            dtls: RTCDtlsParameters) -> None:
        connection = endpoint.gatherer._connection
        # aioice fails at once with an empty check list: wait for a trickled candidate or
        # for the participant's own check (a peer-reflexive candidate), as JVB's ice4j does
        deadline = self.clock() + 30.0
        while (endpoint._remote_candidates == 0 and not connection._early_checks
               and self.clock() < deadline and not endpoint.expired):
            await asyncio.sleep(0.05)
        try:
            await endpoint.ice.start(params)
            if endpoint.ice.state != "completed" or endpoint.expired:
                log.info("endpoint %s: ICE %s", endpoint.id, endpoint.ice.state)
                return
            await endpoint.dtls.start(dtls)
        except (ConnectionError, asyncio.CancelledError) as exc:
            log.info("endpoint %s: transport failed: %r", endpoint.id, exc)
            return
        if endpoint.dtls.state == "connected":
            log.info("endpoint %s/%s connected", endpoint.conference.id, endpoint.id)
            endpoint.connected.set()
            self._reallocate(endpoint.conference)

    # -- sources -----------------------------------------------------------------------------

    def add_sources(self, conference_id: str, endpoint_id: str,
                    sources: Iterable[BridgeSource]) -> None:
        endpoint = self._endpoint(conference_id, endpoint_id)
        if endpoint is None:
            return
        conference = endpoint.conference
        for source in sources:
            endpoint.sources[source.name] = source
            conference.ssrcs[source.ssrc] = (source, False)
            if source.rtx_ssrc is not None:
                conference.ssrcs[source.rtx_ssrc] = (source, True)
        self._reallocate(conference)

    def remove_sources(self, conference_id: str, endpoint_id: str, ssrcs: Iterable[int]) -> None:
        endpoint = self._endpoint(conference_id, endpoint_id)
        if endpoint is None:
            return
        gone = set(ssrcs)
        for name, source in list(endpoint.sources.items()):
            if source.ssrc in gone:
                self._drop_source(endpoint, name)
        self._reallocate(endpoint.conference)

    def _drop_source(self, endpoint: Endpoint, name: str) -> None:
        source = endpoint.sources.pop(name)
        for ssrc in (source.ssrc, source.rtx_ssrc):
            if ssrc is not None:
                endpoint.conference.ssrcs.pop(ssrc, None)

    async def expire(self, conference_id: str, endpoint_id: str) -> None:
        endpoint = self._endpoint(conference_id, endpoint_id)
        if endpoint is None:
            return
        conference = endpoint.conference
        endpoint.expired = True
        conference.endpoints.pop(endpoint_id, None)
        for name in list(endpoint.sources):
            self._drop_source(endpoint, name)
        conference.speakers.remove_endpoint(endpoint_id)
        if endpoint.close_channel is not None:
            endpoint.close_channel(1001)      # JVB closes an expired endpoint's socket with 1001
        if endpoint._task is not None:
            endpoint._task.cancel()
        self._reallocate(conference)          # before the awaits: the tables are consistent now
        await endpoint.dtls.stop()
        await endpoint.ice.stop()
        if not conference.endpoints:
            self.conferences.pop(conference_id, None)
            if conference.speaker_task is not None:
                conference.speaker_task.cancel()

    async def close(self) -> None:
        for conference_id, conference in list(self.conferences.items()):
            for endpoint_id in list(conference.endpoints):
                await self.expire(conference_id, endpoint_id)

    # -- bridge channel ----------------------------------------------------------------------

    def attach_channel(self, conference_id: str, endpoint_id: str, password: str,
                       send: Callable[[str], None], close: Callable[[int], None]) -> str | None:
        """A colibri WebSocket connected; None if accepted, else why not (for the HTTP answer)."""
        conference = self.conferences.get(conference_id)
        if conference is None:
            return "conference not found"
        endpoint = conference.endpoints.get(endpoint_id)
        if endpoint is None:
            return "endpoint not found"
        if not secrets.compare_digest(password, endpoint.password):
            return "authentication failed"
        if endpoint.close_channel is not None:      # a new socket replaces the old one
            endpoint.close_channel(1000)
        endpoint.channel, endpoint.close_channel = send, close
        endpoint.tell({"colibriClass": "ServerHello", "version": "treffpunkt-rig"})
        # re-send the bridge's view, as JVB does on (re)connect
        for name, height in endpoint.sent_constraints.items():
            endpoint.tell({"colibriClass": "SenderSourceConstraints", "sourceName": name,
                           "maxHeight": height})
        endpoint.tell({"colibriClass": "ForwardedSources",
                       "forwardedSources": [s.name for s in endpoint.forwarded]})
        if conference.speakers.dominant is not None:
            endpoint.tell(self._speaker_message(conference))
        return None

    def detach_channel(self, conference_id: str, endpoint_id: str, send: Callable[[str], None]) -> None:
        endpoint = self._endpoint(conference_id, endpoint_id)
        if endpoint is not None and endpoint.channel is send:
            endpoint.channel = endpoint.close_channel = None

    def channel_password(self, conference_id: str, endpoint_id: str) -> str | None:
        endpoint = self._endpoint(conference_id, endpoint_id)
        return endpoint.password if endpoint is not None else None

    def on_channel_message(self, conference_id: str, endpoint_id: str, text: str) -> None:
        endpoint = self._endpoint(conference_id, endpoint_id)
        if endpoint is None:
            return
        try:
            message = json.loads(text)
        except (ValueError, RecursionError):
            log.info("endpoint %s: bridge channel frame is not JSON", endpoint_id)
            return
        if not isinstance(message, dict):
            return
        kind = message.get("colibriClass")
        if kind == "ClientHello":
            endpoint.tell({"colibriClass": "ServerHello", "version": "treffpunkt-rig"})
        elif kind in ("EndpointMessage", "EndpointStats"):
            relayed = {**message, "from": endpoint_id}
            target = message.get("to") if kind == "EndpointMessage" else ""
            for other in endpoint.conference.endpoints.values():
                if other is not endpoint and (not target or other.id == target):
                    other.tell(relayed)
        elif kind in ("SourceVideoTypeMessage", "VideoTypeMessage"):
            name = message.get("sourceName") or f"{endpoint_id}-v0"
            video_type = str(message.get("videoType") or "camera")
            source = endpoint.sources.get(name)
            if source is not None:
                endpoint.sources[name] = BridgeSource(source.ssrc, source.media, source.name,
                                                      source.owner, source.rtx_ssrc, video_type)
                self._reallocate(endpoint.conference)
        elif endpoint.settings.apply(message):
            self._reallocate(endpoint.conference)

    # -- introspection for tests -----------------------------------------------------------

    def endpoint(self, conference_id: str, endpoint_id: str) -> Endpoint | None:
        return self._endpoint(conference_id, endpoint_id)

    def forwarded_names(self, conference_id: str, endpoint_id: str) -> list[str]:
        endpoint = self._endpoint(conference_id, endpoint_id)
        return [s.name for s in endpoint.forwarded] if endpoint else []

    def dominant_speaker(self, conference_id: str) -> str | None:
        conference = self.conferences.get(conference_id)
        return conference.speakers.dominant if conference else None

    # -- forwarding ----------------------------------------------------------------------------

    async def _on_rtp(self, sender: Endpoint, data: bytes) -> None:
        if len(data) < 12:
            return
        sender.stats.rtp_in += 1
        ssrc = struct.unpack_from("!I", data, 8)[0]
        entry = sender.conference.ssrcs.get(ssrc)
        if entry is None or entry[0].owner != sender.id:
            sender.stats.rtp_dropped += 1      # JVB drops what Jicofo did not signal
            return
        source, _ = entry
        conference = sender.conference
        if source.media == "audio":
            conference.speakers.audio_packet(sender.id, audio_level(data, self.audio_level_id),
                                             self.clock())
            targets = [ep for ep in conference.endpoints.values() if ep is not sender]
        else:
            targets = [ep for ep in conference.endpoints.values()
                       if ep is not sender and any(s.name == source.name for s in ep.forwarded)]
        for target in targets:
            if await target.send(data):
                target.stats.rtp_out[ssrc] = target.stats.rtp_out.get(ssrc, 0) + 1

    async def _on_rtcp(self, sender: Endpoint, data: bytes) -> None:
        sender.stats.rtcp_in += 1
        try:
            packets = RtcpPacket.parse(data)
        except ValueError:
            return
        conference = sender.conference
        for packet in packets:
            if isinstance(packet, RtcpPsfbPacket) and packet.fmt in (PLI, FIR):
                media_ssrc = packet.media_ssrc
                if packet.fmt == FIR and len(packet.fci) >= 4:
                    media_ssrc = struct.unpack_from("!I", packet.fci, 0)[0]
                owner = self._owner(conference, media_ssrc)
                if owner is not None and owner is not sender:
                    await owner.send(bytes(RtcpPsfbPacket(packet.fmt, conference.feedback_video_ssrc,
                                                          packet.media_ssrc, packet.fci)))
            elif isinstance(packet, RtcpRtpfbPacket) and packet.fmt == NACK:
                owner = self._owner(conference, packet.media_ssrc)
                if owner is not None and owner is not sender:
                    await owner.send(bytes(RtcpRtpfbPacket(NACK, conference.feedback_video_ssrc,
                                                           packet.media_ssrc, list(packet.lost))))
            elif isinstance(packet, RtcpSrPacket):
                entry = conference.ssrcs.get(packet.ssrc)
                if entry is None or entry[0].owner != sender.id:
                    continue
                report = bytes(RtcpSrPacket(packet.ssrc, packet.sender_info))
                for target in conference.endpoints.values():
                    if target is sender:
                        continue
                    if entry[0].media == "audio" or any(s.name == entry[0].name for s in target.forwarded):
                        await target.send(report)
            # RR, REMB, BYE, SDES, transport-cc: terminated here, as in JVB

    def _owner(self, conference: Conference, ssrc: int) -> Endpoint | None:
        entry = conference.ssrcs.get(ssrc)
        return conference.endpoints.get(entry[0].owner) if entry else None

    def _reallocate(self, conference: Conference) -> None:
        """Recompute what every receiver gets; tell receivers and senders what changed."""
        sources = conference.video_sources()
        order = conference.speakers.order
        wishes = {}
        for endpoint in list(conference.endpoints.values()):
            chosen = forwarded_sources(endpoint.id, sources, endpoint.settings, order)
            old = {s.name for s in endpoint.forwarded}
            changed = [s.name for s in chosen] != [s.name for s in endpoint.forwarded]
            endpoint.forwarded = chosen
            wishes[endpoint.id] = (endpoint.settings, chosen)
            if changed:
                endpoint.tell({"colibriClass": "ForwardedSources",
                               "forwardedSources": [s.name for s in chosen]})
                for source in chosen:
                    if source.name not in old:
                        self._request_keyframe(conference, source)
        for name, height in sender_constraints(sources, wishes).items():
            owner = next((ep for ep in conference.endpoints.values() if name in ep.sources), None)
            if owner is None or owner.sent_constraints.get(name) == height:
                continue
            owner.sent_constraints[name] = height
            owner.tell({"colibriClass": "SenderSourceConstraints", "sourceName": name,
                        "maxHeight": height})

    def _request_keyframe(self, conference: Conference, source: VideoSource) -> None:
        owner = conference.endpoints.get(source.owner)
        signalled = owner.sources.get(source.name) if owner else None
        if owner is None or signalled is None or not owner.is_connected:
            return
        owner.stats.pli_out += 1
        asyncio.ensure_future(owner.send(bytes(RtcpPsfbPacket(PLI, conference.feedback_video_ssrc,
                                                              signalled.ssrc))))

    async def _watch_speakers(self, conference: Conference) -> None:
        while True:
            await asyncio.sleep(self.speaker_interval_s)
            if conference.speakers.evaluate(self.clock()) is None:
                continue
            message = self._speaker_message(conference)
            for endpoint in conference.endpoints.values():
                endpoint.tell(message)
            self._reallocate(conference)

    def _speaker_message(self, conference: Conference) -> dict:
        return {"colibriClass": "DominantSpeakerEndpointChangeEvent",
                "dominantSpeakerEndpoint": conference.speakers.dominant,
                "previousSpeakers": conference.speakers.previous_speakers()}

    def _endpoint(self, conference_id: str, endpoint_id: str) -> Endpoint | None:
        conference = self.conferences.get(conference_id)
        return conference.endpoints.get(endpoint_id) if conference else None


# --- helpers --------------------------------------------------------------------------------

def audio_level(packet: bytes, extension_id: int) -> int | None:
    """The RFC 6464 level (0 loudest … 127 silence) of an RTP packet, or None."""
    if len(packet) < 12 or not packet[0] & 0x10:
        return None
    offset = 12 + 4 * (packet[0] & 0x0F)
    if len(packet) < offset + 4:
        return None
    profile, words = struct.unpack_from("!HH", packet, offset)
    start, end = offset + 4, offset + 4 + 4 * words
    if end > len(packet):
        return None
    pos = start
    if profile == 0xBEDE:                     # one-byte headers (RFC 8285 §4.2)
        while pos < end:
            byte = packet[pos]
            if byte == 0:
                pos += 1
                continue
            ident, length = byte >> 4, (byte & 0x0F) + 1
            if ident == 15:
                break
            if ident == extension_id and pos + 1 < end:
                return packet[pos + 1] & 0x7F
            pos += 1 + length
    elif profile & 0xFFF0 == 0x1000:          # two-byte headers (§4.3)
        while pos + 1 < end:
            ident, length = packet[pos], packet[pos + 1]
            if ident == 0:
                pos += 1
                continue
            if ident == extension_id and length >= 1 and pos + 2 < end:
                return packet[pos + 2] & 0x7F
            pos += 2 + length
    return None


def _jingle_candidate(candidate: RTCIceCandidate, index: int) -> Candidate:
    return Candidate(component=candidate.component, foundation=candidate.foundation,
                     ip=candidate.ip, port=candidate.port, priority=candidate.priority,
                     protocol=candidate.protocol, type=candidate.type, generation=0,
                     id=f"c{index}{secrets.token_hex(3)}", network=0)


def _aiortc_candidate(candidate: Candidate) -> RTCIceCandidate:
    return RTCIceCandidate(component=candidate.component, foundation=candidate.foundation,
                           ip=candidate.ip, port=candidate.port, priority=candidate.priority,
                           protocol=candidate.protocol, type=candidate.type,
                           relatedAddress=candidate.rel_addr, relatedPort=candidate.rel_port,
                           tcpType=candidate.tcptype)
