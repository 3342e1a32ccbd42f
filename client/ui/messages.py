"""Every error and every ending, in plain language with what to do next.

One mapping from an error's ``kind`` (walking up its class hierarchy, so a new
subclass falls back to its family) to a title, a hint and the actions offered.
The error's own text comes from ``TreffpunktError.user_message(lang)``; no
widget composes error text itself.  Everything is translated when shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from client.errors import TreffpunktError
from client.i18n import N_, _
from client.jitsi import events as ev
from client.ui.bridge import UnexpectedError


class Action(str, Enum):
    RETRY = "retry"
    CHANGE_ROOM = "change-room"        # back to the join screen
    OPEN_SETTINGS = "open-settings"
    CLOSE = "close"                    # just dismiss


ACTION_LABELS = {
    Action.RETRY: N_("Try again"),
    Action.CHANGE_ROOM: N_("Back to the start"),
    Action.OPEN_SETTINGS: N_("Open settings"),
    Action.CLOSE: N_("Close"),
}


def action_label(action: Action, language: str | None = None) -> str:
    return _(ACTION_LABELS[action], language)


@dataclass(frozen=True)
class UserMessage:
    title: str
    text: str
    hint: str
    actions: tuple[Action, ...]

    def full_text(self) -> str:
        return f"{self.text}\n\n{self.hint}" if self.hint else self.text


@dataclass(frozen=True)
class _Entry:
    title: str
    hint: str
    actions: tuple[Action, ...]


_RETRY_BACK = (Action.RETRY, Action.CHANGE_ROOM)

# kind → what to say.  Kinds of error classes that may not exist yet are listed too;
# anything unknown falls back to its family (the class hierarchy) and finally "error".
_ENTRIES: dict[str, _Entry] = {
    "error": _Entry(N_("Something went wrong"),
                    N_("Please try again. If it keeps happening, restart Treffpunkt."), _RETRY_BACK),
    "unexpected": _Entry(N_("Something went wrong"),
                         N_("Please try again. If it keeps happening, restart Treffpunkt."),
                         _RETRY_BACK),
    "address": _Entry(N_("Room not recognised"),
                      N_("Type a room name, or paste the complete meeting link you received."),
                      (Action.CHANGE_ROOM,)),
    "server": _Entry(N_("Server problem"),
                     N_("Check the server address in the settings, or try again later."),
                     (Action.RETRY, Action.OPEN_SETTINGS, Action.CHANGE_ROOM)),
    "server-unreachable": _Entry(N_("Server not reachable"),
                                 N_("Check that you are online. If other websites work, the server "
                                    "may be down for a moment: try again in a few minutes."),
                                 (Action.RETRY, Action.OPEN_SETTINGS, Action.CHANGE_ROOM)),
    "certificate": _Entry(N_("Connection not secure"),
                          N_("Treffpunkt did not connect, to protect you. Check the server address. "
                             "If your town uses its own certificate, your administrator can add it."),
                          (Action.OPEN_SETTINGS, Action.CHANGE_ROOM)),
    "not-jitsi": _Entry(N_("Not a meeting server"),
                        N_("Check the server address in the settings. Your town's website names "
                           "the right address."),
                        (Action.OPEN_SETTINGS, Action.CHANGE_ROOM)),
    "config-rejected": _Entry(N_("Server settings unreadable"),
                              N_("The server sent settings Treffpunkt cannot use. Try again later or "
                                 "tell the server's operator."),
                              _RETRY_BACK),
    "join": _Entry(N_("Could not join"),
                   N_("Try again in a moment, or check the room name."), _RETRY_BACK),
    "room-full": _Entry(N_("The meeting is full"),
                        N_("Try again later, or ask the organiser to make room."), _RETRY_BACK),
    "banned": _Entry(N_("Access denied"),
                     N_("You cannot join this meeting. Ask the organiser if this is a mistake."),
                     (Action.CHANGE_ROOM,)),
    "members-only": _Entry(N_("Members only"),
                           N_("This room only admits invited members. Ask the organiser."),
                           (Action.CHANGE_ROOM,)),
    "not-allowed": _Entry(N_("Access denied"),
                          N_("You are not allowed to join this meeting. Ask the organiser."),
                          (Action.CHANGE_ROOM,)),
    "authentication": _Entry(N_("Sign-in failed"),
                             N_("Check the user name and password, then try again."), _RETRY_BACK),
    "host-login-failed": _Entry(N_("Sign-in failed"),
                                N_("Check the user name and password, then try again."),
                                _RETRY_BACK),
    "authentication-required": _Entry(N_("Sign-in needed"),
                                      N_("Only people with an account on this server can join. "
                                         "Ask the organiser, or sign in as host."), _RETRY_BACK),
    "wrong-password": _Entry(N_("Wrong password"),
                             N_("Ask the organiser for the current password, then try again."),
                             _RETRY_BACK),
    "password-required": _Entry(N_("Password needed"),
                                N_("Ask the organiser for the password, then try again."),
                                _RETRY_BACK),
    "display-name-required": _Entry(N_("Name needed"),
                                    N_("Enter your name on the previous page, then try again."),
                                    _RETRY_BACK),
    "lobby-rejected": _Entry(N_("You were not let in"),
                             N_("You can ask the organiser and knock again."), _RETRY_BACK),
    "kicked": _Entry(N_("You were removed"),
                     N_("You can contact the organiser if you think this was a mistake."),
                     (Action.CHANGE_ROOM,)),
    "conference-ended": _Entry(N_("The meeting has ended"), "", (Action.CHANGE_ROOM,)),
    "connection-lost": _Entry(N_("Connection lost"),
                              N_("Check that you are online, then try again."), _RETRY_BACK),
    "focus-unavailable": _Entry(N_("Meeting service not available"),
                                N_("The server is running but its meeting service does not "
                                   "answer. Try again in a few minutes."), _RETRY_BACK),
    "focus-left": _Entry(N_("Meeting service not available"),
                         N_("The server is running but its meeting service does not answer. "
                            "Try again in a few minutes."), _RETRY_BACK),
    "room-creation-restricted": _Entry(N_("Could not join"),
                                       N_("Try again in a moment."), _RETRY_BACK),
    "join-timeout": _Entry(N_("The server is slow"),
                           N_("Try again in a moment. If it keeps happening, the server may be "
                              "overloaded."), _RETRY_BACK),
    "server-timeout": _Entry(N_("The server is slow"),
                             N_("Try again in a moment. If it keeps happening, the server may be "
                                "overloaded."), (Action.RETRY, Action.OPEN_SETTINGS,
                                                 Action.CHANGE_ROOM)),
    "redirect": _Entry(N_("The server points elsewhere"),
                       N_("Check the address. If the other server is right, enter it yourself."),
                       (Action.OPEN_SETTINGS, Action.CHANGE_ROOM)),
    "tls": _Entry(N_("Connection not secure"),
                  N_("Treffpunkt did not connect, to protect you. Check the server address. "
                     "If your town uses its own certificate, your administrator can add it."),
                  (Action.RETRY, Action.OPEN_SETTINGS, Action.CHANGE_ROOM)),
    "insecure": _Entry(N_("Connection not secure"),
                       N_("Use the server's https address."),
                       (Action.OPEN_SETTINGS, Action.CHANGE_ROOM)),
    "settings": _Entry(N_("Settings problem"),
                       N_("Your settings could not be changed. Try again, or check the folder "
                          "where Treffpunkt keeps its settings."), (Action.CLOSE,)),
    "media-connection": _Entry(N_("No media connection"),
                               N_("Your network blocks the audio and video connection. Try "
                                  "another network, or ask the server's operator about a relay "
                                  "(TURN) server."), _RETRY_BACK),
    "media-connection-lost": _Entry(N_("Connection lost"),
                                    N_("Check that you are online, then try again."), _RETRY_BACK),
    "camera-lost": _Entry(N_("A device was disconnected"),
                          N_("Reconnect it, or choose another one in the settings."),
                          (Action.OPEN_SETTINGS, Action.CLOSE)),
    "microphone-lost": _Entry(N_("A device was disconnected"),
                              N_("Reconnect it, or choose another one in the settings."),
                              (Action.OPEN_SETTINGS, Action.CLOSE)),
    "media": _Entry(N_("Camera or microphone problem"),
                    N_("Check that the device is connected and not used by another program, "
                       "then choose it in the settings."),
                    (Action.OPEN_SETTINGS, Action.CLOSE)),
    "device-gone": _Entry(N_("A device was disconnected"),
                          N_("Reconnect it, or choose another one in the settings."),
                          (Action.OPEN_SETTINGS, Action.CLOSE)),
    "permission-denied": _Entry(N_("No access to camera or microphone"),
                                N_("Allow Treffpunkt to use the camera and microphone in your "
                                   "system settings, then try again."),
                                (Action.RETRY, Action.CLOSE)),
    "ice-failed": _Entry(N_("No media connection"),
                         N_("Your network blocks the audio and video connection. Try another "
                            "network, or ask the server's operator about a relay (TURN) server."),
                         _RETRY_BACK),
    "protocol": _Entry(N_("Communication problem"),
                       N_("The server answered in a way Treffpunkt does not expect. Try again; "
                          "if it persists, the server may be newer than this app."),
                       _RETRY_BACK),
    "local-protocol": _Entry(N_("Treffpunkt made a mistake"),
                             N_("Please try again, and report this if it happens again."),
                             _RETRY_BACK),
}


def _entry_for(error: TreffpunktError) -> _Entry:
    for cls in type(error).__mro__:
        kind = cls.__dict__.get("kind")
        if isinstance(kind, str) and kind in _ENTRIES:
            return _ENTRIES[kind]
    return _ENTRIES["error"]


def error_message(error: TreffpunktError, language: str | None = None) -> UserMessage:
    entry = _entry_for(error)
    if isinstance(error, UnexpectedError):
        # its details are a Python repr for the log; people get the plain sentence
        text = _(TreffpunktError.template, language)
    else:
        text = error.user_message(language)
    return UserMessage(_(entry.title, language), text, _(entry.hint, language), entry.actions)


def ending_message(cause: Any, ended: ev.ConferenceEnded | None = None,
                   language: str | None = None) -> UserMessage | None:
    """What to tell the user when a meeting ended; None when they left themselves."""
    if isinstance(cause, ev.Kicked):
        text = (_("{name} removed you from the meeting.", language).format(name=cause.actor)
                if cause.actor else _("A moderator removed you from the meeting.", language))
        if cause.reason:
            text += "\n" + _("Reason: {reason}", language).format(reason=cause.reason)
        return UserMessage(_("You were removed", language), text,
                           _("You can contact the organiser if you think this was a mistake.", language),
                           (Action.CHANGE_ROOM,))
    if isinstance(cause, ev.RoomDestroyed):
        text = _("The meeting was ended for everyone.", language)
        if cause.reason:
            text += "\n" + _("Reason: {reason}", language).format(reason=cause.reason)
        return UserMessage(_("The meeting has ended", language), text, "", (Action.CHANGE_ROOM,))
    if isinstance(cause, ev.LobbyRejected):
        return UserMessage(_("You were not let in", language),
                           _("A moderator declined your request to join.", language),
                           _("You can ask the organiser and knock again.", language),
                           (Action.RETRY, Action.CHANGE_ROOM))
    if isinstance(cause, ev.JoinFailed):
        return error_message(cause.error, language)
    if ended is not None and ended.error is not None:
        return error_message(ended.error, language)
    if ended is not None and ended.reason == ev.EndReason.CONNECTION_LOST:
        return UserMessage(_("Connection lost", language),
                           _("The connection to the server was lost.", language),
                           _("Check that you are online, then try again.", language), _RETRY_BACK)
    return None
