"""Group and private chat in a Jitsi room (jitsi-signaling.md §6.1).

Group: ``<message type='groupchat'>`` to the room; the room reflects it to everyone,
us included.  Private: ``type='chat'`` to ``room/nick`` (with the MUC ``<x/>`` marker
XEP-0045 recommends).  History sent on join carries ``<delay/>`` and is reported as
``delayed``.  ``<json-message>`` side-channel messages (lobby notifications, polls,
reactions …) and other extensions without a body are ignored, never errors.

``parse_chat_message`` follows the fuzz rule: any input gives a result or None
(ignored), never an exception.
"""

from __future__ import annotations

import json
import re
import uuid
from calendar import timegm
from typing import Any, Callable

from client.errors import RemoteProtocolError
from client.jitsi.events import ChatFailed, ChatReceived
from client.jitsi.ns import NS_DELAY, NS_JITSI_MEET, NS_MUC_USER, NS_STANZAS
from client.jitsi.presence import client_child
from client.jitsi.stanza import Element, Jid, el, split_tag, sub

NS_LEGACY_DELAY = "jabber:x:delay"        # XEP-0091, still sent by some servers
#: Prosody's default stanza limit is 256 KiB; keep a chat line well inside it
MAX_CHAT_CHARS = 10_000

_STAMP = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})?$")


def group_message(room: Jid, text: str) -> Element:
    message = el("message", {"to": str(room.bare), "type": "groupchat", "id": str(uuid.uuid4())})
    sub(message, "body", text=text)
    return message


def private_message(room: Jid, nick: str, text: str) -> Element:
    message = el("message", {"to": str(room.bare.with_resource(nick)), "type": "chat",
                             "id": str(uuid.uuid4())})
    sub(message, "body", text=text)
    sub(message, f"{{{NS_MUC_USER}}}x")
    return message


def parse_stamp(stamp: str | None) -> float | None:
    """XEP-0082 date-time (or XEP-0091 ``CCYYMMDDThh:mm:ss``) → POSIX seconds."""
    if not stamp:
        return None
    match = _STAMP.match(stamp.strip())
    if not match:
        return None
    year, month, day, hour, minute, second, zone = match.groups()
    try:
        seconds = timegm((int(year), int(month), int(day), int(hour), int(minute), int(second)))
    except (ValueError, OverflowError):
        return None
    if zone and zone != "Z":
        sign = 1 if zone[0] == "+" else -1
        seconds -= sign * (int(zone[1:3]) * 3600 + int(zone[4:6]) * 60)
    if not (1 <= int(month) <= 12 and 1 <= int(day) <= 31):
        return None
    return float(seconds)


def _delay_stamp(message: Element) -> tuple[bool, float | None]:
    delay = message.find(f"{{{NS_DELAY}}}delay")
    if delay is None:
        delay = message.find(f"{{{NS_LEGACY_DELAY}}}x")
    if delay is None:
        return False, None
    return True, parse_stamp(delay.get("stamp"))


def parse_json_message(message: Element) -> dict[str, Any] | None:
    """A ``<json-message>`` payload, if it is a JSON object with a 'type' (xmpp.ts rule)."""
    node = message.find(f"{{{NS_JITSI_MEET}}}json-message")
    if node is None or not node.text or len(node.text) > 64 * 1024:
        return None
    try:
        data = json.loads(node.text)
    except (ValueError, RecursionError):
        return None
    if isinstance(data, dict) and "type" in data:
        return data
    return None


def parse_chat_message(message: Element, *, room: Jid, own_nick: str | None,
                       display_name_of: Callable[[str], str | None] = lambda nick: None,
                       ) -> ChatReceived | ChatFailed | None:
    """A message from ``room`` (or one of its occupants) → a chat event, or None to ignore."""
    sender_text = message.get("from") or ""
    try:
        sender = Jid.parse(sender_text)
    except RemoteProtocolError:     # a broken 'from' is just not a chat line for us
        return None
    if sender.bare != room.bare:
        return None
    kind = message.get("type") or "normal"
    if kind == "error":
        error = client_child(message, "error")
        reason = text = None
        if error is not None:
            for child in error:
                ns, local = split_tag(child.tag) if isinstance(child.tag, str) else (None, "")
                if ns == NS_STANZAS and local == "text":
                    text = (child.text or "").strip() or None
                elif ns == NS_STANZAS and reason is None:
                    reason = local
        body = client_child(message, "body")
        return ChatFailed(text=(body.text if body is not None else None) or None,
                          reason=text or reason)
    if kind not in ("groupchat", "chat"):
        return None
    body = client_child(message, "body")
    if body is None or not body.text:
        return None          # json-message, reactions, chat states, subject …
    text = body.text[:MAX_CHAT_CHARS]
    delayed, stamp = _delay_stamp(message)
    nick = sender.resource
    if kind == "chat" and nick is None:
        return None          # a private message must come from an occupant
    return ChatReceived(
        from_id=nick,
        display_name=display_name_of(nick) if nick else None,
        text=text,
        private=kind == "chat",
        timestamp=stamp,
        delayed=delayed,
        is_self=nick is not None and nick == own_nick,
        message_id=message.get("id") or None,
    )
