"""XEP-0215 results → ICE servers aiortc can use."""

from __future__ import annotations

import datetime as dt

import pytest
from aiortc import RTCIceServer
from aiortc.rtcicetransport import parse_stun_turn_uri

from client.errors import RemoteProtocolError
from client.jitsi.extdisco import (IceServer, ice_servers_from_json, parse_services,
                                   services_request)
from client.jitsi.ns import NS_EXTDISCO_1, NS_EXTDISCO_2
from client.jitsi.stanza import parse_xml, serialize


def services(*service_attrs: str, ns: str = NS_EXTDISCO_2) -> str:
    body = "".join(f"<service {attrs}/>" for attrs in service_attrs)
    return f"<iq xmlns='jabber:client' type='result'><services xmlns='{ns}'>{body}</services></iq>"


def test_the_xep_0215_example_gives_its_stun_and_turn_servers_and_drops_ftp(protocol_examples):
    result = parse_services(parse_xml((protocol_examples / "extdisco-services-result.xml").read_text()))
    assert result == [
        IceServer(["stun:stun.shakespeare.lit:9998"]),
        IceServer(["turn:relay.shakespeare.lit:9999"], "nb78932lkjlskjfdb7g8", "jj929jkj5sadjfj93v3n"),
        IceServer(["stun:192.0.2.1:8888"]),
        IceServer(["turn:192.0.2.1:8889"], "auu98sjl2wk3e9fjdsl7", "93jn3bakj9s832lrjbbz"),
    ]


def test_the_request_is_an_empty_services_element_of_the_right_version(protocol_examples):
    assert serialize(services_request()) == f'<services xmlns="{NS_EXTDISCO_2}"/>'
    assert serialize(services_request(1)) == f'<services xmlns="{NS_EXTDISCO_1}"/>'
    vector = parse_xml((protocol_examples / "extdisco-services-request.xml").read_text())
    [payload] = list(vector)
    assert serialize(payload) == serialize(services_request())


def test_jitsi_style_turn_with_tcp_expiry_and_restricted():
    xml = services(
        "type='turn' host='turn.bretten.de' port='443' transport='tcp' username='1700000000:x' "
        "password='c2VjcmV0' expires='2023-11-14T22:13:20Z' restricted='1'",
        "type='turns' host='turn.bretten.de' port='5349' transport='tcp' username='u' password='p'",
        "type='stun' host='turn.bretten.de' port='3478' transport='udp'",
    )
    turn, turns, stun = parse_services(parse_xml(xml))
    assert turn.urls == ["turn:turn.bretten.de:443?transport=tcp"]
    assert (turn.username, turn.credential) == ("1700000000:x", "c2VjcmV0")
    assert turn.expires == dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=dt.timezone.utc)
    assert turn.is_turn and turn.is_tcp
    assert turns.urls == ["turns:turn.bretten.de:5349"] and turns.is_tcp
    assert stun.urls == ["stun:turn.bretten.de:3478"] and not stun.is_turn


def test_every_url_is_accepted_by_aiortc():
    xml = services("type='stun' host='a.example'",
                   "type='turn' host='a.example' username='u' password='p'",
                   "type='turn' host='10.0.0.1' port='80' transport='tcp' username='u' password='p'",
                   "type='turns' host='a.example' username='u' password='p'")
    result = parse_services(parse_xml(xml))
    assert len(result) == 4
    for server in result:
        for url in server.urls:
            parse_stun_turn_uri(url)  # raises ValueError if aiortc could not use it
        RTCIceServer(urls=server.urls, username=server.username, credential=server.credential)


@pytest.mark.parametrize("attrs", [
    "type='turn' host='a.example'",                                   # TURN without credentials
    "type='turn' host='a.example' username='u'",
    "type='stun' host='a.example' transport='tcp'",                   # aiortc: no transport on stun
    "type='turns' host='a.example' transport='udp' username='u' password='p'",
    "type='stun' host='a.example' transport='sctp'",
    "type='stun' host='bad host'",
    "type='stun' host='a.example?transport=tcp'",
    "type='stun' host='$MY_DOMAIN'",
    "type='stun' host='::1'",                                         # aiortc cannot parse IPv6 URLs
    "type='stun' host=''",
    "type='stun'",
    "type='stun' host='a.example' port='0'",
    "type='stun' host='a.example' port='65536'",
    "type='stun' host='a.example' port='-1'",
    "type='stun' host='a.example' port='３４７８'",                     # non-ASCII digits
    "type='ftp' host='a.example'",
    "host='a.example'",
])
def test_unusable_services_are_dropped(attrs):
    assert parse_services(parse_xml(services(attrs))) == []


def test_version_1_results_and_defaults():
    xml = services("type='stun' host='a.example'", "type='turns' host='a.example' username='u' "
                   "password='p' expires='not a date'", ns=NS_EXTDISCO_1)
    stun, turns = parse_services(parse_xml(xml))
    assert stun.urls == ["stun:a.example:3478"]
    assert turns.urls == ["turns:a.example:5349"] and turns.expires is None


def test_duplicates_are_listed_once():
    same = "type='stun' host='a.example' port='3478'"
    assert len(parse_services(parse_xml(services(same, same.upper().replace("TYPE", "type")
                                                           .replace("HOST", "host")
                                                           .replace("PORT", "port"))))) == 1


def test_an_answer_without_services_is_a_remote_protocol_error():
    with pytest.raises(RemoteProtocolError):
        parse_services(parse_xml("<iq xmlns='jabber:client' type='result'/>"))


def test_room_metadata_json_services_give_the_same_servers():
    items = [{"type": "turn", "host": "turn.example", "port": 443, "transport": "tcp",
              "username": "u", "password": "p", "restricted": True},
             {"type": "stun", "host": "turn.example", "port": 3478},
             "nonsense", {"type": ["stun"]}, None]
    assert ice_servers_from_json(items) == [
        IceServer(["turn:turn.example:443?transport=tcp"], "u", "p"),
        IceServer(["stun:turn.example:3478"])]
    assert ice_servers_from_json({"not": "a list"}) == []
