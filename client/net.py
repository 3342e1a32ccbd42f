"""The one place where Treffpunkt decides how it talks to the network.

Certificate checks are never switched off.  An admin can add a CA (for a
municipal CA) on top of the system's trust store; tests use the same setting.
Plain http/ws is only accepted for loopback hosts, where a local test server
may run without TLS.

Everything that can go wrong on the way is turned into a ``ServerError`` that
names the host (``ServerUnreachableError``, ``CertificateError``, ...), so no
foreign exception text ever reaches a resident.  HTTP is a deliberately small
HTTP/1.1 GET over asyncio streams: one request per connection, a size cap on
headers and body, one deadline for the whole exchange, and a handful of
redirects that must stay on https and (by default) on the same host.
No proxy support: traffic goes straight to the town's server.
"""

from __future__ import annotations

import asyncio
import functools
import ipaddress
import os
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from client import __version__
from client.errors import (
    CertificateError,
    CertificateNameMismatchError,
    ExpiredCertificateError,
    InsecureConnectionError,
    ResponseTooLargeError,
    ServerError,
    ServerHttpError,
    ServerRedirectError,
    ServerResponseError,
    ServerTimeoutError,
    ServerUnreachableError,
    TlsHandshakeError,
    UntrustedCertificateError,
)

if TYPE_CHECKING:
    from websockets.asyncio.client import ClientConnection

USER_AGENT = f"Treffpunkt/{__version__}"
MAX_HEADER_BYTES = 64 * 1024
MAX_HEADER_LINES = 200
DEFAULT_MAX_BODY_BYTES = 1024 * 1024
DEFAULT_MAX_REDIRECTS = 5
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True)
class TrustSettings:
    """What the app trusts: the system store plus an optional extra CA file."""

    extra_ca_file: Path | None = None

    def ssl_context(self) -> ssl.SSLContext:
        """A verifying client context; shared while the CA file is unchanged.

        Loading the system store costs ~30 ms, paid on every connect otherwise.
        Client contexts are safe to share; keying on the file's mtime picks up an
        admin's replaced CA file without a restart.
        """
        if self.extra_ca_file is None:
            return _client_context(None, 0)
        mtime = os.stat(self.extra_ca_file).st_mtime_ns  # OSError: missing file → caller maps it
        return _client_context(str(self.extra_ca_file), mtime)


@functools.lru_cache(maxsize=8)
def _client_context(extra_ca_file: str | None, mtime_ns: int) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if extra_ca_file is not None:
        context.load_verify_locations(cafile=extra_ca_file)
    return context


def is_loopback_host(host: str) -> bool:
    host = host.strip("[]").lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def ascii_host(host: str) -> str:
    """A host name as DNS and TLS want it: IDN labels in punycode, lower case."""
    host = host.strip("[]").rstrip(".").lower()
    try:
        host.encode("ascii")
        return host
    except UnicodeEncodeError:
        pass
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise ServerUnreachableError(host=host, detail=f"invalid host name: {exc}") from exc


# --- errors at the boundary -------------------------------------------------------

# OpenSSL X509_V_ERR_* codes (x509_vfy.h) grouped by what a person can understand.
_EXPIRED_CODES = frozenset({9, 10})            # not yet valid, expired
_NAME_MISMATCH_CODES = frozenset({62, 63, 64})  # host name, e-mail, IP address mismatch
_UNTRUSTED_CODES = frozenset({2, 18, 19, 20, 21, 24, 27, 28})  # unknown issuer, self-signed, ...


