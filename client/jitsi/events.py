"""Every fact a conference reports to the outside, as a frozen dataclass.

``Conference`` hands these to its ``on_event`` callable and to every listener added
with ``add_listener``; the UI bridge turns them into Qt signals, ``treffpunkt join
--json`` prints one JSON object per event (see ``event_to_dict``).  Events are
past-tense facts; a refusal the user can fix in place (password, lobby, waiting for
the host, a missing display name) is an event paired with a command, not an error.

Ordering guarantees:
- ``Connected`` comes before any room event; ``Joined`` before any participant event
  of that join (existing occupants arrive as ``ParticipantJoined`` right after it).
- Every ``Conference.run()`` ends with exactly one ``ConferenceEnded`` as the very
  last event, whatever the reason (``reason`` names it, ``error`` says why if it
  was not our own choice).  The specific event that caused it (``Kicked``,
  ``RoomDestroyed``, ``JoinFailed``, ``LobbyRejected``, ``Left``) comes just before.
- After ``Reconnecting`` the whole join sequence repeats (``Joined`` again with a
  possibly new endpoint id; participants are re-announced).

Identifiers: ``endpoint_id`` is a participant's MUC nickname (what Jicofo and the
bridge call the endpoint, and the prefix of its source names ``<ep>-a0``/``<ep>-v0``).
Room and user addresses are plain strings so events stay trivially serialisable.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, ClassVar, Mapping

from client.errors import TreffpunktError


@dataclass(frozen=True)
class SourceInfo:
    """One entry of a participant's ``<SourceInfo>`` presence JSON: one media source.

    Source names are ``<endpoint>-a<i>`` (audio) and ``<endpoint>-v<i>`` (video).
    Jicofo counts a source without ``muted`` as muted, so we always send it.
    """

    muted: bool = True
    video_type: str | None = None   # 'camera' / 'desktop'; None for audio or unknown


@dataclass(frozen=True)
class ConferenceEvent:
    """Base of every event.  ``kind`` is the event's name in JSON output."""

    kind: ClassVar[str] = "event"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "kind" not in cls.__dict__:
            cls.kind = re.sub(r"(?<!^)(?=[A-Z])", "-", cls.__name__).lower()


# --- connection --------------------------------------------------------------------

@dataclass(frozen=True)
class Connected(ConferenceEvent):
    """The XMPP connection to the deployment is up (after login and bind)."""

    jid: str
    domain: str


@dataclass(frozen=True)
class Reconnecting(ConferenceEvent):
    """We lost the room or the connection and will try again after ``delay_s``."""

    reason: str          # 'focus-left', 'connection-lost', 'room-creation-restricted'
    attempt: int
    delay_s: float


# --- before the room: focus, host, password, lobby ------------------------------------

@dataclass(frozen=True)
class WaitingForHost(ConferenceEvent):
    """The server only opens the room for a signed-in host; we poll until it is open.

    Commands: ``login_as_host(user, password)`` if the user is the host, ``cancel()``.
    """

    room: str
    poll_interval_s: float


@dataclass(frozen=True)
class HostLoginRequested(ConferenceEvent):
    """The server admits only signed-in users (no guests at all, or guests refused).

    ``after_failed_login`` is True when the credentials we just tried were refused.
    Commands: ``login_as_host(user, password)``, ``cancel()``.
    """

    room: str
    after_failed_login: bool = False


@dataclass(frozen=True)
class HostLoggedIn(ConferenceEvent):
    """Host login worked: the server now knows us as ``identity`` (a JID)."""

    identity: str | None


@dataclass(frozen=True)
class PasswordRequested(ConferenceEvent):
    """The room is locked.  Commands: ``submit_password(p)``, ``cancel()``."""

    room: str
    after_wrong_password: bool


@dataclass(frozen=True)
class DisplayNameRequired(ConferenceEvent):
    """The room (its lobby) needs a display name.  Commands: ``set_display_name(n)``, ``cancel()``."""

    room: str


@dataclass(frozen=True)
class LobbyWaiting(ConferenceEvent):
    """We knocked and sit in the lobby until a moderator lets us in (or the host comes).

    Commands: ``submit_password(p)`` (a room password bypasses the lobby), ``cancel()``.
    """

    room: str
    lobby_room: str
    waiting_for_host: bool = False


@dataclass(frozen=True)
class LobbyAdmitted(ConferenceEvent):
    """A moderator let us in; the join of the main room follows."""

    room: str


@dataclass(frozen=True)
class LobbyRejected(ConferenceEvent):
    """A moderator refused us entry.  ``ConferenceEnded`` follows."""

    room: str


# --- in the room -----------------------------------------------------------------------

