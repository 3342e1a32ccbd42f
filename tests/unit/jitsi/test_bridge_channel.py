"""The bridge channel: what is sent when, reconnecting, and the asyncio adapter on loopback."""

from __future__ import annotations

import asyncio
import json
import ssl

import pytest

from client.jitsi.bridge_channel import (
    BridgeChannel,
    BridgeChannelClient,
    ChannelClosed,
    ChannelOpened,
    ChannelState,
)
from client.jitsi.colibri import (
    DominantSpeakerEndpointChangeEvent,
    EndpointMessage,
    ForwardedSources,
    ReceiverVideoConstraints,
    SenderSourceConstraints,
    ServerHello,
    VideoConstraints,
)
from client.jitsi.view import Tile, View
from client.net import TrustSettings
from tests.rig.tls import TestCA

URL = "wss://meet.example/colibri-ws/default-id/c1/abcd1234?pwd=secret"
URL2 = "wss://other.example/colibri-ws/default-id/c1/abcd1234?pwd=secret"


def sent(channel: BridgeChannel) -> list[dict]:
    return [json.loads(text) for text in channel.take_outgoing()]


def opened_channel(*urls: str) -> BridgeChannel:
    channel = BridgeChannel(urls or (URL,))
    channel.start()
    assert channel.take_connect() == (urls or (URL,))[0]
    channel.opened(0.0)
    return channel


def test_start_asks_for_the_first_url_once():
    channel = BridgeChannel([URL, URL2])
    assert channel.take_connect() is None           # not started
    channel.start()
    assert channel.state is ChannelState.CONNECTING
    assert channel.take_connect() == URL
    assert channel.take_connect() is None


def test_no_url_closes_at_once():
    channel = BridgeChannel([])
    channel.start()
    assert channel.state is ChannelState.CLOSED
    assert channel.take_events() == [ChannelClosed(None, "no bridge channel URL", None)]


def test_constraints_set_before_open_are_sent_on_open():
    channel = BridgeChannel([URL])
    channel.set_view(View(tiles=(Tile("ab-v0", 300),)))
    channel.set_source_video_type("me-v0", "camera")
    channel.start()
    channel.take_connect()
    assert channel.take_outgoing() == []
    channel.opened(5.0)
    assert channel.take_events() == [ChannelOpened(URL)]
    assert sent(channel) == [
        {"colibriClass": "ReceiverVideoConstraints", "lastN": -1, "selectedSources": [],
         "onStageSources": [], "defaultConstraints": {"maxHeight": 0},
         "constraints": {"ab-v0": {"maxHeight": 360}}},
        {"colibriClass": "SourceVideoTypeMessage", "sourceName": "me-v0", "videoType": "camera"}]


def test_a_changed_view_is_sent_and_an_unchanged_one_is_not():
    channel = opened_channel()
    channel.set_view(View(tiles=(Tile("ab-v0", 100),)))
    assert len(sent(channel)) == 1
    channel.set_view(View(tiles=(Tile("ab-v0", 100),)))
    assert sent(channel) == []
    channel.set_view(View(tiles=(Tile("ab-v0", 100), Tile("cd-v0", 100)), last_n=1))
    [message] = sent(channel)
    assert message["lastN"] == 1 and set(message["constraints"]) == {"ab-v0", "cd-v0"}


def test_reopen_sends_the_whole_wish_again():
    channel = opened_channel()
    channel.set_receiver_constraints(ReceiverVideoConstraints(last_n=2))
    channel.set_source_video_type("me-v0", "none")
    assert len(sent(channel)) == 2
    channel.closed(10.0, 1006, "abnormal")
    channel.handle_timer(11.0)
    assert channel.take_connect() == URL
    channel.opened(11.2)
    assert [m["colibriClass"] for m in sent(channel)] == ["ReceiverVideoConstraints",
                                                          "SourceVideoTypeMessage"]


def test_video_type_changes_are_sent_once_each():
    channel = opened_channel()
    channel.set_source_video_type("me-v0", "camera")
    channel.set_source_video_type("me-v0", "camera")
    channel.set_source_video_type("me-v0", "none")
    assert [m["videoType"] for m in sent(channel)] == ["camera", "none"]


def test_other_messages_are_dropped_while_not_open():
    channel = BridgeChannel([URL])
    assert channel.send(EndpointMessage("", {"msgPayload": {"type": "x"}})) is False
    channel.start()
    channel.take_connect()
    channel.opened(0.0)
    assert channel.send(EndpointMessage("ab", {"msgPayload": {"type": "x"}})) is True
    assert sent(channel) == [{"colibriClass": "EndpointMessage", "msgPayload": {"type": "x"},
                              "to": "ab"}]


