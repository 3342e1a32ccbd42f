"""XmppStream: one XMPP-over-WebSocket session (RFC 7395), without sockets or clocks.

Frames in (``receive(frame, now)``), commands in (``start``, ``send``, ``send_iq``,
``close``), time in (``handle_timer(now)``); frames out (``take_outgoing()``), events
out (``take_events()``) and the next deadline (``deadline()``).  The asyncio
adapter is client/jitsi/transport.py.

What the stream does by itself, because it is the same for every caller:
login (SASL, client/jitsi/sasl.py), the stream restart, resource binding, the
legacy session IQ where a server insists, answering pings sent to us, keep-alive
pings to the server as lib-jitsi-meet does them (every 10 s unless something
arrived, 5 s timeout, two misses end the stream — spec §2.6), and matching IQ
results to their requests, with deadlines.

Anything the server sends that we cannot use — not XML, a DTD, an entity, a
frame over the size limit, an element where none belongs — closes the stream
with a ``RemoteProtocolError`` in ``StreamClosed``; it never escapes as a
parser's own exception.
"""

from __future__ import annotations

import base64
import binascii
import enum
import logging
from dataclasses import dataclass
from typing import Any

from client.errors import (LocalProtocolError, RemoteProtocolError, ServerError,
                           TreffpunktError)
from client.i18n import N_
from client.jitsi.ns import (NS_BIND, NS_CLIENT, NS_FRAMING, NS_PING, NS_SASL, NS_SESSION,
                             NS_STANZAS, NS_STREAM_ERRORS, NS_STREAMS)
from client.jitsi.sasl import AuthenticationError, Credentials, SaslMechanism, choose_mechanism
from client.jitsi.stanza import (Element, Jid, el, new_id, optional_jid, parse_xml, serialize,
                                 serialize_stanza, split_tag, sub)

log = logging.getLogger("treffpunkt.xmpp")

#: lib-jitsi-meet's keep-alive (strophe.ping.ts, XmppConnection.ts)
PING_INTERVAL_S = 10.0
PING_TIMEOUT_S = 5.0
PING_MISSES_ALLOWED = 2
#: how long we wait for the server's <close/> after sending ours
CLOSE_TIMEOUT_S = 2.0
#: bind and session IQs during login
LOGIN_IQ_TIMEOUT_S = 10.0

_STANZA_TAGS = {f"{{{NS_CLIENT}}}{name}" for name in ("iq", "message", "presence")}


# --- errors ------------------------------------------------------------------------

class StreamError(ServerError):
    """The server ended the stream with ``<stream:error>`` (RFC 6120 §4.9)."""

    kind = "stream-error"
    template = N_("The server {host} ended the connection ({condition}).")

    @property
    def condition(self) -> str:
        return str(self.details.get("condition", "undefined-condition"))

    @property
    def text(self) -> str | None:
        return self.details.get("text")


class StreamRedirectError(ServerError):
    """``<close see-other-uri=…/>``: the server wants us to use another WebSocket URL."""

    kind = "stream-redirect"
    template = N_("The server {host} asked Treffpunkt to connect to a different address.")

    @property
    def uri(self) -> str:
        return str(self.details.get("uri", ""))


class ConnectionLostError(ServerError):
    kind = "connection-lost"
    template = N_("The connection to {host} was lost.")


class IqError(TreffpunktError):
    """An IQ came back with ``type='error'``.  ``element`` is the whole reply (for logs)."""

    kind = "iq-error"
    template = N_("The server refused a request ({condition}).")

    def __init__(self, *, condition: str, error_type: str, text: str | None = None,
                 element: Element | None = None, **details: Any) -> None:
        super().__init__(condition=condition, error_type=error_type, text=text, **details)
        self.element = element

    @property
    def condition(self) -> str:
        return str(self.details["condition"])

    @property
    def error_type(self) -> str:
        return str(self.details["error_type"])

    @property
    def text(self) -> str | None:
        return self.details.get("text")


class IqTimeoutError(TreffpunktError):
    kind = "iq-timeout"
    template = N_("The server did not answer a request in time.")


