"""The conference request to Jicofo ("the focus"), jitsi-signaling.md §3.

Jicofo must create (or confirm) the MUC room before we join it — Prosody only lets
Jicofo create rooms.  This module builds the request exactly as lib-jitsi-meet does
(IQ and the HTTP ``conferenceRequestUrl`` JSON), parses the answer, and decides what
to do next as a pure function of the answer and the attempt count: join now, ask
again after a delay, wait for the host, or give up with a typed error.  The asyncio
side (``conference.py``) only sends, waits and sleeps.

Parsers follow the fuzz rule: any input gives a result or ``RemoteProtocolError``.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from typing import Any, Mapping

from client.errors import (FocusUnavailableError, RedirectUnsupportedError, RemoteProtocolError,
                           ReservationError, TreffpunktError)
from client.jitsi.ns import NS_JITSI_FOCUS, NS_STANZAS
from client.jitsi.stanza import Element, Jid, el, new_id, split_tag, sub

#: lib-jitsi-meet's backoff for ready='false' and for session errors: 1 s, 2 s, 4 s … ≤ 120 s
#: (moderator.ts createExpBackoffTimer)
RETRY_CAP_S = 120.0
#: a session-invalid answer is retried while the next delay stays below this (moderator.ts)
SESSION_RETRY_LIMIT_S = 60.0
#: "waiting for the host": the web app asks again every 5 s (authentication/actions.any.ts)
WAIT_FOR_HOST_POLL_S = 5.0
#: lib-jitsi-meet waits forever for the answer; a hung Jicofo should not hang us (§7.3)
REQUEST_TIMEOUT_S = 30.0


def new_machine_uid() -> str:
    """32 lower-case hex digits, like lib-jitsi-meet's ``jitsiMeetId``; keep it per install."""
    return secrets.token_hex(16)


def backoff_delay_s(attempt: int) -> float:
    """Delay before retry number ``attempt`` (1-based): 1, 2, 4, … capped at 120 s."""
    attempt = max(1, attempt)
    if attempt > 16:      # 2**15 s is far past the cap already; avoid huge powers
        return RETRY_CAP_S
    return min(float(2 ** (attempt - 1)), RETRY_CAP_S)


@dataclass(frozen=True)
class ConferenceRequest:
    """What we ask Jicofo for: a room, on behalf of this installation (machine-uid)."""

    room: Jid
    machine_uid: str
    session_id: str | None = None
    token: str | None = None
    start_audio_muted: int | None = None
    start_video_muted: int | None = None
    rtcstats_enabled: bool = False

    def properties(self) -> list[tuple[str, str]]:
        props: list[tuple[str, str]] = []
        if self.start_audio_muted is not None:
            props.append(("startAudioMuted", str(self.start_audio_muted)))
        if self.start_video_muted is not None:
            props.append(("startVideoMuted", str(self.start_video_muted)))
        # The lib signals only an explicit "no"; Jicofo defaults to yes.
        if not self.rtcstats_enabled:
            props.append(("rtcstatsEnabled", "false"))
        # No 'visitors-version': Jicofo only redirects clients that send it (§3.2), and we
        # do not follow vnode redirects.
        return props

    def to_iq(self, focus: Jid | str) -> Element:
        conference = el(f"{{{NS_JITSI_FOCUS}}}conference", {
            "room": str(self.room),
            "machine-uid": self.machine_uid,
            "token": self.token,
            "session-id": self.session_id,
        })
        for name, value in self.properties():
            sub(conference, f"{{{NS_JITSI_FOCUS}}}property", {"name": name, "value": value})
        return el("iq", {"type": "set", "to": str(focus), "id": new_id("focus")}, conference)

    def to_json(self) -> dict[str, Any]:
        """Body of the HTTP form (§3.5)."""
        body: dict[str, Any] = {
            "room": str(self.room),
            "machineUid": self.machine_uid,
            "properties": dict(self.properties()),
        }
        if self.session_id:
            body["sessionId"] = self.session_id
        return body

    def with_session(self, session_id: str | None) -> "ConferenceRequest":
        return ConferenceRequest(self.room, self.machine_uid, session_id, self.token,
                                 self.start_audio_muted, self.start_video_muted,
                                 self.rtcstats_enabled)


