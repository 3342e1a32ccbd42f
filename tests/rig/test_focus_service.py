"""The focus stand-in's wire behaviour, sans-I/O (no Prosody needed)."""

from __future__ import annotations

from client.jitsi.ns import NS_DISCO_INFO, NS_JITSI_FOCUS, NS_MUC_ADMIN, NS_MUC_USER, NS_STANZAS
from client.jitsi.stanza import Element, el, sub
from tests.rig.focus import FocusService, FocusSettings, c

ROOM = "sitzung@conference.meet.localhost"
GUEST = "guest1@meet.localhost/res1"
GUEST2 = "guest2@meet.localhost/res2"
HOST = "anna@auth.meet.localhost/desk"
FOCUS_OCCUPANT = f"{ROOM}/focus"


def request(sender: str, *, room: str | None = ROOM, machine_uid: str | None = "m1",
            session_id: str | None = None, ident: str = "q1") -> Element:
    iq = el(c("iq"), {"type": "set", "id": ident, "from": sender, "to": "focus.meet.localhost"})
    sub(iq, f"{{{NS_JITSI_FOCUS}}}conference",
        {"room": room, "machine-uid": machine_uid, "session-id": session_id})
    return iq


def presence(nick: str, real: str | None, *, role: str = "participant", affiliation: str = "none",
             codes: tuple[str, ...] = (), ptype: str | None = None) -> Element:
    p = el(c("presence"), {"from": f"{ROOM}/{nick}", "to": "focus@focus.meet.localhost/focus",
                           "type": ptype})
    x = sub(p, f"{{{NS_MUC_USER}}}x")
    sub(x, f"{{{NS_MUC_USER}}}item", {"jid": real, "role": role, "affiliation": affiliation})
    for code in codes:
        sub(x, f"{{{NS_MUC_USER}}}status", {"code": code})
    return p


def focus_joined(focus: FocusService) -> list[Element]:
    return focus.receive(presence("focus", "focus@focus.meet.localhost/focus", role="moderator",
                                  affiliation="owner", codes=("110", "201")), 0.0)


def conference(reply: Element) -> Element:
    conf = reply.find(f"{{{NS_JITSI_FOCUS}}}conference")
    assert conf is not None, "not a conference reply"
    return conf


def error_of(reply: Element) -> tuple[str, str, str | None]:
    assert reply.get("type") == "error"
    error = reply.find(c("error"))
    assert error is not None
    condition = next(x.tag.split("}")[1] for x in error
                     if x.tag.startswith(f"{{{NS_STANZAS}}}") and not x.tag.endswith("}text"))
    return error.get("type", ""), condition, error.findtext(f"{{{NS_STANZAS}}}text")


def open_room(focus: FocusService, sender: str = GUEST) -> Element:
    out = focus.receive(request(sender), 0.0)
    assert [s.tag for s in out] == [c("presence")]
    [reply] = focus_joined(focus)
    return reply


def test_focus_joins_as_focus_first_and_answers_ready_only_after_its_self_presence() -> None:
    focus = FocusService()
    out = focus.receive(request(GUEST), 0.0)
    [join] = out
    assert join.get("to") == FOCUS_OCCUPANT and join.get("from") == "focus@focus.meet.localhost/focus"
    assert join.find("{http://jabber.org/protocol/muc}x") is not None

    # A second request while the focus is still joining waits too.
    assert focus.receive(request(GUEST2, ident="q2"), 0.1) == []
    replies = focus_joined(focus)
    assert [r.get("id") for r in replies] == ["q1", "q2"]
    conf = conference(replies[0])
    assert replies[0].get("type") == "result" and replies[0].get("to") == GUEST
    assert conf.get("ready") == "true" and conf.get("room") == ROOM
    assert conf.get("focusjid") == "focus@focus.meet.localhost"
    assert {p.get("name"): p.get("value") for p in conf} == {"authentication": "false"}

    # Once in the room, requests are answered at once and nothing is joined again.
    [again] = focus.receive(request(GUEST, ident="q3"), 0.2)
    assert again.get("id") == "q3" and conference(again).get("ready") == "true"


def test_request_without_room_is_a_bad_request() -> None:
    [reply] = FocusService().receive(request(GUEST, room=None), 0.0)
    assert error_of(reply) == ("modify", "bad-request", "No 'room' specified.")


def test_secure_domain_refuses_guests_until_a_host_opened_the_room() -> None:
    focus = FocusService(FocusSettings(require_host=True))
    [refused] = focus.receive(request(GUEST), 0.0)
    assert error_of(refused) == ("auth", "not-authorized", "not authorized user domain")
    assert conference(refused).get("room") == ROOM          # the request is echoed, as Smack does

    [no_uid] = focus.receive(request(HOST, machine_uid=None), 0.0)
    assert error_of(no_uid) == ("modify", "not-acceptable", "Missing mandatory attribute 'machine-uid'")

    open_room(focus, HOST)
    session = next(iter(focus.auth.sessions.values()))
    assert session.identity == "anna@auth.meet.localhost"
    [reply] = focus.receive(request(HOST, ident="q9"), 1.0)
    conf = conference(reply)
    assert conf.get("session-id") and conf.get("identity") == "anna@auth.meet.localhost"
    assert {p.get("name"): p.get("value") for p in conf} == {"authentication": "true",
                                                            "externalAuth": "false"}
    # The room exists now: any guest gets in (without a session).
    [guest_ok] = focus.receive(request(GUEST2, machine_uid="m2"), 1.0)
    assert conference(guest_ok).get("ready") == "true" and conference(guest_ok).get("session-id") is None


