"""MucRoom on the wire: joins, occupants, errors, mute requests, leaving."""

from __future__ import annotations

import itertools
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from client.errors import (BannedError, PasswordRequiredError, RemoteProtocolError, RoomFullError,
                           WrongPasswordError)
from client.jitsi.events import (ChatReceived, DisplayNameRequired, Joined, MuteRequested,
                                 ParticipantJoined, ParticipantLeft, ParticipantUpdated,
                                 PasswordRequested, RoleChanged, SourceInfo)
from client.jitsi.muc import (FocusJoined, FocusLeft, InviteReceived, JoinRefusal, JoinRefused,
                              MucRoom, Refusal, RoomConfigChanged, RoomExited, RoomInfo, RoomState,
                              config_submit, endpoint_id_for, form_fields, kick_request,
                              lock_fields, members_only_fields, mute_request)
from client.jitsi.ns import NS_DATA, NS_MUC, NS_MUC_ADMIN, NS_MUC_OWNER, NS_NICK
from client.jitsi.presence import LocalPresence
from client.jitsi.stanza import Jid, parse_xml, serialize_stanza

ROOM = Jid.parse("darkcave@macbeth.shakespeare.lit")
FOCUS_REAL = "focus@auth.meet.localhost"


def load(examples, name):
    return parse_xml((examples / name).read_text(encoding="utf-8"))


def occupant(nick, *, jid=None, role="participant", affiliation="none", codes=(), kind=None,
             extra="", room=ROOM):
    jid = jid or f"{nick}-real@meet.localhost/res"
    status = "".join(f"<status code='{c}'/>" for c in codes)
    type_attr = f" type='{kind}'" if kind else ""
    return parse_xml(
        f"<presence xmlns='jabber:client' from='{room}/{nick}' to='me@meet.localhost/x'{type_attr}>"
        f"{extra}<x xmlns='http://jabber.org/protocol/muc#user'>"
        f"<item jid='{jid}' affiliation='{affiliation}' role='{role}'/>{status}</x></presence>")


def is_focus(jid):
    return jid is not None and str(jid).startswith(FOCUS_REAL + "/")


def new_room(nick="hag66", **kwargs):
    names = (f"n{i:07x}" for i in itertools.count(1))
    return MucRoom(ROOM, nick, LocalPresence(display_name="Hag"), is_focus=is_focus,
                   nick_factory=lambda: next(names), **kwargs)


def joined_room(*others):
    room = new_room()
    room.join()
    room.take_outgoing()
    room.receive(occupant("focus", jid=FOCUS_REAL + "/focus", role="moderator", affiliation="owner"))
    for nick in others:
        room.receive(occupant(nick))
    room.receive(occupant("hag66", jid="me@meet.localhost/x", codes=(110,)))
    room.take_events()
    return room


def test_join_presence_goes_to_room_slash_nick_with_the_muc_x():
    room = new_room()
    room.join()
    [presence] = room.take_outgoing()
    wire = parse_xml(serialize_stanza(presence))
    assert wire.get("to") == "darkcave@macbeth.shakespeare.lit/hag66"
    assert wire.find(f"{{{NS_MUC}}}x") is not None
    assert wire.findtext(f"{{{NS_NICK}}}nick") == "Hag"
    assert room.state is RoomState.JOINING


def test_self_presence_joins_then_existing_occupants_are_announced_and_focus_is_not():
    room = new_room()
    room.join()
    room.receive(occupant("focus", jid=FOCUS_REAL + "/focus", role="moderator", affiliation="owner"))
    room.receive(occupant("crone1", extra="<nick xmlns='http://jabber.org/protocol/nick'>Crone</nick>"))
    assert [type(e) for e in room.take_events()] == [FocusJoined]
    room.receive(occupant("hag66", jid="me@meet.localhost/x", role="moderator", affiliation="owner",
                          codes=(110, 100)))
    events = room.take_events()
    assert events[0] == Joined(room="darkcave", endpoint_id="hag66", display_name="Hag",
                               role="moderator", affiliation="owner")
    assert events[1] == ParticipantJoined(endpoint_id="crone1", display_name="Crone",
                                          role="participant", affiliation="none",
                                          jid="crone1-real@meet.localhost/res")
    assert len(events) == 2
    assert set(room.occupants) == {"crone1"} and room.focus == ROOM.with_resource("focus")
    assert room.is_moderator


