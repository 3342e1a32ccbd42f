"""The test bridge's colibri WebSocket: ``wss://…/colibri-ws/<bridge-id>/<conference>/<endpoint>?pwd=…``.

As JVB's ColibriWebSocketService: a wrong bridge id or path is a 404, a wrong
password a 403; a new socket for an endpoint replaces the old one; text frames are
bridge-channel JSON, handed to the bridge; the bridge writes back through the
socket (``Bridge.attach_channel``).  When the endpoint expires the socket is closed
with 1001.  TLS uses a certificate of the rig's CA (tests/rig/tls.py).
"""

from __future__ import annotations

import asyncio
import logging
import ssl
from http import HTTPStatus
from urllib.parse import parse_qs, urlsplit

from tests.rig.bridge.bridge import Bridge

log = logging.getLogger("rig.colibri")


class ColibriWebSocketServer:
    """Serves the bridge channel of ``bridge`` on ``host``:``port`` (0 = any free port)."""

    def __init__(self, bridge: Bridge, *, host: str = "127.0.0.1", port: int = 0,
                 ssl_context: ssl.SSLContext | None = None, public_host: str = "localhost") -> None:
        self.bridge = bridge
        self.host, self.port = host, port
        self.ssl_context = ssl_context
        self.public_host = public_host
        self._server = None
        #: every path a client opened, for asserts
        self.connections: list[str] = []

    @property
    def base_url(self) -> str:
        scheme = "wss" if self.ssl_context is not None else "ws"
        return f"{scheme}://{self.public_host}:{self.port}/colibri-ws/{self.bridge.bridge_id}"

    async def start(self) -> None:
        from websockets.asyncio.server import serve

        self._server = await serve(self._handle, self.host, self.port, ssl=self.ssl_context,
                                   process_request=self._check, compression=None)
        self.port = self._server.sockets[0].getsockname()[1]
        self.bridge.colibri_base_url = self.base_url

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None

    def _parse(self, path: str) -> tuple[str, str, str] | None:
        parts = urlsplit(path)
        bits = parts.path.strip("/").split("/")
        if len(bits) != 4 or bits[0] != "colibri-ws" or bits[1] != self.bridge.bridge_id:
            return None
        password = parse_qs(parts.query).get("pwd", [""])[0]
        return bits[2], bits[3], password

    def _check(self, connection, request):  # noqa: ANN001, ANN201 - websockets' hook
        parsed = self._parse(request.path)
        if parsed is None:
            return connection.respond(HTTPStatus.NOT_FOUND, "invalid path\n")
        conference, endpoint, password = parsed
        expected = self.bridge.channel_password(conference, endpoint)
        if expected is None:
            return connection.respond(HTTPStatus.NOT_FOUND, "conference or endpoint not found\n")
        if password != expected:
            return connection.respond(HTTPStatus.FORBIDDEN, "authentication failed\n")
        return None

    async def _handle(self, ws) -> None:  # noqa: ANN001
        parsed = self._parse(ws.request.path)
        if parsed is None:
            return
        conference, endpoint, password = parsed
        self.connections.append(f"{conference}/{endpoint}")
        outbox: asyncio.Queue[str | int] = asyncio.Queue()

        def send(text: str) -> None:
            outbox.put_nowait(text)

        def close(code: int) -> None:
            outbox.put_nowait(code)

        refused = self.bridge.attach_channel(conference, endpoint, password, send, close)
        if refused is not None:
            await ws.close(1008, refused)
            return

        async def write() -> None:
            while True:
                item = await outbox.get()
                if isinstance(item, int):
                    await ws.close(item)
                    return
                await ws.send(item)

        writer = asyncio.ensure_future(write())
        try:
            async for frame in ws:
                if isinstance(frame, str):
                    self.bridge.on_channel_message(conference, endpoint, frame)
        except Exception as exc:  # noqa: BLE001 - a dropped client is normal
            log.debug("colibri-ws %s/%s: %r", conference, endpoint, exc)
        finally:
            writer.cancel()
            self.bridge.detach_channel(conference, endpoint, send)
