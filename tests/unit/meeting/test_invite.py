"""Invitation texts: link and password on their own lines, a hint for app users, no other hosts."""

from __future__ import annotations

import re

import pytest

from client.meeting.address import parse_link
from client.meeting.invite import invitation_text

HOSTLIKE = re.compile(r"(?i)\b(?:[a-z0-9-]+\.)+[a-z]{2,}\b")


@pytest.mark.parametrize("language", ["de", "en"])
def test_invitation_puts_link_and_password_on_their_own_lines(language):
    address = parse_link("https://konferenz.bretten.de/Bürgerfest-Planung-7731")
    text = invitation_text(address, password="Apfel-Baum 42", inviter="Anna", language=language)
    lines = text.splitlines()
    assert address.link in lines
    assert "Apfel-Baum 42" in lines
    assert lines.index("Apfel-Baum 42") > lines.index(address.link)
    assert "https://" in lines[-1]                      # the mobile-app hint
    assert "Anna" in lines[0] and "Peter ruft Paul" in lines[0]


def test_german_and_english_invitations_differ_and_read_naturally():
    address = parse_link("https://videokonferenz.rastatt.de/Elternabend-kqzv")
    german = invitation_text(address, language="de")
    english = invitation_text(address, language="en")
    assert german != english
    assert "Sie sind zu einer Videokonferenz bei „Rastatt schnatzt!“ eingeladen." in german
    assert "Jitsi-Meet-App" in german
    assert "You are invited to a video meeting on “Rastatt schnatzt!”." in english


@pytest.mark.parametrize("language", ["de", "en"])
def test_no_host_other_than_the_meetings_own_is_mentioned(language):
    address = parse_link("https://meet.example.org/verein/Vorstand-x8q3")
    text = invitation_text(address, password="geheim", language=language)
    assert set(HOSTLIKE.findall(text.lower())) <= {"meet.example.org"}
    assert "meet.jit.si" not in text


def test_without_password_there_is_no_password_line_and_no_token_leaks():
    address = parse_link("https://meet.example.org/Raum-x8q3?jwt=secret.token.value")
    for language in ("de", "en"):
        text = invitation_text(address, language=language)
        assert "secret" not in text
        assert "Passwort" not in text and "password" not in text.lower()


def test_inviter_name_with_braces_is_kept_literally():
    address = parse_link("https://meet.example.org/Raum-x8q3")
    assert "{Max}" in invitation_text(address, inviter="{Max}", language="de")
