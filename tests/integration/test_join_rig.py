"""Our Conference against the real Prosody of the rig (no browser): join, leave, prompts."""

from __future__ import annotations

import asyncio

import pytest

from client.jitsi.conference import Conference, JoinOptions
from client.jitsi.events import ConferenceEnded, EndReason, Joined, Left
from client.meeting.address import parse_link
from client.net import TrustSettings

pytestmark = pytest.mark.rig


def test_join_alone_and_leave(rig, room):
    async def main():
        events = []
        address = parse_link(f"{rig.base_url}/{room}")
        conference = Conference(address, JoinOptions(display_name="Erika",
                                                     trust=TrustSettings(rig.ca_file)),
                                on_event=events.append)
        task = asyncio.ensure_future(conference.run())
        while not any(isinstance(e, Joined) for e in events):
            await asyncio.sleep(0.05)
        await conference.leave()
        return await task, events
    ended, events = asyncio.run(asyncio.wait_for(main(), 30))
    print([e.kind for e in events])
    assert ended == ConferenceEnded(EndReason.LEFT)