def test_mute_and_name_changes_become_participant_updates():
    room = joined_room("crone1")
    room.receive(occupant("crone1", extra=(
        "<SourceInfo>{\"crone1-a0\":{\"muted\":false},\"crone1-v0\":{\"muted\":true}}</SourceInfo>"
        "<nick xmlns='http://jabber.org/protocol/nick'>Crone Two</nick>")))
    [update] = room.take_events()
    assert isinstance(update, ParticipantUpdated)
    assert update.changed == {"display_name", "audio_muted", "sources", "video_type"}
    assert update.audio_muted is False and update.video_muted is True
    assert update.display_name == "Crone Two"
    # the same presence again changes nothing
    room.receive(occupant("crone1", extra=(
        "<SourceInfo>{\"crone1-a0\":{\"muted\":false},\"crone1-v0\":{\"muted\":true}}</SourceInfo>"
        "<nick xmlns='http://jabber.org/protocol/nick'>Crone Two</nick>")))
    assert room.take_events() == []


def test_leaving_and_kicked_occupants():
    room = joined_room("crone1", "wiz")
    room.receive(occupant("crone1", kind="unavailable",
                          extra="<status>bye</status>"))
    room.receive(parse_xml(
        "<presence xmlns='jabber:client' from='darkcave@macbeth.shakespeare.lit/wiz' type='unavailable'>"
        "<x xmlns='http://jabber.org/protocol/muc#user'><item affiliation='none' role='none'>"
        "<actor nick='hag66'/><reason>Enough</reason></item><status code='307'/></x></presence>"))
    assert room.take_events() == [
        ParticipantLeft("crone1", None, reason="bye"),
        ParticipantLeft("wiz", None, reason="Enough", kicked=True, actor="hag66"),
    ]
    assert room.occupants == {}


def test_password_required_then_wrong_password(protocol_examples):
    room = new_room()
    room.join()
    room.take_outgoing()
    room.receive(load(protocol_examples, "muc-password-required-error.xml"))
    assert room.take_events() == [PasswordRequested("darkcave", after_wrong_password=False)]
    assert room.state is RoomState.NEEDS_PASSWORD
    room.join(password="cauldronburn")
    [presence] = room.take_outgoing()
    assert presence.findtext(f"{{{NS_MUC}}}x/{{{NS_MUC}}}password") == "cauldronburn"
    room.receive(load(protocol_examples, "muc-password-required-error.xml"))
    assert room.take_events() == [PasswordRequested("darkcave", after_wrong_password=True)]


def test_lobby_error_carries_the_lobby_room(protocol_examples):
    refusal = JoinRefusal.from_element(load(protocol_examples, "muc-lobby-registration-required-error.xml"))
    assert refusal.reason is Refusal.MEMBERS_ONLY
    assert refusal.lobby_room == Jid.parse("damencho@lobby.damencho.example.com")
    assert refusal.waiting_for_host is False


def test_current_lobby_error_layout_with_waiting_for_host():
    refusal = JoinRefusal.from_element(parse_xml(
        "<presence xmlns='jabber:client' from='r@conference.x/ab' type='error'>"
        "<error type='auth' code='407'><registration-required xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
        "<waiting-for-host xmlns='http://jitsi.org/jitmeet'/>"
        "<lobbyroom xmlns='http://jitsi.org/jitmeet'>r@lobby.x</lobbyroom></error>"
        "<lobbyroom>old@lobby.x</lobbyroom><x xmlns='http://jabber.org/protocol/muc'/></presence>"))
    assert refusal.lobby_room == Jid.parse("r@lobby.x") and refusal.waiting_for_host


