"""What a resident types or pastes → which server, which room (table-driven)."""

from __future__ import annotations

import pytest

from client.errors import AddressError, NoDefaultServerError, NoRoomInLinkError
from client.meeting.address import MeetingAddress, parse_link, parse_server_url
from client.meeting.servers import ServerGuard

B = "https://konferenz.bretten.de"
R = "https://videokonferenz.rastatt.de"
DEFAULT, MUNICIPAL, PUBLIC, UNKNOWN = (ServerGuard.DEFAULT_SERVER, ServerGuard.KNOWN_MUNICIPAL,
                                       ServerGuard.PUBLIC, ServerGuard.UNKNOWN)


def ok(server, tenant, room, backend, guard, *, jwt=None, config=None, user=None,
       upgraded=False):
    return {"server": server, "tenant": tenant, "room": room, "backend_room": backend,
            "jwt": jwt, "config_overrides": config or {}, "user_info": user or {},
            "guard": guard, "upgraded_from_http": upgraded}


INVITATION_DE = """Hallo zusammen,

Sie sind zu unserem Elternabend eingeladen.
Einwahlnummern: https://konferenz.bretten.de/static/dialInInfo.html?room=Elternabend4b
Der Konferenz beitreten:
https://konferenz.bretten.de/Elternabend4b

Bis Donnerstag!"""

INVITATION_EN = """Anna is inviting you to a meeting.

Join the meeting:
meet.jit.si/OldRoom (last year's room, please do not use)
Our new room is konferenz.bretten.de/VereinsVorstand, see you there.
More on https://www.example.org/verein/about.html"""

