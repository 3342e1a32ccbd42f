"""What the user typed or pasted → which server and which room (pure, no I/O, no Qt).

``parse_link(text, default_server)`` turns a bare room name, a link with or
without ``https://``, an app link (``jitsi-meet://``) or a whole pasted
invitation into a :class:`MeetingAddress`, or raises an :class:`AddressError`
subclass whose message says what to fix.  It never raises anything else, and it
never falls back to a public server: a bare room name without a default server
is an error.

Where the official apps agree, we do what they do (signaling spec §1.1, §1.5):
whitespace is removed, the forbidden characters leave each path segment, the last
segment is the room and the ones before it the tenant, ``?jwt=`` is the token and
``#config.x=…``/``#userInfo.displayName=…`` are JSON values.  Where they fail
(anchors.md §2) we do better: ``host/room`` without a scheme, a trailing slash and
a server without a room are understood, ``http://`` is upgraded to https (except
on loopback, for local test servers) and a link inside a pasted text is found.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from client.errors import (AddressError, EmptyInputError, InputTooLongError, InvalidHostError,
                           InvalidPortError, InvalidRoomNameError, InvalidServerUrlError,
                           InvalidTenantError, NoDefaultServerError, NoLinkInTextError,
                           NoRoomInLinkError, RoomNameTooLongError, UnsupportedLinkError)
from client.meeting.host import looks_like_host, netloc, to_ascii_host, to_display_host
from client.meeting.roomname import (JS_WHITESPACE, MAX_NODE_BYTES, backend_room_name,
                                     clean_room_segment, display_room_name, drop_surrogates,
                                     is_muc_safe, percent_decode, strip_whitespace)
from client.meeting.servers import (KnownServer, ServerGuard, guard_verdict, known_server_for,
                                    known_servers, lookalike_of)
from client.net import is_loopback_host

MAX_INPUT_CHARS = 100_000
MAX_CANDIDATES = 50          # links looked at in a pasted text
MAX_TENANT_LABEL = 63

#: Schemes we accept; the app schemes mean https (as the Jitsi apps treat them).
_MEETING_SCHEMES = {"https": "https", "http": "http", "jitsi-meet": "https",
                    "org.jitsi.meet": "https"}
#: Schemes that are certainly not meeting links (rather than a room name with a colon).
_FOREIGN_SCHEMES = frozenset({
    "mailto", "tel", "sip", "sips", "xmpp", "file", "data", "javascript", "vbscript", "ftp",
    "ftps", "sftp", "ws", "wss", "callto", "skype", "msteams", "zoommtg", "zoomus", "webcal",
    "about", "blob", "chrome", "news", "nntp", "irc", "ircs", "ssh", "git", "smb", "geo",
    "magnet", "bitcoin", "sms", "facetime", "intent", "urn", "ldap", "telnet", "gopher",
})
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9.+-]*):")
_PORT_ONLY = re.compile(r"[0-9]+(?:[/?#]|$)")
_SCHEME_LINK = re.compile(r"(?i)(?:https?|jitsi-meet|org\.jitsi\.meet)://")

#: Keys under ``#config.`` that a meeting link may change (everything else is shown
#: but ignored: a link must not point our traffic at other hosts or change privacy).
HONOURED_CONFIG_OVERRIDES = frozenset({
    "startWithAudioMuted", "startWithVideoMuted", "startAudioOnly", "startSilent",
    "prejoinConfig.enabled", "prejoinPageEnabled",
})
_BLOCKED_KEY_PARTS = frozenset({"__proto__", "constructor", "prototype"})
_OPENING = "\"'<([{“„‚‘«‹»›`"
_CLOSING = "\"'>)]}”“‘’»›«‹`"
_PAIRS = {'"': '"', "'": "'", "<": ">", "(": ")", "[": "]", "{": "}", "“": "”", "„": "“",
          "‚": "‘", "‘": "’", "«": "»", "‹": "›", "»": "«", "›": "‹", "`": "`"}
_TRAILING_PROSE = ".,;:!?" + _CLOSING
_RESOURCE_SUFFIXES = (".html", ".htm", ".php", ".js", ".css", ".json", ".pdf", ".png", ".jpg",
                      ".jpeg", ".gif", ".svg", ".ico", ".txt", ".xml", ".zip", ".ics")


@dataclass(frozen=True)
class ServerUrl:
    """A server (and optional tenant path) as given in the settings or on the command line."""

    scheme: str                 # "https", or "http" for loopback hosts only
    host: str                   # ASCII, lower case, IPv6 without brackets
    port: int | None            # None: the scheme's default port
    tenant: str | None = None
    upgraded_from_http: bool = False

    @property
    def origin(self) -> str:
        return f"{self.scheme}://{netloc(self.host, self.port)}"

    @property
    def url(self) -> str:
        return self.origin + (f"/{self.tenant}" if self.tenant else "")

    @property
    def display_host(self) -> str:
        return to_display_host(self.host)


@dataclass(frozen=True)
class MeetingAddress:
    """A room on a server, as resolved from what the user typed.

    ``server`` is the origin (``https://konferenz.bretten.de``), ``room`` the room
    as people write it (case kept, escapes decoded), ``backend_room`` the MUC node
    and ``?room=`` value.  ``jwt`` never appears in ``repr()`` or :attr:`link`.
    """

    server: str
    host: str
    port: int | None
    tenant: str | None
    room: str
    backend_room: str
    jwt: str | None = field(default=None, repr=False)
    config_overrides: dict[str, Any] = field(default_factory=dict, hash=False)
    user_info: dict[str, Any] = field(default_factory=dict, hash=False)
    upgraded_from_http: bool = False
    guard: ServerGuard = ServerGuard.UNKNOWN
    known_server: KnownServer | None = None
    scheme: str = "https"
    #: a known server whose name this host imitates (``konferenz-bretten.de``)
    lookalike_of: KnownServer | None = None

    @property
    def display_host(self) -> str:
        """The host for people: international names decoded (``bürgerbüro.de``)."""
        return to_display_host(self.host)

    @property
    def context_root(self) -> str:
        """Where the deployment's web files live (``config.js``): origin + tenant + ``/``."""
        return f"{self.server}/{_tenant_path(self.tenant)}"

    @property
    def link(self) -> str:
        """The canonical invitation link: https, the room as written, nothing secret."""
        return build_link(self.server, self.tenant, self.room)

    def honoured_config_overrides(self) -> dict[str, Any]:
        """The ``#config.`` values a join should apply (whitelisted keys, boolean values)."""
        return {key: value for key, value in self.config_overrides.items()
                if key in HONOURED_CONFIG_OVERRIDES and isinstance(value, bool)}


def build_link(server: str, tenant: str | None, room: str) -> str:
    """``https://host/tenant/Room`` with the room percent-encoded so that any app reads it back."""
    encoded = _encode_path_segment(room)
    if encoded.endswith("."):
        encoded = encoded[:-1] + "%2E"   # a final "." would be read as the end of a sentence
    return f"{server}/{_tenant_path(tenant)}{encoded}"


def _tenant_path(tenant: str | None) -> str:
    return "".join(_encode_path_segment(part) + "/" for part in (tenant or "").split("/") if part)


def _encode_path_segment(text: str) -> str:
    # Stricter than encodeURIComponent: "!*'()" would be stripped from a room on the way back.
    out = []
    for ch in text:
        if (ch.isascii() and ch.isalnum()) or ch in "-_.~":
            out.append(ch)
        else:
            out.extend(f"%{b:02X}" for b in ch.encode("utf-8"))
    return "".join(out)


# --- the entry point ---------------------------------------------------------------

def parse_link(text: str, default_server: str | ServerUrl | None = None, *,
               servers: tuple[KnownServer, ...] | None = None) -> MeetingAddress:
    """Resolve ``text`` into a meeting address; AddressError subclasses say what is wrong.

    ``default_server`` (from the settings or ``--server``) is where bare room names
    go and what the guard calls :attr:`ServerGuard.DEFAULT_SERVER`.
    """
    if not isinstance(text, str):
        raise EmptyInputError()
    if len(text) > MAX_INPUT_CHARS:
        raise InputTooLongError(limit=MAX_INPUT_CHARS)
    servers = known_servers() if servers is None else servers
    default = _default_server(default_server)
    text = _unwrap(drop_surrogates(text))
    if not text:
        raise EmptyInputError()
    token = _pick_token(text, default, servers)
    return _parse_token(token, default, default_server, servers)


def parse_server_url(text: str) -> ServerUrl:
    """A server address as typed into the settings: ``konferenz.bretten.de``,
    ``https://host:8443/tenant/``, ``http://localhost:5280``.  http is upgraded
    to https except on loopback; other schemes and garbage raise InvalidServerUrlError."""
    shown = text if isinstance(text, str) else ""
    if not isinstance(text, str) or len(text) > 2000:
        raise InvalidServerUrlError(url=shown[:80])
    token = strip_whitespace(_unwrap(drop_surrogates(text)))
    if not token:
        raise InvalidServerUrlError(url=shown)
    match = _SCHEME.match(token)
    scheme = "https"
    if match and not _PORT_ONLY.match(token, match.end()):
        scheme = match.group(1).lower()
        if scheme not in ("http", "https") or not token[match.end():].startswith("//"):
            raise InvalidServerUrlError(url=shown)
        token = token[match.end():]
    token = token[2:] if token.startswith("//") else token
    authority, rest = _split_authority(token)
    try:
        host, port = _parse_authority(authority)
    except AddressError:
        raise InvalidServerUrlError(url=shown) from None
    path = re.split(r"[?#]", rest, maxsplit=1)[0]
    segments = [clean_room_segment(s) for s in path.split("/")]
    tenant_parts = [s for s in segments if s]
    _check_tenant(tenant_parts)
    scheme, port, upgraded = _secure_scheme(scheme, host, port)
    return ServerUrl(scheme, host, port, "/".join(tenant_parts) or None, upgraded)


# --- finding the link --------------------------------------------------------------

def _unwrap(text: str) -> str:
    """Remove surrounding whitespace and matching quotes/brackets (``"…"``, ``<…>``, ``„…“``)."""
    while True:
        stripped = text.strip("".join(JS_WHITESPACE))
        if len(stripped) >= 2 and _PAIRS.get(stripped[0]) == stripped[-1]:
            text = stripped[1:-1]
            continue
        return stripped


def _split_words(text: str) -> list[str]:
    words, current = [], []
    for ch in text:
        if ch in JS_WHITESPACE:
            if current:
                words.append("".join(current))
                current = []
        else:
            current.append(ch)
    if current:
        words.append("".join(current))
    return words


def _trim_prose(word: str) -> str:
    """A link as written in a sentence: without the brackets and punctuation around it."""
    match = _SCHEME_LINK.search(word)
    if match:
        word = word[match.start():]
    else:
        word = word.lstrip(_OPENING)
    return word.rstrip(_TRAILING_PROSE)


def _is_link_word(word: str, servers: tuple[KnownServer, ...]) -> bool:
    if _SCHEME_LINK.search(word):
        return True
    first, slash, _rest = word.lstrip(_OPENING).partition("/")
    return bool(slash) and looks_like_host(first, frozenset(s.host for s in servers))


def _is_server_word(word: str, servers: tuple[KnownServer, ...]) -> bool:
    """``konferenz.bretten.de`` or ``https://konferenz.bretten.de/``: a server, no path."""
    match = _SCHEME_LINK.match(word)
    rest = word[match.end():] if match else word
    host, slash, path = rest.partition("/")
    return (not path and "?" not in host and "#" not in host
            and (match is not None or looks_like_host(host, frozenset(s.host for s in servers))))


def _pick_token(text: str, default: ServerUrl | None,
                servers: tuple[KnownServer, ...]) -> str:
    """The one address inside ``text``, with whitespace removed."""
    words = _split_words(text)
    if len(words) <= 1:
        # Something with "://" was copied, not typed: drop the sentence around it.
        return _trim_prose(text) if _SCHEME_LINK.search(text) else text
    pasted = "\n" in text or "\r" in text or "\u2028" in text or len(text) > 200
    if not pasted:
        if _is_server_word(words[0], servers):
            # Typed: "konferenz.bretten.de Elternabend" means server, then room.
            return words[0] + "/" + "".join(words[1:])
        if _is_link_word(words[0], servers) or not any(
                _is_link_word(w, servers) for w in words[1:]):
            # Typed: "konferenz.bretten.de/Mein Raum" or "Mein Raum" → whitespace goes,
            # as in every Jitsi app.
            return strip_whitespace(text)
    candidates = [_trim_prose(w) for w in words if _is_link_word(w, servers)][:MAX_CANDIDATES]
    if not candidates:
        raise NoLinkInTextError()
    return _best_candidate(candidates, default, servers)


def _best_candidate(candidates: list[str], default: ServerUrl | None,
                    servers: tuple[KnownServer, ...]) -> str:
    ranked: list[tuple[tuple[int, int, int], str]] = []
    errors: list[AddressError] = []
    for index, candidate in enumerate(candidates):
        try:
            address = _parse_token(candidate, default, default, servers)
        except AddressError as error:
            errors.append(error)
            continue
        # Links to static pages (dial-in info, calendars) are not rooms.
        looks_like_room = int(not address.room.lower().endswith(_RESOURCE_SUFFIXES)
                              and "/" not in (address.tenant or "")
                              and (address.tenant or "").lower() != "static")
        trust = {ServerGuard.DEFAULT_SERVER: 3, ServerGuard.KNOWN_MUNICIPAL: 2,
                 ServerGuard.UNKNOWN: 1, ServerGuard.PUBLIC: 0}[address.guard]
        ranked.append(((looks_like_room, trust, -index), candidate))
    if not ranked:
        # A pasted server link without a room is the most useful thing to report.
        no_room = [e for e in errors if isinstance(e, NoRoomInLinkError)]
        raise (no_room or errors or [NoLinkInTextError()])[0]
    return max(ranked)[1]


# --- one address -------------------------------------------------------------------

def _default_server(value: str | ServerUrl | None) -> ServerUrl | None:
    if isinstance(value, ServerUrl):
        return value
    if not value:
        return None
    try:
        return parse_server_url(value)
    except AddressError:
        return None   # reported only if a bare room name needs it


def _split_authority(token: str) -> tuple[str, str]:
    match = re.search(r"[/?#]", token)
    return (token, "") if match is None else (token[:match.start()], token[match.start():])


def _parse_authority(authority: str) -> tuple[str, int | None]:
    authority = authority.rsplit("@", 1)[-1]        # user info is dropped, as browsers do
    if authority.startswith("["):
        end = authority.find("]")
        host_part, port_part = (authority, "") if end < 0 else (
            authority[:end + 1], authority[end + 1:])
        if port_part and not port_part.startswith(":"):
            raise InvalidHostError(host=authority)
        port_part = port_part[1:]
    elif authority.count(":") == 1:
        host_part, port_part = authority.split(":")
    else:
        host_part, port_part = authority, ""
    if not host_part:
        raise InvalidHostError(host=authority)
    host = to_ascii_host(host_part)
    port = None
    if port_part:
        if not (port_part.isascii() and port_part.isdigit()) or not 0 < int(port_part) < 65536:
            raise InvalidPortError(port=port_part[:20])
        port = int(port_part)
    return host, port


def _secure_scheme(scheme: str, host: str, port: int | None) -> tuple[str, int | None, bool]:
    """https everywhere except loopback; default ports are dropped."""
    upgraded = False
    if scheme == "http" and not is_loopback_host(host):
        scheme, upgraded = "https", True
        if port == 80:
            port = None
    if (scheme, port) in (("https", 443), ("http", 80)):
        port = None
    return scheme, port, upgraded


def _check_tenant(parts: list[str]) -> None:
    # The tenant becomes a DNS label of the MUC domain (signaling spec §1.1 step 4).
    for part in map(display_room_name, parts):   # the same check for a link and its canonical form
        if part.startswith("-") or part.endswith("-") or len(part) > MAX_TENANT_LABEL:
            raise InvalidTenantError(tenant=part[:80])


def _parse_token(token: str, default: ServerUrl | None, default_given: object,
                 servers: tuple[KnownServer, ...]) -> MeetingAddress:
    token = strip_whitespace(token)
    if not token:
        raise EmptyInputError()
    scheme: str | None = None
    app_scheme = False
    while (match := _SCHEME.match(token)) is not None:
        name = match.group(1).lower()
        after = token[match.end():]
        if name in _MEETING_SCHEMES:
            scheme = _MEETING_SCHEMES[name]
            app_scheme = name not in ("http", "https")
            token = after
            continue
        if _PORT_ONLY.match(after) and looks_like_host(token.split("/")[0]):
            break                                   # "localhost:8443/room": a port, no scheme
        if name in _FOREIGN_SCHEMES or after.startswith("//"):
            raise UnsupportedLinkError(scheme=match.group(1)[:40])
        break                                       # "Raum:Eins": the colon is just removed

    known_hosts = frozenset(s.host for s in servers)
    has_authority = token.startswith("//")
    if has_authority:
        authority, rest = _split_authority(token[2:])
        if (app_scheme and not _split_path(rest)[0].strip("/")
                and not looks_like_host(authority, known_hosts)):
            has_authority, rest = False, authority + rest  # jitsi-meet://Room: a room
    else:
        first, rest_after = _split_authority(token)
        if looks_like_host(first, known_hosts):
            has_authority, authority, rest = True, first, rest_after
        else:
            rest = token

    path, query, fragment = _split_path(rest)
    segments = [clean_room_segment(s) for s in path.split("/")]
    parts = [s for s in segments if s]

    if has_authority:
        host, port = _parse_authority(authority)
        scheme, port, upgraded = _secure_scheme(scheme or "https", host, port)
        if not parts:
            raise NoRoomInLinkError(host=netloc(to_display_host(host), port))
        tenant_parts = parts[:-1]
    else:
        if not parts:
            raise InvalidRoomNameError(room=path[:80] or token[:80])
        if default is None:
            if default_given:
                raise InvalidServerUrlError(url=str(default_given)[:80])
            raise NoDefaultServerError(room=display_room_name(parts[-1])[:80])
        host, port, scheme, upgraded = default.host, default.port, default.scheme, \
            default.upgraded_from_http
        tenant_parts = ([p for p in default.tenant.split("/") if p] if default.tenant else []) \
            + parts[:-1]

    _check_tenant(tenant_parts)
    room = parts[-1]
    backend = backend_room_name(room)
    if len(backend.encode("utf-8")) > MAX_NODE_BYTES:
        raise RoomNameTooLongError()
    if not is_muc_safe(backend):
        raise InvalidRoomNameError(room=display_room_name(room)[:80])
    config, user_info = parse_hash_params(fragment)
    guard = guard_verdict(host, port, default_host=default.host if default else None,
                          default_port=default.port if default else None, servers=servers)
    return MeetingAddress(
        server=f"{scheme}://{netloc(host, port)}", host=host, port=port,
        tenant="/".join(map(_display_tenant_part, tenant_parts)) or None,
        room=display_room_name(room),
        backend_room=backend, jwt=_jwt_from_query(query), config_overrides=config,
        user_info=user_info, upgraded_from_http=upgraded, guard=guard,
        known_server=known_server_for(host, servers), scheme=scheme,
        lookalike_of=(lookalike_of(host, servers)
                      if guard in (ServerGuard.UNKNOWN, ServerGuard.PUBLIC) else None))


def _display_tenant_part(part: str) -> str:
    shown = display_room_name(part)
    return part if "/" in shown else shown   # "%2F" must not split the tenant


def _split_path(rest: str) -> tuple[str, str, str]:
    path, _, fragment = rest.partition("#")
    path, _, query = path.partition("?")
    return path, query, fragment


def _jwt_from_query(query: str) -> str | None:
    # The apps read ``jwt`` raw (not percent-decoded) from the search part.
    for part in query.split("&"):
        key, _, value = part.partition("=")
        if key == "jwt" and value:
            return value
    return None


def _json_value(text: str) -> Any:
    """JSON as JavaScript's JSON.parse reads it; the text itself where that fails."""
    def reject(constant: str) -> Any:
        raise ValueError(constant)
    try:
        return json.loads(text, parse_constant=reject)
    except (ValueError, RecursionError):
        return text


def parse_hash_params(fragment: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """``#config.a=true&userInfo.displayName=%22Max%22`` → (config overrides, user info).

    As the apps do: ``&``-separated ``key=value``, values percent-decoded and read
    as JSON (kept as text when that fails), keys with ``__proto__``/``constructor``/
    ``prototype`` ignored, a lone ``#/path`` (hash routing) ignored.  Of ``userInfo``
    only ``displayName`` is kept.
    """
    config: dict[str, Any] = {}
    user_info: dict[str, Any] = {}
    parts = fragment.split("&") if fragment else []
    if len(parts) == 1 and parts[0].startswith("/"):
        return config, user_info
    for part in parts:
        pieces = part.split("=")
        key = pieces[0]
        if not key or len(pieces) < 2 or any(k in _BLOCKED_KEY_PARTS for k in key.split(".")):
            continue
        decoded = percent_decode(pieces[1])
        if decoded is None:
            continue
        decoded = (decoded.replace("\\&", "&", 1).replace("\u2018", "'").replace("\u2019", "'")
                   .replace("\u201c", '"').replace("\u201d", '"'))
        if decoded == "undefined":
            continue
        value = _json_value(decoded)
        if key.startswith("config.") and len(key) > len("config."):
            config[key[len("config."):]] = value
        elif key == "userInfo.displayName" and isinstance(value, str):
            user_info["displayName"] = value
    return config, user_info
