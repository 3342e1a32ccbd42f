"""Bridge-channel (colibri) messages as dataclasses ⇄ JSON (media spec §4.2).

Every message is one JSON object with a ``colibriClass``.  ``parse_message(text)``
gives the typed message; a class we do not know becomes ``UnknownMessage`` (the
bridge grows new classes all the time, and ignoring them is what lib-jitsi-meet
does).  ``render_message(message)`` writes exactly the documented fields: JVB drops
a whole message that carries a field it does not know (except EndpointMessage and
EndpointStats), so optional fields that are None are left out, never sent as null.

Fuzz invariant: any text gives a message or ``RemoteProtocolError``, never
``KeyError``/``TypeError``/``ValueError``/``RecursionError``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

from client.errors import RemoteProtocolError

#: far above anything real, so a hostile frame cannot make us build huge lists
MAX_LIST_ITEMS = 10_000
MAX_MESSAGE_CHARS = 1024 * 1024

#: ``maxHeight`` / ``lastN`` values with a meaning of their own
UNLIMITED = -1


# --- field helpers ---------------------------------------------------------------

def _bad(reason: str) -> RemoteProtocolError:
    return RemoteProtocolError(reason=f"bridge channel: {reason}")


def _int(obj: Mapping[str, Any], key: str, *, low: int = -(2**31), high: int = 2**63) -> int | None:
    value = obj.get(key)
    if value is None:
        return None
    # JSON has one number type; 360.0 is a fine height, True is not.
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _bad(f"{key} is not a number")
    if isinstance(value, float):
        if not math.isfinite(value) or value != int(value):
            raise _bad(f"{key} is not a whole number")
        value = int(value)
    if not low <= value <= high:
        raise _bad(f"{key}={value} out of range")
    return value


def _float(obj: Mapping[str, Any], key: str) -> float | None:
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise _bad(f"{key} is not a number")
    return float(value)


def _str(obj: Mapping[str, Any], key: str) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise _bad(f"{key} is not a string")
    return value


def _req_str(obj: Mapping[str, Any], key: str) -> str:
    value = _str(obj, key)
    if value is None:
        raise _bad(f"{obj.get('colibriClass', 'message')} without {key}")
    return value


def _bool(obj: Mapping[str, Any], key: str) -> bool | None:
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    # JVB writes EndpointConnectivityStatusChangeEvent.active as the string "true"/"false".
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise _bad(f"{key} is not a boolean")


def _str_list(obj: Mapping[str, Any], key: str) -> tuple[str, ...] | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, list) or len(value) > MAX_LIST_ITEMS:
        raise _bad(f"{key} is not a list")
    if not all(isinstance(item, str) for item in value):
        raise _bad(f"{key} holds something that is not a string")
    return tuple(value)


def _object(obj: Mapping[str, Any], key: str) -> Mapping[str, Any] | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _bad(f"{key} is not an object")
    return value


def _put(out: dict[str, Any], key: str, value: Any) -> None:
    if value is not None:
        out[key] = value


# --- the messages ------------------------------------------------------------------

@dataclass(frozen=True)
class BridgeMessage:
    colibri_class: ClassVar[str] = ""

    def to_json(self) -> dict[str, Any]:
        return {"colibriClass": self.colibri_class}


M = TypeVar("M", bound=BridgeMessage)


@dataclass(frozen=True)
class VideoConstraints:
    """``{"maxHeight": …, "maxFrameRate": …}``; maxHeight −1 = unlimited, 0 = send nothing."""

    max_height: int | None = None
    max_frame_rate: float | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        _put(out, "maxHeight", self.max_height)
        _put(out, "maxFrameRate", self.max_frame_rate)
        return out

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> "VideoConstraints":
        return cls(_int(obj, "maxHeight", low=-1, high=100_000), _float(obj, "maxFrameRate"))


@dataclass(frozen=True)
class ClientHello(BridgeMessage):
    colibri_class: ClassVar[str] = "ClientHello"

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> "ClientHello":
        return cls()


@dataclass(frozen=True)
class ServerHello(BridgeMessage):
    colibri_class: ClassVar[str] = "ServerHello"
    version: str | None = None

    def to_json(self) -> dict[str, Any]:
        out = super().to_json()
        _put(out, "version", self.version)
        return out

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> "ServerHello":
        return cls(_str(obj, "version"))


@dataclass(frozen=True)
class ReceiverVideoConstraints(BridgeMessage):
    """What video we want: the *whole* wish, sent on open and on every change.

    Every field is optional on the wire (omitted = unchanged), which is why None
    fields are not rendered.  ``constraints`` are keyed by source name.
    """

    colibri_class: ClassVar[str] = "ReceiverVideoConstraints"
    last_n: int | None = None
    selected_sources: tuple[str, ...] | None = None
    on_stage_sources: tuple[str, ...] | None = None
    default_constraints: VideoConstraints | None = None
    constraints: Mapping[str, VideoConstraints] | None = None
    assumed_bandwidth_bps: int | None = None

    def to_json(self) -> dict[str, Any]:
        out = super().to_json()
        _put(out, "lastN", self.last_n)
        if self.selected_sources is not None:
            out["selectedSources"] = list(self.selected_sources)
        if self.on_stage_sources is not None:
            out["onStageSources"] = list(self.on_stage_sources)
        if self.default_constraints is not None:
            out["defaultConstraints"] = self.default_constraints.to_json()
        if self.constraints is not None:
            out["constraints"] = {name: value.to_json() for name, value in self.constraints.items()}
        _put(out, "assumedBandwidthBps", self.assumed_bandwidth_bps)
        return out

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> "ReceiverVideoConstraints":
        default = _object(obj, "defaultConstraints")
        constraints = _object(obj, "constraints")
        parsed: dict[str, VideoConstraints] | None = None
        if constraints is not None:
            if len(constraints) > MAX_LIST_ITEMS:
                raise _bad("too many constraints")
            parsed = {}
            for name, value in constraints.items():
                if not isinstance(value, dict):
                    raise _bad("a constraint is not an object")
                parsed[name] = VideoConstraints.from_json(value)
        return cls(
            last_n=_int(obj, "lastN", low=-1, high=100_000),
            selected_sources=_str_list(obj, "selectedSources"),
            on_stage_sources=_str_list(obj, "onStageSources"),
            default_constraints=VideoConstraints.from_json(default) if default is not None else None,
            constraints=parsed,
            assumed_bandwidth_bps=_int(obj, "assumedBandwidthBps", low=-1),
        )


@dataclass(frozen=True)
class LastNChangedEvent(BridgeMessage):
    """The older way to set last-N alone (still accepted by JVB)."""

    colibri_class: ClassVar[str] = "LastNChangedEvent"
    last_n: int = UNLIMITED

    def to_json(self) -> dict[str, Any]:
        return {**super().to_json(), "lastN": self.last_n}

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> "LastNChangedEvent":
        value = _int(obj, "lastN", low=-1, high=100_000)
        return cls(UNLIMITED if value is None else value)


@dataclass(frozen=True)
class SourceVideoTypeMessage(BridgeMessage):
    """Our source ``source_name`` is a camera / desktop / ``none`` (muted)."""

    colibri_class: ClassVar[str] = "SourceVideoTypeMessage"
    source_name: str = ""
    video_type: str = "camera"

    def to_json(self) -> dict[str, Any]:
        return {**super().to_json(), "sourceName": self.source_name, "videoType": self.video_type}

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> "SourceVideoTypeMessage":
        return cls(_req_str(obj, "sourceName"), _req_str(obj, "videoType"))


@dataclass(frozen=True)
class EndpointMessage(BridgeMessage):
    """A message to one endpoint (``to``) or to all (``to=""``); the bridge adds ``from``.

    ``payload`` holds every other field as it came (lib-jitsi-meet uses ``msgPayload``).
    """

    colibri_class: ClassVar[str] = "EndpointMessage"
    to: str = ""
    payload: Mapping[str, Any] = field(default_factory=dict)
    sender: str | None = None

    def to_json(self) -> dict[str, Any]:
        out = {**super().to_json(), **{k: v for k, v in self.payload.items()
                                       if k not in ("colibriClass", "to", "from")}}
        out["to"] = self.to
        _put(out, "from", self.sender)
        return out

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> "EndpointMessage":
        payload = {k: v for k, v in obj.items() if k not in ("colibriClass", "to", "from")}
        return cls(_str(obj, "to") or "", payload, _str(obj, "from"))


@dataclass(frozen=True)
class EndpointStats(BridgeMessage):
    """Free-form connection statistics, relayed by the bridge with ``from``."""

    colibri_class: ClassVar[str] = "EndpointStats"
    stats: Mapping[str, Any] = field(default_factory=dict)
    sender: str | None = None

    def to_json(self) -> dict[str, Any]:
        out = {**super().to_json(), **{k: v for k, v in self.stats.items()
                                       if k not in ("colibriClass", "from")}}
        _put(out, "from", self.sender)
        return out

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> "EndpointStats":
        stats = {k: v for k, v in obj.items() if k not in ("colibriClass", "from")}
        return cls(stats, _str(obj, "from"))


@dataclass(frozen=True)
class ReceiverAudioSubscription(BridgeMessage):
    """Which audio we want (2025-07+): all, plus/minus source names."""

    colibri_class: ClassVar[str] = "ReceiverAudioSubscription"
    all: bool | None = True
    include: tuple[str, ...] | None = None
    exclude: tuple[str, ...] | None = None
    #: the legacy form (All/None/Include/Exclude + list), read only
    mode: str | None = None

    def to_json(self) -> dict[str, Any]:
        out = super().to_json()
        _put(out, "all", self.all)
        if self.include is not None:
            out["include"] = list(self.include)
        if self.exclude is not None:
            out["exclude"] = list(self.exclude)
        _put(out, "mode", self.mode)
        return out

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> "ReceiverAudioSubscription":
        return cls(_bool(obj, "all"), _str_list(obj, "include") or _str_list(obj, "list"),
                   _str_list(obj, "exclude"), _str(obj, "mode"))


@dataclass(frozen=True)
class DominantSpeakerEndpointChangeEvent(BridgeMessage):
    colibri_class: ClassVar[str] = "DominantSpeakerEndpointChangeEvent"
    dominant_speaker_endpoint: str = ""
    previous_speakers: tuple[str, ...] = ()
    silence: bool | None = None

    def to_json(self) -> dict[str, Any]:
        out = {**super().to_json(), "dominantSpeakerEndpoint": self.dominant_speaker_endpoint,
               "previousSpeakers": list(self.previous_speakers)}
        _put(out, "silence", self.silence)
        return out

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> "DominantSpeakerEndpointChangeEvent":
        return cls(_req_str(obj, "dominantSpeakerEndpoint"),
                   _str_list(obj, "previousSpeakers") or (), _bool(obj, "silence"))


@dataclass(frozen=True)
class EndpointConnectivityStatusChangeEvent(BridgeMessage):
    colibri_class: ClassVar[str] = "EndpointConnectivityStatusChangeEvent"
    endpoint: str = ""
    active: bool = True

    def to_json(self) -> dict[str, Any]:
        # JVB writes the boolean as a string
        return {**super().to_json(), "endpoint": self.endpoint,
                "active": "true" if self.active else "false"}

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> "EndpointConnectivityStatusChangeEvent":
        active = _bool(obj, "active")
        return cls(_req_str(obj, "endpoint"), True if active is None else active)


@dataclass(frozen=True)
class ForwardedSources(BridgeMessage):
    """The video sources the bridge currently forwards to us."""

    colibri_class: ClassVar[str] = "ForwardedSources"
    forwarded_sources: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {**super().to_json(), "forwardedSources": list(self.forwarded_sources)}

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> "ForwardedSources":
        return cls(_str_list(obj, "forwardedSources") or ())


@dataclass(frozen=True)
class LastNEndpointsChangeEvent(BridgeMessage):
    """Bridges before 2022-06: the *endpoints* whose video we receive (read only)."""

    colibri_class: ClassVar[str] = "LastNEndpointsChangeEvent"
    last_n_endpoints: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {**super().to_json(), "lastNEndpoints": list(self.last_n_endpoints)}

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> "LastNEndpointsChangeEvent":
        return cls(_str_list(obj, "lastNEndpoints") or ())


@dataclass(frozen=True)
class SenderSourceConstraints(BridgeMessage):
    """The largest height any receiver wants of our source (−1 no limit, 0 nobody watches)."""

    colibri_class: ClassVar[str] = "SenderSourceConstraints"
    source_name: str = ""
    max_height: int = UNLIMITED

    def to_json(self) -> dict[str, Any]:
        return {**super().to_json(), "sourceName": self.source_name, "maxHeight": self.max_height}

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> "SenderSourceConstraints":
        height = _int(obj, "maxHeight", low=-1, high=100_000)
        return cls(_req_str(obj, "sourceName"), UNLIMITED if height is None else height)


@dataclass(frozen=True)
class SenderVideoConstraints(BridgeMessage):
    """Bridges before 2022-06: ``{"videoConstraints": {"idealHeight": N}}`` for our camera."""

    colibri_class: ClassVar[str] = "SenderVideoConstraints"
    ideal_height: int = UNLIMITED

    def to_json(self) -> dict[str, Any]:
        return {**super().to_json(), "videoConstraints": {"idealHeight": self.ideal_height}}

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> "SenderVideoConstraints":
        inner = _object(obj, "videoConstraints") or {}
        height = _int(inner, "idealHeight", low=-1, high=100_000)
        return cls(UNLIMITED if height is None else height)


@dataclass(frozen=True)
class SourceMapping:
    """One SSRC-rewriting slot: ``ssrc`` (and ``rtx``) now carries ``source`` of ``owner``."""

    source: str
    owner: str
    ssrc: int
    rtx: int | None = None          # video only; −1 on the wire means none
    video_type: str | None = None   # video only
    mid: str | None = None

    @classmethod
    def from_json(cls, obj: object, media: str) -> "SourceMapping":
        if not isinstance(obj, dict):
            raise _bad("a mapped source is not an object")
        ssrc = _int(obj, "ssrc", low=0, high=0xFFFFFFFF)
        if ssrc is None:
            raise _bad("a mapped source without ssrc")
        rtx = _int(obj, "rtx", low=-1, high=0xFFFFFFFF) if media == "video" else None
        # JVB writes a null owner/source for a slot that lost its source
        return cls(_str(obj, "source") or "", _str(obj, "owner") or "", ssrc,
                   None if rtx is None or rtx < 0 else rtx,
                   _str(obj, "videoType") if media == "video" else None, _str(obj, "mid"))

    def to_json(self, media: str) -> dict[str, Any]:
        out: dict[str, Any] = {"source": self.source, "owner": self.owner, "ssrc": self.ssrc}
        if media == "video":
            out["rtx"] = -1 if self.rtx is None else self.rtx
            _put(out, "videoType", self.video_type)
        _put(out, "mid", self.mid)
        return out


def _mappings(obj: Mapping[str, Any], media: str) -> tuple[SourceMapping, ...]:
    value = obj.get("mappedSources")
    if value is None:
        return ()
    if not isinstance(value, list) or len(value) > MAX_LIST_ITEMS:
        raise _bad("mappedSources is not a list")
    return tuple(SourceMapping.from_json(item, media) for item in value)


@dataclass(frozen=True)
class VideoSourcesMap(BridgeMessage):
    colibri_class: ClassVar[str] = "VideoSourcesMap"
    mapped_sources: tuple[SourceMapping, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {**super().to_json(),
                "mappedSources": [m.to_json("video") for m in self.mapped_sources]}

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> "VideoSourcesMap":
        return cls(_mappings(obj, "video"))


@dataclass(frozen=True)
class AudioSourcesMap(BridgeMessage):
    colibri_class: ClassVar[str] = "AudioSourcesMap"
    mapped_sources: tuple[SourceMapping, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {**super().to_json(),
                "mappedSources": [m.to_json("audio") for m in self.mapped_sources]}

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> "AudioSourcesMap":
        return cls(_mappings(obj, "audio"))


@dataclass(frozen=True)
class ConnectionStats(BridgeMessage):
    colibri_class: ClassVar[str] = "ConnectionStats"
    estimated_downlink_bandwidth: int | None = None

    def to_json(self) -> dict[str, Any]:
        out = super().to_json()
        _put(out, "estimatedDownlinkBandwidth", self.estimated_downlink_bandwidth)
        return out

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> "ConnectionStats":
        return cls(_int(obj, "estimatedDownlinkBandwidth", low=0))


@dataclass(frozen=True)
class UnknownMessage(BridgeMessage):
    """A class we do not handle; kept for the log, otherwise ignored."""

    name: str = ""
    fields: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {**self.fields, "colibriClass": self.name}


_CLASSES: dict[str, Any] = {cls.colibri_class: cls for cls in (
    ClientHello, ServerHello, ReceiverVideoConstraints, LastNChangedEvent,
    SourceVideoTypeMessage, EndpointMessage, EndpointStats, ReceiverAudioSubscription,
    DominantSpeakerEndpointChangeEvent, EndpointConnectivityStatusChangeEvent, ForwardedSources,
    LastNEndpointsChangeEvent, SenderSourceConstraints, SenderVideoConstraints, VideoSourcesMap,
    AudioSourcesMap, ConnectionStats)}


# --- text ⇄ message ------------------------------------------------------------------

def parse_object(text: str | bytes) -> dict[str, Any]:
    """A bridge-channel frame as a JSON object with a ``colibriClass`` (or RemoteProtocolError)."""
    if isinstance(text, (bytes, bytearray)):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError:
            raise _bad("frame is not UTF-8") from None
    if len(text) > MAX_MESSAGE_CHARS:
        raise _bad("frame too large")
    try:
        obj = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise _bad(f"not JSON ({type(exc).__name__})") from None
    if not isinstance(obj, dict):
        raise _bad("frame is not a JSON object")
    name = obj.get("colibriClass")
    if not isinstance(name, str) or not name:
        raise _bad("frame without colibriClass")
    return obj


def parse_message(text: str | bytes) -> BridgeMessage:
    """One frame → its message; an unknown class → ``UnknownMessage``."""
    obj = parse_object(text)
    name = obj["colibriClass"]
    cls = _CLASSES.get(name)
    if cls is None:
        return UnknownMessage(name=name, fields={k: v for k, v in obj.items() if k != "colibriClass"})
    message: BridgeMessage = cls.from_json(obj)
    return message


def render_message(message: BridgeMessage) -> str:
    """A message as the compact JSON text the bridge expects."""
    return json.dumps(message.to_json(), separators=(",", ":"), ensure_ascii=False)


__all__ = [
    "AudioSourcesMap", "BridgeMessage", "ClientHello", "ConnectionStats",
    "DominantSpeakerEndpointChangeEvent", "EndpointConnectivityStatusChangeEvent",
    "EndpointMessage", "EndpointStats", "ForwardedSources", "LastNChangedEvent",
    "LastNEndpointsChangeEvent", "ReceiverAudioSubscription", "ReceiverVideoConstraints",
    "SenderSourceConstraints", "SenderVideoConstraints", "ServerHello", "SourceMapping",
    "SourceVideoTypeMessage", "UNLIMITED", "UnknownMessage", "VideoConstraints",
    "VideoSourcesMap", "parse_message", "parse_object", "render_message",
]