CASES = [
    # bare room names, against the default server
    ("bare name", "Elternabend", B, ok(B, None, "Elternabend", "elternabend", DEFAULT)),
    ("surrounding whitespace", "  Elternabend \n", B,
     ok(B, None, "Elternabend", "elternabend", DEFAULT)),
    ("inner whitespace removed", "Mein Raum", B, ok(B, None, "MeinRaum", "meinraum", DEFAULT)),
    ("umlaut", "Bürgersprechstunde", B,
     ok(B, None, "Bürgersprechstunde", "b%c3%bcrgersprechstunde", DEFAULT)),
    ("upper-case umlaut", "BÜRGERSPRECHSTUNDE", B,
     ok(B, None, "BÜRGERSPRECHSTUNDE", "b%c3%bcrgersprechstunde", DEFAULT)),
    ("decomposed umlaut is NFKC-normalised", "Bu\u0308rgersprechstunde", B,
     ok(B, None, "Bu\u0308rgersprechstunde", "b%c3%bcrgersprechstunde", DEFAULT)),
    ("sharp s stays", "Straßenfest", B, ok(B, None, "Straßenfest", "stra%c3%9fenfest", DEFAULT)),
    ("ligature folds", "\ufb01nanzen", B, ok(B, None, "\ufb01nanzen", "finanzen", DEFAULT)),
    ("dot in a room name", "Team.Treffen", B,
     ok(B, None, "Team.Treffen", "team.treffen", DEFAULT)),
    ("colon removed", "Raum:Eins", B, ok(B, None, "RaumEins", "raumeins", DEFAULT)),
    ("forbidden characters removed", "Chor(Probe)&Co!", B,
     ok(B, None, "ChorProbeCo", "chorprobeco", DEFAULT)),
    ("path on the default server", "Schule/Klasse4b", B,
     ok(B, "Schule", "Klasse4b", "klasse4b", DEFAULT)),
    ("default server with tenant", "Elternabend", B + "/schule/",
     ok(B, "schule", "Elternabend", "elternabend", DEFAULT)),
    ("app link without host", "jitsi-meet://Elternabend", B,
     ok(B, None, "Elternabend", "elternabend", DEFAULT)),
    ("app link without host, with token", "jitsi-meet://Elternabend?jwt=abc.def.ghi", B,
     ok(B, None, "Elternabend", "elternabend", DEFAULT, jwt="abc.def.ghi")),
    # full links
    ("https link", "https://konferenz.bretten.de/MeinRaum", R,
     ok(B, None, "MeinRaum", "meinraum", MUNICIPAL)),
    ("link on the default server", "https://konferenz.bretten.de/MeinRaum", B,
     ok(B, None, "MeinRaum", "meinraum", DEFAULT)),
    ("no scheme", "konferenz.bretten.de/MeinRaum", R,
     ok(B, None, "MeinRaum", "meinraum", MUNICIPAL)),
    ("no scheme, space in the room", "konferenz.bretten.de/Mein Raum", R,
     ok(B, None, "MeinRaum", "meinraum", MUNICIPAL)),
    ("server and room separated by a space", "konferenz.bretten.de Mein Raum", R,
     ok(B, None, "MeinRaum", "meinraum", MUNICIPAL)),
    ("full server and room separated by a space", "https://konferenz.bretten.de/ Chor", R,
     ok(B, None, "Chor", "chor", MUNICIPAL)),
    ("trailing slash", "https://konferenz.bretten.de/MeinRaum/", R,
     ok(B, None, "MeinRaum", "meinraum", MUNICIPAL)),
    ("upper-case scheme and host", "HTTPS://KONFERENZ.BRETTEN.DE/MeinRaum", R,
     ok(B, None, "MeinRaum", "meinraum", MUNICIPAL)),
    ("tenant", "https://meet.example.org/stadtwerke/Betriebsrat", B,
     ok("https://meet.example.org", "stadtwerke", "Betriebsrat", "betriebsrat", UNKNOWN)),
    ("8x8 tenant is public", "https://8x8.vc/vpaas-magic-cookie-0123/Room", B,
     ok("https://8x8.vc", "vpaas-magic-cookie-0123", "Room", "room", PUBLIC)),
    ("meet.jit.si is public", "https://meet.jit.si/Familie", B,
     ok("https://meet.jit.si", None, "Familie", "familie", PUBLIC)),
    ("meet.jit.si without scheme", "meet.jit.si/Familie", B,
     ok("https://meet.jit.si", None, "Familie", "familie", PUBLIC)),
    ("a shard of meet.jit.si", "https://beta.meet.jit.si/Test", B,
     ok("https://beta.meet.jit.si", None, "Test", "test", PUBLIC)),
    ("app link with host", "jitsi-meet://konferenz.bretten.de/Raum", R,
     ok(B, None, "Raum", "raum", MUNICIPAL)),
    ("mobile app scheme", "org.jitsi.meet://videokonferenz.rastatt.de/Raum", B,
     ok(R, None, "Raum", "raum", MUNICIPAL)),
    ("token", "https://meet.example.org/Room?jwt=eyJhbGciOi.eyJzdWIi.c2ln", B,
     ok("https://meet.example.org", None, "Room", "room", UNKNOWN, jwt="eyJhbGciOi.eyJzdWIi.c2ln")),
    ("config overrides",
     B + "/Raum#config.startWithAudioMuted=true&config.startWithVideoMuted=false", R, ok(B, None, "Raum", "raum", MUNICIPAL,
           config={"startWithAudioMuted": True, "startWithVideoMuted": False})),
    ("display name", B + "/Raum#userInfo.displayName=%22Max%20Mustermann%22", R,
     ok(B, None, "Raum", "raum", MUNICIPAL, user={"displayName": "Max Mustermann"})),
    ("non-JSON value kept as text", B + "/Raum#config.subject=Hallo", R,
     ok(B, None, "Raum", "raum", MUNICIPAL, config={"subject": "Hallo"})),
    ("prototype keys ignored, nested key kept",
     B + "/Raum#config.__proto__.x=1&config.p2p.enabled=false&constructor=2", R,
     ok(B, None, "Raum", "raum", MUNICIPAL, config={"p2p.enabled": False})),
    ("hash router fragment ignored", B + "/Raum#/welcome", R,
     ok(B, None, "Raum", "raum", MUNICIPAL)),
    ("quotes around", '"https://konferenz.bretten.de/Raum"', R,
     ok(B, None, "Raum", "raum", MUNICIPAL)),
    ("angle brackets around", "<https://konferenz.bretten.de/Raum>", R,
     ok(B, None, "Raum", "raum", MUNICIPAL)),
    ("German quotes around", "„konferenz.bretten.de/Raum“", R,
     ok(B, None, "Raum", "raum", MUNICIPAL)),
    ("sentence punctuation around", "(https://konferenz.bretten.de/Raum).", R,
     ok(B, None, "Raum", "raum", MUNICIPAL)),
    ("http upgraded", "http://konferenz.bretten.de/Raum", R,
     ok(B, None, "Raum", "raum", MUNICIPAL, upgraded=True)),
    ("http with port 80 upgraded", "http://meet.example.org:80/Raum", B,
     ok("https://meet.example.org", None, "Raum", "raum", UNKNOWN, upgraded=True)),
    ("http on localhost stays", "http://localhost:5280/Raum", B,
     ok("http://localhost:5280", None, "Raum", "raum", UNKNOWN)),
    ("http on 127.0.0.1 stays", "http://127.0.0.1:8000/Raum", B,
     ok("http://127.0.0.1:8000", None, "Raum", "raum", UNKNOWN)),
    ("http on [::1] stays", "http://[::1]:8443/Raum", B,
     ok("http://[::1]:8443", None, "Raum", "raum", UNKNOWN)),
    ("localhost without scheme gets https", "localhost:8443/Raum", B,
     ok("https://localhost:8443", None, "Raum", "raum", UNKNOWN)),
    ("IPv4 host", "https://192.0.2.10/Raum", B,
     ok("https://192.0.2.10", None, "Raum", "raum", UNKNOWN)),
    ("IPv6 host with port", "https://[2001:DB8::1]:8443/Raum", B,
     ok("https://[2001:db8::1]:8443", None, "Raum", "raum", UNKNOWN)),
    ("port on a known host", "https://konferenz.bretten.de:8443/Raum", B,
     ok(B + ":8443", None, "Raum", "raum", MUNICIPAL)),
    ("default port dropped", "https://konferenz.bretten.de:443/Raum", R,
     ok(B, None, "Raum", "raum", MUNICIPAL)),
    ("IDN host", "https://bürgerbüro.example/Raum", B,
     ok("https://xn--brgerbro-65af.example", None, "Raum", "raum", UNKNOWN)),
    ("IDN host, punycode given", "https://xn--brgerbro-65af.de/Raum", B,
     ok("https://xn--brgerbro-65af.de", None, "Raum", "raum", UNKNOWN)),
    ("IDN keeps sharp s (as browsers do)", "https://straße.example/Raum", B,
     ok("https://xn--strae-oqa.example", None, "Raum", "raum", UNKNOWN)),
    ("user info dropped", "https://konferenz.bretten.de@meet.example.org/Raum", B,
     ok("https://meet.example.org", None, "Raum", "raum", UNKNOWN)),
    ("percent-encoded space", B + "/Mein%20Raum", R,
     ok(B, None, "Mein Raum", "mein%20raum", MUNICIPAL)),
    ("percent-encoded umlaut", B + "/B%C3%BCrgersprechstunde", R,
     ok(B, None, "Bürgersprechstunde", "b%c3%bcrgersprechstunde", MUNICIPAL)),
    ("encoded apostrophe dropped", B + "/It%27s", R, ok(B, None, "It's", "its", MUNICIPAL)),
    ("broken escape kept", "100%", B, ok(B, None, "100%", "100%25", DEFAULT)),
    # pasted texts
    ("German invitation, dial-in page skipped", INVITATION_DE, R,
     ok(B, None, "Elternabend4b", "elternabend4b", MUNICIPAL)),
    ("English text, known server preferred", INVITATION_EN, R,
     ok(B, None, "VereinsVorstand", "vereinsvorstand", MUNICIPAL)),
    ("one line with a link in it",
     "Hier ist der Link: https://konferenz.bretten.de/Raum, bis gleich", R, ok(B, None, "Raum", "raum", MUNICIPAL)),
    ("markdown link", "[Elternabend](https://konferenz.bretten.de/Elternabend)", R,
     ok(B, None, "Elternabend", "elternabend", MUNICIPAL)),
    # rejections
    ("empty", "", B, "empty-input"),
    ("only whitespace", " \t\n ", B, "empty-input"),
    ("only quotes", '""', B, "empty-input"),
    ("too long", "x" * 100_001, B, "input-too-long"),
    ("server without room", "https://konferenz.bretten.de", B, "no-room"),
    ("server with slash, without room", "https://konferenz.bretten.de/", B, "no-room"),
    ("bare known server", "konferenz.bretten.de", B, "no-room"),
    ("bare unknown server", "meet.example.de", B, "no-room"),
    ("bare name without a default server", "Elternabend", None, "no-default-server"),
    ("bare name with a broken default server", "Elternabend", "ftp://x", "invalid-server-url"),
    ("mail link", "mailto:someone@example.org", B, "unsupported-link"),
    ("ftp link", "ftp://konferenz.bretten.de/Raum", B, "unsupported-link"),
    ("unknown scheme with authority", "foo://konferenz.bretten.de/Raum", B, "unsupported-link"),
    ("port out of range", "https://konferenz.bretten.de:99999/Raum", B, "invalid-port"),
    ("port not a number", "https://konferenz.bretten.de:abc/Raum", B, "invalid-port"),
    ("bad host", "https://-bad-.de/Raum", B, "invalid-host"),
    ("bad IPv4", "https://999.1.1.1/Raum", B, "invalid-host"),
    ("bad IPv6", "https://[zz::1]/Raum", B, "invalid-host"),
    ("bad tenant", "https://konferenz.bretten.de/-schule/Raum", B, "invalid-tenant"),
    ("nothing left of the name", "!!!", B, "invalid-room"),
    ("room too long", B + "/" + "a" * 1100, B, "room-too-long"),
    ("text without a link", "Liebe Grüße\nund bis bald\nAnna", B, "no-link-in-text"),
]


