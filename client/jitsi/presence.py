"""Jitsi's MUC presence: what we publish about ourselves, and what others publish.

Outgoing (jitsi-signaling.md §4.2, §4.7): presence is *replace-all*, so every update
carries our whole ``LocalPresence`` (nick, SourceInfo with a ``muted`` value for every
source, codec list, caps, stats id, participant properties); only the first presence
of a join carries the MUC ``<x/>`` (with the password).

Incoming: ``OccupantPresence.from_element`` reads both the current form (SourceInfo
JSON, ``jitsi_participant_codecList``) and the legacy one other clients still send
(``audiomuted``/``videomuted``/``videoType``, ``jitsi_participant_codecType``).

Parsers follow the fuzz rule: any input gives a result or ``RemoteProtocolError``.
A broken extension from another client (e.g. unparsable SourceInfo JSON) only drops
that extension, never the presence.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Mapping

from client.errors import RemoteProtocolError
from client.jitsi.events import SourceInfo
from client.jitsi.ns import NS_CAPS, NS_CLIENT, NS_JITSI_FOCUS, NS_JITSI_MEET, NS_MUC, NS_MUC_USER, NS_NICK
from client.jitsi.stanza import Element, Jid, el, split_tag, sub

log = logging.getLogger("treffpunkt.presence")

__all__ = ["SourceInfo", "Caps", "LocalPresence", "OccupantPresence", "Destroy",
           "render_presence", "with_muted", "render_source_info", "parse_source_info", "source_name",
           "media_of_source", "client_child", "client_text"]

#: lib-jitsi-meet's participant properties are elements named jitsi_participant_<name>
PROPERTY_PREFIX = "jitsi_participant_"
#: a SourceInfo JSON larger than this is not from a real client
MAX_SOURCE_INFO_CHARS = 64 * 1024


# --- helpers for children in jabber:client (wire) or no namespace (hand-built) ----------

def client_child(parent: Element, local: str) -> Element | None:
    found = parent.find(f"{{{NS_CLIENT}}}{local}")
    return found if found is not None else parent.find(local)


def client_text(parent: Element, local: str) -> str | None:
    child = client_child(parent, local)
    if child is None:
        return None
    return child.text or ""


def _local(tag: object) -> str:
    if not isinstance(tag, str):    # comments / processing instructions
        return ""
    return split_tag(tag)[1]


# --- source names and SourceInfo ------------------------------------------------------

def source_name(endpoint_id: str, media: str, index: int = 0) -> str:
    """``<ep>-a0`` for the microphone, ``<ep>-v0`` for the camera (SignalingLayer.ts)."""
    letter = {"audio": "a", "video": "v"}.get(media)
    if letter is None:
        raise ValueError(f"unknown media {media!r}")
    return f"{endpoint_id}-{letter}{index}"


def media_of_source(name: str) -> str | None:
    """'audio' / 'video' from a source name, or None if it does not follow the scheme."""
    _, dash, suffix = name.rpartition("-")
    if not dash or len(suffix) < 2 or not (suffix[1:].isascii() and suffix[1:].isdigit()):
        return None
    return {"a": "audio", "v": "video"}.get(suffix[0])


def render_source_info(sources: Mapping[str, SourceInfo]) -> str:
    data: dict[str, dict[str, object]] = {}
    for name, info in sources.items():
        entry: dict[str, object] = {"muted": bool(info.muted)}
        # the lib names only non-camera video types
        if info.video_type and info.video_type != "camera":
            entry["videoType"] = info.video_type
        data[name] = entry
    return json.dumps(data, separators=(",", ":"))


def parse_source_info(text: str) -> dict[str, SourceInfo]:
    """SourceInfo JSON → name → SourceInfo.  Missing ``muted`` counts as muted (Jicofo)."""
    if len(text) > MAX_SOURCE_INFO_CHARS:
        raise RemoteProtocolError(reason="SourceInfo too large")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise RemoteProtocolError(reason=f"SourceInfo is not JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise RemoteProtocolError(reason="SourceInfo is not a JSON object")
    result: dict[str, SourceInfo] = {}
    for name, entry in data.items():
        if not isinstance(entry, dict) or not name:
            continue
        muted = entry.get("muted", True)
        video_type = entry.get("videoType")
        result[name] = SourceInfo(
            muted=muted if isinstance(muted, bool) else True,
            video_type=video_type if isinstance(video_type, str) and video_type else None)
    return result


# --- what we publish -------------------------------------------------------------------

@dataclass(frozen=True)
class Caps:
    """XEP-0115 ``<c/>``: our node and the hash of our disco#info (client.jitsi.disco)."""

    node: str
    ver: str
    hash: str = "sha-1"


