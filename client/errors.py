"""Everything that ends an attempt, as typed errors with translatable texts.

No Qt and no translation at raise time: ``template`` is English and marked with
``N_()``; ``str(error)`` goes to the log, ``user_message(error, lang)`` to people.
A refusal the user can fix in place (password, lobby, waiting for the host) is an
event of the conference, not an exception.
"""

from __future__ import annotations

from typing import Any, ClassVar

from client.i18n import N_, _


class TreffpunktError(Exception):
    template: ClassVar[str] = N_("Something went wrong.")
    #: short machine-readable name used in JSON output and tests
    kind: ClassVar[str] = "error"

    def __init__(self, **details: Any) -> None:
        self.details = details
        super().__init__(self._format(self.template))

    def _format(self, template: str) -> str:
        try:
            return template.format(**self.details)
        except (KeyError, IndexError, ValueError):
            return template

    def user_message(self, language: str | None = None) -> str:
        return self._format(_(self.template, language))


# --- what the user typed -------------------------------------------------------

class AddressError(TreffpunktError):
    kind = "address"
    template = N_("This is not a room name or a meeting link.")


# What the user typed, finer (client/meeting/address.py).  ``details`` carry the
# parts the message names (``host``, ``room``, ``scheme`` ...).

class EmptyInputError(AddressError):
    kind = "empty-input"
    template = N_("Enter a room name or paste a meeting link.")


class InputTooLongError(AddressError):
    kind = "input-too-long"
    template = N_("The text is too long to be a meeting link (more than {limit} characters).")


class NoRoomInLinkError(AddressError):
    kind = "no-room"
    template = N_("This address leads to the server {host} but names no room. "
                  "Add the room name, for example {host}/YourRoom.")


class NoDefaultServerError(AddressError):
    kind = "no-default-server"
    template = N_("“{room}” is a room name, but no server has been chosen yet. "
                  "Choose your town's server first, or paste the full meeting link.")


class UnsupportedLinkError(AddressError):
    kind = "unsupported-link"
    template = N_("Links starting with “{scheme}:” are not meeting links. "
                  "Paste a link that starts with https://.")


class InvalidHostError(AddressError):
    kind = "invalid-host"
    template = N_("“{host}” is not a valid server address.")


class InvalidPortError(AddressError):
    kind = "invalid-port"
    template = N_("The port “{port}” in the address is not valid.")


class InvalidTenantError(AddressError):
    kind = "invalid-tenant"
    template = N_("The part “{tenant}” of the address is not valid: it must not start or end "
                  "with “-” and must be at most 63 characters long.")


class InvalidRoomNameError(AddressError):
    kind = "invalid-room"
    template = N_("“{room}” cannot be used as a room name: nothing is left after removing the "
                  "characters that room names must not contain.")


class RoomNameTooLongError(AddressError):
    kind = "room-too-long"
    template = N_("The room name is too long. Please choose a shorter one.")


class NoLinkInTextError(AddressError):
    kind = "no-link-in-text"
    template = N_("No meeting link was found in the pasted text.")


class InvalidServerUrlError(AddressError):
    kind = "invalid-server-url"
    template = N_("“{url}” is not a valid server address. Enter it like "
                  "https://konferenz.example.de.")


# --- the server ------------------------------------------------------------------

class ServerError(TreffpunktError):
    kind = "server"
    template = N_("The server {host} could not be used.")


class ServerUnreachableError(ServerError):
    kind = "server-unreachable"
    template = N_("The server {host} cannot be reached. Check the address and your internet connection.")


class CertificateError(ServerError):
    kind = "certificate"
    template = N_("The security certificate of {host} is not trusted ({reason}). "
                  "The connection was not made.")


class NotJitsiServerError(ServerError):
    kind = "not-jitsi"
    template = N_("{host} does not look like a Jitsi Meet server.")


class ConfigRejectedError(ServerError):
    kind = "config-rejected"
    template = N_("The configuration of {host} could not be read ({reason}).")


# The server, finer (discovery: client/net.py, client/jitsi/configjs.py, deployment.py).
# Certificate and config.js problems get whole sentences so that no English
# engine text ends up inside a German message; ``details`` keep that text for the log.

class UntrustedCertificateError(CertificateError):
    template = N_("The security certificate of {host} was not issued by an authority that "
                  "Treffpunkt trusts. The connection was not made.")


class ExpiredCertificateError(CertificateError):
    template = N_("The security certificate of {host} has expired or is not valid yet. "
                  "The connection was not made.")


class CertificateNameMismatchError(CertificateError):
    template = N_("The security certificate presented by {host} was issued for a different "
                  "name. The connection was not made.")


class TlsHandshakeError(ServerError):
    kind = "tls"
    template = N_("A secure connection to {host} could not be established.")


