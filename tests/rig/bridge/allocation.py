"""What the test bridge forwards to whom, and who speaks — pure functions, no sockets.

Follows Jitsi Videobridge's rules as jitsi-media.md §4.2/§5.6 describes them (and
JVB's ``Prioritize.kt``/``BandwidthAllocator.kt``):

* a receiver's settings come from ``ReceiverVideoConstraints`` (every field
  optional: omitted = unchanged), the older ``LastNChangedEvent``, and — because
  the rig's lib-jitsi-meet is a 2021 build — the endpoint-keyed fields of that era
  (``onStageEndpoints``, ``selectedEndpoints``, constraints keyed by endpoint id);
* video sources are ordered on-stage first, then selected, then by their owner's
  speech activity (most recent speaker first); walking that order, a source whose
  constraint is 0 is skipped and does not count towards last-N; the first last-N
  of the rest are forwarded.  Single-layer senders are forwarded whenever the
  constraint is above 0 (there is no layer to thin), so ``maxHeight`` only
  matters as "0 or not";
* a sender learns the largest height any receiver wants of each of its sources
  (``SenderSourceConstraints``; 0 = nobody watches, −1 = no limit).

``SpeakerTracker`` picks the dominant speaker from RFC 6464 audio levels (0 is
loudest, 127 silence) — or, for a sender without the extension, from how many
audio packets it sends (DTX senders send far fewer while silent).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

UNLIMITED = -1
#: default maxHeight before any ReceiverVideoConstraints (JVB before stable 10532: 180)
INITIAL_MAX_HEIGHT = 180


@dataclass(frozen=True)
class VideoSource:
    name: str
    owner: str


@dataclass
class ReceiverSettings:
    """One receiver's wishes, updated message by message."""

    last_n: int = UNLIMITED
    default_max_height: int = INITIAL_MAX_HEIGHT
    constraints: dict[str, int] = field(default_factory=dict)     # source name or endpoint id
    on_stage: tuple[str, ...] = ()                                # source names or endpoint ids
    selected: tuple[str, ...] = ()

    def apply(self, message: Mapping[str, Any]) -> bool:
        """Apply one bridge-channel message (a JSON object); True if it was a video wish."""
        kind = message.get("colibriClass")
        if kind == "LastNChangedEvent":
            self.last_n = _int(message.get("lastN"), self.last_n)
            return True
        if kind == "SelectedEndpointsChangedEvent":        # 2021 and older
            self.selected = _names(message.get("selectedEndpoints"), self.selected)
            return True
        if kind != "ReceiverVideoConstraints":
            return False
        if "lastN" in message:
            self.last_n = _int(message.get("lastN"), self.last_n)
        default = message.get("defaultConstraints")
        if isinstance(default, dict) and "maxHeight" in default:
            self.default_max_height = _int(default.get("maxHeight"), self.default_max_height)
        constraints = message.get("constraints")
        if isinstance(constraints, dict):
            self.constraints = {str(key): _int(value.get("maxHeight"), UNLIMITED)
                                for key, value in constraints.items() if isinstance(value, dict)}
        stage = _names(message.get("onStageSources"), None)
        stage_endpoints = _names(message.get("onStageEndpoints"), None)
        if stage is not None or stage_endpoints is not None:
            self.on_stage = (stage or ()) + (stage_endpoints or ())
        selected = _names(message.get("selectedSources"), None)
        selected_endpoints = _names(message.get("selectedEndpoints"), None)
        if selected is not None or selected_endpoints is not None:
            self.selected = (selected or ()) + (selected_endpoints or ())
        return True

    def max_height(self, source: VideoSource) -> int:
        """The receiver's constraint for ``source`` (source name first, then its owner)."""
        if source.name in self.constraints:
            return self.constraints[source.name]
        if source.owner in self.constraints:
            return self.constraints[source.owner]
        return self.default_max_height


