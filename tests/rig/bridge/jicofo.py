"""The Jicofo half of the bridge path, plugged into the rig's focus stand-in.

What it does on the wire (jitsi-media.md §1, Jicofo's ``JitsiMeetConferenceImpl``,
``ParticipantInviteRunnable``, ``Participant``):

* Once a room in bridge mode has ``min_participants`` members (Jicofo's default 2),
  every participant gets an endpoint on the test bridge and a ``session-initiate``
  **from the ``focus`` occupant** (``initiator`` = the focus's real JID): contents
  ``audio``/``video`` with opus + telephone-event and VP8 + H264 with RTX (PTs and
  feedback as Jicofo's defaults, minus transport-cc/REMB: the test bridge estimates
  no bandwidth), ssrc-audio-level and abs-send-time (no ``sdes:mid``: forwarded
  packets must be demuxed by SSRC), the bridge's ICE/DTLS parameters with
  ``setup=actpass``, the colibri ``web-socket`` URL, ``rtcp-mux``, BUNDLE, a
  ``bridge-session``, the bridge's ``jvb-a0``/``jvb-v0`` feedback sources and the
  sources of everyone whose session is up, each with ``ssrc-info owner``.
* ``session-accept``: the participant's sources (named ``<ep>-a0``/``-v0`` if it
  sent no names, as Jicofo tells the bridge) and transport go to the bridge; the
  sources go to everybody else as ``source-add`` (queued for sessions still
  pending); the participant gets what was added since its offer.
* ``transport-info`` → candidates to the bridge; ``source-add``/``source-remove``
  from a participant are fanned out; ``session-terminate`` → the endpoint is
  expired, the others get ``source-remove``, and with ``bridge-session
  restart='true'`` a fresh ``session-initiate`` follows.
* A participant leaving the MUC: its endpoint is expired and — like Jicofo since
  2021 — **no** ``source-remove`` is sent; clients drop a leaver's sources on the
  MUC ``unavailable`` presence.  ``source_remove_on_leave=True`` gives the older
  behaviour.  Left alone, the last participant's session is terminated after
  ``single_participant_timeout_s`` (``expired`` / "Idle session timeout").

Threading: the focus calls the hook methods on its component thread; everything
else runs on the bridge's event loop.  ``send`` must be thread-safe (the
component's ``send``).
"""

from __future__ import annotations

import asyncio
import copy
import json
import logging
import secrets
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from client.errors import RemoteProtocolError
from client.jitsi.description import (
    Content,
    Group,
    HeaderExtension,
    IceUdpTransport,
    Parameter,
    PayloadType,
    RtcpFeedback,
    RtpDescription,
    SessionDescription,
    Source,
    SsrcGroup,
    description_to_elements,
)
from client.jitsi.jingle import (
    Action,
    JingleRequest,
    UnknownActionError,
    error_for,
    new_sid,
    parse_jingle_iq,
    result_for,
    unknown_session_reply,
)
from client.jitsi.ns import NS_JINGLE, NS_JITSI_FOCUS, NS_JITSI_MEET
from client.jitsi.stanza import Element, Jid, el, new_id, sub
from tests.rig.bridge.bridge import Bridge, BridgeSource, EndpointOffer

log = logging.getLogger("rig.jicofo")

AUDIO_LEVEL = "urn:ietf:params:rtp-hdrext:ssrc-audio-level"
ABS_SEND_TIME = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time"
_FB = (RtcpFeedback("ccm", "fir"), RtcpFeedback("nack"), RtcpFeedback("nack", "pli"))

#: Jicofo's default payload types (jicofo-common reference.conf), without AV1/VP9, RED, TCC, REMB
AUDIO_PAYLOAD_TYPES = (
    PayloadType(111, "opus", 48000, 2, parameters=(Parameter("minptime", "10"),
                                                    Parameter("useinbandfec", "1"))),
    PayloadType(126, "telephone-event", 8000),
)
VIDEO_PAYLOAD_TYPES = (
    PayloadType(100, "VP8", 90000, feedback=_FB),
    PayloadType(107, "H264", 90000, feedback=_FB, parameters=(
        Parameter("profile-level-id", "42e01f"), Parameter("level-asymmetry-allowed", "1"),
        Parameter("packetization-mode", "1"))),
    PayloadType(96, "rtx", 90000, feedback=_FB, parameters=(Parameter("apt", "100"),)),
    PayloadType(99, "rtx", 90000, parameters=(Parameter("apt", "107"),)),
)
AUDIO_EXTENSIONS = (HeaderExtension(1, AUDIO_LEVEL),)
VIDEO_EXTENSIONS = (HeaderExtension(3, ABS_SEND_TIME),)