@pytest.mark.parametrize("name, reason, error", [
    ("muc-max-users-error.xml", Refusal.ROOM_FULL, RoomFullError),
    ("muc-banned-error.xml", Refusal.BANNED, BannedError),
    ("muc-members-only-error.xml", Refusal.MEMBERS_ONLY, None),
    ("muc-nick-conflict-error.xml", Refusal.NICK_CONFLICT, None),
    ("muc-password-required-error.xml", Refusal.PASSWORD, PasswordRequiredError),
])
def test_xep_0045_error_vectors_map_to_refusals(protocol_examples, name, reason, error):
    refusal = JoinRefusal.from_element(load(protocol_examples, name))
    assert refusal.reason is reason
    if error is not None:
        assert isinstance(refusal.to_error("darkcave"), error)
    if reason is Refusal.MEMBERS_ONLY:
        assert refusal.lobby_room is None


def test_wrong_password_error_when_a_password_was_sent(protocol_examples):
    refusal = JoinRefusal.from_element(load(protocol_examples, "muc-password-required-error.xml"))
    assert isinstance(refusal.to_error("r", password_sent=True), WrongPasswordError)


def _error(inner, kind="cancel"):
    return parse_xml(f"<presence xmlns='jabber:client' from='{ROOM}/hag66' type='error'>"
                     f"<error type='{kind}'>{inner}</error></presence>")


@pytest.mark.parametrize("inner, kind, reason", [
    ("<service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>", "cancel", Refusal.ROOM_FULL),
    ("<not-allowed xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
     "<text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>Room creation is restricted</text>", "cancel",
     Refusal.CREATION_RESTRICTED),
    ("<not-allowed xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
     "<room-does-not-exist xmlns='http://jitsi.org/jitmeet'/>", "cancel", Refusal.CREATION_RESTRICTED),
    ("<not-allowed xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
     "<authentication-required xmlns='http://jitsi.org/jitmeet'/>", "cancel",
     Refusal.AUTHENTICATION_REQUIRED),
    ("<not-allowed xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
     "<text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>Invalid resource</text>", "cancel",
     Refusal.NOT_ALLOWED),
    ("<not-acceptable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
     "<displayname-required xmlns='http://jitsi.org/jitmeet' lobby='true'/>", "modify",
     Refusal.DISPLAY_NAME),
    ("<item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>", "cancel", Refusal.OTHER),
    ("", "cancel", Refusal.OTHER),
])
def test_jitsi_join_errors(inner, kind, reason):
    assert JoinRefusal.from_element(_error(inner, kind)).reason is reason


def test_display_name_required_is_a_prompt_not_an_end():
    room = new_room()
    room.join()
    room.receive(_error("<not-acceptable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
                        "<displayname-required xmlns='http://jitsi.org/jitmeet' lobby='true'/>",
                        "modify"))
    assert room.take_events() == [DisplayNameRequired("darkcave")]
    assert room.state is RoomState.NEEDS_DISPLAY_NAME


def test_nick_conflict_is_fixed_inside_the_room_with_a_new_nick(protocol_examples):
    room = new_room()
    room.set_sources({"hag66-a0": SourceInfo(True)})
    room.join()
    room.take_outgoing()
    for attempt in range(3):
        room.receive(load(protocol_examples, "muc-nick-conflict-error.xml"))
        [presence] = room.take_outgoing()
        assert presence.get("to") == f"{ROOM}/n{attempt + 1:07x}"
        assert json.loads(presence.findtext("SourceInfo")) == {f"n{attempt + 1:07x}-a0": {"muted": True}}
        assert room.take_events() == []
    room.receive(load(protocol_examples, "muc-nick-conflict-error.xml"))
    [refused] = room.take_events()
    assert isinstance(refused, JoinRefused) and refused.refusal.reason is Refusal.NICK_CONFLICT


def test_other_refusals_end_the_join(protocol_examples):
    room = new_room()
    room.join()
    room.receive(load(protocol_examples, "muc-max-users-error.xml"))
    [refused] = room.take_events()
    assert isinstance(refused, JoinRefused) and refused.refusal.reason is Refusal.ROOM_FULL
    assert room.state is RoomState.REFUSED


