"""Keyframe recovery: the decision table, and the aiortc 1.16 behaviour it works around.

The media tests run two MediaSessions over the test namespace's loopback and lose
packets on purpose at the receiving DTLS transport: one video packet, and every
retransmission (RTX) of it, so NACK cannot repair the gap — what a lossy Wi-Fi or
an overloaded bridge does.
"""

from __future__ import annotations

import asyncio
import struct

from client.media.frames import FramePump
from client.media.recovery import (
    KeyframeRecovery,
    StallDetector,
    jitter_buffer_waits_at_gap,
    received_packets,
    request_keyframe,
    unblock_jitter_buffer,
)
from client.media.session import MediaSession
from client.media.synthetic import TestPatternTrack
from tests.unit.media.test_session import Recorder, connect, run
from tests.unit.media.waiting import wait_quiet, wait_until

# --- the decision ------------------------------------------------------------------------------


def feed(detector: StallDetector, samples: list[tuple[float, int, int]]) -> list[float]:
    """Times at which the detector asks for a keyframe."""
    return [now for now, packets, frames in samples if detector.observe(now, packets, frames)]


def test_a_decoding_stream_is_never_asked_for_a_keyframe():
    samples = [(t / 4, 10 * t, 2 * t) for t in range(40)]
    assert feed(StallDetector(), samples) == []


def test_a_quiet_sender_is_never_asked():
    # camera off or not forwarded: no packets, no frames, for ten seconds
    samples = [(t / 4, 100, 20) for t in range(40)]
    assert feed(StallDetector(), samples) == []


def test_packets_without_pictures_ask_after_a_second_then_at_most_once_a_second():
    samples = [(t / 4, 10 * t, 0) for t in range(1, 21)]        # 0.25 s … 5 s
    assert feed(StallDetector(first_request_after_s=1.0, repeat_every_s=1.0), samples) == [
        1.25, 2.25, 3.25, 4.25]


def test_a_picture_resets_the_wait_and_a_new_stall_waits_again():
    detector = StallDetector(first_request_after_s=1.0, repeat_every_s=1.0)
    samples = [(0.25, 10, 0), (0.5, 20, 0), (0.75, 30, 0), (1.0, 40, 0), (1.25, 50, 0),   # asks at 1.25
               (1.5, 60, 1), (1.75, 70, 2),                                             # pictures again
               (2.0, 80, 2), (2.25, 90, 2), (2.5, 100, 2), (2.75, 110, 2)]              # stuck from 1.75
    assert feed(detector, samples) == [1.25, 2.75]


def test_packets_that_resume_after_a_pause_get_a_fresh_second():
    detector = StallDetector(first_request_after_s=1.0)
    samples = [(0.25, 10, 5), (0.5, 10, 5), (3.0, 10, 5),       # quiet for seconds
               (3.25, 20, 5), (3.5, 30, 5), (3.75, 40, 5), (4.0, 50, 5)]
    # counted from the last look that saw no packets (3.0), not from the pause's start
    assert feed(detector, samples) == [4.0]


# --- aiortc 1.16 on the loopback ------------------------------------------------------------------

class Loss:
    """Drops chosen RTP packets at a DTLS transport, after SRTP (what the receiver sees)."""

    def __init__(self, dtls) -> None:  # noqa: ANN001
        self.dtls = dtls
        self.original = dtls._handle_rtp_data
        self.drop_next_of: int | None = None       # SSRC: drop its next packet
        self.drop_all_of: set[int] = set()         # SSRCs dropped entirely (RTX)
        self.dropped: list[tuple[int, int]] = []
        self._lost: set[tuple[int, int]] = set()   # and retransmissions of these, too
        dtls._handle_rtp_data = self._handle

    async def _handle(self, data: bytes, arrival_time_ms: int) -> None:
        seq, = struct.unpack_from("!H", data, 2)
        ssrc, = struct.unpack_from("!I", data, 8)
        if ssrc == self.drop_next_of:
            self._lost.add((ssrc, seq))
            self.drop_next_of = None
        if ssrc in self.drop_all_of or (ssrc, seq) in self._lost:
            self.dropped.append((ssrc, seq))
            return
        await self.original(data, arrival_time_ms)


