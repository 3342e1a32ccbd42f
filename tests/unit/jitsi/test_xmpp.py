"""XmppStream driven by scripted server frames, with time given explicitly; then the
asyncio adapter (XmppClient) against a scripted WebSocket server on loopback."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import re
from collections.abc import Awaitable, Callable

import pytest
from websockets.asyncio.server import ServerConnection, serve
from websockets.datastructures import Headers
from websockets.http11 import Response

from client.errors import (LocalProtocolError, NotJitsiServerError, RemoteProtocolError,
                           ServerUnreachableError)
from client.jitsi.ns import NS_CLIENT, NS_FRAMING, NS_PING, NS_SASL
from client.jitsi.sasl import AnonymousLoginRefusedError, AuthenticationError, Credentials
from client.jitsi.stanza import Jid, el, parse_xml
from client.jitsi.xmpp import (ConnectionLostError, IqAnswered, IqFailed, IqTimedOut,
                               StanzaReceived, StreamClosed, StreamError, StreamReady,
                               StreamRedirectError, StreamState, XmppStream, iq_error,
                               parse_stanza_error)
from client.jitsi.transport import IqTimeoutError, XmppClient
from client.net import TrustSettings

DOMAIN = "meet.localhost"
JID = "dgygpwzujpp8jbx3e8ztmmm4@meet.localhost/ps7s_7PI-rZt"

# Frames as Prosody 0.12 sends them (tests/vectors/captured-p2p-ljm-2021/peer0-*.txt).
SERVER_OPEN = ("<open version='1.0' id='2534f638' xml:lang='en' "
               "xmlns='urn:ietf:params:xml:ns:xmpp-framing' from='meet.localhost'/>")
FEATURES_ANONYMOUS = ("<stream:features xmlns:stream='http://etherx.jabber.org/streams' "
                      "xmlns='jabber:client'><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
                      "<mechanism>ANONYMOUS</mechanism></mechanisms></stream:features>")
FEATURES_PASSWORD = ("<stream:features xmlns:stream='http://etherx.jabber.org/streams' "
                     "xmlns='jabber:client'><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
                     "<mechanism>PLAIN</mechanism><mechanism>SCRAM-SHA-1</mechanism>"
                     "</mechanisms></stream:features>")
SUCCESS = "<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>"
FEATURES_BIND = ("<stream:features xmlns:stream='http://etherx.jabber.org/streams' "
                 "xmlns='jabber:client'><c hash='sha-1' xmlns='http://jabber.org/protocol/caps' "
                 "ver='vTtfplB+YWPkyV94gu3tGTQYjc8=' node='http://prosody.im'/>"
                 "<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><required/></bind>"
                 "<session xmlns='urn:ietf:params:xml:ns:xmpp-session'><optional/></session>"
                 "</stream:features>")
FEATURES_BIND_SESSION_REQUIRED = FEATURES_BIND.replace("<optional/>", "")


def bind_result(iq_id: str, jid: str = JID) -> str:
    return (f"<iq type='result' xmlns='jabber:client' id='{iq_id}'><bind "
            f"xmlns='urn:ietf:params:xml:ns:xmpp-bind'><jid>{jid}</jid></bind></iq>")


def last_id(frame: str) -> str:
    return parse_xml(frame).get("id") or ""


def anonymous_session(**kwargs) -> XmppStream:
    """A stream taken through anonymous login and bind at t=0; outgoing and events drained."""
    stream = XmppStream(DOMAIN, **kwargs)
    stream.start(0.0)
    stream.receive(SERVER_OPEN, 0.0)
    stream.receive(FEATURES_ANONYMOUS, 0.0)
    stream.receive(SUCCESS, 0.0)
    stream.receive(SERVER_OPEN, 0.0)
    stream.receive(FEATURES_BIND, 0.0)
    [*_, bind] = stream.take_outgoing()
    stream.receive(bind_result(last_id(bind)), 0.0)
    assert stream.take_events() == [StreamReady(Jid.parse(JID))]
    assert stream.take_outgoing() == []
    return stream


def closed_error(stream: XmppStream):
    events = stream.take_events()
    assert isinstance(events[-1], StreamClosed), events
    assert stream.state is StreamState.CLOSED
    return events[-1].error


# --- login ---------------------------------------------------------------------------

def test_anonymous_login_opens_authenticates_restarts_and_binds():
    stream = XmppStream(DOMAIN)
    stream.start(0.0)
    [opening] = stream.take_outgoing()
    assert opening == f'<open xmlns="{NS_FRAMING}" to="meet.localhost" version="1.0"/>'

    stream.receive(SERVER_OPEN, 0.0)
    assert stream.take_outgoing() == []
    stream.receive(FEATURES_ANONYMOUS, 0.0)
    assert stream.take_outgoing() == [f'<auth xmlns="{NS_SASL}" mechanism="ANONYMOUS"/>']

    stream.receive(SUCCESS, 0.0)
    assert stream.take_outgoing() == [opening]  # the stream restart
    stream.receive(SERVER_OPEN, 0.0)
    stream.receive(FEATURES_BIND, 0.0)
    [bind] = stream.take_outgoing()
    bind_el = parse_xml(bind)
    assert bind_el.tag == f"{{{NS_CLIENT}}}iq" and bind_el.get("type") == "set"
    assert bind.startswith('<iq xmlns="jabber:client"')
    assert stream.take_events() == []

    stream.receive(bind_result(bind_el.get("id")), 0.0)
    assert stream.take_events() == [StreamReady(Jid.parse(JID))]
    assert stream.jid == Jid.parse(JID)
    assert stream.state is StreamState.READY
    assert stream.take_outgoing() == []  # the optional session IQ is skipped, like Strophe


def test_replaying_prosodys_captured_login_frames_ends_bound(captured_p2p):
    lines = (captured_p2p / "peer0-initiator-all-xmpp.txt").read_text().splitlines()
    incoming = [line.split(" in  ", 1)[1] for line in lines if " in  " in line]
    stream = XmppStream(DOMAIN)
    stream.start(0.0)
    for frame in incoming:
        if "_bind_auth_2" in frame:
            frame = frame.replace("_bind_auth_2", last_id(stream.take_outgoing()[-1]))
        stream.receive(frame, 0.0)
        if stream.jid is not None:
            break
    assert stream.take_events()[0] == StreamReady(Jid.parse(JID))


def test_a_server_insisting_on_a_session_gets_the_session_iq_before_ready():
    stream = XmppStream(DOMAIN)
    stream.start(0.0)
    for frame in (SERVER_OPEN, FEATURES_ANONYMOUS, SUCCESS, SERVER_OPEN,
                  FEATURES_BIND_SESSION_REQUIRED):
        stream.receive(frame, 0.0)
    [*_, bind] = stream.take_outgoing()
    stream.receive(bind_result(last_id(bind)), 0.0)
    [session] = stream.take_outgoing()
    assert "urn:ietf:params:xml:ns:xmpp-session" in session
    assert stream.take_events() == []
    stream.receive(f"<iq type='result' xmlns='jabber:client' id='{last_id(session)}'/>", 0.0)
    assert stream.take_events() == [StreamReady(Jid.parse(JID))]


class ScramServer:
    """The server side of RFC 5802, written from the RFC's formulas for this test."""

    def __init__(self, password: str, salt: bytes = b"pepper", iterations: int = 4096) -> None:
        self.salted = hashlib.pbkdf2_hmac("sha1", password.encode(), salt, iterations)
        self.salt, self.iterations = salt, iterations

    def first(self, client_first: bytes) -> bytes:
        self.client_first_bare = client_first.split(b",", 2)[2]
        nonce = dict(p.split(b"=", 1) for p in self.client_first_bare.split(b","))[b"r"]
        self.server_first = (b"r=" + nonce + b"SRV,s=" + base64.b64encode(self.salt)
                             + b",i=" + str(self.iterations).encode())
        return self.server_first

    def final(self, client_final: bytes) -> bytes | None:
        without_proof, _, proof = client_final.rpartition(b",p=")
        auth = self.client_first_bare + b"," + self.server_first + b"," + without_proof
        client_key = hmac.digest(self.salted, b"Client Key", "sha1")
        signature = hmac.digest(hashlib.sha1(client_key).digest(), auth, "sha1")
        expected = bytes(a ^ b for a, b in zip(client_key, signature))
        if base64.b64decode(proof) != expected:
            return None
        return b"v=" + base64.b64encode(hmac.digest(hmac.digest(self.salted, b"Server Key", "sha1"),
                                                    auth, "sha1"))


