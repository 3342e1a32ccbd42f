"""config.js in the QuickJS sandbox: both real shapes, modern syntax, hostile input, whitelist."""

from __future__ import annotations

import asyncio
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from client.errors import (
    ConfigMemoryLimitError,
    ConfigNotObjectError,
    ConfigRejectedError,
    ConfigScriptError,
    ConfigSyntaxError,
    ConfigTimeLimitError,
    ConfigTooLargeError,
)
from client.jitsi import configjs
from client.jitsi.configjs import (
    MAX_SOURCE_BYTES,
    EvaluatedConfig,
    evaluate_config_js,
    fill_ssi,
    ssi_variables,
    whitelist,
)

HOST = "konferenz.example.de"
PAGE = f"https://{HOST}/stadtrat/sitzung"

# Debian's jitsi-meet-web-config shape: object literal, comments, trailing commas,
# string concatenation, SSI preamble already processed by nginx (no tenant).
OBJECT_SHAPE = """/* eslint-disable comma-dangle, no-unused-vars, no-var, prefer-template */
var subdir = '';
var subdomain = "";
if (subdomain) {
    subdomain = subdomain.substr(0, subdomain.length - 1).split('.')
        .join('_')
        .toLowerCase() + '.';
}
if (subdir.startsWith('<!--')) {
    subdir = '';
}
var enableJaaS = false;
var config = {
    hosts: {
        // XMPP domain.
        domain: 'konferenz.example.de',
        // anonymousdomain: 'guest.example.com',
        muc: 'conference.' + subdomain + 'konferenz.example.de', // FIXME: use XEP-0030
    },
    bosh: 'https://konferenz.example.de/' + subdir + 'http-bind',
    websocket: 'wss://konferenz.example.de/' + subdir + 'xmpp-websocket',
    /* p2p */
    p2p: {
        enabled: true,
        stunServers: [
            { urls: 'stun:meet-jit-si-turnrelay.jitsi.net:443' },
        ],
    },
    startWithAudioMuted: true,
    prejoinConfig: { enabled: true, hideDisplayName: false, },
    analytics: { amplitudeAPPKey: 'ignored' },
    toolbarButtons: ['microphone', 'camera'],
    makeJsonParserHappy: 'even if last key had a trailing comma',
};
if (enableJaaS) {
    config.dialInNumbersUrl = 'https://conference-mapper.jitsi.net/v1/access/dids';
}
/* eslint-enable no-unused-vars, no-var */
"""

# docker-jitsi-meet's shape: ``var config = {}`` and assignment statements.
ASSIGNMENT_SHAPE = """// Jitsi Meet configuration.
var config = {};
if (!config.hasOwnProperty('hosts')) config.hosts = {};
config.hosts.domain = 'meet.jitsi';
config.focusUserJid = 'focus@auth.meet.jitsi';
var subdir = 'stadtrat/';
var subdomain = "stadtrat.";
if (subdir.startsWith('<!--')) {
    subdir = '';
}
if (subdomain) {
    subdomain = subdomain.substr(0,subdomain.length-1).split('.').join('_').toLowerCase() + '.';
}
config.hosts.muc = 'muc.' + subdomain + 'meet.jitsi';
config.hosts.anonymousdomain = 'guest.meet.jitsi';
config.hosts.authdomain = 'meet.jitsi';
config.bosh = '/' + subdir + 'http-bind';
config.websocket = 'wss://konferenz.example.de/' + subdir + 'xmpp-websocket';
config.startVideoMuted = 10;
config.startWithVideoMuted = false;
if (!config.hasOwnProperty('flags')) config.flags = {};
config.flags.sourceNameSignaling = true;
config.flags = config.flags || {};
config.flags.receiveMultipleVideoStreams = true;
if (!config.hasOwnProperty('p2p')) config.p2p = {};
config.p2p.enabled = false;
config.p2p.stunServers = 'stun:konferenz.example.de:3478,stun:turn.example.de:443'.split(',')
    .map(function (url) { return { urls: url }; });
config.channelLastN = -1;
config.requireDisplayName = true;
if (!config.hasOwnProperty('deploymentInfo')) config.deploymentInfo = {};
"""