# --- events ------------------------------------------------------------------------

@dataclass(frozen=True)
class StreamReady:
    """Logged in and bound; ``jid`` is our full JID."""

    jid: Jid


@dataclass(frozen=True, eq=False)
class StanzaReceived:
    """A message, a presence, or an IQ get/set for us (pings are answered already)."""

    stanza: Element


@dataclass(frozen=True, eq=False)
class IqAnswered:
    iq_id: str
    stanza: Element


@dataclass(frozen=True)
class IqFailed:
    iq_id: str
    error: IqError


@dataclass(frozen=True)
class IqTimedOut:
    iq_id: str


@dataclass(frozen=True)
class StreamClosed:
    """The end.  ``error`` is None after a close we asked for.  Outstanding IQs are void."""

    error: TreffpunktError | None


StreamEvent = StreamReady | StanzaReceived | IqAnswered | IqFailed | IqTimedOut | StreamClosed


class StreamState(enum.Enum):
    IDLE = "idle"
    OPENING = "opening"                # our <open/> is out, waiting for the server's
    NEGOTIATING = "negotiating"        # waiting for <stream:features>
    AUTHENTICATING = "authenticating"  # SASL exchange running
    BINDING = "binding"                # bind (and maybe session) IQ out
    READY = "ready"
    CLOSING = "closing"                # our <close/> is out
    CLOSED = "closed"


# --- stanza helpers ----------------------------------------------------------------

@dataclass(frozen=True)
class StanzaErrorInfo:
    error_type: str
    condition: str
    text: str | None


def parse_stanza_error(stanza: Element) -> StanzaErrorInfo:
    """The ``<error/>`` of a stanza of type error; absent parts get RFC 6120 defaults."""
    error = stanza.find(f"{{{NS_CLIENT}}}error")
    if error is None:
        error = stanza.find("error")
    if error is None:
        return StanzaErrorInfo("cancel", "undefined-condition", None)
    condition, text = "undefined-condition", None
    for child in error:
        ns, local = split_tag(child.tag)
        if ns != NS_STANZAS:
            continue
        if local == "text":
            text = (child.text or "")[:1000] or None
        elif condition == "undefined-condition":
            condition = local
    return StanzaErrorInfo(error.get("type") or "cancel", condition, text)


def iq_result(request: Element, *children: Element) -> Element:
    """The result reply to an IQ get/set."""
    return el("iq", {"type": "result", "id": request.get("id"), "to": request.get("from")},
              *children)


def iq_error(request: Element, condition: str, *, error_type: str = "cancel",
             text: str | None = None) -> Element:
    """An error reply to an IQ get/set (RFC 6120 §8.3)."""
    reply = el("iq", {"type": "error", "id": request.get("id"), "to": request.get("from")})
    error = sub(reply, "error", {"type": error_type})
    sub(error, f"{{{NS_STANZAS}}}{condition}")
    if text:
        sub(error, f"{{{NS_STANZAS}}}text", text=text)
    return reply


@dataclass
class _PendingIq:
    deadline: float
    to: Jid | None
    internal: str | None  # "bind", "session", "ping" — handled by the stream itself


# --- the stream ----------------------------------------------------------------------

