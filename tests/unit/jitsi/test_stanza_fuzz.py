"""Fuzzing: any input to the XML layer and our parsers gives a result or a
RemoteProtocolError — never another exception, never a hang.

Inputs are random text and the verbatim vectors (tests/vectors) mutated at the
byte level (breaks the XML) and at the element level (keeps it well-formed but
drops, duplicates and rewrites attributes and children, which reaches the parsers).
Every example has a deadline, so a parser that loops or explodes fails the test.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from client.errors import RemoteProtocolError, TreffpunktError
from client.jitsi.disco import Capabilities, DiscoInfo, is_disco_info_request
from client.jitsi.extdisco import ice_servers_from_json, parse_services
from client.jitsi.sasl import AuthenticationError, Credentials, ScramSha1
from client.jitsi.stanza import (Element, Jid, el, optional_jid, parse_xml, serialize,
                                  serialize_stanza)
from client.jitsi.xmpp import StreamClosed, StreamState, XmppStream, parse_stanza_error
from tests.unit.jitsi.test_xmpp import (FEATURES_ANONYMOUS, FEATURES_BIND, FEATURES_PASSWORD,
                                        SERVER_OPEN, SUCCESS, anonymous_session)

VECTORS = Path(__file__).resolve().parents[2] / "vectors"


def _vector_texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((VECTORS / "examples").glob("*.xml"))]
    texts += [p.read_text(encoding="utf-8")
              for p in sorted((VECTORS / "captured-p2p-ljm-2021").glob("*.xml"))]
    for log in sorted((VECTORS / "captured-p2p-ljm-2021").glob("*.txt")):
        for line in log.read_text(encoding="utf-8").splitlines():
            for marker in (" in  ", " out "):
                if marker in line:
                    texts.append(line.split(marker, 1)[1])
    return texts


VECTOR_TEXTS = _vector_texts()
LOGIN_FRAMES = [SERVER_OPEN, FEATURES_ANONYMOUS, FEATURES_PASSWORD, SUCCESS, FEATURES_BIND,
                "<challenge xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>cj1hYmMscz1RU1hDUixpPTQ=</challenge>",
                "<iq xmlns='jabber:client' type='result' id='bind-1'><bind "
                "xmlns='urn:ietf:params:xml:ns:xmpp-bind'><jid>a@meet.localhost/r</jid></bind></iq>"]
FUZZ = settings(max_examples=300, deadline=dt.timedelta(milliseconds=1000),
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

xml_tokens = st.sampled_from(list("<>/='\"&;! ?-:[]x") + ["<!DOCTYPE a [", "<!ENTITY e 'x'>",
                                                            "&e;", "xmlns=", "<iq", "</iq>",
                                                            "\x00", "\ud7ff", "é"])
noise = st.lists(xml_tokens, max_size=12).map("".join) | st.text(max_size=40)
# Vectors are drawn by index: a failing example then prints a number, not 150 kB of XML.
vector_text = st.integers(0, len(VECTOR_TEXTS) - 1).map(VECTOR_TEXTS.__getitem__)


@st.composite
def byte_mutated_vectors(draw: st.DrawFn) -> str:
    text = draw(vector_text)
    for _ in range(draw(st.integers(1, 4))):
        if not text:
            break
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start, min(len(text), start + 30)))
        text = text[:start] + draw(noise) + text[end:]
    return text


@st.composite
def element_mutated_vectors(draw: st.DrawFn) -> Element:
    """A well-formed vector with random attributes/children dropped, duplicated or rewritten."""
    root = parse_xml(draw(vector_text))
    if draw(st.booleans()) and len(root):
        root = copy.deepcopy(draw(st.sampled_from(list(root))))  # sometimes one inner stanza
    nodes = list(root.iter())
    for _ in range(draw(st.integers(1, 8))):
        node = draw(st.sampled_from(nodes))
        action = draw(st.sampled_from(["drop-attr", "set-attr", "drop-child", "dup-child",
                                       "text", "rename"]))
        if action == "drop-attr" and node.attrib:
            del node.attrib[draw(st.sampled_from(sorted(node.attrib)))]
        elif action == "set-attr":
            names = sorted(node.attrib) + ["type", "id", "from", "to", "host", "port", "var",
                                           "category", "node", "transport", "username", "password",
                                           "expires"]
            node.set(draw(st.sampled_from(names)), draw(noise))
        elif action == "drop-child" and len(node):
            node.remove(draw(st.sampled_from(list(node))))
        elif action == "dup-child" and len(node):
            node.append(copy.deepcopy(draw(st.sampled_from(list(node)))))
        elif action == "text":
            node.text = draw(noise)
        elif action == "rename":
            ns = node.tag[1:].partition("}")[0] if node.tag.startswith("{") else None
            local = draw(st.sampled_from(["iq", "query", "services", "service", "error", "identity",
                                          "feature", "bind", "jid", "ping", "x"]))
            node.tag = f"{{{ns}}}{local}" if ns else local
    return root


def run_parsers(element: Element) -> None:
    """Every parser of ours on ``element``: results or RemoteProtocolError only."""
    for parser in (DiscoInfo.from_element, parse_services):
        try:
            parser(element)
        except RemoteProtocolError:
            pass
    parse_stanza_error(element)
    is_disco_info_request(element)
    for node in element.iter():
        for value in node.attrib.values():
            optional_jid(value)
            try:
                Jid.parse(value)
            except RemoteProtocolError:
                pass
    if is_disco_info_request(element):
        serialize_stanza(Capabilities.signaling_only().answer(element))


def feed_ready_stream(frame: str) -> None:
    stream = anonymous_session()
    stream.receive(frame, 1.0)
    stream.handle_timer(100.0)
    events = stream.take_events()
    stream.take_outgoing()
    assert all(not isinstance(e, StreamClosed) or isinstance(e.error, TreffpunktError) or
               e.error is None for e in events)
    if stream.state is StreamState.CLOSED:
        assert any(isinstance(e, StreamClosed) for e in events)


@FUZZ
@given(st.text(max_size=300) | st.binary(max_size=300).map(lambda b: b.decode("latin-1")))
def test_random_text_into_parse_xml_gives_an_element_or_remote_protocol_error(text):
    try:
        element = parse_xml(text)
    except RemoteProtocolError:
        return
    run_parsers(element)


@FUZZ
@given(byte_mutated_vectors())
def test_byte_mutated_vectors_never_crash_the_parsers_or_the_stream(text):
    try:
        element = parse_xml(text)
    except RemoteProtocolError:
        element = None
    if element is not None:
        run_parsers(element)
    feed_ready_stream(text)


@FUZZ
@given(element_mutated_vectors())
def test_element_mutated_vectors_never_crash_the_parsers_or_the_stream(element):
    run_parsers(element)
    text = serialize(element)
    run_parsers(parse_xml(text))
    feed_ready_stream(text)


@FUZZ
@given(st.lists(st.sampled_from(LOGIN_FRAMES) | vector_text | byte_mutated_vectors(), max_size=8),
       st.booleans())
def test_a_stream_in_any_login_state_survives_any_frames(frames, with_credentials):
    credentials = Credentials("host", "pw") if with_credentials else None
    stream = XmppStream("meet.localhost", credentials=credentials)
    stream.start(0.0)
    for now, frame in enumerate(frames):
        stream.receive(frame, float(now))
        stream.handle_timer(float(now))
    stream.take_outgoing()
    events = stream.take_events()
    assert [e for e in events if isinstance(e, StreamClosed)] == (
        [events[-1]] if stream.state is StreamState.CLOSED else [])


@FUZZ
@given(st.binary(max_size=200), st.binary(max_size=200))
def test_scram_answers_any_server_messages_with_bytes_or_a_typed_error(first, final):
    scram = ScramSha1(Credentials("user", "pencil"), nonce="abc")
    scram.initial_response()
    try:
        scram.respond(b"r=abcdef,s=QSXCR+Q6sek8bf92,i=64," + first if first[:1] == b"," else first)
        scram.verify_success(final)
    except (RemoteProtocolError, AuthenticationError):
        pass


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["type", "host", "port", "transport", "username", "password", "expires",
                         "x"]), inner, max_size=7),
    max_leaves=20)


@FUZZ
@given(json_values)
def test_room_metadata_services_of_any_shape_give_a_list(value):
    assert isinstance(ice_servers_from_json(value), list)


@FUZZ
@given(st.text(max_size=60) | st.lists(st.characters(codec=None, max_codepoint=0xFFFF),
                                       max_size=20).map("".join))
def test_any_text_we_send_serialises_to_well_formed_xml(text):
    """A chat message or name with control characters must not make our frame invalid."""
    message = el("message", {"to": "r@conference.meet.localhost", "id": text},
                 el("body", text=text))
    parsed = parse_xml(serialize_stanza(message))
    expected = "".join(ch if ch in "\t\n\r" or 0x20 <= ord(ch) <= 0xD7FF
                       or 0xE000 <= ord(ch) <= 0xFFFD or ord(ch) >= 0x10000 else "\ufffd"
                       for ch in text)
    assert parsed.findtext("{jabber:client}body", default="") == expected
    assert parsed.get("id") == expected
