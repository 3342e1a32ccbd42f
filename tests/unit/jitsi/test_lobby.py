"""The lobby, sans-I/O: knocking and waiting, and the moderator's seat."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from client.errors import BannedError, RemoteProtocolError
from client.jitsi.events import KnockerAdded, KnockerRemoved, LobbyAdmitted, LobbyRejected, LobbyWaiting
from client.jitsi.lobby import (EnterMainRoom, KnockState, LobbyClosed, LobbyFailed, LobbyKnock,
                                LobbyWatch, admit_message)
from client.jitsi.ns import NS_MUC, NS_MUC_ADMIN, NS_MUC_USER, NS_NICK
from client.jitsi.presence import LocalPresence
from client.jitsi.stanza import Jid, parse_xml

MAIN = Jid.parse("raum@conference.meet.localhost")
LOBBY = Jid.parse("raum@lobby.meet.localhost")


def self_presence(nick="ab12cd34", *, kind=None, inner=""):
    type_attr = f" type='{kind}'" if kind else ""
    return parse_xml(
        f"<presence xmlns='jabber:client' from='{LOBBY}/{nick}'{type_attr}>"
        "<x xmlns='http://jabber.org/protocol/muc#user'>"
        f"<item jid='me@meet.localhost/r' affiliation='none' role='participant'/>{inner}"
        "<status code='110'/></x></presence>")


def knocking(email=None):
    knock = LobbyKnock(LOBBY, MAIN, "ab12cd34", LocalPresence(display_name="Gast", email=email),
                       room_name="raum")
    knock.knock()
    return knock


def test_knock_joins_the_lobby_room_with_the_name_and_sends_the_email_afterwards():
    knock = knocking(email="gast@example.org")
    [join] = knock.take_outgoing()
    assert join.get("to") == f"{LOBBY}/ab12cd34"
    assert join.find(f"{{{NS_MUC}}}x") is not None
    assert join.findtext(f"{{{NS_NICK}}}nick") == "Gast"
    assert join.find("email") is None
    assert knock.receive(self_presence())
    assert knock.take_events() == [LobbyWaiting("raum", str(LOBBY), False)]
    [update] = knock.take_outgoing()
    assert update.findtext("email") == "gast@example.org" and update.find(f"{{{NS_MUC}}}x") is None
    assert knock.state is KnockState.WAITING


def test_invite_from_the_main_room_admits_with_its_password(protocol_examples):
    knock = knocking()
    knock.take_outgoing()
    knock.receive(self_presence())
    knock.take_events()
    invite = parse_xml((protocol_examples / "muc-mediated-invite-lobby-approval.xml").read_text())[1]
    invite.set("from", str(MAIN))
    assert knock.receive(invite)
    assert knock.take_events() == [LobbyAdmitted("raum"), EnterMainRoom("cauldronburn")]
    assert knock.state is KnockState.ADMITTED


def test_invites_from_elsewhere_are_not_ours():
    knock = knocking()
    message = parse_xml("<message xmlns='jabber:client' from='other@conference.meet.localhost'>"
                        "<x xmlns='http://jabber.org/protocol/muc#user'><invite/></x></message>")
    assert not knock.receive(message)


def test_kick_from_the_lobby_is_a_rejection():
    knock = knocking()
    knock.receive(self_presence())
    knock.take_events()
    knock.receive(self_presence(kind="unavailable", inner="<status code='307'/>"))
    assert knock.take_events() == [LobbyRejected("raum")]
    assert knock.state is KnockState.REJECTED


def test_lobby_destroyed_towards_the_main_room_means_go_in():
    knock = knocking()
    knock.receive(self_presence())
    knock.take_events()
    knock.receive(self_presence(kind="unavailable",
                                inner=f"<destroy jid='{MAIN}'><reason>Lobby room closed.</reason></destroy>"))
    assert knock.take_events() == [EnterMainRoom(None)]


def test_lobby_destroyed_without_a_target_means_the_meeting_is_over():
    knock = knocking()
    knock.receive(self_presence())
    knock.take_events()
    knock.receive(self_presence(kind="unavailable", inner="<destroy><reason>The meeting has been terminated</reason></destroy>"))
    assert knock.take_events() == [LobbyClosed("The meeting has been terminated")]


def test_lobby_room_already_gone_sends_us_back_to_the_main_room():
    knock = knocking()
    knock.receive(parse_xml(
        f"<presence xmlns='jabber:client' from='{LOBBY}/ab12cd34' type='error'><error type='cancel'>"
        "<not-allowed xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
        "<text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>Room creation is restricted</text>"
        "</error></presence>"))
    assert knock.take_events() == [EnterMainRoom(None)]


def test_other_lobby_errors_fail_the_knock(protocol_examples):
    knock = knocking()
    banned = parse_xml((protocol_examples / "muc-banned-error.xml").read_text())
    banned.set("from", str(LOBBY))
    knock.receive(banned)
    [failed] = knock.take_events()
    assert isinstance(failed, LobbyFailed) and isinstance(failed.error, BannedError)


def knocker_presence(nick, *, kind=None, name="Klopfer", jid=None):
    type_attr = f" type='{kind}'" if kind else ""
    return parse_xml(
        f"<presence xmlns='jabber:client' from='{LOBBY}/{nick}'{type_attr}>"
        f"<nick xmlns='http://jabber.org/protocol/nick'>{name}</nick>"
        "<x xmlns='http://jabber.org/protocol/muc#user'>"
        f"<item jid='{jid or nick + '@meet.localhost/w'}' affiliation='none' role='participant'/></x>"
        "</presence>")


def watching(in_main_room=lambda jid: False):
    watch = LobbyWatch(LOBBY, "mod00001", LocalPresence(display_name="Mod"), in_main_room=in_main_room)
    watch.join()
    watch.take_outgoing()
    watch.receive(parse_xml(
        f"<presence xmlns='jabber:client' from='{LOBBY}/mod00001'><x xmlns='http://jabber.org/protocol/muc#user'>"
        "<item jid='mod@meet.localhost/r' affiliation='owner' role='moderator'/><status code='110'/></x></presence>"))
    return watch


def test_moderator_sees_knockers_come_and_go():
    watch = watching()
    watch.receive(knocker_presence("k1"))
    assert watch.take_events() == [KnockerAdded("k1", "Klopfer")]
    assert watch.real_jid_of("k1") == Jid.parse("k1@meet.localhost/w")
    watch.receive(knocker_presence("k1", kind="unavailable"))
    assert watch.take_events() == [KnockerRemoved("k1")]
    assert watch.real_jid_of("k1") is None


def test_people_already_inside_are_not_knockers():
    inside = Jid.parse("mod2@meet.localhost/x")
    watch = watching(in_main_room=lambda jid: jid == inside)
    watch.receive(knocker_presence("mod2", jid=str(inside)))
    assert watch.take_events() == []


def test_reject_is_a_kick_from_the_lobby_and_admit_an_invite_to_the_main_room():
    watch = watching()
    watch.receive(knocker_presence("k1"))
    kick = watch.reject_request("k1")
    assert kick.get("to") == str(LOBBY)
    assert kick.find(f"{{{NS_MUC_ADMIN}}}query/{{{NS_MUC_ADMIN}}}item").attrib == {"nick": "k1", "role": "none"}
    message = admit_message(MAIN, [Jid.parse("k1@meet.localhost/w")])
    assert message.get("to") == str(MAIN)
    assert [i.get("to") for i in message.iter(f"{{{NS_MUC_USER}}}invite")] == ["k1@meet.localhost/w"]


def test_lobby_switched_off_clears_the_knockers():
    watch = watching()
    watch.receive(knocker_presence("k1"))
    watch.take_events()
    watch.receive(parse_xml(
        f"<presence xmlns='jabber:client' from='{LOBBY}/mod00001' type='unavailable'>"
        f"<x xmlns='http://jabber.org/protocol/muc#user'><item affiliation='none' role='none'/>"
        f"<destroy jid='{MAIN}'/><status code='110'/></x></presence>"))
    assert watch.take_events() == [KnockerRemoved("k1")]
    assert watch.closed


_FROM = st.sampled_from([f"{LOBBY}/ab12cd34", f"{LOBBY}/k1", str(LOBBY), str(MAIN), f"{MAIN}/x", "z@y"])
_KIND = st.sampled_from(["", " type='unavailable'", " type='error'"])
_BODY = st.sampled_from([
    "", "<x xmlns='http://jabber.org/protocol/muc#user'><item jid='{t}' role='moderator'/>"
    "<status code='110'/></x>",
    "<x xmlns='http://jabber.org/protocol/muc#user'><status code='307'/><status code='110'/></x>",
    "<x xmlns='http://jabber.org/protocol/muc#user'><destroy jid='{t}'/></x>",
    "<x xmlns='http://jabber.org/protocol/muc#user'><invite from='{t}'/><password>{t}</password></x>",
    "<nick xmlns='http://jabber.org/protocol/nick'>{t}</nick>",
    "<error><not-allowed xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
    "<text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>{t}</text></error>",
])
_T = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=10).map(
    lambda s: s.replace("&", "").replace("<", "").replace("'", ""))


@settings(max_examples=300, deadline=5000)
@given(script=st.lists(st.tuples(st.sampled_from(["presence", "message"]), _FROM, _KIND, _BODY, _T),
                       max_size=10))
def test_fuzz_knock_and_watch(script):
    knock = knocking(email="x@y")
    watch = watching()
    for name, sender, kind, body, text in script:
        try:
            stanza = parse_xml(f"<{name} xmlns='jabber:client' from='{sender}'{kind}>"
                               f"{body.replace('{t}', text)}</{name}>")
        except RemoteProtocolError:
            continue
        for side in (knock, watch):
            side.receive(stanza)
            side.take_events()
            side.take_outgoing()
    assert isinstance(knock.state, KnockState)
