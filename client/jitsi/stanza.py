"""Safe XML in, clean XML out, and JIDs.

Parsing: every frame is parsed on its own by defusedxml with DTDs, entities and
external references forbidden (RFC 6120 forbids DTDs anyway), after a size check.
Anything else raises ``RemoteProtocolError`` — never a parser's own exception.

Serialising: ElementTree's own writer invents ``ns0:`` prefixes; ours writes a
default ``xmlns`` wherever an element's namespace differs from its parent's, which
is what XMPP servers and Strophe expect.  Elements use Clark notation
(``{namespace}tag``) in memory.
"""

from __future__ import annotations

import itertools
import re
import secrets
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from client.errors import RemoteProtocolError
from client.jitsi.ns import NS_CLIENT, NS_XML

Element = ET.Element

#: Prosody's default stanza size limit is 256 KiB (c2s_stanza_size_limit); a Jicofo
#: session-initiate for a large room stays well under it.
MAX_STANZA_BYTES = 512 * 1024


def parse_xml(data: str | bytes, *, max_bytes: int = MAX_STANZA_BYTES) -> Element:
    """One XML document (a WebSocket frame) → Element, or ``RemoteProtocolError``."""
    size = len(data.encode("utf-8", "replace") if isinstance(data, str) else data)
    if size > max_bytes:
        raise RemoteProtocolError(reason=f"stanza of {size} bytes exceeds {max_bytes}")
    try:
        return SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise RemoteProtocolError(reason=f"forbidden XML construct ({type(exc).__name__})") from exc
    except (ET.ParseError, ValueError, UnicodeError, RecursionError) as exc:
        raise RemoteProtocolError(reason=f"malformed XML ({exc})") from exc


def split_tag(tag: str) -> tuple[str | None, str]:
    if tag.startswith("{"):
        ns, _, local = tag[1:].partition("}")
        return ns, local
    return None, tag


def el(tag: str, attrs: dict[str, str | None] | None = None, *children: Element,
       text: str | None = None) -> Element:
    """Build an element; attributes whose value is None are left out."""
    element = ET.Element(tag, {k: v for k, v in (attrs or {}).items() if v is not None})
    element.extend(children)
    if text is not None:
        element.text = text
    return element


def sub(parent: Element, tag: str, attrs: dict[str, str | None] | None = None,
        text: str | None = None) -> Element:
    child = el(tag, attrs, text=text)
    parent.append(child)
    return child


def serialize(element: Element, *, parent_ns: str | None = None) -> str:
    """Element → XML text with default namespaces; top-level stanzas get jabber:client."""
    parts: list[str] = []
    _write(element, parent_ns, parts)
    return "".join(parts)


# XML 1.0 §2.2 Char: anything else (NUL, most C0 controls, U+FFFE/FFFF, lone surrogates) makes
# the frame not well-formed and the server ends the stream — e.g. a control character
# pasted into a chat message.  Such characters become U+FFFD on the way out.
_NOT_XML_CHAR = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(text: str) -> str:
    # A raw CR would reach the other side as LF (XML end-of-line handling, §2.11).
    return escape(_NOT_XML_CHAR.sub("\ufffd", text), {"\r": "&#13;"})


def _xml_attr(value: str) -> str:
    return quoteattr(_NOT_XML_CHAR.sub("\ufffd", value))


def _write(element: Element, parent_ns: str | None, out: list[str]) -> None:
    ns, local = split_tag(element.tag)
    out.append("<" + local)
    if ns is not None and ns != parent_ns:
        out.append(" xmlns=" + quoteattr(ns))
    for key, value in element.attrib.items():
        attr_ns, attr_local = split_tag(key)
        if attr_ns == NS_XML:
            name = "xml:" + attr_local
        elif attr_ns is not None:
            raise ValueError(f"namespaced attribute {key} is not supported")
        else:
            name = attr_local
        out.append(f" {name}={_xml_attr(str(value))}")
    children = list(element)
    if not children and not element.text:
        out.append("/>")
    else:
        out.append(">")
        if element.text:
            out.append(_xml_text(element.text))
        for child in children:
            _write(child, ns, out)
            if child.tail:
                out.append(_xml_text(child.tail))
        out.append(f"</{local}>")


def serialize_stanza(element: Element) -> str:
    """A top-level stanza: RFC 7395 wants xmlns='jabber:client' on every one."""
    ns, local = split_tag(element.tag)
    if ns is None:
        element = _with_namespace(element, NS_CLIENT)
    return serialize(element)


def _with_namespace(element: Element, ns: str) -> Element:
    copy = ET.Element(f"{{{ns}}}{element.tag}", dict(element.attrib))
    copy.text, copy.tail = element.text, element.tail
    copy.extend(list(element))
    return copy


_counter = itertools.count(1)
_prefix = secrets.token_hex(4)


def new_id(kind: str = "tp") -> str:
    """A stanza id unique in this process."""
    return f"{kind}-{_prefix}-{next(_counter)}"


@dataclass(frozen=True, order=True)
class Jid:
    """An XMPP address.  Comparison is on the normalised (lower-case) node and domain."""

    local: str | None
    domain: str
    resource: str | None = None

    @classmethod
    def parse(cls, text: str) -> "Jid":
        if not text or len(text) > 3071:
            raise RemoteProtocolError(reason=f"invalid JID {text[:80]!r}")
        bare, slash, resource = text.partition("/")
        local, at, domain = bare.rpartition("@")
        if not domain or (at and not local) or (slash and not resource):
            raise RemoteProtocolError(reason=f"invalid JID {text[:80]!r}")
        return cls(local.lower() if at else None, domain.lower(), resource if slash else None)

    @property
    def bare(self) -> "Jid":
        return Jid(self.local, self.domain)

    def with_resource(self, resource: str | None) -> "Jid":
        return Jid(self.local, self.domain, resource)

    def __str__(self) -> str:
        text = self.domain
        if self.local is not None:
            text = f"{self.local}@{text}"
        if self.resource is not None:
            text = f"{text}/{self.resource}"
        return text


def optional_jid(text: str | None) -> Jid | None:
    """Parse an attribute that may be absent or broken; broken counts as absent."""
    if not text:
        return None
    try:
        return Jid.parse(text)
    except RemoteProtocolError:
        return None
