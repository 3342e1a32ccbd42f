"""What a client needs to know about a Jitsi deployment, and how it is found out.

``discover(server_url, tenant, room)`` fetches ``<server>[/<tenant>]/config.js?room=<room>``
exactly as the web and mobile apps do (signaling spec §1.3), evaluates it in the
sandbox of ``configjs.py`` and turns the whitelisted values into a ``Deployment``:
domains, focus, WebSocket/BOSH URLs, conference-request URL, P2P and start-muted
settings, plus a list of translatable warnings for admins.

When is a server "not Jitsi"?  Evidence of Jitsi is either a ``config.js`` that
defines ``config`` with ``hosts.domain``, or an index page that loads the Jitsi
web app (``app.bundle.min.js``, ``lib-jitsi-meet``, ``interface_config``,
``JitsiMeetJS``, or the title "Jitsi Meet").  With neither, ``NotJitsiServerError``.  With only the index
page, the documented defaults are used and a warning says so — these guesses are
right for Debian-package installs and wrong for Docker ones (XMPP domain ≠ host
name), which is why the warning is worth showing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

from client.errors import (
    ConfigScriptError,
    ConfigSyntaxError,
    ConfigTooLargeError,
    InsecureConnectionError,
    InvalidServerUrlError,
    NotJitsiServerError,
    ResponseTooLargeError,
    ServerHttpError,
)
from client.i18n import N_
from client.jitsi.configjs import (
    MAX_SOURCE_BYTES,
    DiscoveryWarning,
    EvaluatedConfig,
    evaluate_config_js,
    ssi_variables,
)
from client.net import TrustSettings, ascii_host, https_get, is_loopback_host

__all__ = [
    "ConfigSource",
    "Deployment",
    "DiscoveryWarning",
    "P2PSettings",
    "config_js_url",
    "default_deployment",
    "deployment_from_config",
    "discover",
    "split_server_url",
]

#: Timeout the mobile app uses for loading config.js (spec §7.3).
DEFAULT_TIMEOUT_S = 10.0
#: The index page only has to be recognised, not kept.
MAX_INDEX_BYTES = 1024 * 1024
#: Lower-case byte strings; the stock index.html loads the app bundle and the lib,
#: includes interface_config.js, and many installs keep the "Jitsi Meet" title.
_JITSI_INDEX_MARKERS = (b"app.bundle.min.js", b"lib-jitsi-meet", b"interface_config",
                        b"interfaceconfig", b"jitsimeetjs", b"<title>jitsi meet")


class ConfigSource(str, Enum):
    """Where the values of a ``Deployment`` came from."""

    CONFIG_JS = "config.js"
    DEFAULTS = "defaults"


@dataclass(frozen=True)
class P2PSettings:
    """The deployment's wishes for direct (peer-to-peer) calls between two people."""

    enabled: bool = True
    #: STUN/TURN URLs from config.js that belong to this deployment (others are dropped).
    stun_urls: tuple[str, ...] = ()
    ice_transport_policy: str = "all"


