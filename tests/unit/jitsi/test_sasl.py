"""SASL mechanisms: the RFC 5802 vector, the server proof, and which mechanism we pick."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest

from client.errors import RemoteProtocolError
from client.jitsi.sasl import (Anonymous, AnonymousLoginRefusedError, AuthenticationError,
                               Credentials, CredentialsError, NoUsableMechanismError, Plain,
                               ScramSha1, choose_mechanism, saslprep)

# RFC 5802 §5, the example exchange (user "user", password "pencil").
RFC_CLIENT_NONCE = "fyko+d2lbbFgONRv9qkxdawL"
RFC_CLIENT_FIRST = b"n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL"
RFC_SERVER_FIRST = b"r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096"
RFC_CLIENT_FINAL = (b"c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,"
                    b"p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=")
RFC_SERVER_FINAL = b"v=rmF9pqV8S7suAoZWja4dJRkFsKQ="


def rfc_scram() -> ScramSha1:
    return ScramSha1(Credentials("user", "pencil"), nonce=RFC_CLIENT_NONCE)


def test_scram_sha1_reproduces_the_rfc_5802_example():
    scram = rfc_scram()
    assert scram.initial_response() == RFC_CLIENT_FIRST
    assert scram.respond(RFC_SERVER_FIRST) == RFC_CLIENT_FINAL
    scram.verify_success(RFC_SERVER_FINAL)  # no exception: the server proved itself


def test_scram_accepts_the_server_proof_as_a_challenge_then_an_empty_success():
    scram = rfc_scram()
    scram.respond(RFC_SERVER_FIRST)
    assert scram.respond(RFC_SERVER_FINAL) == b""
    scram.verify_success(b"")


def test_scram_rejects_a_server_that_does_not_know_the_password():
    scram = rfc_scram()
    scram.respond(RFC_SERVER_FIRST)
    forged = b"v=" + base64.b64encode(b"\0" * 20)
    with pytest.raises(RemoteProtocolError, match="signature does not match"):
        scram.verify_success(forged)


def test_scram_rejects_success_without_any_server_proof():
    scram = rfc_scram()
    scram.respond(RFC_SERVER_FIRST)
    with pytest.raises(RemoteProtocolError, match="prove"):
        scram.verify_success(b"")


def test_scram_server_error_attribute_is_an_authentication_error():
    scram = rfc_scram()
    scram.respond(RFC_SERVER_FIRST)
    with pytest.raises(AuthenticationError) as info:
        scram.verify_success(b"e=invalid-proof")
    assert info.value.text == "invalid-proof"


@pytest.mark.parametrize("server_first", [
    b"r=someoneelsesnonce,s=QSXCR+Q6sek8bf92,i=4096",              # nonce not extending ours
    b"r=fyko+d2lbbFgONRv9qkxdawL,s=QSXCR+Q6sek8bf92,i=4096",        # nonce not extended at all
    b"r=fyko+d2lbbFgONRv9qkxdawLx,s=!!!,i=4096",                    # salt not base64
    b"r=fyko+d2lbbFgONRv9qkxdawLx,s=QSXCR+Q6sek8bf92,i=0",          # no iterations
    b"r=fyko+d2lbbFgONRv9qkxdawLx,s=QSXCR+Q6sek8bf92,i=999999999",  # a hostile iteration count
    b"r=fyko+d2lbbFgONRv9qkxdawLx,s=QSXCR+Q6sek8bf92,i=-5",
    b"m=ext,r=fyko+d2lbbFgONRv9qkxdawLx,s=QSXCR+Q6sek8bf92,i=4096",  # mandatory extension
    b"r=fyko+d2lbbFgONRv9qkxdawLx,i=4096",                          # no salt
    b"garbage",
    b"\xff\xfe",
])
def test_scram_refuses_unusable_server_first_messages(server_first):
    with pytest.raises(RemoteProtocolError):
        rfc_scram().respond(server_first)


def test_scram_escapes_comma_and_equals_in_the_username():
    scram = ScramSha1(Credentials("a,b=c", "pw"), nonce="abc")
    assert scram.initial_response() == b"n,,n=a=2Cb=3Dc,r=abc"


def test_scram_client_proof_matches_an_independent_computation():
    """Against a server side written here from RFC 5802's formulas, with a non-ASCII password."""
    password, salt, iterations = "Grüße, Straße", b"salt-from-server", 1000
    scram = ScramSha1(Credentials("host", password), nonce="clientnonce")
    server_first = b"r=clientnonceSERVER,s=" + base64.b64encode(salt) + b",i=1000"
    scram.initial_response()
    final = scram.respond(server_first)
    attrs = dict(part.split("=", 1) for part in final.decode().split(","))
    salted = hashlib.pbkdf2_hmac("sha1", password.encode(), salt, iterations)
    client_key = hmac.digest(salted, b"Client Key", "sha1")
    auth_message = b"n=host,r=clientnonce," + server_first + b",c=biws,r=clientnonceSERVER"
    signature = hmac.digest(hashlib.sha1(client_key).digest(), auth_message, "sha1")
    recovered_key = bytes(a ^ b for a, b in zip(base64.b64decode(attrs["p"]), signature))
    assert hashlib.sha1(recovered_key).digest() == hashlib.sha1(client_key).digest()
    server_signature = hmac.digest(hmac.digest(salted, b"Server Key", "sha1"), auth_message, "sha1")
    scram.verify_success(b"v=" + base64.b64encode(server_signature))


