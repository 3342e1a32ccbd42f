"""The deployment's web server: ``config.js`` (both real shapes, or anything a test sets).

API (everything a test needs)::

    web = ConfigWebServer(cert, addresses)       # the rig builds it; tests get rig.web
    web.base_url                                 # "https://localhost:PORT" (rig CA, TLS only)
    web.set_config_js(text, tenant=None)         # serve exactly this at /config.js or /<tenant>/config.js
    web.set_config_shape("object"|"assignments", tenant=None)   # generated from the rig's addresses
    web.set_route(path, body=b"", status=200, content_type="text/plain", headers=None,
                  size=None, chunked=False, delay_s=0.0)       # any other answer, e.g. a 50 MB body
    web.reset()                                  # back to the defaults, request log cleared
    web.requests                                 # [Request(method, path, query, headers)], oldest first

Defaults: ``/config.js`` is the object-literal shape (Debian's jitsi-meet-web-config
style: comments, trailing commas, ``'conference.' + domain``); ``/<tenant>/config.js``
is the same with the ``subdir``/``subdomain`` variables filled in as nginx's SSI does.
Both point at the rig's Prosody (the rig has no tenant MUC domains, so the tenant
variant keeps the rig's MUC).  ``?room=`` and other queries are logged, not needed for
routing.  ``/``, ``/<room>`` and ``/<tenant>/<room>`` return a small index page.

``size=N`` streams N bytes (a JavaScript comment) in 64 KiB chunks without holding
them in memory; ``chunked=True`` sends Transfer-Encoding: chunked instead of a
Content-Length; ``delay_s`` waits before the status line (for client timeouts).
"""

from __future__ import annotations

import socket
import ssl
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from tests.rig.process import LOOPBACK
from tests.rig.tls import IssuedCert

CHUNK = 64 * 1024


@dataclass(frozen=True)
class DeploymentAddresses:
    """What config.js tells a client about the rig's deployment."""

    domain: str
    muc: str
    focus: str
    auth_domain: str
    websocket_url: str
    bosh_url: str


def object_config_js(a: DeploymentAddresses, *, subdir: str = "", subdomain: str = "") -> str:
    """The object-literal shape (Debian's jitsi-meet-web-config template, trimmed)."""
    ws_base, _, _ = a.websocket_url.rpartition("/")
    bosh_base, _, _ = a.bosh_url.rpartition("/")
    domain = a.domain
    return f"""/* eslint-disable comma-dangle, no-unused-vars, no-var, prefer-template, vars-on-top */

/*
 * NOTE: If you add a new option please remember to document it here:
 * https://jitsi.github.io/handbook/docs/dev-guide/dev-guide-configuration
 */
var subdir = '{subdir}';
var subdomain = "{subdomain}";
if (subdomain) {{
    subdomain = subdomain.substr(0, subdomain.length - 1).split('.')
        .join('_')
        .toLowerCase() + '.';
}}

// In case of no ssi provided by the webserver, use empty strings
if (subdir.startsWith('<!--')) {{
    subdir = '';
}}
if (subdomain.startsWith('<!--')) {{
    subdomain = '';
}}

var domain = '{domain}';
var config = {{
    hosts: {{
        // XMPP domain.
        domain: domain,

        // When using authentication, domain for guest users.
        // anonymousdomain: 'guest.example.com',

        // Domain for authenticated users. Defaults to <domain>.
        authdomain: '{a.auth_domain}',

        // Focus component domain. Defaults to focus.<domain>.
        focus: '{a.focus}',

        // XMPP MUC domain. FIXME: use XEP-0030 to discover it.
        muc: 'conference.' + domain, // the rig has no per-tenant MUC
    }},

    // BOSH URL. FIXME: use XEP-0156 to discover it.
    bosh: '{bosh_base}/' + 'http-bind',

    // Websocket URL
    websocket: '{ws_base}/' + 'xmpp-websocket',

    // The real JID of focus participant - can be overridden here
    // Do not change username - FIXME: Make focus username configurable
    // https://github.com/jitsi/jitsi-meet/issues/7376
    // focusUserJid: 'focus@auth.{domain}',

    testing: {{
        // Disables the end to end encryption feature.
        disableE2EE: false,
        p2pTestMode: false,
    }},

    // Disables ICE/UDP by filtering out local and remote UDP candidates in
    // signalling.
    // webrtcIceUdpDisable: false,

    enableNoAudioDetection: true,
    enableNoisyMicDetection: true,
    startAudioOnly: false,
    // startAudioMuted: 10,
    // startWithAudioMuted: false,

    p2p: {{
        enabled: true,
        stunServers: [
            // {{ urls: 'stun:{domain}:3478' }},
        ],
    }},

    analytics: {{
    }},

    // Local Recording
    // localRecording: {{ enabled: true, format: 'flac' }},

    makeJsonParserHappy: 'even if last key had a trailing comma',
}};

/* eslint-enable no-unused-vars, no-var */
"""


