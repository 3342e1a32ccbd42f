"""Chat in a Jitsi room: what we send, what we report, what we ignore."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from client.errors import RemoteProtocolError
from client.jitsi.chat import (group_message, parse_chat_message, parse_json_message, parse_stamp,
                               private_message)
from client.jitsi.events import ChatFailed, ChatReceived
from client.jitsi.ns import NS_MUC_USER
from client.jitsi.stanza import Jid, parse_xml, serialize_stanza

ROOM = Jid.parse("raum@conference.meet.localhost")


def parse(xml, own="me"):
    return parse_chat_message(parse_xml(xml), room=ROOM, own_nick=own,
                              display_name_of={"ann": "Ann", "me": "Ich"}.get)


def test_group_message_goes_to_the_bare_room():
    wire = parse_xml(serialize_stanza(group_message(ROOM.with_resource("x"), "Hallo <alle> & du")))
    assert wire.get("to") == str(ROOM) and wire.get("type") == "groupchat" and wire.get("id")
    assert wire.findtext("{jabber:client}body") == "Hallo <alle> & du"


def test_private_message_goes_to_the_occupant_with_the_muc_marker():
    wire = parse_xml(serialize_stanza(private_message(ROOM, "ann", "psst")))
    assert wire.get("to") == f"{ROOM}/ann" and wire.get("type") == "chat"
    assert wire.find(f"{{{NS_MUC_USER}}}x") is not None


def test_incoming_group_and_private_messages_carry_name_and_flags():
    assert parse(f"<message xmlns='jabber:client' type='groupchat' from='{ROOM}/ann' id='7'>"
                 "<body>Guten Tag</body></message>") == ChatReceived(
        "ann", "Ann", "Guten Tag", private=False, message_id="7")
    assert parse(f"<message xmlns='jabber:client' type='chat' from='{ROOM}/ann'><body>pst</body></message>") \
        == ChatReceived("ann", "Ann", "pst", private=True)
    assert parse(f"<message xmlns='jabber:client' type='groupchat' from='{ROOM}/me'><body>x</body></message>") \
        .is_self


def test_history_is_marked_delayed_with_its_time():
    event = parse(f"<message xmlns='jabber:client' type='groupchat' from='{ROOM}/ann'><body>alt</body>"
                  "<delay xmlns='urn:xmpp:delay' stamp='2024-03-01T10:00:00Z'/></message>")
    assert event.delayed and event.timestamp == 1709287200.0
    legacy = parse(f"<message xmlns='jabber:client' type='groupchat' from='{ROOM}/ann'><body>alt</body>"
                   "<x xmlns='jabber:x:delay' stamp='20240301T10:00:00'/></message>")
    assert legacy.delayed and legacy.timestamp == 1709287200.0


def test_stamps_with_offsets_and_garbage():
    assert parse_stamp("2024-03-01T12:00:00+02:00") == 1709287200.0
    assert parse_stamp("2024-03-01T10:00:00.123Z") == 1709287200.0
    for junk in (None, "", "yesterday", "2024-13-01T00:00:00Z", "9999999-01-01T00:00:00Z"):
        assert parse_stamp(junk) is None


def test_json_messages_and_bodiless_extensions_are_ignored():
    assert parse(f"<message xmlns='jabber:client' type='groupchat' from='{ROOM}/ann'>"
                 "<json-message xmlns='http://jitsi.org/jitmeet'>{\"type\":\"lobby-notify\"}</json-message>"
                 "</message>") is None
    assert parse(f"<message xmlns='jabber:client' type='groupchat' from='{ROOM}/ann'>"
                 "<reactions xmlns='urn:xmpp:reactions:0' id='1'><reaction>x</reaction></reactions>"
                 "</message>") is None
    json_msg = parse_xml("<message xmlns='jabber:client'><json-message xmlns='http://jitsi.org/jitmeet'>"
                         "{\"type\":\"x\",\"v\":1}</json-message></message>")
    assert parse_json_message(json_msg) == {"type": "x", "v": 1}
    for bad in ("[1]", "{\"no\":1}", "{", ""):
        msg = parse_xml("<message xmlns='jabber:client'><json-message xmlns='http://jitsi.org/jitmeet'>"
                        f"{bad}</json-message></message>")
        assert parse_json_message(msg) is None


def test_error_messages_become_chat_failed():
    event = parse(f"<message xmlns='jabber:client' type='error' from='{ROOM}'><body>mine</body>"
                  "<error type='cancel'><not-acceptable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
                  "<text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>Too fast</text></error></message>")
    assert event == ChatFailed(text="mine", reason="Too fast")


def test_other_senders_and_types_are_not_chat():
    assert parse(f"<message xmlns='jabber:client' type='groupchat' from='other@x/ann'><body>x</body></message>") is None
    assert parse(f"<message xmlns='jabber:client' type='headline' from='{ROOM}/ann'><body>x</body></message>") is None
    assert parse(f"<message xmlns='jabber:client' type='chat' from='{ROOM}'><body>x</body></message>") is None
    assert parse("<message xmlns='jabber:client' type='chat'><body>x</body></message>") is None


_PIECES = st.sampled_from([
    "<body>{t}</body>", "<body/>", "<delay xmlns='urn:xmpp:delay' stamp='{t}'/>",
    "<x xmlns='jabber:x:delay' stamp='{t}'/>", "<subject>{t}</subject>",
    "<json-message xmlns='http://jitsi.org/jitmeet'>{t}</json-message>",
    "<error><text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>{t}</text></error>",
    "<error type='x'><{n} xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>",
    "<display-name xmlns='http://jitsi.org/protocol/display-name' source='visitor'>{t}</display-name>",
])
_text = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=20).map(
    lambda s: s.replace("&", "").replace("<", "").replace("'", ""))


@settings(max_examples=400, deadline=None)
@given(pieces=st.lists(st.tuples(_PIECES, _text, st.from_regex(r"[a-z][a-z-]{0,8}", fullmatch=True)),
                       max_size=6),
       kind=st.sampled_from(["groupchat", "chat", "error", "normal", "", "headline"]),
       sender=st.sampled_from([f"{ROOM}/ann", str(ROOM), "x@y/z", "", "@@"]))
def test_fuzz_chat_messages(pieces, kind, sender):
    body = "".join(p.replace("{t}", t).replace("{n}", n) for p, t, n in pieces)
    try:
        element = parse_xml(f"<message xmlns='jabber:client' type='{kind}' from='{sender}'>{body}</message>")
    except RemoteProtocolError:
        return
    event = parse_chat_message(element, room=ROOM, own_nick="me")
    assert event is None or isinstance(event, (ChatReceived, ChatFailed))
    parse_json_message(element)
