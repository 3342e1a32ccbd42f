"""client.net: the small HTTP client against scripted loopback servers, and error mapping."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Awaitable, Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from client.errors import (
    CertificateError,
    ServerError,
    CertificateNameMismatchError,
    ExpiredCertificateError,
    InsecureConnectionError,
    ResponseTooLargeError,
    ServerHttpError,
    ServerResponseError,
    ServerTimeoutError,
    ServerUnreachableError,
    TlsHandshakeError,
    UntrustedCertificateError,
)
from client.net import ascii_host, https_get, map_network_error, open_websocket
from tests.rig.process import free_tcp_port

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


def with_server(answer: bytes | Handler, scenario: Callable[[str], Awaitable[object]]) -> object:
    """Run ``scenario(base_url)`` against a loopback server that sends ``answer`` raw."""
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            if callable(answer):
                await answer(reader, writer)
            else:
                await reader.readuntil(b"\r\n\r\n")
                writer.write(answer)
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    async def main() -> object:
        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        try:
            return await scenario(f"http://127.0.0.1:{port}")
        finally:
            server.close()
            await server.wait_closed()

    return asyncio.run(main())


def get(answer: bytes | Handler, path: str = "/config.js", **kwargs) -> object:  # noqa: ANN003
    return with_server(answer, lambda base: https_get(base + path, **kwargs))


def test_content_length_body():
    response = get(b"HTTP/1.1 200 OK\r\nContent-Type: application/javascript; charset=utf-8\r\n"
                   b"Content-Length: 5\r\nX-Jitsi-Shard: a\r\n\r\nhello")
    assert (response.status, response.body, response.content_type) == \
        (200, b"hello", "application/javascript")
    assert response.headers["x-jitsi-shard"] == "a"


def test_chunked_body():
    response = get(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                   b"3\r\nabc\r\n4;ext=1\r\ndefg\r\n0\r\n\r\n")
    assert response.body == b"abcdefg"


def test_body_until_close_and_an_interim_answer():
    response = get(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.0 404 Not Found\r\n\r\nnothing here")
    assert (response.status, response.body) == (404, b"nothing here")


def test_the_request_is_a_plain_get_with_our_user_agent():
    seen: list[bytes] = []

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        seen.append(await reader.readuntil(b"\r\n\r\n"))
        writer.write(b"HTTP/1.1 204 No Content\r\n\r\n")

    response = get(answer, "/t%C3%BC/config.js?room=b%c3%bc")
    assert response.status == 204
    head = seen[0].decode().split("\r\n")
    assert head[0] == "GET /t%C3%BC/config.js?room=b%c3%bc HTTP/1.1"
    assert head[1].startswith("Host: 127.0.0.1:")
    assert "Connection: close" in head and "Accept-Encoding: identity" in head
    assert any(line.startswith("User-Agent: Treffpunkt/") for line in head)


@pytest.mark.parametrize("answer", [
    b"HTTP/1.1 200 OK\r\nContent-Length: 1048577\r\n\r\n",          # announced: not read at all
    b"HTTP/1.1 200 OK\r\n\r\n" + b"x" * 2_000_000,                   # until close
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + b"100000\r\n" + b"x" * 0x100000
    + b"\r\n1\r\nx\r\n0\r\n\r\n",
])
def test_bodies_over_the_cap_are_refused(answer: bytes):
    with pytest.raises(ResponseTooLargeError) as info:
        get(answer, max_bytes=1024 * 1024)
    assert info.value.details["host"] == "127.0.0.1"


@pytest.mark.parametrize("answer", [
    b"SSH-2.0-OpenSSH_9.2\r\n",
    b"HTTP/1.1 abc OK\r\n\r\n",
    b"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
    b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort",
    b"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * 70_000 + b"\r\n\r\n",
    b"",
])
def test_garbage_answers_are_server_response_errors(answer: bytes):
    with pytest.raises((ServerResponseError, ServerUnreachableError)) as info:
        get(answer)
    assert info.value.details["host"] == "127.0.0.1"


@settings(max_examples=30, deadline=None)
@given(st.binary(max_size=300) | st.builds(
    lambda head, body: b"HTTP/1.1 200 OK\r\n" + head + b"\r\n\r\n" + body,
    st.binary(max_size=120), st.binary(max_size=120)))
def test_any_answer_gives_a_response_or_a_server_error(answer: bytes):
    try:
        response = get(answer, max_bytes=200, timeout_s=5)
    except ServerError:
        return
    assert len(response.body) <= 200


def test_a_silent_server_times_out():
    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read()  # never answers

    with pytest.raises(ServerTimeoutError):
        get(answer, timeout_s=0.3)


def test_plain_http_is_only_for_loopback():
    with pytest.raises(InsecureConnectionError) as info:
        asyncio.run(https_get("http://konferenz.example.de/config.js"))
    assert info.value.details["host"] == "konferenz.example.de"


def test_tls_to_a_plain_server_is_a_handshake_error():
    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(100)   # a ClientHello; answer as a plain HTTP server does
        writer.write(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
        await writer.drain()

    with pytest.raises(TlsHandshakeError):
        with_server(answer, lambda base: https_get(base.replace("http:", "https:") + "/"))


def test_closed_port_is_unreachable():
    with pytest.raises(ServerUnreachableError):
        asyncio.run(https_get(f"https://127.0.0.1:{free_tcp_port()}/"))


def _verify_error(code: int, message: str) -> ssl.SSLCertVerificationError:
    error = ssl.SSLCertVerificationError(1, f"certificate verify failed: {message}")
    error.verify_code = code
    error.verify_message = message
    return error


@pytest.mark.parametrize(("code", "message", "cls"), [
    (10, "certificate has expired", ExpiredCertificateError),
    (9, "certificate is not yet valid", ExpiredCertificateError),
    (62, "Hostname mismatch, certificate is not valid for 'x'.", CertificateNameMismatchError),
    (18, "self-signed certificate", UntrustedCertificateError),
    (20, "unable to get local issuer certificate", UntrustedCertificateError),
    (23, "certificate revoked", CertificateError),
])
def test_certificate_failures_map_to_plain_messages(code: int, message: str, cls: type):
    error = map_network_error(_verify_error(code, message), "konferenz.example.de")
    assert type(error) is cls
    assert error.details["reason"] == message
    assert "konferenz.example.de" in error.user_message("de")
    assert "konferenz.example.de" in error.user_message("en")


def test_other_errors_map_by_kind():
    assert isinstance(map_network_error(ConnectionRefusedError(111, "refused"), "h"),
                      ServerUnreachableError)
    assert isinstance(map_network_error(TimeoutError(), "h"), ServerTimeoutError)
    assert isinstance(map_network_error(ssl.SSLError(1, "wrong version number"), "h"),
                      TlsHandshakeError)
    assert isinstance(map_network_error(asyncio.IncompleteReadError(b"", 5), "h"),
                      ServerResponseError)


def test_ascii_host():
    assert ascii_host("Bücher.Example.") == "xn--bcher-kva.example"
    assert ascii_host("[::1]") == "::1"
    with pytest.raises(ServerUnreachableError):
        ascii_host("a..b\u00e4" + "x" * 70)


# --- WebSocket -------------------------------------------------------------------------------

def test_websocket_refuses_ws_to_a_real_server():
    with pytest.raises(InsecureConnectionError):
        asyncio.run(open_websocket("ws://konferenz.example.de/xmpp-websocket"))


def test_websocket_to_a_closed_port_is_unreachable():
    with pytest.raises(ServerUnreachableError):
        asyncio.run(open_websocket(f"ws://127.0.0.1:{free_tcp_port()}/xmpp-websocket",
                                   timeout_s=5))


def test_websocket_refused_with_an_http_status():
    answer = b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"
    with pytest.raises(ServerHttpError) as info:
        with_server(answer, lambda base: open_websocket(
            base.replace("http:", "ws:") + "/xmpp-websocket", timeout_s=5))
    assert info.value.details["status"] == 404