@dataclass(frozen=True)
class Deployment:
    """Everything a client needs to connect to one Jitsi deployment (and tenant)."""

    #: ``https://host[:port]`` without a trailing slash.
    server_url: str
    tenant: str | None
    #: ``hosts.domain``: stream ``to`` for logins and JWT, target of disco/extdisco/ping.
    xmpp_domain: str
    #: ``hosts.muc``: the conference MUC component (tenant-specific when a tenant is used).
    muc_domain: str
    #: ``hosts.focus``: where the conference IQ goes.
    focus_jid: str
    #: ``websocket`` without ``?room=``; use ``websocket_url_for(room, jwt)`` to connect.
    websocket_url: str | None
    bosh_url: str | None
    source: ConfigSource
    #: The config.js address that was asked (with ``?room=`` when a room was known).
    config_url: str
    #: ``hosts.anonymousdomain``: guests log in here on "secure domain" setups.
    anonymous_domain: str | None = None
    #: ``hosts.authdomain``: appended to a bare user name when logging in.
    auth_domain: str | None = None
    focus_user_jid: str | None = None
    hidden_domain: str | None = None
    conference_request_url: str | None = None
    websocket_keepalive_url: str | None = None
    token_auth_url: str | None = None
    p2p: P2PSettings = P2PSettings()
    start_with_audio_muted: bool = False
    start_with_video_muted: bool = False
    start_audio_only: bool = False
    #: ``startAudioMuted``/``startVideoMuted``: everyone after the N-th starts muted.
    start_audio_muted_after: int | None = None
    start_video_muted_after: int | None = None
    prejoin_enabled: bool | None = None
    require_display_name: bool = False
    disable_third_party_requests: bool = False
    channel_last_n: int | None = None
    #: ``flags.*`` booleans (sourceNameSignaling, ssrcRewritingEnabled, ...).
    flags: Mapping[str, bool] = field(default_factory=dict)
    #: Every whitelisted value as config.js had it, by dotted key (``configjs.WHITELIST``).
    config: Mapping[str, Any] = field(default_factory=dict)
    warnings: tuple[DiscoveryWarning, ...] = ()

    @property
    def host(self) -> str:
        return urlsplit(self.server_url).hostname or ""

    def websocket_url_for(self, room: str | None = None, jwt: str | None = None) -> str | None:
        """The XMPP WebSocket URL with ``?room=`` (and ``&token=``), as the web app builds it.

        ``room`` is the backend-safe room name (already lower-case and
        percent-encoded); Prosody modules read it, so it is not optional in practice.
        """
        return _with_query(self.websocket_url, room, jwt)

    def bosh_url_for(self, room: str | None = None, jwt: str | None = None) -> str | None:
        return _with_query(self.bosh_url, room, jwt)

    def room_jid(self, room: str) -> str:
        """``<backend-safe room>@<muc domain>`` (the MUC domain lower-cased, as the lib does)."""
        return f"{room}@{self.muc_domain.lower()}"

    def stream_domain(self, *, anonymous: bool, jwt: bool = False) -> str:
        """The XMPP domain for the stream ``to`` (spec §2.2): guests use the guest domain."""
        if anonymous and not jwt and self.anonymous_domain:
            return self.anonymous_domain
        return self.xmpp_domain

    def to_json(self, language: str | None = None) -> dict[str, Any]:
        """A plain dict for ``treffpunkt check --json`` and for caching."""
        return {
            "server_url": self.server_url,
            "tenant": self.tenant,
            "source": self.source.value,
            "config_url": self.config_url,
            "xmpp_domain": self.xmpp_domain,
            "anonymous_domain": self.anonymous_domain,
            "auth_domain": self.auth_domain,
            "muc_domain": self.muc_domain,
            "focus_jid": self.focus_jid,
            "focus_user_jid": self.focus_user_jid,
            "hidden_domain": self.hidden_domain,
            "websocket_url": self.websocket_url,
            "bosh_url": self.bosh_url,
            "conference_request_url": self.conference_request_url,
            "websocket_keepalive_url": self.websocket_keepalive_url,
            "token_auth_url": self.token_auth_url,
            "p2p": {"enabled": self.p2p.enabled, "stun_urls": list(self.p2p.stun_urls),
                    "ice_transport_policy": self.p2p.ice_transport_policy},
            "start_with_audio_muted": self.start_with_audio_muted,
            "start_with_video_muted": self.start_with_video_muted,
            "start_audio_only": self.start_audio_only,
            "start_audio_muted_after": self.start_audio_muted_after,
            "start_video_muted_after": self.start_video_muted_after,
            "prejoin_enabled": self.prejoin_enabled,
            "require_display_name": self.require_display_name,
            "disable_third_party_requests": self.disable_third_party_requests,
            "channel_last_n": self.channel_last_n,
            "flags": dict(self.flags),
            "config": {k: list(v) if isinstance(v, tuple) else v for k, v in self.config.items()},
            "warnings": [w.message(language) for w in self.warnings],
        }


# --- URLs -----------------------------------------------------------------------------

def split_server_url(server_url: str, tenant: str | None = None) -> tuple[str, str | None]:
    """``https://Host:8443/tenant/`` → (``https://host:8443``, ``tenant``).

    The path of a server URL is its tenant (a default server may be
    ``https://host/tenant/``, spec §1.1); an explicit ``tenant`` wins.  Plain
    http is only accepted for loopback hosts.
    """
    text = server_url.strip()
    if "://" not in text:
        text = "https://" + text
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise InvalidServerUrlError(url=server_url.strip()[:80], detail=str(exc)) from exc
    host = parts.hostname
    scheme = parts.scheme.lower()
    if not host or scheme not in ("https", "http") or parts.username or parts.password:
        raise InvalidServerUrlError(url=server_url.strip()[:80])
    if scheme == "http" and not is_loopback_host(host):
        raise InsecureConnectionError(host=host)
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and port != (443 if scheme == "https" else 80):
        netloc += f":{port}"
    path_tenant = parts.path.strip("/") or None
    chosen = (tenant.strip("/") if tenant else None) or path_tenant
    return f"{scheme}://{netloc}", chosen


