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


# --- joining ---------------------------------------------------------------------

class JoinError(TreffpunktError):
    kind = "join"
    template = N_("Joining the room failed.")


# --- media -----------------------------------------------------------------------

class MediaError(TreffpunktError):
    kind = "media"
    template = N_("A camera, microphone or speaker problem occurred.")


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
