"""What is on screen → what video we ask the bridge for ("cost follows the screen").

``receiver_constraints(view)`` is a pure function.  Only sources shown in a tile
get a constraint, sized to the tile's height in pixels (rounded up to the heights
senders actually produce); every other source falls under ``defaultConstraints``
``maxHeight: 0`` — the bridge sends nothing for it, however big the room is.
The on-stage source is prioritised (``onStageSources``), pinned ones
(``selected``) too; last-N caps how many videos the bridge forwards at all, chosen
by the bridge in dominant-speaker order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from client.jitsi.colibri import UNLIMITED, ReceiverVideoConstraints, VideoConstraints

#: heights JVB and lib-jitsi-meet think in (simulcast layers, quality levels)
HEIGHT_LADDER_PX = (180, 360, 720, 1080)


@dataclass(frozen=True)
class Tile:
    """A remote video shown on screen: its source name and its height in device pixels."""

    source_name: str
    height_px: int


@dataclass(frozen=True)
class View:
    """The call window as the bridge should see it."""

    tiles: tuple[Tile, ...] = ()
    #: the source shown large, if any (it is also one of ``tiles``)
    on_stage: str | None = None
    #: sources the person pinned; preferred over others when last-N has to choose
    selected: tuple[str, ...] = ()
    #: the most videos to receive at once; −1 = no limit (the user's setting)
    last_n: int = UNLIMITED
    #: highest height worth asking for at all (a bandwidth/CPU setting); None = ladder top
    max_height_px: int | None = None


def view_for_endpoints(video_sources: Iterable[tuple[str, str]], heights_px: Mapping[str, int],
                       *, last_n: int = UNLIMITED, on_stage_endpoint: str | None = None) -> View:
    """The grid's tiles (endpoint id → tile height) → a View over those endpoints' videos.

    ``video_sources`` are (owner endpoint id, source name) of every remote video the
    bridge signalled; a participant without a tile on screen gets no video at all.
    ``on_stage_endpoint``'s (first) video goes on stage: served first, even past last-N.
    """
    sources = list(video_sources)
    tiles = tuple(Tile(name, heights_px[owner]) for owner, name in sources if owner in heights_px)
    on_stage = next((name for owner, name in sources
                     if owner == on_stage_endpoint and owner in heights_px), None)
    return View(tiles=tiles, on_stage=on_stage, last_n=last_n)


def ask_height(height_px: int, cap_px: int | None = None) -> int:
    """The height to request for a tile ``height_px`` tall: the next ladder step up."""
    top = HEIGHT_LADDER_PX[-1] if cap_px is None else max(0, cap_px)
    if height_px <= 0 or top == 0:
        return 0
    for step in HEIGHT_LADDER_PX:
        if step >= height_px:
            return min(step, top)
    return top


def receiver_constraints(view: View) -> ReceiverVideoConstraints:
    """The ``ReceiverVideoConstraints`` for ``view`` (every field set: it replaces the last)."""
    heights: dict[str, int] = {}
    for tile in view.tiles:
        height = ask_height(tile.height_px, view.max_height_px)
        if height > 0:   # a tile too small to show anything is treated as hidden
            heights[tile.source_name] = max(height, heights.get(tile.source_name, 0))
    visible = set(heights)
    on_stage = (view.on_stage,) if view.on_stage in visible else ()
    selected = tuple(name for name in dict.fromkeys(view.selected) if name in visible)
    # JVB counts only sources with a non-zero constraint towards last-N, so hidden
    # speakers do not take a place from visible tiles.
    last_n = view.last_n if view.last_n >= 0 else UNLIMITED
    return ReceiverVideoConstraints(
        last_n=last_n,
        selected_sources=selected,
        on_stage_sources=on_stage,
        default_constraints=VideoConstraints(max_height=0),
        constraints={name: VideoConstraints(max_height=heights[name]) for name in sorted(heights)},
    )


__all__ = ["HEIGHT_LADDER_PX", "Tile", "View", "ask_height", "receiver_constraints"]
