"""Recent rooms: server + room + time, on this computer only.

Never a password and never a token: an entry is built from the address's
server, tenant and room alone.  At most 30 entries, newest first; the same room
joined again moves to the top.  Entries can be removed one by one or all at
once, and switching "remember recent rooms" off forgets them all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from client.errors import AddressError
from client.meeting.address import MeetingAddress, build_link, parse_link
from client.meeting.roomname import backend_room_name

if TYPE_CHECKING:
    from client.settings.store import SettingsStore

MAX_RECENT_ROOMS = 30
KEY = "privacy.recent_rooms"
KEEP_KEY = "privacy.keep_recent_rooms"


@dataclass(frozen=True)
class RecentRoom:
    server: str            # origin, e.g. https://konferenz.bretten.de
    tenant: str | None
    room: str              # as people write it
    joined_at: str         # ISO 8601, UTC

    @property
    def link(self) -> str:
        return build_link(self.server, self.tenant, self.room)

    @property
    def identity(self) -> tuple[str, str, str]:
        """Two entries for the same backend room on the same server are one entry."""
        return (self.server, (self.tenant or "").lower(), backend_room_name(self.room))

    def address(self) -> MeetingAddress:
        """The meeting address again (AddressError if the entry no longer parses)."""
        return parse_link(self.link)

    def to_json(self) -> dict[str, Any]:
        return {"server": self.server, "tenant": self.tenant, "room": self.room,
                "joined_at": self.joined_at}

    @classmethod
    def from_json(cls, raw: Any) -> RecentRoom | None:
        if not isinstance(raw, dict):
            return None
        server, tenant, room, when = (raw.get("server"), raw.get("tenant"), raw.get("room"),
                                      raw.get("joined_at"))
        if not (isinstance(server, str) and isinstance(room, str) and room
                and isinstance(when, str) and (tenant is None or isinstance(tenant, str))):
            return None
        try:
            datetime.fromisoformat(when)
            entry = cls(server, tenant or None, room, when)
            address = entry.address()
        except (ValueError, AddressError):
            return None
        if address.server != server:
            return None
        return entry


def _now_iso(when: datetime | None) -> str:
    moment = (when or datetime.now(timezone.utc)).astimezone(timezone.utc)
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


class RecentRooms:
    """The recent-room list inside a settings store (call ``store.save()`` afterwards)."""

    def __init__(self, store: SettingsStore) -> None:
        self._store = store

    @property
    def keeping(self) -> bool:
        return bool(self._store.get(KEEP_KEY))

    def entries(self) -> tuple[RecentRoom, ...]:
        if not self.keeping:
            return ()
        rooms: tuple[RecentRoom, ...] = self._store.get(KEY)
        return rooms

    def add(self, address: MeetingAddress, when: datetime | None = None) -> RecentRoom | None:
        """Remember that ``address`` was joined; nothing happens while keeping is off."""
        if not self.keeping:
            return None
        entry = RecentRoom(address.server, address.tenant, address.room, _now_iso(when))
        others = [r for r in self.entries() if r.identity != entry.identity]
        self._store.set(KEY, tuple([entry] + others)[:MAX_RECENT_ROOMS])
        return entry

    def remove(self, entry: RecentRoom) -> bool:
        rooms = self.entries()
        kept = tuple(r for r in rooms if r.identity != entry.identity)
        if len(kept) == len(rooms):
            return False
        self._store.set(KEY, kept)
        return True

    def clear(self) -> None:
        self._store.set(KEY, ())

    def set_keeping(self, enabled: bool) -> None:
        """Switch remembering on or off; off forgets every entry at once."""
        self._store.set(KEEP_KEY, enabled)
        if not enabled:
            self.clear()
