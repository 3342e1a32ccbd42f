"""Our client receiving a room of N video senders through the test bridge.

    .venv/bin/python bench/bench_bridge.py [--sizes 4 9 16] [--last-n 2] [--seconds 10]

For each N the room process (this one) runs the test bridge (tests/rig/bridge) with
N synthetic senders, each a 640x360 30 fps VP8 stream plus Opus audio.  Encoding N
pictures at 30 fps live would need more cores than the machine has, so a 2 s loop of
the synthetic test pattern (client/media/synthetic.py) is encoded once with aiortc's
VP8 encoder (a keyframe each second) and every sender replays it with its own SSRC,
sequence numbers and timestamps; the bridge forwards it over ICE/DTLS/SRTP like any
other endpoint's media.

Our client runs as a child process (``--child``) with the real receive path: the
``BridgeCall`` + ``CallMedia`` of the app (session-initiate handling, one m-line per
source, aiortc decoding, a ``FramePump`` per video converting to bgra as for the
screen, the audio mix), the bridge channel over colibri-ws with every video shown
as a 360 px tile.  Only the XMPP connection is replaced by a pipe to this process.
Its own microphone and camera are off: the cost measured is receiving.

Reported per N, once showing every video and once with last-N limited: the child's
CPU seconds per second (user + system) and peak RSS, and the video frames per second
it decoded in total.  Everything runs in a private network namespace like the tests.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import struct
import sys
import time
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ROOM = "bench@conference.meet.localhost"
CONF = "benchconf"
OUR_ID = "bench000"
VIDEO_PT, AUDIO_PT = 100, 111


# --- the child: our client's receive path ------------------------------------------------------

class PipeXmpp:
    """What BridgeCall and CallMedia use of XmppClient, over stdin/stdout JSON lines."""

    def __init__(self) -> None:
        from client.jitsi.stanza import Jid

        self.jid = Jid.parse(f"{OUR_ID}@meet.localhost/bench")
        self._handlers: list = []

    def add_handler(self, handler):  # noqa: ANN001, ANN201
        self._handlers.append(handler)
        return lambda: self._handlers.remove(handler) if handler in self._handlers else None

    def deliver(self, stanza) -> None:  # noqa: ANN001
        for handler in list(self._handlers):
            if handler(stanza):
                return

    def send(self, stanza) -> None:  # noqa: ANN001
        pass                                  # acks of the room's requests: not needed here

    async def iq(self, stanza, timeout_s: float = 10.0):  # noqa: ANN001, ANN201
        from client.jitsi.stanza import el, serialize_stanza

        _line({"iq": serialize_stanza(stanza)})
        return el("iq", {"type": "result", "id": stanza.get("id")})


class BenchConference:
    """The parts of ``Conference`` the media layer talks to; joined, no XMPP."""

    def __init__(self, xmpp: PipeXmpp) -> None:
        from client.jitsi.stanza import Jid

        self.xmpp = xmpp
        self.endpoint_id = OUR_ID
        self.room_jid = Jid.parse(ROOM)
        self.joined = True
        self.occupants: dict = {}
        self.ice_servers: list = []
        self.options = SimpleNamespace(trust=None)
        self.events: list = []
        self._listeners: list = []

    def add_listener(self, listener):  # noqa: ANN001, ANN201
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def emit(self, event) -> None:  # noqa: ANN001
        self.events.append(event)
        for listener in list(self._listeners):
            listener(event)

    def set_sources(self, sources) -> None:  # noqa: ANN001
        pass

    def set_muted(self, kind: str, muted: bool) -> None:
        pass


def _line(obj: dict) -> None:
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


async def child_main(args: argparse.Namespace) -> int:
    from client.jitsi.events import MediaConnected
    from client.jitsi.stanza import parse_xml
    from client.media.audio_io import ClockedAudioIO
    from client.media.bridge_call import BridgeCall
    from client.media.call import CallMedia
    from client.media.local import MediaOptions

    xmpp = PipeXmpp()
    conference = BenchConference(xmpp)
    media = CallMedia(conference, MediaOptions(test_media=True, audio_io=ClockedAudioIO(),
                                               start_audio_muted=True, start_video_muted=True),
                      p2p_enabled=False)
    await media.start()
    bridge = BridgeCall(media, last_n=args.last_n, auto_tile_height_px=360)
    await bridge.start()
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    xmpp.deliver(parse_xml(json.loads(await reader.readline())["iq"]))

    deadline = time.monotonic() + 60
    while not any(isinstance(e, MediaConnected) for e in conference.events):
        if time.monotonic() > deadline:
            _line({"error": "no media connection"})
            return 1
        await asyncio.sleep(0.1)
    expected_videos = args.senders if args.last_n < 0 else min(args.senders, args.last_n)

    def video_frames() -> dict[str, int]:
        counts = {}
        for name in bridge.remote_sources:
            pump = media.frames(name)
            if pump is not None:
                counts[name] = pump.frames_received
        return counts

    while sum(1 for n in video_frames().values() if n > 0) < expected_videos:
        if time.monotonic() > deadline:
            _line({"error": "videos did not arrive", "frames": video_frames()})
            return 1
        await asyncio.sleep(0.2)
    await asyncio.sleep(args.warmup)
    cpu0, wall0, frames0 = time.process_time(), time.monotonic(), video_frames()
    await asyncio.sleep(args.seconds)
    cpu1, wall1, frames1 = time.process_time(), time.monotonic(), video_frames()
    receiving = sum(1 for name in frames1 if frames1[name] - frames0.get(name, 0) > 0)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    _line({"result": {
        "cpu_s_per_s": round((cpu1 - cpu0) / (wall1 - wall0), 3),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "video_fps_total": round(sum(frames1[n] - frames0.get(n, 0) for n in frames1)
                                 / (wall1 - wall0), 1),
        "videos_receiving": receiving,
        "forwarded": list(bridge.forwarded_sources or ()),
    }})
    await bridge.close()
    await media.close()
    return 0


# --- the room: bridge + replaying senders ---------------------------------------------------

def encode_clip(seconds: float = 2.0, fps: int = 30) -> list[list[bytes]]:
    """RTP payloads of each frame of a VP8 loop of the test pattern (keyframe every second)."""
    from aiortc.codecs.vpx import Vp8Encoder

    from client.media.synthetic import TestPatternTrack

    track = TestPatternTrack(640, 360, fps)
    encoder = Vp8Encoder()
    encoder.target_bitrate = 800_000
    clip = []
    for number in range(int(seconds * fps)):
        frame = track.make_frame(number)
        payloads, _ = encoder.encode(frame, force_keyframe=number % fps == 0)
        clip.append(payloads)
    return clip


def encode_tone(packets: int = 50) -> list[bytes]:
    from aiortc.codecs.opus import OpusEncoder

    from client.media.synthetic import ToneTrack

    track, encoder, out = ToneTrack(), OpusEncoder(), []
    pts = 0
    while len(out) < packets:
        frame = track.make_frame(pts)
        pts += frame.samples
        payloads, _ = encoder.encode(frame)
        out.extend(payloads)
    return out[:packets]


class Sender:
    def __init__(self, index: int) -> None:
        self.id = f"s{index:02d}bench"
        self.video_ssrc = random.randint(1, 2**31)
        self.audio_ssrc = random.randint(1, 2**31)
        self.video_seq = random.randint(0, 65535)
        self.audio_seq = random.randint(0, 65535)
        self.video_ts = random.randint(0, 2**31)
        self.audio_ts = random.randint(0, 2**31)

    def video_packets(self, payloads: list[bytes]) -> list[bytes]:
        self.video_ts = (self.video_ts + 3000) & 0xFFFFFFFF
        out = []
        for index, payload in enumerate(payloads):
            marker = 0x80 if index == len(payloads) - 1 else 0
            self.video_seq = (self.video_seq + 1) & 0xFFFF
            out.append(struct.pack("!BBHII", 0x80, marker | VIDEO_PT, self.video_seq, self.video_ts,
                                   self.video_ssrc) + payload)
        return out

    def audio_packet(self, payload: bytes) -> bytes:
        self.audio_ts = (self.audio_ts + 960) & 0xFFFFFFFF
        self.audio_seq = (self.audio_seq + 1) & 0xFFFF
        return struct.pack("!BBHII", 0x80, AUDIO_PT, self.audio_seq, self.audio_ts,
                           self.audio_ssrc) + payload


async def measure(senders_n: int, last_n: int, args: argparse.Namespace,
                  clip: list[list[bytes]], tone: list[bytes]) -> dict:
    from client.jitsi.description import Parameter, Source, description_to_elements
    from client.jitsi.jingle import parse_jingle_iq
    from client.jitsi.ns import NS_JINGLE
    from client.jitsi.stanza import el, parse_xml, serialize_stanza, sub
    from tests.rig.bridge.bridge import Bridge, BridgeSource
    from tests.rig.bridge.colibri_ws import ColibriWebSocketServer
    from tests.rig.bridge.jicofo import EndpointSources, bridge_offer, feedback_sources

    bridge = Bridge()
    colibri = ColibriWebSocketServer(bridge, public_host="127.0.0.1")
    await colibri.start()
    senders = [Sender(i) for i in range(senders_n)]
    endpoints = []
    remote = []
    for sender in senders:
        await bridge.allocate(CONF, sender.id)      # an endpoint that never connects: replays
        bridge.add_sources(CONF, sender.id, [
            BridgeSource(sender.video_ssrc, "video", f"{sender.id}-v0", sender.id),
            BridgeSource(sender.audio_ssrc, "audio", f"{sender.id}-a0", sender.id)])
        endpoints.append(bridge.endpoint(CONF, sender.id))
        remote.append(EndpointSources(
            audio=[Source(sender.audio_ssrc, f"{sender.id}-a0", owner=sender.id,
                          parameters=(Parameter("msid", f"{sender.id}-audio-0 a{sender.id}"),))],
            video=[Source(sender.video_ssrc, f"{sender.id}-v0", "camera", sender.id,
                          parameters=(Parameter("msid", f"{sender.id}-video-0 v{sender.id}"),))]))
    offer = await bridge.allocate(CONF, OUR_ID)
    description = bridge_offer(offer, [feedback_sources(*bridge.feedback_ssrcs(CONF))] + remote)
    iq = el("iq", {"type": "set", "id": "si1", "from": f"{ROOM}/focus", "to": str(OUR_ID)})
    jingle = sub(iq, f"{{{NS_JINGLE}}}jingle", {"action": "session-initiate", "sid": "benchsid",
                                                "initiator": "focus@auth.meet.localhost/focus"})
    jingle.extend(description_to_elements(description))

    child = await asyncio.create_subprocess_exec(
        sys.executable, str(Path(__file__).resolve()), "--child", "--senders", str(senders_n),
        "--last-n", str(last_n), "--seconds", str(args.seconds), "--warmup", str(args.warmup),
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, cwd=ROOT)
    running = True

    async def replay_video() -> None:
        frame = 0
        start = time.monotonic()
        while running:
            payloads = clip[frame % len(clip)]
            for sender, endpoint in zip(senders, endpoints):
                for packet in sender.video_packets(payloads):
                    await bridge._on_rtp(endpoint, packet)
            frame += 1
            await asyncio.sleep(max(0.0, start + frame / 30 - time.monotonic()))

    async def replay_audio() -> None:
        number = 0
        start = time.monotonic()
        while running:
            for sender, endpoint in zip(senders, endpoints):
                await bridge._on_rtp(endpoint, sender.audio_packet(tone[number % len(tone)]))
            number += 1
            await asyncio.sleep(max(0.0, start + number * 0.02 - time.monotonic()))

    tasks = [asyncio.ensure_future(replay_video()), asyncio.ensure_future(replay_audio())]
    result: dict = {}
    try:
        assert child.stdin is not None and child.stdout is not None
        child.stdin.write((json.dumps({"iq": serialize_stanza(iq)}) + "\n").encode())
        await child.stdin.drain()
        while True:
            line = await asyncio.wait_for(child.stdout.readline(), 120)
            if not line:
                break
            message = json.loads(line)
            if "iq" in message:
                accept = parse_xml(message["iq"])
                accept.set("from", f"{ROOM}/{OUR_ID}")
                request = parse_jingle_iq(accept)
                transport = next(c.transport for c in request.description.contents if c.transport)
                bridge.connect(CONF, OUR_ID, ufrag=transport.ufrag, pwd=transport.pwd,
                               fingerprints=[(f.hash, f.value) for f in transport.fingerprints],
                               setup=transport.fingerprints[0].setup,
                               candidates=transport.candidates)
            elif "result" in message or "error" in message:
                result = message
                break
    finally:
        running = False
        for task in tasks:
            task.cancel()
        if child.returncode is None:
            try:
                await asyncio.wait_for(child.wait(), 20)
            except TimeoutError:
                child.kill()
                await child.wait()
        await bridge.close()
        await colibri.stop()
    return result


async def room_main(args: argparse.Namespace) -> int:
    clip = encode_clip()
    tone = encode_tone()
    print(f"clip: {len(clip)} frames, {sum(len(b''.join(f)) for f in clip) * 8 / 2 / 1000:.0f} kbit/s "
          f"per sender; machine load {os.getloadavg()[0]:.1f}", flush=True)
    rows = []
    for senders_n in args.sizes:
        for last_n in (-1, args.last_n):
            result = await measure(senders_n, last_n, args, clip, tone)
            label = "all" if last_n < 0 else str(last_n)
            print(f"N={senders_n:2d} last-N={label:>3}: {json.dumps(result)}", flush=True)
            rows.append((senders_n, label, result.get("result"), result.get("error")))
    print("\n| N senders | last-N | CPU s/s | peak RSS MB | videos received | decoded fps (total) |")
    print("|---|---|---|---|---|---|")
    for senders_n, label, result, error in rows:
        if result is None:
            print(f"| {senders_n} | {label} | failed: {error} | | | |")
            continue
        print(f"| {senders_n} | {label} | {result['cpu_s_per_s']:.2f} | {result['peak_rss_mb']:.0f} | "
              f"{result['videos_receiving']} | {result['video_fps_total']:.0f} |")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[4, 9, 16])
    parser.add_argument("--last-n", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=4.0)
    parser.add_argument("--senders", type=int, default=4, help=argparse.SUPPRESS)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return asyncio.run(child_main(args))
    from tests.netns import enter_private_network

    enter_private_network()
    return asyncio.run(room_main(args))


if __name__ == "__main__":
    sys.exit(main())
