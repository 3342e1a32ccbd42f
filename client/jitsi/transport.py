"""XmppClient: the asyncio adapter between a WebSocket and an ``XmppStream``.

It owns the socket, one timer and the futures of IQs awaited by callers; every
protocol decision is the stream's (client/jitsi/xmpp.py).  Incoming stanzas go
to the registered handlers in order until one claims them; an IQ get/set nobody
claims is answered here — disco#info from our ``Capabilities``, anything else
with ``service-unavailable`` — because XMPP requires an answer.

Network policy is net.py's (``open_websocket``): ``wss://`` with the app's trust
settings, ``ws://`` only for loopback hosts; socket, TLS and HTTP failures arrive
as ``ServerError``s naming the host.  Here we add what is XMPP-specific: the
``xmpp`` subprotocol must be accepted, and an HTTP 404-like answer means the
address is not a Jitsi XMPP endpoint (``NotJitsiServerError``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from urllib.parse import urlsplit

from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed

from client.errors import (InsecureConnectionError, NotJitsiServerError, RemoteProtocolError,
                           ServerHttpError, ServerTimeoutError, TreffpunktError)
from client.jitsi.disco import Capabilities, DiscoInfo, is_disco_info_request
from client.jitsi.extdisco import IceServer, parse_services, services_request
from client.jitsi.ns import NS_DISCO_INFO
from client.jitsi.sasl import Credentials
from client.jitsi.stanza import MAX_STANZA_BYTES, Element, Jid, el, split_tag
from client.jitsi.xmpp import (CLOSE_TIMEOUT_S, ConnectionLostError, IqAnswered, IqError,
                               IqFailed, IqTimedOut, IqTimeoutError, StanzaReceived,
                               StreamClosed, StreamEvent, StreamReady, StreamRedirectError,
                               StreamState, XmppStream, iq_error)
from client.net import TrustSettings, is_loopback_host, open_websocket

__all__ = ["XmppClient", "InsecureConnectionError", "IqError", "IqTimeoutError",
           "Credentials", "Capabilities", "IceServer", "StanzaHandler"]

log = logging.getLogger("treffpunkt.xmpp")

StanzaHandler = Callable[[Element], bool]

#: websockets refuses bigger frames itself; parse_xml's own limit is the real one.
_MAX_FRAME_BYTES = 2 * MAX_STANZA_BYTES
_REDIRECTS_FOLLOWED = 1
_HTTP_NOT_XMPP = {400, 403, 404, 405, 426}


class XmppClient:
    """One logged-in XMPP connection.  Build it with ``await XmppClient.connect(…)``."""

    def __init__(self, websocket: ClientConnection, stream: XmppStream, host: str,
                 capabilities: Capabilities) -> None:
        self._ws = websocket
        self._stream = stream
        self.host = host
        self.capabilities = capabilities
        self._loop = asyncio.get_running_loop()
        self._handlers: list[StanzaHandler] = []
        self._iq_futures: dict[str, asyncio.Future[Element]] = {}
        self._ready: asyncio.Future[Jid] = self._loop.create_future()
        #: result None after a close we asked for, else the TreffpunktError that ended it
        self.closed: asyncio.Future[TreffpunktError | None] = self._loop.create_future()
        self._outbox: asyncio.Queue[str | None] = asyncio.Queue()
        self._timer: asyncio.TimerHandle | None = None
        self._pumping = False
        self._reader: asyncio.Task[None] | None = None
        self._writer: asyncio.Task[None] | None = None

    # -- connecting -----------------------------------------------------------------

    @classmethod
    async def connect(cls, websocket_url: str, domain: str, *, trust: TrustSettings,
                      credentials: Credentials | None = None, timeout_s: float = 10.0,
                      capabilities: Capabilities | None = None) -> "XmppClient":
        """Open the WebSocket, log in (anonymously without ``credentials``) and bind.

        ``websocket_url`` already carries ``?room=`` (and ``token=``) — the deployment
        builds it.  Raises ``ServerError`` subclasses, ``AuthenticationError``,
        ``AnonymousLoginRefusedError`` or ``RemoteProtocolError``.
        """
        url = websocket_url
        for _ in range(_REDIRECTS_FOLLOWED + 1):
            try:
                return await cls._connect_once(url, domain, trust=trust, credentials=credentials,
                                               timeout_s=timeout_s,
                                               capabilities=capabilities or
                                               Capabilities.signaling_only())
            except StreamRedirectError as exc:
                log.info("server redirects the stream to another WebSocket address")
                last_redirect, url = exc, exc.uri
        raise last_redirect

    @classmethod
    async def _connect_once(cls, url: str, domain: str, *, trust: TrustSettings,
                            credentials: Credentials | None, timeout_s: float,
                            capabilities: Capabilities) -> "XmppClient":
        try:
            parts = urlsplit(url)
            scheme, host = parts.scheme.lower(), (parts.hostname or "")
        except ValueError:
            scheme, host = "", ""
        loop = asyncio.get_running_loop()
        started = loop.time()
        # net.py refuses ws:// to remote hosts and anything but ws/wss.
        websocket = await _open_websocket(url, host or url[:80], trust, timeout_s)
        stream = XmppStream(domain, host=host, credentials=credentials,
                            secure=scheme == "wss" or is_loopback_host(host))
        client = cls(websocket, stream, host, capabilities)
        client._start()
        remaining = max(0.1, timeout_s - (loop.time() - started))
        try:
            await asyncio.wait_for(asyncio.shield(client._ready), remaining)
        except TimeoutError:
            timed_out = ServerTimeoutError(host=host, detail="no login within the timeout")
            await client._abort(timed_out)
            raise timed_out from None
        except BaseException:
            await client._abort(None)
            raise
        log.info("logged in to %s as %s in %.0f ms", host, client.jid,
                 (loop.time() - started) * 1000)
        return client

    # -- the public surface --------------------------------------------------------

    @property
    def jid(self) -> Jid:
        """Our full JID (bound resource)."""
        assert self._stream.jid is not None
        return self._stream.jid

    @property
    def domain(self) -> str:
        return self._stream.domain

    @property
    def is_connected(self) -> bool:
        return self._stream.state is StreamState.READY

    def send(self, stanza: Element) -> None:
        """Queue a stanza.  After the connection ended this does nothing (see ``closed``)."""
        if self._stream.state is not StreamState.READY:
            log.debug("not sending a %s: the stream is %s", split_tag(stanza.tag)[1],
                      self._stream.state.value)
            return
        self._stream.send(stanza)
        self._pump()

    async def iq(self, stanza: Element, timeout_s: float = 10.0) -> Element:
        """Send an IQ get/set and return the result IQ.

        Raises ``IqError`` for ``type='error'``, ``IqTimeoutError`` after ``timeout_s``,
        the connection's error (or ``ConnectionLostError``) if it ends meanwhile.
        """
        if self._stream.state is not StreamState.READY:
            raise self._ended_error()
        iq_id = self._stream.send_iq(stanza, self._loop.time(), timeout_s)
        future: asyncio.Future[Element] = self._loop.create_future()
        self._iq_futures[iq_id] = future
        self._pump()
        try:
            return await future
        finally:
            if self._iq_futures.pop(iq_id, None) is not None:
                self._stream.forget_iq(iq_id)  # we were cancelled

    def add_handler(self, handler: StanzaHandler) -> Callable[[], None]:
        """``handler(stanza) -> True`` claims a stanza; returns a function that removes it."""
        self._handlers.append(handler)

        def remove() -> None:
            if handler in self._handlers:
                self._handlers.remove(handler)
        return remove

    async def disco_info(self, to: str | None = None, node: str | None = None,
                         timeout_s: float = 10.0) -> DiscoInfo:
        """disco#info of ``to`` (default: our XMPP domain)."""
        request = el("iq", {"type": "get", "to": to or self.domain},
                     el(f"{{{NS_DISCO_INFO}}}query", {"node": node}))
        return DiscoInfo.from_element(await self.iq(request, timeout_s))

    async def external_services(self, timeout_s: float = 10.0) -> list[IceServer]:
        """The server's STUN/TURN (XEP-0215 v2, falling back to v1).  A server without
        the module, or one that does not answer, gives an empty list: media may
        still work without relays, so this is never fatal."""
        for version in (2, 1):
            request = el("iq", {"type": "get", "to": self.domain}, services_request(version))
            try:
                return parse_services(await self.iq(request, timeout_s))
            except IqError as exc:
                log.info("extdisco:%d refused (%s)", version, exc.condition)
            except RemoteProtocolError as exc:
                log.info("extdisco:%d result unusable: %s", version, exc)
            except IqTimeoutError:
                log.warning("no answer to the external services query")
                return []
        return []

    async def close(self, timeout_s: float = CLOSE_TIMEOUT_S + 1.0) -> None:
        """Close cleanly: ``<close/>``, the server's ``<close/>``, then the WebSocket.
        Idempotent."""
        if not self.closed.done():
            self._stream.close(self._loop.time())
            self._pump()
        try:
            await asyncio.wait_for(asyncio.shield(self.closed), timeout_s)
        except TimeoutError:
            self._stream.connection_lost(None)
            self._pump()
        await self._finish_tasks(timeout_s)

    # -- machinery ---------------------------------------------------------------------

    def _start(self) -> None:
        self._stream.start(self._loop.time())
        self._reader = asyncio.create_task(self._read_loop(), name=f"xmpp-read {self.host}")
        self._writer = asyncio.create_task(self._write_loop(), name=f"xmpp-write {self.host}")
        self._pump()

    async def _read_loop(self) -> None:
        error: TreffpunktError | None = None
        try:
            async for message in self._ws:
                if isinstance(message, bytes):
                    error = RemoteProtocolError(reason="binary WebSocket frame (RFC 7395 §3.3)")
                    break
                if log.isEnabledFor(logging.DEBUG):
                    log.debug("in  %s", message[:4000])
                self._stream.receive(message, self._loop.time())
                self._pump()
        except ConnectionClosed as exc:
            if exc.sent is not None and exc.sent.code == 1009:
                error = RemoteProtocolError(reason=f"frame over {_MAX_FRAME_BYTES} bytes")
            else:
                error = ConnectionLostError(host=self.host, reason=f"WebSocket closed ({exc})")
        except OSError as exc:
            error = ConnectionLostError(host=self.host, reason=str(exc))
        finally:
            if error is None and self._stream.state is not StreamState.CLOSED:
                error = ConnectionLostError(host=self.host, reason="WebSocket closed")
            self._stream.connection_lost(error)
            self._pump()
            self._outbox.put_nowait(None)

    async def _write_loop(self) -> None:
        try:
            while (frame := await self._outbox.get()) is not None:
                await self._ws.send(frame)
        except (ConnectionClosed, OSError) as exc:
            log.debug("writer stopped: %s", exc)
        finally:
            await self._ws.close()

    def _pump(self) -> None:
        """Move frames to the writer and events to their owners, until both are drained."""
        if self._pumping:
            return  # a handler sent something while we were dispatching; the loop below sees it
        self._pumping = True
        try:
            while True:
                frames = self._stream.take_outgoing()
                events = self._stream.take_events()
                if not frames and not events:
                    break
                for frame in frames:
                    self._outbox.put_nowait(frame)
                for event in events:
                    self._on_event(event)
        finally:
            self._pumping = False
        self._arm_timer()

    def _arm_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        deadline = self._stream.deadline()
        if deadline is not None:
            self._timer = self._loop.call_at(deadline, self._on_timer)

    def _on_timer(self) -> None:
        self._timer = None
        self._stream.handle_timer(self._loop.time())
        self._pump()

    def _on_event(self, event: StreamEvent) -> None:
        if isinstance(event, StanzaReceived):
            self._dispatch(event.stanza)
        elif isinstance(event, IqAnswered):
            self._settle(event.iq_id, result=event.stanza)
        elif isinstance(event, IqFailed):
            self._settle(event.iq_id, error=event.error)
        elif isinstance(event, IqTimedOut):
            self._settle(event.iq_id, error=IqTimeoutError())
        elif isinstance(event, StreamReady):
            if not self._ready.done():
                self._ready.set_result(event.jid)
        elif isinstance(event, StreamClosed):
            self._on_closed(event.error)

    def _dispatch(self, stanza: Element) -> None:
        for handler in list(self._handlers):
            try:
                if handler(stanza):
                    return
            except Exception:  # one broken handler must not take the connection down
                log.exception("stanza handler %r failed", handler)
        if split_tag(stanza.tag)[1] != "iq" or stanza.get("type") not in ("get", "set"):
            return
        if is_disco_info_request(stanza):
            reply = self.capabilities.answer(stanza)
        else:
            reply = iq_error(stanza, "service-unavailable")
        if self._stream.state is StreamState.READY:
            self._stream.send(reply)

    def _settle(self, iq_id: str, *, result: Element | None = None,
                error: TreffpunktError | None = None) -> None:
        future = self._iq_futures.pop(iq_id, None)
        if future is None or future.done():
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)  # type: ignore[arg-type]

    def _on_closed(self, error: TreffpunktError | None) -> None:
        if error is not None:
            log.info("XMPP connection to %s ended: %s", self.host, error)
        if not self._ready.done():
            self._ready.set_exception(error or ConnectionLostError(host=self.host))
            self._ready.exception()  # retrieved: connect() re-raises it
        if not self.closed.done():
            self.closed.set_result(error)
        pending, self._iq_futures = self._iq_futures, {}
        for future in pending.values():
            if not future.done():
                future.set_exception(error or ConnectionLostError(host=self.host))
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._outbox.put_nowait(None)  # the writer flushes our <close/> and closes the socket

    def _ended_error(self) -> TreffpunktError:
        if self.closed.done() and self.closed.result() is not None:
            return self.closed.result()  # type: ignore[return-value]
        return ConnectionLostError(host=self.host)

    async def _abort(self, error: TreffpunktError | None) -> None:
        self._stream.connection_lost(error)
        self._pump()
        await self._finish_tasks(CLOSE_TIMEOUT_S)

    async def _finish_tasks(self, timeout_s: float) -> None:
        tasks = [t for t in (self._writer, self._reader) if t is not None]
        if tasks:
            done, still = await asyncio.wait(tasks, timeout=timeout_s)
            for task in still:
                task.cancel()
            if still:
                await asyncio.gather(*still, return_exceptions=True)
        await self._ws.close()


async def _open_websocket(url: str, host: str, trust: TrustSettings,
                          timeout_s: float) -> ClientConnection:
    """The WebSocket with the ``xmpp`` subprotocol (through net.py's TLS policy)."""
    try:
        websocket = await open_websocket(url, trust=trust, subprotocols=("xmpp",),
                                         timeout_s=timeout_s, max_size=_MAX_FRAME_BYTES,
                                         close_timeout=CLOSE_TIMEOUT_S)
    except ServerHttpError as exc:
        # No WebSocket at that path: the deployment's config points somewhere else.
        status = exc.details.get("status")
        if status in _HTTP_NOT_XMPP:
            raise NotJitsiServerError(host=host, reason=f"HTTP {status}") from exc
        raise
    if websocket.subprotocol != "xmpp":
        await websocket.close()
        raise RemoteProtocolError(reason="the server did not accept the xmpp WebSocket subprotocol")
    return websocket
