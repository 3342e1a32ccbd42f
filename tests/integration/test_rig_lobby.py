"""The rig's lobby (mod_rig_lobby) with lib-jitsi-meet on both sides, and its wire shape."""

from __future__ import annotations

import asyncio

import pytest

from client.jitsi.ns import NS_CLIENT, NS_MUC_OWNER, NS_MUC_USER, NS_STANZAS
from client.jitsi.stanza import Element, el, sub
from tests.rig.xmpp_probe import conference_iq, connect_probe, from_occupant, muc_join

NS_JITMEET = "http://jitsi.org/jitmeet"
NS_DATA = "jabber:x:data"


@pytest.mark.rig
@pytest.mark.browser
def test_moderator_admits_a_knocker_from_the_lobby(rig, room, browser) -> None:  # noqa: ANN001
    alice, bob = browser("alice"), browser("bob")
    alice.join(room, "Alice", audio=False, video=False)
    alice.wait_event("user_role_changed", lambda e: e["local"] and e["role"] == "moderator")
    alice.enable_lobby()
    alice.wait_event("members_only_changed", lambda e: e["enabled"] is True)

    bob.join(room, "Bob", audio=False, video=False, wait=False)
    failed = bob.wait_event("conference_failed")
    assert failed["reason"] == "members_only_error"
    bob.knock("Bob")
    knocker = alice.wait_event("lobby_user_joined")
    assert knocker["displayName"] == "Bob"

    alice.lobby_approve(knocker["id"])
    joined = bob.wait_event("conference_joined")
    alice.wait_event("user_joined", lambda e: e["id"] == joined["id"])
    alice.wait_event("lobby_user_left", lambda e: e["id"] == knocker["id"])


@pytest.mark.rig
@pytest.mark.browser
def test_moderator_rejects_a_knocker_who_is_told_so(rig, room, browser) -> None:  # noqa: ANN001
    alice, bob = browser("alice"), browser("bob")
    alice.join(room, "Alice", audio=False, video=False)
    alice.wait_event("user_role_changed", lambda e: e["local"] and e["role"] == "moderator")
    alice.enable_lobby()
    alice.wait_event("members_only_changed", lambda e: e["enabled"] is True)

    bob.join(room, "Bob", audio=False, video=False, wait=False)
    assert bob.wait_event("conference_failed")["reason"] == "members_only_error"
    bob.knock("Bob")
    knocker = alice.wait_event("lobby_user_joined")
    alice.lobby_deny(knocker["id"])
    denied = bob.wait_event("conference_failed", lambda e: e["reason"] != "members_only_error")
    assert denied["reason"] == "conference_access_denied"
    assert "conference_joined" not in bob.event_names()


def members_only_form(rig, room: str, enabled: bool) -> Element:  # noqa: ANN001
    iq = el(f"{{{NS_CLIENT}}}iq", {"type": "set", "to": rig.room_jid(room)})
    query = sub(iq, f"{{{NS_MUC_OWNER}}}query")
    form = sub(query, f"{{{NS_DATA}}}x", {"type": "submit"})
    for var, value in (("FORM_TYPE", "http://jabber.org/protocol/muc#roomconfig"),
                       ("muc#roomconfig_membersonly", "true" if enabled else "false")):
        field = sub(form, f"{{{NS_DATA}}}field", {"var": var})
        sub(field, f"{{{NS_DATA}}}value", text=value)
    return iq


def join_with_nick(rig, room: str, nick: str, name: str | None, *,  # noqa: ANN001
                   domain: str | None = None) -> Element:
    return muc_join(f"{room}@{domain or rig.muc_domain}", nick, name)