def test_presence_errors_after_the_join_do_not_end_anything():
    room = joined_room()
    room.receive(_error("<not-acceptable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>", "modify"))
    assert room.take_events() == [] and room.state is RoomState.JOINED


def test_kicked_self_presence_reports_actor_reason_and_everyone_gone():
    room = joined_room("crone1")
    room.receive(parse_xml(
        f"<presence xmlns='jabber:client' from='{ROOM}/hag66' type='unavailable'>"
        "<x xmlns='http://jabber.org/protocol/muc#user'><item affiliation='none' role='none'>"
        "<actor nick='crone1'/><reason>You have been kicked.</reason></item>"
        "<status code='307'/><status code='110'/></x></presence>"))
    assert room.take_events() == [ParticipantLeft("crone1", None),
                                  RoomExited(kicked=True, actor="crone1", reason="You have been kicked.")]
    assert room.state is RoomState.LEFT


def test_room_destroyed():
    room = joined_room()
    room.receive(parse_xml(
        f"<presence xmlns='jabber:client' from='{ROOM}/hag66' type='unavailable'>"
        "<x xmlns='http://jabber.org/protocol/muc#user'><item affiliation='none' role='none'/>"
        "<destroy><reason>The meeting has been terminated</reason></destroy></x></presence>"))
    [exited] = room.take_events()
    assert exited.destroy.reason == "The meeting has been terminated" and exited.destroy.jid is None


def test_our_role_change_is_reported():
    room = joined_room()
    room.receive(occupant("hag66", jid="me@meet.localhost/x", role="moderator", affiliation="owner",
                          codes=(110,)))
    assert room.take_events() == [RoleChanged("hag66", "moderator", "owner")]


def test_focus_leaving_is_a_signal_not_a_participant():
    room = joined_room()
    room.receive(occupant("focus", jid=FOCUS_REAL + "/focus", kind="unavailable"))
    assert room.take_events() == [FocusLeft(ROOM.with_resource("focus"))]


def test_mute_request_from_focus_is_answered_applied_and_unmute_tells_focus():
    room = joined_room()
    room.set_muted("audio", False)
    room.take_outgoing()
    mute = parse_xml(f"<iq xmlns='jabber:client' type='set' id='m1' from='{ROOM}/focus'>"
                     "<mute xmlns='http://jitsi.org/jitmeet/audio' actor='boss'>true</mute></iq>")
    assert room.receive(mute)
    assert room.take_events() == [MuteRequested("audio", "boss")]
    result, presence = room.take_outgoing()
    assert result.get("type") == "result" and result.get("id") == "m1"
    assert json.loads(presence.findtext("SourceInfo")) == {"hag66-a0": {"muted": True}}
    room.set_muted("audio", False)
    presence, unmute = room.take_outgoing()
    assert json.loads(presence.findtext("SourceInfo")) == {"hag66-a0": {"muted": False}}
    assert unmute.get("to") == f"{ROOM}/focus"
    [mute_el] = list(unmute)
    assert mute_el.text == "false" and mute_el.get("jid") == f"{ROOM}/hag66"


def test_mute_request_from_anyone_else_is_not_claimed():
    room = joined_room("crone1")
    mute = parse_xml(f"<iq xmlns='jabber:client' type='set' id='m1' from='{ROOM}/crone1'>"
                     "<mute xmlns='http://jitsi.org/jitmeet/audio'>true</mute></iq>")
    assert room.receive(mute) is False
    assert room.take_events() == [] and room.take_outgoing() == []


def test_display_name_update_is_replace_all_without_the_muc_x():
    room = joined_room()
    room.set_muted("video", True)
    room.take_outgoing()
    room.set_display_name("Neuer Name")
    [presence] = room.take_outgoing()
    assert presence.find(f"{{{NS_MUC}}}x") is None
    assert presence.findtext(f"{{{NS_NICK}}}nick") == "Neuer Name"
    assert json.loads(presence.findtext("SourceInfo")) == {"hag66-v0": {"muted": True}}


