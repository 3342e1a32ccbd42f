"""SASL for XMPP logins: ANONYMOUS for guests, SCRAM-SHA-1 or PLAIN for hosts.

Each mechanism is a small sans-I/O object: it produces the initial response,
answers challenges and checks what comes with ``<success/>``.  Bytes in, bytes
out; base64 and XML are the stream's business (client/jitsi/xmpp.py).

SCRAM-SHA-1 follows RFC 5802 without channel binding (gs2 header ``n,,``): over
a WebSocket we cannot reach the TLS channel binding data, and Strophe does the same.
We always check the server signature, so a server that does not know the
password cannot pretend it accepted us.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import stringprep
import unicodedata
from dataclasses import dataclass, field

from client.errors import JoinError, RemoteProtocolError, ServerError, TreffpunktError
from client.i18n import N_

#: Prosody uses 10000 (0.12) to 30000 iterations; a hostile server must not make us spin.
MAX_SCRAM_ITERATIONS = 1_000_000


# --- errors ------------------------------------------------------------------------

class AuthenticationError(JoinError):
    """The server refused the login (``<failure/>``); ``condition`` and ``text`` are from it."""

    kind = "auth-failed"
    template = N_("The user name or password was not accepted.")

    @property
    def condition(self) -> str | None:
        return self.details.get("condition")

    @property
    def text(self) -> str | None:
        return self.details.get("text")


class AnonymousLoginRefusedError(JoinError):
    """A guest login was attempted where the server only allows accounts."""

    kind = "auth-required"
    template = N_("This server only admits people who log in with a user name and password.")


class NoUsableMechanismError(ServerError):
    kind = "auth-unsupported"
    template = N_("The server {host} offers no login method Treffpunkt can use safely.")


class CredentialsError(TreffpunktError):
    kind = "credentials-invalid"
    template = N_("The user name or password contains characters that cannot be used.")


# --- credentials ---------------------------------------------------------------------

@dataclass(frozen=True)
class Credentials:
    """A host's login.  ``username`` is the local part, or ``user@domain`` (the
    domain part is then ignored here: the stream's domain is what counts)."""

    username: str
    password: str = field(repr=False)

    @property
    def authcid(self) -> str:
        local, at, _domain = self.username.rpartition("@")
        return local if at else self.username


# --- SASLprep (RFC 4013) ------------------------------------------------------------

_PROHIBITED = (
    stringprep.in_table_c12, stringprep.in_table_c21, stringprep.in_table_c22,
    stringprep.in_table_c3, stringprep.in_table_c4, stringprep.in_table_c5,
    stringprep.in_table_c6, stringprep.in_table_c7, stringprep.in_table_c8,
    stringprep.in_table_c9,
)


def saslprep(text: str) -> str:
    """RFC 4013 for a *query* (unassigned code points allowed); ``CredentialsError`` if prohibited."""
    mapped = "".join(" " if stringprep.in_table_c12(ch) else ch
                     for ch in text if not stringprep.in_table_b1(ch))
    normalised = unicodedata.normalize("NFKC", mapped)
    if not normalised:
        return normalised
    for ch in normalised:
        if any(check(ch) for check in _PROHIBITED):
            raise CredentialsError()
    if any(stringprep.in_table_d1(ch) for ch in normalised):
        if any(stringprep.in_table_d2(ch) for ch in normalised):
            raise CredentialsError()
        if not (stringprep.in_table_d1(normalised[0]) and stringprep.in_table_d1(normalised[-1])):
            raise CredentialsError()
    return normalised


# --- mechanisms ---------------------------------------------------------------------

class SaslMechanism:
    """One login attempt.  ``None`` as initial response means "send an empty <auth/>"."""

    name = ""

    def initial_response(self) -> bytes | None:
        return None

    def respond(self, challenge: bytes) -> bytes:
        raise RemoteProtocolError(reason=f"unexpected SASL challenge for {self.name}")

    def verify_success(self, data: bytes) -> None:
        """Check the additional data of ``<success/>``; raises ``RemoteProtocolError``."""


class Anonymous(SaslMechanism):
    name = "ANONYMOUS"


class Plain(SaslMechanism):
    name = "PLAIN"

    def __init__(self, credentials: Credentials) -> None:
        self._message = b"\0" + credentials.authcid.encode("utf-8") + b"\0" + \
            credentials.password.encode("utf-8")

    def initial_response(self) -> bytes:
        return self._message


def _scram_escape(name: str) -> str:
    return name.replace("=", "=3D").replace(",", "=2C")


def _parse_scram_attributes(message: bytes) -> dict[str, str]:
    try:
        text = message.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RemoteProtocolError(reason="SCRAM message is not UTF-8") from exc
    attributes: dict[str, str] = {}
    for part in text.split(","):
        key, eq, value = part.partition("=")
        if len(key) != 1 or not eq:
            raise RemoteProtocolError(reason="malformed SCRAM message")
        attributes.setdefault(key, value)
    return attributes


