"""The Jingle media description (XEP-0166/0167/0176/0320/0339 + Jitsi extensions) as values.

A ``SessionDescription`` is what a session-initiate, session-accept, source-add or
transport-info carries: contents (each an RTP description and/or an ICE-UDP
transport) plus BUNDLE groups.  ``from_element`` / ``to_element`` pairs turn it
into XML and back; parsing any input either gives a model or raises
``RemoteProtocolError``.  Nothing here knows about SDP or aiortc (see sdp.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Iterable

from client.errors import RemoteProtocolError
from client.jitsi.ns import (
    NS_COLIBRI,
    NS_JINGLE,
    NS_JINGLE_DTLS,
    NS_JINGLE_GROUPING,
    NS_JINGLE_ICE_UDP,
    NS_JINGLE_RTP,
    NS_JINGLE_RTP_FB,
    NS_JINGLE_RTP_HDREXT,
    NS_JINGLE_RTP_SSMA,
    NS_JITSI_MEET,
)
from client.jitsi.stanza import Element, el, sub

NS_JINGLE_SCTP = "urn:xmpp:jingle:transports:dtls-sctp:1"

SENDERS = ("both", "initiator", "responder", "none", "rejected")
CREATORS = ("initiator", "responder")
SETUP_ROLES = ("active", "passive", "actpass", "holdconn")

_MAX_SSRC = 0xFFFFFFFF


# --- values ------------------------------------------------------------------------

@dataclass(frozen=True)
class Parameter:
    """A ``<parameter name value>``; a nameless one is a bare fmtp value (RED's ``111/111``)."""

    name: str
    value: str


@dataclass(frozen=True)
class RtcpFeedback:
    """``<rtcp-fb type subtype>`` (XEP-0293), e.g. ``nack``/``pli`` or ``ccm``/``fir``."""

    type: str
    subtype: str | None = None


@dataclass(frozen=True)
class PayloadType:
    """One codec offered or accepted, with its fmtp parameters and RTCP feedback."""

    id: int
    name: str
    clockrate: int | None = None
    channels: int | None = None
    maxptime: int | None = None
    ptime: int | None = None
    parameters: tuple[Parameter, ...] = ()
    feedback: tuple[RtcpFeedback, ...] = ()

    def parameter(self, name: str) -> str | None:
        for parameter in self.parameters:
            if parameter.name == name:
                return parameter.value
        return None

    @property
    def is_rtx(self) -> bool:
        return self.name.lower() == "rtx"

    @property
    def apt(self) -> int | None:
        """The payload type an RTX entry repairs."""
        value = self.parameter("apt")
        return int(value) if value is not None and value.isdigit() else None


@dataclass(frozen=True)
class HeaderExtension:
    """``<rtp-hdrext id uri senders>`` (XEP-0294)."""

    id: int
    uri: str
    senders: str | None = None


@dataclass(frozen=True)
class Source:
    """One SSRC (XEP-0339) with Jitsi's source name, video type and owner."""

    ssrc: int
    name: str | None = None
    video_type: str | None = None
    #: endpoint id (or the old full MUC JID form, or ``jvb``) from ``<ssrc-info owner>``
    owner: str | None = None
    parameters: tuple[Parameter, ...] = ()

    @property
    def msid(self) -> str | None:
        for parameter in self.parameters:
            if parameter.name == "msid":
                return parameter.value
        return None

    @property
    def owner_endpoint(self) -> str | None:
        """The owner as an endpoint id: old Jicofos sent ``room@conference.d/<id>``."""
        if self.owner is None:
            return None
        return self.owner.rpartition("/")[2] if "/" in self.owner else self.owner


@dataclass(frozen=True)
class SsrcGroup:
    """``<ssrc-group semantics>``: FID pairs a primary with its RTX, SIM lists simulcast layers."""

    semantics: str
    ssrcs: tuple[int, ...]


@dataclass(frozen=True)
class RtpDescription:
    """``<description xmlns=rtp:1>``: what one content sends and receives."""

    media: str
    ssrc: int | None = None
    maxptime: int | None = None
    payload_types: tuple[PayloadType, ...] = ()
    header_extensions: tuple[HeaderExtension, ...] = ()
    extmap_allow_mixed: bool = False
    sources: tuple[Source, ...] = ()
    ssrc_groups: tuple[SsrcGroup, ...] = ()
    rtcp_mux: bool = False
    #: description-level ``<rtcp-fb>``: applies to every payload type (SDP ``a=rtcp-fb:*``)
    feedback: tuple[RtcpFeedback, ...] = ()

    def source(self, ssrc: int) -> Source | None:
        for source in self.sources:
            if source.ssrc == ssrc:
                return source
        return None

    def payload_type(self, pt: int) -> PayloadType | None:
        for payload_type in self.payload_types:
            if payload_type.id == pt:
                return payload_type
        return None


@dataclass(frozen=True)
class Candidate:
    """An ICE candidate as XEP-0176 writes it."""

    component: int
    foundation: str
    ip: str
    port: int
    priority: int
    protocol: str
    type: str
    generation: int = 0
    id: str | None = None
    network: int | None = None
    rel_addr: str | None = None
    rel_port: int | None = None
    tcptype: str | None = None


@dataclass(frozen=True)
class Fingerprint:
    """DTLS certificate fingerprint (XEP-0320) and the DTLS role (``setup``)."""

    hash: str
    value: str
    setup: str | None = None
    required: str | None = None
    cryptex: str | None = None


@dataclass(frozen=True)
class SctpMap:
    """``<sctpmap number protocol streams>``: an SCTP data channel over the DTLS transport."""

    number: int
    protocol: str
    streams: int | None = None


@dataclass(frozen=True)
class IceUdpTransport:
    """``<transport xmlns=ice-udp:1>``: ICE credentials, candidates, fingerprints, bridge URLs."""

    ufrag: str | None = None
    pwd: str | None = None
    candidates: tuple[Candidate, ...] = ()
    fingerprints: tuple[Fingerprint, ...] = ()
    #: colibri-ws URLs of the bridge channel (JVB sessions only)
    web_sockets: tuple[str, ...] = ()
    rtcp_mux: bool = False
    sctp: SctpMap | None = None
    ice_generation: int | None = None


@dataclass(frozen=True)
class Content:
    """One ``<content>``: in P2P sessions one per m-line (name = mid), for Jicofo one per media."""

    name: str
    creator: str | None = "initiator"
    senders: str | None = "both"
    description: RtpDescription | None = None
    transport: IceUdpTransport | None = None

    @property
    def media(self) -> str | None:
        if self.description is not None:
            return self.description.media
        if self.transport is not None and self.transport.sctp is not None:
            return "application"
        return None


@dataclass(frozen=True)
class Group:
    """``<group semantics>`` (XEP-0338), in practice BUNDLE of all contents."""

    semantics: str
    contents: tuple[str, ...]


@dataclass(frozen=True)
class SessionDescription:
    """All contents and groups of one Jingle action."""

    contents: tuple[Content, ...] = ()
    groups: tuple[Group, ...] = field(default=())

    def content(self, name: str) -> Content | None:
        for content in self.contents:
            if content.name == name:
                return content
        return None

    @property
    def bundle(self) -> tuple[str, ...]:
        for group in self.groups:
            if group.semantics == "BUNDLE":
                return group.contents
        return ()

    def all_sources(self) -> list[tuple[Content, Source]]:
        return [(content, source) for content in self.contents if content.description
                for source in content.description.sources]


# --- parsing helpers -------------------------------------------------------------

def _bad(reason: str) -> RemoteProtocolError:
    return RemoteProtocolError(reason=reason)


def _attr(element: Element, name: str) -> str:
    value = element.get(name)
    if value is None:
        raise _bad(f"<{_local(element.tag)}> without {name}")
    return value


def _int(element: Element, name: str, *, required: bool = False, low: int = 0,
         high: int = 2**63) -> int | None:
    value = element.get(name)
    if value is None or value == "":
        if required:
            raise _bad(f"<{_local(element.tag)}> without {name}")
        return None
    try:
        number = int(value.strip())
    except ValueError:
        raise _bad(f"<{_local(element.tag)}> {name}={value[:20]!r} is not a number") from None
    if not low <= number <= high:
        raise _bad(f"<{_local(element.tag)}> {name}={number} out of range")
    return number


def _req_int(element: Element, name: str, *, low: int = 0, high: int = 2**63) -> int:
    number = _int(element, name, required=True, low=low, high=high)
    if number is None:  # unreachable: _int raises for a missing required value
        raise _bad(f"<{_local(element.tag)}> without {name}")
    return number


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _children(element: Element, ns: str, local: str) -> list[Element]:
    return element.findall(f"{{{ns}}}{local}")


def _parameters(element: Element) -> tuple[Parameter, ...]:
    # Jicofo has written <parameter> in rtp:1 and ssma:0 namespaces alike (and
    # jitsi-xmpp-extensions#81 made it inconsistent), so any namespace is accepted.
    result = []
    for child in element:
        if _local(child.tag) == "parameter":
            result.append(Parameter(child.get("name") or "", child.get("value") or ""))
    return tuple(result)


def _feedback(element: Element) -> tuple[RtcpFeedback, ...]:
    result = []
    for child in _children(element, NS_JINGLE_RTP_FB, "rtcp-fb"):
        result.append(RtcpFeedback(_attr(child, "type"), child.get("subtype") or None))
    for child in _children(element, NS_JINGLE_RTP_FB, "rtcp-fb-trr-int"):
        result.append(RtcpFeedback("trr-int", child.get("value") or "0"))
    return tuple(result)


# --- RTP description ------------------------------------------------------------------

def payload_type_from_element(element: Element) -> PayloadType:
    return PayloadType(
        id=_req_int(element, "id", high=127),
        name=element.get("name") or "",
        clockrate=_int(element, "clockrate", high=10_000_000),
        channels=_int(element, "channels", high=255),
        maxptime=_int(element, "maxptime", high=100_000),
        ptime=_int(element, "ptime", high=100_000),
        parameters=_parameters(element),
        feedback=_feedback(element),
    )


def _feedback_to(parent: Element, feedback: Iterable[RtcpFeedback]) -> None:
    for fb in feedback:
        if fb.type == "trr-int":
            sub(parent, f"{{{NS_JINGLE_RTP_FB}}}rtcp-fb-trr-int", {"value": fb.subtype or "0"})
        else:
            sub(parent, f"{{{NS_JINGLE_RTP_FB}}}rtcp-fb", {"type": fb.type, "subtype": fb.subtype})


def payload_type_to_element(payload_type: PayloadType) -> Element:
    element = el(f"{{{NS_JINGLE_RTP}}}payload-type", {
        "id": str(payload_type.id),
        "name": payload_type.name,
        "clockrate": _str(payload_type.clockrate),
        "channels": _str(payload_type.channels),
        "maxptime": _str(payload_type.maxptime),
        "ptime": _str(payload_type.ptime),
    })
    for parameter in payload_type.parameters:
        sub(element, f"{{{NS_JINGLE_RTP}}}parameter", {"name": parameter.name, "value": parameter.value})
    _feedback_to(element, payload_type.feedback)
    return element


def source_from_element(element: Element) -> Source:
    owner = None
    for info in _children(element, NS_JITSI_MEET, "ssrc-info"):
        owner = info.get("owner") or owner
    # LJM's own tests put owner='…' straight on <source>; accept it as a fallback.
    owner = owner or element.get("owner")
    return Source(
        ssrc=_req_int(element, "ssrc", low=0, high=_MAX_SSRC),
        name=element.get("name") or None,
        video_type=element.get("videoType") or None,
        owner=owner,
        parameters=_parameters(element),
    )


def source_to_element(source: Source) -> Element:
    element = el(f"{{{NS_JINGLE_RTP_SSMA}}}source", {
        "ssrc": str(source.ssrc), "name": source.name, "videoType": source.video_type})
    for parameter in source.parameters:
        sub(element, f"{{{NS_JINGLE_RTP_SSMA}}}parameter", {"name": parameter.name, "value": parameter.value})
    if source.owner is not None:
        sub(element, f"{{{NS_JITSI_MEET}}}ssrc-info", {"owner": source.owner})
    return element


def ssrc_group_from_element(element: Element) -> SsrcGroup:
    ssrcs = tuple(_req_int(child, "ssrc", high=_MAX_SSRC) for child in element
                  if _local(child.tag) == "source")
    return SsrcGroup(_attr(element, "semantics"), ssrcs)


def ssrc_group_to_element(group: SsrcGroup) -> Element:
    element = el(f"{{{NS_JINGLE_RTP_SSMA}}}ssrc-group", {"semantics": group.semantics})
    for ssrc in group.ssrcs:
        sub(element, f"{{{NS_JINGLE_RTP_SSMA}}}source", {"ssrc": str(ssrc)})
    return element


def rtp_description_from_element(element: Element) -> RtpDescription:
    media = element.get("media")
    if not media:
        raise _bad("<description> without media")
    return RtpDescription(
        media=media,
        ssrc=_int(element, "ssrc", high=_MAX_SSRC),
        maxptime=_int(element, "maxptime", high=100_000),
        payload_types=tuple(payload_type_from_element(child)
                            for child in _children(element, NS_JINGLE_RTP, "payload-type")),
        header_extensions=tuple(
            HeaderExtension(_req_int(child, "id", low=1, high=255), _attr(child, "uri"),
                            child.get("senders") or None)
            for child in _children(element, NS_JINGLE_RTP_HDREXT, "rtp-hdrext")),
        extmap_allow_mixed=bool(_children(element, NS_JINGLE_RTP_HDREXT, "extmap-allow-mixed")),
        sources=tuple(source_from_element(child)
                      for child in _children(element, NS_JINGLE_RTP_SSMA, "source")),
        ssrc_groups=tuple(ssrc_group_from_element(child)
                          for child in _children(element, NS_JINGLE_RTP_SSMA, "ssrc-group")),
        rtcp_mux=bool(_children(element, NS_JINGLE_RTP, "rtcp-mux")),
        feedback=_feedback(element),
    )


def rtp_description_to_element(description: RtpDescription) -> Element:
    element = el(f"{{{NS_JINGLE_RTP}}}description", {
        "media": description.media, "ssrc": _str(description.ssrc),
        "maxptime": _str(description.maxptime)})
    for payload_type in description.payload_types:
        element.append(payload_type_to_element(payload_type))
    _feedback_to(element, description.feedback)
    for extension in description.header_extensions:
        sub(element, f"{{{NS_JINGLE_RTP_HDREXT}}}rtp-hdrext",
            {"id": str(extension.id), "uri": extension.uri, "senders": extension.senders})
    if description.extmap_allow_mixed:
        sub(element, f"{{{NS_JINGLE_RTP_HDREXT}}}extmap-allow-mixed")
    for source in description.sources:
        element.append(source_to_element(source))
    for group in description.ssrc_groups:
        element.append(ssrc_group_to_element(group))
    if description.rtcp_mux:
        sub(element, f"{{{NS_JINGLE_RTP}}}rtcp-mux")
    return element


# --- transport ------------------------------------------------------------------------

def candidate_from_element(element: Element) -> Candidate:
    return Candidate(
        component=_req_int(element, "component", low=1, high=256),
        foundation=_attr(element, "foundation"),
        ip=_attr(element, "ip"),
        port=_req_int(element, "port", high=65535),
        priority=_req_int(element, "priority", high=2**32 - 1),
        protocol=_attr(element, "protocol").lower(),
        type=_attr(element, "type"),
        generation=_int(element, "generation", high=2**31) or 0,
        id=element.get("id") or None,
        network=_int(element, "network", high=2**31),
        rel_addr=element.get("rel-addr") or None,
        rel_port=_int(element, "rel-port", high=65535),
        tcptype=element.get("tcptype") or None,
    )


def candidate_to_element(candidate: Candidate) -> Element:
    return el(f"{{{NS_JINGLE_ICE_UDP}}}candidate", {
        "component": str(candidate.component),
        "foundation": candidate.foundation,
        "generation": str(candidate.generation),
        "id": candidate.id,
        "ip": candidate.ip,
        "network": _str(candidate.network),
        "port": str(candidate.port),
        "priority": str(candidate.priority),
        "protocol": candidate.protocol,
        "rel-addr": candidate.rel_addr,
        "rel-port": _str(candidate.rel_port),
        "tcptype": candidate.tcptype,
        "type": candidate.type,
    })


def transport_from_element(element: Element) -> IceUdpTransport:
    fingerprints = []
    for child in _children(element, NS_JINGLE_DTLS, "fingerprint"):
        setup = child.get("setup") or None
        if setup is not None and setup not in SETUP_ROLES:
            raise _bad(f"unknown DTLS setup {setup[:20]!r}")
        fingerprints.append(Fingerprint(
            hash=_attr(child, "hash"), value=(child.text or "").strip(), setup=setup,
            required=child.get("required"), cryptex=child.get("cryptex")))
    sctp = None
    for child in _children(element, NS_JINGLE_SCTP, "sctpmap"):
        sctp = SctpMap(_req_int(child, "number", high=65535), child.get("protocol") or "",
                       _int(child, "streams", high=65535))
    return IceUdpTransport(
        ufrag=element.get("ufrag") or None,
        pwd=element.get("pwd") or None,
        candidates=tuple(candidate_from_element(child)
                         for child in _children(element, NS_JINGLE_ICE_UDP, "candidate")),
        fingerprints=tuple(fingerprints),
        web_sockets=tuple(child.get("url") or "" for child in _children(element, NS_COLIBRI, "web-socket")
                          if child.get("url")),
        rtcp_mux=bool(_children(element, NS_JINGLE_ICE_UDP, "rtcp-mux")),
        sctp=sctp,
        ice_generation=_int(element, "ice-generation", high=2**31),
    )


def transport_to_element(transport: IceUdpTransport) -> Element:
    element = el(f"{{{NS_JINGLE_ICE_UDP}}}transport", {
        "ufrag": transport.ufrag, "pwd": transport.pwd,
        "ice-generation": _str(transport.ice_generation)})
    for url in transport.web_sockets:
        sub(element, f"{{{NS_COLIBRI}}}web-socket", {"url": url})
    if transport.rtcp_mux:
        sub(element, f"{{{NS_JINGLE_ICE_UDP}}}rtcp-mux")
    if transport.sctp is not None:
        sub(element, f"{{{NS_JINGLE_SCTP}}}sctpmap", {
            "number": str(transport.sctp.number), "protocol": transport.sctp.protocol,
            "streams": _str(transport.sctp.streams)})
    for fingerprint in transport.fingerprints:
        sub(element, f"{{{NS_JINGLE_DTLS}}}fingerprint", {
            "hash": fingerprint.hash, "setup": fingerprint.setup, "required": fingerprint.required,
            "cryptex": fingerprint.cryptex}, text=fingerprint.value)
    for candidate in transport.candidates:
        element.append(candidate_to_element(candidate))
    return element


# --- contents and the whole description ---------------------------------------------

def content_from_element(element: Element) -> Content:
    name = element.get("name")
    if not name:
        raise _bad("<content> without name")
    creator = element.get("creator") or None
    if creator is not None and creator not in CREATORS:
        raise _bad(f"unknown content creator {creator[:20]!r}")
    senders = element.get("senders") or None
    if senders is not None and senders not in SENDERS:
        raise _bad(f"unknown content senders {senders[:20]!r}")
    descriptions = _children(element, NS_JINGLE_RTP, "description")
    transports = _children(element, NS_JINGLE_ICE_UDP, "transport")
    return Content(
        name=name, creator=creator, senders=senders,
        description=rtp_description_from_element(descriptions[0]) if descriptions else None,
        transport=transport_from_element(transports[0]) if transports else None,
    )


def content_to_element(content: Content) -> Element:
    element = el(f"{{{NS_JINGLE}}}content", {
        "creator": content.creator, "name": content.name, "senders": content.senders})
    if content.description is not None:
        element.append(rtp_description_to_element(content.description))
    if content.transport is not None:
        element.append(transport_to_element(content.transport))
    return element


def description_from_jingle(jingle: Element) -> SessionDescription:
    """Contents and groups of a ``<jingle>`` element; JSON-encoded sources are expanded."""
    contents = [content_from_element(child) for child in _children(jingle, NS_JINGLE, "content")]
    groups = []
    for child in _children(jingle, NS_JINGLE_GROUPING, "group"):
        names = tuple(item.get("name") or "" for item in child if _local(item.tag) == "content")
        groups.append(Group(_attr(child, "semantics"), names))
    for child in _children(jingle, NS_JITSI_MEET, "json-message"):
        contents = expand_json_sources(child.text or "", contents)
    return SessionDescription(tuple(contents), tuple(groups))


def description_to_elements(description: SessionDescription) -> list[Element]:
    """Children for a ``<jingle>`` element: the BUNDLE group first, then the contents (as LJM)."""
    elements = []
    for group in description.groups:
        group_element = el(f"{{{NS_JINGLE_GROUPING}}}group", {"semantics": group.semantics})
        for name in group.contents:
            sub(group_element, f"{{{NS_JINGLE}}}content", {"name": name})
        elements.append(group_element)
    elements.extend(content_to_element(content) for content in description.contents)
    return elements


# --- Jicofo's compact JSON sources ---------------------------------------------------

def expand_json_sources(text: str, contents: list[Content]) -> list[Content]:
    """Add the sources of a ``<json-message>{"sources":…}`` to the audio/video contents.

    Per owner: ``[videoSources, videoGroups, audioSources, audioGroups]`` with sources
    ``{"s": ssrc, "n": name, "m": msid, "v": "d"?}`` and groups ``["f"|"s", ssrc…]``.
    """
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise _bad(f"json-message is not JSON ({exc})") from None
    owners = data.get("sources") if isinstance(data, dict) else None
    if owners is None:
        return contents
    if not isinstance(owners, dict):
        raise _bad("json-message sources is not an object")
    added: dict[str, tuple[list[Source], list[SsrcGroup]]] = {"video": ([], []), "audio": ([], [])}
    for owner, lists in owners.items():
        if not isinstance(lists, list):
            raise _bad("json-message owner entry is not a list")
        for index, media in ((0, "video"), (2, "audio")):
            sources = lists[index] if len(lists) > index else []
            groups = lists[index + 1] if len(lists) > index + 1 else []
            if not isinstance(sources, list) or not isinstance(groups, list):
                raise _bad("json-message source lists are malformed")
            for item in sources:
                added[media][0].append(_json_source(item, owner, media))
            for item in groups:
                added[media][1].append(_json_group(item))
    result = []
    for content in contents:
        description = content.description
        if description is not None and description.media in added:
            sources, groups = added[description.media]
            description = replace(description, sources=description.sources + tuple(sources),
                                  ssrc_groups=description.ssrc_groups + tuple(groups))
            content = replace(content, description=description)
        result.append(content)
    # A JSON source-add/-remove from Jicofo carries no <content> at all; lib-jitsi-meet
    # creates the audio/video contents then (JingleHelperFunctions _getOrCreateRtpDescription).
    present = {c.description.media for c in result if c.description is not None}
    for media in ("audio", "video"):
        sources, groups = added[media]
        if media not in present and (sources or groups):
            result.append(Content(name=media, creator=None, senders=None, description=RtpDescription(
                media=media, sources=tuple(sources), ssrc_groups=tuple(groups))))
    return result


def _json_source(item: object, owner: str, media: str) -> Source:
    if not isinstance(item, dict):
        raise _bad("json-message source is not an object")
    ssrc = item.get("s")
    if not isinstance(ssrc, int) or isinstance(ssrc, bool) or not 0 <= ssrc <= _MAX_SSRC:
        raise _bad("json-message source without a valid ssrc")
    name = item.get("n")
    msid = item.get("m")
    video_type = None
    if media == "video":
        # LJM assumes a camera when "v" is absent; "d" means desktop.
        video_type = "desktop" if item.get("v") == "d" else "camera"
    parameters = (Parameter("msid", msid),) if isinstance(msid, str) else ()
    return Source(ssrc=ssrc, name=name if isinstance(name, str) else None, video_type=video_type,
                  owner=owner, parameters=parameters)


def _json_group(item: object) -> SsrcGroup:
    if not isinstance(item, list) or not item or item[0] not in ("f", "s"):
        raise _bad("json-message ssrc group is malformed")
    ssrcs = item[1:]
    if not all(isinstance(s, int) and not isinstance(s, bool) and 0 <= s <= _MAX_SSRC for s in ssrcs):
        raise _bad("json-message ssrc group has an invalid ssrc")
    return SsrcGroup("FID" if item[0] == "f" else "SIM", tuple(ssrcs))


def _str(value: int | None) -> str | None:
    return None if value is None else str(value)