def _page_base(server_url: str, tenant: str | None) -> str:
    """The directory of the meeting page: ``https://host/`` or ``https://host/tenant/``."""
    return f"{server_url}/{quote(tenant, safe='/')}/" if tenant else f"{server_url}/"


def config_js_url(server_url: str, tenant: str | None = None, room: str | None = None) -> str:
    """``<server>[/<tenant>]/config.js[?room=<room>]`` (spec §1.3)."""
    url = _page_base(server_url, tenant) + "config.js"
    return _with_query(url, room, None) or url


def _quote_param(value: str) -> str:
    # A backend-safe room name is already percent-encoded; keep its escapes as they are.
    return quote(value, safe="%-_.!~*'()")


def _with_query(url: str | None, room: str | None, jwt: str | None) -> str | None:
    if url is None:
        return None
    params = []
    if room:
        params.append(f"room={_quote_param(room)}")
    if jwt:
        params.append(f"token={quote(jwt, safe='-_.~')}")
    if not params:
        return url
    parts = urlsplit(url)
    query = "&".join(([parts.query] if parts.query else []) + params)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def _site(host: str) -> str:
    """The part of a host name that one operator controls (a rough registrable domain)."""
    labels = host.lower().rstrip(".").split(".")
    return ".".join(labels[-2:]) if len(labels) >= 3 else ".".join(labels)


def _belongs_to(host: str, *owners: str) -> bool:
    host = host.lower().rstrip(".")
    if is_loopback_host(host) and any(is_loopback_host(owner) for owner in owners):
        return True  # a test server's STUN on 127.0.0.1 while the page is "localhost"
    for owner in owners:
        owner = owner.lower().rstrip(".")
        if not owner:
            continue
        site = _site(owner)
        if host == owner or host == site or host.endswith("." + site):
            return True
    return False


def _stun_host(url: str) -> str:
    rest = url.split(":", 1)[1] if ":" in url else ""
    rest = rest.lstrip("/").split("?", 1)[0]
    if rest.startswith("["):
        return rest[1:].split("]", 1)[0]
    return rest.rsplit(":", 1)[0] if rest.count(":") == 1 else rest


# --- from config values to a Deployment --------------------------------------------------

def _tenant_label(tenant: str) -> str:
    # nginx sets $subdomain to "<tenant>." and config.js lower-cases it and turns
    # dots into underscores (spec §1.3); we do the same for our defaults.
    return tenant.lower().replace(".", "_").replace("/", "_")


def default_deployment(server_url: str, tenant: str | None = None,
                       room: str | None = None) -> Deployment:
    """The documented guesses for a server without config.js (spec §1.3/§1.4)."""
    return deployment_from_config(EvaluatedConfig(defined=False), server_url, tenant,
                                  config_url=config_js_url(server_url, tenant, room),
                                  source=ConfigSource.DEFAULTS)