class InsecureConnectionError(ServerError):
    kind = "insecure"
    template = N_("Treffpunkt connects to {host} only over an encrypted connection (https).")


class ServerTimeoutError(ServerUnreachableError):
    kind = "server-timeout"
    template = N_("The server {host} did not answer in time. Please try again later.")


class ServerRedirectError(ServerError):
    kind = "redirect"
    template = N_("The server {host} redirects to a different server ({target}). Treffpunkt "
                  "only connects to the server you chose; enter {target} yourself if that "
                  "is intended.")


class ServerHttpError(ServerError):
    kind = "http-status"
    template = N_("The server {host} answered with an error (HTTP {status}). "
                  "Please try again later.")


class ServerResponseError(ServerError):
    kind = "bad-response"
    template = N_("The server {host} sent an answer that Treffpunkt cannot read.")


class ResponseTooLargeError(ServerError):
    kind = "response-too-large"
    template = N_("The server {host} sent more data than expected (over {limit_kb} KB).")


class ConfigTimeLimitError(ConfigRejectedError):
    reason = "time-limit"
    template = N_("The configuration of {host} (config.js) took too long to evaluate "
                  "and was stopped.")


class ConfigMemoryLimitError(ConfigRejectedError):
    reason = "memory-limit"
    template = N_("The configuration of {host} (config.js) needed too much memory "
                  "and was stopped.")


class ConfigSyntaxError(ConfigRejectedError):
    reason = "syntax-error"
    template = N_("The configuration of {host} (config.js) is not valid JavaScript.")


class ConfigScriptError(ConfigRejectedError):
    reason = "script-error"
    template = N_("The configuration of {host} (config.js) stopped with an error.")


class ConfigNotObjectError(ConfigRejectedError):
    reason = "not-object"
    template = N_("The configuration of {host} (config.js) does not define a configuration "
                  "object.")


class ConfigTooLargeError(ConfigRejectedError):
    reason = "too-large"
    template = N_("The configuration of {host} (config.js) is larger than {limit_kb} KB "
                  "and was not read.")


class XmppStreamRefusedError(ServerError):
    """``treffpunkt check --connect``: the WebSocket opened but no XMPP stream came up."""

    kind = "xmpp-stream"
    template = N_("The XMPP service of {host} did not open a connection for the domain "
                  "{domain}.")


class ConfigSandboxError(ConfigRejectedError):
    reason = "sandbox"
    template = N_("The configuration of {host} could not be evaluated: Treffpunkt's script "
                  "sandbox failed to run.")


# --- joining ---------------------------------------------------------------------

class JoinError(TreffpunktError):
    kind = "join"
    template = N_("Joining the room failed.")


# Joining: the conference engineer's subclasses (client/jitsi/conference.py and friends).
# ``room`` is the room's name as people know it.

class FocusUnavailableError(JoinError):
    kind = "focus-unavailable"
    template = N_("The meeting service on the server does not answer. Please try again later.")


class ReservationError(JoinError):
    kind = "reservation"
    template = N_("The room {room} cannot be used at the moment (the reservation system refused it).")


class RedirectUnsupportedError(JoinError):
    kind = "redirect-unsupported"
    template = N_("The server wants to move this meeting to another node; Treffpunkt cannot follow yet.")


class PasswordRequiredError(JoinError):
    kind = "password-required"
    template = N_("The room {room} is locked with a password.")


class WrongPasswordError(JoinError):
    kind = "wrong-password"
    template = N_("The password for the room {room} is not correct.")


class MembersOnlyError(JoinError):
    kind = "members-only"
    template = N_("The room {room} is only open to invited members.")


class DisplayNameRequiredError(JoinError):
    kind = "display-name-required"
    template = N_("The room {room} can only be entered with a name.")


class RoomFullError(JoinError):
    kind = "room-full"
    template = N_("The room {room} is full: the maximum number of participants has been reached.")


class BannedError(JoinError):
    kind = "banned"
    template = N_("You are not allowed to enter the room {room}.")


class NotAllowedError(JoinError):
    """The server refused the join (``details['text']`` is the server's own words, for the log)."""

    kind = "not-allowed"
    template = N_("The server does not allow you to join the room {room}.")


class RoomCreationRestrictedError(JoinError):
    kind = "room-creation-restricted"
    template = N_("The room {room} could not be opened because the meeting service did not "
                  "set it up in time. Please try again.")


class AuthenticationRequiredError(JoinError):
    kind = "authentication-required"
    template = N_("The room {room} only admits signed-in users.")


class HostLoginFailedError(JoinError):
    kind = "host-login-failed"
    template = N_("Signing in as host failed: the user name or the password is not correct.")


class NicknameConflictError(JoinError):
    kind = "nickname-conflict"
    template = N_("The room {room} kept refusing our participant name. Please try again.")


