"""The conference request to Jicofo: what we send, what we understand, what we do next."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from client.errors import (FocusUnavailableError, RedirectUnsupportedError, RemoteProtocolError,
                           ReservationError)
from client.jitsi.focus import (AskAgain, ConferenceRequest, FocusError, FocusNegotiation,
                                FocusRefusal, FocusResult, GiveUp, JoinNow, WaitForHost,
                                backoff_delay_s, logout_iq, new_machine_uid)
from client.jitsi.ns import NS_JITSI_FOCUS
from client.jitsi.stanza import Jid, parse_xml, serialize_stanza

ROOM = Jid.parse("bürgersprechstunde@conference.meet.localhost")
UID = "0123456789abcdef0123456789abcdef"


def load(examples, name: str):
    return parse_xml((examples / name).read_text(encoding="utf-8"))


def test_request_iq_is_what_lib_jitsi_meet_sends():
    iq = ConferenceRequest(ROOM, UID).to_iq("focus.meet.localhost")
    wire = parse_xml(serialize_stanza(iq))
    assert wire.tag == "{jabber:client}iq"
    assert wire.get("type") == "set" and wire.get("to") == "focus.meet.localhost"
    assert wire.get("id")
    [conference] = list(wire)
    assert conference.tag == f"{{{NS_JITSI_FOCUS}}}conference"
    assert conference.get("room") == str(ROOM)
    assert conference.get("machine-uid") == UID
    assert conference.get("session-id") is None and conference.get("token") is None
    props = [(p.get("name"), p.get("value")) for p in conference]
    # rtcstats is switched off explicitly; no visitors-version, so Jicofo never redirects us
    assert props == [("rtcstatsEnabled", "false")]


def test_request_carries_session_token_and_start_muted_when_given():
    request = ConferenceRequest(ROOM, UID, session_id="s-1", token="jwt", start_audio_muted=3,
                                start_video_muted=5)
    conference = request.to_iq("focus.x").find(f"{{{NS_JITSI_FOCUS}}}conference")
    assert conference.get("session-id") == "s-1" and conference.get("token") == "jwt"
    props = {p.get("name"): p.get("value") for p in conference}
    assert props == {"startAudioMuted": "3", "startVideoMuted": "5", "rtcstatsEnabled": "false"}


def test_http_body_matches_the_json_form():
    body = ConferenceRequest(ROOM, UID, session_id="abc").to_json()
    assert body == {"room": str(ROOM), "machineUid": UID, "sessionId": "abc",
                    "properties": {"rtcstatsEnabled": "false"}}
    assert json.loads(json.dumps(body)) == body


def test_real_result_with_vnode_parses(protocol_examples):
    result = FocusResult.from_element(load(protocol_examples, "focus-conference-result.xml"))
    assert result.ready is True
    assert result.focus_jid == "focus@auth.meet.jitsi"
    assert result.vnode == "v1"
    assert result.room == "roomtest@conference.focus.exmaple.com"
    assert result.properties == {"authentication": "false", "sipGatewayEnabled": "true"}
    assert result.authentication_enabled is False


def test_doc_result_with_camel_case_focus_jid_still_parses(protocol_examples):
    iq = load(protocol_examples, "focus-conference-result-doc.xml")
    result = FocusResult.from_iq(iq)
    assert result.ready and result.focus_jid == "jicofo@v1.example.com"
    assert result.properties == {"sipGatewayEnabled": "true"}


def test_vnode_redirect_is_refused_clearly(protocol_examples):
    result = FocusResult.from_element(load(protocol_examples, "focus-conference-result.xml"))
    decision = FocusNegotiation(ConferenceRequest(ROOM, UID)).on_result(result)
    assert isinstance(decision, GiveUp) and isinstance(decision.error, RedirectUnsupportedError)


def test_result_without_conference_is_a_remote_protocol_error():
    with pytest.raises(RemoteProtocolError):
        FocusResult.from_iq(parse_xml("<iq xmlns='jabber:client' type='result'/>"))


def test_json_answer_parses_like_jicofo_serialises_it():
    result = FocusResult.from_json(json.dumps({
        "ready": True, "focusJid": "jicofo@v1.example.com", "vnode": None,
        "sessionId": "s", "properties": {"sipGatewayEnabled": True, "authentication": "true"}}))
    assert result.ready and result.focus_jid == "jicofo@v1.example.com"
    assert result.session_id == "s" and result.vnode is None
    assert result.properties == {"sipGatewayEnabled": "true", "authentication": "true"}
    assert result.authentication_enabled


@pytest.mark.parametrize("body", ["", "[1,2]", "nul", "{\"ready\": 1", '"x"', "[" * 5000])
def test_bad_json_answers_raise_remote_protocol_error(body):
    with pytest.raises(RemoteProtocolError):
        FocusResult.from_json(body)


def test_not_ready_backs_off_like_the_lib_and_resets_when_ready():
    negotiation = FocusNegotiation(ConferenceRequest(ROOM, UID))
    delays = [negotiation.on_result(FocusResult(ready=False)).delay_s for _ in range(10)]
    assert delays == [1, 2, 4, 8, 16, 32, 64, 120, 120, 120]
    assert isinstance(negotiation.on_result(FocusResult(ready=True, focus_jid="f@auth.x")), JoinNow)
    assert negotiation.on_result(FocusResult(ready=False)) == AskAgain(1, "not-ready")


def test_backoff_is_capped_for_absurd_attempt_numbers():
    assert backoff_delay_s(10_000) == 120
    assert backoff_delay_s(0) == 1


def test_focus_is_recognised_by_real_jid_prefix_only():
    negotiation = FocusNegotiation(ConferenceRequest(ROOM, UID))
    negotiation.on_result(FocusResult(ready=True, focus_jid="focus@auth.meet.localhost"))
    assert negotiation.is_focus("focus@auth.meet.localhost/focus")
    assert negotiation.is_focus(Jid.parse("Focus@auth.meet.localhost/abc"))
    assert not negotiation.is_focus("focus@auth.meet.localhost")
    assert not negotiation.is_focus("focus@auth.meet.localhost.evil/x")
    assert not negotiation.is_focus(None)


def _error_iq(inner: str) -> ET.Element:
    return parse_xml(f"<iq xmlns='jabber:client' type='error'><error type='cancel'>{inner}</error></iq>")


def test_not_authorized_means_waiting_for_the_host():
    error = FocusError.from_iq(_error_iq(
        "<not-authorized xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
        "<text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>not authorized user domain</text>"))
    assert error.refusal == FocusRefusal.NOT_AUTHORIZED and error.text == "not authorized user domain"
    assert FocusNegotiation(ConferenceRequest(ROOM, UID)).on_error(error) == WaitForHost(5.0)


def test_session_invalid_drops_the_session_and_retries_until_a_minute():
    negotiation = FocusNegotiation(ConferenceRequest(ROOM, UID, session_id="old"))
    error = FocusError.from_iq(_error_iq(
        "<not-acceptable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
        "<session-invalid xmlns='http://jitsi.org/protocol/focus'/>"))
    assert error.refusal == FocusRefusal.SESSION_INVALID
    decisions = [negotiation.on_error(error) for _ in range(7)]
    assert negotiation.request().session_id is None
    assert [d.delay_s for d in decisions[:6]] == [1, 2, 4, 8, 16, 32]
    assert isinstance(decisions[6], GiveUp) and isinstance(decisions[6].error, FocusUnavailableError)


def test_reservation_error_carries_code_and_text():
    error = FocusError.from_iq(_error_iq(
        "<reservation-error xmlns='http://jitsi.org/protocol/focus' error-code='403'/>"
        "<text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>No reservation</text>"))
    decision = FocusNegotiation(ConferenceRequest(ROOM, UID)).on_error(error)
    assert isinstance(decision, GiveUp) and isinstance(decision.error, ReservationError)
    assert decision.error.details["code"] == "403" and decision.error.details["text"] == "No reservation"


@pytest.mark.parametrize("inner", [
    "<service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>",
    "<remote-server-timeout xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>",
    "<bad-request xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>",
    "",
])
def test_any_other_error_is_fatal_at_once(inner):
    decision = FocusNegotiation(ConferenceRequest(ROOM, UID), host="meet.localhost").on_error(
        FocusError.from_iq(_error_iq(inner)))
    assert isinstance(decision, GiveUp) and isinstance(decision.error, FocusUnavailableError)


def test_error_iq_without_error_element_is_fatal():
    assert FocusError.from_iq(parse_xml("<iq type='error'/>")).refusal == FocusRefusal.FATAL


def test_http_errors_map_like_the_lib():
    assert FocusError.from_http(403, "").refusal == FocusRefusal.NOT_AUTHORIZED
    assert FocusError.from_http(400, "HTTP 400 invalid-session").refusal == FocusRefusal.SESSION_INVALID
    assert FocusError.from_http(500, "boom").refusal == FocusRefusal.FATAL


def test_session_id_from_a_result_is_kept_for_the_next_request():
    negotiation = FocusNegotiation(ConferenceRequest(ROOM, UID))
    negotiation.on_result(FocusResult(ready=True, session_id="sess"))
    assert negotiation.request().session_id == "sess"


def test_not_live_gives_up():
    decision = FocusNegotiation(ConferenceRequest(ROOM, UID)).on_result(
        FocusResult(ready=True, properties={"live": "false"}))
    assert isinstance(decision, GiveUp)


def test_logout_iq_names_the_session():
    iq = logout_iq("focus.meet.localhost", "s-9")
    assert iq.find(f"{{{NS_JITSI_FOCUS}}}logout").get("session-id") == "s-9"


def test_machine_uid_is_32_hex_and_random():
    a, b = new_machine_uid(), new_machine_uid()
    assert len(a) == 32 and int(a, 16) >= 0 and a != b


# --- fuzz: any element shape gives a result or RemoteProtocolError ---------------------

_attr = st.one_of(st.none(), st.text(max_size=30))


@settings(max_examples=300, deadline=None)
@given(ready=_attr, focusjid=_attr, vnode=_attr, props=st.lists(st.tuples(_attr, _attr), max_size=5),
       junk=st.text(max_size=40))
def test_fuzz_conference_result(ready, focusjid, vnode, props, junk):
    conference = ET.Element(f"{{{NS_JITSI_FOCUS}}}conference")
    for key, value in (("ready", ready), ("focusjid", focusjid), ("vnode", vnode)):
        if value is not None:
            conference.set(key, value)
    for name, value in props:
        prop = ET.SubElement(conference, f"{{{NS_JITSI_FOCUS}}}property")
        if name is not None:
            prop.set("name", name)
        if value is not None:
            prop.set("value", value)
    conference.text = junk
    iq = ET.Element("iq")
    iq.append(conference)
    try:
        result = FocusResult.from_iq(iq)
    except RemoteProtocolError:
        return
    FocusNegotiation(ConferenceRequest(ROOM, UID)).on_result(result)


@settings(max_examples=300, deadline=None)
@given(st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=20)),
                    lambda inner: st.one_of(st.lists(inner, max_size=4),
                                            st.dictionaries(st.text(max_size=10), inner, max_size=4)),
                    max_leaves=20))
def test_fuzz_json_answer(value):
    try:
        FocusResult.from_json(json.dumps(value))
    except RemoteProtocolError:
        pass


@settings(max_examples=200, deadline=None)
@given(children=st.lists(st.sampled_from([
    "<not-authorized xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>",
    "<not-acceptable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>",
    "<text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>x</text>", "<text/>",
    "<reservation-error xmlns='http://jitsi.org/protocol/focus'/>",
    "<session-invalid xmlns='http://jitsi.org/protocol/focus'/>", "<foo xmlns='bar'>t</foo>"]),
    max_size=5))
def test_fuzz_error_answer(children):
    error = FocusError.from_iq(parse_xml(
        f"<iq xmlns='jabber:client' type='error'><error>{''.join(children)}</error></iq>"))
    FocusNegotiation(ConferenceRequest(ROOM, UID)).on_error(error)