def assignment_config_js(a: DeploymentAddresses, *, subdir: str = "", subdomain: str = "") -> str:
    """The docker-jitsi-meet shape: ``var config = {};`` then assignment statements."""
    ws_base, _, _ = a.websocket_url.rpartition("/")
    bosh_base, _, _ = a.bosh_url.rpartition("/")
    return f"""// Jitsi Meet configuration.
var config = {{}};

var subdir = '{subdir}';
var subdomain = '{subdomain}';
if (subdir.startsWith('<!--')) {{
    subdir = '';
}}
if (subdomain) {{
    subdomain = subdomain.substring(0,subdomain.length-1).split('.').join('_').toLowerCase() + '.';
}}
config.hosts = {{}};
config.hosts.domain = '{a.domain}';
config.focusUserJid = 'focus@{a.focus}';

var subdomainNoDot = '';
if (subdomain.endsWith('.')) {{
  subdomainNoDot = subdomain.substr(0,subdomain.length-1)
}}
config.hosts.muc = '{a.muc}';
config.hosts.authdomain = '{a.auth_domain}';
config.hosts.focus = '{a.focus}';

config.bosh = '{bosh_base}/' + 'http-bind';
config.websocket = '{ws_base}/' + 'xmpp-websocket';

// Video configuration.
//

config.resolution = 720;
config.constraints = {{
    video: {{
        height: {{ ideal: 720, max: 720, min: 180 }},
        width: {{ ideal: 1280, max: 1280, min: 320}},
    }}
}};

config.startVideoMuted = 10;
config.startWithVideoMuted = false;

// Peer-to-Peer options.
//

config.p2p = {{}};
config.p2p.enabled = true;
config.p2p.stunServers = 'stun:{LOOPBACK}:3478'.split(',').map(function (url) {{ return {{ urls: url }}; }});
config.flags = config.flags || {{}};
config.flags.sourceNameSignaling = true;

// Deployment information.
//

config.deploymentInfo = {{}};
config.analytics = {{}};
"""


SHAPES = {"object": object_config_js, "assignments": assignment_config_js}