def deployment_from_config(config: EvaluatedConfig, server_url: str, tenant: str | None, *,
                           config_url: str, source: ConfigSource) -> Deployment:
    """Whitelisted config.js values + documented defaults → ``Deployment`` (pure)."""
    host = urlsplit(server_url).hostname or ""
    warnings: list[DiscoveryWarning] = []
    if source is ConfigSource.DEFAULTS:
        warnings.append(DiscoveryWarning(
            N_("{host} publishes no config.js; Treffpunkt assumes a standard installation "
               "(XMPP domain {domain}). This guess is often wrong for Docker installations."),
            {"host": host, "domain": ascii_host(host)}))
    warnings.extend(config.warnings)
    get = config.get

    domain = get("hosts.domain")
    if domain is None:
        domain = ascii_host(host)
        if source is ConfigSource.CONFIG_JS:
            warnings.append(DiscoveryWarning(
                N_("config.js does not name the XMPP domain (hosts.domain); Treffpunkt "
                   "assumes {domain}."), {"domain": domain}))
    muc = get("hosts.muc")
    if muc is None:
        muc = (f"conference.{_tenant_label(tenant)}.{domain}" if tenant
               else f"conference.{domain}")
        if source is ConfigSource.CONFIG_JS:
            warnings.append(DiscoveryWarning(
                N_("config.js does not name the conference domain (hosts.muc); Treffpunkt "
                   "assumes {muc}."), {"muc": muc}))

    page_base = _page_base(server_url, tenant)
    websocket = _resolve_url(get("websocket"), "websocket", page_base, websocket=True,
                             warnings=warnings)
    bosh = _resolve_url(get("bosh") or get("serviceUrl"), "bosh", page_base, websocket=False,
                        warnings=warnings)
    if websocket is None:
        websocket = _resolve_url("xmpp-websocket", "websocket", page_base, websocket=True,
                                 warnings=warnings)
        if source is ConfigSource.CONFIG_JS:
            warnings.append(DiscoveryWarning(
                N_("config.js names no WebSocket address for XMPP; Treffpunkt tries {url}."),
                {"url": websocket}))
    if bosh is None and source is ConfigSource.DEFAULTS:
        bosh = _resolve_url("http-bind", "bosh", page_base, websocket=False, warnings=warnings)

    stun_urls: list[str] = []
    for url in get("p2p.stunServers", ()):
        if _belongs_to(_stun_host(url), host, domain):
            stun_urls.append(url)
        else:
            warnings.append(DiscoveryWarning(
                N_("config.js names the STUN/TURN server {url}, which does not belong to this "
                   "server; Treffpunkt does not use it."), {"url": url}))
    p2p = P2PSettings(enabled=get("p2p.enabled", True), stun_urls=tuple(stun_urls),
                      ice_transport_policy=get("p2p.iceTransportPolicy", "all"))

    prejoin = get("prejoinConfig.enabled")
    if prejoin is None:
        prejoin = get("prejoinPageEnabled")
    flags = {key.split(".", 1)[1]: value for key, value in config.values.items()
             if key.startswith("flags.")}

    return Deployment(
        server_url=server_url,
        tenant=tenant,
        xmpp_domain=domain,
        muc_domain=muc,
        focus_jid=get("hosts.focus") or f"focus.{domain}",
        websocket_url=websocket,
        bosh_url=bosh,
        source=source,
        config_url=config_url,
        anonymous_domain=get("hosts.anonymousdomain"),
        auth_domain=get("hosts.authdomain") or domain,
        focus_user_jid=get("focusUserJid"),
        hidden_domain=get("hiddenDomain"),
        conference_request_url=_resolve_url(get("conferenceRequestUrl"), "conferenceRequestUrl",
                                            page_base, websocket=False, warnings=warnings),
        websocket_keepalive_url=_resolve_url(get("websocketKeepAliveUrl"),
                                             "websocketKeepAliveUrl", page_base,
                                             websocket=False, warnings=warnings),
        token_auth_url=_resolve_url(get("tokenAuthUrl"), "tokenAuthUrl", page_base,
                                    websocket=False, warnings=warnings),
        p2p=p2p,
        start_with_audio_muted=get("startWithAudioMuted", False),
        start_with_video_muted=get("startWithVideoMuted", False),
        start_audio_only=get("startAudioOnly", False),
        start_audio_muted_after=get("startAudioMuted"),
        start_video_muted_after=get("startVideoMuted"),
        prejoin_enabled=prejoin,
        require_display_name=get("requireDisplayName", False),
        disable_third_party_requests=get("disableThirdPartyRequests", False),
        channel_last_n=get("channelLastN"),
        flags=flags,
        config=dict(config.values),
        warnings=tuple(warnings),
    )


_TEMPLATE_LEFTOVER = re.compile(r"[{}<>]|%7b|%7d|%3c|%3e", re.IGNORECASE)


