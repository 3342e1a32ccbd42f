"""Jingle (XEP-0166) sessions, sans-I/O: IQ stanzas in, replies/requests and events out.

``parse_jingle_iq`` turns an ``<iq type='set'><jingle/></iq>`` into a ``JingleRequest``
(or raises ``RemoteProtocolError``).  A ``JingleSession`` holds one session's state
(pending → active → ended) and, for each request, returns the IQ reply owed to the
sender plus what happened as ``JingleEvent``s.  Requests we make are returned as IQ
elements for the caller to send; the caller feeds their results back only if it
cares.  Reply rules follow lib-jitsi-meet: every valid request is acknowledged
immediately with a plain result; a stale or unknown session gets ``item-not-found``
with ``<unknown-session/>``, a request the state does not allow ``unexpected-request``
with ``<out-of-order/>``, an unknown action ``bad-request``.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from enum import Enum
from typing import Callable, Mapping

from client.errors import LocalProtocolError, RemoteProtocolError
from client.jitsi.description import (
    SessionDescription,
    description_from_jingle,
    description_to_elements,
)
from client.jitsi.ns import NS_JINGLE, NS_JINGLE_ERRORS, NS_JITSI_VIDEO, NS_STANZAS
from client.jitsi.stanza import Element, Jid, el, new_id, optional_jid, sub


class Action(str, Enum):
    SESSION_INITIATE = "session-initiate"
    SESSION_ACCEPT = "session-accept"
    SESSION_TERMINATE = "session-terminate"
    SESSION_INFO = "session-info"
    TRANSPORT_INFO = "transport-info"
    CONTENT_MODIFY = "content-modify"
    SOURCE_ADD = "source-add"
    SOURCE_REMOVE = "source-remove"
    TRANSPORT_REPLACE = "transport-replace"
    TRANSPORT_ACCEPT = "transport-accept"


# Old Jicofos and LJM used these names for source-add / source-remove.
_ACTION_ALIASES = {"addsource": Action.SOURCE_ADD, "removesource": Action.SOURCE_REMOVE}

REASONS = ("alternative-session", "busy", "cancel", "connectivity-error", "decline", "expired",
           "failed-application", "failed-transport", "general-error", "gone",
           "incompatible-parameters", "media-error", "security-error", "success", "timeout",
           "unsupported-applications", "unsupported-transports")


class Role(str, Enum):
    INITIATOR = "initiator"
    RESPONDER = "responder"


class SessionState(str, Enum):
    PENDING = "pending"      # initiate sent or received, no accept yet
    ACTIVE = "active"        # accepted
    ENDED = "ended"          # terminated by either side


@dataclass(frozen=True)
class Reason:
    condition: str
    text: str | None = None


@dataclass(frozen=True)
class FrameHeightRequest:
    """What a content-modify asks of our video: one height for all, or per source name."""

    max_height: int | None = None                      # 2021 form: <max-frame-height>N</…>
    source_heights: Mapping[str, int] = field(default_factory=dict)   # current: per source
    video_senders: str | None = None                   # content senders: 'both' / 'none' …

    @property
    def effective_height(self) -> int | None:
        """The largest height asked for any of our sources (None: no statement)."""
        heights = list(self.source_heights.values())
        if self.max_height is not None:
            heights.append(self.max_height)
        return max(heights) if heights else None


@dataclass(frozen=True)
class JingleRequest:
    """A received Jingle IQ set, parsed."""

    iq_id: str | None
    sender: Jid
    action: Action
    sid: str
    initiator: Jid | None
    responder: Jid | None
    description: SessionDescription
    reason: Reason | None = None
    frame_heights: FrameHeightRequest | None = None
    element: Element | None = field(default=None, compare=False, repr=False)


# --- events -----------------------------------------------------------------------

@dataclass(frozen=True)
class JingleEvent:
    sid: str


@dataclass(frozen=True)
class RemoteAccepted(JingleEvent):
    """The peer answered our session-initiate."""

    description: SessionDescription


@dataclass(frozen=True)
class RemoteTransportInfo(JingleEvent):
    """Trickled candidates (and credentials) from the peer."""

    description: SessionDescription


@dataclass(frozen=True)
class RemoteSourcesAdded(JingleEvent):
    description: SessionDescription


@dataclass(frozen=True)
class RemoteSourcesRemoved(JingleEvent):
    description: SessionDescription


@dataclass(frozen=True)
class ReceiverConstraints(JingleEvent):
    """The peer told us (content-modify) how much of our video it wants."""

    request: FrameHeightRequest


@dataclass(frozen=True)
class SessionEnded(JingleEvent):
    """The peer terminated the session."""

    reason: Reason


@dataclass(frozen=True)
class SessionInfo(JingleEvent):
    """A session-info we do not act on (ringing, mute, ice-state …), for the log."""

    element: Element = field(compare=False, repr=False)


# --- parsing and replies ---------------------------------------------------------------

def find_jingle(iq: Element) -> Element | None:
    return iq.find(f"{{{NS_JINGLE}}}jingle")


def parse_jingle_iq(iq: Element) -> JingleRequest:
    """An ``<iq type='set'>`` carrying ``<jingle>`` → ``JingleRequest``."""
    jingle = find_jingle(iq)
    if jingle is None:
        raise RemoteProtocolError(reason="IQ without <jingle>")
    sender = optional_jid(iq.get("from"))
    if sender is None:
        raise RemoteProtocolError(reason="Jingle IQ without a valid from")
    action_text = jingle.get("action") or ""
    action = _ACTION_ALIASES.get(action_text)
    if action is None:
        try:
            action = Action(action_text)
        except ValueError:
            raise UnknownActionError(action=action_text) from None
    sid = jingle.get("sid")
    if not sid:
        raise RemoteProtocolError(reason="<jingle> without sid")
    frame_heights = None
    if action is Action.CONTENT_MODIFY:
        frame_heights = _frame_heights(jingle)
        description = SessionDescription()
    else:
        description = description_from_jingle(jingle)
    return JingleRequest(
        iq_id=iq.get("id"), sender=sender, action=action, sid=sid,
        initiator=optional_jid(jingle.get("initiator")),
        responder=optional_jid(jingle.get("responder")),
        description=description, reason=_reason(jingle), frame_heights=frame_heights,
        element=jingle)


class UnknownActionError(RemoteProtocolError):
    kind = "jingle-unknown-action"

    def __init__(self, action: str) -> None:
        super().__init__(reason=f"unknown Jingle action {action[:40]!r}")


def _reason(jingle: Element) -> Reason | None:
    element = jingle.find(f"{{{NS_JINGLE}}}reason")
    if element is None:
        return None
    condition = "general-error"
    text = None
    for child in element:
        local = child.tag.rpartition("}")[2]
        if local == "text":
            text = child.text
        elif child.tag.startswith("{" + NS_JINGLE + "}"):
            condition = local
    return Reason(condition, text)


def _frame_heights(jingle: Element) -> FrameHeightRequest:
    max_height = None
    heights: dict[str, int] = {}
    senders = None
    for content in jingle.findall(f"{{{NS_JINGLE}}}content"):
        if content.get("name") not in (None, "video") and content.find(
                f"{{{NS_JITSI_VIDEO}}}source-frame-height") is None:
            continue
        senders = content.get("senders") or senders
        for child in content.findall(f"{{{NS_JITSI_VIDEO}}}max-frame-height"):
            max_height = _height((child.text or "").strip())
        for child in content.findall(f"{{{NS_JITSI_VIDEO}}}source-frame-height"):
            name = child.get("sourceName")
            height = _height(child.get("maxHeight") or "")
            if name and height is not None:
                heights[name] = height
    return FrameHeightRequest(max_height, heights, senders)


def _height(text: str) -> int | None:
    try:
        value = int(text)
    except ValueError:
        raise RemoteProtocolError(reason=f"frame height {text[:20]!r} is not a number") from None
    if not 0 <= value <= 100_000:
        raise RemoteProtocolError(reason=f"frame height {value} out of range")
    return value


def result_for(iq: Element) -> Element:
    """The empty result acknowledging a set."""
    return el("iq", {"type": "result", "to": iq.get("from"), "id": iq.get("id")})


def error_for(iq: Element, condition: str, *, error_type: str = "cancel",
              jingle_condition: str | None = None, text: str | None = None) -> Element:
    """An IQ error reply with an RFC 6120 condition and an optional Jingle condition."""
    reply = el("iq", {"type": "error", "to": iq.get("from"), "id": iq.get("id")})
    error = sub(reply, "error", {"type": error_type})
    sub(error, f"{{{NS_STANZAS}}}{condition}")
    if text:
        sub(error, f"{{{NS_STANZAS}}}text", text=text)
    if jingle_condition:
        sub(error, f"{{{NS_JINGLE_ERRORS}}}{jingle_condition}")
    return reply


def unknown_session_reply(iq: Element) -> Element:
    return error_for(iq, "item-not-found", jingle_condition="unknown-session")


def new_sid() -> str:
    """Like LJM: 12 hex digits."""
    return secrets.token_hex(6)


# --- the session ------------------------------------------------------------------------

class JingleSession:
    """One Jingle session with one peer.

    ``local`` is the address the peer sees as us (our MUC occupant JID in P2P),
    ``peer`` the address we talk to.  Outgoing requests are returned as IQ elements.
    """

    def __init__(self, *, sid: str, role: Role, local: Jid, peer: Jid, initiator: Jid,
                 responder: Jid | None = None, state: SessionState = SessionState.PENDING,
                 id_factory: Callable[[], str] = lambda: new_id("jingle")) -> None:
        self.sid = sid
        self.role = role
        self.local = local
        self.peer = peer
        self.initiator = initiator
        self.responder = responder
        self.state = state
        self._new_id = id_factory
        #: what the peer last described (offer or answer); transport info merges into it
        self.remote_description: SessionDescription | None = None
        self.end_reason: Reason | None = None

    # -- construction

    @classmethod
    def outgoing(cls, *, local: Jid, peer: Jid, sid: str | None = None,
                 id_factory: Callable[[], str] | None = None) -> "JingleSession":
        """A session we will initiate (state PENDING once ``initiate`` was called)."""
        kwargs = {"id_factory": id_factory} if id_factory else {}
        return cls(sid=sid or new_sid(), role=Role.INITIATOR, local=local, peer=peer,
                   initiator=local, **kwargs)

    @classmethod
    def incoming(cls, request: JingleRequest, *, local: Jid,
                 id_factory: Callable[[], str] | None = None) -> "JingleSession":
        """A session the peer initiated with ``request`` (a session-initiate)."""
        if request.action is not Action.SESSION_INITIATE:
            raise LocalProtocolError(reason=f"{request.action.value} does not start a session")
        kwargs = {"id_factory": id_factory} if id_factory else {}
        session = cls(sid=request.sid, role=Role.RESPONDER, local=local, peer=request.sender,
                      initiator=request.initiator or request.sender, **kwargs)
        session.remote_description = request.description
        return session

    # -- requests we send

    def _request(self, action: Action, description: SessionDescription | None = None,
                 extra: list[Element] | None = None, *, with_responder: bool = False) -> Element:
        if self.state is SessionState.ENDED:
            raise LocalProtocolError(reason=f"{action.value} on an ended session")
        iq = el("iq", {"type": "set", "to": str(self.peer), "id": self._new_id()})
        jingle = sub(iq, f"{{{NS_JINGLE}}}jingle", {
            "action": action.value, "initiator": str(self.initiator), "sid": self.sid,
            "responder": str(self.responder) if with_responder and self.responder else None})
        if description is not None:
            jingle.extend(description_to_elements(description))
        for child in extra or ():
            jingle.append(child)
        return iq

    def initiate(self, description: SessionDescription) -> Element:
        if self.role is not Role.INITIATOR or self.remote_description is not None:
            raise LocalProtocolError(reason="session-initiate from the responder")
        return self._request(Action.SESSION_INITIATE, description)

    def accept(self, description: SessionDescription, *, responder: Jid | None = None) -> Element:
        if self.role is not Role.RESPONDER or self.state is not SessionState.PENDING:
            raise LocalProtocolError(reason=f"session-accept as {self.role.value} in {self.state.value}")
        self.responder = responder or self.local
        iq = self._request(Action.SESSION_ACCEPT, description, with_responder=True)
        self.state = SessionState.ACTIVE
        return iq

    def transport_info(self, description: SessionDescription) -> Element:
        return self._request(Action.TRANSPORT_INFO, description)

    def source_add(self, description: SessionDescription) -> Element:
        return self._request(Action.SOURCE_ADD, description)

    def source_remove(self, description: SessionDescription) -> Element:
        return self._request(Action.SOURCE_REMOVE, description)

    def content_modify(self, *, max_height: int | None = None,
                       source_heights: Mapping[str, int] | None = None,
                       video_senders: str = "both") -> Element:
        """Tell the peer how much of its video we want (both the 2021 and the current form)."""
        content = el(f"{{{NS_JINGLE}}}content", {"name": "video", "senders": video_senders})
        if max_height is not None:
            sub(content, f"{{{NS_JITSI_VIDEO}}}max-frame-height", text=str(max_height))
        for name, height in (source_heights or {}).items():
            sub(content, f"{{{NS_JITSI_VIDEO}}}source-frame-height",
                {"sourceName": name, "maxHeight": str(height)})
        return self._request(Action.CONTENT_MODIFY, extra=[content])

    def terminate(self, reason: str = "success", text: str | None = None) -> Element | None:
        """The session-terminate to send, or None if the session already ended."""
        if self.state is SessionState.ENDED:
            return None
        reason_element = el(f"{{{NS_JINGLE}}}reason")
        sub(reason_element, f"{{{NS_JINGLE}}}{reason}")
        if text:
            sub(reason_element, f"{{{NS_JINGLE}}}text", text=text)
        iq = self._request(Action.SESSION_TERMINATE, extra=[reason_element])
        self.state = SessionState.ENDED
        self.end_reason = Reason(reason, text)
        return iq

    # -- requests we receive

    def receive(self, iq: Element, request: JingleRequest) -> tuple[Element, list[JingleEvent]]:
        """Handle a request for this session: the reply to send and what happened."""
        if request.sid != self.sid or request.sender != self.peer or self.state is SessionState.ENDED:
            return unknown_session_reply(iq), []
        action = request.action
        if action is Action.SESSION_INITIATE:
            # a second initiate for a sid we already know
            return error_for(iq, "service-unavailable"), []
        if action is Action.SESSION_ACCEPT:
            if self.role is not Role.INITIATOR or self.state is not SessionState.PENDING:
                return error_for(iq, "unexpected-request", error_type="wait",
                                 jingle_condition="out-of-order"), []
            self.state = SessionState.ACTIVE
            self.responder = request.responder or request.sender
            self.remote_description = request.description
            return result_for(iq), [RemoteAccepted(self.sid, request.description)]
        if action is Action.SESSION_TERMINATE:
            self.state = SessionState.ENDED
            self.end_reason = request.reason or Reason("success")
            return result_for(iq), [SessionEnded(self.sid, self.end_reason)]
        if action is Action.TRANSPORT_INFO:
            return result_for(iq), [RemoteTransportInfo(self.sid, request.description)]
        if action is Action.CONTENT_MODIFY:
            heights = request.frame_heights or FrameHeightRequest()
            return result_for(iq), [ReceiverConstraints(self.sid, heights)]
        if action is Action.SOURCE_ADD:
            return result_for(iq), [RemoteSourcesAdded(self.sid, request.description)]
        if action is Action.SOURCE_REMOVE:
            return result_for(iq), [RemoteSourcesRemoved(self.sid, request.description)]
        if action is Action.SESSION_INFO:
            return result_for(iq), [SessionInfo(self.sid, request.element if request.element is not None
                                                else el(f"{{{NS_JINGLE}}}jingle"))]
        # transport-replace/-accept: LJM acks and ignores them since 2024
        return result_for(iq), []