class XmppStream:
    """One client stream to ``domain``.  ``secure`` says whether the channel is
    encrypted or on loopback (decides whether PLAIN may be used); ``host`` is the
    name people know the server by (the WebSocket host; on docker installs the XMPP
    domain is an internal name like ``meet.jitsi``) and goes into error messages."""

    def __init__(self, domain: str, *, host: str | None = None,
                 credentials: Credentials | None = None,
                 secure: bool = True, ping_interval_s: float = PING_INTERVAL_S,
                 ping_timeout_s: float = PING_TIMEOUT_S,
                 ping_misses_allowed: int = PING_MISSES_ALLOWED) -> None:
        self.domain = domain.lower()
        self.host = host or self.domain
        self.state = StreamState.IDLE
        self.jid: Jid | None = None
        self._credentials = credentials
        self._secure = secure
        self._ping_interval_s = ping_interval_s
        self._ping_timeout_s = ping_timeout_s
        self._ping_misses_allowed = ping_misses_allowed
        self._outgoing: list[str] = []
        self._events: list[StreamEvent] = []
        self._pending: dict[str, _PendingIq] = {}
        self._mechanism: SaslMechanism | None = None
        self._authenticated = False
        self._session_required = False
        self._next_ping_check: float | None = None
        self._received_since_check = False
        self._ping_misses = 0
        self._close_deadline: float | None = None

    # -- commands -------------------------------------------------------------------

    def start(self, now: float) -> None:
        """Open the stream (the WebSocket is connected)."""
        if self.state is not StreamState.IDLE:
            raise LocalProtocolError(reason="stream already started")
        self._send_open()

    def send(self, stanza: Element) -> None:
        """Queue a stanza; only once the stream is ready."""
        if self.state is not StreamState.READY:
            raise LocalProtocolError(reason=f"cannot send a stanza while {self.state.value}")
        self._queue_stanza(stanza)

    def send_iq(self, iq: Element, now: float, timeout_s: float) -> str:
        """Queue an IQ get/set and track its answer; returns its id (set if missing)."""
        if split_tag(iq.tag)[1] != "iq" or iq.get("type") not in ("get", "set"):
            raise LocalProtocolError(reason="send_iq needs an IQ of type get or set")
        if self.state is not StreamState.READY:
            raise LocalProtocolError(reason=f"cannot send an IQ while {self.state.value}")
        iq_id = iq.get("id") or new_id("iq")
        if iq_id in self._pending:
            raise LocalProtocolError(reason=f"IQ id {iq_id} is already waiting for an answer")
        iq.set("id", iq_id)
        self._track(iq_id, iq, now + timeout_s, internal=None)
        self._queue_stanza(iq)
        return iq_id

    def forget_iq(self, iq_id: str) -> None:
        """Stop waiting for an answer (the caller gave up); a late answer is dropped."""
        self._pending.pop(iq_id, None)

    def close(self, now: float) -> None:
        """Say goodbye; ``StreamClosed(None)`` follows the server's ``<close/>`` or a timeout."""
        if self.state in (StreamState.CLOSING, StreamState.CLOSED):
            return
        if self.state is StreamState.IDLE:
            self._finish(None)
            return
        self._queue_frame(serialize(el(f"{{{NS_FRAMING}}}close")))
        self.state = StreamState.CLOSING
        self._pending.clear()
        self._close_deadline = now + CLOSE_TIMEOUT_S

    def connection_lost(self, error: TreffpunktError | None = None) -> None:
        """The WebSocket is gone (``error`` says why, if the transport knows)."""
        if self.state is StreamState.CLOSED:
            return
        if error is None and self.state is not StreamState.CLOSING:
            error = ConnectionLostError(host=self.host)
        self._finish(error)

    # -- inputs -----------------------------------------------------------------------

    def receive(self, frame: str, now: float) -> None:
        """One WebSocket text message from the server."""
        if self.state in (StreamState.IDLE, StreamState.CLOSED):
            return
        self._received_since_check = True
        try:
            element = parse_xml(frame)
            self._dispatch(element, now)
        except TreffpunktError as exc:
            log.warning("closing the stream: %s", exc)
            self._fail(exc)

    def handle_timer(self, now: float) -> None:
        try:
            self._handle_timer(now)
        except TreffpunktError as exc:
            self._fail(exc)

    def deadline(self) -> float | None:
        """When ``handle_timer`` wants to be called next (monotonic seconds)."""
        candidates = [p.deadline for p in self._pending.values()]
        if self.state is StreamState.READY and self._next_ping_check is not None:
            candidates.append(self._next_ping_check)
        if self.state is StreamState.CLOSING and self._close_deadline is not None:
            candidates.append(self._close_deadline)
        return min(candidates, default=None)

    # -- outputs ----------------------------------------------------------------------

    def take_outgoing(self) -> list[str]:
        frames, self._outgoing = self._outgoing, []
        return frames

    def take_events(self) -> list[StreamEvent]:
        events, self._events = self._events, []
        return events

    # -- internals: dispatch ----------------------------------------------------------

    def _dispatch(self, element: Element, now: float) -> None:
        tag = element.tag
        if tag == f"{{{NS_FRAMING}}}open":
            self._on_open(element)
        elif tag == f"{{{NS_FRAMING}}}close":
            self._on_close(element)
        elif tag == f"{{{NS_STREAMS}}}error":
            self._on_stream_error(element)
        elif self.state is StreamState.OPENING:
            raise RemoteProtocolError(reason=f"expected <open/>, got {_describe(element)}")
        elif tag == f"{{{NS_STREAMS}}}features":
            self._on_features(element, now)
        elif split_tag(tag)[0] == NS_SASL:
            self._on_sasl(element)
        elif tag in _STANZA_TAGS and self.state in (StreamState.BINDING, StreamState.READY,
                                                    StreamState.CLOSING):
            self._on_stanza(element, now)
        elif self.state in (StreamState.READY, StreamState.CLOSING):
            # Not a stanza, not ours to act on (we never enable stream management etc.).
            log.info("ignoring unexpected top-level element %s", _describe(element))
        else:
            raise RemoteProtocolError(reason=f"unexpected {_describe(element)} while "
                                             f"{self.state.value}")

    def _on_open(self, element: Element) -> None:
        if self.state is not StreamState.OPENING:
            raise RemoteProtocolError(reason=f"unexpected <open/> while {self.state.value}")
        version = element.get("version")
        if version is not None and version.split(".")[0] != "1":
            raise RemoteProtocolError(reason=f"unsupported stream version {version[:20]!r}")
        self.state = StreamState.NEGOTIATING

    def _on_close(self, element: Element) -> None:
        if self.state is StreamState.CLOSING:
            self._finish(None)
            return
        uri = element.get("see-other-uri")
        error: TreffpunktError
        if uri:
            error = StreamRedirectError(host=self.host, uri=uri[:2000])
        else:
            error = ConnectionLostError(host=self.host, reason="the server closed the stream")
        self._fail(error)

    def _on_stream_error(self, element: Element) -> None:
        condition, text = "undefined-condition", None
        for child in element:
            ns, local = split_tag(child.tag)
            if ns != NS_STREAM_ERRORS:
                continue
            if local == "text":
                text = (child.text or "")[:1000] or None
            elif condition == "undefined-condition":
                condition = local
        self._fail(StreamError(host=self.host, condition=condition, text=text))

    def _on_features(self, features: Element, now: float) -> None:
        if self.state is not StreamState.NEGOTIATING:
            raise RemoteProtocolError(reason=f"unexpected stream features while {self.state.value}")
        if not self._authenticated:
            mechanisms = [m.text.strip() for m in
                          features.iterfind(f"{{{NS_SASL}}}mechanisms/{{{NS_SASL}}}mechanism")
                          if m.text and m.text.strip()]
            if not mechanisms:
                raise RemoteProtocolError(reason="the server offers no SASL mechanism")
            self._mechanism = choose_mechanism(mechanisms, self._credentials,
                                               plain_allowed=self._secure, host=self.host)
            log.info("SASL %s with %s", self._mechanism.name, self.domain)
            initial = self._mechanism.initial_response()
            auth = el(f"{{{NS_SASL}}}auth", {"mechanism": self._mechanism.name},
                      text=None if initial is None else _b64(initial))
            self._queue_frame(serialize(auth), sensitive=True)
            self.state = StreamState.AUTHENTICATING
            return
        if features.find(f"{{{NS_BIND}}}bind") is None:
            raise RemoteProtocolError(reason="the server offers no resource binding")
        session = features.find(f"{{{NS_SESSION}}}session")
        # RFC 3921 session: only where a server still marks it as not optional (Strophe's rule).
        self._session_required = (session is not None
                                  and session.find(f"{{{NS_SESSION}}}optional") is None)
        bind = el("iq", {"type": "set", "id": new_id("bind")}, el(f"{{{NS_BIND}}}bind"))
        self._track(bind.get("id") or "", bind, now + LOGIN_IQ_TIMEOUT_S, internal="bind")
        self._queue_stanza(bind)
        self.state = StreamState.BINDING

    def _on_sasl(self, element: Element) -> None:
        if self.state is not StreamState.AUTHENTICATING or self._mechanism is None:
            raise RemoteProtocolError(reason=f"unexpected SASL {_describe(element)}")
        local = split_tag(element.tag)[1]
        if local == "challenge":
            response = self._mechanism.respond(_unb64(element.text))
            self._queue_frame(serialize(el(f"{{{NS_SASL}}}response", text=_b64(response))),
                              sensitive=True)
        elif local == "success":
            self._mechanism.verify_success(_unb64(element.text))
            self._authenticated = True
            self._mechanism = None
            self._send_open()  # stream restart (RFC 6120 §6.4.6)
        elif local == "failure":
            condition, text = None, None
            for child in element:
                child_local = split_tag(child.tag)[1]
                if child_local == "text":
                    text = (child.text or "")[:1000] or None
                elif condition is None:
                    condition = child_local[:100]
            raise AuthenticationError(condition=condition or "not-authorized", text=text)
        else:
            raise RemoteProtocolError(reason=f"unexpected SASL {_describe(element)}")

    def _on_stanza(self, stanza: Element, now: float) -> None:
        local = split_tag(stanza.tag)[1]
        if local == "iq":
            self._on_iq(stanza, now)
        elif self.state in (StreamState.READY, StreamState.CLOSING):
            self._events.append(StanzaReceived(stanza))
        else:
            log.info("dropping a %s that came before login finished", local)

    def _on_iq(self, iq: Element, now: float) -> None:
        iq_type, iq_id = iq.get("type"), iq.get("id")
        if iq_type in ("result", "error"):
            pending = self._pending.get(iq_id or "")
            if pending is None or not self._from_matches(pending.to, iq.get("from")):
                log.debug("dropping an IQ %s nobody waits for (id %r)", iq_type, iq_id)
                return
            del self._pending[iq_id or ""]
            if pending.internal is not None:
                self._on_internal_answer(pending.internal, iq, now)
            elif iq_type == "result":
                self._events.append(IqAnswered(iq_id or "", iq))
            else:
                info = parse_stanza_error(iq)
                self._events.append(IqFailed(iq_id or "", IqError(
                    condition=info.condition, error_type=info.error_type, text=info.text,
                    element=iq)))
            return
        if iq_type not in ("get", "set") or not iq_id:
            log.info("dropping an IQ without a usable type or id")
            return
        if iq_type == "get" and iq.find(f"{{{NS_PING}}}ping") is not None:
            if self.state is not StreamState.CLOSING:  # nothing may follow our <close/>
                self._queue_stanza(iq_result(iq))  # XEP-0199 §4
            return
        if self.state in (StreamState.READY, StreamState.CLOSING):
            self._events.append(StanzaReceived(iq))
        else:
            self._queue_stanza(iq_error(iq, "service-unavailable"))

    def _on_internal_answer(self, purpose: str, iq: Element, now: float) -> None:
        if purpose == "ping":
            # Any answer, even an error, proves the server is there.
            self._ping_misses = 0
            return
        if iq.get("type") == "error":
            info = parse_stanza_error(iq)
            raise RemoteProtocolError(reason=f"{purpose} refused ({info.condition})")
        if purpose == "bind":
            text = iq.findtext(f"{{{NS_BIND}}}bind/{{{NS_BIND}}}jid")
            jid = Jid.parse((text or "").strip())
            if jid.resource is None or jid.local is None:
                raise RemoteProtocolError(reason="bind result without a full JID")
            self.jid = jid
            if self._session_required:
                session = el("iq", {"type": "set", "id": new_id("session")},
                             el(f"{{{NS_SESSION}}}session"))
                self._track(session.get("id") or "", session, now + LOGIN_IQ_TIMEOUT_S,
                            internal="session")
                self._queue_stanza(session)
                return
        self._become_ready(now)

    def _become_ready(self, now: float) -> None:
        assert self.jid is not None
        self.state = StreamState.READY
        self._next_ping_check = now + self._ping_interval_s
        self._received_since_check = False
        self._events.append(StreamReady(self.jid))

    def _handle_timer(self, now: float) -> None:
        for iq_id, pending in list(self._pending.items()):
            if pending.deadline > now or iq_id not in self._pending:
                continue
            del self._pending[iq_id]
            if pending.internal == "ping":
                self._ping_misses += 1
                log.info("ping %d unanswered", self._ping_misses)
                if self._ping_misses >= self._ping_misses_allowed:
                    raise ConnectionLostError(host=self.host,
                                              reason="the server stopped answering pings")
            elif pending.internal is not None:
                raise ConnectionLostError(host=self.host, reason=f"no answer to {pending.internal}")
            else:
                self._events.append(IqTimedOut(iq_id))
        if (self.state is StreamState.READY and self._next_ping_check is not None
                and now >= self._next_ping_check):
            self._next_ping_check = now + self._ping_interval_s
            if self._received_since_check:
                self._received_since_check = False  # traffic is proof enough (strophe.ping.ts)
            elif not any(p.internal == "ping" for p in self._pending.values()):
                ping = el("iq", {"type": "get", "id": new_id("ping"), "to": self.domain},
                          el(f"{{{NS_PING}}}ping"))
                self._track(ping.get("id") or "", ping, now + self._ping_timeout_s, internal="ping")
                self._queue_stanza(ping)
        if (self.state is StreamState.CLOSING and self._close_deadline is not None
                and now >= self._close_deadline):
            self._finish(None)

    # -- internals: helpers -----------------------------------------------------------

    def _from_matches(self, to: Jid | None, from_text: str | None) -> bool:
        """Is the answer from whom we asked?  (RFC 6120 §8.1.2.1: a reply to an IQ without
        'to' comes from our own account or the server; anything else is spoofing.)"""
        sender = optional_jid(from_text)
        if from_text and sender is None:
            return False
        own = {None, Jid(None, self.domain)}
        if self.jid is not None:
            own |= {self.jid, self.jid.bare}
        if to is None or to in own:
            return sender in own
        return sender == to

    def _track(self, iq_id: str, iq: Element, deadline: float, *, internal: str | None) -> None:
        to = iq.get("to")
        target = optional_jid(to)
        if to and target is None:
            raise LocalProtocolError(reason=f"IQ to an invalid JID {to[:80]!r}")
        self._pending[iq_id] = _PendingIq(deadline, target, internal)

    def _send_open(self) -> None:
        opening = el(f"{{{NS_FRAMING}}}open", {"to": self.domain, "version": "1.0"})
        self._queue_frame(serialize(opening))
        self.state = StreamState.OPENING

    def _queue_stanza(self, stanza: Element) -> None:
        self._queue_frame(serialize_stanza(stanza))

    def _queue_frame(self, frame: str, *, sensitive: bool = False) -> None:
        if log.isEnabledFor(logging.DEBUG):
            log.debug("out %s", "<SASL data withheld from the log>" if sensitive else frame)
        self._outgoing.append(frame)

    def _fail(self, error: TreffpunktError) -> None:
        if self.state is StreamState.CLOSED:
            return
        if self.state not in (StreamState.IDLE, StreamState.CLOSING):
            self._queue_frame(serialize(el(f"{{{NS_FRAMING}}}close")))
        self._finish(error)

    def _finish(self, error: TreffpunktError | None) -> None:
        self.state = StreamState.CLOSED
        self._pending.clear()
        self._next_ping_check = None
        self._close_deadline = None
        self._events.append(StreamClosed(error))


def _describe(element: Element) -> str:
    ns, local = split_tag(element.tag)
    return f"<{local[:40]}>" if ns is None else f"<{local[:40]} xmlns={ns[:80]!r}>"


def _b64(data: bytes) -> str:
    # RFC 6120 §6.4.2: an empty response is sent as a single '='.
    return base64.b64encode(data).decode("ascii") if data else "="


def _unb64(text: str | None) -> bytes:
    text = (text or "").strip()
    if text in ("", "="):
        return b""
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise RemoteProtocolError(reason="SASL data is not base64") from exc