@pytest.mark.rig
def test_lobby_error_admission_and_closing_on_the_wire(rig, room) -> None:  # noqa: ANN001
    room_jid = rig.room_jid(room)
    lobby_jid = f"{room}@{rig.lobby_domain}"

    async def scenario() -> None:
        host = await connect_probe(rig)
        await host.iq(conference_iq(rig, room))
        start = len(host.received)
        host.send(join_with_nick(rig, room, "aaaa0001", "Host"))
        await host.wait_for(lambda s: from_occupant(room_jid, "aaaa0001")(s) and any(
            i.get("role") == "moderator" for i in s.iter(f"{{{NS_MUC_USER}}}item")), start=start)
        done = await host.iq(members_only_form(rig, room, True))
        assert done.get("type") == "result"

        guest = await connect_probe(rig)
        await guest.iq(conference_iq(rig, room, machine_uid="e" * 32))
        # Without a display name: displayname-required (406).
        start = len(guest.received)
        guest.send(join_with_nick(rig, room, "bbbb0002", None))
        nameless = await guest.wait_for(from_occupant(room_jid, "bbbb0002"), start=start)
        error = nameless.find(f"{{{NS_CLIENT}}}error")
        assert nameless.get("type") == "error" and error.get("code") == "406"
        assert error.find(f"{{{NS_STANZAS}}}not-acceptable") is not None
        assert error.find(f"{{{NS_JITMEET}}}displayname-required").get("lobby") == "true"

        # With a name: registration-required (407) naming the lobby room, twice.
        start = len(guest.received)
        guest.send(join_with_nick(rig, room, "bbbb0002", "Gast"))
        refused = await guest.wait_for(from_occupant(room_jid, "bbbb0002"), start=start)
        error = refused.find(f"{{{NS_CLIENT}}}error")
        assert error.get("type") == "auth" and error.get("code") == "407"
        assert error.find(f"{{{NS_STANZAS}}}registration-required") is not None
        assert error.findtext(f"{{{NS_JITMEET}}}lobbyroom") == lobby_jid
        assert refused.findtext(f"{{{NS_CLIENT}}}lobbyroom") == lobby_jid

        # The knocker waits in the lobby room; the host joins it too and sees the knocker,
        # the knocker does not see the host.
        start = len(guest.received)
        guest.send(join_with_nick(rig, room, "bbbb0002", "Gast", domain=rig.lobby_domain))
        await guest.wait_for(from_occupant(lobby_jid, "bbbb0002"), start=start)
        start = len(host.received)
        host.send(join_with_nick(rig, room, "aaaa0001", "Host", domain=rig.lobby_domain))
        seen = await host.wait_for(from_occupant(lobby_jid, "bbbb0002"), start=start)
        knocker_jid = seen.find(f"{{{NS_MUC_USER}}}x/{{{NS_MUC_USER}}}item").get("jid")
        assert knocker_jid == str(guest.jid)
        await host.wait_for(from_occupant(lobby_jid, "aaaa0001"), start=start)

        # Admission: a mediated invite through the main room makes the knocker a member.
        invite = el(f"{{{NS_CLIENT}}}message", {"to": room_jid})
        sub(sub(invite, f"{{{NS_MUC_USER}}}x"), f"{{{NS_MUC_USER}}}invite", {"to": knocker_jid})
        start = len(guest.received)
        host.send(invite)
        got = await guest.wait_for(lambda s: s.tag == f"{{{NS_CLIENT}}}message"
                                   and s.get("from") == room_jid, start=start)
        assert got.find(f"{{{NS_MUC_USER}}}x/{{{NS_MUC_USER}}}invite") is not None
        start = len(guest.received)
        guest.send(join_with_nick(rig, room, "bbbb0002", "Gast"))
        joined = await guest.wait_for(from_occupant(room_jid, "bbbb0002"), start=start)
        assert joined.get("type") is None
        assert not any(p.get("from") == f"{lobby_jid}/aaaa0001" for p in guest.received)

        # Switching the lobby off destroys the lobby room, pointing at the main room.
        other = await connect_probe(rig)
        start = len(other.received)
        other.send(join_with_nick(rig, room, "cccc0003", "Dritte", domain=rig.lobby_domain))
        await other.wait_for(from_occupant(lobby_jid, "cccc0003"), start=start)
        start = len(other.received)
        await host.iq(members_only_form(rig, room, False))
        gone = await other.wait_for(lambda s: s.get("from") == f"{lobby_jid}/cccc0003"
                                    and s.get("type") == "unavailable", start=start)
        destroy = gone.find(f"{{{NS_MUC_USER}}}x/{{{NS_MUC_USER}}}destroy")
        assert destroy is not None and destroy.get("jid") == room_jid
        for probe in (other, guest, host):
            await probe.close()

    asyncio.run(scenario())