def test_session_id_moves_the_host_to_the_guest_connection_of_the_same_machine() -> None:
    focus = FocusService(FocusSettings(require_host=True))
    other_room = "other@conference.meet.localhost"
    focus.receive(request(HOST, room=other_room), 0.0)                 # a session, another room
    sid = next(iter(focus.auth.sessions))

    [bogus] = focus.receive(request(GUEST, session_id="nope"), 0.0)
    assert error_of(bogus)[:2] == ("modify", "not-acceptable")
    assert bogus.find(f"{c('error')}/{{{NS_JITSI_FOCUS}}}session-invalid") is not None
    [stolen] = focus.receive(request(GUEST2, session_id=sid, machine_uid="m2"), 0.0)
    assert error_of(stolen) == ("modify", "not-acceptable", "machine UID mismatch or empty")

    # Same machine: the guest JID is authenticated and may open a new room.
    [join] = focus.receive(request(GUEST, session_id=sid), 0.0)
    assert join.tag == c("presence")
    [reply] = focus_joined(focus)
    assert conference(reply).get("session-id") == sid
    # ... and becomes owner when it shows up in the room.
    [grant] = focus.receive(presence("aaaa0001", GUEST), 0.5)
    item = grant.find(f"{{{NS_MUC_ADMIN}}}query/{{{NS_MUC_ADMIN}}}item")
    assert grant.get("to") == ROOM and item.get("affiliation") == "owner"
    assert item.get("jid") == "guest1@meet.localhost"
    # A plain guest in a secure room is not made moderator.
    assert focus.receive(presence("bbbb0002", GUEST2), 0.6) == []


def test_auto_owner_makes_the_first_participant_owner_and_reelects_when_it_leaves() -> None:
    focus = FocusService()
    open_room(focus)
    [grant] = focus.receive(presence("aaaa0001", GUEST), 0.1)
    assert grant.find(f"{{{NS_MUC_ADMIN}}}query/{{{NS_MUC_ADMIN}}}item").get("jid") == "guest1@meet.localhost"
    assert focus.receive(presence("bbbb0002", GUEST2), 0.2) == []     # one owner is enough
    assert focus.receive(presence("aaaa0001", GUEST, role="moderator", affiliation="owner"), 0.3) == []
    [regrant] = focus.receive(presence("aaaa0001", GUEST, ptype="unavailable"), 0.4)
    assert regrant.find(f"{{{NS_MUC_ADMIN}}}query/{{{NS_MUC_ADMIN}}}item").get("jid") == "guest2@meet.localhost"


def test_focus_leaves_after_the_last_participant_and_when_nobody_comes() -> None:
    focus = FocusService(FocusSettings(initial_timeout_s=15))
    open_room(focus)
    focus.receive(presence("aaaa0001", GUEST), 0.1)
    [leave] = focus.receive(presence("aaaa0001", GUEST, ptype="unavailable"), 0.2)
    assert leave.get("type") == "unavailable" and leave.get("to") == FOCUS_OCCUPANT
    assert focus.rooms == {}

    open_room(focus)                                       # requested at t=0, nobody joins
    assert focus.tick(14.0) == []
    [timeout_leave] = focus.tick(15.5)
    assert timeout_leave.get("type") == "unavailable" and focus.rooms == {}


def test_moderator_mute_request_is_passed_on_and_unmuting_others_is_refused() -> None:
    focus = FocusService()
    open_room(focus)
    focus.receive(presence("aaaa0001", GUEST, role="moderator", affiliation="owner"), 0.1)
    focus.receive(presence("bbbb0002", GUEST2), 0.2)

    def mute(actor: str, target: str, value: str) -> list[Element]:
        iq = el(c("iq"), {"type": "set", "id": "m", "from": f"{ROOM}/{actor}",
                          "to": "focus@focus.meet.localhost/focus"})
        sub(iq, "{http://jitsi.org/jitmeet/audio}mute", {"jid": f"{ROOM}/{target}"}, text=value)
        return focus.receive(iq, 1.0)

    result, ask = mute("aaaa0001", "bbbb0002", "true")
    assert result.get("type") == "result" and result.get("to") == f"{ROOM}/aaaa0001"
    assert ask.get("type") == "set" and ask.get("to") == f"{ROOM}/bbbb0002"
    order = ask.find("{http://jitsi.org/jitmeet/audio}mute")
    assert order.text == "true" and order.get("actor") == f"{ROOM}/aaaa0001"
    [no] = mute("aaaa0001", "bbbb0002", "false")
    assert error_of(no)[1] == "not-allowed"
    [not_moderator] = mute("bbbb0002", "aaaa0001", "true")
    assert error_of(not_moderator)[1] == "not-allowed"


def test_disco_is_answered_and_other_requests_are_service_unavailable() -> None:
    focus = FocusService()
    disco = el(c("iq"), {"type": "get", "id": "d", "from": GUEST, "to": "focus.meet.localhost"})
    sub(disco, f"{{{NS_DISCO_INFO}}}query", {"node": "x#1"})
    [answer] = focus.receive(disco, 0.0)
    query = answer.find(f"{{{NS_DISCO_INFO}}}query")
    assert query.get("node") == "x#1" and query.find(f"{{{NS_DISCO_INFO}}}identity") is not None

    other = el(c("iq"), {"type": "get", "id": "v", "from": GUEST, "to": "focus.meet.localhost"})
    sub(other, "{jabber:iq:version}query")
    [refused] = focus.receive(other, 0.0)
    assert error_of(refused)[:2] == ("cancel", "service-unavailable")
    result = el(c("iq"), {"type": "result", "id": "owner-1", "from": ROOM})
    assert focus.receive(result, 0.0) == []