def test_presence_changes_during_the_join_are_sent_after_it():
    room = new_room()
    room.join()
    room.take_outgoing()
    room.set_muted("audio", False)
    assert room.take_outgoing() == []
    room.receive(occupant("hag66", jid="me@meet.localhost/x", codes=(110,)))
    [presence] = room.take_outgoing()
    assert json.loads(presence.findtext("SourceInfo")) == {"hag66-a0": {"muted": False}}


def test_chat_group_private_and_own_reflection():
    room = joined_room("crone1")
    room.receive(parse_xml(f"<message xmlns='jabber:client' type='groupchat' from='{ROOM}/crone1' id='a'>"
                           "<body>Hallo alle</body></message>"))
    room.receive(parse_xml(f"<message xmlns='jabber:client' type='chat' from='{ROOM}/crone1'>"
                           "<body>Nur für dich</body><x xmlns='http://jabber.org/protocol/muc#user'/></message>"))
    room.receive(parse_xml(f"<message xmlns='jabber:client' type='groupchat' from='{ROOM}/hag66'>"
                           "<body>Echo</body></message>"))
    assert room.take_events() == [
        ChatReceived("crone1", None, "Hallo alle", private=False, message_id="a"),
        ChatReceived("crone1", None, "Nur für dich", private=True),
        ChatReceived("hag66", "Hag", "Echo", private=False, is_self=True),
    ]


def test_config_change_and_invite_from_the_room():
    room = new_room()
    room.receive(parse_xml(f"<message xmlns='jabber:client' from='{ROOM}'>"
                           "<x xmlns='http://jabber.org/protocol/muc#user'><status code='104'/></x></message>"))
    room.receive(parse_xml(f"<message xmlns='jabber:client' from='{ROOM}'>"
                           "<x xmlns='http://jabber.org/protocol/muc#user'><invite from='crone1@x/y'/>"
                           "<password>cauldronburn</password></x></message>"))
    assert room.take_events() == [RoomConfigChanged(),
                                  InviteReceived(ROOM, "crone1@x/y", "cauldronburn")]


def test_invite_vector_is_read(protocol_examples):
    examples = load(protocol_examples, "muc-mediated-invite-lobby-approval.xml")
    room = new_room()
    assert room.receive(examples[1])
    assert room.take_events() == [InviteReceived(ROOM, "crone1@shakespeare.lit/desktop", "cauldronburn")]


def test_leave_sends_unavailable_and_confirmation_ends_it():
    room = joined_room("crone1")
    room.leave("bye")
    [presence] = room.take_outgoing()
    assert presence.get("type") == "unavailable" and presence.findtext("status") == "bye"
    assert room.state is RoomState.LEAVING
    room.receive(occupant("hag66", jid="me@meet.localhost/x", kind="unavailable", codes=(110,)))
    assert room.take_events() == [ParticipantLeft("crone1", None), RoomExited()]
    assert room.state is RoomState.LEFT


def test_stanzas_from_other_rooms_are_not_claimed():
    room = joined_room()
    assert not room.receive(occupant("x", room=Jid.parse("other@macbeth.shakespeare.lit")))
    assert not room.receive(parse_xml("<message xmlns='jabber:client'><body>x</body></message>"))


def test_endpoint_id_rule():
    assert endpoint_id_for(Jid.parse("0123abcdef99@meet.localhost/r"), authenticated=False) == "0123abcd"
    other = endpoint_id_for(Jid.parse("rit_2iqp-fwdl@meet.localhost/r"), authenticated=False)
    assert len(other) == 8 and all(c in "0123456789abcdef" for c in other)
    assert len({endpoint_id_for(Jid.parse("0123abcdef@x/r"), authenticated=True) for _ in range(5)}) > 1