class JoinTimeoutError(JoinError):
    kind = "join-timeout"
    template = N_("The server did not answer in time while joining the room {room}.")


class LobbyRefusedError(JoinError):
    kind = "lobby-rejected"
    template = N_("A moderator did not let you into the room {room}.")


class KickedError(JoinError):
    kind = "kicked"
    template = N_("A moderator removed you from the meeting.")


class ConferenceEndedError(JoinError):
    kind = "conference-ended"
    template = N_("The meeting {room} has been ended.")


class FocusLeftError(JoinError):
    kind = "focus-left"
    template = N_("The meeting service left the room {room} and it could not be rejoined.")


class NoWebSocketError(JoinError):
    kind = "no-websocket"
    template = N_("The server {host} offers no WebSocket connection for meetings, "
                  "which Treffpunkt needs.")


# Moderator commands that did not work (the meeting goes on; see events.CommandFailed).

class CommandError(TreffpunktError):
    kind = "command-failed"
    template = N_("The server refused this action.")


class NotModeratorError(CommandError):
    kind = "not-moderator"
    template = N_("Only moderators can do this.")


class NotInRoomError(CommandError):
    kind = "not-in-room"
    template = N_("This is only possible during the meeting.")


class LobbyUnsupportedError(CommandError):
    kind = "lobby-unsupported"
    template = N_("This server has no lobby.")


class PasswordUnsupportedError(CommandError):
    kind = "password-unsupported"
    template = N_("This server does not allow protecting the room with a password.")


class UnknownParticipantError(CommandError):
    kind = "unknown-participant"
    template = N_("This person is no longer here.")


# --- settings (client/settings/) -------------------------------------------------

class SettingsError(TreffpunktError):
    kind = "settings"
    template = N_("The settings could not be changed.")

    def user_message(self, language: str | None = None) -> str:
        # ``label`` is a setting's marked English label: translate it along with the text.
        details = dict(self.details)
        if isinstance(details.get("label"), str):
            details["label"] = _(details["label"], language)
        try:
            return _(self.template, language).format(**details)
        except (KeyError, IndexError, ValueError):
            return _(self.template, language)


class SettingsSaveError(SettingsError):
    """Writing the settings file failed; ``details['reason']`` is for the log."""

    kind = "settings-save"
    template = N_("Your settings could not be saved in {path}. "
                  "Check that the folder exists and that you may write to it.")


class SettingLockedError(SettingsError):
    kind = "setting-locked"
    template = N_("The setting “{label}” has been fixed by your administrator and cannot be changed.")


class InvalidSettingError(SettingsError):
    """A value that does not fit the setting; ``details['reason']`` (English) is for the log."""

    kind = "setting-invalid"
    template = N_("This value cannot be used for “{label}”.")


# --- media -----------------------------------------------------------------------

class MediaError(TreffpunktError):
    kind = "media"
    template = N_("A camera, microphone or speaker problem occurred.")


# Media, finer (client/media/).  ``device`` is a device's label as the system names it.

class MediaConnectionError(MediaError):
    kind = "media-connection"
    template = N_("The audio and video connection could not be set up ({reason}).")


class MediaConnectionLostError(MediaError):
    kind = "media-connection-lost"
    template = N_("The audio and video connection to the other participant was lost.")


class CameraUnavailableError(MediaError):
    kind = "camera-unavailable"
    template = N_("The camera “{device}” cannot be used ({reason}). Your video stays off.")


class CameraLostError(MediaError):
    kind = "camera-lost"
    template = N_("The camera “{device}” stopped working. Your video has been switched off.")


class MicrophoneUnavailableError(MediaError):
    kind = "microphone-unavailable"
    template = N_("The microphone “{device}” cannot be used ({reason}). You stay muted.")


class MicrophoneLostError(MediaError):
    kind = "microphone-lost"
    template = N_("The microphone “{device}” stopped working. You have been muted.")


class SpeakerUnavailableError(MediaError):
    kind = "speaker-unavailable"
    template = N_("The speaker “{device}” cannot be used ({reason}). You will not hear the others.")


# --- protocol --------------------------------------------------------------------

class ProtocolError(TreffpunktError):
    kind = "protocol"
    template = N_("The server sent something Treffpunkt does not understand.")


class RemoteProtocolError(ProtocolError):
    """The other side sent something unusable; ``details['raw']`` is for the log only."""

    kind = "remote-protocol"
    template = N_("The server sent something Treffpunkt does not understand ({reason}).")


class LocalProtocolError(ProtocolError):
    """We tried something illegal: a bug in Treffpunkt."""

    kind = "local-protocol"
    template = N_("Treffpunkt made a protocol mistake ({reason}). Please report this.")