def sasl_payload(frame: str) -> bytes:
    return base64.b64decode(parse_xml(frame).text or "")


def scram_login(password_typed: str, password_on_server: str) -> XmppStream:
    server = ScramServer(password_on_server)
    stream = XmppStream("auth.meet.localhost", credentials=Credentials("host", password_typed),
                        secure=False)
    stream.start(0.0)
    stream.receive(SERVER_OPEN, 0.0)
    stream.receive(FEATURES_PASSWORD, 0.0)
    [_, auth] = stream.take_outgoing()
    assert 'mechanism="SCRAM-SHA-1"' in auth
    challenge = base64.b64encode(server.first(sasl_payload(auth))).decode()
    stream.receive(f"<challenge xmlns='{NS_SASL}'>{challenge}</challenge>", 0.0)
    [response] = stream.take_outgoing()
    outcome = server.final(sasl_payload(response))
    if outcome is None:
        stream.receive(f"<failure xmlns='{NS_SASL}'><not-authorized/>"
                       "<text>Invalid username or password</text></failure>", 0.0)
    else:
        stream.receive(f"<success xmlns='{NS_SASL}'>{base64.b64encode(outcome).decode()}</success>",
                       0.0)
    return stream


def test_scram_login_proves_the_password_and_restarts_the_stream():
    stream = scram_login("richtig", "richtig")
    assert stream.state is StreamState.OPENING
    assert stream.take_outgoing() == [
        f'<open xmlns="{NS_FRAMING}" to="auth.meet.localhost" version="1.0"/>']
    assert stream.take_events() == []


