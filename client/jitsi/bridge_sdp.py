"""A Jicofo (videobridge) session as the SDP offers our WebRTC stack sees, kept across updates.

Jicofo describes the bridge session as one ``audio`` and one ``video`` content that
carry *all* remote sources; a WebRTC stack (aiortc) needs one m-line per remote
source, and demuxes only by SSRC.  ``BridgeOffer`` does what lib-jitsi-meet's
``SDP.fromJingle``/``updateRemoteSources`` do (media spec §2.2, §2.3):

* the content's own m-line (mid = content name, ``sendrecv``) carries the bridge's
  feedback source (``jvb-a0``/``jvb-v0``) and is where our own tracks are sent;
* every other remote stream (a primary SSRC with its FID partner) gets an m-line
  of its own (``sendonly`` from the bridge, mid ``s<n>``), in signalling order;
* ``source-remove`` — or a participant leaving, for which Jicofo sends nothing —
  *rejects* the source's m-line (port 0, inactive); m-lines are never deleted and a
  mid is never used twice, as the offer/answer rules require;
* ``source-add`` recycles the place of a line that an earlier offer already carried
  as rejected (with a new mid, JSEP §5.2.2, which aiortc follows: a new transceiver
  at that index), and appends only when there is none.  lib-jitsi-meet appends
  every time; recycling keeps the offer — and the work of every renegotiation — as
  long as the room is big, not as long as the meeting has had comings and goings.

``sdp()`` renders the current state as a complete offer (the session version
counts up).  Pure: no aiortc, no I/O.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, replace

from client.errors import RemoteProtocolError
from client.jitsi.description import (
    Content,
    IceUdpTransport,
    RtpDescription,
    SessionDescription,
    Source,
)
from client.jitsi.sdp import candidate_to_sdp, split_streams

#: the Jingle contents an aiortc client takes part in (no SCTP ``data``: we use colibri-ws)
MEDIA_CONTENTS = ("audio", "video")


@dataclass(frozen=True)
class BridgeLine:
    """One m-line of the offer."""

    mid: str
    media: str
    content: str
    #: primary first, then its RTX partner (aiortc takes ssrc[0] as primary, ssrc[1] as RTX)
    sources: tuple[Source, ...] = ()
    rejected: bool = False

    @property
    def is_content_line(self) -> bool:
        """The content's own line: the one our tracks are sent on."""
        return self.mid == self.content

    @property
    def primary_ssrc(self) -> int | None:
        return self.sources[0].ssrc if self.sources else None

    @property
    def source_name(self) -> str | None:
        return self.sources[0].name if self.sources else None

    @property
    def owner(self) -> str | None:
        return self.sources[0].owner_endpoint if self.sources else None

    @property
    def is_bridge_source(self) -> bool:
        """The bridge's feedback SSRC: never carries RTP."""
        if not self.sources:
            return False
        source = self.sources[0]
        return source.owner == "jvb" or "mixedmslabel" in (source.msid or "")


