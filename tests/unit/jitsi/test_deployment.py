"""From whitelisted config.js values (or nothing) to a Deployment: defaults, URLs, tenants."""

from __future__ import annotations

import pytest

from client.errors import InsecureConnectionError, InvalidServerUrlError
from client.jitsi.configjs import EvaluatedConfig
from client.jitsi.deployment import (
    ConfigSource,
    Deployment,
    P2PSettings,
    config_js_url,
    default_deployment,
    deployment_from_config,
    split_server_url,
)

SERVER = "https://konferenz.example.de"


def from_values(values: dict, *, server: str = SERVER, tenant: str | None = None) -> Deployment:
    return deployment_from_config(EvaluatedConfig(defined=True, values=values), server, tenant,
                                  config_url=config_js_url(server, tenant),
                                  source=ConfigSource.CONFIG_JS)


def warning_templates(deployment: Deployment) -> list[str]:
    return [w.template for w in deployment.warnings]


# --- server URL and config.js URL --------------------------------------------------------

@pytest.mark.parametrize(("text", "tenant", "expected"), [
    ("https://konferenz.example.de", None, (SERVER, None)),
    ("konferenz.example.de", None, (SERVER, None)),
    ("  https://Konferenz.Example.DE/  ", None, (SERVER, None)),
    ("https://konferenz.example.de:443/", None, (SERVER, None)),
    ("https://konferenz.example.de:8443", None, ("https://konferenz.example.de:8443", None)),
    ("https://konferenz.example.de/stadtrat/", None, (SERVER, "stadtrat")),
    ("https://konferenz.example.de/stadtrat", "schule", (SERVER, "schule")),
    ("konferenz.example.de", "/stadtrat/", (SERVER, "stadtrat")),
    ("http://localhost:8080/", None, ("http://localhost:8080", None)),
    ("http://127.0.0.1", None, ("http://127.0.0.1", None)),
    ("https://[::1]:8443", None, ("https://[::1]:8443", None)),
    ("https://bürgerkonferenz.de", None, ("https://bürgerkonferenz.de", None)),
])
def test_split_server_url(text: str, tenant: str | None, expected: tuple[str, str | None]):
    assert split_server_url(text, tenant) == expected


@pytest.mark.parametrize("text", ["https://", "ftp://konferenz.example.de",
                                  "https://user:secret@konferenz.example.de",
                                  "https://konferenz.example.de:99999", "https://[::1"])
def test_split_server_url_rejects_non_server_addresses(text: str):
    with pytest.raises(InvalidServerUrlError) as info:
        split_server_url(text)
    assert info.value.details["url"] == text


def test_plain_http_is_refused_for_a_real_server():
    with pytest.raises(InsecureConnectionError) as info:
        split_server_url("http://konferenz.example.de")
    assert info.value.details["host"] == "konferenz.example.de"


@pytest.mark.parametrize(("tenant", "room", "expected"), [
    (None, None, f"{SERVER}/config.js"),
    (None, "sitzung", f"{SERVER}/config.js?room=sitzung"),
    ("stadtrat", "b%c3%bcrgersprechstunde",
     f"{SERVER}/stadtrat/config.js?room=b%c3%bcrgersprechstunde"),
    ("Bürger Rat", "a&b", f"{SERVER}/B%C3%BCrger%20Rat/config.js?room=a%26b"),
])
def test_config_js_url_matches_what_the_apps_request(tenant, room, expected):  # noqa: ANN001
    assert config_js_url(SERVER, tenant, room) == expected


# --- values from config.js -------------------------------------------------------------------

DOCKER_VALUES = {
    "hosts.domain": "meet.jitsi",
    "hosts.muc": "muc.meet.jitsi",
    "hosts.anonymousdomain": "guest.meet.jitsi",
    "hosts.authdomain": "meet.jitsi",
    "focusUserJid": "focus@auth.meet.jitsi",
    "bosh": "/http-bind",
    "websocket": "wss://konferenz.example.de/xmpp-websocket",
    "p2p.enabled": False,
    "p2p.stunServers": ("stun:konferenz.example.de:3478", "turns:turn.example.de:443?transport=tcp",
                        "stun:meet-jit-si-turnrelay.jitsi.net:443"),
    "startWithVideoMuted": True,
    "startAudioMuted": 10,
    "prejoinConfig.enabled": True,
    "requireDisplayName": True,
    "channelLastN": 20,
    "flags.sourceNameSignaling": True,
    "flags.ssrcRewritingEnabled": False,
    "disableSimulcast": True,
}