def test_a_wrong_password_ends_the_stream_with_an_authentication_error():
    stream = scram_login("falsch", "richtig")
    error = closed_error(stream)
    assert isinstance(error, AuthenticationError)
    assert error.condition == "not-authorized"
    assert error.text == "Invalid username or password"
    assert stream.take_outgoing() == [f'<close xmlns="{NS_FRAMING}"/>']


def test_a_guest_where_only_accounts_may_log_in_gets_a_typed_error():
    stream = XmppStream(DOMAIN)
    stream.start(0.0)
    stream.receive(SERVER_OPEN, 0.0)
    stream.receive(FEATURES_PASSWORD, 0.0)
    assert isinstance(closed_error(stream), AnonymousLoginRefusedError)


def test_a_refused_token_keeps_the_servers_reason_text():
    stream = XmppStream(DOMAIN)
    stream.start(0.0)
    stream.receive(SERVER_OPEN, 0.0)
    stream.receive(FEATURES_ANONYMOUS, 0.0)
    stream.receive(f"<failure xmlns='{NS_SASL}'><not-allowed/><text>token expired</text></failure>",
                   0.0)
    error = closed_error(stream)
    assert isinstance(error, AuthenticationError)
    assert (error.condition, error.text) == ("not-allowed", "token expired")


def test_plain_login_is_used_only_where_it_is_safe():
    features = FEATURES_PASSWORD.replace("<mechanism>SCRAM-SHA-1</mechanism>", "")
    stream = XmppStream(DOMAIN, credentials=Credentials("host", "pw"), secure=True)
    stream.start(0.0)
    stream.receive(SERVER_OPEN, 0.0)
    stream.receive(features, 0.0)
    [_, auth] = stream.take_outgoing()
    assert 'mechanism="PLAIN"' in auth and sasl_payload(auth) == b"\0host\0pw"

    insecure = XmppStream(DOMAIN, credentials=Credentials("host", "pw"), secure=False)
    insecure.start(0.0)
    insecure.receive(SERVER_OPEN, 0.0)
    insecure.receive(features, 0.0)
    assert insecure.take_outgoing()[-1] == f'<close xmlns="{NS_FRAMING}"/>'
    assert closed_error(insecure).kind == "auth-unsupported"