# --- the offer ------------------------------------------------------------------------------

@dataclass
class EndpointSources:
    """One participant's sources as Jicofo signals them (owner set, names filled in)."""

    audio: list[Source] = field(default_factory=list)
    video: list[Source] = field(default_factory=list)
    audio_groups: list[SsrcGroup] = field(default_factory=list)
    video_groups: list[SsrcGroup] = field(default_factory=list)

    def of(self, media: str) -> tuple[list[Source], list[SsrcGroup]]:
        return (self.audio, self.audio_groups) if media == "audio" else (self.video, self.video_groups)

    @property
    def ssrcs(self) -> set[int]:
        return {s.ssrc for s in self.audio + self.video}

    def is_empty(self) -> bool:
        return not self.audio and not self.video


def feedback_sources(audio_ssrc: int, video_ssrc: int) -> EndpointSources:
    """The bridge's own SSRCs, as Jicofo lists them (owner ``jvb``, mixedmslabel msids)."""
    def source(ssrc: int, media: str) -> Source:
        label = f"mixedlabel{media}0"
        return Source(ssrc, name=f"jvb-{media[0]}0", owner="jvb", parameters=(
            Parameter("cname", "mixed"), Parameter("label", label),
            Parameter("msid", f"mixedmslabel {label}"), Parameter("mslabel", "mixedmslabel")))
    return EndpointSources(audio=[source(audio_ssrc, "audio")], video=[source(video_ssrc, "video")])


def bridge_offer(transport: EndpointOffer, remote: Iterable[EndpointSources]) -> SessionDescription:
    """The contents of a session-initiate: the bridge as offerer with ``remote`` sources."""
    ice = IceUdpTransport(ufrag=transport.ufrag, pwd=transport.pwd,
                          candidates=transport.candidates, fingerprints=(transport.fingerprint,),
                          web_sockets=(transport.web_socket,) if transport.web_socket else (),
                          rtcp_mux=True)
    remote = list(remote)
    contents = []
    for media, pts, extensions in (("audio", AUDIO_PAYLOAD_TYPES, AUDIO_EXTENSIONS),
                                   ("video", VIDEO_PAYLOAD_TYPES, VIDEO_EXTENSIONS)):
        sources = [s for r in remote for s in r.of(media)[0]]
        groups = [g for r in remote for g in r.of(media)[1]]
        description = RtpDescription(
            media=media, maxptime=60 if media == "audio" else None, payload_types=pts,
            header_extensions=extensions, sources=tuple(sources), ssrc_groups=tuple(groups),
            rtcp_mux=True)
        contents.append(Content(media, "initiator", "both", description, ice))
    return SessionDescription(tuple(contents), (Group("BUNDLE", ("audio", "video")),))


def sources_description(sources: Iterable[EndpointSources]) -> SessionDescription:
    """The contents of a source-add/source-remove."""
    sources = list(sources)
    contents = []
    for media in ("audio", "video"):
        items = [s for r in sources for s in r.of(media)[0]]
        groups = [g for r in sources for g in r.of(media)[1]]
        contents.append(Content(media, None, None, RtpDescription(
            media=media, sources=tuple(items), ssrc_groups=tuple(groups))))
    return SessionDescription(tuple(contents))