def _resolve_url(value: str | None, key: str, page_base: str, *, websocket: bool,
                 warnings: list[DiscoveryWarning]) -> str | None:
    """Resolve a config.js URL against the meeting page, as a browser would.

    Relative and protocol-relative values (``'/' + subdir + 'http-bind'``,
    ``'//host/http-bind'``) are common.  A WebSocket URL written as https is
    given its ws scheme.  Unencrypted addresses are refused except on loopback.
    """
    if value is None:
        return None
    resolved = urljoin(page_base, value)
    parts = urlsplit(resolved)
    scheme = parts.scheme.lower()
    if websocket:
        scheme = {"https": "wss", "http": "ws"}.get(scheme, scheme)
        secure, plain = "wss", "ws"
    else:
        secure, plain = "https", "http"
    hostname = parts.hostname or ""
    if (not hostname or scheme not in (secure, plain)
            or _TEMPLATE_LEFTOVER.search(parts.netloc + parts.path)):
        warnings.append(DiscoveryWarning(
            N_("config.js: the address in {key} is not usable and is ignored."), {"key": key}))
        return None
    if scheme == plain and not is_loopback_host(hostname):
        warnings.append(DiscoveryWarning(
            N_("config.js: {key} uses an unencrypted address and is ignored."), {"key": key}))
        return None
    return urlunsplit((scheme, parts.netloc, parts.path or "/", parts.query, ""))


# --- discovery over the network -----------------------------------------------------------

def _looks_like_html(body: bytes, content_type: str) -> bool:
    if content_type in ("text/html", "application/xhtml+xml"):
        return True
    head = body[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype", b"<html", b"<head", b"<body"))


async def _index_looks_like_jitsi(server_url: str, tenant: str | None,
                                  trust: TrustSettings | None, timeout_s: float) -> bool:
    try:
        response = await https_get(_page_base(server_url, tenant), trust=trust,
                                   timeout_s=timeout_s, max_bytes=MAX_INDEX_BYTES,
                                   accept="text/html")
    except ResponseTooLargeError:
        return False
    if response.status != 200:
        return False
    body = response.body.lower()
    return any(marker in body for marker in _JITSI_INDEX_MARKERS)


async def discover(server_url: str, tenant: str | None = None, room: str | None = None, *,
                   trust: TrustSettings | None = None,
                   timeout_s: float = DEFAULT_TIMEOUT_S) -> Deployment:
    """Find out how to connect to ``server_url`` (and ``tenant``) for ``room``.

    ``room`` is the backend-safe room name; it is sent as ``?room=`` because
    some deployments compute their config per room.  Raises ``ServerError``
    subclasses: ``ServerUnreachableError``, ``CertificateError`` (naming the host),
    ``NotJitsiServerError``, ``ConfigRejectedError``, ``ServerHttpError``, ...
    """
    server_url, tenant = split_server_url(server_url, tenant)
    host = urlsplit(server_url).hostname or server_url
    config_url = config_js_url(server_url, tenant, room)
    page_url = _page_base(server_url, tenant) + (room or "")
    try:
        response = await https_get(config_url, trust=trust, timeout_s=timeout_s,
                                   max_bytes=MAX_SOURCE_BYTES,
                                   accept="application/javascript, */*;q=0.5")
    except ResponseTooLargeError as exc:
        raise ConfigTooLargeError(host=host, reason="too-large",
                                  limit_kb=MAX_SOURCE_BYTES // 1024) from exc

    evaluated: EvaluatedConfig | None = None
    if response.status == 200 and not _looks_like_html(response.body, response.content_type):
        try:
            evaluated = await evaluate_config_js(response.body, host=host, page_url=page_url,
                                                 ssi=ssi_variables(tenant))
        except (ConfigSyntaxError, ConfigScriptError) as exc:
            # Some other web application's config.js: say "not Jitsi", not "broken config".
            if not await _index_looks_like_jitsi(server_url, tenant, trust, timeout_s):
                raise NotJitsiServerError(host=host) from exc
            raise
        if evaluated.defined and evaluated.get("hosts.domain"):
            return deployment_from_config(evaluated, server_url, tenant, config_url=config_url,
                                          source=ConfigSource.CONFIG_JS)
    elif response.status not in (200, 404, 410):
        raise ServerHttpError(host=host, status=response.status)

    # No usable config.js: the index page must show that this is Jitsi at all.
    if not await _index_looks_like_jitsi(server_url, tenant, trust, timeout_s):
        raise NotJitsiServerError(host=host)
    if evaluated is not None and evaluated.defined:
        return deployment_from_config(evaluated, server_url, tenant, config_url=config_url,
                                      source=ConfigSource.CONFIG_JS)
    return deployment_from_config(EvaluatedConfig(defined=False), server_url, tenant,
                                  config_url=config_url, source=ConfigSource.DEFAULTS)
