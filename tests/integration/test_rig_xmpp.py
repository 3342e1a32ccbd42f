"""The rig's Prosody and focus stand-in, exercised over wss with a minimal probe client."""

from __future__ import annotations

import asyncio
import ssl

import pytest

from client.jitsi.ns import NS_CLIENT, NS_EXTDISCO_2, NS_JITSI_FOCUS, NS_MUC_USER, NS_STANZAS
from client.jitsi.stanza import Element, el, sub
from client.net import TrustSettings
from tests.rig.focus import wait_for
from tests.rig.xmpp_probe import (XmppProbe, conference_iq, connect_probe, from_occupant,
                                  muc_join)

pytestmark = pytest.mark.rig

def join_presence(rig, room: str, nick: str) -> Element:  # noqa: ANN001
    return muc_join(rig.room_jid(room), nick)


def item_of(presence: Element) -> Element:
    item = presence.find(f"{{{NS_MUC_USER}}}x/{{{NS_MUC_USER}}}item")
    assert item is not None
    return item


def error_condition(iq: Element) -> str:
    error = iq.find(f"{{{NS_CLIENT}}}error")
    assert error is not None, "expected an error"
    return next(c.tag.split("}")[1] for c in error if c.tag.startswith(f"{{{NS_STANZAS}}}")
                and not c.tag.endswith("}text"))


def connect(rig, **kw):  # noqa: ANN001, ANN201
    return connect_probe(rig, **kw)


def test_prosody_serves_wss_with_a_certificate_from_the_rig_ca(rig) -> None:  # noqa: ANN001
    async def scenario() -> None:
        probe = await connect(rig)
        assert probe.jid is not None and probe.jid.domain == rig.xmpp_domain
        await probe.close()

    asyncio.run(scenario())


def test_wss_without_the_rig_ca_fails_certificate_verification(rig) -> None:  # noqa: ANN001
    async def scenario() -> None:
        ctx = TrustSettings().ssl_context()        # system store only
        await XmppProbe.connect(rig.websocket_url, rig.xmpp_domain, ssl_context=ctx)

    with pytest.raises(ssl.SSLCertVerificationError):
        asyncio.run(scenario())


def test_focus_joins_the_room_as_owner_before_it_answers_ready(rig, room) -> None:  # noqa: ANN001
    async def scenario() -> None:
        probe = await connect(rig)
        result = await probe.iq(conference_iq(rig, room))
        conf = result.find(f"{{{NS_JITSI_FOCUS}}}conference")
        assert result.get("type") == "result" and conf is not None
        assert conf.get("ready") == "true"
        assert conf.get("focusjid") == rig.focus_jid
        assert conf.get("room") == rig.room_jid(room)
        props = {p.get("name"): p.get("value") for p in conf}
        assert props["authentication"] == "false"
        # The focus is in the room already: our join is the second and we see it first.
        start = len(probe.received)
        probe.send(join_presence(rig, room, "abcd1234"))
        focus = await probe.wait_for(from_occupant(rig.room_jid(room), "focus"), start=start)
        assert item_of(focus).get("jid", "").startswith(rig.focus_jid + "/")
        assert item_of(focus).get("affiliation") == "owner"
        # Auto-owner: the first participant is made owner (a second self-presence).
        mine = await probe.wait_for(lambda s: from_occupant(rig.room_jid(room), "abcd1234")(s)
                                    and item_of(s).get("role") == "moderator", start=start)
        assert item_of(mine).get("affiliation") == "owner"
        await probe.close()
        # The last participant left, so the focus leaves and the room goes away.
        assert wait_for(lambda: not rig.focus.has_room(room), 5)

    asyncio.run(scenario())


def test_joining_without_a_conference_request_is_refused_as_in_jitsi(rig, room) -> None:  # noqa: ANN001
    async def scenario() -> None:
        probe = await connect(rig)
        start = len(probe.received)
        probe.send(join_presence(rig, room, "abcd1234"))
        answer = await probe.wait_for(from_occupant(rig.room_jid(room), "abcd1234"), start=start)
        assert answer.get("type") == "error"
        assert error_condition(answer) == "not-allowed"
        await probe.close()

    asyncio.run(scenario())