MODERN_SYNTAX = """
const base = { hosts: { domain: 'meet.example.org' } };
const extra = { muc: `conference.${base.hosts.domain}` };
let config = { ...base, hosts: { ...base.hosts, ...extra },
               p2p: { enabled: base.p2p?.enabled ?? true } };
class Unused { #secret = 1; get x() { return this.#secret; } }
"""


def evaluate(source: str | bytes, **kwargs) -> EvaluatedConfig:  # noqa: ANN003
    return asyncio.run(evaluate_config_js(source, host=HOST, page_url=PAGE, **kwargs))


def test_object_literal_shape_keeps_only_whitelisted_keys():
    result = evaluate(OBJECT_SHAPE)
    assert result.defined
    assert result.values == {
        "hosts.domain": "konferenz.example.de",
        "hosts.muc": "conference.konferenz.example.de",
        "bosh": "https://konferenz.example.de/http-bind",
        "websocket": "wss://konferenz.example.de/xmpp-websocket",
        "p2p.enabled": True,
        "p2p.stunServers": ("stun:meet-jit-si-turnrelay.jitsi.net:443",),
        "startWithAudioMuted": True,
        "prejoinConfig.enabled": True,
        "prejoinConfig.hideDisplayName": False,
    }
    assert result.warnings == ()


def test_assignment_shape_with_split_map_and_tenant_variables():
    result = evaluate(ASSIGNMENT_SHAPE)
    assert result.values == {
        "hosts.domain": "meet.jitsi",
        "hosts.muc": "muc.stadtrat.meet.jitsi",
        "hosts.anonymousdomain": "guest.meet.jitsi",
        "hosts.authdomain": "meet.jitsi",
        "focusUserJid": "focus@auth.meet.jitsi",
        "bosh": "/stadtrat/http-bind",
        "websocket": "wss://konferenz.example.de/stadtrat/xmpp-websocket",
        "startVideoMuted": 10,
        "startWithVideoMuted": False,
        "flags.sourceNameSignaling": True,
        "flags.receiveMultipleVideoStreams": True,
        "p2p.enabled": False,
        "p2p.stunServers": ("stun:konferenz.example.de:3478", "stun:turn.example.de:443"),
        "channelLastN": -1,
        "requireDisplayName": True,
    }


def test_modern_syntax_and_let_bound_config_are_read():
    result = evaluate(MODERN_SYNTAX)
    assert result.values == {"hosts.domain": "meet.example.org",
                             "hosts.muc": "conference.meet.example.org", "p2p.enabled": True}


def test_window_location_is_the_meeting_page():
    source = ("var config = {hosts: {domain: window.location.hostname}, "
              "bosh: '//' + location.host + '/http-bind', "
              "websocket: 'wss://' + document.location.host + window.location.pathname};"
              "window.config.hosts.muc = 'conference.' + config.hosts.domain;"
              "console.log('harmless'); if (typeof module === 'object') module.exports = config;")
    result = evaluate(source)
    assert result.values == {"hosts.domain": HOST, "hosts.muc": f"conference.{HOST}",
                             "bosh": f"//{HOST}/http-bind",
                             "websocket": f"wss://{HOST}/stadtrat/sitzung"}


def test_file_without_config_is_reported_as_undefined_not_as_error():
    assert evaluate("var interfaceConfig = {APP_NAME: 'Jitsi Meet'};") == \
        EvaluatedConfig(defined=False)


# --- hostile and broken input ----------------------------------------------------------

def rejected(source: str | bytes) -> tuple[ConfigRejectedError, float]:
    began = time.monotonic()
    with pytest.raises(ConfigRejectedError) as info:
        evaluate(source)
    return info.value, time.monotonic() - began


def test_infinite_loop_is_stopped_by_the_time_limit():
    error, elapsed = rejected("var config = {}; while (true) {}")
    assert isinstance(error, ConfigTimeLimitError)
    assert error.details["host"] == HOST
    # QuickJS's own limit normally ends it ("interrupted"); on a starved machine the
    # parent's wall-clock kill does.  Either way it ends within the wall-clock limit.
    assert error.details["detail"].startswith(("InternalError: interrupted", "killed after"))
    assert elapsed < configjs.WALL_CLOCK_LIMIT_S + 3


