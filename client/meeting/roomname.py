"""Room names: what the backend calls a room, and whether a name is easy to guess.

The backend name must be byte-for-byte what the Jitsi web and mobile apps
compute (jitsi-meet ``base/util/uri.ts``, signaling spec §1.1/§1.2), or people
who typed the same name land in different rooms:

1. whitespace is removed from everything typed (JavaScript's ``\\s`` set);
2. each path segment loses the characters ``: ? # [ ] @ ! $ & ' ( ) * + , ; = > < / "``;
3. the room name is percent-decoded (kept as is when that fails), NFKC-normalised,
   lower-cased, percent-encoded like ``encodeURIComponent`` and lower-cased again.

One deliberate addition: an apostrophe that only appears after decoding
(``%27``) is dropped.  The web app would put it into the MUC JID, which XMPP
forbids, so that room cannot be joined from any client; dropping it leads to the
room a web user gets by typing the same name.
"""

from __future__ import annotations

import math
import random
import re
import secrets
import unicodedata
import uuid
from dataclasses import dataclass

from client.i18n import N_
from client.meeting.roomwords import (COMMON_ROOM_WORDS, ENGLISH_ADJECTIVES, ENGLISH_NOUNS,
                                      GERMAN_ADJECTIVE_STEMS, GERMAN_NOUNS)

