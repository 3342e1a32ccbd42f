"""Jingle description model ⇄ SDP text for a WebRTC stack (aiortc), both directions.

Remote → SDP (``remote_sdp``): every remote source (a primary SSRC with its RTX
partner) gets an m-line of its own, because aiortc routes RTP only by SSRC and
mixes two SSRCs on one m-line into one decoder.  The first source of a content stays
on the content's own m-line (mid = content name), so the tracks we send — added to
the peer connection before the offer is applied — attach to those; every further
source becomes an extra m-line with a made-up mid that never goes back into Jingle.
``RemoteSdp.lines`` says which source each mid carries.

SDP → Jingle (``local_description``): our offer or answer as Jingle contents, with
our sources named ``<endpoint>-a0`` / ``<endpoint>-v0``, msid, FID groups, the
sha-256 fingerprint with the DTLS role the SDP chose, and all candidates inline
(aiortc gathers before it returns a description, so there is nothing to trickle).

No aiortc import here: the texts are built and read by hand.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from client.errors import LocalProtocolError
from client.jitsi.description import (
    Candidate,
    Content,
    Fingerprint,
    Group,
    HeaderExtension,
    IceUdpTransport,
    Parameter,
    PayloadType,
    RtcpFeedback,
    RtpDescription,
    SctpMap,
    SessionDescription,
    Source,
    SsrcGroup,
)

# Jingle content ``senders`` ⇄ the SDP direction of the party that wrote the Jingle.
# lib-jitsi-meet (SDP.ts toJingle / jingle2media, unchanged since 2014) uses one fixed
# table whatever that party's role: sendonly ⇄ 'initiator', recvonly ⇄ 'responder'.
# XEP-0166 would flip it for the responder, but a browser reads our session-accept with
# this table (a role-aware 'responder' for our sendonly video made it fail with
# "Incompatible send direction"), so we write and read it the same way.
_DIRECTION_OF_SENDERS = {"both": "sendrecv", "initiator": "sendonly", "responder": "recvonly",
                         "none": "inactive", "rejected": "inactive"}
_SETUP_FOR_ACTPASS = "actpass"


def sdp_direction(senders: str | None) -> str:
    """The SDP direction (of the Jingle's author) that a content's ``senders`` stands for."""
    return _DIRECTION_OF_SENDERS.get(senders or "both", "sendrecv")


def jingle_senders(direction: str) -> str:
    """The ``senders`` lib-jitsi-meet writes for an m-line with ``direction``."""
    for senders, value in _DIRECTION_OF_SENDERS.items():
        if value == direction and senders != "rejected":
            return senders
    return "both"


# --- remote description → SDP ---------------------------------------------------------

@dataclass(frozen=True)
class MediaLine:
    """One m-line of an SDP we built from the peer's description."""

    mid: str
    content_name: str
    media: str
    direction: str
    #: the primary SSRC first, then its RTX partner (aiortc's order rule)
    sources: tuple[Source, ...] = ()
    source_name: str | None = None
    owner: str | None = None

    @property
    def primary_ssrc(self) -> int | None:
        return self.sources[0].ssrc if self.sources else None


@dataclass(frozen=True)
class RemoteSdp:
    text: str
    lines: tuple[MediaLine, ...]

    def line(self, mid: str) -> MediaLine | None:
        for line in self.lines:
            if line.mid == mid:
                return line
        return None

    @property
    def content_mids(self) -> frozenset[str]:
        """Mids that are Jingle contents (the others were made up for extra sources)."""
        return frozenset(line.mid for line in self.lines if line.mid == line.content_name)


def split_streams(description: RtpDescription) -> list[tuple[Source, ...]]:
    """The content's sources as streams: each primary with its FID partner, simulcast reduced to
    its first layer (Jicofo strips simulcast for receivers anyway), in signalling order."""
    by_ssrc = {source.ssrc: source for source in description.sources}
    partner: dict[int, int] = {}
    repairs: set[int] = set()
    hidden: set[int] = set()
    for group in description.ssrc_groups:
        if group.semantics == "FID" and len(group.ssrcs) == 2:
            primary, rtx = group.ssrcs
            partner[primary] = rtx
            repairs.add(rtx)
        elif group.semantics == "SIM" and len(group.ssrcs) > 1:
            hidden.update(group.ssrcs[1:])
    for group in description.ssrc_groups:  # the RTX of a hidden simulcast layer goes too
        if group.semantics == "FID" and len(group.ssrcs) == 2 and group.ssrcs[0] in hidden:
            hidden.add(group.ssrcs[1])
    streams = []
    for source in description.sources:
        if source.ssrc in repairs or source.ssrc in hidden:
            continue
        stream = [source]
        rtx = partner.get(source.ssrc)
        if rtx is not None and rtx in by_ssrc:
            stream.append(by_ssrc[rtx])
        streams.append(tuple(stream))
    # The bridge's own feedback source first, as LJM does, so that it (not a participant's
    # stream) shares the content's m-line with the tracks we send.
    streams.sort(key=lambda stream: not _is_bridge_source(stream[0]))
    return streams


def _is_bridge_source(source: Source) -> bool:
    return source.owner == "jvb" or "mixedmslabel" in (source.msid or "")


def remote_sdp(description: SessionDescription, *, sdp_type: str,
               peer_endpoint: str | None = None, fallback_transport: IceUdpTransport | None = None,
               session_id: int = 1, session_version: int = 1,
               split_sources: bool = True) -> RemoteSdp:
    """The peer's description as an SDP ``offer``/``answer`` for our peer connection.

    ``peer_endpoint`` names unnamed sources
    (a P2P peer of 2021 signals no source names; all its sources are its own).
    In an answer no m-lines can be added, so only each content's first source is used.
    """
    media_lines: list[MediaLine] = []
    blocks: list[str] = []
    used_mids = {content.name for content in description.contents}
    name_counters: dict[tuple[str | None, str], int] = {}
    transport_default = fallback_transport or next(
        (c.transport for c in description.contents if c.transport is not None), None)

    def mid_for_extra() -> str:
        index = len(media_lines)
        while f"x{index}" in used_mids:
            index += 1
        used_mids.add(f"x{index}")
        return f"x{index}"

    for content in description.contents:
        transport = content.transport or transport_default
        direction = sdp_direction(content.senders)
        rejected = content.senders == "rejected"
        if content.description is None:
            if transport is not None and transport.sctp is not None:
                blocks.append(_application_block(content.name, transport, rejected))
                media_lines.append(MediaLine(content.name, content.name, "application", direction))
            continue
        rtp = content.description
        streams = split_streams(rtp) or [()]
        if not split_sources or sdp_type == "answer":
            streams = streams[:1]
        for index, stream in enumerate(streams):
            mid = content.name if index == 0 else mid_for_extra()
            # the extra lines only carry what the peer sends
            line_direction = direction if index == 0 else "sendonly"
            owner, name = _source_identity(stream, rtp.media, peer_endpoint, name_counters)
            blocks.append(_rtp_block(mid, rtp, stream, transport, line_direction, rejected))
            media_lines.append(MediaLine(mid, content.name, rtp.media, line_direction, stream,
                                         name, owner))
    bundle = " ".join(line.mid for line in media_lines)
    header = [
        "v=0",
        f"o=- {session_id} {session_version} IN IP4 0.0.0.0",
        "s=-",
        "t=0 0",
        "a=msid-semantic: WMS *",
    ]
    if media_lines:
        header.append(f"a=group:BUNDLE {bundle}")
    text = "\r\n".join(header + blocks) + "\r\n"
    return RemoteSdp(text, tuple(media_lines))


def _source_identity(stream: tuple[Source, ...], media: str, peer_endpoint: str | None,
                     counters: dict[tuple[str | None, str], int]) -> tuple[str | None, str | None]:
    if not stream:
        return None, None
    primary = stream[0]
    owner = primary.owner_endpoint or peer_endpoint
    letter = "a" if media == "audio" else "v"
    if primary.name:
        return owner, primary.name
    if owner is None:
        return None, None
    # like LJM when a peer does not signal names: <owner>-a0, -v0, then -v1 …
    index = counters.get((owner, letter), 0)
    counters[(owner, letter)] = index + 1
    return owner, f"{owner}-{letter}{index}"


def _rtp_block(mid: str, rtp: RtpDescription, stream: tuple[Source, ...],
               transport: IceUdpTransport | None, direction: str, rejected: bool) -> str:
    pts = " ".join(str(pt.id) for pt in rtp.payload_types) or "0"
    lines = [f"m={rtp.media} {0 if rejected else 9} UDP/TLS/RTP/SAVPF {pts}", "c=IN IP4 0.0.0.0"]
    for pt in rtp.payload_types:
        channels = f"/{pt.channels}" if pt.channels and pt.channels != 1 else ""
        lines.append(f"a=rtpmap:{pt.id} {pt.name}/{pt.clockrate or 90000}{channels}")
    for pt in rtp.payload_types:
        if pt.parameters:
            fmtp = ";".join(p.value if not p.name else f"{p.name}={p.value}" for p in pt.parameters)
            lines.append(f"a=fmtp:{pt.id} {fmtp}")
    lines.append("a=rtcp:1 IN IP4 0.0.0.0")
    for fb in rtp.feedback:
        lines.append(f"a=rtcp-fb:* {_fb_text(fb)}")
    for pt in rtp.payload_types:
        for fb in pt.feedback:
            lines.append(f"a=rtcp-fb:{pt.id} {_fb_text(fb)}")
    for extension in rtp.header_extensions:
        lines.append(f"a=extmap:{extension.id} {extension.uri}")
    if rtp.extmap_allow_mixed:
        lines.append("a=extmap-allow-mixed")
    lines.extend(_transport_lines(transport))
    lines.append(f"a=mid:{mid}")
    lines.append(f"a={direction}")
    msid = stream[0].msid if stream else None
    if msid and len(msid.split()) == 2:
        lines.append(f"a=msid:{msid}")
    ssrcs = {source.ssrc for source in stream}
    for group in rtp.ssrc_groups:
        if group.semantics == "FID" and len(group.ssrcs) == 2 and set(group.ssrcs) <= ssrcs:
            lines.append(f"a=ssrc-group:FID {group.ssrcs[0]} {group.ssrcs[1]}")
    for source in stream:
        cname = next((p.value for p in source.parameters if p.name == "cname"), None)
        lines.append(f"a=ssrc:{source.ssrc} cname:{cname or source.owner_endpoint or 'remote'}")
        if source.msid:
            lines.append(f"a=ssrc:{source.ssrc} msid:{source.msid}")
    # rtcp-mux is mandatory with BUNDLE; Jicofo and LJM always use it
    lines.append("a=rtcp-mux")
    return "\r\n".join(lines)


def _application_block(mid: str, transport: IceUdpTransport, rejected: bool) -> str:
    sctp = transport.sctp
    lines = [f"m=application {0 if rejected else 9} UDP/DTLS/SCTP webrtc-datachannel",
             "c=IN IP4 0.0.0.0"]
    lines.extend(_transport_lines(transport))
    lines.append(f"a=mid:{mid}")
    if sctp is not None:
        lines.append(f"a=sctp-port:{sctp.number}")
    lines.append("a=max-message-size:262144")
    return "\r\n".join(lines)


def _fb_text(fb: RtcpFeedback) -> str:
    return f"{fb.type} {fb.subtype}" if fb.subtype else fb.type


def _transport_lines(transport: IceUdpTransport | None) -> list[str]:
    if transport is None:
        return []
    lines = []
    setup = next((fp.setup for fp in transport.fingerprints if fp.setup), None)
    if setup:
        lines.append(f"a=setup:{setup}")
    if transport.ufrag:
        lines.append(f"a=ice-ufrag:{transport.ufrag}")
    if transport.pwd:
        lines.append(f"a=ice-pwd:{transport.pwd}")
    for fingerprint in transport.fingerprints:
        lines.append(f"a=fingerprint:{fingerprint.hash} {fingerprint.value}")
    for candidate in transport.candidates:
        lines.append("a=candidate:" + candidate_to_sdp(candidate))
    return lines


def candidate_to_sdp(candidate: Candidate) -> str:
    """A Jingle candidate as the value of an ``a=candidate:`` line."""
    text = (f"{candidate.foundation} {candidate.component} {candidate.protocol} "
            f"{candidate.priority} {candidate.ip} {candidate.port} typ {candidate.type}")
    if candidate.rel_addr is not None and candidate.rel_port is not None \
            and candidate.type in ("srflx", "prflx", "relay"):
        text += f" raddr {candidate.rel_addr} rport {candidate.rel_port}"
    if candidate.tcptype and candidate.protocol == "tcp":
        text += f" tcptype {candidate.tcptype}"
    return text + f" generation {candidate.generation}"


def candidate_from_sdp(text: str) -> Candidate:
    """The value of an ``a=candidate:`` line (from our own stack) as a Jingle candidate."""
    if text.startswith("candidate:"):
        text = text[len("candidate:"):]
    bits = text.split()
    if len(bits) < 8 or bits[6] != "typ":
        raise LocalProtocolError(reason=f"malformed candidate line {text[:60]!r}")
    try:
        extra = dict(zip(bits[8::2], bits[9::2]))
        return Candidate(
            foundation=bits[0], component=int(bits[1]), protocol=bits[2].lower(),
            priority=int(bits[3]), ip=bits[4], port=int(bits[5]), type=bits[7],
            rel_addr=extra.get("raddr"),
            rel_port=int(extra["rport"]) if "rport" in extra else None,
            tcptype=extra.get("tcptype"),
            generation=int(extra.get("generation", "0")),
            id=secrets.token_hex(5), network=1)
    except ValueError:
        raise LocalProtocolError(reason=f"malformed candidate line {text[:60]!r}") from None


# --- SDP text → sections ---------------------------------------------------------------

@dataclass
class SdpMedia:
    """One m-section of an SDP, attributes in order."""

    kind: str
    port: int
    protocol: str
    formats: list[str]
    attributes: list[tuple[str, str]] = field(default_factory=list)

    def values(self, name: str) -> list[str]:
        return [value for key, value in self.attributes if key == name]

    def value(self, name: str) -> str | None:
        values = self.values(name)
        return values[0] if values else None

    def has(self, name: str) -> bool:
        return any(key == name for key, _ in self.attributes)

    @property
    def mid(self) -> str | None:
        return self.value("mid")

    @property
    def direction(self) -> str:
        for key, _ in self.attributes:
            if key in ("sendrecv", "sendonly", "recvonly", "inactive"):
                return key
        return "sendrecv"


@dataclass
class SdpSession:
    attributes: list[tuple[str, str]]
    media: list[SdpMedia]

    def values(self, name: str) -> list[str]:
        return [value for key, value in self.attributes if key == name]


def parse_sdp(text: str) -> SdpSession:
    """Split an SDP (written by our own WebRTC stack) into session and media attributes."""
    session: list[tuple[str, str]] = []
    media: list[SdpMedia] = []
    for raw in text.splitlines():
        line = raw.strip()
        if len(line) < 2 or line[1] != "=":
            continue
        kind, value = line[0], line[2:]
        if kind == "m":
            bits = value.split()
            if len(bits) < 3:
                raise LocalProtocolError(reason=f"malformed m-line {value[:60]!r}")
            try:
                port = int(bits[1].split("/")[0])
            except ValueError:
                raise LocalProtocolError(reason=f"malformed m-line {value[:60]!r}") from None
            media.append(SdpMedia(bits[0], port, bits[2], bits[3:]))
        elif kind == "a":
            name, _, attr_value = value.partition(":")
            (media[-1].attributes if media else session).append((name, attr_value))
    return SdpSession(session, media)


# --- our SDP → Jingle -------------------------------------------------------------------

def our_source_name(endpoint_id: str, media: str, index: int = 0) -> str:
    return f"{endpoint_id}-{'a' if media == 'audio' else 'v'}{index}"


def local_description(sdp_text: str, *, endpoint_id: str, role: str,
                      include_mids: frozenset[str] | None = None,
                      content_names: dict[str, str] | None = None) -> SessionDescription:
    """Our offer (``role='initiator'``) or answer (``'responder'``) as Jingle contents.

    ``include_mids`` limits the contents to those the peer knows (an answer also covers the
    extra m-lines we made up for additional remote sources); ``content_names`` renames mids.
    """
    sdp = parse_sdp(sdp_text)
    contents: list[Content] = []
    counters: dict[str, int] = {}
    session_fingerprints = sdp.values("fingerprint")
    session_setup = next(iter(sdp.values("setup")), None)
    for section in sdp.media:
        mid = section.mid
        if mid is None:
            raise LocalProtocolError(reason="our SDP has an m-line without a mid")
        if include_mids is not None and mid not in include_mids:
            continue
        name = (content_names or {}).get(mid, mid)
        direction = section.direction
        senders = "rejected" if section.port == 0 and not section.has("bundle-only") \
            else jingle_senders(direction)
        transport = _transport_from_section(section, session_fingerprints, session_setup)
        if section.kind == "application":
            contents.append(Content(name=name, creator=role, senders=senders, transport=transport))
            continue
        sends = direction in ("sendrecv", "sendonly") and section.port != 0
        index = counters.get(section.kind, 0)
        sources: tuple[Source, ...] = ()
        groups: tuple[SsrcGroup, ...] = ()
        if sends:
            counters[section.kind] = index + 1
            sources, groups = _our_sources(section, endpoint_id, index)
        contents.append(Content(name=name, creator=role, senders=senders, transport=transport,
                                description=RtpDescription(
                                    media=section.kind,
                                    payload_types=_payload_types(section),
                                    header_extensions=_header_extensions(section),
                                    extmap_allow_mixed=section.has("extmap-allow-mixed")
                                    or any(k == "extmap-allow-mixed" for k, _ in sdp.attributes),
                                    sources=sources, ssrc_groups=groups,
                                    rtcp_mux=section.has("rtcp-mux"))))
    names = tuple(content.name for content in contents)
    groups_out = (Group("BUNDLE", names),) if names else ()
    return SessionDescription(tuple(contents), groups_out)


def _payload_types(section: SdpMedia) -> tuple[PayloadType, ...]:
    rtpmap: dict[str, tuple[str, int | None, int | None]] = {}
    for value in section.values("rtpmap"):
        pt, _, codec = value.partition(" ")
        bits = codec.split("/")
        try:
            clockrate = int(bits[1]) if len(bits) > 1 else None
            channels = int(bits[2]) if len(bits) > 2 else None
        except ValueError:
            raise LocalProtocolError(reason=f"malformed rtpmap {value[:60]!r}") from None
        rtpmap[pt] = (bits[0], clockrate, channels)
    fmtp: dict[str, tuple[Parameter, ...]] = {}
    for value in section.values("fmtp"):
        pt, _, params = value.partition(" ")
        parsed = []
        for item in params.split(";"):
            item = item.strip()
            if not item:
                continue
            key, eq, val = item.partition("=")
            parsed.append(Parameter(key, val) if eq else Parameter("", key))
        fmtp[pt] = tuple(parsed)
    feedback: dict[str, list[RtcpFeedback]] = {}
    for value in section.values("rtcp-fb"):
        bits = value.split()
        if len(bits) >= 2:
            feedback.setdefault(bits[0], []).append(
                RtcpFeedback(bits[1], bits[2] if len(bits) > 2 else None))
    result = []
    for pt in section.formats:
        if pt not in rtpmap:
            continue
        name, clockrate, channels = rtpmap[pt]
        result.append(PayloadType(
            id=int(pt), name=name, clockrate=clockrate, channels=channels,
            parameters=fmtp.get(pt, ()),
            feedback=tuple(feedback.get(pt, []) + feedback.get("*", []))))
    return tuple(result)


# LJM's table for extmap directions (the reverse of the content one, as LJM writes it)
_EXTMAP_SENDERS = {"sendonly": "responder", "recvonly": "initiator", "sendrecv": "both",
                   "inactive": "none"}


def _header_extensions(section: SdpMedia) -> tuple[HeaderExtension, ...]:
    table = _EXTMAP_SENDERS
    result = []
    for value in section.values("extmap"):
        ident, _, uri = value.partition(" ")
        ident, _, direction = ident.partition("/")
        try:
            number = int(ident)
        except ValueError:
            raise LocalProtocolError(reason=f"malformed extmap {value[:60]!r}") from None
        result.append(HeaderExtension(number, uri.split()[0] if uri else "",
                                      table.get(direction) if direction else None))
    return tuple(result)


def _our_sources(section: SdpMedia, endpoint_id: str,
                 index: int) -> tuple[tuple[Source, ...], tuple[SsrcGroup, ...]]:
    ssrcs: list[int] = []
    for value in section.values("ssrc"):
        try:
            ssrc = int(value.split()[0])
        except (ValueError, IndexError):
            raise LocalProtocolError(reason=f"malformed ssrc line {value[:60]!r}") from None
        if ssrc not in ssrcs:
            ssrcs.append(ssrc)
    groups = []
    for value in section.values("ssrc-group"):
        bits = value.split()
        if len(bits) >= 3:
            groups.append(SsrcGroup(bits[0], tuple(int(b) for b in bits[1:])))
    media_word = "audio" if section.kind == "audio" else "video"
    name = our_source_name(endpoint_id, section.kind, index)
    track_id = None
    msid_line = section.value("msid")
    if msid_line and len(msid_line.split()) == 2:
        track_id = msid_line.split()[1]
    # LJM's form: <endpoint>-<media>-<track index>-<pc id> <track id>-<pc id>; unique per endpoint
    msid = f"{endpoint_id}-{media_word}-{index}-1 {track_id or secrets.token_hex(8)}-1"
    video_type = "camera" if section.kind == "video" else None
    sources = tuple(Source(ssrc, name=name, video_type=video_type,
                           parameters=(Parameter("msid", msid),)) for ssrc in ssrcs)
    return sources, tuple(groups)


def _transport_from_section(section: SdpMedia, session_fingerprints: list[str],
                            session_setup: str | None) -> IceUdpTransport:
    setup = section.value("setup") or session_setup or _SETUP_FOR_ACTPASS
    fingerprints = []
    for value in section.values("fingerprint") or session_fingerprints:
        hash_name, _, digest = value.partition(" ")
        # one fingerprint is enough, and the one every peer checks is sha-256
        if hash_name.lower() == "sha-256":
            fingerprints.append(Fingerprint(hash_name.lower(), digest.strip(), setup=setup))
    candidates = tuple(candidate_from_sdp(value) for value in section.values("candidate"))
    sctp = None
    port = section.value("sctp-port")
    if section.kind == "application" and port and port.isdigit():
        sctp = SctpMap(int(port), "webrtc-datachannel", 0)
    return IceUdpTransport(ufrag=section.value("ice-ufrag"), pwd=section.value("ice-pwd"),
                           candidates=candidates, fingerprints=tuple(fingerprints),
                           rtcp_mux=section.has("rtcp-mux"), sctp=sctp)
