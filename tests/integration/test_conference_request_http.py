"""The HTTP form of the conference request (conferenceRequestUrl) over real TLS."""

from __future__ import annotations

import asyncio
import json
import ssl

import pytest

from client.errors import CertificateError
from client.jitsi.focus import ConferenceRequest, post_conference_request
from client.jitsi.stanza import Jid
from client.net import TrustSettings
from tests.rig.tls import TestCA


async def _serve_once(ca: TestCA, answer: dict) -> tuple[asyncio.AbstractServer, int, list]:
    cert = ca.issue("jicofo-http", ["localhost", "127.0.0.1"])
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert.cert_file, cert.key_file)
    seen: list = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
        length = int(next(line.split(":", 1)[1] for line in head.split("\r\n")
                          if line.lower().startswith("content-length")))
        seen.append((head, json.loads(await reader.readexactly(length))))
        body = json.dumps(answer).encode()
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                     b"Content-Length: " + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n"
                     + body)
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0, ssl=context)
    return server, server.sockets[0].getsockname()[1], seen


def test_the_request_is_posted_as_json_with_the_token_and_the_answer_read(tmp_path):
    ca = TestCA(tmp_path / "ca")
    request = ConferenceRequest(room=Jid.parse("oma@conference.meet.localhost"), machine_uid="abc")

    async def scenario():
        server, port, seen = await _serve_once(ca, {"ready": True, "focusJid": "focus@auth.x"})
        async with server:
            status, text = await post_conference_request(
                f"https://localhost:{port}/conference-request/v1", request, token="tkn",
                trust=TrustSettings(extra_ca_file=ca.ca_file), timeout_s=10)
        return status, text, seen

    status, text, seen = asyncio.run(scenario())
    assert status == 200 and json.loads(text)["ready"] is True
    [(head, body)] = seen
    assert head.startswith("POST /conference-request/v1 HTTP/1.1\r\n")
    assert "Authorization: Bearer tkn\r\n" in head
    assert body == request.to_json()


def test_an_untrusted_certificate_is_refused_naming_the_host(tmp_path):
    ca = TestCA(tmp_path / "ca")
    request = ConferenceRequest(room=Jid.parse("oma@conference.meet.localhost"), machine_uid="abc")

    async def scenario():
        server, port, _ = await _serve_once(ca, {"ready": True})
        async with server:
            await post_conference_request(f"https://localhost:{port}/conference-request/v1",
                                          request, token=None, trust=TrustSettings(), timeout_s=10)

    with pytest.raises(CertificateError) as info:
        asyncio.run(scenario())
    assert "localhost" in info.value.user_message("en")
