"""`treffpunkt check` without the rig: arguments, failures, the report's text in both languages."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from client.cli import build_parser, run_subcommand
from client.cli.check import EXIT_DISCOVERY_FAILED, _report, parse_server
from client.errors import XmppStreamRefusedError
from client.i18n import current_language, set_language
from client.jitsi.configjs import EvaluatedConfig
from client.jitsi.deployment import ConfigSource, config_js_url, default_deployment, \
    deployment_from_config
from tests.rig.process import free_tcp_port


@pytest.fixture(autouse=True)
def keep_language() -> Iterator[None]:
    before = current_language()
    yield
    set_language(before)


def test_server_url_is_required():
    with pytest.raises(SystemExit) as info:
        build_parser().parse_args(["check"])
    assert info.value.code == 2


def test_options_are_parsed():
    args = build_parser().parse_args(["check", "konferenz.example.de", "--tenant", "rat",
                                      "--ca-file", "/etc/ca.pem", "--json", "--lang", "de",
                                      "--connect", "--room", "sitzung", "--timeout", "3"])
    assert (args.server_url, args.tenant, str(args.ca_file), args.json, args.lang, args.connect,
            args.room, args.timeout) == ("konferenz.example.de", "rat", "/etc/ca.pem", True, "de",
                                         True, "sitzung", 3.0)


def test_unreachable_server_exits_non_zero_with_the_german_message(capsys: pytest.CaptureFixture):
    port = free_tcp_port()
    code = run_subcommand(["check", f"https://127.0.0.1:{port}", "--lang", "de", "--timeout", "5"])
    out, err = capsys.readouterr()
    assert code == EXIT_DISCOVERY_FAILED
    assert out == ""
    assert err.splitlines() == [
        "Der Server 127.0.0.1 ist nicht erreichbar. Bitte prüfen Sie die Adresse und Ihre "
        "Internetverbindung.",
        "Ergebnis: Der Server kann nicht verwendet werden."]


def test_unreachable_server_as_json(capsys: pytest.CaptureFixture):
    port = free_tcp_port()
    code = run_subcommand(["check", f"https://127.0.0.1:{port}", "--json", "--lang", "en"])
    data = json.loads(capsys.readouterr().out)
    assert code == EXIT_DISCOVERY_FAILED
    assert data == {"ok": False, "error": {
        "kind": "server-unreachable", "host": "127.0.0.1",
        "message": "The server 127.0.0.1 cannot be reached. Check the address and your internet "
                   "connection."}}


def test_garbage_is_not_a_server_address(capsys: pytest.CaptureFixture):
    code = run_subcommand(["check", "ftp://files.example.de", "--json", "--lang", "en"])
    assert code == EXIT_DISCOVERY_FAILED
    error = json.loads(capsys.readouterr().out)["error"]
    assert error["kind"] == "invalid-server-url"
    assert "ftp://files.example.de" in error["message"]


def test_http_is_upgraded_except_on_loopback():
    origin, tenant, notes = parse_server("http://konferenz.example.de/rat")
    assert (origin, tenant, len(notes)) == ("https://konferenz.example.de", "rat", 1)
    assert parse_server("http://localhost:8080") == ("http://localhost:8080", None, [])
    assert parse_server("konferenz.example.de") == ("https://konferenz.example.de", None, [])


DOCKER = EvaluatedConfig(defined=True, values={
    "hosts.domain": "meet.jitsi", "hosts.muc": "muc.meet.jitsi",
    "hosts.anonymousdomain": "guest.meet.jitsi",
    "websocket": "wss://konferenz.example.de/xmpp-websocket", "bosh": "/http-bind",
    "p2p.enabled": False, "startWithAudioMuted": True, "startWithVideoMuted": True})


def test_report_in_german_lists_what_a_client_uses():
    deployment = deployment_from_config(DOCKER, "https://konferenz.example.de", None,
                                        config_url=config_js_url("https://konferenz.example.de"),
                                        source=ConfigSource.CONFIG_JS)
    text = _report(deployment, [], None, None, False, "de")
    assert text.splitlines() == [
        "Serverprüfung für https://konferenz.example.de",
        "",
        "  Konfiguration:                   config.js (https://konferenz.example.de/config.js)",
        "  Mandant:                         (keine Angabe)",
        "  XMPP-Domain:                     meet.jitsi",
        "  Gast-Domain:                     guest.meet.jitsi",
        "  Konferenz-Domain (MUC):          muc.meet.jitsi",
        "  Konferenzdienst (Fokus):         focus.meet.jitsi",
        "  WebSocket:                       wss://konferenz.example.de/xmpp-websocket",
        "  BOSH:                            https://konferenz.example.de/http-bind",
        "  Konferenzanfrage:                über XMPP",
        "  Direktverbindung (Peer-to-Peer): aus",
        "  Beim Beitritt aus:               Mikrofon, Kamera",
        "",
        "Ergebnis: Der Server kann verwendet werden.",
    ]


def test_report_in_english_with_defaults_warnings_and_a_failed_stream():
    deployment = default_deployment("https://konferenz.example.de", "rat")
    error = XmppStreamRefusedError(host="konferenz.example.de", domain="konferenz.example.de")
    text = _report(deployment, ["The address began with http://; Treffpunkt uses the encrypted "
                                "https:// instead."], None, error, True, "en")
    lines = text.splitlines()
    width = len("Conference service (focus):") + 1   # the longest label sets the column

    def row(label: str, value: str) -> str:
        return f"  {label + ':':<{width}}{value}"

    assert lines[2] == row("Configuration", "standard values (no config.js found)")
    assert lines[3] == row("Tenant", "rat")
    assert row("Conference domain (MUC)", "conference.rat.konferenz.example.de") in lines
    assert row("XMPP connection", "The XMPP service of konferenz.example.de did not open a "
               "connection for the domain konferenz.example.de.") in lines
    warnings = lines[lines.index("Warnings:") + 1:lines.index("Warnings:") + 3]
    assert warnings[0].startswith("  - The address began with http://")
    assert warnings[1].startswith("  - konferenz.example.de publishes no config.js")
    assert lines[-1] == "Result: the configuration was found, but the XMPP connection failed."
