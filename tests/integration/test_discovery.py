"""Deployment discovery against the rig's TLS web server (and Prosody for `check --connect`).

Everything runs on the test namespace's loopback: the rig's config.js server with
certificates from the rig CA, trusted only through ``TrustSettings.extra_ca_file``.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from client.errors import (
    CertificateNameMismatchError,
    ConfigMemoryLimitError,
    ConfigNotObjectError,
    ConfigSyntaxError,
    ConfigTimeLimitError,
    ConfigTooLargeError,
    InsecureConnectionError,
    NotJitsiServerError,
    ServerHttpError,
    ServerRedirectError,
    ServerResponseError,
    ServerTimeoutError,
    ServerUnreachableError,
    UntrustedCertificateError,
)
from client.jitsi.configjs import WALL_CLOCK_LIMIT_S
from client.jitsi.deployment import ConfigSource, Deployment, discover
from client.net import TrustSettings
from tests.rig.process import LOOPBACK, free_tcp_port
from tests.rig.tls import TestCA
from tests.rig.web import ConfigWebServer

pytestmark = pytest.mark.rig

ROOT = Path(__file__).resolve().parents[2]

JITSI_INDEX = ("<!DOCTYPE html><html><head><title>Stadt Musterhausen – Videokonferenz</title>"
               "<script src=\"libs/lib-jitsi-meet.min.js?v=139\"></script>"
               "<script src=\"libs/app.bundle.min.js?v=139\"></script></head>"
               "<body><div id=\"react\"></div></body></html>")
OTHER_INDEX = ("<!DOCTYPE html><html><head><title>Stadtverwaltung Musterhausen</title></head>"
               "<body>Öffnungszeiten: Mo–Fr 8–12 Uhr</body></html>")


def run_discover(rig, tenant: str | None = None, room: str | None = None, *,  # noqa: ANN001
                 trusted: bool = True, server_url: str | None = None,
                 timeout_s: float = 10.0) -> Deployment:
    trust = TrustSettings(extra_ca_file=rig.ca_file if trusted else None)
    return asyncio.run(discover(server_url or rig.base_url, tenant, room, trust=trust,
                                timeout_s=timeout_s))


def config_requests(rig) -> list:  # noqa: ANN001
    return [r for r in rig.web.requests if r.path.endswith("config.js")]


# --- both real shapes, tenants, defaults ---------------------------------------------------

@pytest.mark.parametrize("shape", ["object", "assignments"])
def test_discovery_reads_both_real_config_shapes(rig, room, shape: str):  # noqa: ANN001
    rig.web.set_config_shape(shape)
    deployment = run_discover(rig, room=room)
    assert deployment.source is ConfigSource.CONFIG_JS
    assert deployment.server_url == rig.base_url
    assert deployment.xmpp_domain == rig.xmpp_domain
    assert deployment.muc_domain == rig.muc_domain
    assert deployment.focus_jid == rig.focus_domain
    assert deployment.auth_domain == rig.auth_domain
    assert deployment.websocket_url == rig.websocket_url
    assert deployment.bosh_url == rig.bosh_url
    assert deployment.websocket_url_for(room) == f"{rig.websocket_url}?room={room}"
    assert deployment.warnings == ()
    [request] = config_requests(rig)
    assert (request.path, request.query) == ("/config.js", {"room": [room]})
    assert request.headers["user-agent"].startswith("Treffpunkt/")


def test_assignment_shape_keeps_its_extras(rig, room):  # noqa: ANN001
    rig.web.set_config_shape("assignments")
    deployment = run_discover(rig, room=room)
    assert deployment.focus_user_jid == f"focus@{rig.focus_domain}"
    assert deployment.start_video_muted_after == 10
    assert deployment.flags == {"sourceNameSignaling": True}
    assert deployment.p2p.enabled and deployment.p2p.stun_urls == (f"stun:{LOOPBACK}:3478",)


def test_tenant_path_is_asked_for_its_own_config(rig, room):  # noqa: ANN001
    deployment = run_discover(rig, tenant="stadtrat", room=room)
    assert deployment.tenant == "stadtrat"
    assert deployment.xmpp_domain == rig.xmpp_domain
    [request] = config_requests(rig)
    assert (request.path, request.query) == ("/stadtrat/config.js", {"room": [room]})


def test_tenant_taken_from_the_server_url_path(rig, room):  # noqa: ANN001
    run_discover(rig, room=room, server_url=f"{rig.base_url}/schule/")
    assert [r.path for r in config_requests(rig)] == ["/schule/config.js"]


def test_tenant_config_served_without_ssi_gets_the_tenant_muc(rig, room):  # noqa: ANN001
    # Debian's template as a server without SSI would send it: the directives are still there.
    rig.web.set_config_js(
        "var subdir = '<!--# echo var=\"subdir\" default=\"\" -->';\n"
        "var subdomain = \"<!--# echo var=\"subdomain\" default=\"\" -->\";\n"
        "if (subdir.startsWith('<!--')) { subdir = ''; }\n"
        "if (subdomain) { subdomain = subdomain.substr(0, subdomain.length - 1)"
        ".split('.').join('_').toLowerCase() + '.'; }\n"
        f"var config = {{ hosts: {{ domain: '{rig.xmpp_domain}', "
        f"muc: 'conference.' + subdomain + '{rig.xmpp_domain}' }},\n"
        "  websocket: 'wss://' + location.host + '/' + subdir + 'xmpp-websocket' };\n",
        tenant="Stadtrat")
    deployment = run_discover(rig, tenant="Stadtrat", room=room)
    host = rig.base_url.removeprefix("https://")
    assert deployment.muc_domain == f"conference.stadtrat.{rig.xmpp_domain}"
    assert deployment.websocket_url == f"wss://{host}/Stadtrat/xmpp-websocket"
    assert [w.template for w in deployment.warnings] == [
        "The server sends config.js without filling in its SSI variables; Treffpunkt filled "
        "them in itself."]


def test_missing_config_js_falls_back_to_defaults_with_a_warning(rig, room):  # noqa: ANN001
    rig.web.set_route("/config.js", body="Not Found", status=404)
    rig.web.set_route("/", body=JITSI_INDEX, content_type="text/html; charset=utf-8")
    deployment = run_discover(rig, room=room)
    host = rig.base_url.removeprefix("https://")
    assert deployment.source is ConfigSource.DEFAULTS
    assert deployment.xmpp_domain == "localhost"
    assert deployment.muc_domain == "conference.localhost"
    assert deployment.focus_jid == "focus.localhost"
    assert deployment.websocket_url == f"wss://{host}/xmpp-websocket"
    assert deployment.bosh_url == f"https://{host}/http-bind"
    [warning] = deployment.warnings
    assert warning.message("de").startswith("localhost stellt keine config.js bereit")


def test_spa_answering_html_for_config_js_counts_as_missing(rig, room):  # noqa: ANN001
    rig.web.set_route("/config.js", body=JITSI_INDEX, content_type="text/html")
    rig.web.set_route("/", body=JITSI_INDEX, content_type="text/html")
    assert run_discover(rig, room=room).source is ConfigSource.DEFAULTS


def test_no_config_js_and_a_foreign_index_page_is_not_jitsi(rig, room):  # noqa: ANN001
    rig.web.set_route("/config.js", body="Not Found", status=404)
    rig.web.set_route("/", body=OTHER_INDEX, content_type="text/html; charset=utf-8")
    with pytest.raises(NotJitsiServerError) as info:
        run_discover(rig, room=room)
    assert info.value.user_message("de") == "localhost scheint kein Jitsi-Meet-Server zu sein."


def test_some_other_apps_config_js_is_not_jitsi(rig, room):  # noqa: ANN001
    rig.web.set_config_js("export default { apiUrl: '/api' };")   # an ES module: syntax error
    rig.web.set_route("/", body=OTHER_INDEX, content_type="text/html")
    with pytest.raises(NotJitsiServerError):
        run_discover(rig, room=room)


def test_config_js_without_config_and_a_jitsi_index_uses_defaults(rig, room):  # noqa: ANN001
    rig.web.set_config_js("var interfaceConfig = {};")
    rig.web.set_route("/", body=JITSI_INDEX, content_type="text/html")
    assert run_discover(rig, room=room).source is ConfigSource.DEFAULTS


# --- hostile config.js over HTTPS ----------------------------------------------------------------

@pytest.mark.parametrize(("source", "error"), [
    ("var config = {}; while (true) {}", ConfigTimeLimitError),
    ("var a = []; for (;;) { a.push('x'.repeat(1 << 20) + a.length); }", ConfigMemoryLimitError),
    ("var config = { hosts: { domain: ", ConfigSyntaxError),
    ("var config = 'meet.example.org';", ConfigNotObjectError),
])
def test_hostile_config_js_fails_cleanly_within_the_limits(rig, room, source, error):  # noqa: ANN001
    rig.web.set_config_js(source)
    began = time.monotonic()
    with pytest.raises(error) as info:
        run_discover(rig, room=room)
    assert time.monotonic() - began < WALL_CLOCK_LIMIT_S + 3
    assert info.value.details["host"] == "localhost"
    assert "config.js" in info.value.user_message("de")


@pytest.mark.parametrize("chunked", [False, True])
def test_fifty_megabyte_config_js_is_refused_without_reading_it(rig, room, chunked: bool):  # noqa: ANN001
    rig.web.set_route("/config.js", size=50 * 1024 * 1024, chunked=chunked,
                      content_type="application/javascript")
    began = time.monotonic()
    with pytest.raises(ConfigTooLargeError) as info:
        run_discover(rig, room=room)
    assert time.monotonic() - began < 5
    assert info.value.user_message("de") == (
        "Die Konfiguration von localhost (config.js) ist größer als 2048 KB und wurde "
        "nicht gelesen.")


# --- TLS, reachability, HTTP ---------------------------------------------------------------------

def test_untrusted_certificate_fails_with_the_certificate_message(rig, room):  # noqa: ANN001
    with pytest.raises(UntrustedCertificateError) as info:
        run_discover(rig, room=room, trusted=False)
    assert info.value.details["host"] == "localhost"
    assert info.value.user_message("en") == (
        "The security certificate of localhost was not issued by an authority that Treffpunkt "
        "trusts. The connection was not made.")
    assert info.value.user_message("de").startswith("Das Sicherheitszertifikat von localhost")
    assert config_requests(rig) == []   # nothing was sent over the untrusted connection


def test_certificate_for_another_name_is_refused(rig):  # noqa: ANN001
    other = ConfigWebServer(rig.ca.issue("other", ["other.example"]), rig.web.addresses)
    other.start()
    try:
        with pytest.raises(CertificateNameMismatchError) as info:
            run_discover(rig, server_url=other.base_url)
    finally:
        other.stop()
    assert info.value.details["host"] == "localhost"
    assert "localhost" in info.value.user_message("de")


def test_a_ca_that_is_not_the_servers_does_not_help(rig, tmp_path: Path):  # noqa: ANN001
    stranger = TestCA(tmp_path / "stranger")
    with pytest.raises(UntrustedCertificateError):
        asyncio.run(discover(rig.base_url, trust=TrustSettings(extra_ca_file=stranger.ca_file)))


def test_unreachable_port_is_server_unreachable():
    port = free_tcp_port()
    began = time.monotonic()
    with pytest.raises(ServerUnreachableError) as info:
        asyncio.run(discover(f"https://127.0.0.1:{port}", timeout_s=5))
    assert time.monotonic() - began < 5
    assert info.value.details["host"] == "127.0.0.1"
    assert info.value.user_message("de") == ("Der Server 127.0.0.1 ist nicht erreichbar. Bitte "
                                             "prüfen Sie die Adresse und Ihre Internetverbindung.")


def test_a_server_that_does_not_answer_times_out(rig, room):  # noqa: ANN001
    rig.web.set_route("/config.js", body="var config = {};", delay_s=3.0,
                      content_type="application/javascript")
    began = time.monotonic()
    with pytest.raises(ServerTimeoutError):
        run_discover(rig, room=room, timeout_s=0.5)
    assert time.monotonic() - began < 2.9   # the server would only answer after 3 s


def test_server_error_status_is_reported(rig, room):  # noqa: ANN001
    rig.web.set_route("/config.js", body="oops", status=503)
    with pytest.raises(ServerHttpError) as info:
        run_discover(rig, room=room)
    assert info.value.details["status"] == 503


def test_same_host_redirect_is_followed(rig, room):  # noqa: ANN001
    rig.web.set_route("/config.js", status=301, headers={"Location": "/static/config.js"})
    rig.web.set_route("/static/config.js", body=rig.web.generated_config_js(),
                      content_type="application/javascript")
    assert run_discover(rig, room=room).xmpp_domain == rig.xmpp_domain


def test_redirect_to_another_server_is_refused(rig, room):  # noqa: ANN001
    rig.web.set_route("/config.js", status=302,
                      headers={"Location": "https://meet.jit.si/config.js"})
    with pytest.raises(ServerRedirectError) as info:
        run_discover(rig, room=room)
    assert info.value.details == {"host": "localhost", "target": "meet.jit.si"}


def test_redirect_to_plain_http_is_refused_even_on_loopback(rig, room):  # noqa: ANN001
    port = rig.base_url.rsplit(":", 1)[1]
    rig.web.set_route("/config.js", status=302,
                      headers={"Location": f"http://localhost:{port}/config.js"})
    with pytest.raises(InsecureConnectionError):
        run_discover(rig, room=room)


def test_redirect_loop_ends(rig, room):  # noqa: ANN001
    rig.web.set_route("/config.js", status=302, headers={"Location": "/config.js"})
    with pytest.raises(ServerResponseError) as info:
        run_discover(rig, room=room)
    assert "redirects" in info.value.details["detail"]


# --- the command line --------------------------------------------------------------------------

def run_cli(*args: str, lang: str = "de") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
    return subprocess.run([sys.executable, "-m", "client", "check", *args, "--lang", lang],
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=60)


def test_cli_check_reports_a_working_server_in_german(rig, room):  # noqa: ANN001
    rig.web.set_config_shape("assignments")
    result = run_cli(rig.base_url, "--room", room, "--ca-file", str(rig.ca_file))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert f"Serverprüfung für {rig.base_url}" in out
    assert "XMPP-Domain:" in out and rig.xmpp_domain in out
    assert f"Konferenz-Domain (MUC):" in out and rig.muc_domain in out
    assert rig.websocket_url in out
    assert "Direktverbindung (Peer-to-Peer):" in out
    assert "Ergebnis: Der Server kann verwendet werden." in out


def test_cli_check_connect_opens_the_xmpp_stream(rig, room):  # noqa: ANN001
    result = run_cli(rig.base_url, "--room", room, "--ca-file", str(rig.ca_file), "--connect",
                     "--json", lang="en")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["ok"] is True
    assert data["deployment"]["xmpp_domain"] == rig.xmpp_domain
    assert data["xmpp"]["ok"] is True
    assert data["xmpp"]["stream_from"] == rig.xmpp_domain
    assert "ANONYMOUS" in data["xmpp"]["mechanisms"]
    assert data["xmpp"]["url"] == f"{rig.websocket_url}?room={room}"


def test_cli_check_connect_reports_a_wrong_xmpp_domain(rig, room):  # noqa: ANN001
    # Typical docker mistake (spec §7.3): the public host name used as XMPP domain.
    rig.web.set_config_js(f"var config = {{ hosts: {{ domain: 'wrong.example', "
                          f"muc: 'conference.wrong.example' }}, "
                          f"websocket: '{rig.websocket_url}' }};")
    result = run_cli(rig.base_url, "--room", room, "--ca-file", str(rig.ca_file), "--connect")
    assert result.returncode == 3, result.stdout + result.stderr
    assert ("Der XMPP-Dienst von localhost hat keine Verbindung für die Domain wrong.example "
            "geöffnet.") in result.stdout


def test_cli_check_untrusted_certificate_exits_non_zero_in_german(rig):  # noqa: ANN001
    result = run_cli(rig.base_url)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "Das Sicherheitszertifikat von localhost wurde nicht von einer Stelle ausgestellt, der "
        "Treffpunkt vertraut. Die Verbindung wurde nicht hergestellt.",
        "Ergebnis: Der Server kann nicht verwendet werden."]


def test_cli_check_json_failure(rig):  # noqa: ANN001
    rig.web.set_config_js("while (true) {}")
    try:
        result = run_cli(rig.base_url, "--ca-file", str(rig.ca_file), "--json", lang="en")
    finally:
        rig.web.reset()
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data == {"ok": False, "error": {
        "kind": "config-rejected", "reason": "time-limit", "host": "localhost",
        "message": "The configuration of localhost (config.js) took too long to evaluate and "
                   "was stopped."}}