def participant_sources(description: SessionDescription, owner: str) -> EndpointSources:
    """What a participant announced, as Jicofo keeps it: owner set, missing names filled in."""
    result = EndpointSources()
    for content in description.contents:
        rtp = content.description
        if rtp is None or rtp.media not in ("audio", "video"):
            continue
        sources, groups = result.of(rtp.media)
        partner: dict[int, int] = {}
        for group in rtp.ssrc_groups:
            if len(group.ssrcs) >= 2:
                groups.append(group)
                for ssrc in group.ssrcs[1:]:
                    partner[ssrc] = group.ssrcs[0]
        letter = rtp.media[0]
        primaries: list[int] = []
        for source in rtp.sources:
            primary = partner.get(source.ssrc, source.ssrc)
            if primary not in primaries:
                primaries.append(primary)
            # an RTX shares its primary's name: <owner>-v0 for the first stream, -v1 …
            name = source.name or f"{owner}-{letter}{primaries.index(primary)}"
            video_type = source.video_type or ("camera" if rtp.media == "video" else None)
            sources.append(replace(source, name=name, owner=owner, video_type=video_type))
    return result


def bridge_sources(sources: EndpointSources, owner: str) -> list[BridgeSource]:
    """The participant's sources as the bridge needs them: primary + RTX per name."""
    result = []
    for media in ("audio", "video"):
        items, groups = sources.of(media)
        rtx_of = {g.ssrcs[0]: g.ssrcs[1] for g in groups if g.semantics == "FID" and len(g.ssrcs) == 2}
        repairs = set(rtx_of.values())
        for source in items:
            if source.ssrc in repairs:
                continue
            result.append(BridgeSource(source.ssrc, media, source.name or f"{owner}-{media[0]}0",
                                       owner, rtx_of.get(source.ssrc), source.video_type or "camera"))
    return result


def validate_sources(new: EndpointSources, taken: set[int]) -> str | None:
    """Jicofo's checks that matter here (ValidatingConferenceSourceMap): why not, or None."""
    ssrcs = [s.ssrc for s in new.audio + new.video]
    if any(not 0 < ssrc <= 0xFFFFFFFF for ssrc in ssrcs):
        return "invalid SSRC"
    if len(set(ssrcs)) != len(ssrcs) or set(ssrcs) & taken:
        return "SSRC already used"
    if len(ssrcs) > 20:
        return "too many SSRCs"
    for group in new.audio_groups + new.video_groups:
        if group.semantics == "FID" and len(group.ssrcs) != 2:
            return "FID group without exactly 2 SSRCs"
    return None


# --- the signalling -------------------------------------------------------------------------

@dataclass
class RoomOptions:
    min_participants: int = 2
    source_remove_on_leave: bool = False
    json_sources: bool = False
    #: "endpoint" (Jicofo since 2021) or "jid" (older: room@conference/nick)
    owner_form: str = "endpoint"
    single_participant_timeout_s: float | None = 20.0


@dataclass
class _Participant:
    nick: str
    occupant: Jid
    sid: str | None = None
    state: str = "none"                 # none / inviting / pending / active
    sources: EndpointSources = field(default_factory=EndpointSources)
    known: set[int] = field(default_factory=set)     # remote SSRCs this participant was told about
    bridge_session: str | None = None


@dataclass
class _Room:
    jid: Jid
    options: RoomOptions
    conference_id: str = field(default_factory=lambda: secrets.token_hex(8))
    participants: dict[str, _Participant] = field(default_factory=dict)
    alone_timer: asyncio.TimerHandle | None = None


