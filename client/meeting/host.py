"""Server host names: checking, IDN (punycode) conversion, and "does this look like a host?".

Hosts are kept in their ASCII form (``xn--…`` labels), lower-case, IPv6 without
brackets.  International labels are mapped the way browsers do (UTS #46,
non-transitional: NFKC + lower case, ``ß`` stays ``ß``) and encoded with the
punycode codec; Python's own ``idna`` codec implements IDNA 2003, which would turn
``straße`` into ``strasse`` and so lead to a different server than the browser.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata

from client.errors import InvalidHostError

MAX_HOST_LENGTH = 253
MAX_LABEL_LENGTH = 63

#: Top-level domains beyond the two-letter country codes that make a bare
#: ``word.word`` read as a server rather than a room name.  Deliberately short:
#: a room called ``team.treffen`` must stay a room.
GENERIC_TLDS = frozenset({
    "com", "net", "org", "info", "biz", "edu", "gov", "int", "mil", "eu", "app", "dev",
    "cloud", "online", "site", "xyz", "pro", "name", "mobi", "asia", "tel", "travel",
    "museum", "coop", "aero", "jobs", "cat", "berlin", "bayern", "hamburg", "koeln", "nrw",
    "ruhr", "saarland", "gmbh", "swiss", "wien", "localhost",
})

_IDEOGRAPHIC_DOTS = str.maketrans({"\u3002": ".", "\uff0e": ".", "\uff61": "."})
_ASCII_LABEL = re.compile(r"[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?")
_PORT_SUFFIX = re.compile(r":[0-9]+$")


def _map_unicode(host: str) -> str:
    return unicodedata.normalize("NFKC", host.translate(_IDEOGRAPHIC_DOTS)).lower()


def _unicode_label_ok(label: str) -> bool:
    if label.startswith("-") or label.endswith("-"):
        return False
    return all(ch == "-" or unicodedata.category(ch)[0] in ("L", "M")
               or unicodedata.category(ch) == "Nd" for ch in label)


def _ascii_label(label: str, original: str) -> str:
    if not label:
        raise InvalidHostError(host=original)
    if label.isascii():
        if not _ASCII_LABEL.fullmatch(label):
            raise InvalidHostError(host=original)
        if label.startswith("xn--"):
            try:
                decoded = label[4:].encode("ascii").decode("punycode")
            except (UnicodeError, ValueError, IndexError):
                raise InvalidHostError(host=original) from None
            if not decoded or not _unicode_label_ok(decoded):
                raise InvalidHostError(host=original)
    else:
        if not _unicode_label_ok(label):
            raise InvalidHostError(host=original)
        label = "xn--" + label.encode("punycode").decode("ascii")
    if len(label) > MAX_LABEL_LENGTH:
        raise InvalidHostError(host=original)
    return label


def to_ascii_host(host: str) -> str:
    """The checked ASCII form of ``host`` (IPv6 without brackets); InvalidHostError if unusable."""
    original = host
    host = _map_unicode(host)
    if host.startswith("["):
        if not host.endswith("]"):
            raise InvalidHostError(host=original)
        try:
            return ipaddress.IPv6Address(host[1:-1]).compressed
        except ValueError:
            raise InvalidHostError(host=original) from None
    if host.endswith("."):
        host = host[:-1]
    if not host or len(host) > MAX_HOST_LENGTH * 4:
        raise InvalidHostError(host=original)
    labels = host.split(".")
    if all(label.isdigit() and label.isascii() for label in labels):
        try:
            return str(ipaddress.IPv4Address(host))
        except ValueError:
            raise InvalidHostError(host=original) from None
    if ":" in host:
        try:
            return ipaddress.IPv6Address(host).compressed   # unbracketed IPv6
        except ValueError:
            raise InvalidHostError(host=original) from None
    ascii_host = ".".join(_ascii_label(label, original) for label in labels)
    if len(ascii_host) > MAX_HOST_LENGTH or labels[-1].isdigit():
        raise InvalidHostError(host=original)
    return ascii_host


def to_display_host(ascii_host: str) -> str:
    """``xn--brgerbro-p2ad.de`` → ``bürgerbüro.de`` for people to read."""
    labels = []
    for label in ascii_host.split("."):
        if label.startswith("xn--"):
            try:
                label = label[4:].encode("ascii").decode("punycode")
            except (UnicodeError, ValueError, IndexError):
                pass
        labels.append(label)
    return ".".join(labels)


def is_ip_address(ascii_host: str) -> bool:
    try:
        ipaddress.ip_address(ascii_host)
    except ValueError:
        return False
    return True


def netloc(ascii_host: str, port: int | None) -> str:
    """``host[:port]`` for a URL, with brackets around IPv6."""
    shown = f"[{ascii_host}]" if ":" in ascii_host else ascii_host
    return shown if port is None else f"{shown}:{port}"


def looks_like_host(segment: str, known_hosts: frozenset[str] = frozenset()) -> bool:
    """Whether the first word of a link without ``https://`` names a server.

    ``konferenz.bretten.de``, ``localhost:8443``, ``127.0.0.1`` and ``[::1]`` do;
    ``Elternabend`` and ``Team.Treffen`` do not (no top-level domain at the end).
    """
    if not segment:
        return False
    if segment.startswith("[") and "]" in segment:
        return True
    host = _map_unicode(_PORT_SUFFIX.sub("", segment.rsplit("@", 1)[-1]))
    if _PORT_SUFFIX.search(segment.rsplit("@", 1)[-1]) and host:
        return True
    host = host.rstrip(".")
    if host in known_hosts or host == "localhost" or host.endswith(".localhost"):
        return True
    labels = host.split(".")
    if len(labels) < 2 or not all(labels):
        return False
    if len(labels) == 4 and all(label.isascii() and label.isdigit() for label in labels):
        return True
    if not all(_unicode_label_ok(label) or _ASCII_LABEL.fullmatch(label) for label in labels):
        return False
    tld = labels[-1]
    return ((len(tld) == 2 and tld.isascii() and tld.isalpha())
            or tld in GENERIC_TLDS or tld.startswith("xn--"))