@dataclass(frozen=True)
class Joined(ConferenceEvent):
    """We are in the room as ``endpoint_id``."""

    room: str
    endpoint_id: str
    display_name: str | None
    role: str                 # 'moderator', 'participant', 'visitor'
    affiliation: str          # 'owner', 'admin', 'member', 'none'
    locked: bool = False      # joined with a password

    @property
    def is_moderator(self) -> bool:
        return self.role == "moderator"


@dataclass(frozen=True)
class RoleChanged(ConferenceEvent):
    """Our own role or affiliation changed (others' changes come as ParticipantUpdated)."""

    endpoint_id: str
    role: str
    affiliation: str

    @property
    def is_moderator(self) -> bool:
        return self.role == "moderator"


@dataclass(frozen=True)
class ParticipantJoined(ConferenceEvent):
    """Someone else is in the room (Jicofo itself is never reported)."""

    endpoint_id: str
    display_name: str | None
    role: str
    affiliation: str
    jid: str | None = None                      # the real JID the room shows
    audio_muted: bool = True
    video_muted: bool = True
    video_type: str | None = None               # of the main video source
    sources: Mapping[str, SourceInfo] = field(default_factory=dict)
    raised_hand: bool = False
    features: frozenset[str] = frozenset()      # <features> a client puts in presence


@dataclass(frozen=True)
class ParticipantUpdated(ConferenceEvent):
    """A participant's presence changed; ``changed`` names the fields that differ."""

    endpoint_id: str
    display_name: str | None
    role: str
    affiliation: str
    jid: str | None = None
    audio_muted: bool = True
    video_muted: bool = True
    video_type: str | None = None
    sources: Mapping[str, SourceInfo] = field(default_factory=dict)
    raised_hand: bool = False
    features: frozenset[str] = frozenset()
    changed: frozenset[str] = frozenset()       # e.g. {'display_name', 'audio_muted'}


@dataclass(frozen=True)
class ParticipantLeft(ConferenceEvent):
    """Someone left.  Media code drops that endpoint's remote sources on this."""

    endpoint_id: str
    display_name: str | None
    reason: str | None = None        # the <status> text, or a kick reason
    kicked: bool = False
    actor: str | None = None         # nick of the moderator who kicked


@dataclass(frozen=True)
class ChatReceived(ConferenceEvent):
    """A chat message, group or private.  Our own group messages come back too."""

    from_id: str | None              # sender's endpoint id; None if the room itself sent it
    display_name: str | None
    text: str
    private: bool
    timestamp: float | None = None   # POSIX seconds from <delay>; None = just now
    delayed: bool = False            # room history sent on join
    is_self: bool = False
    message_id: str | None = None


@dataclass(frozen=True)
class ChatFailed(ConferenceEvent):
    """The server refused one of our messages."""

    text: str | None
    reason: str | None


@dataclass(frozen=True)
class MuteRequested(ConferenceEvent):
    """A moderator (through Jicofo) muted our ``media`` ('audio', 'video' or 'desktop').

    The conference has already published the muted state; the media layer stops sending.
    """

    media: str
    actor: str | None = None


@dataclass(frozen=True)
class RoomLockChanged(ConferenceEvent):
    """The room password was set or removed (by us or another moderator)."""

    locked: bool


@dataclass(frozen=True)
class LobbyEnabledChanged(ConferenceEvent):
    """The room's lobby was switched on or off."""

    enabled: bool


@dataclass(frozen=True)
class KnockerAdded(ConferenceEvent):
    """Moderator view: someone waits in the lobby.  Commands: ``admit(id)``, ``reject(id)``."""

    knocker_id: str
    display_name: str | None
    email: str | None = None


@dataclass(frozen=True)
class KnockerRemoved(ConferenceEvent):
    """Moderator view: a knocker left the lobby (admitted, rejected or gave up)."""

    knocker_id: str


@dataclass(frozen=True)
class CommandFailed(ConferenceEvent):
    """A command (lock, lobby, kick, admit …) did not work; the meeting goes on."""

    command: str
    error: TreffpunktError


# --- the end --------------------------------------------------------------------------

@dataclass(frozen=True)
class Kicked(ConferenceEvent):
    """A moderator removed us from the room."""

    actor: str | None
    reason: str | None


@dataclass(frozen=True)
class RoomDestroyed(ConferenceEvent):
    """The room was closed for everyone (e.g. "end meeting for all")."""

    reason: str | None


@dataclass(frozen=True)
class JoinFailed(ConferenceEvent):
    """The attempt to get into the room ended with ``error`` (typed, translatable)."""

    error: TreffpunktError


@dataclass(frozen=True)
class Left(ConferenceEvent):
    """We left the room ourselves (``leave()`` or ``cancel()``)."""

    room: str