class JicofoBridgePath:
    """Jicofo's participant-facing bridge signalling for the rooms it is enabled for."""

    def __init__(self, bridge: Bridge, *, focus_jid: Jid, send: Callable[[list[Element]], None],
                 loop: asyncio.AbstractEventLoop) -> None:
        self.bridge = bridge
        self.focus_jid = focus_jid
        self._send = send
        self._loop = loop
        self._enabled: dict[str, RoomOptions] = {}     # bare room JID → options
        self._rooms: dict[str, _Room] = {}             # only touched on the loop
        self._pending: dict[str, str] = {}             # our IQ id → what it was, for replies
        self._lock = threading.Lock()
        #: every Jingle action we sent or received, for asserts: (direction, action, nick)
        self.log: list[tuple[str, str, str]] = []

    # -- configuration (any thread) ---------------------------------------------------------

    def enable(self, room_jid: str, options: RoomOptions | None = None) -> None:
        with self._lock:
            self._enabled[room_jid.lower()] = options or RoomOptions()

    def disable(self, room_jid: str) -> None:
        with self._lock:
            self._enabled.pop(room_jid.lower(), None)

    def _options(self, room: Jid) -> RoomOptions | None:
        with self._lock:
            return self._enabled.get(str(room.bare).lower())

    # -- the focus hook (component thread) ------------------------------------------------------

    def claim_iq(self, iq: Element) -> bool:
        """True if this IQ is ours; it is then handled on the bridge loop."""
        iq_type = iq.get("type")
        if iq_type in ("result", "error"):
            with self._lock:
                ours = self._pending.pop(iq.get("id") or "", None)
            if ours is None:
                return False
            if iq_type == "error":
                log.info("%s was refused: %s", ours, _describe(iq))
            return True
        if iq_type != "set" or iq.find(f"{{{NS_JINGLE}}}jingle") is None:
            return False
        sender = _jid(iq.get("from"))
        if sender is None or sender.resource in (None, "focus") or self._options(sender) is None:
            return False
        # the component reuses (clears) the element after this call: hand over a copy
        self._loop.call_soon_threadsafe(self._on_jingle, copy.deepcopy(iq))
        return True

    def room_occupant_joined(self, room: Jid, nick: str, presence: Element) -> None:
        options = self._options(room)
        if options is not None:
            self._loop.call_soon_threadsafe(self._on_joined, room.bare, nick, options)

    def room_occupant_left(self, room: Jid, nick: str) -> None:
        self._loop.call_soon_threadsafe(self._on_left, room.bare, nick)

    def room_closed(self, room: Jid) -> None:
        self._loop.call_soon_threadsafe(self._on_room_closed, room.bare)

    # -- membership (loop) ------------------------------------------------------------------

    def _on_joined(self, room_jid: Jid, nick: str, options: RoomOptions) -> None:
        key = str(room_jid).lower()
        room = self._rooms.get(key)
        if room is None:
            room = self._rooms[key] = _Room(room_jid, options)
        if nick not in room.participants:
            room.participants[nick] = _Participant(nick, room_jid.with_resource(nick))
        if room.alone_timer is not None and len(room.participants) > 1:
            room.alone_timer.cancel()
            room.alone_timer = None
        if len(room.participants) >= room.options.min_participants:
            for participant in room.participants.values():
                if participant.state == "none":
                    participant.state = "inviting"      # before the task runs: invite once
                    self._spawn(self._invite(room, participant))

    def _on_left(self, room_jid: Jid, nick: str) -> None:
        room = self._rooms.get(str(room_jid).lower())
        if room is None:
            return
        participant = room.participants.pop(nick, None)
        if participant is None:
            return
        # Jicofo: "We don't send source-remove, because the participant leaving the MUC
        # will notify other participants" — unless asked for the old behaviour.
        self._end_participant(room, participant, source_remove=room.options.source_remove_on_leave)
        if not room.participants:
            self._rooms.pop(str(room_jid).lower(), None)
        elif len(room.participants) == 1:
            self._arm_alone_timer(room)

    def _on_room_closed(self, room_jid: Jid) -> None:
        room = self._rooms.pop(str(room_jid).lower(), None)
        if room is None:
            return
        for participant in list(room.participants.values()):
            self._end_participant(room, participant, source_remove=False)

    def _arm_alone_timer(self, room: _Room) -> None:
        timeout = room.options.single_participant_timeout_s
        if timeout is None:
            return
        if room.alone_timer is not None:
            room.alone_timer.cancel()
        room.alone_timer = self._loop.call_later(timeout, self._alone_timeout, room)

    def _alone_timeout(self, room: _Room) -> None:
        room.alone_timer = None
        if len(room.participants) != 1:
            return
        [participant] = room.participants.values()
        if participant.state in ("pending", "active"):
            self._terminate(room, participant, "expired", "Idle session timeout")
            self._end_participant(room, participant, source_remove=False)
            participant.state = "none"

    def _end_participant(self, room: _Room, participant: _Participant, *, source_remove: bool) -> None:
        if source_remove and not participant.sources.is_empty():
            self._fan_out(room, participant, Action.SOURCE_REMOVE, participant.sources)
        gone = participant.sources.ssrcs
        for other in room.participants.values():
            other.known -= gone
        participant.sources = EndpointSources()
        participant.sid = None
        participant.known = set()
        self._spawn(self.bridge.expire(room.conference_id, participant.nick))

    # -- invitations ------------------------------------------------------------------------------

    async def _invite(self, room: _Room, participant: _Participant) -> None:
        participant.state = "inviting"
        offer = await self.bridge.allocate(room.conference_id, participant.nick)
        if room.participants.get(participant.nick) is not participant:
            return           # left while we allocated
        audio_ssrc, video_ssrc = self.bridge.feedback_ssrcs(room.conference_id)
        remote = [feedback_sources(audio_ssrc, video_ssrc)]
        for other in room.participants.values():
            if other is not participant and not other.sources.is_empty():
                remote.append(self._owned(room, other.sources))
        participant.known = {s.ssrc for r in remote[1:] for s in r.audio + r.video}
        participant.sid = new_sid()
        participant.bridge_session = secrets.token_hex(8)
        participant.state = "pending"
        description = bridge_offer(offer, [] if room.options.json_sources else remote)
        extra = [el(f"{{{NS_JITSI_FOCUS}}}bridge-session",
                    {"id": participant.bridge_session, "region": "rig"})]
        if room.options.json_sources:
            extra.append(_json_message(remote))
        self._request(participant, Action.SESSION_INITIATE, description, extra)

    def _owned(self, room: _Room, sources: EndpointSources) -> EndpointSources:
        """Sources with the owner written the way this room's Jicofo writes it."""
        if room.options.owner_form != "jid":
            return sources
        def owner(source: Source) -> Source:
            if source.owner in (None, "jvb"):
                return source
            return replace(source, owner=str(room.jid.with_resource(source.owner)))
        return EndpointSources([owner(s) for s in sources.audio], [owner(s) for s in sources.video],
                               sources.audio_groups, sources.video_groups)

    def _request(self, participant: _Participant, action: Action,
                 description: SessionDescription | None, extra: list[Element] | None = None) -> None:
        if participant.sid is None:
            return
        iq = el("iq", {"type": "set", "id": new_id("jicofo"), "from": str(self.focus_jid),
                       "to": str(participant.occupant)})
        jingle = sub(iq, f"{{{NS_JINGLE}}}jingle", {
            "action": action.value, "initiator": str(self.focus_jid), "sid": participant.sid})
        if description is not None:
            jingle.extend(description_to_elements(description))
        for child in extra or ():
            jingle.append(child)
        with self._lock:
            self._pending[iq.get("id") or ""] = f"{action.value} to {participant.nick}"
        self.log.append(("out", action.value, participant.nick))
        self._send([iq])

    def _terminate(self, room: _Room, participant: _Participant, reason: str, text: str | None) -> None:
        reason_element = el(f"{{{NS_JINGLE}}}reason")
        sub(reason_element, f"{{{NS_JINGLE}}}{reason}")
        if text:
            sub(reason_element, f"{{{NS_JINGLE}}}text", text=text)
        self._request(participant, Action.SESSION_TERMINATE, None, [reason_element])

    def _fan_out(self, room: _Room, owner: _Participant, action: Action,
                 sources: EndpointSources) -> None:
        """source-add / source-remove of ``owner``'s ``sources`` to everyone with a session."""
        owned = self._owned(room, sources)
        for other in room.participants.values():
            if other is owner or other.state not in ("pending", "active"):
                continue
            if action is Action.SOURCE_ADD:
                if other.state != "active":
                    continue          # sent with the queued sources once it accepts
                other.known |= sources.ssrcs
            else:
                if not other.known & sources.ssrcs:
                    continue
                other.known -= sources.ssrcs
            self._send_sources(room, other, action, [owned])

    def _send_sources(self, room: _Room, to: _Participant, action: Action,
                      sources: list[EndpointSources]) -> None:
        if room.options.json_sources:
            self._request(to, action, None, [_json_message(sources)])
        else:
            self._request(to, action, sources_description(sources))

    def move(self, room_jid: str, nick: str) -> None:
        """Jicofo moving a participant to a new bridge session: ``session-terminate``
        ``success``/"moving", then a fresh ``session-initiate`` (any thread)."""
        self._loop.call_soon_threadsafe(self._move, room_jid.lower(), nick)

    def _move(self, room_key: str, nick: str) -> None:
        room = self._rooms.get(room_key)
        participant = room.participants.get(nick) if room else None
        if room is None or participant is None or participant.state not in ("pending", "active"):
            return
        self._terminate(room, participant, "success", "moving")
        self._end_participant(room, participant, source_remove=True)
        participant.state = "inviting"
        self._spawn(self._invite(room, participant))

    # -- what participants send (loop) ----------------------------------------------------------

    def _on_jingle(self, iq: Element) -> None:
        if not iq.get("to"):
            iq.set("to", str(self.focus_jid))
        try:
            request = parse_jingle_iq(iq)
        except UnknownActionError:
            self._send([_component(error_for(iq, "feature-not-implemented"), iq)])
            return
        except RemoteProtocolError as exc:
            log.info("bad Jingle from %s: %s", iq.get("from"), exc)
            self._send([_component(error_for(iq, "bad-request"), iq)])
            return
        sender = request.sender
        room = self._rooms.get(str(sender.bare).lower())
        participant = room.participants.get(sender.resource or "") if room else None
        self.log.append(("in", request.action.value, sender.resource or ""))
        if room is None or participant is None or participant.sid != request.sid:
            self._send([_component(unknown_session_reply(iq), iq)])
            return
        handler = {
            Action.SESSION_ACCEPT: self._on_accept,
            Action.TRANSPORT_INFO: self._on_transport_info,
            Action.SOURCE_ADD: self._on_source_add,
            Action.SOURCE_REMOVE: self._on_source_remove,
            Action.SESSION_TERMINATE: self._on_terminate,
            Action.SESSION_INFO: lambda *args: None,
            Action.TRANSPORT_ACCEPT: lambda *args: None,
        }.get(request.action)
        if handler is None:
            self._send([_component(error_for(iq, "feature-not-implemented"), iq)])
            return
        error = handler(room, participant, request)
        self._send([_component(error if error is not None else result_for(iq), iq)])

    def _on_accept(self, room: _Room, participant: _Participant, request: JingleRequest) -> Element | None:
        if participant.state != "pending":
            return None
        sources = participant_sources(request.description, participant.nick)
        taken = {s for other in room.participants.values() if other is not participant
                 for s in other.sources.ssrcs}
        problem = validate_sources(sources, taken)
        if problem is not None:
            log.info("session-accept of %s refused: %s", participant.nick, problem)
            return _bad_request(request, problem)
        transport = next((c.transport for c in request.description.contents
                          if c.transport is not None), None)
        if transport is None or not transport.ufrag or not transport.pwd or not transport.fingerprints:
            return _bad_request(request, "no transport")
        participant.state = "active"
        participant.sources = sources
        fingerprint_setup = next((f.setup for f in transport.fingerprints if f.setup), None)
        self.bridge.add_sources(room.conference_id, participant.nick,
                                bridge_sources(sources, participant.nick))
        self.bridge.connect(room.conference_id, participant.nick, ufrag=transport.ufrag,
                            pwd=transport.pwd, setup=fingerprint_setup,
                            fingerprints=[(f.hash, f.value) for f in transport.fingerprints],
                            candidates=transport.candidates)
        self._fan_out(room, participant, Action.SOURCE_ADD, sources)
        # what came up while this participant's offer was on its way
        queued = []
        for other in room.participants.values():
            if other is participant or other.sources.is_empty():
                continue
            missing = other.sources.ssrcs - participant.known
            if missing:
                queued.append(self._owned(room, other.sources))
                participant.known |= other.sources.ssrcs
        if queued:
            self._send_sources(room, participant, Action.SOURCE_ADD, queued)
        return None

    def _on_transport_info(self, room: _Room, participant: _Participant,
                           request: JingleRequest) -> Element | None:
        for content in request.description.contents:
            if content.transport is not None:
                self.bridge.add_candidates(room.conference_id, participant.nick,
                                           content.transport.candidates)
        return None

    def _on_source_add(self, room: _Room, participant: _Participant,
                       request: JingleRequest) -> Element | None:
        added = participant_sources(request.description, participant.nick)
        taken = {s for other in room.participants.values() for s in other.sources.ssrcs}
        problem = validate_sources(added, taken)
        if problem is not None:
            return _bad_request(request, problem)
        for media in ("audio", "video"):
            sources, groups = participant.sources.of(media)
            new_sources, new_groups = added.of(media)
            sources.extend(new_sources)
            groups.extend(new_groups)
        self.bridge.add_sources(room.conference_id, participant.nick,
                                bridge_sources(added, participant.nick))
        self._fan_out(room, participant, Action.SOURCE_ADD, added)
        return None

    def _on_source_remove(self, room: _Room, participant: _Participant,
                          request: JingleRequest) -> Element | None:
        gone = {s.ssrc for _, s in request.description.all_sources()}
        removed = EndpointSources()
        for media in ("audio", "video"):
            sources, groups = participant.sources.of(media)
            out_sources, out_groups = removed.of(media)
            out_sources.extend(s for s in sources if s.ssrc in gone)
            out_groups.extend(g for g in groups if set(g.ssrcs) & gone)
            sources[:] = [s for s in sources if s.ssrc not in gone]
            groups[:] = [g for g in groups if not set(g.ssrcs) & gone]
        self.bridge.remove_sources(room.conference_id, participant.nick, gone)
        if not removed.is_empty():
            self._fan_out(room, participant, Action.SOURCE_REMOVE, removed)
        return None

    def _on_terminate(self, room: _Room, participant: _Participant,
                      request: JingleRequest) -> Element | None:
        jingle = request.element
        restart = False
        if jingle is not None:
            session = jingle.find(f"{{{NS_JITSI_FOCUS}}}bridge-session")
            restart = session is not None and session.get("restart") == "true"
        log.info("%s terminated its session (%s), restart=%s", participant.nick,
                 request.reason, restart)
        self._end_participant(room, participant, source_remove=True)
        participant.state = "none"
        if restart:
            participant.state = "inviting"
            self._spawn(self._invite(room, participant))
        return None

    # -- helpers ------------------------------------------------------------------------------

    def _spawn(self, coroutine) -> None:  # noqa: ANN001
        task = self._loop.create_task(coroutine)
        task.add_done_callback(_log_failure)