def test_docker_values_become_a_deployment_and_only_own_stun_servers_are_kept():
    deployment = from_values(DOCKER_VALUES)
    assert deployment.xmpp_domain == "meet.jitsi"
    assert deployment.muc_domain == "muc.meet.jitsi"
    assert deployment.anonymous_domain == "guest.meet.jitsi"
    assert deployment.auth_domain == "meet.jitsi"
    assert deployment.focus_jid == "focus.meet.jitsi"
    assert deployment.focus_user_jid == "focus@auth.meet.jitsi"
    assert deployment.websocket_url == "wss://konferenz.example.de/xmpp-websocket"
    assert deployment.bosh_url == "https://konferenz.example.de/http-bind"
    assert deployment.p2p == P2PSettings(
        enabled=False,
        stun_urls=("stun:konferenz.example.de:3478", "turns:turn.example.de:443?transport=tcp"))
    assert deployment.start_with_video_muted and not deployment.start_with_audio_muted
    assert deployment.start_audio_muted_after == 10
    assert deployment.prejoin_enabled is True
    assert deployment.require_display_name is True
    assert deployment.channel_last_n == 20
    assert deployment.flags == {"sourceNameSignaling": True, "ssrcRewritingEnabled": False}
    assert deployment.config["disableSimulcast"] is True
    assert deployment.source is ConfigSource.CONFIG_JS
    assert [str(w) for w in deployment.warnings] == [
        "config.js names the STUN/TURN server stun:meet-jit-si-turnrelay.jitsi.net:443, which "
        "does not belong to this server; Treffpunkt does not use it."]


def test_stream_domain_follows_the_login_kind():
    deployment = from_values(DOCKER_VALUES)
    assert deployment.stream_domain(anonymous=True) == "guest.meet.jitsi"
    assert deployment.stream_domain(anonymous=False) == "meet.jitsi"
    assert deployment.stream_domain(anonymous=True, jwt=True) == "meet.jitsi"
    no_guests = from_values({"hosts.domain": "meet.jitsi", "hosts.muc": "muc.meet.jitsi"})
    assert no_guests.stream_domain(anonymous=True) == "meet.jitsi"


def test_websocket_url_for_a_room_and_a_token():
    deployment = from_values(DOCKER_VALUES)
    assert deployment.websocket_url_for() == "wss://konferenz.example.de/xmpp-websocket"
    assert deployment.websocket_url_for("b%c3%bcrgersprechstunde") == \
        "wss://konferenz.example.de/xmpp-websocket?room=b%c3%bcrgersprechstunde"
    assert deployment.websocket_url_for("sitzung", jwt="eyJ.a-b_c.d") == \
        "wss://konferenz.example.de/xmpp-websocket?room=sitzung&token=eyJ.a-b_c.d"
    with_query = from_values({**DOCKER_VALUES, "websocket": "wss://x.example.de/ws?v=2"})
    assert with_query.websocket_url_for("r") == "wss://x.example.de/ws?v=2&room=r"
    assert deployment.bosh_url_for("r") == "https://konferenz.example.de/http-bind?room=r"


def test_room_jid_uses_the_lower_case_muc_domain():
    assert from_values(DOCKER_VALUES).room_jid("sitzung") == "sitzung@muc.meet.jitsi"


@pytest.mark.parametrize(("key", "value", "tenant", "expected"), [
    ("bosh", "//konferenz.example.de/http-bind", None, "https://konferenz.example.de/http-bind"),
    ("bosh", "/stadtrat/http-bind", "stadtrat", "https://konferenz.example.de/stadtrat/http-bind"),
    ("bosh", "http-bind", "stadtrat", "https://konferenz.example.de/stadtrat/http-bind"),
    ("websocket", "https://konferenz.example.de/xmpp-websocket", None,
     "wss://konferenz.example.de/xmpp-websocket"),
    ("websocket", "/stadtrat/xmpp-websocket", "stadtrat",
     "wss://konferenz.example.de/stadtrat/xmpp-websocket"),
])
def test_relative_and_protocol_relative_urls_resolve_against_the_meeting_page(
        key: str, value: str, tenant: str | None, expected: str):
    deployment = from_values({"hosts.domain": "d.example", "hosts.muc": "m.d.example",
                              key: value}, tenant=tenant)
    assert getattr(deployment, f"{key}_url") == expected


def test_unencrypted_or_unusable_urls_are_dropped_with_a_warning():
    deployment = from_values({"hosts.domain": "d.example", "hosts.muc": "m.d.example",
                              "websocket": "ws://konferenz.example.de/xmpp-websocket",
                              "bosh": "https://{{ $PUBLIC_URL }}/http-bind",
                              "conferenceRequestUrl": "http://konferenz.example.de/conf"})
    assert deployment.websocket_url == "wss://konferenz.example.de/xmpp-websocket"  # the guess
    assert deployment.bosh_url is None
    assert deployment.conference_request_url is None
    assert [(w.template, dict(w.details)) for w in deployment.warnings] == [
        ("config.js: {key} uses an unencrypted address and is ignored.", {"key": "websocket"}),
        ("config.js: the address in {key} is not usable and is ignored.", {"key": "bosh"}),
        ("config.js names no WebSocket address for XMPP; Treffpunkt tries {url}.",
         {"url": "wss://konferenz.example.de/xmpp-websocket"}),
        ("config.js: {key} uses an unencrypted address and is ignored.",
         {"key": "conferenceRequestUrl"}),
    ]


