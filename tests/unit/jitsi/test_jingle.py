"""The sans-I/O Jingle session against the captured lib-jitsi-meet P2P exchange."""

from __future__ import annotations

import pytest

from client.errors import LocalProtocolError, RemoteProtocolError
from client.jitsi.description import SessionDescription
from client.jitsi.jingle import (
    Action,
    FrameHeightRequest,
    JingleSession,
    Reason,
    ReceiverConstraints,
    RemoteAccepted,
    RemoteTransportInfo,
    Role,
    SessionEnded,
    SessionState,
    UnknownActionError,
    parse_jingle_iq,
)
from client.jitsi.ns import NS_JINGLE, NS_JINGLE_ERRORS, NS_STANZAS
from client.jitsi.stanza import Jid, parse_xml, serialize_stanza

ROOM = "p2ptest@conference.meet.localhost"
BROWSER = Jid.parse(f"{ROOM}/8cac7ae6")      # the initiator in the capture
US = Jid.parse(f"{ROOM}/ba650ffb")
OUR_REAL_JID = Jid.parse("rr3hij0wcqapbgy_a1n5ksww@meet.localhost/eGpQQ1cnI-4E")


def received(path, sender: Jid = BROWSER):
    """A captured stanza as it reaches us: the MUC stamps ``from`` with the occupant JID."""
    iq = parse_xml(path.read_text())
    iq.set("from", str(sender))
    iq.set("id", iq.get("id") or "x1")
    return iq


def ids():
    n = iter(range(1, 1000))
    return lambda: f"j{next(n)}"


def error_conditions(reply):
    error = reply.find("error")
    return sorted(child.tag for child in error)


@pytest.fixture
def incoming(captured_p2p):
    iq = received(captured_p2p / "01-peer0-out-session-initiate.xml")
    request = parse_jingle_iq(iq)
    return JingleSession.incoming(request, local=US, id_factory=ids())


def test_incoming_session_initiate_creates_a_pending_responder_session(incoming):
    assert (incoming.sid, incoming.role, incoming.state) == ("a35f5ebfa0fb", Role.RESPONDER,
                                                             SessionState.PENDING)
    assert incoming.peer == BROWSER and incoming.initiator == BROWSER
    assert [c.name for c in incoming.remote_description.contents] == ["0", "1"]


def test_responder_acks_trickle_and_content_modify_then_accepts(incoming, captured_p2p):
    iq = received(captured_p2p / "04-peer0-out-transport-info.xml")
    reply, events = incoming.receive(iq, parse_jingle_iq(iq))
    assert (reply.get("type"), reply.get("to"), reply.get("id")) == ("result", str(BROWSER), iq.get("id"))
    [event] = events
    assert isinstance(event, RemoteTransportInfo) and len(event.description.contents[0].transport.candidates) == 4

    iq = received(captured_p2p / "05-peer0-out-content-modify.xml")
    reply, events = incoming.receive(iq, parse_jingle_iq(iq))
    assert reply.get("type") == "result"
    assert events == [ReceiverConstraints("a35f5ebfa0fb", FrameHeightRequest(2160, {}, "both"))]

    accept = incoming.accept(SessionDescription(), responder=OUR_REAL_JID)
    jingle = accept.find(f"{{{NS_JINGLE}}}jingle")
    assert (accept.get("type"), accept.get("to"), accept.get("id")) == ("set", str(BROWSER), "j1")
    assert dict(jingle.attrib) == {"action": "session-accept", "initiator": str(BROWSER),
                                   "sid": "a35f5ebfa0fb", "responder": str(OUR_REAL_JID)}
    assert incoming.state is SessionState.ACTIVE
    with pytest.raises(LocalProtocolError):
        incoming.accept(SessionDescription())


def test_a_second_accept_is_out_of_order_and_a_second_initiate_refused(incoming, captured_p2p):
    iq = received(captured_p2p / "02-peer0-in-session-accept.xml")
    reply, events = incoming.receive(iq, parse_jingle_iq(iq))
    assert events == []
    assert error_conditions(reply) == [f"{{{NS_STANZAS}}}unexpected-request",
                                       f"{{{NS_JINGLE_ERRORS}}}out-of-order"]
    iq = received(captured_p2p / "01-peer0-out-session-initiate.xml")
    reply, events = incoming.receive(iq, parse_jingle_iq(iq))
    assert events == [] and error_conditions(reply) == [f"{{{NS_STANZAS}}}service-unavailable"]


@pytest.mark.parametrize("sender,sid", [(Jid.parse(f"{ROOM}/intruder"), "a35f5ebfa0fb"),
                                        (BROWSER, "othersid")])
def test_unknown_session_or_wrong_peer_gets_item_not_found(incoming, captured_p2p, sender, sid):
    iq = received(captured_p2p / "04-peer0-out-transport-info.xml", sender)
    iq.find(f"{{{NS_JINGLE}}}jingle").set("sid", sid)
    reply, events = incoming.receive(iq, parse_jingle_iq(iq))
    assert events == []
    assert error_conditions(reply) == [f"{{{NS_STANZAS}}}item-not-found",
                                       f"{{{NS_JINGLE_ERRORS}}}unknown-session"]