def test_reconnect_backs_off_1_2_4_up_to_60_seconds_and_resets_after_success():
    channel = BridgeChannel([URL], first_retry_s=1.0)
    channel.start()
    now = 0.0
    waits = []
    for _ in range(9):
        assert channel.take_connect() == URL
        channel.failed(now, "refused")
        [event] = channel.take_events()
        assert isinstance(event, ChannelClosed) and event.retry_at is not None
        waits.append(channel.deadline() - now)
        channel.handle_timer(channel.deadline() - 0.01)      # too early: nothing happens
        assert channel.take_connect() is None
        now = channel.deadline()
        channel.handle_timer(now)
    assert waits == [1, 2, 4, 8, 16, 32, 60, 60, 60]
    channel.take_connect()
    channel.opened(now)
    channel.closed(now + 100, 1006)
    assert channel.deadline() == now + 100 + 1.0


def test_failures_alternate_between_urls():
    channel = BridgeChannel([URL, URL2])
    channel.start()
    assert channel.take_connect() == URL
    channel.failed(0.0, "x")
    channel.handle_timer(1.0)
    assert channel.take_connect() == URL2


def test_going_away_from_the_bridge_closes_for_good():
    channel = opened_channel()
    channel.closed(3.0, 1001, "endpoint expired")
    assert channel.state is ChannelState.CLOSED
    assert channel.deadline() is None
    assert channel.take_events()[-1] == ChannelClosed(1001, "endpoint expired", None)


def test_close_stops_everything():
    channel = opened_channel()
    channel.close()
    assert channel.state is ChannelState.CLOSED
    channel.set_view(View(tiles=(Tile("a-v0", 100),)))
    assert channel.take_outgoing() == []
    assert channel.take_connect() is None


def test_incoming_messages_become_events_and_state():
    channel = opened_channel()
    channel.take_events()
    channel.receive('{"colibriClass":"ServerHello"}', 1.0)
    channel.receive('{"colibriClass":"DominantSpeakerEndpointChangeEvent",'
                    '"dominantSpeakerEndpoint":"ab","previousSpeakers":["cd"]}', 1.0)
    channel.receive('{"colibriClass":"ForwardedSources","forwardedSources":["ab-v0"]}', 1.0)
    channel.receive("garbage", 1.0)
    channel.receive('{"colibriClass":"NewThing"}', 1.0)
    events = channel.take_events()
    assert events[:3] == [ServerHello(), DominantSpeakerEndpointChangeEvent("ab", ("cd",)),
                          ForwardedSources(("ab-v0",))]
    assert len(events) == 4 and channel.bad_frames == 1
    assert channel.dominant_speaker == "ab"
    assert channel.forwarded_sources == ("ab-v0",)


def test_sender_constraints_are_passed_on_only_when_they_change():
    channel = opened_channel()
    channel.take_events()
    for height in (360, 360, 0, 0, 180):
        channel.receive(json.dumps({"colibriClass": "SenderSourceConstraints",
                                    "sourceName": "me-v0", "maxHeight": height}), 1.0)
    assert channel.take_events() == [SenderSourceConstraints("me-v0", 360),
                                     SenderSourceConstraints("me-v0", 0),
                                     SenderSourceConstraints("me-v0", 180)]
    assert channel.sender_constraints == {"me-v0": 180}


# --- the asyncio adapter against a real WebSocket server ---------------------------------

class FakeBridge:
    """A colibri-ws endpoint on 127.0.0.1: records frames, can push and drop connections."""

    def __init__(self, ssl_context: ssl.SSLContext | None = None) -> None:
        self.ssl_context = ssl_context
        self.frames: asyncio.Queue[dict] = asyncio.Queue()
        self.connections: asyncio.Queue = asyncio.Queue()
        self.paths: list[str] = []
        self.origins: list[str | None] = []
        self.protocols: list[str | None] = []
        self.server = None

    async def start(self) -> None:
        from websockets.asyncio.server import serve

        self.server = await serve(self._handle, "127.0.0.1", 0, ssl=self.ssl_context)

    @property
    def port(self) -> int:
        return self.server.sockets[0].getsockname()[1]

    def url(self, scheme: str = "ws", host: str = "127.0.0.1") -> str:
        return f"{scheme}://{host}:{self.port}/colibri-ws/default-id/conf1/abcd1234?pwd=pw"

    async def _handle(self, ws) -> None:
        self.paths.append(ws.request.path)
        self.origins.append(ws.request.headers.get("Origin"))
        self.protocols.append(ws.request.headers.get("Sec-WebSocket-Protocol"))
        await ws.send('{"colibriClass":"ServerHello","version":"rig"}')
        await self.connections.put(ws)
        async for text in ws:
            await self.frames.put(json.loads(text))

    async def stop(self) -> None:
        self.server.close()
        await self.server.wait_closed()