def _summary(address: MeetingAddress) -> dict:
    return {"server": address.server, "tenant": address.tenant, "room": address.room,
            "backend_room": address.backend_room, "jwt": address.jwt,
            "config_overrides": address.config_overrides, "user_info": address.user_info,
            "guard": address.guard, "upgraded_from_http": address.upgraded_from_http}


@pytest.mark.parametrize("text, default, expected", [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_input_resolves_to_the_expected_address_or_error(text, default, expected):
    if isinstance(expected, str):
        with pytest.raises(AddressError) as info:
            parse_link(text, default)
        assert info.value.kind == expected
    else:
        assert _summary(parse_link(text, default)) == expected


def test_the_table_is_large_enough():
    assert len(CASES) >= 40


def test_every_rejection_has_a_german_message_that_differs_from_english():
    for _name, text, default, expected in CASES:
        if not isinstance(expected, str):
            continue
        with pytest.raises(AddressError) as info:
            parse_link(text, default)
        german = info.value.user_message("de")
        assert german != info.value.user_message("en"), expected
        assert "{" not in german


def test_no_room_message_names_the_host():
    with pytest.raises(NoRoomInLinkError) as info:
        parse_link("https://konferenz.bretten.de/", None)
    assert "konferenz.bretten.de" in info.value.user_message("de")


def test_a_bare_name_never_falls_back_to_a_public_server():
    with pytest.raises(NoDefaultServerError) as info:
        parse_link("Elternabend")
    assert "meet.jit.si" not in str(info.value)
    assert "Elternabend" in info.value.user_message("de")


def test_link_is_canonical_and_resolves_to_the_same_room():
    address = parse_link("http://KONFERENZ.bretten.de/schule/Bürger Sprechstunde.?jwt=secret"
                         "#config.startWithAudioMuted=true", R)
    assert address.link == "https://konferenz.bretten.de/schule/B%C3%BCrgerSprechstunde%2E"
    again = parse_link(address.link, R)
    assert (again.server, again.tenant, again.backend_room) == (
        address.server, address.tenant, address.backend_room)
    assert "secret" not in address.link and "secret" not in repr(address)


def test_context_root_is_where_config_js_lives():
    address = parse_link("https://meet.example.org/t/Room")
    assert address.context_root == "https://meet.example.org/t/"
    assert parse_link("Room", B).context_root == B + "/"


def test_display_host_decodes_punycode():
    address = parse_link("https://xn--brgerbro-65af.de/Raum")
    assert address.display_host == "bürgerbüro.de"


def test_only_whitelisted_boolean_overrides_are_honoured():
    address = parse_link(B + "/Raum#config.startWithAudioMuted=true&config.hosts.domain=%22x%22"
                         "&config.startWithVideoMuted=%22yes%22&config.p2p.stunServers=[]")
    assert address.honoured_config_overrides() == {"startWithAudioMuted": True}
    assert "hosts.domain" in address.config_overrides


def test_known_server_and_lookalike_are_reported():
    address = parse_link("https://konferenz.bretten.de/Raum")
    assert address.known_server is not None and address.known_server.service == "Peter ruft Paul"
    assert address.lookalike_of is None
    fake = parse_link("https://konferenz-bretten.de/Raum")
    assert fake.guard is UNKNOWN and fake.lookalike_of is not None
    assert fake.lookalike_of.town == "Bretten"
    suffixed = parse_link("https://konferenz.bretten.de.example.com/Raum")
    assert suffixed.lookalike_of.town == "Bretten"
    assert parse_link("https://meet.example.org/Raum").lookalike_of is None


def test_default_server_verdict_needs_the_same_port():
    assert parse_link("https://localhost:8443/R", "https://localhost:8443").guard is DEFAULT
    assert parse_link("https://localhost:9443/R", "https://localhost:8443").guard is UNKNOWN


@pytest.mark.parametrize("text, expected", [
    ("konferenz.bretten.de", ("https", "konferenz.bretten.de", None, None, False)),
    ("https://konferenz.bretten.de/", ("https", "konferenz.bretten.de", None, None, False)),
    ("http://konferenz.bretten.de", ("https", "konferenz.bretten.de", None, None, True)),
    ("http://localhost:5280", ("http", "localhost", 5280, None, False)),
    ("https://meet.example.org:8443/tenant/", ("https", "meet.example.org", 8443, "tenant", False)),
    ("  <https://[::1]:5443>  ", ("https", "::1", 5443, None, False)),
])
def test_server_urls_from_settings_are_normalised(text, expected):
    url = parse_server_url(text)
    assert (url.scheme, url.host, url.port, url.tenant, url.upgraded_from_http) == expected


@pytest.mark.parametrize("text", ["", "   ", "jitsi-meet://konferenz.bretten.de", "ftp://x.de",
                                  "https://", "https://-x-.de", "https://host:0", "https:host"])
def test_bad_server_urls_are_rejected(text):
    with pytest.raises(AddressError) as info:
        parse_server_url(text)
    assert info.value.kind == "invalid-server-url"