# --- IQs -------------------------------------------------------------------------------

def test_iq_round_trip_gives_the_result_to_the_request_id():
    stream = anonymous_session()
    request = el("iq", {"type": "get", "to": "focus.meet.localhost"}, el("{urn:x:test}query"))
    iq_id = stream.send_iq(request, 1.0, timeout_s=5.0)
    [frame] = stream.take_outgoing()
    assert parse_xml(frame).get("id") == iq_id and 'xmlns="jabber:client"' in frame
    reply = f"<iq xmlns='jabber:client' type='result' id='{iq_id}' from='focus.meet.localhost'/>"
    stream.receive(reply, 1.1)
    [answered] = stream.take_events()
    assert isinstance(answered, IqAnswered) and answered.iq_id == iq_id
    assert answered.stanza.get("from") == "focus.meet.localhost"
    assert stream.deadline() == 10.0  # only the keep-alive check is left


def test_a_reply_from_someone_we_did_not_ask_is_ignored():
    stream = anonymous_session()
    iq_id = stream.send_iq(el("iq", {"type": "get", "to": "focus.meet.localhost"}), 1.0, 5.0)
    spoofed = f"<iq xmlns='jabber:client' type='result' id='{iq_id}' from='evil@meet.localhost/x'/>"
    stream.receive(spoofed, 1.1)
    assert stream.take_events() == []
    assert stream.deadline() == 6.0  # still waiting


def test_a_reply_to_an_iq_without_to_may_come_from_the_server_or_no_one():
    stream = anonymous_session()
    first = stream.send_iq(el("iq", {"type": "get"}), 1.0, 5.0)
    second = stream.send_iq(el("iq", {"type": "get"}), 1.0, 5.0)
    stream.receive(f"<iq xmlns='jabber:client' type='result' id='{first}'/>", 1.1)
    stream.receive(f"<iq xmlns='jabber:client' type='result' id='{second}' "
                   f"from='dgygpwzujpp8jbx3e8ztmmm4@meet.localhost'/>", 1.1)
    assert [e.iq_id for e in stream.take_events()] == [first, second]


def test_iq_error_is_reported_with_condition_type_and_text(protocol_examples):
    stream = anonymous_session()
    iq_id = stream.send_iq(el("iq", {"type": "get", "to": "$MY_DOMAIN".lower()}), 0.0, 5.0)
    vector = (protocol_examples / "extdisco-services-error-no-module.xml").read_text()
    [error_iq] = re.findall(r"<iq id='[^']+' to=.*?</iq>", vector)
    error_iq = error_iq.replace("03244ffd-929f-4ce1-98d4-995ee7e5a216", iq_id)
    stream.receive(error_iq, 0.5)
    [failed] = stream.take_events()
    assert isinstance(failed, IqFailed) and failed.iq_id == iq_id
    assert (failed.error.condition, failed.error.error_type) == ("service-unavailable", "cancel")
    assert failed.error.element is not None


def test_an_unanswered_iq_times_out_at_its_deadline():
    stream = anonymous_session()
    iq_id = stream.send_iq(el("iq", {"type": "set", "to": "focus.meet.localhost"}), 2.0, 3.0)
    stream.take_outgoing()
    assert stream.deadline() == 5.0
    stream.handle_timer(4.999)
    assert stream.take_events() == []
    stream.handle_timer(5.0)
    assert stream.take_events() == [IqTimedOut(iq_id)]
    late = f"<iq xmlns='jabber:client' type='result' id='{iq_id}' from='focus.meet.localhost'/>"
    stream.receive(late, 6.0)
    assert stream.take_events() == []  # a late answer is dropped


def test_send_iq_refuses_results_and_early_use():
    stream = XmppStream(DOMAIN)
    with pytest.raises(LocalProtocolError):
        stream.send_iq(el("iq", {"type": "get"}), 0.0, 1.0)
    ready = anonymous_session()
    with pytest.raises(LocalProtocolError):
        ready.send_iq(el("iq", {"type": "result"}), 0.0, 1.0)
    with pytest.raises(LocalProtocolError):
        XmppStream(DOMAIN).send(el("message"))