@dataclass(frozen=True)
class FocusResult:
    """Jicofo's answer (IQ ``<conference/>`` or HTTP JSON)."""

    ready: bool
    focus_jid: str | None = None       # Jicofo's real bare JID: occupant jid '<focus_jid>/…'
    room: str | None = None
    session_id: str | None = None
    identity: str | None = None
    vnode: str | None = None
    properties: Mapping[str, str] = field(default_factory=dict)

    @property
    def authentication_enabled(self) -> bool:
        return self.properties.get("authentication") == "true"

    @property
    def external_auth(self) -> bool:
        return self.properties.get("externalAuth") == "true"

    @property
    def live(self) -> bool:
        # only an explicit 'false' means "not live" (moderator.ts)
        return self.properties.get("live") != "false"

    @classmethod
    def from_iq(cls, iq: Element) -> "FocusResult":
        """An IQ result carrying ``<conference/>`` → FocusResult, or RemoteProtocolError."""
        conference = iq.find(f"{{{NS_JITSI_FOCUS}}}conference")
        if conference is None:
            raise RemoteProtocolError(reason="conference result without <conference/>")
        return cls.from_element(conference)

    @classmethod
    def from_element(cls, conference: Element) -> "FocusResult":
        if conference.tag != f"{{{NS_JITSI_FOCUS}}}conference":
            raise RemoteProtocolError(reason=f"unexpected element {conference.tag[:80]}")
        props: dict[str, str] = {}
        for prop in conference.findall(f"{{{NS_JITSI_FOCUS}}}property"):
            name, value = prop.get("name"), prop.get("value")
            if name:
                props[name] = value or ""
        return cls(
            ready=conference.get("ready") == "true",
            # 'focusjid' is what Jicofo sends; the doc example spells it 'focusJid'
            focus_jid=_bare_jid_text(conference.get("focusjid") or conference.get("focusJid")),
            room=conference.get("room") or None,
            session_id=conference.get("session-id") or None,
            identity=conference.get("identity") or None,
            vnode=conference.get("vnode") or None,
            properties=props,
        )

    @classmethod
    def from_json(cls, data: str | bytes | Mapping[str, Any]) -> "FocusResult":
        """The HTTP answer ``{ready, focusJid, sessionId, identity, vnode, properties}``."""
        if not isinstance(data, Mapping):
            try:
                data = json.loads(data)
            except (ValueError, RecursionError, UnicodeError) as exc:
                raise RemoteProtocolError(reason=f"conference answer is not JSON ({exc})") from exc
        if not isinstance(data, Mapping):
            raise RemoteProtocolError(reason="conference answer is not a JSON object")
        raw_props = data.get("properties")
        props: dict[str, str] = {}
        if isinstance(raw_props, Mapping):
            for key, value in raw_props.items():
                if isinstance(value, bool):
                    props[str(key)] = "true" if value else "false"
                elif isinstance(value, (str, int, float)):
                    props[str(key)] = str(value)
        ready = data.get("ready")
        return cls(
            ready=ready is True or ready == "true",
            focus_jid=_bare_jid_text(_text(data.get("focusJid"))),
            room=_text(data.get("room")),
            session_id=_text(data.get("sessionId")),
            identity=_text(data.get("identity")),
            vnode=_text(data.get("vnode")),
            properties=props,
        )


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _bare_jid_text(text: str | None) -> str | None:
    if not text:
        return None
    try:
        return str(Jid.parse(text).bare)
    except RemoteProtocolError:
        return None


# --- what went wrong ------------------------------------------------------------------

class FocusRefusal:
    NOT_AUTHORIZED = "not-authorized"       # room not open and we are no host (§3.3/§3.6 A)
    SESSION_INVALID = "session-invalid"     # our session-id expired / machine-uid mismatch
    RESERVATION = "reservation"             # reservation system said no
    FATAL = "fatal"                         # anything else: Jicofo down, bad request …


@dataclass(frozen=True)
class FocusError:
    refusal: str
    condition: str | None = None
    text: str | None = None
    reservation_code: str | None = None

    @classmethod
    def from_iq(cls, iq: Element) -> "FocusError":
        """An IQ of type='error' → FocusError (never raises)."""
        error = iq.find("{jabber:client}error")
        if error is None:
            error = iq.find("error")
        if error is None:
            return cls(FocusRefusal.FATAL)
        condition = None
        text = None
        reservation = None
        session_invalid = False
        for child in error:
            ns, local = split_tag(child.tag)
            if local == "text":
                text = (child.text or "").strip() or None
            elif local == "reservation-error":
                reservation = child.get("error-code") or ""
            elif local == "session-invalid":
                session_invalid = True
            elif ns == NS_STANZAS and condition is None:
                condition = local
        if reservation is not None:
            return cls(FocusRefusal.RESERVATION, condition, text, reservation or None)
        # The lib checks session problems before not-authorized; Jicofo never sends both.
        if session_invalid or condition == "not-acceptable":
            return cls(FocusRefusal.SESSION_INVALID, condition, text)
        if condition == "not-authorized":
            return cls(FocusRefusal.NOT_AUTHORIZED, condition, text)
        return cls(FocusRefusal.FATAL, condition, text)

    @classmethod
    def from_http(cls, status: int, body: str) -> "FocusError":
        """The HTTP form's errors (moderator.ts): 403 = not authorized, 400 invalid-session."""
        if status == 403:
            return cls(FocusRefusal.NOT_AUTHORIZED, "not-authorized", None)
        if status == 400 and "invalid-session" in body:
            return cls(FocusRefusal.SESSION_INVALID, "not-acceptable", None)
        return cls(FocusRefusal.FATAL, f"http-{status}", body[:200] or None)