def test_moderator_request_builders():
    kick = kick_request(ROOM, "crone1")
    item = kick.find(f"{{{NS_MUC_ADMIN}}}query/{{{NS_MUC_ADMIN}}}item")
    assert item.attrib == {"nick": "crone1", "role": "none"}
    assert lock_fields("pw", members_only=True) == {
        "muc#roomconfig_roomsecret": "pw", "muc#roomconfig_passwordprotectedroom": "1",
        "muc#roomconfig_membersonly": "true", "muc#roomconfig_whois": "anyone"}
    assert lock_fields(None, members_only=False)["muc#roomconfig_passwordprotectedroom"] == "0"
    assert members_only_fields(True, locked=True) == {
        "muc#roomconfig_membersonly": "true", "muc#roomconfig_passwordprotectedroom": "1"}
    submit = config_submit(ROOM, {"muc#roomconfig_roomsecret": "pw"})
    fields = submit.findall(f"{{{NS_MUC_OWNER}}}query/{{{NS_DATA}}}x/{{{NS_DATA}}}field")
    assert [(f.get("var"), f.findtext(f"{{{NS_DATA}}}value")) for f in fields] == [
        ("FORM_TYPE", "http://jabber.org/protocol/muc#roomconfig"), ("muc#roomconfig_roomsecret", "pw")]
    assert form_fields(parse_xml(serialize_stanza(submit).replace("type=\"set\"", "type=\"result\""))) == {
        "FORM_TYPE", "muc#roomconfig_roomsecret"}
    mute = mute_request(ROOM.with_resource("focus"), ROOM.with_resource("crone1"), "video", True)
    assert list(mute)[0].tag == "{http://jitsi.org/jitmeet/video}mute"


def test_room_info():
    info = RoomInfo.from_iq(parse_xml(
        "<iq xmlns='jabber:client' type='result'><query xmlns='http://jabber.org/protocol/disco#info'>"
        "<feature var='muc_passwordprotected'/><feature var='muc_membersonly'/>"
        "<x xmlns='jabber:x:data' type='result'><field var='muc#roominfo_lobbyroom'>"
        "<value>r@lobby.x</value></field><field var='muc#roominfo_meetingId'><value>m-1</value></field>"
        "</x></query></iq>"))
    assert info == RoomInfo(locked=True, members_only=True, lobby_room=Jid.parse("r@lobby.x"),
                            meeting_id="m-1")


# --- fuzz -------------------------------------------------------------------------------

_ERROR_PIECES = st.sampled_from([
    "<not-authorized xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>",
    "<not-allowed xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>",
    "<registration-required xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>",
    "<service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>",
    "<conflict xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>",
    "<text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>Room creation is restricted</text>",
    "<text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>", "<lobbyroom>@@</lobbyroom>",
    "<lobbyroom xmlns='http://jitsi.org/jitmeet'>a@lobby.b</lobbyroom>", "<lobbyroom/>",
    "<waiting-for-host xmlns='http://jitsi.org/jitmeet'/>",
    "<displayname-required xmlns='http://jitsi.org/jitmeet'/>", "<!-- c -->", "<x>y</x>",
])


@settings(max_examples=300, deadline=None)
@given(inside=st.lists(_ERROR_PIECES, max_size=6), outside=st.lists(_ERROR_PIECES, max_size=3),
       kind=st.sampled_from(["auth", "cancel", "modify", "wait", ""]), with_error=st.booleans())
def test_fuzz_join_errors_never_crash_the_room(inside, outside, kind, with_error):
    error = f"<error type='{kind}'>{''.join(inside)}</error>" if with_error else ""
    stanza = parse_xml(f"<presence xmlns='jabber:client' from='{ROOM}/hag66' type='error'>"
                       f"{error}{''.join(outside)}</presence>")
    refusal = JoinRefusal.from_element(stanza)
    assert isinstance(refusal.reason, Refusal)
    refusal.to_error("darkcave")
    room = new_room()
    room.join()
    room.take_outgoing()
    room.receive(stanza)
    room.take_events()
    room.take_outgoing()