# --- incoming stanzas and pings ------------------------------------------------------------

def test_a_ping_to_us_is_answered_and_not_passed_on():
    stream = anonymous_session()
    stream.receive("<iq xmlns='jabber:client' type='get' id='p1' from='meet.localhost' "
                   f"to='{JID}'><ping xmlns='{NS_PING}'/></iq>", 1.0)
    assert stream.take_events() == []
    [reply] = stream.take_outgoing()
    assert reply == '<iq xmlns="jabber:client" type="result" id="p1" to="meet.localhost"/>'


def test_messages_presences_and_other_iqs_are_passed_on():
    stream = anonymous_session()
    frames = ["<message xmlns='jabber:client' from='r@conference.meet.localhost/a' type='groupchat'>"
              "<body>Hallo</body></message>",
              "<presence xmlns='jabber:client' from='r@conference.meet.localhost/a'/>",
              "<iq xmlns='jabber:client' type='set' id='j1' from='r@conference.meet.localhost/a'>"
              "<jingle xmlns='urn:xmpp:jingle:1' action='session-initiate'/></iq>"]
    for frame in frames:
        stream.receive(frame, 1.0)
    events = stream.take_events()
    assert [type(e) for e in events] == [StanzaReceived] * 3
    assert [e.stanza.tag for e in events] == [f"{{{NS_CLIENT}}}{t}" for t in
                                              ("message", "presence", "iq")]
    assert stream.take_outgoing() == []  # the adapter decides how to answer the IQ


def test_keepalive_ping_goes_to_the_domain_every_interval_without_traffic():
    stream = anonymous_session()
    assert stream.deadline() == 10.0
    stream.handle_timer(10.0)
    [ping] = stream.take_outgoing()
    ping_el = parse_xml(ping)
    assert ping_el.get("to") == DOMAIN and ping_el.find(f"{{{NS_PING}}}ping") is not None
    assert stream.deadline() == 15.0  # the ping's own timeout
    stream.receive(f"<iq xmlns='jabber:client' type='result' id='{ping_el.get('id')}' "
                   f"from='{DOMAIN}'/>", 10.2)
    assert stream.take_events() == []  # pings are the stream's own business
    assert stream.deadline() == 20.0


def test_no_keepalive_ping_while_traffic_arrives():
    stream = anonymous_session()
    stream.receive("<presence xmlns='jabber:client' from='r@conference.meet.localhost/a'/>", 5.0)
    stream.take_events()
    stream.handle_timer(10.0)
    assert stream.take_outgoing() == []
    stream.handle_timer(20.0)  # nothing arrived since the last check
    assert len(stream.take_outgoing()) == 1


def test_two_unanswered_keepalive_pings_end_the_stream():
    stream = anonymous_session()
    stream.handle_timer(10.0)  # ping 1
    stream.handle_timer(15.0)  # ping 1 times out
    assert stream.state is StreamState.READY
    stream.handle_timer(20.0)  # ping 2
    stream.handle_timer(25.0)  # ping 2 times out: the server is gone
    error = closed_error(stream)
    assert isinstance(error, ConnectionLostError) and "pings" in str(error.details)
    assert stream.deadline() is None


def test_an_error_answer_to_a_keepalive_ping_still_proves_liveness():
    stream = anonymous_session()
    stream.handle_timer(10.0)
    ping = parse_xml(stream.take_outgoing()[0])
    stream.handle_timer(15.0)  # missed once
    stream.handle_timer(20.0)
    ping = parse_xml(stream.take_outgoing()[-1])
    stream.receive(f"<iq xmlns='jabber:client' type='error' id='{ping.get('id')}' from='{DOMAIN}'>"
                   "<error type='cancel'><feature-not-implemented "
                   "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>", 20.1)
    stream.handle_timer(30.0)
    stream.handle_timer(40.0)
    stream.handle_timer(45.0)  # one miss after the reset is not yet fatal
    assert stream.state is StreamState.READY


# --- the end -------------------------------------------------------------------------------