@dataclass(frozen=True)
class LocalPresence:
    """Our whole presence state; each update re-sends all of it (replace-all)."""

    display_name: str | None = None
    sources: Mapping[str, SourceInfo] = field(default_factory=dict)
    codecs: tuple[str, ...] = ("vp8",)
    stats_id: str | None = None
    caps: Caps | None = None
    email: str | None = None                       # lobby knocks only
    properties: Mapping[str, str] = field(default_factory=dict)   # jitsi_participant_<key>
    legacy_mute: bool = True                       # also send audiomuted/videomuted

    @property
    def audio_muted(self) -> bool:
        audio = [i for n, i in self.sources.items() if media_of_source(n) == "audio"]
        return all(i.muted for i in audio)

    @property
    def video_muted(self) -> bool:
        cameras = [i for n, i in self.sources.items()
                   if media_of_source(n) == "video" and i.video_type != "desktop"]
        return all(i.muted for i in cameras)

    def replace(self, **changes: object) -> "LocalPresence":
        values = {name: getattr(self, name) for name in self.__dataclass_fields__}
        values.update(changes)
        return LocalPresence(**values)  # type: ignore[arg-type]


def render_presence(to: Jid, state: LocalPresence, *, join: bool = False,
                    password: str | None = None, billing_id: str | None = None,
                    presence_type: str | None = None) -> Element:
    """Our presence to ``room/nick``.  ``join`` adds the MUC ``<x/>`` (once per join)."""
    presence = el("presence", {"to": str(to), "type": presence_type})
    if join:
        x = sub(presence, f"{{{NS_MUC}}}x")
        if password:
            sub(x, f"{{{NS_MUC}}}password", text=password)
        if billing_id:
            sub(x, f"{{{NS_MUC}}}billingid", text=billing_id)
    if state.stats_id:
        sub(presence, "stats-id", text=state.stats_id)
    if state.caps is not None:
        sub(presence, f"{{{NS_CAPS}}}c",
            {"hash": state.caps.hash, "node": state.caps.node, "ver": state.caps.ver})
    if state.codecs:
        sub(presence, "jitsi_participant_codecList", text=",".join(c.lower() for c in state.codecs))
    if state.sources:
        sub(presence, "SourceInfo", text=render_source_info(state.sources))
    if state.legacy_mute:
        # lib-jitsi-meet before 2022-11 (the 2021 build in our rig), jigasi-era clients and
        # gst-meet read these instead of SourceInfo; current libs still parse them.
        sub(presence, "audiomuted", text=_bool_text(state.audio_muted))
        sub(presence, "videomuted", text=_bool_text(state.video_muted))
    if state.display_name:
        # the lib never sends an empty nick; no name = no element
        sub(presence, f"{{{NS_NICK}}}nick", text=state.display_name)
    if state.email:
        sub(presence, "email", text=state.email)
    for key, value in state.properties.items():
        sub(presence, PROPERTY_PREFIX + key, text=value)
    return presence