class EndReason(str, Enum):
    LEFT = "left"
    CANCELLED = "cancelled"
    KICKED = "kicked"
    DESTROYED = "destroyed"
    JOIN_FAILED = "join-failed"
    LOBBY_REJECTED = "lobby-rejected"
    CONNECTION_LOST = "connection-lost"


@dataclass(frozen=True)
class ConferenceEnded(ConferenceEvent):
    """Always the last event of a run."""

    reason: EndReason
    error: TreffpunktError | None = None


# --- media events (added by the media engineer below this line) -----------------------
# Emitted through ``Conference.emit`` by client/media/call.py.  ``endpoint_id`` is the
# remote participant, ``source_name`` its Jitsi source (``<ep>-a0``/``<ep>-v0``),
# ``media`` 'audio' or 'video' (a field cannot be called ``kind``: that is the event's
# JSON name), ``mode`` 'p2p' (or later 'jvb').

@dataclass(frozen=True)
class MediaConnected(ConferenceEvent):
    """ICE and DTLS are up with ``endpoint_id`` (P2P) or the bridge: media can flow."""

    endpoint_id: str | None
    mode: str = "p2p"
    initiator: bool = False          # True when we sent the session-initiate
    elapsed_s: float | None = None   # seconds since the media layer started (≈ since the join began)


@dataclass(frozen=True)
class MediaDisconnected(ConferenceEvent):
    """The media session ended (terminated by either side, ICE failed, or we left)."""

    endpoint_id: str | None
    mode: str = "p2p"
    reason: str | None = None        # Jingle reason: 'success', 'connectivity-error', …


@dataclass(frozen=True)
class RemoteTrackAdded(ConferenceEvent):
    """A remote source is being received; video frames come from ``media.frames(source_name)``."""

    endpoint_id: str
    source_name: str
    media: str


@dataclass(frozen=True)
class RemoteTrackRemoved(ConferenceEvent):
    """A remote source is gone (session ended, participant left, source removed)."""

    endpoint_id: str
    source_name: str
    media: str


@dataclass(frozen=True)
class FirstFrame(ConferenceEvent):
    """The first decoded frame of a remote source arrived (``width``/``height`` for video)."""

    endpoint_id: str
    source_name: str
    media: str
    width: int | None = None
    height: int | None = None
    elapsed_s: float | None = None   # seconds since the media layer started


@dataclass(frozen=True)
class LocalMuteChanged(ConferenceEvent):
    """We stopped or resumed sending ``media``; ``reason`` is 'user', 'device-lost' or 'moderator'."""

    media: str
    muted: bool
    reason: str = "user"


@dataclass(frozen=True)
class SendConstraintChanged(ConferenceEvent):
    """The peer asked for at most ``max_height`` lines of our video (None: no limit)."""

    max_height: int | None


@dataclass(frozen=True)
class MediaError(ConferenceEvent):
    """A device or media problem that did not end the meeting (e.g. the camera vanished)."""

    error: TreffpunktError
    media: str | None = None         # 'audio' / 'video' / None for the session


@dataclass(frozen=True)
class StreamStats:
    """Counters of one received source."""

    endpoint_id: str
    source_name: str
    media: str
    frames: int
    fps: float


@dataclass(frozen=True)
class MediaStats(ConferenceEvent):
    """Per-source receive counters (sent when asked for and when a media session ends)."""

    streams: tuple[StreamStats, ...] = ()


# --- bridge events (client/media/bridge_call.py, from the bridge channel) ---------------

@dataclass(frozen=True)
class DominantSpeakerChanged(ConferenceEvent):
    """The videobridge names a new dominant speaker (``previous``: most recent first)."""

    endpoint_id: str
    previous: tuple[str, ...] = ()


@dataclass(frozen=True)
class EndpointMessageReceived(ConferenceEvent):
    """A bridge-channel message another participant sent us (``payload``: its ``msgPayload``)."""

    endpoint_id: str
    payload: Any = None


@dataclass(frozen=True)
class ForwardedSourcesChanged(ConferenceEvent):
    """The video sources the bridge now sends us (last-N and our constraints decide)."""

    source_names: tuple[str, ...] = ()


# --- JSON ------------------------------------------------------------------------------

def _plain(value: Any) -> Any:
    if isinstance(value, TreffpunktError):
        return {"kind": value.kind, "message": str(value)}
    if isinstance(value, Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (frozenset, set)):
        return sorted(_plain(v) for v in value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def event_to_dict(event: ConferenceEvent) -> dict[str, Any]:
    """``{"event": kind, <fields>…}``; errors become ``{"kind", "message"}`` (English)."""
    result: dict[str, Any] = {"event": event.kind}
    for f in dataclasses.fields(event):
        result[f.name] = _plain(getattr(event, f.name))
    return result