def test_clean_close_waits_for_the_servers_close():
    stream = anonymous_session()
    stream.close(3.0)
    assert stream.take_outgoing() == [f'<close xmlns="{NS_FRAMING}"/>']
    assert stream.state is StreamState.CLOSING
    stream.receive(f"<close xmlns='{NS_FRAMING}'/>", 3.1)
    assert stream.take_events() == [StreamClosed(None)]
    stream.close(4.0)  # idempotent
    assert stream.take_outgoing() == [] and stream.take_events() == []


def test_clean_close_gives_up_waiting_after_the_close_timeout():
    stream = anonymous_session()
    stream.close(3.0)
    stream.take_outgoing()
    assert stream.deadline() == 5.0
    stream.handle_timer(5.0)
    assert stream.take_events() == [StreamClosed(None)]


def test_stream_error_from_the_server_is_typed():
    stream = XmppStream(DOMAIN)
    stream.start(0.0)
    stream.take_outgoing()
    stream.receive("<stream:error xmlns:stream='http://etherx.jabber.org/streams'>"
                   "<host-unknown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"
                   "<text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>This server does not serve "
                   "meet.jitsi</text></stream:error>", 0.1)
    error = closed_error(stream)
    assert isinstance(error, StreamError)
    assert error.condition == "host-unknown" and "does not serve" in error.text
    assert stream.take_outgoing() == [f'<close xmlns="{NS_FRAMING}"/>']
    stream.receive(f"<close xmlns='{NS_FRAMING}'/>", 0.2)  # after the end: ignored
    assert stream.take_events() == []


def test_see_other_uri_is_a_redirect_error_with_the_address():
    stream = anonymous_session()
    stream.receive(f"<close xmlns='{NS_FRAMING}' see-other-uri='wss://other.example/xmpp-websocket'/>",
                   1.0)
    error = closed_error(stream)
    assert isinstance(error, StreamRedirectError)
    assert error.uri == "wss://other.example/xmpp-websocket"


def test_an_unannounced_server_close_is_a_lost_connection():
    stream = anonymous_session()
    stream.receive(f"<close xmlns='{NS_FRAMING}'/>", 1.0)
    assert isinstance(closed_error(stream), ConnectionLostError)
    assert stream.take_outgoing() == [f'<close xmlns="{NS_FRAMING}"/>']


def test_connection_lost_without_close_is_an_error_but_after_our_close_it_is_not():
    stream = anonymous_session()
    stream.connection_lost()
    assert isinstance(closed_error(stream), ConnectionLostError)
    closing = anonymous_session()
    closing.close(1.0)
    closing.connection_lost()
    assert closing.take_events() == [StreamClosed(None)]


BILLION_LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
                  '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
                  "<message xmlns='jabber:client'><body>&lol3;</body></message>")