def map_network_error(exc: BaseException, host: str) -> ServerError:
    """A socket/TLS/timeout exception → the ``ServerError`` a person can act on."""
    if isinstance(exc, ServerError):
        return exc
    if isinstance(exc, ssl.SSLCertVerificationError):
        reason = exc.verify_message or exc.reason or str(exc)
        code = exc.verify_code
        cls: type[CertificateError]
        if code in _EXPIRED_CODES:
            cls = ExpiredCertificateError
        elif code in _NAME_MISMATCH_CODES:
            cls = CertificateNameMismatchError
        elif code in _UNTRUSTED_CODES:
            cls = UntrustedCertificateError
        else:
            cls = CertificateError
        return cls(host=host, reason=reason, verify_code=code)
    if isinstance(exc, ssl.SSLError):
        return TlsHandshakeError(host=host, detail=str(exc))
    if isinstance(exc, (TimeoutError, asyncio.TimeoutError)):
        return ServerTimeoutError(host=host)
    if isinstance(exc, asyncio.IncompleteReadError):
        return ServerResponseError(host=host, detail="connection closed in the middle of the answer")
    if isinstance(exc, (asyncio.LimitOverrunError, ValueError, UnicodeError)):
        return ServerResponseError(host=host, detail=str(exc))
    if isinstance(exc, (OSError, EOFError)):
        return ServerUnreachableError(host=host, detail=f"{type(exc).__name__}: {exc}")
    return ServerResponseError(host=host, detail=f"{type(exc).__name__}: {exc}")


# --- URLs -------------------------------------------------------------------------

@dataclass(frozen=True)
class _Target:
    scheme: str          # https | http
    host: str            # as people know it (for messages)
    connect_host: str    # ASCII, no brackets
    port: int
    path: str            # path + query, never empty

    @property
    def host_header(self) -> str:
        name = f"[{self.connect_host}]" if ":" in self.connect_host else self.connect_host
        default = 443 if self.scheme == "https" else 80
        return name if self.port == default else f"{name}:{self.port}"


