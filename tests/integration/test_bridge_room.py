"""Issue 6's must-shows on the rig: a mixed room through the test bridge, and last-N.

Participants: our client (``BridgeParticipant``), lib-jitsi-meet 2021 in Chromium
(``browser``) and headless synthetic participants — the real ``treffpunkt join
--test-media`` command (``SyntheticParticipant``).  P2P is off everywhere.
"""

from __future__ import annotations

import contextlib
import time

import pytest

from client.jitsi.events import (
    DominantSpeakerChanged,
    FirstFrame,
    ForwardedSourcesChanged,
    Joined,
    RemoteTrackRemoved,
)
from client.media.audio_io import ClockedAudioIO
from client.media.capture import CameraSettings
from client.media.local import MediaOptions
from tests.integration.bridge_participant import BridgeParticipant, SyntheticParticipant

pytestmark = [pytest.mark.rig, pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def ours(rig, bridge_room):  # noqa: ANN001, ANN201
    made: list[BridgeParticipant] = []

    def make(name: str = "Treffpunkt", *, muted: bool = False, **kwargs) -> BridgeParticipant:  # noqa: ANN003
        # 320x180 at 15 fps: several encoders share two cores with the browsers and the bridge
        options = MediaOptions(test_media=True, audio_io=ClockedAudioIO(), start_audio_muted=muted,
                               camera_settings=CameraSettings(320, 180, 15))
        participant = BridgeParticipant(rig, bridge_room, display_name=name, options=options,
                                        p2p=False, **kwargs).start()
        made.append(participant)
        participant.wait_event(Joined)
        return participant

    try:
        yield make
    finally:
        for participant in reversed(made):
            participant.stop()


@pytest.fixture
def synthetic(rig, bridge_room, tmp_path):  # noqa: ANN001, ANN201
    made: list[SyntheticParticipant] = []

    def make(name: str, *flags: str) -> SyntheticParticipant:
        participant = SyntheticParticipant(rig, bridge_room, name, *flags, log_dir=tmp_path)
        made.append(participant)
        return participant

    try:
        yield make
    finally:
        for participant in made:
            participant.stop()


def poll(predicate, timeout: float = 20.0, what: str = "") -> None:  # noqa: ANN001
    """Wait for state that has no event of its own (the bridge's tables)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.1)


def first_frame(endpoint: str, media: str):  # noqa: ANN201
    return lambda line: (line.get("event") == "first-frame" and line.get("endpoint_id") == endpoint
                         and line.get("media") == media)


def removed(endpoint: str, media: str):  # noqa: ANN201
    return lambda line: (line.get("event") == "remote-track-removed"
                         and line.get("endpoint_id") == endpoint and line.get("media") == media)


def test_mixed_room_everyone_receives_everyone_then_one_leaves_and_a_sixth_joins(
        ours, browser, synthetic, bridge_room, rig_bridge):
    anna, bert = browser("anna"), browser("bert")
    anna.join(bridge_room, "Anna", p2p=False)
    bert.join(bridge_room, "Bert", p2p=False)
    sven, sara = synthetic("Sven"), synthetic("Sara")
    us = ours("Uwe")
    ids = {"anna": anna.id, "bert": bert.id, "sven": sven.endpoint_id, "sara": sara.endpoint_id,
           "us": us.endpoint_id}
    everyone = set(ids)

    def check_receives(who: str, senders: set[str], timeout: float = 60.0) -> None:
        for sender in senders - {who}:
            for media in ("audio", "video"):
                if who == "us":
                    us.wait_event(FirstFrame, lambda e, s=sender, m=media: e.endpoint_id == ids[s]
                                  and e.media == m, timeout=timeout)
                elif who in ("anna", "bert", "carl"):
                    peer = {"anna": anna, "bert": bert}.get(who) or carl
                    peer.wait_event("remote_track_added", lambda e, s=sender, m=media:
                                    e["id"] == ids[s] and e["kind"] == m, timeout=timeout)
                else:
                    participant = {"sven": sven, "sara": sara}[who]
                    participant.wait_for(first_frame(ids[sender], media), timeout,
                                         f"{media} of {sender}")

    carl = None
    with explained_on_timeout(rig_bridge, bridge_room, us, ids):
        for who in everyone:
            check_receives(who, everyone)
    # the browsers decode the videos they get
    for peer in (anna, bert):
        assert peer.wait_inbound_media(min_frames=20, timeout=40)["p2p"] is False
    # and the bridge forwards every other video to each of the five
    for who, endpoint in ids.items():
        assert sorted(rig_bridge.forwarded(bridge_room, endpoint)) == sorted(
            f"{ids[o]}-v0" for o in everyone - {who})

    # Bert leaves: his sources disappear everywhere (Jicofo sends no source-remove for that)
    mark = anna.mark()
    bert.leave()
    us.wait_event(RemoteTrackRemoved, lambda e: e.endpoint_id == ids["bert"] and e.media == "video")
    us.wait_event(RemoteTrackRemoved, lambda e: e.endpoint_id == ids["bert"] and e.media == "audio")
    anna.wait_event("remote_track_removed", lambda e: e["id"] == ids["bert"], after=mark)
    for participant in (sven, sara):
        participant.wait_for(removed(ids["bert"], "video"), 30, "bert's video removed")
        participant.wait_for(removed(ids["bert"], "audio"), 30, "bert's audio removed")
    # the focus expires Bert's endpoint when it sees him leave (the clients may see it first)
    poll(lambda: ids["bert"] not in rig_bridge.endpoints(bridge_room), what="Bert's endpoint expired")
    poll(lambda: all(f"{ids['bert']}-v0" not in rig_bridge.forwarded(bridge_room, ids[o])
                     for o in ("anna", "sven", "sara", "us")), what="nobody gets Bert's video")

    # a sixth participant joins and appears everywhere
    carl = browser("carl")
    carl.join(bridge_room, "Carl", p2p=False)
    ids["carl"] = carl.id
    present = {"anna", "sven", "sara", "us", "carl"}
    with explained_on_timeout(rig_bridge, bridge_room, us, ids):
        for who in present - {"carl"}:
            check_receives(who, {"carl"})
        check_receives("carl", present)
        carl.wait_inbound_media(min_frames=20, timeout=40)


@contextlib.contextmanager
def explained_on_timeout(rig_bridge, room: str, us: BridgeParticipant, ids: dict[str, str]):  # noqa: ANN001, ANN201
    """A timeout gets which hop lost the media: the bridge's counters and our receivers'."""
    try:
        yield
    except TimeoutError as exc:
        names = {endpoint: who for who, endpoint in ids.items()}
        lines = [str(exc), "bridge (per receiving endpoint):"]
        for endpoint, row in rig_bridge.report(room).items():
            lines.append(f"  {names.get(endpoint, endpoint)}: connected={row['connected']} "
                         f"forwarded={row['forwarded']} rtp_out={row['rtp_out']} pli_out={row['pli_out']}")
        lines.append("our receivers:")
        for row in us.media_report():
            lines.append(f"  {row}  keyframe requests: "
                         f"{us.run(lambda r=row: us.media.keyframe_recovery.requests(r['source'] or ''))}")
        raise TimeoutError("\n".join(lines)) from exc


def test_last_n_two_gives_two_videos_chosen_by_the_dominant_speaker(
        ours, browser, synthetic, bridge_room, rig_bridge):
    bert = browser("bert")                        # the one who talks first
    bert.join(bridge_room, "Bert", p2p=False)
    sven = synthetic("Sven", "--mute-mic")
    sven_id = sven.endpoint_id
    us = ours("Uwe", muted=True, last_n=2)
    # Tina (our client too, receiving no video) joins last and silent: last in the speaker order
    tina = ours("Tina", muted=True, last_n=0)
    ids = {"bert": bert.id, "sven": sven_id, "tina": tina.endpoint_id}
    videos = {who: f"{endpoint}-v0" for who, endpoint in ids.items()}

    us.wait_event(DominantSpeakerChanged, lambda e: e.endpoint_id == ids["bert"], timeout=30)
    # last-N 2 of three videos: the dominant speaker and the next in the speaker order
    us.wait_event(ForwardedSourcesChanged,
                  lambda e: set(e.source_names) == {videos["bert"], videos["sven"]}, timeout=30)
    assert set(rig_bridge.forwarded(bridge_room, us.endpoint_id)) == {videos["bert"], videos["sven"]}
    us.wait_until(lambda: all(us.media.frames(videos[w]) is not None for w in ("bert", "sven")),
                  timeout=30, what="Bert's and Sven's video")
    arriving = frames_in_window(us, videos, 3.0)
    assert arriving["bert"] > 0 and arriving["sven"] > 0 and arriving["tina"] == 0, arriving
    assert us.run(lambda: us.media.frames(videos["tina"]).frames_received) == 0   # never any

    # Tina starts talking, Bert stops: the dominant speaker and our two videos follow
    bert.mute_audio()
    tina.call(tina.media.set_muted("audio", False))
    us.wait_event(DominantSpeakerChanged, lambda e: e.endpoint_id == ids["tina"], timeout=30)
    us.wait_event(ForwardedSourcesChanged,
                  lambda e: set(e.source_names) == {videos["tina"], videos["bert"]}, timeout=30)
    us.wait_until(lambda: us.media.frames(videos["tina"]) is not None
                  and us.media.frames(videos["tina"]).frames_received > 0, timeout=30,
                  what="Tina's video once she is the speaker")
    arriving = frames_in_window(us, videos, 3.0)
    assert arriving["tina"] > 0 and arriving["bert"] > 0 and arriving["sven"] == 0, arriving


def frames_in_window(us: BridgeParticipant, videos: dict[str, str], seconds: float) -> dict[str, int]:
    """Frames decoded per remote participant within ``seconds`` (a rate: there is no event)."""
    def counts() -> dict[str, int]:
        result = {}
        for who, source in videos.items():
            pump = us.media.frames(source)
            result[who] = pump.frames_received if pump is not None else 0
        return result
    time.sleep(0.5)          # frames already queued before the window are not counted
    before = us.run(counts)
    time.sleep(seconds)
    after = us.run(counts)
    return {who: after[who] - before[who] for who in videos}