HOSTILE_FRAMES = {
    "entity bomb": BILLION_LAUGHS,
    "external entity": ('<!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                        "<message xmlns='jabber:client'><body>&x;</body></message>"),
    "plain DTD": "<!DOCTYPE message><message xmlns='jabber:client'/>",
    "not XML": "HTTP/1.1 200 OK\r\n\r\n<html>",
    "two roots": "<message xmlns='jabber:client'/><message xmlns='jabber:client'/>",
    "truncated": "<message xmlns='jabber:client'><body>Hal",
    "oversized": "<message xmlns='jabber:client'><body>" + "x" * 600_000 + "</body></message>",
    "empty": "",
}


@pytest.mark.parametrize("name", sorted(HOSTILE_FRAMES))
def test_hostile_frames_close_the_stream_with_a_remote_protocol_error(name):
    stream = anonymous_session()
    stream.receive(HOSTILE_FRAMES[name], 1.0)
    error = closed_error(stream)
    assert isinstance(error, RemoteProtocolError), error
    assert stream.take_outgoing() == [f'<close xmlns="{NS_FRAMING}"/>']
    stream.receive("<message xmlns='jabber:client'/>", 1.1)  # nothing after the end
    assert stream.take_events() == []


@pytest.mark.parametrize("frame", [
    "<html xmlns='http://www.w3.org/1999/xhtml'/>",                         # wrong root
    "<stream:stream xmlns:stream='http://etherx.jabber.org/streams'/>",    # TCP framing
    FEATURES_ANONYMOUS,                                                     # features before open
])
def test_anything_but_open_as_the_first_frame_is_refused(frame):
    stream = XmppStream(DOMAIN)
    stream.start(0.0)
    stream.take_outgoing()
    stream.receive(frame, 0.1)
    assert isinstance(closed_error(stream), RemoteProtocolError)


@pytest.mark.parametrize("frame", [
    f"<success xmlns='{NS_SASL}'/>",                                       # success without auth
    "<iq xmlns='jabber:client' type='result' id='x'/>",                    # stanza before login
    f"<challenge xmlns='{NS_SASL}'>not base64!</challenge>",
    "<stream:features xmlns:stream='http://etherx.jabber.org/streams'/>",  # no mechanisms
])
def test_out_of_order_negotiation_is_refused(frame):
    stream = XmppStream(DOMAIN)
    stream.start(0.0)
    stream.receive(SERVER_OPEN, 0.0)
    if "challenge" in frame:
        stream.receive(FEATURES_ANONYMOUS, 0.0)
    stream.take_outgoing()
    stream.receive(frame, 0.1)
    assert isinstance(closed_error(stream), RemoteProtocolError)


def test_bind_result_without_a_full_jid_is_refused():
    stream = XmppStream(DOMAIN)
    stream.start(0.0)
    for frame in (SERVER_OPEN, FEATURES_ANONYMOUS, SUCCESS, SERVER_OPEN, FEATURES_BIND):
        stream.receive(frame, 0.0)
    bind = stream.take_outgoing()[-1]
    stream.receive(bind_result(last_id(bind), jid="meet.localhost"), 0.0)
    assert isinstance(closed_error(stream), RemoteProtocolError)


def test_stanza_error_helpers_round_trip():
    request = parse_xml("<iq xmlns='jabber:client' type='set' id='q' from='a@b/c'/>")
    reply = iq_error(request, "item-not-found", error_type="modify", text="gone")
    info = parse_stanza_error(reply)
    assert (info.error_type, info.condition, info.text) == ("modify", "item-not-found", "gone")
    assert reply.get("to") == "a@b/c" and reply.get("id") == "q"


# --- the asyncio adapter over a scripted WebSocket server on loopback ---------------------

Script = Callable[[ServerConnection], Awaitable[None]]


async def server_login(ws: ServerConnection) -> None:
    """Prosody's side of an anonymous login, frame by frame."""
    assert "open" in await ws.recv()
    await ws.send(SERVER_OPEN)
    await ws.send(FEATURES_ANONYMOUS)
    assert "ANONYMOUS" in await ws.recv()
    await ws.send(SUCCESS)
    assert "open" in await ws.recv()
    await ws.send(SERVER_OPEN)
    await ws.send(FEATURES_BIND)
    await ws.send(bind_result(last_id(await ws.recv())))


async def run_with_server(script: Script, scenario: Callable[[str], Awaitable[None]],
                          **serve_options) -> None:
    async def handler(ws: ServerConnection) -> None:
        try:
            await script(ws)
        except Exception:  # the client went away mid-script; the scenario asserts on that
            pass

    options = {"subprotocols": ["xmpp"], **serve_options}
    async with serve(handler, "127.0.0.1", 0, **options) as server:
        port = server.sockets[0].getsockname()[1]
        await asyncio.wait_for(scenario(f"ws://127.0.0.1:{port}/xmpp-websocket?room=r"), 20)


def connect_to(url: str, **kwargs) -> Awaitable[XmppClient]:
    return XmppClient.connect(url, DOMAIN, trust=TrustSettings(), **kwargs)


def test_client_logs_in_and_answers_unclaimed_iqs_even_if_a_handler_breaks():
    replies: asyncio.Queue[str] = asyncio.Queue()

    async def script(ws: ServerConnection) -> None:
        await server_login(ws)
        await ws.send("<iq xmlns='jabber:client' type='set' id='u1' from='x@meet.localhost/y'>"
                      "<unknown xmlns='urn:x'/></iq>")
        await ws.send("<iq xmlns='jabber:client' type='get' id='d1' from='x@meet.localhost/y'>"
                      "<query xmlns='http://jabber.org/protocol/disco#info'/></iq>")
        async for frame in ws:
            await replies.put(frame)

    async def scenario(url: str) -> None:
        client = await connect_to(url)
        assert str(client.jid) == JID
        client.add_handler(lambda stanza: 1 / 0)  # a broken handler is logged and skipped
        first, second = await replies.get(), await replies.get()
        assert "service-unavailable" in first and "id=\"u1\"" in first
        assert "disco#info" in second and 'type="result"' in second
        await client.close()

    asyncio.run(run_with_server(script, scenario))


def test_iq_timeout_and_lost_connection_reach_the_waiting_callers():
    async def script(ws: ServerConnection) -> None:
        await server_login(ws)
        await ws.recv()           # the IQ that will time out
        await ws.recv()           # the IQ that is pending when we drop the connection
        ws.transport.abort()      # no close frame, no <close/>

    async def scenario(url: str) -> None:
        client = await connect_to(url)
        with pytest.raises(IqTimeoutError):
            await client.iq(el("iq", {"type": "get", "to": DOMAIN}), timeout_s=0.2)
        with pytest.raises(ConnectionLostError):
            await client.iq(el("iq", {"type": "get", "to": DOMAIN}), timeout_s=10)
        assert isinstance(await client.closed, ConnectionLostError)
        with pytest.raises(ConnectionLostError):
            await client.iq(el("iq", {"type": "get", "to": DOMAIN}))
        client.send(el("message"))  # after the end: silently nothing
        await client.close()

    asyncio.run(run_with_server(script, scenario))


@pytest.mark.parametrize("frame,reason", [
    (b"<message xmlns='jabber:client'/>", "binary"),
    ("<message xmlns='jabber:client'><body>" + "x" * 1_100_000 + "</body></message>", "frame over"),
    (BILLION_LAUGHS, "forbidden"),
])
def test_hostile_frames_on_the_wire_end_the_connection_with_a_clear_error(frame, reason):
    async def script(ws: ServerConnection) -> None:
        await server_login(ws)
        await ws.send(frame)
        async for _ in ws:
            pass

    async def scenario(url: str) -> None:
        client = await connect_to(url)
        error = await client.closed
        assert isinstance(error, RemoteProtocolError) and reason in str(error)
        await client.close()

    asyncio.run(run_with_server(script, scenario, max_size=None))


def test_a_stream_redirect_is_followed_once():
    redirected: list[str] = []

    async def scenario(real_url: str) -> None:
        async def redirect(ws: ServerConnection) -> None:
            redirected.append(await ws.recv())
            await ws.send(SERVER_OPEN)
            await ws.send(f"<close xmlns='{NS_FRAMING}' see-other-uri='{real_url}'/>")

        async def via_redirect(redirect_url: str) -> None:
            client = await connect_to(redirect_url)
            assert str(client.jid) == JID
            await client.close()

        await run_with_server(redirect, via_redirect)

    asyncio.run(run_with_server(server_login, scenario))
    assert len(redirected) == 1


def test_a_server_without_the_xmpp_subprotocol_is_refused():
    async def scenario(url: str) -> None:
        with pytest.raises(RemoteProtocolError, match="subprotocol"):
            await connect_to(url)

    asyncio.run(run_with_server(server_login, scenario, subprotocols=None))


def test_http_404_means_this_is_not_a_jitsi_websocket():
    def not_found(connection, request):  # noqa: ANN001
        return Response(404, "Not Found", Headers(), b"no such page")

    async def scenario(url: str) -> None:
        with pytest.raises(NotJitsiServerError):
            await connect_to(url)

    asyncio.run(run_with_server(server_login, scenario, process_request=not_found))


def test_a_server_that_never_finishes_the_login_times_out_as_unreachable():
    async def silent(ws: ServerConnection) -> None:
        async for _ in ws:
            pass

    async def scenario(url: str) -> None:
        with pytest.raises(ServerUnreachableError):
            await connect_to(url, timeout_s=0.5)

    asyncio.run(run_with_server(silent, scenario))