def _target(url: str, *, secure_schemes: tuple[str, str] = ("https", "http")) -> _Target:
    """Split an http(s) URL and apply the TLS policy (plain only on loopback)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise ServerUnreachableError(host=url, detail=f"invalid URL: {exc}") from exc
    host = parts.hostname or ""
    if not host:
        raise ServerUnreachableError(host=url, detail="URL without a host")
    secure, plain = secure_schemes
    scheme = parts.scheme.lower()
    if scheme == plain:
        if not is_loopback_host(host):
            raise InsecureConnectionError(host=host)
    elif scheme != secure:
        raise ServerUnreachableError(host=host, detail=f"unsupported scheme {scheme!r}")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    if any(c in path for c in "\r\n ") or any(ord(c) > 126 for c in path):
        path = _quote_path(path)
    return _Target(scheme, host, ascii_host(host), port or (443 if scheme == secure else 80), path)


def _quote_path(path: str) -> str:
    from urllib.parse import quote

    return quote(path, safe="/?&=%:@!$'()*+,;~-._")


# --- HTTP GET ---------------------------------------------------------------------

@dataclass(frozen=True)
class HttpResponse:
    url: str                              # the URL that answered (after redirects)
    status: int
    headers: Mapping[str, str] = field(default_factory=dict)   # lower-case names
    body: bytes = b""

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()

    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


async def https_get(url: str, *, trust: TrustSettings | None = None, timeout_s: float = 10.0,
                    max_bytes: int = DEFAULT_MAX_BODY_BYTES,
                    max_redirects: int = DEFAULT_MAX_REDIRECTS,
                    allow_other_hosts: bool = False, accept: str = "*/*") -> HttpResponse:
    """GET ``url`` and return the final answer, whatever its status.

    Redirects are followed up to ``max_redirects`` times, only to https (or to
    http on a loopback host), and only to the same host unless
    ``allow_other_hosts``: a link that silently moves to another server would get
    around the public-server check the user saw.  A body larger than
    ``max_bytes`` raises ``ResponseTooLargeError`` after reading at most
    ``max_bytes + 1`` bytes.  The whole exchange shares one deadline.
    """
    target = _target(url)
    first_host = target.host
    context = trust_context(trust, first_host)
    current = url
    try:
        async with asyncio.timeout(timeout_s):
            for _ in range(max_redirects + 1):
                response = await _exchange(current, target, context, max_bytes, accept=accept)
                location = response.headers.get("location")
                if response.status not in _REDIRECT_STATUSES or not location:
                    return response
                next_url = urljoin(current, location.strip())
                next_target = _target(next_url)
                if next_target.scheme == "http" and target.scheme == "https":
                    raise InsecureConnectionError(host=next_target.host)
                if not allow_other_hosts and next_target.connect_host != target.connect_host:
                    raise ServerRedirectError(host=target.host, target=next_target.host)
                current, target = next_url, next_target
    except TimeoutError as exc:
        raise ServerTimeoutError(host=target.host) from exc
    raise ServerResponseError(host=first_host, detail=f"more than {max_redirects} redirects")


async def _exchange(url: str, target: _Target, context: ssl.SSLContext, max_bytes: int, *,
                    method: str = "GET", accept: str = "*/*",
                    extra_headers: Mapping[str, str] | None = None,
                    body: bytes | None = None, content_type: str | None = None) -> HttpResponse:
    """One HTTP/1.1 request on a fresh connection; ``Connection: close`` keeps it simple."""
    writer: asyncio.StreamWriter | None = None
    finished = False
    lines = [f"{method} {target.path} HTTP/1.1", f"Host: {target.host_header}",
             f"User-Agent: {USER_AGENT}", f"Accept: {accept}", "Accept-Encoding: identity",
             "Connection: close"]
    if body is not None:
        lines += [f"Content-Type: {content_type or 'application/octet-stream'}",
                  f"Content-Length: {len(body)}"]
    # Header injection: a value with a line break is dropped, never sent.
    lines += [f"{name}: {value}" for name, value in (extra_headers or {}).items()
              if not any(c in name + value for c in "\r\n")]
    try:
        reader, writer = await asyncio.open_connection(
            target.connect_host, target.port,
            ssl=context if target.scheme == "https" else None,
            server_hostname=target.connect_host if target.scheme == "https" else None,
            limit=MAX_HEADER_BYTES)
        writer.write("\r\n".join(lines).encode("latin-1", "replace") + b"\r\n\r\n" + (body or b""))
        await writer.drain()
        status, headers = await _read_head(reader)
        payload = await _read_body(reader, status, headers, max_bytes, target.host)
        finished = True
        return HttpResponse(url=url, status=status, headers=headers, body=payload)
    except ServerError:
        raise
    except TimeoutError:
        raise
    except (OSError, EOFError, ValueError, UnicodeError, asyncio.IncompleteReadError,
            asyncio.LimitOverrunError) as exc:
        raise map_network_error(exc, target.host) from exc
    finally:
        if writer is not None and not finished:
            writer.transport.abort()   # a stalled or hostile server gets no goodbye
        elif writer is not None:
            writer.close()
            try:
                await asyncio.wait_for(writer.wait_closed(), 0.5)
            except (OSError, ssl.SSLError, TimeoutError):
                pass


async def https_post_json(url: str, body: Any, *, trust: TrustSettings | None = None,
                          timeout_s: float = 10.0, headers: Mapping[str, str] | None = None,
                          max_bytes: int = DEFAULT_MAX_BODY_BYTES) -> HttpResponse:
    """POST ``body`` as JSON and return the answer, whatever its status.

    Added for Jitsi's HTTP conference request (``conferenceRequestUrl``, signaling
    spec §3.5).  Same TLS policy, size cap and error mapping as ``https_get``;
    redirects are not followed (a POST must not wander).
    """
    import json

    target = _target(url)
    context = trust_context(trust, target.host)
    data = json.dumps(body, separators=(",", ":")).encode("utf-8")
    try:
        async with asyncio.timeout(timeout_s):
            return await _exchange(url, target, context, max_bytes, method="POST",
                                   accept="application/json", extra_headers=headers,
                                   body=data, content_type="application/json")
    except TimeoutError as exc:
        raise ServerTimeoutError(host=target.host) from exc


async def _read_head(reader: asyncio.StreamReader) -> tuple[int, dict[str, str]]:
    while True:
        line = await reader.readuntil(b"\n")
        parts = line.decode("latin-1").strip().split(" ", 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/1.") or not parts[1].isdigit():
            raise ValueError(f"not an HTTP status line: {line[:80]!r}")
        status = int(parts[1])
        headers: dict[str, str] = {}
        size = 0
        for _ in range(MAX_HEADER_LINES):
            line = await reader.readuntil(b"\n")
            size += len(line)
            if size > MAX_HEADER_BYTES:
                raise ValueError("HTTP header too large")
            text = line.decode("latin-1").rstrip("\r\n")
            if not text:
                break
            name, colon, value = text.partition(":")
            if not colon:
                raise ValueError(f"malformed header line {text[:80]!r}")
            headers[name.strip().lower()] = value.strip()
        else:
            raise ValueError("too many HTTP header lines")
        if 100 <= status < 200:  # an interim answer; the real one follows
            continue
        return status, headers


async def _read_body(reader: asyncio.StreamReader, status: int, headers: Mapping[str, str],
                     max_bytes: int, host: str) -> bytes:
    if status in (204, 304):
        return b""
    too_large = ResponseTooLargeError(host=host, limit_kb=max(1, max_bytes // 1024),
                                      limit_bytes=max_bytes)
    if "chunked" in headers.get("transfer-encoding", "").lower():
        chunks: list[bytes] = []
        total = 0
        while True:
            size_line = (await reader.readuntil(b"\n")).split(b";", 1)[0].strip()
            size = int(size_line, 16)
            if size < 0:
                raise ValueError("negative chunk size")
            if size == 0:
                return b"".join(chunks)  # trailers are not needed: Connection: close
            total += size
            if total > max_bytes:
                raise too_large
            chunks.append(await reader.readexactly(size))
            await reader.readuntil(b"\n")
    length_text = headers.get("content-length")
    if length_text is not None:
        length = int(length_text)
        if length < 0:
            raise ValueError("negative Content-Length")
        if length > max_bytes:
            raise too_large
        return await reader.readexactly(length)
    data = bytearray()
    while len(data) <= max_bytes:
        chunk = await reader.read(max_bytes + 1 - len(data))
        if not chunk:
            return bytes(data)
        data += chunk
    raise too_large


# --- WebSocket --------------------------------------------------------------------

async def open_websocket(url: str, *, trust: TrustSettings | None = None,
                         subprotocols: Sequence[str] = ("xmpp",), timeout_s: float = 10.0,
                         max_size: int | None = 1024 * 1024,
                         **options: Any) -> ClientConnection:
    """Open a WebSocket (wss, or ws on loopback) with our TLS policy; errors as ``ServerError``."""
    from websockets.asyncio.client import connect
    from websockets.exceptions import InvalidHandshake, InvalidStatus, InvalidURI
    from websockets.typing import Subprotocol

    target = _target(url, secure_schemes=("wss", "ws"))
    parts = urlsplit(url)
    netloc = _netloc(target, parts.port)
    ascii_url = urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", parts.query, ""))
    context = trust_context(trust, target.host)
    try:
        # no subprotocols (colibri-ws) → None: an empty list would send an empty header
        return await connect(
            ascii_url, ssl=context if target.scheme == "wss" else None,
            subprotocols=[Subprotocol(p) for p in subprotocols] or None, open_timeout=timeout_s,
            max_size=max_size, proxy=None, compression=None,
            user_agent_header=USER_AGENT, **options)
    except InvalidStatus as exc:
        raise ServerHttpError(host=target.host, status=exc.response.status_code) from exc
    except (InvalidHandshake, InvalidURI) as exc:
        raise ServerResponseError(host=target.host, detail=str(exc)) from exc
    except (OSError, TimeoutError, EOFError, ValueError) as exc:
        raise map_network_error(exc, target.host) from exc


def _netloc(target: _Target, explicit_port: int | None) -> str:
    name = f"[{target.connect_host}]" if ":" in target.connect_host else target.connect_host
    return name if explicit_port is None else f"{name}:{explicit_port}"


def trust_context(trust: TrustSettings | None, host: str) -> ssl.SSLContext:
    """The SSL context for ``trust``; an unusable CA file is a certificate problem of ``host``."""
    try:
        return (trust or TrustSettings()).ssl_context()
    except (OSError, ssl.SSLError) as exc:
        raise CertificateError(host=host, reason=f"CA file unusable: {exc}") from exc


__all__ = [
    "HttpResponse",
    "TrustSettings",
    "ascii_host",
    "https_get",
    "is_loopback_host",
    "map_network_error",
    "open_websocket",
    "trust_context",
]
