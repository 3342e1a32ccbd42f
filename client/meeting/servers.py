"""Known municipal servers and the public-server guard.

The guard answers one question before a room is created: is this the user's
own server, a town's server we know, or a public/unknown one?  Public means the
Jitsi team's service and its shards (``meet.jit.si``, ``*.meet.jit.si``) and 8x8's
hosted Jitsi (``8x8.vc``, where JaaS tenants live) — services run for everyone
by a company, with analytics the towns promise not to use (anchors.md §0.4).
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from client.errors import AddressError
from client.meeting.host import to_ascii_host
from client.resources import resource_path

PUBLIC_SERVER_DOMAINS: tuple[str, ...] = ("meet.jit.si", "8x8.vc")


class ServerGuard(enum.Enum):
    """Where a meeting address leads, from the user's point of view."""

    DEFAULT_SERVER = "default_server"     # the server chosen in the settings
    KNOWN_MUNICIPAL = "known_municipal"   # a town's server from our list
    PUBLIC = "public"                     # meet.jit.si and friends: warn before creating rooms
    UNKNOWN = "unknown"                   # anything else: say so, too


@dataclass(frozen=True)
class KnownServer:
    town: str
    service: str
    url: str
    host: str                         # ASCII host of ``url``
    requires_host_login: bool | None  # None: not known


def _known_server(entry: Any) -> KnownServer | None:
    if not isinstance(entry, dict):
        return None
    town, service, url = entry.get("town"), entry.get("service"), entry.get("url")
    login = entry.get("requires_host_login")
    if not all(isinstance(v, str) and v for v in (town, service, url)):
        return None
    if login is not None and not isinstance(login, bool):
        login = None
    try:
        parts = urlsplit(url)
        if parts.scheme != "https" or not parts.hostname:
            return None
        host = to_ascii_host(parts.hostname)
    except (ValueError, AddressError):
        return None
    return KnownServer(town, service, url.rstrip("/"), host, login)


def load_known_servers(path: Path | None = None) -> tuple[KnownServer, ...]:
    """The shipped list (``resources/data/municipal_servers.json``); bad entries are skipped."""
    path = path or resource_path("data", "municipal_servers.json")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ()
    entries = data.get("servers") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        return ()
    return tuple(s for s in map(_known_server, entries) if s is not None)


@lru_cache(maxsize=1)
def known_servers() -> tuple[KnownServer, ...]:
    return load_known_servers()


def known_server_for(host: str, servers: tuple[KnownServer, ...] | None = None
                     ) -> KnownServer | None:
    for server in known_servers() if servers is None else servers:
        if server.host == host:
            return server
    return None


def is_public_host(host: str) -> bool:
    host = host.lower().rstrip(".")
    return any(host == domain or host.endswith("." + domain) for domain in PUBLIC_SERVER_DOMAINS)


def guard_verdict(host: str, port: int | None, *, default_host: str | None = None,
                  default_port: int | None = None,
                  servers: tuple[KnownServer, ...] | None = None) -> ServerGuard:
    """The verdict for ``host:port`` (ASCII host, port None = the scheme's default)."""
    if default_host is not None and host == default_host and port == default_port:
        return ServerGuard.DEFAULT_SERVER
    # A town's host is its own whatever the port; "default" means exactly the chosen server.
    if known_server_for(host, servers) is not None:
        return ServerGuard.KNOWN_MUNICIPAL
    if is_public_host(host):
        return ServerGuard.PUBLIC
    return ServerGuard.UNKNOWN


def _edit_distance(a: str, b: str, limit: int) -> int:
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def lookalike_of(host: str, servers: tuple[KnownServer, ...] | None = None) -> KnownServer | None:
    """A known server whose name ``host`` imitates (``konferenz-bretten.de``,
    ``konferenz.bretten.de.example.com``), or None.  The exact host is not a look-alike."""
    for server in known_servers() if servers is None else servers:
        if host == server.host:
            return None
    for server in known_servers() if servers is None else servers:
        if host.startswith(server.host + ".") or _edit_distance(host, server.host, 2) <= 2:
            return server
    return None
