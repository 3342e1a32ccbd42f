"""Host login on a "secure domain" (jitsi-signaling.md §3.4, §3.6).

Where only a signed-in host may open a room, Jicofo answers guests' conference
requests with ``not-authorized`` until a host has asked.  The host proves who they
are on a *second*, authenticated XMPP connection: the same conference request (same
room, same machine-uid) sent from there opens an authentication session, and the
answer carries its ``session-id``.  The guest connection then asks again with that
``session-id``; Jicofo binds it to the session (the machine-uid must match), creates
the room, and makes us moderator.  The second connection is closed right away.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Awaitable, Callable

from client.errors import FocusUnavailableError, HostLoginFailedError, RemoteProtocolError
from client.jitsi.focus import REQUEST_TIMEOUT_S, ConferenceRequest, FocusError, FocusRefusal, FocusResult
from client.jitsi.sasl import AuthenticationError, Credentials
from client.jitsi.xmpp import IqError, IqTimeoutError
from client.net import TrustSettings

log = logging.getLogger("treffpunkt.auth")

Connect = Callable[..., Awaitable[Any]]


@dataclass(frozen=True)
class HostSession:
    """What Jicofo gave the host connection: the session to present on the guest one."""

    session_id: str | None
    identity: str | None


def login_domain(username: str, *, auth_domain: str | None, xmpp_domain: str) -> str:
    """The XMPP domain a host logs in to: ``user@domain`` as typed, else ``hosts.authdomain``,
    else ``hosts.domain`` (jitsi-meet connection/functions.ts toJid)."""
    _local, at, domain = username.rpartition("@")
    if at and domain:
        return domain.lower()
    return (auth_domain or xmpp_domain).lower()


async def obtain_host_session(connect: Connect, *, websocket_url: str, domain: str,
                              credentials: Credentials, request: ConferenceRequest, focus: str,
                              trust: TrustSettings, timeout_s: float = 10.0) -> HostSession:
    """Log in as host on a second connection and ask Jicofo for ``request.room`` there.

    Raises ``HostLoginFailedError`` (wrong credentials, or Jicofo does not accept this
    account), ``FocusUnavailableError``, or the connection's ``ServerError``.
    """
    try:
        client = await connect(websocket_url, domain, trust=trust, credentials=credentials,
                               timeout_s=timeout_s)
    except AuthenticationError as exc:
        raise HostLoginFailedError(user=credentials.username, condition=exc.condition) from exc
    try:
        # a fresh request: no guest session, same machine-uid (Jicofo checks it)
        answer = await client.iq(request.with_session(None).to_iq(focus),
                                 timeout_s=REQUEST_TIMEOUT_S)
        result = FocusResult.from_iq(answer)
    except IqError as exc:
        error = FocusError.from_iq(exc.element) if exc.element is not None else \
            FocusError(FocusRefusal.FATAL, exc.condition)
        if error.refusal == FocusRefusal.NOT_AUTHORIZED:
            raise HostLoginFailedError(user=credentials.username, condition=error.condition) from exc
        raise FocusUnavailableError(condition=error.condition, text=error.text) from exc
    except (IqTimeoutError, RemoteProtocolError) as exc:
        raise FocusUnavailableError(condition="timeout") from exc
    finally:
        try:
            await client.close()
        except Exception as exc:  # noqa: BLE001 — the session is what matters
            log.debug("closing the host connection: %s", exc)
    if not result.session_id:
        # The room was still created for us; guests can now get in anyway.
        log.warning("host login: Jicofo sent no session-id")
    return HostSession(result.session_id, result.identity)