class BridgeOffer:
    """The remote description of one bridge session, updated by source-add/-remove."""

    def __init__(self, initiate: SessionDescription, *, session_id: int = 1) -> None:
        self._contents: dict[str, Content] = {}
        self.lines: list[BridgeLine] = []
        self._mids = itertools.count(len(MEDIA_CONTENTS))
        #: places of lines already offered as rejected: free for a new source
        self._recyclable: set[int] = set()
        self._session_id = session_id
        self._version = 0
        for content in initiate.contents:
            rtp = content.description
            if rtp is None or content.name not in MEDIA_CONTENTS or rtp.media not in MEDIA_CONTENTS:
                continue
            self._contents[content.name] = content
        if not self._contents:
            raise RemoteProtocolError(reason="bridge offer without audio or video content")
        self._transport = next((c.transport for c in self._contents.values()
                                if c.transport is not None), None)
        if self._transport is None or not self._transport.ufrag or not self._transport.fingerprints:
            raise RemoteProtocolError(reason="bridge offer without ICE/DTLS transport")
        for name, content in self._contents.items():
            streams = split_streams(content.description) if content.description else []
            bridge = [s for s in streams if _is_bridge(s[0])]
            # the content line: the bridge's own source (or nothing), as lib-jitsi-meet orders it
            self.lines.append(BridgeLine(name, content.description.media, name,
                                         bridge[0] if bridge else ()))
        for name, content in self._contents.items():
            self._append_streams(content.name, content.description, exclude_bridge=True)

    # -- state -------------------------------------------------------------------------

    @property
    def content_mids(self) -> frozenset[str]:
        return frozenset(self._contents)

    @property
    def transport(self) -> IceUdpTransport:
        assert self._transport is not None
        return self._transport

    def line(self, mid: str) -> BridgeLine | None:
        for line in self.lines:
            if line.mid == mid:
                return line
        return None

    def active_lines(self) -> list[BridgeLine]:
        """Lines carrying a participant's source that is still there."""
        return [line for line in self.lines
                if not line.rejected and line.sources and not line.is_bridge_source]

    def known_ssrcs(self) -> set[int]:
        return {s.ssrc for line in self.lines if not line.rejected for s in line.sources}

    # -- updates ----------------------------------------------------------------------

    def add_sources(self, description: SessionDescription) -> list[BridgeLine]:
        """A source-add: the new lines (sources already known are ignored)."""
        added: list[BridgeLine] = []
        for content in description.contents:
            rtp = content.description
            if rtp is None or rtp.media not in MEDIA_CONTENTS:
                continue
            name = content.name if content.name in self._contents else rtp.media
            if name not in self._contents:
                continue
            added += self._append_streams(name, rtp, exclude_bridge=True)
        return added

    def remove_sources(self, ssrcs: Iterable[int]) -> list[BridgeLine]:
        """A source-remove: the lines now rejected."""
        gone = set(ssrcs)
        return self._reject(lambda line: bool(gone & {s.ssrc for s in line.sources}))

    def remove_owner(self, endpoint_id: str) -> list[BridgeLine]:
        """A participant left the room (Jicofo sends no source-remove for that)."""
        return self._reject(lambda line: line.owner == endpoint_id and not line.is_bridge_source)

    def _reject(self, matches) -> list[BridgeLine]:  # noqa: ANN001
        rejected = []
        for index, line in enumerate(self.lines):
            if line.rejected or line.is_content_line or not matches(line):
                continue
            self.lines[index] = replace(line, rejected=True)
            rejected.append(self.lines[index])
        return rejected

    def _append_streams(self, content_name: str, rtp: RtpDescription, *,
                        exclude_bridge: bool) -> list[BridgeLine]:
        known = self.known_ssrcs()
        added = []
        for stream in split_streams(rtp):
            if exclude_bridge and _is_bridge(stream[0]):
                continue
            if stream[0].ssrc in known:
                continue
            stream = self._named(stream, rtp.media)
            line = BridgeLine(f"s{next(self._mids)}", rtp.media, content_name, stream)
            if self._recyclable:
                index = min(self._recyclable)
                self._recyclable.discard(index)
                self.lines[index] = line
            else:
                self.lines.append(line)
            added.append(line)
            known |= {s.ssrc for s in stream}
        return added

    def _named(self, stream: tuple[Source, ...], media: str) -> tuple[Source, ...]:
        """Unnamed sources (Jicofo before source names, JSON without ``n``) get the name
        Jicofo tells the bridge for them, ``<endpoint>-<a|v><n>``, so that constraints
        and ForwardedSources match."""
        owner = stream[0].owner_endpoint
        if stream[0].name or not owner:
            return stream
        letter = "a" if media == "audio" else "v"
        index = sum(1 for line in self.lines if line.owner == owner and line.media == media)
        name = f"{owner}-{letter}{index}"
        return tuple(replace(source, name=name) for source in stream)

    # -- rendering --------------------------------------------------------------------

    def sdp(self) -> str:
        """The whole offer as it stands (a new session version each time)."""
        self._version += 1
        header = ["v=0", f"o=- {self._session_id} {self._version} IN IP4 0.0.0.0", "s=-", "t=0 0",
                  "a=msid-semantic: WMS *",
                  "a=group:BUNDLE " + " ".join(line.mid for line in self.lines)]
        blocks = [self._block(line) for line in self.lines]
        # a line is recycled only once an offer has carried it as rejected (its receiver
        # ended with that negotiation), never in the offer that rejects it
        self._recyclable = {index for index, line in enumerate(self.lines) if line.rejected}
        return "\r\n".join(header + blocks) + "\r\n"

    def _block(self, line: BridgeLine) -> str:
        content = self._contents[line.content]
        rtp = content.description
        assert rtp is not None
        transport = content.transport or self.transport
        pts = " ".join(str(pt.id) for pt in rtp.payload_types) or "0"
        port = 0 if line.rejected else 9
        out = [f"m={rtp.media} {port} UDP/TLS/RTP/SAVPF {pts}", "c=IN IP4 0.0.0.0",
               "a=rtcp:1 IN IP4 0.0.0.0"]
        setup = next((f.setup for f in transport.fingerprints if f.setup), "actpass")
        out += [f"a=ice-ufrag:{transport.ufrag}", f"a=ice-pwd:{transport.pwd}"]
        out += [f"a=fingerprint:{f.hash} {f.value}" for f in transport.fingerprints]
        out.append(f"a=setup:{setup}")
        out += ["a=candidate:" + candidate_to_sdp(c) for c in transport.candidates
                if c.protocol == "udp"]
        out.append(f"a=mid:{line.mid}")
        if line.rejected:
            out.append("a=inactive")
        elif line.is_content_line:
            out.append("a=sendrecv")
        else:
            out.append("a=sendonly")       # the bridge only sends on a participant's line
        for pt in rtp.payload_types:
            channels = f"/{pt.channels}" if pt.channels and pt.channels != 1 else ""
            out.append(f"a=rtpmap:{pt.id} {pt.name}/{pt.clockrate or 90000}{channels}")
            if pt.parameters:
                fmtp = ";".join(p.value if not p.name else f"{p.name}={p.value}"
                                for p in pt.parameters)
                out.append(f"a=fmtp:{pt.id} {fmtp}")
            for fb in pt.feedback + rtp.feedback:
                out.append(f"a=rtcp-fb:{pt.id} {fb.type}" + (f" {fb.subtype}" if fb.subtype else ""))
        for extension in rtp.header_extensions:
            out.append(f"a=extmap:{extension.id} {extension.uri}")
        if rtp.extmap_allow_mixed:
            out.append("a=extmap-allow-mixed")
        out.append("a=rtcp-mux")
        if line.sources and not line.rejected:
            msid = _msid(line)
            out.append(f"a=msid:{msid}")
            if len(line.sources) == 2:
                out.append(f"a=ssrc-group:FID {line.sources[0].ssrc} {line.sources[1].ssrc}")
            for source in line.sources:
                out.append(f"a=ssrc:{source.ssrc} cname:{source.owner_endpoint or 'bridge'}")
                out.append(f"a=ssrc:{source.ssrc} msid:{msid}")
        return "\r\n".join(out)


def _is_bridge(source: Source) -> bool:
    return source.owner == "jvb" or "mixedmslabel" in (source.msid or "")


def _msid(line: BridgeLine) -> str:
    msid = line.sources[0].msid
    if msid and len(msid.split()) == 2:
        return msid
    # like lib-jitsi-meet for one-token msids (old Chromium wants two tokens)
    stream = (msid or line.source_name or line.mid).split()[0]
    return f"{stream} {stream}-{line.mid}"


__all__ = ["BridgeLine", "BridgeOffer", "MEDIA_CONTENTS"]