#: JavaScript's ``\s`` (ECMAScript WhiteSpace + LineTerminator), which the apps strip.
JS_WHITESPACE = frozenset(
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000\ufeff")

#: Removed from every path segment (``_ROOM_EXCLUDE_PATTERN`` in the apps: RFC 3986
#: delimiters plus what jxmpp in Jicofo refuses).
FORBIDDEN_ROOM_CHARACTERS = frozenset(":?#[]@!$&'()*+,;=></\"")

#: Longest XMPP localpart (RFC 7622 §3.3.1), in bytes.
MAX_NODE_BYTES = 1023

# encodeURIComponent leaves exactly these unescaped.
_URI_COMPONENT_SAFE = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.!~*'()")
_PERCENT_RUN = re.compile(r"(?:%[0-9A-Fa-f]{2})+")
_MUC_SAFE_NODE = re.compile(r"(?:[a-z0-9\-_.!~*()]|%[0-9a-f]{2})+")


def strip_whitespace(text: str) -> str:
    """Remove every whitespace character, as the apps do with what people type."""
    return "".join(ch for ch in text if ch not in JS_WHITESPACE)


def drop_surrogates(text: str) -> str:
    """Lone surrogates cannot be encoded (JavaScript would throw); they never mean anything."""
    return "".join(ch for ch in text if not 0xD800 <= ord(ch) <= 0xDFFF)


def clean_room_segment(segment: str) -> str:
    """A path segment without whitespace and without the characters room names must not have."""
    return "".join(ch for ch in segment
                   if ch not in FORBIDDEN_ROOM_CHARACTERS and ch not in JS_WHITESPACE)


def percent_decode(text: str) -> str | None:
    """``decodeURIComponent``: the decoded text, or None where JavaScript would throw."""
    if "%" not in text:
        return text
    # Every "%" must start a valid escape, and each run of escapes must be UTF-8.
    if text.count("%") != sum(len(m.group()) // 3 for m in _PERCENT_RUN.finditer(text)):
        return None
    try:
        return _PERCENT_RUN.sub(lambda m: bytes.fromhex(m.group().replace("%", ""))
                                .decode("utf-8"), text)
    except UnicodeDecodeError:
        return None


def encode_uri_component(text: str) -> str:
    """``encodeURIComponent``: UTF-8 percent-encoding with upper-case hex digits."""
    out = []
    for ch in text:
        if ch in _URI_COMPONENT_SAFE:
            out.append(ch)
        else:
            out.extend(f"%{b:02X}" for b in ch.encode("utf-8"))
    return "".join(out)


def backend_room_name(room: str) -> str:
    """The room's name as the backend knows it: the MUC node and the ``?room=`` value.

    ``Bürgersprechstunde`` → ``b%c3%bcrgersprechstunde``.  ``room`` is a cleaned path
    segment (see :func:`clean_room_segment`); an empty name stays empty.
    """
    room = drop_surrogates(room)
    if not room:
        return ""
    decoded = percent_decode(room)
    if decoded is not None:
        room = decoded.replace("'", "")
    room = unicodedata.normalize("NFKC", room).lower()
    return drop_surrogates(encode_uri_component(drop_surrogates(room))).lower()


def is_muc_safe(node: str) -> bool:
    """Whether ``node`` can stand before ``@`` in a MUC JID (and is a canonical backend name)."""
    return (0 < len(node.encode("utf-8")) <= MAX_NODE_BYTES
            and _MUC_SAFE_NODE.fullmatch(node) is not None)


def display_room_name(segment: str) -> str:
    """A room segment as people read it: percent-escapes decoded where they decode."""
    decoded = percent_decode(segment)
    return segment if decoded is None else decoded


# --- suggestions -------------------------------------------------------------------

_GERMAN_ENDINGS = {"m": "er", "f": "e", "n": "es"}


def suggest_room_name(language: str = "de", *, rng: random.Random | None = None) -> str:
    """A readable, hard-to-guess room name: two adjective–noun pairs and three digits.

    About 38 bits of randomness (2 × log2(adjectives × nouns) + log2(900)); the
    randomness is local (``secrets``) and nothing leaves the machine.
    ``MutigeEuleStillesBoot481`` / ``BraveOwlQuietBoat481``.
    """
    rng = rng or secrets.SystemRandom()
    parts = []
    for _pair in range(2):
        if language == "de":
            noun = rng.choice(sorted(GERMAN_NOUNS))
            adjective = rng.choice(GERMAN_ADJECTIVE_STEMS)
            parts.append(adjective.capitalize() + _GERMAN_ENDINGS[GERMAN_NOUNS[noun]] + noun)
        else:
            parts.append(rng.choice(ENGLISH_ADJECTIVES) + rng.choice(ENGLISH_NOUNS))
    parts.append(str(rng.randint(100, 999)))
    return "".join(parts)


# --- guessability ------------------------------------------------------------------

#: Below this many bits a name counts as guessable (≈ 2.7·10⁸ tries; the web app's
#: zxcvbn threshold "score < 3" means fewer than 10⁸ guesses).
GUESSABLE_BELOW_BITS = 28.0
MIN_SAFE_LENGTH = 8

REASON_TOO_SHORT = N_("The room name is short, so others could find the room by trying names.")
REASON_COMMON = N_("The room name is made of common words, so others could find the room by "
                   "trying names.")
REASON_DIGITS = N_("The room name consists of digits only, so others could find the room by "
                   "trying numbers.")
REASON_LOW_VARIETY = N_("The room name is easy to guess. A longer name with unusual words and "
                        "some digits is safer.")
HINT_CASE = N_("Upper and lower case do not matter: “{room}” and “{lower}” are the same room.")
HINT_SPECIAL_LETTERS = N_("The room name contains umlauts or other special letters. Some apps "
                          "write them differently; a name without them is easier to share.")


@dataclass(frozen=True)
class RoomNameAssessment:
    """How guessable a room name is. ``reasons``/``hints`` are marked English templates
    (format ``hints`` with ``room`` and ``lower``)."""

    guessable: bool
    estimated_bits: float
    reasons: tuple[str, ...]
    hints: tuple[str, ...]


def _word_costs() -> dict[str, float]:
    # An attacker who knows our lists pays log2(list size) per word.
    costs: dict[str, float] = {}
    adjectives_de = {(stem + ending).lower() for stem in GERMAN_ADJECTIVE_STEMS
                     for ending in ("", "er", "e", "es", "en")}
    groups = [
        (COMMON_ROOM_WORDS, math.log2(len(COMMON_ROOM_WORDS))),
        (adjectives_de, math.log2(len(GERMAN_ADJECTIVE_STEMS))),
        ({n.lower() for n in GERMAN_NOUNS}, math.log2(len(GERMAN_NOUNS))),
        ({a.lower() for a in ENGLISH_ADJECTIVES}, math.log2(len(ENGLISH_ADJECTIVES))),
        ({n.lower() for n in ENGLISH_NOUNS}, math.log2(len(ENGLISH_NOUNS))),
    ]
    for words, cost in groups:
        for word in words:
            costs[word] = min(cost, costs.get(word, cost))
    return costs


_WORD_COSTS = _word_costs()
_MAX_WORD = max(len(w) for w in _WORD_COSTS)
_BITS_PER_LETTER = 2.5   # natural-language text: dictionary words are cheap to guess
_BITS_PER_DIGIT = math.log2(10)
_BITS_PER_OTHER = 5.0
# Any pronounceable 4–14 letter stretch may be one word of a ~130,000-word dictionary.
_DICTIONARY_WORD_BITS = 17.0
_DICTIONARY_WORD_LENGTHS = range(4, 15)
_VOWELS = frozenset("aeiouyäöü")


def _could_be_a_word(text: str) -> bool:
    """Pronounceable: letters only, some vowels, no long consonant clusters."""
    if not text.isalpha():
        return False
    vowels = sum(ch in _VOWELS for ch in text)
    if not 0.2 <= vowels / len(text) <= 0.7:
        return False
    cluster = 0
    for ch in text:
        cluster = 0 if ch in _VOWELS else cluster + 1
        if cluster > 4:
            return False
    return True


def _digit_run_cost(run: str) -> float:
    if len(set(run)) == 1 or run in "0123456789" or run in "9876543210":
        return 4.0                                  # 1111, 1234, 4321
    if len(run) == 4 and run[:2] in ("19", "20"):
        return 7.0                                  # a year
    return len(run) * _BITS_PER_DIGIT


def _estimate_bits(name: str) -> tuple[float, bool]:
    """Cheapest way to spell ``name`` from words, digit runs and single characters.

    Returns (bits, made only of common words).
    """
    n = len(name)
    best: list[float] = [0.0] + [math.inf] * n
    only_common: list[bool] = [True] + [False] * n
    for i in range(n):
        if best[i] == math.inf:
            continue
        steps: list[tuple[int, float, bool]] = []
        for j in range(i + 1, min(n, i + _MAX_WORD) + 1):
            cost = _WORD_COSTS.get(name[i:j])
            if cost is not None:
                steps.append((j, cost, name[i:j] in COMMON_ROOM_WORDS))
        for length in _DICTIONARY_WORD_LENGTHS:
            if i + length <= n and _could_be_a_word(name[i:i + length]):
                steps.append((i + length, _DICTIONARY_WORD_BITS, False))
        j = i
        while j < n and name[j].isdigit():
            j += 1
            steps.append((j, _digit_run_cost(name[i:j]), False))
        ch = name[i]
        if ch in "-_.~":
            steps.append((i + 1, 0.0, True))        # separators add nothing
        elif ch.isascii() and ch.isalpha():
            steps.append((i + 1, _BITS_PER_LETTER, False))
        elif not ch.isdigit():
            steps.append((i + 1, _BITS_PER_OTHER, False))
        for end, cost, common in steps:
            total = best[i] + cost
            if total < best[end] or (total == best[end] and common and only_common[i]):
                best[end] = total
                only_common[end] = only_common[i] and common
    return best[n], only_common[n]


def _looks_like_uuid(name: str) -> bool:
    try:
        return uuid.UUID(name).int != 0
    except ValueError:
        return False


def assess_room_name(room: str) -> RoomNameAssessment:
    """Warn about names others could guess (short, common words, digits only).

    Case does not count: the backend lower-cases every name.  Like the web app,
    UUIDs and names of 200 characters or more count as safe.
    """
    decoded = percent_decode(room)
    name = unicodedata.normalize("NFKC", decoded if decoded is not None else room)
    lower = name.lower()
    hints: list[str] = []
    if name != lower:
        hints.append(HINT_CASE)
    if any(not ch.isascii() for ch in name):
        hints.append(HINT_SPECIAL_LETTERS)
    if len(name) >= 200 or _looks_like_uuid(lower):
        return RoomNameAssessment(False, math.inf, (), tuple(hints))
    bits, only_common = _estimate_bits(lower)
    reasons: list[str] = []
    if len(lower) < MIN_SAFE_LENGTH:
        reasons.append(REASON_TOO_SHORT)
    if lower and lower.isdigit():
        reasons.append(REASON_DIGITS)
    elif lower and only_common:
        reasons.append(REASON_COMMON)
    if bits < GUESSABLE_BELOW_BITS and not reasons:
        reasons.append(REASON_LOW_VARIETY)
    return RoomNameAssessment(bool(reasons), bits, tuple(reasons), tuple(hints))