def test_plain_ws_is_fine_on_a_loopback_test_server():
    deployment = from_values({"hosts.domain": "meet.localhost", "hosts.muc": "c.meet.localhost",
                              "websocket": "ws://127.0.0.1:5280/xmpp-websocket"},
                             server="http://127.0.0.1:8000")
    assert deployment.websocket_url == "ws://127.0.0.1:5280/xmpp-websocket"
    assert deployment.warnings == ()


def test_missing_domain_and_muc_in_config_js_are_guessed_with_warnings():
    deployment = from_values({"bosh": "/http-bind"})
    assert deployment.xmpp_domain == "konferenz.example.de"
    assert deployment.muc_domain == "conference.konferenz.example.de"
    assert warning_templates(deployment) == [
        "config.js does not name the XMPP domain (hosts.domain); Treffpunkt assumes {domain}.",
        "config.js does not name the conference domain (hosts.muc); Treffpunkt assumes {muc}.",
        "config.js names no WebSocket address for XMPP; Treffpunkt tries {url}.",
    ]


def test_conference_request_url_and_keepalive_are_kept():
    deployment = from_values({**DOCKER_VALUES,
                              "conferenceRequestUrl": "https://konferenz.example.de/conference-request/v1",
                              "websocketKeepAliveUrl": "/_unlock"})
    assert deployment.conference_request_url == \
        "https://konferenz.example.de/conference-request/v1"
    assert deployment.websocket_keepalive_url == "https://konferenz.example.de/_unlock"


def test_old_prejoin_key_is_understood():
    deployment = from_values({**DOCKER_VALUES, "prejoinConfig.enabled": None,
                              "prejoinPageEnabled": False})
    assert deployment.prejoin_enabled is False


# --- defaults without config.js -------------------------------------------------------------

def test_defaults_follow_the_documented_guesses_and_say_so():
    deployment = default_deployment(SERVER, room="sitzung")
    assert deployment.source is ConfigSource.DEFAULTS
    assert deployment.config_url == f"{SERVER}/config.js?room=sitzung"
    assert deployment.xmpp_domain == "konferenz.example.de"
    assert deployment.muc_domain == "conference.konferenz.example.de"
    assert deployment.focus_jid == "focus.konferenz.example.de"
    assert deployment.auth_domain == "konferenz.example.de"
    assert deployment.anonymous_domain is None
    assert deployment.websocket_url == "wss://konferenz.example.de/xmpp-websocket"
    assert deployment.bosh_url == "https://konferenz.example.de/http-bind"
    assert deployment.p2p == P2PSettings()
    [warning] = deployment.warnings
    assert str(warning) == (
        "konferenz.example.de publishes no config.js; Treffpunkt assumes a standard installation "
        "(XMPP domain konferenz.example.de). This guess is often wrong for Docker installations.")
    assert warning.message("de").startswith("konferenz.example.de stellt keine config.js bereit")


def test_defaults_for_a_tenant_use_jitsis_tenant_muc_convention():
    deployment = default_deployment(SERVER, "Stadt.Rat")
    assert deployment.muc_domain == "conference.stadt_rat.konferenz.example.de"
    assert deployment.websocket_url == "wss://konferenz.example.de/Stadt.Rat/xmpp-websocket"
    assert deployment.bosh_url == "https://konferenz.example.de/Stadt.Rat/http-bind"
    assert deployment.xmpp_domain == "konferenz.example.de"


def test_defaults_for_an_idn_host_use_punycode_for_xmpp():
    # "bücher" → "xn--bcher-kva" is the textbook IDNA example.
    deployment = default_deployment("https://bücher.example:8443")
    assert deployment.xmpp_domain == "xn--bcher-kva.example"
    assert deployment.websocket_url == "wss://bücher.example:8443/xmpp-websocket"


def test_to_json_is_plain_and_translated():
    data = from_values(DOCKER_VALUES).to_json("de")
    assert data["xmpp_domain"] == "meet.jitsi" and data["source"] == "config.js"
    assert data["p2p"]["stun_urls"] == ["stun:konferenz.example.de:3478",
                                        "turns:turn.example.de:443?transport=tcp"]
    assert data["warnings"][0].startswith("Die config.js nennt den STUN/TURN-Server")
    import json
    assert json.loads(json.dumps(data)) == data
