"""A P2P peer's source-add / source-remove applied to its session description.

In a P2P session both sides keep the peer's description and renegotiate *locally*
when the peer signals a source change (media spec §2.3; lib-jitsi-meet's
``addRemoteStream``/``removeRemoteStream`` on the remote SDP): the sources are added
to (removed from) the content of that m-line, and the direction follows — a
``recvonly`` line whose author now sends becomes ``sendrecv`` (``inactive`` →
``sendonly``), and a line left without sources goes back the other way.  Nothing
else changes; the mids stay.

Which content: a P2P peer names contents by mid (``0``, ``1``), older builds by
media (``audio``, ``video``); a name that is not a content picks the first content
of that media.  Pure: no aiortc, no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from client.jitsi.description import Content, RtpDescription, SessionDescription
from client.jitsi.sdp import jingle_senders, sdp_direction

_NOW_SENDING = {"recvonly": "sendrecv", "inactive": "sendonly"}
_NO_LONGER_SENDING = {"sendrecv": "recvonly", "sendonly": "inactive"}


def with_sources_added(description: SessionDescription, added: SessionDescription) -> SessionDescription:
    """``description`` with the sources (and groups) of a source-add."""
    contents = list(description.contents)
    for change in added.contents:
        rtp = change.description
        if rtp is None or not rtp.sources:
            continue
        index = _target(contents, change.name, rtp.media)
        if index is None:
            continue
        content = contents[index]
        current = content.description
        known = {source.ssrc for source in current.sources}
        sources = current.sources + tuple(s for s in rtp.sources if s.ssrc not in known)
        groups = current.ssrc_groups + tuple(g for g in rtp.ssrc_groups if g not in current.ssrc_groups)
        direction = sdp_direction(content.senders)
        contents[index] = replace(
            content, senders=jingle_senders(_NOW_SENDING.get(direction, direction)),
            description=replace(current, sources=sources, ssrc_groups=groups))
    return replace(description, contents=tuple(contents))


def with_sources_removed(description: SessionDescription, ssrcs: Iterable[int]) -> SessionDescription:
    """``description`` without the given SSRCs (a source-remove), and without the groups
    that named them."""
    gone = set(ssrcs)
    contents = []
    for content in description.contents:
        current = content.description
        if current is None or not gone & {s.ssrc for s in current.sources}:
            contents.append(content)
            continue
        sources = tuple(s for s in current.sources if s.ssrc not in gone)
        groups = tuple(g for g in current.ssrc_groups if not gone & set(g.ssrcs))
        senders = content.senders
        if not sources:
            direction = sdp_direction(content.senders)
            senders = jingle_senders(_NO_LONGER_SENDING.get(direction, direction))
        contents.append(replace(content, senders=senders,
                                description=replace(current, sources=sources, ssrc_groups=groups)))
    return replace(description, contents=tuple(contents))


def _target(contents: list[Content], name: str, media: str) -> int | None:
    for index, content in enumerate(contents):
        if content.name == name and isinstance(content.description, RtpDescription):
            return index
    for index, content in enumerate(contents):
        if content.description is not None and content.description.media == media:
            return index
    return None


__all__ = ["with_sources_added", "with_sources_removed"]
