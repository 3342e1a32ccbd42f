"""Backend room names as the Jitsi apps compute them; suggestions; guessable names."""

from __future__ import annotations

import math
import random
import re

import pytest

from client.meeting.address import parse_link
from client.meeting.roomname import (GUESSABLE_BELOW_BITS, HINT_CASE, HINT_SPECIAL_LETTERS,
                                     REASON_COMMON, REASON_DIGITS, REASON_TOO_SHORT,
                                     assess_room_name, backend_room_name, clean_room_segment,
                                     encode_uri_component, is_muc_safe, percent_decode,
                                     strip_whitespace, suggest_room_name)
from client.meeting.roomwords import (ENGLISH_ADJECTIVES, ENGLISH_NOUNS, GERMAN_ADJECTIVE_STEMS,
                                      GERMAN_NOUNS)


@pytest.mark.parametrize("room, backend", [
    ("Bürgersprechstunde", "b%c3%bcrgersprechstunde"),       # the spec's example (§1.2)
    ("b%C3%BCrgersprechstunde", "b%c3%bcrgersprechstunde"),  # already encoded: decoded first
    ("Mein%20Raum", "mein%20raum"),
    ("ÄÖÜäöüß", "%c3%a4%c3%b6%c3%bc%c3%a4%c3%b6%c3%bc%c3%9f"),
    ("Ｔｅｓｔ", "test"),                                      # full-width letters: NFKC
    ("Σοφία", "%cf%83%ce%bf%cf%86%ce%af%ce%b1"),
    ("100%", "100%25"),                                      # not decodable: kept, then encoded
    ("%E0%A4%A", "%25e0%25a4%25a"),
    ("%C3", "%25c3"),                                        # invalid UTF-8
    ("a~b-c_d.e", "a~b-c_d.e"),
    ("It%27s", "its"),                                       # our one deviation (JID-illegal ')
    ("", ""),
])
def test_backend_room_name_matches_the_web_app(room, backend):
    assert backend_room_name(room) == backend


def test_encode_uri_component_keeps_exactly_the_javascript_set():
    assert encode_uri_component("AZaz09-_.!~*'()") == "AZaz09-_.!~*'()"
    assert encode_uri_component(" /?#&=+ü€") == "%20%2F%3F%23%26%3D%2B%C3%BC%E2%82%AC"


def test_percent_decode_fails_where_javascript_throws():
    assert percent_decode("a%20b") == "a b"
    assert percent_decode("a%2") is None
    assert percent_decode("%FF") is None
    assert percent_decode("%ED%A0%80") is None        # an encoded surrogate
    assert percent_decode("no escapes") == "no escapes"


def test_cleaning_removes_the_forbidden_characters_and_whitespace():
    assert clean_room_segment(":?#[]@!$&'()*+,;=></\"a b\u00a0c") == "abc"
    assert strip_whitespace(" a\tb\u3000c\ufeff ") == "abc"


def test_muc_safety():
    assert is_muc_safe("b%c3%bcrgersprechstunde")
    for bad in ("", "A", "a'b", "a@b", "a/b", "a b", "a%C3", "a" * 1024):
        assert not is_muc_safe(bad), bad


@pytest.mark.parametrize("language", ["de", "en"])
def test_suggestions_are_ascii_hard_to_guess_and_usable_as_rooms(language):
    rng = random.Random(7)
    names = {suggest_room_name(language, rng=rng) for _ in range(200)}
    assert len(names) == 200
    for name in names:
        assert name.isascii() and name.isalnum()
        assessment = assess_room_name(name)
        assert not assessment.guessable, (name, assessment)
        assert parse_link(name, "https://konferenz.bretten.de").backend_room == name.lower()


def test_suggestions_carry_at_least_38_bits_of_randomness():
    for adjectives, nouns in ((GERMAN_ADJECTIVE_STEMS, GERMAN_NOUNS),
                              (ENGLISH_ADJECTIVES, ENGLISH_NOUNS)):
        assert len(set(adjectives)) == len(adjectives) and len(set(nouns)) == len(nouns)
        assert 2 * math.log2(len(adjectives) * len(nouns)) + math.log2(900) >= 38


def _german_pair(gender: str) -> str:
    nouns = "|".join(sorted((n for n, g in GERMAN_NOUNS.items() if g == gender), key=len,
                            reverse=True))
    stems = "|".join(sorted((a.capitalize() for a in GERMAN_ADJECTIVE_STEMS), key=len,
                            reverse=True))
    ending = {"m": "er", "f": "e", "n": "es"}[gender]
    return f"(?:{stems}){ending}(?:{nouns})"


def test_german_suggestions_inflect_the_adjective_for_the_noun():
    pair = "|".join(f"(?:{_german_pair(g)})" for g in "mfn")
    shape = re.compile(f"(?:{pair})(?:{pair})[1-9][0-9]{{2}}")
    rng = random.Random(1)
    for _ in range(200):
        name = suggest_room_name("de", rng=rng)
        assert shape.fullmatch(name), name


def test_default_suggestions_use_the_system_randomness():
    assert len({suggest_room_name() for _ in range(20)}) == 20


@pytest.mark.parametrize("name, reason", [
    ("abc", REASON_TOO_SHORT),
    ("Test", REASON_TOO_SHORT),
    ("12345678", REASON_DIGITS),
    ("Elternabend", REASON_COMMON),
    ("gemeinderat", REASON_COMMON),
    ("Familie-Treffen", REASON_COMMON),
])
def test_guessable_names_are_reported_with_a_reason(name, reason):
    assessment = assess_room_name(name)
    assert assessment.guessable
    assert reason in assessment.reasons


@pytest.mark.parametrize("name", ["Elternabend2024", "sommerfest", "Mustermann1",
                                  "Geburtstagsfeier", "OmaOpa1234"])
def test_short_words_with_a_year_or_a_little_extra_are_still_guessable(name):
    assessment = assess_room_name(name)
    assert assessment.guessable
    assert assessment.estimated_bits < GUESSABLE_BELOW_BITS


@pytest.mark.parametrize("name", [
    "omaopamustermann-kqzv-7731",
    "3f2b8c1e-9d4a-4c6b-8e2f-1a2b3c4d5e6f",     # a UUID, as the web app treats it
    "x" * 200,
    "Zwiebelkuchen-Weinfest-Kraichgau-8840",
    "kqzvbnmrtwlp",                               # random letters are not a word
])
def test_long_or_random_names_are_not_guessable(name):
    assert not assess_room_name(name).guessable


def test_hints_explain_case_and_special_letters():
    assert HINT_CASE in assess_room_name("MeinRaum-x8q3-zzk2").hints
    assert HINT_CASE not in assess_room_name("meinraum-x8q3-zzk2").hints
    assert HINT_SPECIAL_LETTERS in assess_room_name("bürgerfest-x8q3").hints
    assert HINT_SPECIAL_LETTERS in assess_room_name("b%C3%BCrgerfest-x8q3").hints