def with_muted(state: LocalPresence, endpoint_id: str, media: str, muted: bool) -> LocalPresence:
    """``state`` with our ``media`` ('audio'/'video' camera) sources (un)muted; a missing
    source is created as ``<ep>-a0``/``<ep>-v0`` so that the mute state is visible."""
    sources = dict(state.sources)
    names = [n for n in sources if media_of_source(n) == media
             and (media == "audio" or sources[n].video_type != "desktop")]
    if not names:
        names = [source_name(endpoint_id, media)]
        sources[names[0]] = SourceInfo(True, "camera" if media == "video" else None)
    for name in names:
        sources[name] = SourceInfo(muted=muted, video_type=sources[name].video_type)
    return state.replace(sources=sources)


def _bool_text(value: bool) -> str:
    return "true" if value else "false"


# --- what others publish ----------------------------------------------------------------

@dataclass(frozen=True)
class Destroy:
    """``<destroy>`` in an unavailable presence: the room is gone (``jid`` = go there)."""

    reason: str | None
    jid: str | None


@dataclass(frozen=True)
class OccupantPresence:
    """One presence from a MUC room, as far as Jitsi cares."""

    occupant: Jid                          # room@muc/nick (bare room JID for some errors)
    type: str                              # 'available', 'unavailable' or 'error'
    display_name: str | None = None
    role: str | None = None
    affiliation: str | None = None
    real_jid: Jid | None = None
    status_codes: frozenset[int] = frozenset()
    status_text: str | None = None
    actor: str | None = None
    item_reason: str | None = None
    sources: Mapping[str, SourceInfo] | None = None     # None: no (usable) SourceInfo
    legacy_audio_muted: bool | None = None
    legacy_video_muted: bool | None = None
    legacy_video_type: str | None = None
    codecs: tuple[str, ...] = ()
    features: frozenset[str] = frozenset()
    properties: Mapping[str, str] = field(default_factory=dict)
    stats_id: str | None = None
    email: str | None = None
    destroy: Destroy | None = None
    ignore: bool = False                   # <ignore xmlns='http://jitsi.org/jitmeet/'/>
    conference_properties: Mapping[str, str] = field(default_factory=dict)   # Jicofo's
    bridge_not_available: bool = False

    @property
    def nick(self) -> str | None:
        return self.occupant.resource

    @property
    def is_self(self) -> bool:
        return 110 in self.status_codes

    @classmethod
    def from_element(cls, presence: Element) -> "OccupantPresence":
        if _local(presence.tag) != "presence":
            raise RemoteProtocolError(reason="not a presence")
        sender = presence.get("from")
        if not sender:
            raise RemoteProtocolError(reason="presence without 'from'")
        occupant = Jid.parse(sender)
        kind = presence.get("type") or "available"

        role = affiliation = actor = item_reason = None
        real_jid: Jid | None = None
        codes: set[int] = set()
        destroy: Destroy | None = None
        for x in presence.findall(f"{{{NS_MUC_USER}}}x"):
            for child in x:
                local = _local(child.tag)
                if local == "status":
                    code = child.get("code", "")
                    if code.isascii() and code.isdigit() and len(code) <= 4:
                        codes.add(int(code))
                elif local == "item" and role is None:
                    role = child.get("role") or None
                    affiliation = child.get("affiliation") or None
                    jid_text = child.get("jid")
                    if jid_text:
                        try:
                            real_jid = Jid.parse(jid_text)
                        except RemoteProtocolError:
                            real_jid = None
                    for grandchild in child:
                        if _local(grandchild.tag) == "actor":
                            actor = grandchild.get("nick") or None
                        elif _local(grandchild.tag) == "reason":
                            item_reason = (grandchild.text or "").strip() or None
                elif local == "destroy":
                    reason_el = child.find(f"{{{NS_MUC_USER}}}reason")
                    reason = (reason_el.text or "").strip() if reason_el is not None else ""
                    destroy = Destroy(reason or None, child.get("jid") or None)

        display_name = None
        sources: dict[str, SourceInfo] | None = None
        legacy_audio = legacy_video = None
        legacy_type = None
        codecs: tuple[str, ...] = ()
        features: set[str] = set()
        properties: dict[str, str] = {}
        conference_properties: dict[str, str] = {}
        stats_id = email = status_text = None
        ignore = bridge_not_available = False
        for child in presence:
            ns, local = split_tag(child.tag) if isinstance(child.tag, str) else (None, "")
            text = child.text or ""
            if local == "nick" and ns == NS_NICK:
                display_name = text.strip() or None
            elif local == "SourceInfo":
                try:
                    sources = parse_source_info(text)
                except RemoteProtocolError as exc:
                    log.debug("ignoring SourceInfo from %s: %s", occupant, exc)
            elif local == "audiomuted":
                legacy_audio = text.strip() == "true"
            elif local == "videomuted":
                legacy_video = text.strip() == "true"
            elif local == "videoType":
                legacy_type = text.strip() or None
            elif local == "jitsi_participant_codecList":
                codecs = tuple(c.strip().lower() for c in text.split(",") if c.strip())
            elif local == "jitsi_participant_codecType" and not codecs:
                codecs = (text.strip().lower(),) if text.strip() else ()
            elif local.startswith(PROPERTY_PREFIX) and ns in (None, NS_CLIENT):
                properties[local[len(PROPERTY_PREFIX):]] = text
            elif local == "features":
                features.update(f.get("var", "") for f in child if f.get("var"))
            elif local == "stats-id":
                stats_id = text.strip() or None
            elif local == "email":
                email = text.strip() or None
            elif local == "status" and ns in (None, NS_CLIENT):
                status_text = text.strip() or None
            elif local == "ignore" and ns in (NS_JITSI_MEET, NS_JITSI_MEET + "/"):
                ignore = True
            elif local == "conference-properties" and ns == NS_JITSI_FOCUS:
                for prop in child:
                    if prop.get("key"):
                        conference_properties[prop.get("key", "")] = prop.get("value", "")
            elif local == "bridgeNotAvailable":
                bridge_not_available = True
        return cls(
            occupant=occupant, type=kind, display_name=display_name, role=role,
            affiliation=affiliation, real_jid=real_jid, status_codes=frozenset(codes),
            status_text=status_text, actor=actor, item_reason=item_reason, sources=sources,
            legacy_audio_muted=legacy_audio, legacy_video_muted=legacy_video,
            legacy_video_type=legacy_type, codecs=codecs, features=frozenset(features),
            properties=properties, stats_id=stats_id, email=email, destroy=destroy,
            ignore=ignore, conference_properties=conference_properties,
            bridge_not_available=bridge_not_available)

    # --- derived mute state, the way receivers show it -------------------------------

    def _sources_of(self, media: str) -> list[tuple[str, SourceInfo]]:
        return sorted(((name, info) for name, info in (self.sources or {}).items()
                       if media_of_source(name) == media), key=lambda pair: pair[0])

    @property
    def audio_muted(self) -> bool:
        audio = self._sources_of("audio")
        if audio:
            return all(info.muted for _, info in audio)
        if self.legacy_audio_muted is not None:
            return self.legacy_audio_muted
        return True

    @property
    def video_muted(self) -> bool:
        cameras = [info for _, info in self._sources_of("video") if info.video_type != "desktop"]
        if cameras:
            return all(info.muted for info in cameras)
        if self.sources:
            return True
        if self.legacy_video_muted is not None:
            return self.legacy_video_muted
        return True

    @property
    def video_type(self) -> str | None:
        video = self._sources_of("video")
        if video:
            return video[0][1].video_type or "camera"
        return self.legacy_video_type

    @property
    def raised_hand(self) -> bool:
        value = self.properties.get("raisedHand", "").strip().lower()
        return value not in ("", "0", "false")

