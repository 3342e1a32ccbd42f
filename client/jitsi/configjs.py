"""Evaluate a deployment's ``config.js`` safely and keep only what a client needs.

Real ``config.js`` files are programs, not data (SSI preambles, ``var config = {}``
followed by hundreds of assignments, ``'a,b'.split(',').map(...)``; signaling spec
§1.3), so they are run by a real JavaScript engine — QuickJS, which exposes no host
objects — inside a child Python process:

* the source is capped (``MAX_SOURCE_BYTES``) before anything runs;
* QuickJS gets a memory limit and a time limit, and the parent kills the child by
  its PID after a wall-clock limit, whatever happens inside;
* the child is started isolated (``python -I``) with an empty environment, so
  nothing of the user's environment is visible to it, and its address space is
  capped as a second fence;
* only whitelisted keys survive (``WHITELIST``), each checked for its type; a
  value of the wrong type is dropped with a warning.

Every failure is a ``ConfigRejectedError`` subclass naming the reason (time limit,
memory limit, syntax error, script error, not an object, too large).  A file that
runs but defines no ``config`` at all is not an error here: ``EvaluatedConfig``
then says ``defined=False`` and deployment discovery decides what that means.
"""

from __future__ import annotations

import asyncio
import json
import math
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

from client.errors import (
    ConfigMemoryLimitError,
    ConfigNotObjectError,
    ConfigRejectedError,
    ConfigSandboxError,
    ConfigScriptError,
    ConfigSyntaxError,
    ConfigTimeLimitError,
    ConfigTooLargeError,
)
from client.i18n import N_, _

#: Real files are 20–90 KB; 2 MB leaves room for comment-heavy ones.
MAX_SOURCE_BYTES = 2 * 1024 * 1024
#: QuickJS heap limit for one evaluation.
MEMORY_LIMIT_BYTES = 64 * 1024 * 1024
#: QuickJS interrupts a script that runs longer than this (CPU time of the eval).
TIME_LIMIT_S = 1
#: The parent kills the child after this, whatever the engine does.
WALL_CLOCK_LIMIT_S = 5.0
#: Address-space cap of the child process (Python + QuickJS + the heap above).
CHILD_ADDRESS_SPACE_BYTES = 768 * 1024 * 1024
#: The whitelisted result is small; anything bigger is hostile.
MAX_RESULT_BYTES = 1024 * 1024