async def next_event(queue: asyncio.Queue, kind: type, timeout: float = 5.0):
    while True:
        event = await asyncio.wait_for(queue.get(), timeout)
        if isinstance(event, kind):
            return event


@pytest.mark.timeout(30)
async def _adapter_scenario() -> None:
    bridge = FakeBridge()
    await bridge.start()
    events: asyncio.Queue = asyncio.Queue()
    client = BridgeChannelClient([bridge.url()], on_event=events.put_nowait, first_retry_s=0.05)
    try:
        client.set_view(View(tiles=(Tile("ab12-v0", 360),), last_n=3))
        client.start()
        assert await next_event(events, ChannelOpened) == ChannelOpened(bridge.url())
        assert await next_event(events, ServerHello) == ServerHello("rig")
        first = await asyncio.wait_for(bridge.frames.get(), 5)
        assert first == {"colibriClass": "ReceiverVideoConstraints", "lastN": 3,
                         "selectedSources": [], "onStageSources": [],
                         "defaultConstraints": {"maxHeight": 0},
                         "constraints": {"ab12-v0": {"maxHeight": 360}}}
        assert bridge.paths == ["/colibri-ws/default-id/conf1/abcd1234?pwd=pw"]
        assert bridge.protocols == [None]            # colibri-ws has no subprotocol
        assert bridge.origins == ["https://127.0.0.1"]
        ws = await bridge.connections.get()

        # a view change goes out at once
        client.set_view(View(tiles=(Tile("ab12-v0", 100), Tile("cd34-v0", 100))))
        changed = await asyncio.wait_for(bridge.frames.get(), 5)
        assert changed["constraints"] == {"ab12-v0": {"maxHeight": 180},
                                          "cd34-v0": {"maxHeight": 180}}

        # the bridge's messages come in as events
        await ws.send('{"colibriClass":"SenderSourceConstraints","sourceName":"me-v0","maxHeight":0}')
        assert await next_event(events, SenderSourceConstraints) == SenderSourceConstraints("me-v0", 0)

        # the socket drops: the client reconnects and sends its whole wish again
        await ws.close(code=1011)
        closed = await next_event(events, ChannelClosed)
        assert closed.code == 1011 and closed.retry_at is not None
        await next_event(events, ChannelOpened)
        again = await asyncio.wait_for(bridge.frames.get(), 5)
        assert again == changed
        assert len(bridge.paths) == 2
    finally:
        await client.close()
        await bridge.stop()
    assert client.state is ChannelState.CLOSED


def test_adapter_sends_constraints_on_open_and_change_and_reconnects():
    asyncio.run(_adapter_scenario())


async def _refused_then_up() -> None:
    # nothing listens yet: the first attempts fail, then the bridge comes up on that port
    probe = FakeBridge()
    await probe.start()
    port = probe.port
    await probe.stop()
    events: asyncio.Queue = asyncio.Queue()
    url = f"ws://127.0.0.1:{port}/colibri-ws/default-id/conf1/abcd1234?pwd=pw"
    client = BridgeChannelClient([url], on_event=events.put_nowait, first_retry_s=0.05)
    client.start()
    bridge = None
    try:
        closed = await next_event(events, ChannelClosed)
        assert closed.code is None and closed.retry_at is not None
        from websockets.asyncio.server import serve

        bridge = FakeBridge()
        bridge.server = await serve(bridge._handle, "127.0.0.1", port)
        await next_event(events, ChannelOpened, timeout=10)
    finally:
        await client.close()
        if bridge is not None:
            await bridge.stop()


def test_adapter_retries_until_the_bridge_is_reachable():
    asyncio.run(_refused_then_up())


async def _over_tls(ca: TestCA) -> None:
    cert = ca.issue("bridge", ["localhost", "127.0.0.1"])
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(cert.cert_file), str(cert.key_file))
    bridge = FakeBridge(context)
    await bridge.start()
    events: asyncio.Queue = asyncio.Queue()
    client = BridgeChannelClient([bridge.url("wss", "localhost")], on_event=events.put_nowait,
                                 trust=TrustSettings(extra_ca_file=ca.ca_file))
    client.start()
    try:
        await next_event(events, ChannelOpened)
        client.set_receiver_constraints(ReceiverVideoConstraints(
            last_n=1, default_constraints=VideoConstraints(180)))
        assert (await asyncio.wait_for(bridge.frames.get(), 5))["lastN"] == 1
    finally:
        await client.close()
        await bridge.stop()


def test_adapter_speaks_wss_with_the_configured_trust(tmp_path):
    asyncio.run(_over_tls(TestCA(tmp_path / "ca")))
