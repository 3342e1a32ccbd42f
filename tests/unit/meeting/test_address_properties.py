"""Properties that must hold for any input: only AddressError, canonical MUC-safe names."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from client.errors import AddressError
from client.meeting.address import parse_link, parse_server_url
from client.meeting.roomname import backend_room_name, clean_room_segment, is_muc_safe

B = "https://konferenz.bretten.de"

# Pieces that real links and real mistakes are made of.
URLISH = st.lists(st.one_of(
    st.sampled_from(["https://", "http://", "jitsi-meet://", "org.jitsi.meet:", "mailto:", "//",
                     "konferenz.bretten.de", "meet.jit.si", "localhost", "127.0.0.1", "[::1]",
                     "[2001:db8::1]", "xn--brgerbro-65af.de", "bürgerbüro.de", ":8443", ":0",
                     ":99999", "/", "/tenant/", "?jwt=a.b.c", "#config.startWithAudioMuted=true",
                     "#userInfo.displayName=%22M%22", "&", "=", "%", "%C3%BC", "%27", "%2F",
                     "%zz", "@", "'", "\"", "<", ">", "„", "“", " ", "\n", "\t", "\u00a0",
                     ".", "-", "Raum", "Bürger", "ẞ", "İ", "ﬁ", "\u0301", "__proto__"]),
    st.text(max_size=4)), max_size=25).map("".join)

PROPERTY_SETTINGS = settings(max_examples=600, deadline=None,
                             suppress_health_check=[HealthCheck.too_slow])


def _check(text: str, default: str | None) -> None:
    try:
        address = parse_link(text, default)
    except AddressError:
        return
    assert is_muc_safe(address.backend_room)
    assert backend_room_name(address.backend_room) == address.backend_room
    assert address.server.startswith(("https://", "http://"))
    if address.scheme == "http":
        assert address.host in ("localhost", "::1") or address.host.startswith("127.") \
            or address.host.endswith(".localhost")
    # The canonical link leads back to the same room on the same server.
    again = parse_link(address.link, "https://elsewhere.example.org")
    assert (again.server, again.tenant, again.backend_room) == (
        address.server, address.tenant, address.backend_room)


@PROPERTY_SETTINGS
@given(st.text(max_size=300))
def test_random_text_gives_an_address_or_an_address_error(text):
    _check(text, B)
    _check(text, None)


@PROPERTY_SETTINGS
@given(URLISH)
def test_random_urlish_text_gives_an_address_or_an_address_error(text):
    _check(text, B)
    _check(text, B + "/tenant/")


@PROPERTY_SETTINGS
@given(st.one_of(st.text(max_size=200), URLISH))
def test_random_server_urls_give_a_server_or_an_address_error(text):
    try:
        url = parse_server_url(text)
    except AddressError:
        return
    assert parse_server_url(url.url) == type(url)(url.scheme, url.host, url.port, url.tenant, False)


@settings(max_examples=1500, deadline=None)
@given(st.text(min_size=1, max_size=60))
def test_backend_names_are_idempotent_and_muc_safe(text):
    backend = backend_room_name(clean_room_segment(text))
    if backend:
        assert backend_room_name(backend) == backend
        assert backend == backend.lower()
        assert is_muc_safe(backend) or len(backend.encode()) > 1023