_STANZAS = st.sampled_from([
    "<presence from='{room}/{nick}'{type}>{body}</presence>",
    "<presence from='{room}'{type}>{body}</presence>",
    "<message from='{room}/{nick}'{type}>{body}</message>",
    "<message from='{room}'{type}>{body}</message>",
    "<iq from='{room}/{nick}' id='i'{type}>{body}</iq>",
])
_BODIES = st.sampled_from([
    "", "<x xmlns='http://jabber.org/protocol/muc#user'><item jid='{text}' role='{text}' "
    "affiliation='{text}'/><status code='110'/></x>",
    "<x xmlns='http://jabber.org/protocol/muc#user'><item role='moderator'/><status code='307'/>"
    "<status code='110'/><destroy jid='{text}'/></x>",
    "<x xmlns='http://jabber.org/protocol/muc#user'><status code='104'/><invite from='{text}'/>"
    "<password>{text}</password></x>",
    "<SourceInfo>{text}</SourceInfo><nick xmlns='http://jabber.org/protocol/nick'>{text}</nick>",
    "<error type='{text}'><not-authorized xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>",
    "<error><conflict xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>",
    "<body>{text}</body><delay xmlns='urn:xmpp:delay' stamp='{text}'/>",
    "<mute xmlns='http://jitsi.org/jitmeet/audio'>{text}</mute>",
    "<mute xmlns='http://jitsi.org/jitmeet/desktop'>true</mute>",
    "<ignore xmlns='http://jitsi.org/jitmeet/'/>",
])
_TYPES = st.sampled_from(["", " type='unavailable'", " type='error'", " type='set'",
                          " type='groupchat'", " type='chat'", " type='result'"])
_NICKS = st.sampled_from(["hag66", "focus", "crone1", "", "a/b"])
_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=12).map(
    lambda s: s.replace("&", "").replace("<", "").replace("'", ""))


@settings(max_examples=300, deadline=5000)
@given(script=st.lists(st.tuples(_STANZAS, _NICKS, _TYPES, _BODIES, _TEXT), max_size=12),
       commands=st.lists(st.sampled_from(["mute", "unmute", "name", "leave", "join"]), max_size=4))
def test_fuzz_a_whole_room_never_crashes(script, commands):
    """Any sequence of room stanzas (and commands between them) keeps MucRoom sane."""
    room = joined_room("crone1")
    for index, (template, nick, kind, body, text) in enumerate(script):
        xml = template.format(room=ROOM, nick=nick, type=kind, body=body.replace("{text}", text))
        try:
            stanza = parse_xml(f"<wrapper xmlns='jabber:client'>{xml}</wrapper>")[0]
        except RemoteProtocolError:
            continue
        room.receive(stanza)
        if index < len(commands):
            command = commands[index]
            if command == "mute":
                room.set_muted("audio", True)
            elif command == "unmute":
                room.set_muted("video", False)
            elif command == "name":
                room.set_display_name(text)
            elif command == "leave":
                room.leave()
            elif command == "join":
                room.join(text or None)
        for event in room.take_events():
            assert type(event).__module__ in ("client.jitsi.events", "client.jitsi.muc")
        for out in room.take_outgoing():
            serialize_stanza(out)
    assert isinstance(room.state, RoomState)


@settings(max_examples=200, deadline=None)
@given(fields=st.lists(st.tuples(_TEXT, _TEXT), max_size=5), features=st.lists(_TEXT, max_size=4))
def test_fuzz_room_info(fields, features):
    feature_xml = "".join(f"<feature var='{f}'/>" for f in features)
    field_xml = "".join(f"<field var='{k}'><value>{v}</value></field>" for k, v in fields)
    info = RoomInfo.from_iq(parse_xml(
        "<iq xmlns='jabber:client' type='result'><query xmlns='http://jabber.org/protocol/disco#info'>"
        f"{feature_xml}<x xmlns='jabber:x:data' type='result'>{field_xml}"
        "<field var='muc#roominfo_lobbyroom'><value>@</value></field></x></query></iq>"))
    assert isinstance(info.locked, bool) and info.lobby_room is None