@dataclass(frozen=True)
class DiscoveryWarning:
    """Something an admin should know about a deployment; an English N_() template."""

    template: str
    details: Mapping[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return self._format(self.template)

    def message(self, language: str | None = None) -> str:
        return self._format(_(self.template, language))

    def _format(self, template: str) -> str:
        try:
            return template.format(**self.details)
        except (KeyError, IndexError, ValueError):
            return template


# --- the whitelist ------------------------------------------------------------------

Validator = Callable[[Any], Any]


class _Invalid(Exception):
    """A value of the wrong type or shape (internal; becomes a warning)."""


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise _Invalid


def _int(value: Any) -> int:
    # JSON numbers arrive as int or float; bool is an int subclass in Python.
    if isinstance(value, bool):
        raise _Invalid
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    raise _Invalid


def _int_or_false(value: Any) -> int | bool:
    if value is False:
        return False
    return _int(value)


def _text(value: Any, max_len: int = 2048) -> str:
    if isinstance(value, str) and 0 < len(value) <= max_len and "\x00" not in value:
        return value
    raise _Invalid


def _domain(value: Any) -> str:
    """An XMPP domain: host-name characters only (IDN labels are allowed as Unicode)."""
    text = _text(value, 253).strip().rstrip(".").lower()
    if not text or any(c.isspace() or c in "/@:?#[]\\\"'<>" for c in text):
        raise _Invalid
    labels = text.split(".")
    if any(not label or len(label) > 63 for label in labels):
        raise _Invalid
    return text


def _jid(value: Any) -> str:
    text = _text(value, 3071).strip()
    bare, slash, resource = text.partition("/")
    local, at, domain_part = bare.rpartition("@")
    domain = _domain(domain_part)
    if at and (not local or "@" in local or any(c.isspace() for c in local)):
        raise _Invalid
    if slash and not resource:
        raise _Invalid
    return (f"{local}@" if at else "") + domain + (f"/{resource}" if slash else "")


def _url(value: Any) -> str:
    """A URL as written in config.js; absolute or relative, resolved by the deployment."""
    text = _text(value).strip()
    if any(c.isspace() for c in text):
        raise _Invalid
    try:
        parts = urlsplit(text)
    except ValueError as exc:
        raise _Invalid from exc
    if parts.scheme and parts.scheme.lower() not in ("https", "http", "wss", "ws"):
        raise _Invalid
    return text


def _one_of(*choices: str) -> Validator:
    def check(value: Any) -> str:
        if isinstance(value, str) and value in choices:
            return value
        raise _Invalid
    return check


def _str_list(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or len(value) > 64:
        raise _Invalid
    return tuple(_text(item, 256) for item in value)


def _ice_server_urls(value: Any) -> tuple[str, ...]:
    """``p2p.stunServers``: ``[{urls: 'stun:host:port'}, {urls: [...]}, ...]`` → URLs."""
    if not isinstance(value, list) or len(value) > 32:
        raise _Invalid
    urls: list[str] = []
    for entry in value:
        raw = entry.get("urls", entry.get("url")) if isinstance(entry, dict) else None
        items = raw if isinstance(raw, list) else [raw]
        for item in items:
            text = _text(item, 512).strip()
            if not text.lower().startswith(("stun:", "stuns:", "turn:", "turns:")):
                raise _Invalid
            urls.append(text)
    return tuple(urls)


def _bridge_channel(value: Any) -> bool | str:
    if isinstance(value, bool):
        return value
    return _one_of("websocket", "datachannel")(value)


#: dotted key → validator.  Everything else in config.js is ignored.  Sources:
#: signaling spec §1.4 (what the signaling needs), §1.5 (URL overrides) and the
#: keys lib-jitsi-meet reads for media set-up (flags.*, p2p.*, openBridgeChannel).
WHITELIST: dict[str, Validator] = {
    "hosts.domain": _domain,
    "hosts.muc": _domain,
    "hosts.anonymousdomain": _domain,
    "hosts.authdomain": _domain,
    "hosts.focus": _domain,
    "focusUserJid": _jid,
    "hiddenDomain": _domain,
    "websocket": _url,
    "bosh": _url,
    "serviceUrl": _url,
    "conferenceRequestUrl": _url,
    "websocketKeepAliveUrl": _url,
    "enableWebsocketResume": _bool,
    "tokenAuthUrl": _url,
    "p2p.enabled": _bool,
    "p2p.stunServers": _ice_server_urls,
    "p2p.iceTransportPolicy": _one_of("all", "relay"),
    "p2p.codecPreferenceOrder": _str_list,
    "p2p.preferredCodec": lambda v: _text(v, 32),
    "startWithAudioMuted": _bool,
    "startWithVideoMuted": _bool,
    "startAudioOnly": _bool,
    "startSilent": _bool,
    "startAudioMuted": _int,
    "startVideoMuted": _int,
    "prejoinConfig.enabled": _bool,
    "prejoinConfig.hideDisplayName": _bool,
    "prejoinPageEnabled": _bool,
    "requireDisplayName": _bool,
    "disableThirdPartyRequests": _bool,
    "channelLastN": _int,
    "enableLobbyChat": _bool,
    "lobby.autoKnock": _bool,
    "lobby.enableChat": _bool,
    "roomPasswordNumberOfDigits": _int_or_false,
    "enableInsecureRoomNameWarning": _bool,
    "flags.sourceNameSignaling": _bool,
    "flags.sendMultipleVideoStreams": _bool,
    "flags.receiveMultipleVideoStreams": _bool,
    "flags.ssrcRewritingEnabled": _bool,
    "openBridgeChannel": _bridge_channel,
    "disableSimulcast": _bool,
    "useTurnUdp": _bool,
    "enableTcc": _bool,
    "enableRemb": _bool,
    "resolution": _int,
    "videoQuality.codecPreferenceOrder": _str_list,
    "videoQuality.preferredCodec": lambda v: _text(v, 32),
}

#: Top-level names copied out of the engine (the rest never leaves QuickJS).
_TOP_LEVEL = sorted({key.split(".", 1)[0] for key in WHITELIST})


@dataclass(frozen=True)
class EvaluatedConfig:
    """The whitelisted, type-checked values of one config.js, by dotted key."""

    defined: bool
    values: Mapping[str, Any] = field(default_factory=dict)
    warnings: tuple[DiscoveryWarning, ...] = ()

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)


def whitelist(config: Mapping[str, Any]) -> EvaluatedConfig:
    """Keep the whitelisted keys of a parsed ``config`` object; wrong types become warnings."""
    values: dict[str, Any] = {}
    warnings: list[DiscoveryWarning] = []
    for key, validate in WHITELIST.items():
        found, raw = _lookup(config, key)
        if not found or raw is None:
            continue
        try:
            values[key] = validate(raw)
        except _Invalid:
            warnings.append(DiscoveryWarning(
                N_("config.js: the value of {key} has the wrong type or form and is ignored."),
                {"key": key}))
    return EvaluatedConfig(defined=True, values=values, warnings=tuple(warnings))


def _lookup(config: Mapping[str, Any], key: str) -> tuple[bool, Any]:
    node: Any = config
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return False, None
        node = node[part]
    return True, node


# --- evaluation in a child process ----------------------------------------------------

# The child program.  It imports only the standard library and quickjs, trusts
# nothing it reads, and answers with one JSON object on stdout.  The prelude gives
# the script the few browser names real files touch (window.location, document,
# navigator, console, module) as plain data; QuickJS itself offers no I/O.
_CHILD = r"""
import json, resource, sys
limits = json.loads(sys.argv[1])
resource.setrlimit(resource.RLIMIT_AS, (limits["address_space"],) * 2)
resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

def answer(obj):
    sys.stdout.write(json.dumps(obj))
    sys.stdout.flush()
    sys.exit(0)

data = sys.stdin.buffer.read(limits["max_source"] + 1)
if len(data) > limits["max_source"]:
    answer({"error": "too-large"})
source = data.decode("utf-8", "replace")
if source.startswith("\ufeff"):
    source = source[1:]

import quickjs
ctx = quickjs.Context()
ctx.set_memory_limit(limits["memory"])
ctx.set_time_limit(limits["time"])
ctx.set_max_stack_size(1024 * 1024)

PRELUDE = '''
var window = globalThis, self = globalThis;
var location = %(location)s;
var document = {location: location, cookie: '', referrer: '', documentElement: {}, body: {}};
var navigator = {userAgent: 'Treffpunkt', language: 'en', languages: ['en'], product: ''};
var console = {log: function () {}, info: function () {}, warn: function () {},
               error: function () {}, debug: function () {}};
var module = {exports: {}};
// Bound before the script runs and read-only afterwards, so a script that
// replaces JSON or Object.prototype methods cannot change how we read config.
const __treffpunktExtract = (function (stringify, hasOwn, isArray) {
    return function (c, keys) {
        if (typeof c === 'undefined') { return '"undefined"'; }
        if (c === null || typeof c !== 'object' || isArray(c)) { return '"not-object"'; }
        var out = {};
        for (var i = 0; i < keys.length; i++) {
            if (hasOwn.call(c, keys[i])) { out[keys[i]] = c[keys[i]]; }
        }
        return stringify({config: out});
    };
})(JSON.stringify, Object.prototype.hasOwnProperty, Array.isArray);
'''
# ``let``/``const config`` is not a property of globalThis; the web app's worker
# reads ``config`` first and ``globalThis.config`` second, and so do we.
EPILOGUE = '''
__treffpunktExtract(typeof config !== 'undefined' ? config : globalThis.config, %(keys)s)
'''

def classify(exc):
    text = str(exc)
    first = text.splitlines()[0] if text else type(exc).__name__
    if isinstance(exc, quickjs.StackOverflow) or "stack overflow" in text:
        return "memory-limit", first
    if "out of memory" in text:
        return "memory-limit", first
    if "interrupted" in text:
        return "time-limit", first
    if first.startswith("SyntaxError"):
        return "syntax-error", first
    return "script-error", first

try:
    ctx.eval(PRELUDE % {"location": json.dumps(limits["location"])})
except Exception as exc:
    answer({"error": "sandbox", "detail": str(exc)[:300]})
try:
    ctx.eval(source)
except MemoryError:
    answer({"error": "memory-limit", "detail": "MemoryError"})
except Exception as exc:
    reason, detail = classify(exc)
    answer({"error": reason, "detail": detail[:300]})
try:
    result = ctx.eval(EPILOGUE % {"keys": json.dumps(limits["keys"])})
except MemoryError:
    answer({"error": "memory-limit", "detail": "MemoryError"})
except Exception as exc:
    reason, detail = classify(exc)
    answer({"error": reason, "detail": detail[:300]})
if not isinstance(result, str):
    answer({"error": "script-error", "detail": "config cannot be serialised"})
if len(result) > limits["max_result"]:
    answer({"error": "too-large", "detail": "result of %d characters" % len(result)})
answer({"result": result})
"""

_ERRORS: dict[str, type[ConfigRejectedError]] = {
    "time-limit": ConfigTimeLimitError,
    "memory-limit": ConfigMemoryLimitError,
    "syntax-error": ConfigSyntaxError,
    "script-error": ConfigScriptError,
    "not-object": ConfigNotObjectError,
    "too-large": ConfigTooLargeError,
    "sandbox": ConfigSandboxError,
}


def _rejected(reason: str, host: str, detail: str = "") -> ConfigRejectedError:
    cls = _ERRORS.get(reason, ConfigSandboxError)
    return cls(host=host, reason=reason, detail=detail,
               limit_kb=MAX_SOURCE_BYTES // 1024)


def _location(page_url: str) -> dict[str, str]:
    """``window.location`` as a browser on ``page_url`` would have it."""
    parts = urlsplit(page_url)
    host = parts.netloc.rpartition("@")[2]
    return {
        "href": page_url,
        "protocol": f"{parts.scheme}:",
        "host": host,
        "hostname": parts.hostname or "",
        "port": str(parts.port or ""),
        "pathname": parts.path or "/",
        "search": f"?{parts.query}" if parts.query else "",
        "hash": "",
        "origin": f"{parts.scheme}://{host}",
    }


# nginx SSI as the stock jitsi-meet config.js uses it: <!--# echo var="subdir" default="" -->
_SSI_ECHO = re.compile(rb'<!--#\s*echo\s+var="([A-Za-z_][A-Za-z0-9_]*)"'
                       rb'(?:\s+default="([^"<>]*)")?\s*-->')
_SSI_SAFE_VALUE = re.compile(r"[A-Za-z0-9._~%/-]*")


def ssi_variables(tenant: str | None) -> dict[str, str]:
    """What the stock nginx site sets for a tenant path (signaling spec §1.3)."""
    if not tenant:
        return {}
    return {"subdir": f"{tenant}/", "subdomain": f"{tenant}."}


def fill_ssi(data: bytes, variables: Mapping[str, str]) -> tuple[bytes, bool]:
    """Replace unprocessed SSI ``echo`` directives as nginx would; says if there were any.

    A server that serves config.js without SSI leaves ``<!--# echo ... -->`` in
    the text, which is a syntax error inside double quotes and a wrong MUC domain
    inside single quotes.  Values that could break out of a JS string are not
    inserted (the directive's default is used instead).
    """
    found = False

    def substitute(match: re.Match[bytes]) -> bytes:
        nonlocal found
        found = True
        name = match.group(1).decode("ascii")
        value = variables.get(name)
        if value is None or not _SSI_SAFE_VALUE.fullmatch(value):
            return match.group(2) or b""
        return value.encode("ascii")

    if b"<!--#" not in data:
        return data, False
    return _SSI_ECHO.sub(substitute, data), found


async def evaluate_config_js(source: bytes | str, *, host: str, page_url: str | None = None,
                             ssi: Mapping[str, str] | None = None) -> EvaluatedConfig:
    """Run ``source`` in the sandbox and return its whitelisted ``config``.

    ``host`` names the server in error messages; ``page_url`` is what the script
    sees as ``window.location`` (the meeting page, e.g. ``https://host/tenant/room``);
    ``ssi`` are the values for SSI directives the server left unprocessed (see
    ``fill_ssi``), or None to leave them alone.
    Raises a ``ConfigRejectedError`` subclass; never anything else for any input.
    """
    data = source.encode("utf-8", "replace") if isinstance(source, str) else bytes(source)
    if len(data) > MAX_SOURCE_BYTES:
        raise _rejected("too-large", host, f"{len(data)} bytes")
    ssi_filled = False
    if ssi is not None:
        data, ssi_filled = fill_ssi(data, ssi)
    answer = await _run_child(data, child_limits(host, page_url), host)
    if "error" in answer:
        raise _rejected(str(answer["error"]), host, str(answer.get("detail", "")))
    result = answer.get("result")
    try:
        decoded = json.loads(result) if isinstance(result, str) else None
    except ValueError:
        decoded = None
    if decoded == "undefined":
        return EvaluatedConfig(defined=False)
    if decoded == "not-object":
        raise _rejected("not-object", host)
    if not isinstance(decoded, dict) or not isinstance(decoded.get("config"), dict):
        raise _rejected("sandbox", host, "unexpected result shape")
    result_config = whitelist(decoded["config"])
    if ssi_filled:
        notice = DiscoveryWarning(N_("The server sends config.js without filling in its "
                                     "SSI variables; Treffpunkt filled them in itself."))
        result_config = replace(result_config, warnings=(notice, *result_config.warnings))
    return result_config


def child_limits(host: str, page_url: str | None = None) -> str:
    """The child's command-line argument: its limits and what the prelude needs."""
    return json.dumps({
        "memory": MEMORY_LIMIT_BYTES,
        "time": TIME_LIMIT_S,
        "max_source": MAX_SOURCE_BYTES,
        "max_result": MAX_RESULT_BYTES,
        "address_space": CHILD_ADDRESS_SPACE_BYTES,
        "keys": _TOP_LEVEL,
        "location": _location(page_url or f"https://{host}/"),
    })


#: Hidden first argument of the ``treffpunkt`` executable that runs the child
#: program; a frozen bundle has no ``python -c``, so it re-enters itself.
SANDBOX_FLAG = "--internal-configjs-sandbox"


def child_command() -> list[str]:
    """How to start the evaluator: isolated ``python -I -c`` or the frozen app itself."""
    if getattr(sys, "frozen", False):
        return [sys.executable, SANDBOX_FLAG]
    return [sys.executable, "-I", "-c", _CHILD]


def run_child_program(argv: list[str]) -> int:
    """Entry point of the frozen app's sandbox mode: run the child program."""
    sys.argv = ["treffpunkt-configjs-sandbox", *argv]
    exec(compile(_CHILD, "<configjs-sandbox>", "exec"), {"__name__": "__main__"})
    return 0


async def _run_child(data: bytes, limits: str, host: str) -> dict[str, Any]:
    try:
        process = await asyncio.create_subprocess_exec(
            *child_command(), limits,
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE, env={}, close_fds=True)
    except OSError as exc:
        raise _rejected("sandbox", host, f"cannot start the evaluator: {exc}") from exc
    try:
        async with asyncio.timeout(WALL_CLOCK_LIMIT_S):
            stdout, stderr = await process.communicate(data)
    except TimeoutError:
        raise _rejected("time-limit", host, f"killed after {WALL_CLOCK_LIMIT_S} s") from None
    finally:
        if process.returncode is None:  # timed out or cancelled: end it by its PID
            try:
                process.kill()
            except ProcessLookupError:
                pass
            await asyncio.shield(process.wait())
    try:
        answer = json.loads(stdout.decode("utf-8", "replace")) if stdout else None
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        # The child died without answering: a fatal allocation failure under the
        # address-space cap shows up like this; anything else is a sandbox failure.
        tail = stderr.decode("utf-8", "replace")[-300:]
        if "MemoryError" in tail or "memory" in tail.lower():
            raise _rejected("memory-limit", host, tail)
        raise _rejected("sandbox", host, f"exit status {process.returncode}: {tail}")
    return answer
