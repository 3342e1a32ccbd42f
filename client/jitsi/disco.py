"""Service discovery (XEP-0030) and entity capabilities (XEP-0115), both ways.

Ours: ``Capabilities`` declares once who we are and what we can do; it answers
disco#info queries (Jicofo sends one to our occupant JID on every join and builds
its Jingle offer from the answer — signaling spec §4.3, media spec §1.2) and gives
the ``<c/>`` element with the caps hash for our presence.  We advertise only what
the media layer really does: a feature we claim changes what Jicofo offers.

Theirs: ``DiscoInfo.from_element`` reads a disco#info result, e.g. the XMPP domain's
(component addresses for lobby, end-conference, …, signaling spec §2.4).
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from client.errors import RemoteProtocolError
from client.jitsi.ns import (NS_CAPS, NS_DISCO_INFO, NS_JINGLE, NS_JINGLE_DTLS, NS_JINGLE_ICE_UDP,
                             NS_JINGLE_RTP, NS_PING)
from client.jitsi.stanza import Element, el, split_tag, sub
from client.jitsi.xmpp import iq_error, iq_result

#: Our own caps node, so that a cache entry for a browser's node is never applied to us.
CAPS_NODE = "urn:treffpunkt:client"

# Feature vars (XEP names, or Jitsi's where Jitsi invented them).
FEATURE_RTP_AUDIO = "urn:xmpp:jingle:apps:rtp:audio"
FEATURE_RTP_VIDEO = "urn:xmpp:jingle:apps:rtp:video"
FEATURE_DTLS_SCTP = "urn:xmpp:jingle:transports:dtls-sctp:1"
FEATURE_RTX = "urn:ietf:rfc:4588"
FEATURE_BUNDLE = "urn:ietf:rfc:5888"
FEATURE_RTCP_MUX = "urn:ietf:rfc:5761"
FEATURE_REMB = "http://jitsi.org/remb"
FEATURE_TCC = "http://jitsi.org/tcc"
FEATURE_OPUS_RED = "http://jitsi.org/opus-red"
FEATURE_JSON_SOURCES = "http://jitsi.org/json-encoded-sources"
FEATURE_SSRC_REWRITING = "http://jitsi.org/ssrc-rewriting-1"
FEATURE_SOURCE_NAME = "http://jitsi.org/source-name"
FEATURE_RECEIVE_MULTIPLE_VIDEO = "http://jitsi.org/receive-multiple-video-streams"

#: What any Treffpunkt connection does, media or not: answer disco and pings.
BASE_FEATURES = frozenset({NS_DISCO_INFO, NS_CAPS, NS_PING})


@dataclass(frozen=True, order=True)
class Identity:
    category: str
    type: str
    name: str | None = None
    lang: str | None = None

    def to_element(self) -> Element:
        attrs = {"category": self.category, "type": self.type, "name": self.name}
        if self.lang:
            attrs["{http://www.w3.org/XML/1998/namespace}lang"] = self.lang
        return el(f"{{{NS_DISCO_INFO}}}identity", attrs)


#: A desktop client.  No name: other participants need not learn which program we run.
CLIENT_IDENTITY = Identity("client", "pc")


def media_features(*, audio: bool, video: bool, rtx: bool = False, remb: bool = False,
                   tcc: bool = False, sctp: bool = False, opus_red: bool = False,
                   json_sources: bool = False, ssrc_rewriting: bool = False) -> frozenset[str]:
    """The Jingle features to claim for what the media layer implements.

    Each flag must be backed by code: Jicofo changes its offer for every one of
    them (media spec §1.2).  With neither audio nor video nothing Jingle is claimed.
    """
    if not (audio or video):
        return frozenset()
    features = {NS_JINGLE, NS_JINGLE_RTP, NS_JINGLE_ICE_UDP, NS_JINGLE_DTLS,
                FEATURE_BUNDLE, FEATURE_RTCP_MUX, FEATURE_SOURCE_NAME,
                FEATURE_RECEIVE_MULTIPLE_VIDEO}
    optional = {FEATURE_RTP_AUDIO: audio, FEATURE_RTP_VIDEO: video, FEATURE_RTX: rtx,
                FEATURE_REMB: remb, FEATURE_TCC: tcc, FEATURE_DTLS_SCTP: sctp,
                FEATURE_OPUS_RED: opus_red, FEATURE_JSON_SOURCES: json_sources,
                FEATURE_SSRC_REWRITING: ssrc_rewriting}
    features.update(var for var, wanted in optional.items() if wanted)
    return frozenset(features)


def caps_hash(identities: Iterable[Identity], features: Iterable[str]) -> str:
    """XEP-0115 §5.1 verification string, SHA-1, base64 (no extended forms)."""
    text = "".join(f"{i.category}/{i.type}/{i.lang or ''}/{i.name or ''}<"
                   for i in sorted(identities))
    text += "".join(f"{var}<" for var in sorted(set(features)))
    return base64.b64encode(hashlib.sha1(text.encode("utf-8")).digest()).decode("ascii")


class Capabilities:
    """Who we are on the wire; immutable once built."""

    def __init__(self, features: Iterable[str] = (), *,
                 identities: Iterable[Identity] = (CLIENT_IDENTITY,),
                 node: str = CAPS_NODE) -> None:
        self.identities: tuple[Identity, ...] = tuple(sorted(set(identities)))
        self.features: frozenset[str] = frozenset(features) | BASE_FEATURES
        self.node = node
        self.ver = caps_hash(self.identities, self.features)

    @classmethod
    def signaling_only(cls) -> "Capabilities":
        """No media at all (``--no-media``): Jicofo should offer us nothing to receive."""
        return cls()

    @classmethod
    def with_media(cls, **flags: bool) -> "Capabilities":
        """``Capabilities.with_media(audio=True, video=True, rtx=…)``; see ``media_features``."""
        return cls(media_features(**flags))

    def caps_element(self) -> Element:
        """``<c/>`` for our presence (XEP-0115)."""
        return el(f"{{{NS_CAPS}}}c", {"hash": "sha-1", "node": self.node, "ver": self.ver})

    def query_element(self, node: str | None = None) -> Element:
        query = el(f"{{{NS_DISCO_INFO}}}query", {"node": node})
        for identity in self.identities:
            query.append(identity.to_element())
        for var in sorted(self.features):
            sub(query, f"{{{NS_DISCO_INFO}}}feature", {"var": var})
        return query

    def answers_node(self, node: str | None) -> bool:
        return node is None or node == f"{self.node}#{self.ver}"

    def answer(self, request: Element) -> Element:
        """The reply to a disco#info get: our info, echoing the node (as lib-jitsi-meet
        does); ``item-not-found`` for a node that is not ours."""
        query = request.find(f"{{{NS_DISCO_INFO}}}query")
        node = query.get("node") if query is not None else None
        if not self.answers_node(node):
            return iq_error(request, "item-not-found")
        return iq_result(request, self.query_element(node))

    def __repr__(self) -> str:
        return f"Capabilities(ver={self.ver!r}, features={sorted(self.features)!r})"


def is_disco_info_request(stanza: Element) -> bool:
    return (split_tag(stanza.tag)[1] == "iq" and stanza.get("type") == "get"
            and stanza.find(f"{{{NS_DISCO_INFO}}}query") is not None)


@dataclass(frozen=True)
class DiscoInfo:
    """A disco#info result from someone else."""

    identities: tuple[Identity, ...]
    features: frozenset[str]
    node: str | None = None

    @classmethod
    def from_element(cls, element: Element) -> "DiscoInfo":
        """An IQ result or its ``<query/>`` → DiscoInfo; otherwise ``RemoteProtocolError``.

        Identities without category or type and features without var are skipped.
        """
        query = element if element.tag == f"{{{NS_DISCO_INFO}}}query" else \
            element.find(f"{{{NS_DISCO_INFO}}}query")
        if query is None:
            raise RemoteProtocolError(reason="disco#info result without a query")
        identities = []
        for item in query.iterfind(f"{{{NS_DISCO_INFO}}}identity"):
            category, kind = item.get("category"), item.get("type")
            if category and kind:
                identities.append(Identity(category, kind, item.get("name"),
                                           item.get("{http://www.w3.org/XML/1998/namespace}lang")))
        features = frozenset(var for item in query.iterfind(f"{{{NS_DISCO_INFO}}}feature")
                             if (var := item.get("var")))
        return cls(tuple(identities), features, query.get("node"))

    def has_feature(self, var: str) -> bool:
        return var in self.features

    def components(self) -> dict[str, str]:
        """``component`` identities as type → address (lobbyrooms, end_conference, …);
        the first one of each type wins."""
        result: dict[str, str] = {}
        for identity in self.identities:
            if identity.category == "component" and identity.name:
                result.setdefault(identity.type, identity.name)
        return result

    def server_info(self) -> dict[str, str]:
        """``server`` identities other than ``im``: shard, region, release."""
        result: dict[str, str] = {}
        for identity in self.identities:
            if identity.category == "server" and identity.type != "im" and identity.name:
                result.setdefault(identity.type, identity.name)
        return result