INDEX_HTML = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Jitsi Meet</title>
<script src="config.js"></script></head>
<body><div id="react"></div></body></html>
"""


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/plain; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    size: int | None = None
    chunked: bool = False
    delay_s: float = 0.0


class ConfigWebServer:
    def __init__(self, cert: IssuedCert, addresses: DeploymentAddresses) -> None:
        self.addresses = addresses
        self._cert = cert
        self._lock = threading.Lock()
        self._routes: dict[str, Route] = {}
        self._shapes: dict[str | None, str] = {}
        self.requests: list[Request] = []
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"https://localhost:{self.port}"

    # -- what to serve ---------------------------------------------------------------
    def set_config_js(self, text: str | bytes, tenant: str | None = None) -> None:
        body = text.encode() if isinstance(text, str) else text
        self.set_route(self._config_path(tenant), body=body,
                       content_type="application/javascript; charset=utf-8")

    def set_config_shape(self, shape: str, tenant: str | None = None) -> None:
        if shape not in SHAPES:
            raise ValueError(f"unknown config.js shape {shape!r}; one of {sorted(SHAPES)}")
        with self._lock:
            self._routes.pop(self._config_path(tenant), None)
            self._shapes[tenant] = shape

    def set_route(self, path: str, *, body: str | bytes = b"", status: int = 200,
                  content_type: str = "text/plain; charset=utf-8",
                  headers: dict[str, str] | None = None, size: int | None = None,
                  chunked: bool = False, delay_s: float = 0.0) -> None:
        data = body.encode() if isinstance(body, str) else body
        with self._lock:
            self._routes[path] = Route(data, status, content_type, dict(headers or {}), size,
                                       chunked, delay_s)

    def reset(self) -> None:
        with self._lock:
            self._routes.clear()
            self._shapes.clear()
            self.requests.clear()

    def generated_config_js(self, tenant: str | None = None, shape: str | None = None) -> str:
        with self._lock:
            shape = shape or self._shapes.get(tenant) or self._shapes.get(None) or "object"
        subdir = f"{tenant}/" if tenant else ""
        subdomain = f"{tenant}." if tenant else ""
        return SHAPES[shape](self.addresses, subdir=subdir, subdomain=subdomain)

    @staticmethod
    def _config_path(tenant: str | None) -> str:
        return f"/{tenant}/config.js" if tenant else "/config.js"

    # -- lifecycle -------------------------------------------------------------------
    def start(self) -> None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self._cert.cert_file, self._cert.key_file)
        server = _Server((LOOPBACK, 0), _Handler)
        server.rig = self
        # The handshake then happens in each request's thread, so a client that
        # connects and says nothing cannot block the accept loop.
        server.socket = context.wrap_socket(server.socket, server_side=True,
                                            do_handshake_on_connect=False)
        self._server = server
        self.port = server.server_address[1]
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="rig web", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    # -- request handling (handler threads) -----------------------------------------
    def _answer(self, path: str) -> Route:
        with self._lock:
            route = self._routes.get(path)
        if route is not None:
            return route
        parts = [p for p in path.split("/") if p]
        if parts and parts[-1] == "config.js" and len(parts) <= 2:
            tenant = parts[0] if len(parts) == 2 else None
            return Route(self.generated_config_js(tenant).encode(),
                         content_type="application/javascript; charset=utf-8")
        if len(parts) <= 2 and not (parts and "." in parts[-1]):
            return Route(INDEX_HTML.encode(), content_type="text/html; charset=utf-8")
        return Route(b"Not Found\n", status=404)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    rig: ConfigWebServer

    def handle_error(self, request: socket.socket | tuple[bytes, socket.socket],  # type: ignore[override]
                     client_address: tuple[str, int]) -> None:
        # Clients that reject our certificate are part of the tests; anything else is a bug.
        exc = sys.exc_info()[1]
        if not isinstance(exc, (ssl.SSLError, ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    timeout = 15

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def do_GET(self) -> None:  # noqa: N802
        self._serve(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve(send_body=False)

    def _serve(self, send_body: bool) -> None:
        rig = self.server.rig
        url = urlsplit(self.path)
        with rig._lock:
            rig.requests.append(Request(self.command, url.path, parse_qs(url.query),
                                        {k.lower(): v for k, v in self.headers.items()}))
        route = rig._answer(url.path)
        if route.delay_s:
            time.sleep(route.delay_s)
        self.send_response(route.status)
        self.send_header("Content-Type", route.content_type)
        self.send_header("Cache-Control", "no-cache")
        for key, value in route.headers.items():
            self.send_header(key, value)
        length = route.size if route.size is not None else len(route.body)
        if route.chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(length))
        self.end_headers()
        if not send_body:
            return
        try:
            for piece in _pieces(route):
                if route.chunked:
                    self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
                else:
                    self.wfile.write(piece)
            if route.chunked:
                self.wfile.write(b"0\r\n\r\n")
        except (ConnectionError, ssl.SSLError, TimeoutError):
            self.close_connection = True    # the client gave up (size limits do that)


def _pieces(route: Route):  # noqa: ANN202 - a generator of bytes
    if route.size is None:
        if route.body:
            yield route.body
        return
    filler = (b"// " + b"x" * (CHUNK - 4) + b"\n")[:CHUNK]
    left = route.size
    while left > 0:
        piece = filler[:left]
        left -= len(piece)
        yield piece