def _int(value: Any, fallback: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return fallback
    return int(value)


def _names(value: Any, fallback: tuple[str, ...] | None) -> tuple[str, ...] | None:
    if not isinstance(value, list):
        return fallback
    return tuple(str(item) for item in value if isinstance(item, str))


def prioritized(sources: Iterable[VideoSource], settings: ReceiverSettings,
                speaker_order: Sequence[str]) -> list[VideoSource]:
    """Sources in the order the bridge allocates them."""
    rank = {endpoint: index for index, endpoint in enumerate(speaker_order)}
    ordered = sorted(sources, key=lambda s: (rank.get(s.owner, len(rank)), s.owner, s.name))
    first: list[VideoSource] = []
    for wanted in settings.on_stage + settings.selected:
        for source in ordered:
            if (source.name == wanted or source.owner == wanted) and source not in first:
                first.append(source)
    return first + [source for source in ordered if source not in first]


def forwarded_sources(receiver: str, sources: Iterable[VideoSource], settings: ReceiverSettings,
                      speaker_order: Sequence[str]) -> list[VideoSource]:
    """The video sources ``receiver`` gets, in priority order."""
    others = [source for source in sources if source.owner != receiver]
    chosen: list[VideoSource] = []
    for source in prioritized(others, settings, speaker_order):
        if settings.last_n >= 0 and len(chosen) >= settings.last_n:
            break
        if settings.max_height(source) == 0:
            continue       # not wanted: does not take a last-N place either
        chosen.append(source)
    return chosen


def sender_constraints(sources: Iterable[VideoSource],
                       wishes: Mapping[str, tuple[ReceiverSettings, Sequence[VideoSource]]]
                       ) -> dict[str, int]:
    """Per source: the largest height any receiver that gets it wants (0: nobody)."""
    result: dict[str, int] = {}
    for source in sources:
        height = 0
        for receiver, (settings, forwarded) in wishes.items():
            if receiver == source.owner or source not in forwarded:
                continue
            wanted = settings.max_height(source)
            if wanted < 0:
                height = UNLIMITED
                break
            height = max(height, wanted)
        result[source.name] = height
    return result


# --- dominant speaker -----------------------------------------------------------------

@dataclass
class _Loudness:
    energy: float = 0.0        # decaying sum of (127 - level) per packet
    packets: float = 0.0       # decaying packet count (for senders without levels)
    has_levels: bool = False


class SpeakerTracker:
    """Dominant speaker from audio levels, with hysteresis; time is passed in (seconds)."""

    def __init__(self, *, half_life_s: float = 0.6, silence_level: int = 120,
                 min_switch_s: float = 0.8) -> None:
        self.half_life_s = half_life_s
        self.silence_level = silence_level
        self.min_switch_s = min_switch_s
        self._loudness: dict[str, _Loudness] = {}
        self._stamp: float | None = None
        self.dominant: str | None = None
        #: endpoint ids, most recent dominant speaker first
        self.order: list[str] = []
        self._switched_at = -1e9

    def add_endpoint(self, endpoint: str) -> None:
        if endpoint not in self.order:
            self.order.append(endpoint)
        self._loudness.setdefault(endpoint, _Loudness())

    def remove_endpoint(self, endpoint: str) -> None:
        self._loudness.pop(endpoint, None)
        if endpoint in self.order:
            self.order.remove(endpoint)
        if self.dominant == endpoint:
            self.dominant = self.order[0] if self.order else None

    def audio_packet(self, endpoint: str, level: int | None, now: float) -> None:
        self._decay(now)
        loudness = self._loudness.setdefault(endpoint, _Loudness())
        if endpoint not in self.order:
            self.order.append(endpoint)
        loudness.packets += 1
        if level is not None:
            loudness.has_levels = True
            if level < self.silence_level:
                loudness.energy += 127 - level

    def evaluate(self, now: float) -> str | None:
        """A new dominant speaker, or None if it did not change."""
        self._decay(now)
        best, best_score = None, 0.0
        for endpoint, loudness in self._loudness.items():
            score = loudness.energy if loudness.has_levels else loudness.packets * 0.5
            if score > best_score:
                best, best_score = endpoint, score
        if best is None or best == self.dominant:
            return None
        current = self._loudness.get(self.dominant or "")
        current_score = 0.0
        if current is not None:
            current_score = current.energy if current.has_levels else current.packets * 0.5
        # hysteresis: a new speaker must be clearly louder, and not right after a switch
        if now - self._switched_at < self.min_switch_s or best_score < 1.5 * current_score + 1.0:
            return None
        self.dominant = best
        self._switched_at = now
        self.order.remove(best)
        self.order.insert(0, best)
        return best

    def previous_speakers(self) -> list[str]:
        return [endpoint for endpoint in self.order if endpoint != self.dominant]

    def _decay(self, now: float) -> None:
        if self._stamp is None:
            self._stamp = now
            return
        elapsed = now - self._stamp
        if elapsed <= 0:
            return
        factor = 0.5 ** (elapsed / self.half_life_s)
        for loudness in self._loudness.values():
            loudness.energy *= factor
            loudness.packets *= factor
        self._stamp = now
