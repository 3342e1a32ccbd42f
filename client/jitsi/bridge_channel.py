"""The bridge channel: JSON messages with the videobridge over colibri-ws (media spec §4).

``BridgeChannel`` is the sans-I/O state: which URL to open when, what to send once
the socket is open, what came in.  The bridge forgets a receiver's wishes with the
socket (and current bridges send *no* video to a receiver that never said what it
wants), so on every open the channel sends our ``ReceiverVideoConstraints`` and the
video type of each of our sources again, and afterwards whenever they change.  A
dropped socket is reopened after 1, 2, 4 … 60 s, as lib-jitsi-meet does, except
when the bridge closed it with 1001 "going away" (the endpoint was expired: a new
Jingle session brings a new URL).

``BridgeChannelClient`` is the thin asyncio adapter: it opens the WebSockets through
``client.net.open_websocket`` and runs one timer for ``deadline()``.

Events: ``ChannelOpened``, ``ChannelClosed`` and every message the bridge sends
(``DominantSpeakerEndpointChangeEvent``, ``ForwardedSources``, ``EndpointMessage``
…, see colibri.py).  ``SenderSourceConstraints`` is passed on only when the height
for a source changes, so the media layer can act on each one.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any
from urllib.parse import urlsplit

from websockets.exceptions import ConnectionClosed

from client.errors import RemoteProtocolError, TreffpunktError
from client.jitsi.colibri import (
    BridgeMessage,
    DominantSpeakerEndpointChangeEvent,
    ForwardedSources,
    LastNEndpointsChangeEvent,
    ReceiverVideoConstraints,
    SenderSourceConstraints,
    SourceVideoTypeMessage,
    parse_message,
    render_message,
)
from client.jitsi.view import View, receiver_constraints
from client.net import open_websocket

log = logging.getLogger("treffpunkt.colibri")

FIRST_RETRY_S = 1.0
MAX_RETRY_S = 60.0
#: WebSocket close code JVB uses when it expires the endpoint
GOING_AWAY = 1001


class ChannelState(str, Enum):
    IDLE = "idle"              # not started
    CONNECTING = "connecting"  # an attempt is due or running
    OPEN = "open"
    WAITING = "waiting"        # between attempts
    CLOSED = "closed"          # closed for good (by us, or 1001 from the bridge)


@dataclass(frozen=True)
class ChannelEvent:
    pass


@dataclass(frozen=True)
class ChannelOpened(ChannelEvent):
    url: str


@dataclass(frozen=True)
class ChannelClosed(ChannelEvent):
    """The socket closed or could not be opened; ``retry_at`` (monotonic s) or None = for good."""

    code: int | None
    reason: str
    retry_at: float | None


BridgeChannelEvent = ChannelEvent | BridgeMessage


class BridgeChannel:
    """Sans-I/O: commands and frames in; URLs to open, frames to send and events out."""

    def __init__(self, urls: Sequence[str], *, first_retry_s: float = FIRST_RETRY_S,
                 max_retry_s: float = MAX_RETRY_S) -> None:
        self.urls = tuple(url for url in urls if url)
        self.state = ChannelState.IDLE
        self._url_index = 0
        self._first_retry_s = first_retry_s
        self._max_retry_s = max_retry_s
        self._retry_s = first_retry_s
        self._retry_at: float | None = None
        self._connect_due = False
        self._outgoing: list[str] = []
        self._events: list[BridgeChannelEvent] = []
        self._constraints: ReceiverVideoConstraints | None = None
        self._sent_constraints: ReceiverVideoConstraints | None = None
        self._video_types: dict[str, str] = {}
        #: what the bridge last told us
        self.sender_constraints: dict[str, int] = {}
        self.dominant_speaker: str | None = None
        self.forwarded_sources: tuple[str, ...] | None = None
        self.bad_frames = 0

    @property
    def url(self) -> str | None:
        return self.urls[self._url_index] if self.urls else None

    # -- commands ---------------------------------------------------------------------

    def start(self) -> None:
        """Begin connecting (the adapter asks ``take_connect()`` for the URL)."""
        if self.state is not ChannelState.IDLE:
            return
        if not self.urls:
            self.state = ChannelState.CLOSED
            self._events.append(ChannelClosed(None, "no bridge channel URL", None))
            return
        self.state = ChannelState.CONNECTING
        self._connect_due = True

    def set_receiver_constraints(self, constraints: ReceiverVideoConstraints) -> None:
        """Our whole video wish; sent now if open and different from the last one sent."""
        self._constraints = constraints
        self._flush_constraints()

    def set_view(self, view: View) -> None:
        self.set_receiver_constraints(receiver_constraints(view))

    def set_source_video_type(self, source_name: str, video_type: str) -> None:
        """camera / desktop / none (muted) for one of our sources; remembered for re-opens."""
        if self._video_types.get(source_name) == video_type:
            return
        self._video_types[source_name] = video_type
        if self.state is ChannelState.OPEN:
            self._queue(SourceVideoTypeMessage(source_name, video_type))

    def send(self, message: BridgeMessage) -> bool:
        """Any other message (EndpointMessage, EndpointStats …); False if not open (dropped)."""
        if self.state is not ChannelState.OPEN:
            return False
        self._queue(message)
        return True

    def close(self) -> None:
        self.state = ChannelState.CLOSED
        self._connect_due = False
        self._retry_at = None
        self._outgoing.clear()

    # -- what the adapter reports --------------------------------------------------------

    def take_connect(self) -> str | None:
        """The URL to open now, once per attempt."""
        if not self._connect_due or self.state is not ChannelState.CONNECTING:
            return None
        self._connect_due = False
        return self.url

    def opened(self, now: float) -> None:
        if self.state is not ChannelState.CONNECTING:
            return
        self.state = ChannelState.OPEN
        self._retry_s = self._first_retry_s
        self._sent_constraints = None
        self._events.append(ChannelOpened(self.url or ""))
        self._flush_constraints()
        for source_name, video_type in self._video_types.items():
            self._queue(SourceVideoTypeMessage(source_name, video_type))

    def failed(self, now: float, reason: str) -> None:
        """An attempt to open failed."""
        if self.state is not ChannelState.CONNECTING:
            return
        self._lost(now, None, reason, retry=True)

    def closed(self, now: float, code: int | None, reason: str = "") -> None:
        """The open socket closed."""
        if self.state is not ChannelState.OPEN:
            return
        self._lost(now, code, reason, retry=code != GOING_AWAY)

    def receive(self, frame: str | bytes, now: float) -> None:
        try:
            message = parse_message(frame)
        except RemoteProtocolError as exc:
            self.bad_frames += 1
            log.info("ignoring a bridge channel frame: %s", exc)
            return
        if isinstance(message, SenderSourceConstraints):
            if self.sender_constraints.get(message.source_name) == message.max_height:
                return
            self.sender_constraints[message.source_name] = message.max_height
        elif isinstance(message, DominantSpeakerEndpointChangeEvent):
            self.dominant_speaker = message.dominant_speaker_endpoint
        elif isinstance(message, ForwardedSources):
            self.forwarded_sources = message.forwarded_sources
        elif isinstance(message, LastNEndpointsChangeEvent):
            log.debug("old bridge: forwarded endpoints %s", message.last_n_endpoints)
        self._events.append(message)

    def handle_timer(self, now: float) -> None:
        if self.state is ChannelState.WAITING and self._retry_at is not None and now >= self._retry_at:
            self._retry_at = None
            self.state = ChannelState.CONNECTING
            self._connect_due = True

    def deadline(self) -> float | None:
        return self._retry_at if self.state is ChannelState.WAITING else None

    @property
    def has_outgoing(self) -> bool:
        return bool(self._outgoing)

    def take_outgoing(self) -> list[str]:
        out, self._outgoing = self._outgoing, []
        return out

    def take_events(self) -> list[BridgeChannelEvent]:
        out, self._events = self._events, []
        return out

    # -- inside ------------------------------------------------------------------------

    def _lost(self, now: float, code: int | None, reason: str, *, retry: bool) -> None:
        self._outgoing.clear()
        if not retry:
            self.state = ChannelState.CLOSED
            self._events.append(ChannelClosed(code, reason, None))
            return
        self.state = ChannelState.WAITING
        self._retry_at = now + self._retry_s
        self._retry_s = min(self._retry_s * 2, self._max_retry_s)
        if len(self.urls) > 1:   # another domain's URL may work where this one did not
            self._url_index = (self._url_index + 1) % len(self.urls)
        self._events.append(ChannelClosed(code, reason, self._retry_at))

    def _flush_constraints(self) -> None:
        if self.state is not ChannelState.OPEN or self._constraints is None:
            return
        if self._constraints == self._sent_constraints:
            return
        self._sent_constraints = self._constraints
        self._queue(self._constraints)

    def _queue(self, message: BridgeMessage) -> None:
        self._outgoing.append(render_message(message))


# --- the asyncio adapter -------------------------------------------------------------------

Opener = Callable[..., Any]


class BridgeChannelClient:
    """colibri-ws for one bridge session.  ``start()`` once, ``await close()`` at the end.

    ``on_event`` is called on the loop for every ``BridgeChannelEvent``.
    """

    def __init__(self, urls: Sequence[str], *, on_event: Callable[[BridgeChannelEvent], None],
                 trust: Any = None, timeout_s: float = 10.0,
                 clock: Callable[[], float] = time.monotonic, opener: Opener | None = None,
                 first_retry_s: float = FIRST_RETRY_S) -> None:
        self.channel = BridgeChannel(urls, first_retry_s=first_retry_s)
        self._on_event = on_event
        self._trust = trust
        self._timeout_s = timeout_s
        self._clock = clock
        self._opener = opener
        self._ws: Any = None
        self._wake = asyncio.Event()
        self._timer: asyncio.TimerHandle | None = None
        self._task: asyncio.Task[None] | None = None
        self._writer: asyncio.Task[None] | None = None
        self._write_due = asyncio.Event()

    @property
    def state(self) -> ChannelState:
        return self.channel.state

    @property
    def is_open(self) -> bool:
        return self.channel.state is ChannelState.OPEN

    def start(self) -> None:
        if self._task is not None:
            return
        self.channel.start()
        self._task = asyncio.ensure_future(self._run())
        self._writer = asyncio.ensure_future(self._write_loop())
        self._pump()

    # -- commands (synchronous: safe from Qt slots and event handlers) --------------------

    def set_view(self, view: View) -> None:
        self.channel.set_view(view)
        self._pump()

    def set_receiver_constraints(self, constraints: ReceiverVideoConstraints) -> None:
        self.channel.set_receiver_constraints(constraints)
        self._pump()

    def set_source_video_type(self, source_name: str, video_type: str) -> None:
        self.channel.set_source_video_type(source_name, video_type)
        self._pump()

    def send(self, message: BridgeMessage) -> bool:
        sent = self.channel.send(message)
        self._pump()
        return sent

    async def close(self) -> None:
        self.channel.close()
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        ws = self._ws
        for task in (self._task, self._writer):
            if task is not None:
                task.cancel()
        if ws is not None:
            try:
                await asyncio.wait_for(ws.close(), 2.0)
            except (OSError, TimeoutError, asyncio.CancelledError):
                pass
            except Exception:  # noqa: BLE001 - websockets raises its own errors on close
                pass
        for task in (self._task, self._writer):
            if task is not None:
                try:
                    await task
                except (asyncio.CancelledError, Exception):  # noqa: BLE001 - ending anyway
                    pass
        self._task = self._writer = None

    # -- inside --------------------------------------------------------------------------

    async def _open(self, url: str) -> Any:
        if self._opener is not None:
            return await self._opener(url)
        host = urlsplit(url).hostname or ""
        # gst-meet found deployments whose proxy wants an Origin, like a browser sends
        return await open_websocket(url, trust=self._trust, subprotocols=(),
                                    timeout_s=self._timeout_s, origin=f"https://{host}")

    async def _run(self) -> None:
        while self.channel.state is not ChannelState.CLOSED:
            url = self.channel.take_connect()
            if url is None:
                self._wake.clear()
                await self._wake.wait()
                continue
            try:
                ws = await self._open(url)
            except TreffpunktError as exc:
                log.info("bridge channel %s could not be opened: %s", url, exc)
                self.channel.failed(self._clock(), str(exc))
                self._pump()
                continue
            self._ws = ws
            self.channel.opened(self._clock())
            self._pump()
            code: int | None = None
            reason = ""
            try:
                async for frame in ws:
                    self.channel.receive(frame, self._clock())
                    self._pump()
            except ConnectionClosed:
                pass
            except OSError as exc:
                reason = str(exc)
            finally:
                self._ws = None
            code = getattr(ws, "close_code", None)
            reason = reason or (getattr(ws, "close_reason", None) or "")
            log.info("bridge channel closed (%s %s)", code, reason)
            self.channel.closed(self._clock(), code, reason)
            self._pump()

    async def _write_loop(self) -> None:
        while True:
            await self._write_due.wait()
            self._write_due.clear()
            ws = self._ws
            for text in self.channel.take_outgoing():
                if ws is None:
                    break
                try:
                    await ws.send(text)
                except Exception as exc:  # noqa: BLE001 - the reader sees the close and reconnects
                    log.info("bridge channel send failed: %s", exc)
                    break

    def _pump(self) -> None:
        """Deliver events, wake the writer, re-arm the timer, wake the runner."""
        for event in self.channel.take_events():
            try:
                self._on_event(event)
            except Exception:  # noqa: BLE001 - a listener's bug must not stop the channel
                log.exception("bridge channel listener failed")
        if self.channel.has_outgoing:
            self._write_due.set()
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        due = self.channel.deadline()
        if due is not None:
            loop = asyncio.get_running_loop()
            self._timer = loop.call_later(max(0.0, due - self._clock()), self._on_timer)
        self._wake.set()

    def _on_timer(self) -> None:
        self._timer = None
        self.channel.handle_timer(self._clock())
        self._pump()


__all__ = [
    "BridgeChannel", "BridgeChannelClient", "BridgeChannelEvent", "ChannelClosed",
    "ChannelEvent", "ChannelOpened", "ChannelState", "GOING_AWAY",
]