def _log_failure(task: asyncio.Task) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("jicofo task failed", exc_info=task.exception())


def _json_message(remote: Iterable[EndpointSources]) -> Element:
    """Jicofo's compact JSON source encoding (json-encoded-sources)."""
    owners: dict[str, list] = {}
    for sources in remote:
        for media, index in (("video", 0), ("audio", 2)):
            items, groups = sources.of(media)
            for source in items:
                entry = owners.setdefault(source.owner or "", [[], [], [], []])
                compact = {"s": source.ssrc, "n": source.name, "m": source.msid}
                if source.video_type == "desktop":
                    compact["v"] = "d"
                entry[index].append({k: v for k, v in compact.items() if v is not None})
            for group in groups:
                owner = next((s.owner for s in items if s.ssrc == group.ssrcs[0]), "")
                entry = owners.setdefault(owner or "", [[], [], [], []])
                entry[index + 1].append(["f" if group.semantics == "FID" else "s", *group.ssrcs])
    return el(f"{{{NS_JITSI_MEET}}}json-message", text=json.dumps({"sources": owners}))


def _bad_request(request: JingleRequest, text: str) -> Element:
    iq = el("iq", {"from": str(request.sender), "id": request.iq_id})
    return error_for(iq, "bad-request", error_type="modify", text=text)


def _component(reply: Element, request: Element) -> Element:
    """A reply as a component sends it: Prosody wants the component's address as ``from``
    (an empty or foreign one ends the component's stream)."""
    reply.set("from", request.get("to") or "")
    return reply


def _jid(text: str | None) -> Jid | None:
    if not text:
        return None
    try:
        return Jid.parse(text)
    except RemoteProtocolError:
        return None


def _describe(iq: Element) -> str:
    error = iq.find("{*}error")
    if error is None:
        return "error"
    return " ".join(child.tag.rpartition("}")[2] for child in error)