def test_plain_sends_authcid_and_password_without_authzid():
    plain = Plain(Credentials("host@auth.meet.localhost", "geheim"))
    assert plain.initial_response() == b"\0host\0geheim"


def test_anonymous_has_no_initial_response_and_refuses_challenges():
    anonymous = Anonymous()
    assert anonymous.initial_response() is None
    with pytest.raises(RemoteProtocolError):
        anonymous.respond(b"what?")


def test_credentials_never_show_the_password_in_repr():
    assert "geheim" not in repr(Credentials("host", "geheim"))


def test_saslprep_maps_and_normalises_as_rfc_4013_examples():
    assert saslprep("I\u00adX") == "IX"          # soft hyphen mapped to nothing
    assert saslprep("user") == "user"
    assert saslprep("USER") == "USER"
    assert saslprep("\u00aa") == "a"             # NFKC
    assert saslprep("\u2168") == "IX"
    assert saslprep("a\u00a0b") == "a b"          # non-ASCII space to space
    with pytest.raises(CredentialsError):
        saslprep("\u0007")                         # control character
    with pytest.raises(CredentialsError):
        saslprep("\u0627\u0031")                   # RandALCat not at both ends


@pytest.mark.parametrize("offered,credentials,plain_allowed,expected", [
    (["ANONYMOUS"], None, True, "ANONYMOUS"),
    (["PLAIN", "ANONYMOUS", "SCRAM-SHA-1"], None, False, "ANONYMOUS"),
    (["PLAIN", "SCRAM-SHA-1"], Credentials("h", "p"), True, "SCRAM-SHA-1"),
    (["PLAIN", "SCRAM-SHA-1"], Credentials("h", "p"), False, "SCRAM-SHA-1"),
    (["DIGEST-MD5", "PLAIN"], Credentials("h", "p"), True, "PLAIN"),
    (["scram-sha-1"], Credentials("h", "p"), False, "SCRAM-SHA-1"),
])
def test_mechanism_choice_follows_strophe_priorities(offered, credentials, plain_allowed, expected):
    chosen = choose_mechanism(offered, credentials, plain_allowed=plain_allowed, host="h.example")
    assert chosen.name == expected


def test_a_guest_on_a_server_without_anonymous_login_is_told_to_log_in():
    with pytest.raises(AnonymousLoginRefusedError):
        choose_mechanism(["PLAIN", "SCRAM-SHA-1"], None, plain_allowed=True, host="h.example")


def test_plain_is_never_used_on_an_unencrypted_remote_channel():
    with pytest.raises(NoUsableMechanismError) as info:
        choose_mechanism(["PLAIN"], Credentials("h", "p"), plain_allowed=False, host="h.example")
    assert "h.example" in str(info.value)