class Pair:
    """A sends a 320x180 test pattern to B; B's receiver, pump and a Loss at B's transport."""

    def __init__(self, width: int = 320, height: int = 180, fps: float = 15) -> None:
        self.events = Recorder()
        self.a = MediaSession(endpoint_id="0aaa", video=TestPatternTrack(width, height, fps=fps))
        self.b = MediaSession(endpoint_id="zbbb", on_event=self.events)
        self.pump: FramePump | None = None
        self.pli_at_a = 0

    async def start(self) -> None:
        await connect(self.a, self.b, "0aaa", "zbbb")
        await wait_until(lambda: "connected" in self.events.states(), what="connected")
        remote = self.events.tracks()["0aaa-v0"]
        self.receiver = remote.receiver
        assert self.receiver is not None and self.receiver.track is remote.track
        self.pump = FramePump(remote.track, name="at b").start()
        await self.pump.wait_first_frame()
        self.loss = Loss(self.receiver.transport)
        sender = next(t.sender for t in self.a.peer_connection.getTransceivers()
                      if t.sender.track is not None and t.sender.track.kind == "video")
        self.media_ssrc, self.rtx_ssrc = sender._ssrc, sender._rtx_ssrc
        original = sender._handle_rtcp_packet

        async def count_pli(packet) -> None:  # noqa: ANN001
            if getattr(packet, "fmt", None) == 1 and getattr(packet, "media_ssrc", None) == self.media_ssrc:
                self.pli_at_a += 1
            await original(packet)
        sender._handle_rtcp_packet = count_pli

    def frames(self) -> int:
        return self.pump.frames_received if self.pump else 0

    def lose_one_packet_for_good(self) -> None:
        self.loss.drop_all_of.add(self.rtx_ssrc)
        self.loss.drop_next_of = self.media_ssrc

    def stuck_at_gap(self) -> bool:
        return jitter_buffer_waits_at_gap(self.receiver._RTCRtpReceiver__jitter_buffer)

    async def close(self) -> None:
        if self.pump is not None:
            await self.pump.stop()
        await self.a.close()
        await self.b.close()


def test_aiortc_freezes_on_one_unrepaired_packet_and_the_helpers_restart_the_picture():
    async def main():
        pair = Pair()
        try:
            await pair.start()
            assert received_packets(pair.receiver) > 0
            assert unblock_jitter_buffer(pair.receiver) is False     # healthy: left alone

            pair.lose_one_packet_for_good()
            await wait_until(lambda: pair.loss.dropped, what="the lost packet")
            # aiortc 1.16: nothing past the gap is decoded (until 128 packets later)
            await wait_until(pair.stuck_at_gap, what="the jitter buffer waiting at the gap")
            frozen = await wait_quiet(pair.frames, quiet_s=0.6)
            assert pair.stuck_at_gap(), "aiortc no longer waits at a gap: revisit recovery.py"
            pli_before = pair.pli_at_a

            assert unblock_jitter_buffer(pair.receiver) is True
            assert not pair.stuck_at_gap()
            assert await request_keyframe(pair.receiver) is True
            await wait_until(lambda: pair.pli_at_a > pli_before, what="the PLI at the sender")
            await wait_until(lambda: pair.frames() > frozen + 3, what="pictures again")
        finally:
            await pair.close()
    run(main())


def test_recovery_asks_for_a_keyframe_only_when_the_picture_is_stuck():
    async def main():
        pair = Pair()
        recovery = KeyframeRecovery(first_request_after_s=0.5, repeat_every_s=0.5)
        try:
            await pair.start()
            recovery.watch("0aaa-v0", pair.receiver, pair.frames)
            # a healthy stream for two seconds: never asked
            start = pair.frames()
            await wait_until(lambda: pair.frames() > start + 20, what="two seconds of pictures")
            assert recovery.requests("0aaa-v0") == 0

            pli_before = pair.pli_at_a
            pair.lose_one_packet_for_good()
            await wait_until(lambda: recovery.requests("0aaa-v0") >= 1, timeout=10,
                             what="a keyframe request")
            assert pair.pli_at_a > pli_before
            resumed_from = pair.frames()
            await wait_until(lambda: pair.frames() > resumed_from + 5, what="pictures again")
            recovery.unwatch("0aaa-v0")
            assert recovery.requests("0aaa-v0") == 0
        finally:
            await recovery.close()
            await pair.close()
    run(main())


def test_helpers_on_something_that_is_not_an_aiortc_receiver_do_nothing():
    class NotAReceiver:
        pass
    receiver = NotAReceiver()
    assert received_packets(receiver) == 0
    assert unblock_jitter_buffer(receiver) is False
    assert asyncio.run(request_keyframe(receiver)) is False


def test_a_gap_blocks_the_jitter_buffer_only_with_later_packets_behind_it():
    from aiortc.jitterbuffer import JitterBuffer
    from aiortc.rtp import RtpPacket

    def packet(seq: int, timestamp: int) -> RtpPacket:
        p = RtpPacket(payload_type=96, sequence_number=seq, timestamp=timestamp)
        p._data = b"x"
        return p

    buffer = JitterBuffer(capacity=128, is_video=True)
    assert not jitter_buffer_waits_at_gap(buffer)                  # empty
    buffer.add(packet(65534, 1000))
    buffer.add(packet(65535, 1000))
    assert not jitter_buffer_waits_at_gap(buffer)                  # a frame in progress
    buffer.add(packet(1, 2000))                                    # 0 is missing (wrapped)
    assert jitter_buffer_waits_at_gap(buffer)
    buffer.add(packet(0, 1000))                                    # it arrives late after all
    assert not jitter_buffer_waits_at_gap(buffer)


def test_retransmissions_and_padding_do_not_count_as_arriving_media():
    class Stream:
        def __init__(self, packets: int) -> None:
            self.packets_received = packets

    class ReceiverShape:          # the two aiortc 1.16 fields received_packets reads
        pass
    receiver = ReceiverShape()
    receiver._RTCRtpReceiver__remote_streams = {1111: Stream(10), 2222: Stream(500)}
    receiver._RTCRtpReceiver__rtx_ssrc = {2222: 1111}           # RTX ssrc → media ssrc
    assert received_packets(receiver) == 10
