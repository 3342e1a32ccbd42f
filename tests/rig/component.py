"""An XEP-0114 external component connection, run on its own asyncio loop in a thread.

The rig's focus stand-in attaches to Prosody this way, as Jicofo's ``focus``
component does on a stock install.  The connection only moves stanzas: a
``handler(stanza) -> list[Element]`` (sans-I/O logic) gets every incoming stanza
and returns what to send; ``tick(now)`` gives the handler a chance to act on time.
Stanzas use the ``jabber:component:accept`` namespace.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path

from client.jitsi.stanza import Element, serialize
from tests.rig.process import RigError

NS_COMPONENT = "jabber:component:accept"
NS_STREAMS = "http://etherx.jabber.org/streams"

log = logging.getLogger(__name__)

StanzaHandler = Callable[[Element], list[Element]]
TickHandler = Callable[[float], list[Element]]


class ComponentConnection:
    """One authenticated component stream to Prosody, serviced by a background thread."""

    def __init__(self, host: str, port: int, domain: str, secret: str, *,
                 handler: StanzaHandler, tick: TickHandler | None = None,
                 tick_interval_s: float = 0.5, log_file: Path | None = None) -> None:
        self.host, self.port, self.domain, self.secret = host, port, domain, secret
        self._handler = handler
        self._tick = tick
        self._tick_interval_s = tick_interval_s
        self._log_file = log_file
        self._lock = threading.Lock()          # handler state is shared with test threads
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._ready: Future[None] = Future()
        self._stopping = False

    # -- called from test threads -----------------------------------------------------
    def start(self, timeout_s: float = 10.0) -> None:
        self._thread = threading.Thread(target=self._run, name=f"component {self.domain}",
                                        daemon=True)
        self._thread.start()
        try:
            self._ready.result(timeout=timeout_s)
        except TimeoutError:
            raise RigError(f"component {self.domain}: no handshake within {timeout_s} s") from None

    def stop(self) -> None:
        self._stopping = True
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._close_soon)
        if self._thread is not None:
            self._thread.join(timeout=5)

    def send(self, stanzas: list[Element]) -> None:
        """Send from any thread."""
        loop = self._loop
        if loop is None:
            raise RigError(f"component {self.domain} is not connected")
        loop.call_soon_threadsafe(self._write, stanzas)

    def call(self, fn: Callable[[], list[Element]]) -> None:
        """Run ``fn`` under the handler lock and send what it returns."""
        with self._lock:
            out = fn()
        if out:
            self.send(out)

    @property
    def lock(self) -> threading.Lock:
        return self._lock

    # -- the loop thread -------------------------------------------------------------
    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._main())
        except Exception as exc:  # noqa: BLE001 - reported to start() or logged
            if not self._ready.done():
                self._ready.set_exception(exc)
            elif not self._stopping:
                log.exception("component %s died", self.domain)
                self._trace(f"!! connection died: {exc!r}")
        finally:
            loop.close()

    def _close_soon(self) -> None:
        if self._writer is not None:
            try:
                self._writer.write(b"</stream:stream>")
            except (ConnectionError, RuntimeError):
                pass
            self._writer.close()

    async def _main(self) -> None:
        reader, writer = await asyncio.open_connection(self.host, self.port)
        self._writer = writer
        writer.write((f"<?xml version='1.0'?><stream:stream xmlns='{NS_COMPONENT}' "
                      f"xmlns:stream='{NS_STREAMS}' to='{self.domain}'>").encode())
        parser = ET.XMLPullParser(events=("start", "end"))
        depth = 0
        stream_id: str | None = None
        authenticated = False
        ticker = asyncio.ensure_future(self._tick_loop()) if self._tick else None
        try:
            while True:
                data = await reader.read(65536)
                if not data:
                    if not self._stopping:
                        raise RigError(f"component {self.domain}: Prosody closed the stream")
                    return
                parser.feed(data)
                for event, element in parser.read_events():
                    if event == "start":
                        depth += 1
                        if depth == 1:
                            stream_id = element.get("id")
                            digest = hashlib.sha1(f"{stream_id}{self.secret}".encode()).hexdigest()
                            writer.write(f"<handshake>{digest}</handshake>".encode())
                        continue
                    depth -= 1
                    if depth != 1:
                        continue
                    if element.tag == f"{{{NS_COMPONENT}}}handshake" and not authenticated:
                        authenticated = True
                        self._ready.set_result(None)
                    elif element.tag == f"{{{NS_STREAMS}}}error":
                        raise RigError(f"component {self.domain}: stream error "
                                       f"{ET.tostring(element, encoding='unicode')}")
                    else:
                        self._trace("<< " + ET.tostring(element, encoding="unicode"))
                        try:
                            with self._lock:
                                out = self._handler(element)
                        except Exception as exc:  # noqa: BLE001 - keep serving; the log tells
                            log.exception("component %s: handler failed", self.domain)
                            self._trace(f"!! handler failed: {exc!r}")
                            out = []
                        self._write(out)
                    element.clear()
        finally:
            if ticker is not None:
                ticker.cancel()

    async def _tick_loop(self) -> None:
        assert self._tick is not None
        while True:
            await asyncio.sleep(self._tick_interval_s)
            with self._lock:
                out = self._tick(time.monotonic())
            self._write(out)

    def _write(self, stanzas: list[Element]) -> None:
        if not stanzas or self._writer is None or self._writer.is_closing():
            return
        text = "".join(serialize(s, parent_ns=NS_COMPONENT) for s in stanzas)
        self._trace(">> " + text)
        self._writer.write(text.encode())

    def _trace(self, line: str) -> None:
        if self._log_file is not None:
            with open(self._log_file, "a", encoding="utf-8") as handle:
                handle.write(f"{time.strftime('%H:%M:%S')} {line}\n")
