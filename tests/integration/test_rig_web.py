"""The rig's config.js server: both real shapes, tenants, hostile bodies, TLS with the rig CA."""

from __future__ import annotations

import json
import ssl
import urllib.error
import urllib.request

import pytest
import quickjs

from client.net import TrustSettings

pytestmark = pytest.mark.rig


def fetch(rig, path: str, *, trust_rig: bool = True) -> tuple[int, bytes, dict[str, str]]:  # noqa: ANN001
    ctx = TrustSettings(extra_ca_file=rig.ca_file if trust_rig else None).ssl_context()
    with urllib.request.urlopen(rig.base_url + path, context=ctx, timeout=10) as response:
        return response.status, response.read(), dict(response.headers)


def evaluate(config_js: str) -> dict:
    """What a client reads: run the file in a JS engine, take JSON.stringify(config)."""
    context = quickjs.Context()
    context.set_time_limit(2)
    context.eval("var window = {location: {}}; var module = undefined;")
    context.eval(config_js)
    return json.loads(context.eval("JSON.stringify(config)"))


@pytest.mark.parametrize("shape", ["object", "assignments"])
def test_config_js_in_both_shapes_points_at_the_rig(rig, room, shape: str) -> None:  # noqa: ANN001
    rig.web.set_config_shape(shape)
    status, body, headers = fetch(rig, f"/config.js?room={room}")
    assert status == 200 and headers["Content-Type"].startswith("application/javascript")
    text = body.decode()
    if shape == "object":
        assert "var config = {" in text and "'conference.' + domain" in text
    else:
        assert "var config = {};" in text and "config.hosts.domain =" in text
    config = evaluate(text)
    assert config["hosts"]["domain"] == rig.xmpp_domain
    assert config["hosts"]["muc"] == rig.muc_domain
    assert config["hosts"]["focus"] == rig.focus_domain
    assert config["websocket"] == rig.websocket_url
    assert config["bosh"] == rig.bosh_url
    # The request log keeps the ?room= query a client sends.
    assert rig.web.requests[-1].path == "/config.js"
    assert rig.web.requests[-1].query == {"room": [room]}


def test_tenant_config_js_fills_in_the_ssi_variables(rig) -> None:  # noqa: ANN001
    status, body, _ = fetch(rig, "/Stadtrat/config.js?room=sitzung")
    assert status == 200
    assert "var subdir = 'Stadtrat/';" in body.decode()
    assert evaluate(body.decode())["hosts"]["domain"] == rig.xmpp_domain


def test_a_test_can_serve_any_text_and_reset_it(rig, room) -> None:  # noqa: ANN001
    rig.web.set_config_js("var config = { hosts: { domain: 'x.example' } };", tenant="t1")
    assert fetch(rig, "/t1/config.js")[1] == b"var config = { hosts: { domain: 'x.example' } };"
    assert b"meet.localhost" in fetch(rig, "/config.js")[1]       # the root is untouched
    rig.web.reset()
    assert b"x.example" not in fetch(rig, "/t1/config.js")[1]


def test_a_big_body_streams_without_being_held_in_memory(rig, room) -> None:  # noqa: ANN001
    size = 50 * 1024 * 1024
    rig.web.set_route("/config.js", size=size, content_type="application/javascript")
    ctx = TrustSettings(extra_ca_file=rig.ca_file).ssl_context()
    with urllib.request.urlopen(rig.base_url + "/config.js", context=ctx, timeout=20) as response:
        assert int(response.headers["Content-Length"]) == size
        first = response.read(1024)
        assert first.startswith(b"// xxx")
        total = len(first)
        while chunk := response.read(1 << 20):
            total += len(chunk)
    assert total == size


def test_index_page_for_room_urls_and_404_for_unknown_files(rig) -> None:  # noqa: ANN001
    assert b"<title>Jitsi Meet</title>" in fetch(rig, "/stadtrat/sitzung")[1]
    with pytest.raises(urllib.error.HTTPError) as info:
        fetch(rig, "/nothing/here/at.all")
    assert info.value.code == 404


def test_the_web_server_is_only_trusted_with_the_rig_ca(rig) -> None:  # noqa: ANN001
    with pytest.raises(urllib.error.URLError) as info:
        fetch(rig, "/config.js", trust_rig=False)
    assert isinstance(info.value.reason, ssl.SSLCertVerificationError)
