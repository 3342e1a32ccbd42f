"""External services (XEP-0215): the server's own STUN/TURN as ICE servers.

Jitsi's mod_external_services answers ``<services xmlns='urn:xmpp:extdisco:2'/>``
(older ones ``…:1``) with ``<service type host port transport username password
expires restricted/>``; TURN credentials are TURN-REST style and expire (default
after a day).  Newer stacks send the same list as JSON in room metadata
(signaling spec §2.4); ``ice_servers_from_json`` reads that form.

The URLs are what aiortc's ``RTCIceServer`` accepts: ``stun:host:port``,
``turn:host:port`` (UDP) or ``turn:host:port?transport=tcp``, ``turns:host:port``.
Entries we cannot use are dropped, never raised: other types (ftp, …), bad
hosts or ports, TURN without credentials, IPv6 literals (aiortc cannot parse them).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass

from client.errors import RemoteProtocolError
from client.jitsi.ns import NS_EXTDISCO_1, NS_EXTDISCO_2
from client.jitsi.stanza import Element, el

log = logging.getLogger("treffpunkt.xmpp")

_HOSTNAME = re.compile(r"(?=.{1,253}\Z)[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9-]{1,63})*\.?")
_PORT = re.compile(r"[0-9]{1,5}")
_DEFAULT_PORT = {"stun": 3478, "turn": 3478, "turns": 5349}
_MAX_CREDENTIAL = 1024


@dataclass(frozen=True)
class IceServer:
    """One entry for aiortc's ``RTCConfiguration(iceServers=…)``."""

    urls: list[str]
    username: str | None = None
    credential: str | None = None
    #: when the TURN credentials stop working (UTC), if the server said
    expires: dt.datetime | None = None

    @property
    def is_turn(self) -> bool:
        return any(url.startswith("turn") for url in self.urls)

    @property
    def is_tcp(self) -> bool:
        return any(url.startswith("turns:") or url.endswith("?transport=tcp") for url in self.urls)


def services_request(version: int = 2) -> Element:
    """The IQ payload lib-jitsi-meet sends: all services, no type filter."""
    return el(f"{{{NS_EXTDISCO_2 if version == 2 else NS_EXTDISCO_1}}}services")


def parse_services(element: Element) -> list[IceServer]:
    """An IQ result (or its ``<services/>``) of either version → usable ICE servers.

    No ``<services/>`` at all is a ``RemoteProtocolError``; bad entries are skipped.
    """
    for ns in (NS_EXTDISCO_2, NS_EXTDISCO_1):
        tag = f"{{{ns}}}services"
        services = element if element.tag == tag else element.find(tag)
        if services is not None:
            result: list[IceServer] = []
            for service in services.iterfind(f"{{{ns}}}service"):
                _add(result, dict(service.attrib))
            return result
    raise RemoteProtocolError(reason="external services result without <services/>")


def ice_servers_from_json(items: object) -> list[IceServer]:
    """The ``services`` list of Jitsi's room metadata JSON (same fields as the XML)."""
    result: list[IceServer] = []
    if not isinstance(items, list):
        return result
    for item in items:
        if isinstance(item, Mapping):
            attributes = {str(k): str(v) for k, v in item.items()
                          if isinstance(v, (str, int)) and not isinstance(v, bool)}
            _add(result, attributes)
    return result


def _add(result: list[IceServer], attributes: dict[str, str]) -> None:
    server = _ice_server(attributes)
    if server is None:
        log.info("skipping an external service we cannot use: type=%r host=%r",
                 attributes.get("type", "")[:20], attributes.get("host", "")[:80])
    elif server not in result:
        result.append(server)


def _ice_server(attributes: Mapping[str, str]) -> IceServer | None:
    kind = (attributes.get("type") or "").strip().lower()
    if kind not in _DEFAULT_PORT:
        return None
    host = _valid_host(attributes.get("host") or "")
    if host is None:
        return None
    port_text = (attributes.get("port") or "").strip()
    if port_text:
        if not _PORT.fullmatch(port_text) or not 0 < int(port_text) < 65536:
            return None
        port = int(port_text)
    else:
        port = _DEFAULT_PORT[kind]
    transport = (attributes.get("transport") or "").strip().lower() or \
        ("tcp" if kind == "turns" else "udp")
    if transport not in ("udp", "tcp"):
        return None
    if kind == "stun":
        # aiortc refuses a transport on stun: URLs; STUN is UDP for us anyway.
        return None if transport == "tcp" else IceServer([f"stun:{host}:{port}"])
    if kind == "turns" and transport == "udp":
        return None  # TURN over DTLS: aiortc cannot
    username, password = attributes.get("username"), attributes.get("password")
    if not username or not password or len(username) > _MAX_CREDENTIAL \
            or len(password) > _MAX_CREDENTIAL:
        return None  # aiortc needs credentials for every TURN server
    url = f"{kind}:{host}:{port}"
    if kind == "turn" and transport == "tcp":
        url += "?transport=tcp"
    return IceServer([url], username, password, _parse_expiry(attributes.get("expires")))


def _valid_host(text: str) -> str | None:
    host = text.strip()
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host.lower() if _HOSTNAME.fullmatch(host) else None
    return str(address) if address.version == 4 else None


def _parse_expiry(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc)