def test_loop_inside_a_getter_read_after_evaluation_is_stopped_too():
    error, elapsed = rejected(
        "var config = {}; Object.defineProperty(config, 'hosts', "
        "{enumerable: true, get: function () { for (;;) {} }});")
    assert isinstance(error, ConfigTimeLimitError)
    assert elapsed < configjs.WALL_CLOCK_LIMIT_S + 3


def test_memory_bomb_hits_the_memory_limit():
    error, _ = rejected("var a = []; for (;;) { a.push('x'.repeat(1 << 20) + a.length); }")
    assert isinstance(error, ConfigMemoryLimitError)


def test_runaway_recursion_is_a_resource_limit_not_a_crash():
    error, _ = rejected("function f(n) { return f(n + 1) + 1; } var config = {x: f(0)};")
    assert isinstance(error, ConfigMemoryLimitError)


def test_fifty_megabytes_are_refused_before_evaluation():
    error, elapsed = rejected(b"// " + b"x" * (50 * 1024 * 1024))
    assert isinstance(error, ConfigTooLargeError)
    assert error.details["limit_kb"] == MAX_SOURCE_BYTES // 1024
    assert elapsed < 3   # no child was started for it


def test_exactly_the_size_limit_is_still_evaluated():
    filler = b"var config = {hosts: {domain: 'a.example'}};\n"
    source = filler + b"//" + b"x" * (MAX_SOURCE_BYTES - len(filler) - 2)
    assert len(source) == MAX_SOURCE_BYTES
    assert evaluate(source).values == {"hosts.domain": "a.example"}


def test_huge_result_is_refused():
    error, _ = rejected("var config = {hosts: {domain: 'x'.repeat(4 << 20)}};")
    assert isinstance(error, ConfigTooLargeError)


def test_syntax_error():
    error, _ = rejected("var config = { hosts: { domain: 'a' ")
    assert isinstance(error, ConfigSyntaxError)
    assert "SyntaxError" in error.details["detail"]


def test_unprocessed_ssi_in_double_quotes_is_a_syntax_error_without_help():
    error, _ = rejected('var subdomain = "<!--# echo var="subdomain" default="" -->";\n'
                        "var config = {};")
    assert isinstance(error, ConfigSyntaxError)


def test_runtime_error():
    error, _ = rejected("var config = {}; config.hosts.domain = 'x';")
    assert isinstance(error, ConfigScriptError)


@pytest.mark.parametrize("source", ["var config = 42;", "var config = 'text';",
                                    "var config = null;", "var config = [1, 2];",
                                    "var config = function () {};"])
def test_non_object_config(source: str):
    error, _ = rejected(source)
    assert isinstance(error, ConfigNotObjectError)
    assert "config.js" in error.user_message("de") and HOST in error.user_message("de")


def test_the_engine_offers_no_host_objects():
    names = ["require", "process", "fetch", "std", "os", "XMLHttpRequest", "WebSocket",
             "importScripts", "Deno", "Bun", "print", "scriptArgs", "setTimeout"]
    probe = ("var config = {hosts: {domain: 'probe.example'}, bosh: [" +
             ", ".join(f"typeof {n}" for n in names) + "].join('-')};")
    # The probe's answer goes through the URL validator; read it back raw instead.
    result = evaluate(probe.replace("bosh:", "tokenAuthUrl:"))
    assert result.get("tokenAuthUrl") == "-".join(["undefined"] * len(names))


def test_dynamic_import_cannot_load_files():
    source = ("var config = {hosts: {domain: 'x.example'}}; var seen = 'none';"
              "import('/etc/passwd').then(function () { config.hosts.domain = 'loaded.example'; });"
              "import('os').then(function () { config.hosts.domain = 'loaded.example'; });")
    assert evaluate(source).values == {"hosts.domain": "x.example"}


def test_replacing_json_or_prototype_methods_does_not_change_how_config_is_read():
    source = ("var config = {hosts: {domain: 'real.example'}};"
              "JSON.stringify = function () { return '{\"config\":{\"hosts\":"
              "{\"domain\":\"fake.example\"}}}'; };"
              "Object.prototype.hasOwnProperty = function () { return true; };"
              "Array.isArray = function () { return true; };")
    assert evaluate(source).values == {"hosts.domain": "real.example"}