def test_initiate_builds_a_session_initiate_and_stays_pending():
    session = JingleSession.outgoing(local=BROWSER, peer=US, sid="a35f5ebfa0fb", id_factory=ids())
    offer = session.initiate(SessionDescription())
    assert offer.find(f"{{{NS_JINGLE}}}jingle").get("action") == "session-initiate"
    assert session.state is SessionState.PENDING


def test_initiator_session_becomes_active_on_accept(captured_p2p):
    # in the capture the browser (peer0) initiated; replay its side with us in its place
    session = JingleSession.outgoing(local=BROWSER, peer=US, sid="a35f5ebfa0fb", id_factory=ids())
    session.initiate(SessionDescription())
    iq = received(captured_p2p / "02-peer0-in-session-accept.xml", US)
    reply, events = session.receive(iq, parse_jingle_iq(iq))
    assert reply.get("type") == "result"
    [event] = events
    assert isinstance(event, RemoteAccepted)
    assert [c.creator for c in event.description.contents] == ["responder", "responder"]
    assert session.state is SessionState.ACTIVE
    assert session.responder == OUR_REAL_JID


def test_terminate_both_ways(incoming):
    terminate = incoming.terminate("decline", "P2P disabled")
    text = serialize_stanza(terminate)
    assert "<reason><decline/><text>P2P disabled</text></reason>" in text
    assert incoming.state is SessionState.ENDED and incoming.terminate() is None
    with pytest.raises(LocalProtocolError):
        incoming.transport_info(SessionDescription())

    session = JingleSession.outgoing(local=US, peer=BROWSER, sid="s1", id_factory=ids())
    session.initiate(SessionDescription())
    iq = parse_xml(f"<iq xmlns='jabber:client' type='set' id='t1' from='{BROWSER}'>"
                   "<jingle xmlns='urn:xmpp:jingle:1' action='session-terminate' sid='s1'>"
                   "<reason><success/><text>Turning off P2P session</text></reason></jingle></iq>")
    reply, events = session.receive(iq, parse_jingle_iq(iq))
    assert reply.get("type") == "result"
    assert events == [SessionEnded("s1", Reason("success", "Turning off P2P session"))]
    # anything after the end is for an unknown session
    reply, _ = session.receive(iq, parse_jingle_iq(iq))
    assert reply.get("type") == "error"


def test_current_content_modify_with_source_frame_heights(protocol_examples):
    text = (protocol_examples / "media-p2p-content-modify-ljm-fixture.xml").read_text().split("-->", 1)[1]
    iq = parse_xml(f"<iq xmlns='jabber:client' type='set' id='c' from='{BROWSER}'>{text.strip()}</iq>")
    request = parse_jingle_iq(iq)
    assert request.action is Action.CONTENT_MODIFY
    assert request.frame_heights == FrameHeightRequest(None, {"8d519815-v0": 180, "8d519815-v1": 2160},
                                                       "both")
    assert request.frame_heights.effective_height == 2160


def test_our_content_modify_round_trips():
    session = JingleSession.outgoing(local=US, peer=BROWSER, sid="s1", id_factory=ids())
    iq = session.content_modify(max_height=360, source_heights={"8cac7ae6-v0": 360})
    iq.set("from", str(US))
    assert parse_jingle_iq(parse_xml(serialize_stanza(iq))).frame_heights == FrameHeightRequest(
        360, {"8cac7ae6-v0": 360}, "both")


def test_old_action_names_are_understood():
    iq = parse_xml(f"<iq xmlns='jabber:client' type='set' id='a' from='{BROWSER}'>"
                   "<jingle xmlns='urn:xmpp:jingle:1' action='addsource' sid='s'/></iq>")
    assert parse_jingle_iq(iq).action is Action.SOURCE_ADD


@pytest.mark.parametrize("jingle,error", [
    ("<jingle xmlns='urn:xmpp:jingle:1' action='dance' sid='s'/>", UnknownActionError),
    ("<jingle xmlns='urn:xmpp:jingle:1' action='session-accept'/>", RemoteProtocolError),
    ("<jingle xmlns='urn:xmpp:jingle:1' action='content-modify' sid='s'><content name='video'>"
     "<max-frame-height xmlns='http://jitsi.org/jitmeet/video'>tall</max-frame-height></content></jingle>",
     RemoteProtocolError),
    ("<other xmlns='urn:xmpp:jingle:1'/>", RemoteProtocolError),
])
def test_malformed_requests_raise_remote_protocol_error(jingle, error):
    iq = parse_xml(f"<iq xmlns='jabber:client' type='set' id='a' from='{BROWSER}'>{jingle}</iq>")
    with pytest.raises(error):
        parse_jingle_iq(iq)