def test_secure_domain_guest_waits_until_a_host_opens_the_room(rig, room) -> None:  # noqa: ANN001
    rig.focus.require_host_for(room)
    rig.register_host("hostuser", "hostpass")

    async def scenario() -> None:
        guest = await connect(rig)
        refused = await guest.iq(conference_iq(rig, room))
        assert refused.get("type") == "error"
        assert error_condition(refused) == "not-authorized"
        assert refused.findtext(f"{{{NS_CLIENT}}}error/{{{NS_STANZAS}}}text") == \
            "not authorized user domain"

        # The host logs in on the auth domain with the same machine-uid: a session.
        host = await connect(rig, domain=rig.auth_domain, user="hostuser", password="hostpass")
        granted = await host.iq(conference_iq(rig, room))
        conf = granted.find(f"{{{NS_JITSI_FOCUS}}}conference")
        assert conf is not None and conf.get("ready") == "true"
        assert conf.get("identity") == f"hostuser@{rig.auth_domain}"
        session_id = conf.get("session-id")
        assert session_id
        props = {p.get("name"): p.get("value") for p in conf}
        assert props == {"authentication": "true", "externalAuth": "false"}
        await host.close()

        # A stolen session id from another machine is refused; a made-up one is invalid.
        stolen = await guest.iq(conference_iq(rig, room, session_id=session_id,
                                              machine_uid="f" * 32))
        assert error_condition(stolen) == "not-acceptable"
        bogus = await guest.iq(conference_iq(rig, room, session_id="no-such-session"))
        assert error_condition(bogus) == "not-acceptable"
        assert bogus.find(f"{{{NS_CLIENT}}}error/{{{NS_JITSI_FOCUS}}}session-invalid") is not None

        # The guest connection presenting the session becomes the host, and moderator.
        upgraded = await guest.iq(conference_iq(rig, room, session_id=session_id))
        assert upgraded.find(f"{{{NS_JITSI_FOCUS}}}conference").get("ready") == "true"
        start = len(guest.received)
        guest.send(join_presence(rig, room, "aaaa0001"))
        await guest.wait_for(lambda s: from_occupant(rig.room_jid(room), "aaaa0001")(s)
                             and item_of(s).get("role") == "moderator", start=start)

        # Now that the room exists, any guest gets in, as a plain participant.
        other = await connect(rig)
        ok = await other.iq(conference_iq(rig, room, machine_uid="e" * 32))
        assert ok.find(f"{{{NS_JITSI_FOCUS}}}conference").get("ready") == "true"
        start = len(other.received)
        other.send(join_presence(rig, room, "bbbb0002"))
        me = await other.wait_for(from_occupant(rig.room_jid(room), "bbbb0002"), start=start)
        assert item_of(me).get("role") == "participant"
        await other.close()
        await guest.close()

    asyncio.run(scenario())


def test_extdisco_hands_out_turn_credentials_coturn_accepts(rig) -> None:  # noqa: ANN001
    import aioice

    async def scenario() -> None:
        probe = await connect(rig)
        iq = el(f"{{{NS_CLIENT}}}iq", {"type": "get", "to": rig.xmpp_domain})
        sub(iq, f"{{{NS_EXTDISCO_2}}}services")
        result = await probe.iq(iq)
        await probe.close()
        services = list(result.iter(f"{{{NS_EXTDISCO_2}}}service"))
        turn = [s for s in services if s.get("type") == "turn" and s.get("transport") == "udp"]
        assert turn, "no TURN/UDP service advertised"
        service = turn[0]
        assert service.get("host") == "127.0.0.1"
        assert int(service.get("port")) == rig.coturn.port

        relayed = await relay_candidates(service.get("username"), service.get("password"))
        assert relayed, "coturn refused the credentials Prosody handed out"
        assert relayed[0].host == "127.0.0.1"
        # The check is real: a wrong password gets no relay.
        assert await relay_candidates(service.get("username"), "wrong") == []

    async def relay_candidates(username: str | None, password: str | None) -> list:
        connection = aioice.Connection(
            ice_controlling=True, components=1, use_ipv4=True, use_ipv6=False,
            turn_server=("127.0.0.1", rig.coturn.port),
            turn_username=username, turn_password=password, turn_transport="udp")
        try:
            await asyncio.wait_for(connection.gather_candidates(), 10)
            return [c for c in connection.local_candidates if c.type == "relay"]
        except Exception:  # noqa: BLE001 - aioice raises on a refused allocation
            return []
        finally:
            await connection.close()

    asyncio.run(scenario())