# --- deciding what to do --------------------------------------------------------------

@dataclass(frozen=True)
class JoinNow:
    result: FocusResult


@dataclass(frozen=True)
class AskAgain:
    delay_s: float
    reason: str          # 'not-ready' | 'session-invalid'


@dataclass(frozen=True)
class WaitForHost:
    poll_s: float


@dataclass(frozen=True)
class GiveUp:
    error: TreffpunktError


Decision = JoinNow | AskAgain | WaitForHost | GiveUp


class FocusNegotiation:
    """One series of conference requests for one (re)join; sans-I/O.

    ``request()`` gives the request to send now; ``on_result``/``on_error``/``on_timeout``
    take the answer and return a ``Decision``.  Counters follow lib-jitsi-meet: the
    "not ready" and the error backoffs are separate and each resets on the other kind
    of answer.
    """

    def __init__(self, request: ConferenceRequest, *, room_name: str = "",
                 host: str = "") -> None:
        self._request = request
        self._room_name = room_name or (request.room.local or "")
        self._host = host
        self._not_ready_attempts = 0
        self._error_attempts = 0
        self.focus_jid: str | None = None
        self.last_result: FocusResult | None = None

    @property
    def session_id(self) -> str | None:
        return self._request.session_id

    def set_session(self, session_id: str | None) -> None:
        self._request = self._request.with_session(session_id)

    def request(self) -> ConferenceRequest:
        return self._request

    def on_result(self, result: FocusResult) -> Decision:
        self._error_attempts = 0
        self.last_result = result
        if result.focus_jid:
            self.focus_jid = result.focus_jid
        if result.session_id:
            self._request = self._request.with_session(result.session_id)
        if not result.live:
            # visitor "live room" mode: not for us (we send no visitors-version)
            return GiveUp(FocusUnavailableError(host=self._host, room=self._room_name))
        if result.ready:
            self._not_ready_attempts = 0
            if result.vnode:
                return GiveUp(RedirectUnsupportedError(room=self._room_name, vnode=result.vnode))
            return JoinNow(result)
        self._not_ready_attempts += 1
        return AskAgain(backoff_delay_s(self._not_ready_attempts), "not-ready")

    def on_error(self, error: FocusError) -> Decision:
        if error.refusal == FocusRefusal.RESERVATION:
            return GiveUp(ReservationError(room=self._room_name, code=error.reservation_code,
                                           text=error.text))
        if error.refusal == FocusRefusal.NOT_AUTHORIZED:
            return WaitForHost(WAIT_FOR_HOST_POLL_S)
        self._error_attempts += 1
        delay = backoff_delay_s(self._error_attempts)
        if error.refusal == FocusRefusal.SESSION_INVALID and delay < SESSION_RETRY_LIMIT_S:
            # forget the session and get a new one
            self._request = self._request.with_session(None)
            self._not_ready_attempts = 0
            return AskAgain(delay, "session-invalid")
        return GiveUp(FocusUnavailableError(host=self._host, room=self._room_name,
                                            condition=error.condition, text=error.text))

    def on_timeout(self) -> Decision:
        return GiveUp(FocusUnavailableError(host=self._host, room=self._room_name,
                                            condition="timeout"))

    def is_focus(self, real_jid: Jid | str | None) -> bool:
        """Is an occupant with this real JID Jicofo? (prefix '<focusjid>/', moderator.ts)"""
        if not real_jid or not self.focus_jid:
            return False
        return str(real_jid).lower().startswith(self.focus_jid.lower() + "/")


def logout_iq(focus: Jid | str, session_id: str) -> Element:
    """End a host session (§3.4 step 6)."""
    return el("iq", {"type": "set", "to": str(focus), "id": new_id("logout")},
              el(f"{{{NS_JITSI_FOCUS}}}logout", {"session-id": session_id}))


# --- the HTTP form's one network call (the only awaiting code here) ----------------------

async def post_conference_request(url: str, request: ConferenceRequest, *, token: str | None,
                                  trust: Any, timeout_s: float = REQUEST_TIMEOUT_S
                                  ) -> tuple[int, str]:
    """POST the request as JSON to ``conferenceRequestUrl`` (§3.5); (status, body text).

    Goes through client/net.py like every other connection; network problems raise
    its ``ServerError`` subclasses.
    """
    from client.net import https_post_json

    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = await https_post_json(url, request.to_json(), trust=trust, timeout_s=timeout_s,
                                     headers=headers)
    return int(response.status), response.text()
