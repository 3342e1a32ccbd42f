"""Our Conference against the real Prosody and focus stand-in of the rig (no browser)."""

from __future__ import annotations

import asyncio

import pytest

from client.jitsi.conference import Conference, JoinOptions
from client.jitsi.events import (ConferenceEnded, EndReason, Joined, Kicked, KnockerAdded,
                                 KnockerRemoved, Left, LobbyAdmitted, LobbyWaiting,
                                 ParticipantJoined, ParticipantLeft, PasswordRequested, RoleChanged)
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
    assert ended == ConferenceEnded(EndReason.LEFT)
    kinds = [e.kind for e in events]
    assert kinds[:2] == ["connected", "joined"] and kinds[-2:] == ["left", "conference-ended"]
    assert isinstance(events[-2], Left) and events[-2].room == room
    joined = events[1]
    assert len(joined.endpoint_id) == 8 and joined.display_name == "Erika"


class Log:
    """Events of one conference, waitable without sleeps."""

    def __init__(self) -> None:
        self.events: list = []
        self._changed = asyncio.Event()

    def __call__(self, event) -> None:
        self.events.append(event)
        self._changed.set()

    async def wait(self, kind, predicate=lambda e: True):
        async def poll():
            while True:
                for event in self.events:
                    if isinstance(event, kind) and predicate(event):
                        return event
                self._changed.clear()
                await self._changed.wait()
        return await asyncio.wait_for(poll(), 20)


def start(rig, room, name, **options):
    log = Log()
    conference = Conference(parse_link(f"{rig.base_url}/{room}"),
                            JoinOptions(display_name=name, trust=TrustSettings(rig.ca_file), **options),
                            on_event=log)
    return conference, log, asyncio.ensure_future(conference.run())


async def moderator_in(rig, room):
    conference, log, task = start(rig, room, "Moderatorin")
    joined = await log.wait(Joined)
    if not joined.is_moderator:
        await log.wait(RoleChanged, lambda e: e.is_moderator)
    return conference, log, task


def test_two_of_ours_lock_kick_and_lobby_on_real_prosody(rig, room):
    async def main():
        mod, mod_log, mod_task = await moderator_in(rig, room)

        # password: set by us, needed by the next one of us
        assert await mod.lock("sesam")
        guest, guest_log, guest_task = start(rig, room, "Gast")
        await guest_log.wait(PasswordRequested)
        guest.submit_password("sesam")
        joined = await guest_log.wait(Joined)
        await mod_log.wait(ParticipantJoined, lambda e: e.endpoint_id == joined.endpoint_id)

        # kick: the guest hears who did it
        assert await mod.kick(joined.endpoint_id)
        kicked = await guest_log.wait(Kicked)
        assert kicked.actor == mod.endpoint_id
        assert (await guest_task).reason is EndReason.KICKED
        left = await mod_log.wait(ParticipantLeft, lambda e: e.endpoint_id == joined.endpoint_id)
        assert left.kicked

        # lobby: the next one knocks and is let in by our moderator
        assert await mod.lock(None)
        assert await mod.set_lobby(True)
        knocker, knock_log, knock_task = start(rig, room, "Klopfer")
        await knock_log.wait(LobbyWaiting)
        added = await mod_log.wait(KnockerAdded)
        assert added.display_name == "Klopfer"
        assert await mod.admit(added.knocker_id)
        await knock_log.wait(LobbyAdmitted)
        inside = await knock_log.wait(Joined)
        await mod_log.wait(ParticipantJoined, lambda e: e.endpoint_id == inside.endpoint_id)
        await mod_log.wait(KnockerRemoved)

        await knocker.leave()
        await mod.leave()
        return await knock_task, await mod_task
    knock_end, mod_end = asyncio.run(asyncio.wait_for(main(), 60))
    assert knock_end.reason is EndReason.LEFT and mod_end.reason is EndReason.LEFT