class ScramSha1(SaslMechanism):
    """RFC 5802 client.  ``nonce`` is only given by tests (RFC example vector)."""

    name = "SCRAM-SHA-1"
    _GS2_HEADER = "n,,"

    def __init__(self, credentials: Credentials, *, nonce: str | None = None) -> None:
        self._username = saslprep(credentials.authcid)
        self._password = saslprep(credentials.password)
        self._nonce = nonce or secrets.token_urlsafe(24)
        self._client_first_bare = f"n={_scram_escape(self._username)},r={self._nonce}"
        self._server_signature: bytes | None = None
        self._verified = False

    def initial_response(self) -> bytes:
        return (self._GS2_HEADER + self._client_first_bare).encode("utf-8")

    def respond(self, challenge: bytes) -> bytes:
        if self._server_signature is None:
            return self._client_final(challenge)
        # Some servers send server-final as a challenge and an empty <success/>.
        self._check_server_final(challenge)
        return b""

    def verify_success(self, data: bytes) -> None:
        if data:
            self._check_server_final(data)
        if not self._verified:
            raise RemoteProtocolError(reason="the server did not prove that it knows the password")

    def _client_final(self, server_first: bytes) -> bytes:
        attributes = _parse_scram_attributes(server_first)
        if "m" in attributes:
            raise RemoteProtocolError(reason="SCRAM mandatory extension not supported")
        nonce, salt_b64, iterations_text = attributes.get("r"), attributes.get("s"), attributes.get("i")
        if not nonce or not salt_b64 or not iterations_text:
            raise RemoteProtocolError(reason="SCRAM server-first message incomplete")
        if not nonce.startswith(self._nonce) or len(nonce) <= len(self._nonce):
            raise RemoteProtocolError(reason="SCRAM server nonce does not extend ours")
        try:
            salt = base64.b64decode(salt_b64, validate=True)
            iterations = int(iterations_text)
        except (binascii.Error, ValueError) as exc:
            raise RemoteProtocolError(reason="SCRAM salt or iteration count malformed") from exc
        if not 1 <= iterations <= MAX_SCRAM_ITERATIONS or not (iterations_text.isascii() and iterations_text.isdigit()):
            raise RemoteProtocolError(reason=f"SCRAM iteration count {iterations_text[:12]} refused")

        salted = hashlib.pbkdf2_hmac("sha1", self._password.encode("utf-8"), salt, iterations)
        client_key = hmac.digest(salted, b"Client Key", "sha1")
        stored_key = hashlib.sha1(client_key).digest()
        channel_binding = base64.b64encode(self._GS2_HEADER.encode()).decode()
        without_proof = f"c={channel_binding},r={nonce}"
        auth_message = ",".join((self._client_first_bare, server_first.decode("utf-8"),
                                 without_proof)).encode("utf-8")
        client_signature = hmac.digest(stored_key, auth_message, "sha1")
        proof = bytes(a ^ b for a, b in zip(client_key, client_signature))
        server_key = hmac.digest(salted, b"Server Key", "sha1")
        self._server_signature = hmac.digest(server_key, auth_message, "sha1")
        return f"{without_proof},p={base64.b64encode(proof).decode()}".encode("utf-8")

    def _check_server_final(self, message: bytes) -> None:
        if self._server_signature is None:
            raise RemoteProtocolError(reason="SCRAM outcome before the server-first message")
        attributes = _parse_scram_attributes(message)
        if "e" in attributes:
            raise AuthenticationError(condition="scram-error", text=attributes["e"][:200])
        try:
            signature = base64.b64decode(attributes.get("v", ""), validate=True)
        except binascii.Error as exc:
            raise RemoteProtocolError(reason="SCRAM server signature malformed") from exc
        if not hmac.compare_digest(signature, self._server_signature):
            raise RemoteProtocolError(reason="SCRAM server signature does not match")
        self._verified = True


def choose_mechanism(offered: list[str], credentials: Credentials | None, *,
                     plain_allowed: bool, host: str) -> SaslMechanism:
    """Pick what lib-jitsi-meet/Strophe would: ANONYMOUS for guests; SCRAM-SHA-1 before
    PLAIN for hosts, PLAIN only where the channel is encrypted (or on loopback)."""
    names = {name.strip().upper() for name in offered}
    if credentials is None:
        if "ANONYMOUS" in names:
            return Anonymous()
        raise AnonymousLoginRefusedError(host=host)
    if "SCRAM-SHA-1" in names:
        return ScramSha1(credentials)
    if "PLAIN" in names and plain_allowed:
        return Plain(credentials)
    raise NoUsableMechanismError(host=host)