def test_the_reader_function_cannot_be_replaced():
    error, _ = rejected("var __treffpunktExtract = function () { return '{}'; };"
                        "var config = {};")
    assert isinstance(error, ConfigSyntaxError)  # a redeclaration of our const


def test_prototype_pollution_does_not_invent_whitelisted_keys():
    source = ("Object.prototype.websocket = 'wss://evil.example/xmpp-websocket';"
              "Object.prototype.domain = 'evil.example';"
              "var config = {hosts: {muc: 'conference.good.example'}};")
    assert evaluate(source).values == {"hosts.muc": "conference.good.example"}


def test_the_wall_clock_limit_kills_the_child(monkeypatch: pytest.MonkeyPatch):
    processes = _record_children(monkeypatch)
    monkeypatch.setattr(configjs, "WALL_CLOCK_LIMIT_S", 0.3)
    monkeypatch.setattr(configjs, "TIME_LIMIT_S", 30)
    began = time.monotonic()
    with pytest.raises(ConfigTimeLimitError):
        evaluate("for (;;) {}")
    assert time.monotonic() - began < 5   # well before the engine's 30 s
    assert processes and all(p.returncode is not None for p in processes)


def test_cancelling_an_evaluation_ends_the_child(monkeypatch: pytest.MonkeyPatch):
    processes = _record_children(monkeypatch)
    monkeypatch.setattr(configjs, "TIME_LIMIT_S", 30)

    async def scenario() -> None:
        task = asyncio.create_task(evaluate_config_js("for (;;) {}", host=HOST))
        while not processes:
            await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(scenario())
    assert len(processes) == 1 and processes[0].returncode is not None


