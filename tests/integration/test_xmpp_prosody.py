"""XmppClient against the rig's real Prosody over wss, trusting only the rig CA."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import logging
import secrets
import time

import pytest

from client.errors import CertificateError, ServerUnreachableError
from client.jitsi.disco import FEATURE_RTP_AUDIO, Capabilities
from client.jitsi.ns import NS_DISCO_INFO, NS_PING
from client.jitsi.sasl import AnonymousLoginRefusedError, AuthenticationError, Credentials
from client.jitsi.stanza import Element, el
from client.jitsi.transport import InsecureConnectionError, IqError, XmppClient
from client.jitsi.xmpp import StreamError
from client.net import TrustSettings
from tests.rig.process import free_tcp_port

pytestmark = pytest.mark.rig


def ws_url(rig, room: str = "xmpptest") -> str:  # noqa: ANN001
    return f"{rig.websocket_url}?room={room}"


async def connect(rig, domain: str | None = None, **kwargs) -> XmppClient:  # noqa: ANN001
    return await XmppClient.connect(ws_url(rig), domain or rig.xmpp_domain,
                                    trust=TrustSettings(extra_ca_file=rig.ca_file), **kwargs)


def ping_to(jid: str) -> Element:
    return el("iq", {"type": "get", "to": jid}, el(f"{{{NS_PING}}}ping"))


def test_anonymous_login_binds_a_full_jid_and_closes_cleanly(rig, record_property) -> None:  # noqa: ANN001
    async def scenario() -> None:
        began = time.perf_counter()
        client = await connect(rig)
        record_property("connect_auth_bind_ms", round((time.perf_counter() - began) * 1000, 1))
        assert client.jid.domain == rig.xmpp_domain
        assert client.jid.local and client.jid.resource
        assert client.is_connected
        await client.close()
        assert client.closed.done() and client.closed.result() is None
        assert not client.is_connected
        await client.close()  # idempotent

    asyncio.run(scenario())


def test_a_registered_host_logs_in_with_scram(rig, caplog) -> None:  # noqa: ANN001
    user, password = f"host{secrets.token_hex(3)}", "Passwört mit Leerzeichen"
    rig.register_host(user, password)

    async def scenario() -> None:
        client = await connect(rig, rig.auth_domain, credentials=Credentials(user, password))
        assert (client.jid.local, client.jid.domain) == (user, rig.auth_domain)
        await client.close()

    with caplog.at_level(logging.INFO, logger="treffpunkt.xmpp"):
        asyncio.run(scenario())
    assert "SASL SCRAM-SHA-1 with auth.meet.localhost" in caplog.text


def test_a_wrong_password_is_an_authentication_error(rig) -> None:  # noqa: ANN001
    user = f"host{secrets.token_hex(3)}"
    rig.register_host(user, "richtig")

    async def scenario() -> None:
        await connect(rig, rig.auth_domain, credentials=Credentials(user, "falsch"))

    with pytest.raises(AuthenticationError) as info:
        asyncio.run(scenario())
    assert info.value.condition == "not-authorized"


def test_a_guest_on_the_password_only_domain_is_told_to_log_in(rig) -> None:  # noqa: ANN001
    with pytest.raises(AnonymousLoginRefusedError):
        asyncio.run(connect(rig, rig.auth_domain))


def test_a_domain_the_server_does_not_serve_is_a_stream_error(rig) -> None:  # noqa: ANN001
    with pytest.raises(StreamError) as info:
        asyncio.run(connect(rig, "meet.jitsi"))
    assert info.value.condition == "host-unknown"
    assert info.value.details["host"] == "localhost"  # people know the server by its web name


def test_external_services_give_the_rigs_turn_with_working_rest_credentials(rig) -> None:  # noqa: ANN001
    async def scenario() -> None:
        client = await connect(rig)
        servers = await client.external_services()
        await client.close()
        return servers

    servers = asyncio.run(scenario())
    port = rig.coturn.port
    assert [s.urls for s in servers] == [[f"stun:127.0.0.1:{port}"], [f"turn:127.0.0.1:{port}"],
                                         [f"turn:127.0.0.1:{port}?transport=tcp"]]
    for turn in servers[1:]:
        expected = base64.b64encode(hmac.new(rig.turn_secret.encode(), turn.username.encode(),
                                             hashlib.sha1).digest()).decode()
        assert turn.credential == expected
        assert int(turn.username.split(":")[0]) > time.time()  # REST username = expiry
        assert turn.expires is not None


def test_iq_ping_round_trip_to_the_server_and_to_ourselves(rig) -> None:  # noqa: ANN001
    async def scenario() -> None:
        client = await connect(rig)
        to_server = await client.iq(ping_to(rig.xmpp_domain))
        assert to_server.get("type") == "result"
        # Routed through Prosody back to us: our stream answers it by itself.
        to_self = await client.iq(ping_to(str(client.jid)))
        assert to_self.get("type") == "result" and to_self.get("from") == str(client.jid)
        info = await client.disco_info()
        assert info.has_feature(NS_PING)
        await client.close()

    asyncio.run(scenario())


def test_other_clients_see_our_handlers_disco_answer_and_service_unavailable(rig) -> None:  # noqa: ANN001
    async def scenario() -> None:
        caps = Capabilities.with_media(audio=True, video=False)
        alice = await connect(rig, capabilities=caps)
        bob = await connect(rig)
        got: asyncio.Queue[Element] = asyncio.Queue()

        def on_message(stanza: Element) -> bool:
            if stanza.tag.endswith("}message"):
                got.put_nowait(stanza)
                return True
            return False

        remove = alice.add_handler(on_message)
        bob.send(el("message", {"to": str(alice.jid), "type": "chat"}, el("body", text="Grüß Gott")))
        message = await asyncio.wait_for(got.get(), 5)
        assert message.findtext("{jabber:client}body") == "Grüß Gott"
        assert message.get("from") == str(bob.jid)

        # disco#info to alice is answered from her Capabilities, with the matching caps hash.
        reply = await bob.iq(el("iq", {"type": "get", "to": str(alice.jid)},
                                el(f"{{{NS_DISCO_INFO}}}query")))
        features = {f.get("var") for f in reply.iter(f"{{{NS_DISCO_INFO}}}feature")}
        assert features == set(caps.features) and FEATURE_RTP_AUDIO in features
        # An IQ nobody claims gets service-unavailable, as XMPP requires.
        with pytest.raises(IqError) as info:
            await bob.iq(el("iq", {"type": "set", "to": str(alice.jid)}, el("{urn:x:unknown}q")))
        assert info.value.condition == "service-unavailable"
        remove()
        await alice.close()
        await bob.close()

    asyncio.run(scenario())


def test_tls_without_the_rig_ca_is_refused_naming_the_host(rig) -> None:  # noqa: ANN001
    async def scenario() -> None:
        await XmppClient.connect(ws_url(rig), rig.xmpp_domain, trust=TrustSettings())

    with pytest.raises(CertificateError) as info:
        asyncio.run(scenario())
    assert info.value.details["host"] == "localhost"
    assert "localhost" in info.value.user_message("de")


def test_a_port_where_nothing_listens_is_unreachable() -> None:
    url = f"wss://127.0.0.1:{free_tcp_port()}/xmpp-websocket?room=x"
    with pytest.raises(ServerUnreachableError) as info:
        asyncio.run(XmppClient.connect(url, "meet.localhost", trust=TrustSettings(), timeout_s=3))
    assert info.value.details["host"] == "127.0.0.1"


def test_unencrypted_websockets_are_refused_for_remote_hosts() -> None:
    with pytest.raises(InsecureConnectionError):
        asyncio.run(XmppClient.connect("ws://konferenz.bretten.de/xmpp-websocket", "meet.jitsi",
                                       trust=TrustSettings()))
