"""A deliberately tiny XMPP-over-WebSocket client for the rig's own self-tests.

It is *not* the product's XMPP stack (client/jitsi/transport.py is): the rig must be
testable on its own, and a test of the rig should not depend on the code it is
there to test.  SASL ANONYMOUS or PLAIN, bind, send, IQ round trips, and waiting
for stanzas; nothing else.
"""

from __future__ import annotations

import asyncio
import base64
import ssl
from collections.abc import Callable

import websockets

from client.jitsi.ns import NS_BIND, NS_CLIENT, NS_FRAMING, NS_JITSI_FOCUS, NS_MUC, NS_NICK, NS_SASL
from client.jitsi.stanza import Element, Jid, el, new_id, parse_xml, serialize_stanza, sub
from client.net import TrustSettings


class ProbeError(RuntimeError):
    pass


class XmppProbe:
    def __init__(self, ws: websockets.ClientConnection, domain: str) -> None:
        self._ws = ws
        self.domain = domain
        self.jid: Jid | None = None
        self.received: list[Element] = []
        self._new = asyncio.Event()
        self._reader: asyncio.Task[None] | None = None

    @classmethod
    async def connect(cls, url: str, domain: str, *, ssl_context: ssl.SSLContext,
                      user: str | None = None, password: str | None = None,
                      timeout_s: float = 10.0) -> "XmppProbe":
        ws = await asyncio.wait_for(
            websockets.connect(url, subprotocols=["xmpp"], ssl=ssl_context), timeout_s)
        probe = cls(ws, domain)
        try:
            await asyncio.wait_for(probe._login(user, password), timeout_s)
        except BaseException:
            await ws.close()
            raise
        probe._reader = asyncio.ensure_future(probe._read())
        return probe

    async def _frame(self) -> Element:
        return parse_xml(await self._ws.recv())

    async def _open(self) -> Element:
        await self._ws.send(f"<open xmlns='{NS_FRAMING}' to='{self.domain}' version='1.0'/>")
        await self._frame()                       # <open/>
        return await self._frame()                # <stream:features/>

    async def _login(self, user: str | None, password: str | None) -> None:
        features = await self._open()
        mechanisms = [m.text for m in features.iter(f"{{{NS_SASL}}}mechanism")]
        if user is None:
            mechanism, payload = "ANONYMOUS", "="
        else:
            mechanism = "PLAIN"
            payload = base64.b64encode(f"\0{user}\0{password}".encode()).decode()
        if mechanism not in mechanisms:
            raise ProbeError(f"{mechanism} not offered (offered: {mechanisms})")
        await self._ws.send(f"<auth xmlns='{NS_SASL}' mechanism='{mechanism}'>{payload}</auth>")
        answer = await self._frame()
        if not answer.tag.endswith("success"):
            raise ProbeError(f"SASL {mechanism} failed: {serialize_stanza(answer)}")
        await self._open()
        iq = el(f"{{{NS_CLIENT}}}iq", {"type": "set", "id": new_id("bind")})
        sub(iq, f"{{{NS_BIND}}}bind")
        await self._ws.send(serialize_stanza(iq))
        bound = await self._frame()
        jid = bound.findtext(f"{{{NS_BIND}}}bind/{{{NS_BIND}}}jid")
        if not jid:
            raise ProbeError(f"bind failed: {serialize_stanza(bound)}")
        self.jid = Jid.parse(jid)

    async def _read(self) -> None:
        try:
            async for frame in self._ws:
                self.received.append(parse_xml(frame))
                self._new.set()
        except websockets.ConnectionClosed:
            pass
        finally:
            self._new.set()

    def send(self, stanza: Element) -> None:
        asyncio.ensure_future(self._ws.send(serialize_stanza(stanza)))

    async def wait_for(self, predicate: Callable[[Element], bool], timeout_s: float = 10.0,
                       start: int = 0) -> Element:
        """The first received stanza (from index ``start``) matching ``predicate``."""
        deadline = asyncio.get_running_loop().time() + timeout_s
        seen = start
        while True:
            for stanza in self.received[seen:]:
                if predicate(stanza):
                    return stanza
            seen = len(self.received)
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0 or (self._reader is not None and self._reader.done()):
                raise ProbeError("no matching stanza arrived")
            self._new.clear()
            try:
                await asyncio.wait_for(self._new.wait(), remaining)
            except TimeoutError:
                pass

    async def iq(self, stanza: Element, timeout_s: float = 10.0) -> Element:
        """Send an IQ get/set; the result or error answering it."""
        ident = stanza.get("id") or new_id("probe")
        stanza.set("id", ident)
        start = len(self.received)
        self.send(stanza)
        return await self.wait_for(
            lambda s: s.tag == f"{{{NS_CLIENT}}}iq" and s.get("id") == ident
            and s.get("type") in ("result", "error"), timeout_s, start)

    async def close(self) -> None:
        try:
            await self._ws.send(f"<close xmlns='{NS_FRAMING}'/>")
        except websockets.ConnectionClosed:
            pass
        await self._ws.close()
        if self._reader is not None:
            await self._reader


# -- helpers for the rig's self-tests ------------------------------------------------------
MACHINE_UID = "0123456789abcdef0123456789abcdef"


def connect_probe(rig, *, domain: str | None = None, user: str | None = None,  # noqa: ANN001
                  password: str | None = None):  # noqa: ANN201 - a coroutine
    """Log in to the rig over wss, trusting its CA the way the app does."""
    ctx = TrustSettings(extra_ca_file=rig.ca_file).ssl_context()
    return XmppProbe.connect(rig.websocket_url, domain or rig.xmpp_domain, ssl_context=ctx,
                             user=user, password=password)


def conference_iq(rig, room: str, *, session_id: str | None = None,  # noqa: ANN001
                  machine_uid: str | None = MACHINE_UID) -> Element:
    """The focus conference request as lib-jitsi-meet sends it."""
    iq = el(f"{{{NS_CLIENT}}}iq", {"type": "set", "to": rig.focus_domain})
    conf = sub(iq, f"{{{NS_JITSI_FOCUS}}}conference",
               {"room": rig.room_jid(room), "machine-uid": machine_uid, "session-id": session_id})
    sub(conf, f"{{{NS_JITSI_FOCUS}}}property", {"name": "rtcstatsEnabled", "value": "false"})
    return iq


def muc_join(room_jid: str, nick: str, display_name: str | None = None) -> Element:
    presence = el(f"{{{NS_CLIENT}}}presence", {"to": f"{room_jid}/{nick}"})
    sub(presence, f"{{{NS_MUC}}}x")
    if display_name is not None:
        sub(presence, f"{{{NS_NICK}}}nick", text=display_name)
    return presence


def from_occupant(room_jid: str, nick: str) -> Callable[[Element], bool]:
    return lambda s: s.tag == f"{{{NS_CLIENT}}}presence" and s.get("from") == f"{room_jid}/{nick}"