def _record_children(monkeypatch: pytest.MonkeyPatch) -> list[asyncio.subprocess.Process]:
    started: list[asyncio.subprocess.Process] = []
    original = asyncio.create_subprocess_exec

    async def recording(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        process = await original(*args, **kwargs)
        started.append(process)
        return process

    monkeypatch.setattr(configjs.asyncio, "create_subprocess_exec", recording)
    return started


def test_the_child_runs_with_an_empty_environment(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("TREFFPUNKT_SECRET_PROBE", "leak")
    processes = _record_children(monkeypatch)
    seen: list[bytes] = []

    async def scenario() -> None:
        task = asyncio.create_task(evaluate_config_js("for (;;) {}", host=HOST))
        while not processes:
            await asyncio.sleep(0.01)
        with open(f"/proc/{processes[0].pid}/environ", "rb") as environ:
            seen.append(environ.read())
        with pytest.raises(ConfigTimeLimitError):
            await task

    asyncio.run(scenario())
    assert seen == [b""]


# --- SSI left unprocessed by the server ------------------------------------------------------

DEBIAN_TEMPLATE = b"""var subdir = '<!--# echo var="subdir" default="" -->';
var subdomain = "<!--# echo var="subdomain" default="" -->";
if (subdir.startsWith('<!--')) { subdir = ''; }
if (subdomain) {
    subdomain = subdomain.substr(0, subdomain.length - 1).split('.').join('_').toLowerCase() + '.';
}
var config = {
    hosts: { domain: 'meet.example.org', muc: 'conference.' + subdomain + 'meet.example.org' },
    websocket: 'wss://meet.example.org/' + subdir + 'xmpp-websocket',
};
"""


def test_unprocessed_ssi_is_filled_in_as_nginx_would_for_a_tenant():
    result = evaluate(DEBIAN_TEMPLATE, ssi=ssi_variables("Stadt.Rat"))
    assert result.values == {"hosts.domain": "meet.example.org",
                             "hosts.muc": "conference.stadt_rat.meet.example.org",
                             "websocket": "wss://meet.example.org/Stadt.Rat/xmpp-websocket"}
    assert [w.template for w in result.warnings] == [
        "The server sends config.js without filling in its SSI variables; Treffpunkt filled "
        "them in itself."]


def test_unprocessed_ssi_without_tenant_uses_the_directive_defaults():
    result = evaluate(DEBIAN_TEMPLATE, ssi=ssi_variables(None))
    assert result.get("hosts.muc") == "conference.meet.example.org"
    assert result.get("websocket") == "wss://meet.example.org/xmpp-websocket"


def test_ssi_values_that_could_break_out_of_a_string_are_not_inserted():
    data, found = fill_ssi(b"var s = '<!--# echo var=\"subdir\" default=\"d\" -->';",
                           {"subdir": "x';alert(1);'"})
    assert found and data == b"var s = 'd';"


def test_processed_file_is_left_alone():
    assert fill_ssi(b"var a = 'b';", {"subdir": "t/"}) == (b"var a = 'b';", False)


# --- the whitelist -------------------------------------------------------------------------

def test_unknown_keys_are_dropped_silently_and_wrong_types_with_a_warning():
    result = whitelist({
        "hosts": {"domain": "Meet.Example.ORG.", "muc": 42, "focus": "focus example"},
        "p2p": {"enabled": "yes", "iceTransportPolicy": "relay", "stunServers": [{"urls": 5}]},
        "startAudioMuted": True,           # a bool is not a number here
        "startVideoMuted": 3.0,            # JSON numbers may arrive as floats
        "channelLastN": 1.5,
        "focusUserJid": "focus@auth.meet.jitsi/resource@x",
        "websocket": "ftp://meet.example.org/xmpp-websocket",
        "roomPasswordNumberOfDigits": False,
        "openBridgeChannel": "websocket",
        "callStatsSecret": "never kept",
        "flags": {"sourceNameSignaling": True, "somethingElse": True},
    })
    assert result.values == {
        "hosts.domain": "meet.example.org",
        "p2p.iceTransportPolicy": "relay",
        "startVideoMuted": 3,
        "focusUserJid": "focus@auth.meet.jitsi/resource@x",
        "roomPasswordNumberOfDigits": False,
        "openBridgeChannel": "websocket",
        "flags.sourceNameSignaling": True,
    }
    assert sorted(w.details["key"] for w in result.warnings) == sorted([
        "hosts.muc", "hosts.focus", "p2p.enabled", "p2p.stunServers", "startAudioMuted",
        "channelLastN", "websocket"])


def test_null_values_count_as_absent():
    assert whitelist({"hosts": {"domain": None}, "bosh": None}).values == {}


def test_whitelist_warnings_are_translated():
    [warning] = whitelist({"requireDisplayName": "true"}).warnings
    assert str(warning) == ("config.js: the value of requireDisplayName has the wrong type or "
                            "form and is ignored.")
    assert warning.message("de") != str(warning)
    assert "requireDisplayName" in warning.message("de")


@pytest.mark.parametrize("jid", ["focus@@auth.x", "foc us@auth.x", "@auth.x", "focus@auth.x/",
                                 "focus@auth x"])
def test_malformed_focus_jids_are_refused(jid: str):
    assert whitelist({"focusUserJid": jid}).values == {}


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=40),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(["hosts", "domain", "muc", "p2p", "stunServers", "urls",
                                       "enabled", "flags", "websocket", "x"]) | st.text(max_size=8),
                      children, max_size=5),
    max_leaves=20)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from(sorted({k.split(".")[0] for k in configjs.WHITELIST}))
                       | st.text(max_size=10), JSON_VALUES, max_size=8))
def test_whitelist_never_raises_on_any_json(config: dict):
    result = whitelist(config)
    assert set(result.values) <= set(configjs.WHITELIST)
    assert all(w.details["key"] in configjs.WHITELIST for w in result.warnings)


def test_frozen_app_runs_the_sandbox_through_its_own_executable(tmp_path):
    """A bundle has no `python -c`: the same child program runs via the hidden flag."""
    import json
    import subprocess
    import sys

    from client.jitsi import configjs

    limits = configjs.child_limits("meet.example")
    source = b"var config = { hosts: { domain: 'meet.example' } };"
    result = subprocess.run([sys.executable, "-m", "client", configjs.SANDBOX_FLAG, limits],
                            input=source, capture_output=True, timeout=60)
    direct = subprocess.run([*configjs.child_command(), limits], input=source,
                            capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == json.loads(direct.stdout)
    assert "meet.example" in result.stdout.decode()
