"""Recent rooms: local, capped at 30, removable, never with secrets."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from client.meeting.address import parse_link
from client.settings.preset import AdminPreset
from client.settings.recents import MAX_RECENT_ROOMS, RecentRooms
from client.settings.store import MSG_BAD_ENTRIES, SettingsStore

T0 = datetime(2026, 8, 21, 10, 0, tzinfo=timezone.utc)


def open_recents(tmp_path, admin=AdminPreset()):
    store = SettingsStore.open(tmp_path, admin=admin)
    return store, RecentRooms(store)


def test_joined_rooms_are_listed_newest_first_and_survive_a_restart(tmp_path):
    store, recents = open_recents(tmp_path)
    recents.add(parse_link("https://konferenz.bretten.de/Elternabend"), T0)
    recents.add(parse_link("https://videokonferenz.rastatt.de/schule/Klasse4b"),
                T0 + timedelta(hours=1))
    store.save()
    _store, again = open_recents(tmp_path)
    entries = again.entries()
    assert [(e.server, e.tenant, e.room, e.joined_at) for e in entries] == [
        ("https://videokonferenz.rastatt.de", "schule", "Klasse4b", "2026-08-21T11:00:00Z"),
        ("https://konferenz.bretten.de", None, "Elternabend", "2026-08-21T10:00:00Z")]
    assert entries[0].link == "https://videokonferenz.rastatt.de/schule/Klasse4b"
    assert entries[1].address().backend_room == "elternabend"


def test_the_same_room_again_moves_to_the_top_instead_of_doubling(tmp_path):
    _store, recents = open_recents(tmp_path)
    recents.add(parse_link("https://konferenz.bretten.de/Elternabend"), T0)
    recents.add(parse_link("https://konferenz.bretten.de/Chor"), T0 + timedelta(minutes=1))
    recents.add(parse_link("konferenz.bretten.de/ELTERNABEND"), T0 + timedelta(minutes=2))
    assert [e.room for e in recents.entries()] == ["ELTERNABEND", "Chor"]


def test_the_list_is_capped_at_thirty(tmp_path):
    _store, recents = open_recents(tmp_path)
    for i in range(MAX_RECENT_ROOMS + 5):
        recents.add(parse_link(f"https://konferenz.bretten.de/Raum{i}"), T0 + timedelta(minutes=i))
    entries = recents.entries()
    assert len(entries) == MAX_RECENT_ROOMS == 30
    assert entries[0].room == "Raum34" and entries[-1].room == "Raum5"


def test_one_or_all_entries_can_be_removed(tmp_path):
    store, recents = open_recents(tmp_path)
    for name in ("A-Raum", "B-Raum", "C-Raum"):
        recents.add(parse_link(f"https://konferenz.bretten.de/{name}"), T0)
    middle = recents.entries()[1]
    assert recents.remove(middle) and not recents.remove(middle)
    assert [e.room for e in recents.entries()] == ["C-Raum", "A-Raum"]
    recents.clear()
    store.save()
    assert open_recents(tmp_path)[1].entries() == ()


def test_switching_remembering_off_forgets_everything(tmp_path):
    store, recents = open_recents(tmp_path)
    recents.add(parse_link("https://konferenz.bretten.de/Elternabend"), T0)
    recents.set_keeping(False)
    assert recents.add(parse_link("https://konferenz.bretten.de/Chor"), T0) is None
    store.save()
    data = json.loads(store.path.read_text())["settings"]
    assert data["privacy.recent_rooms"] == [] and data["privacy.keep_recent_rooms"] is False


def test_no_password_or_token_is_ever_written(tmp_path):
    store, recents = open_recents(tmp_path)
    recents.add(parse_link("https://meet.example.org/Raum?jwt=eyJ0b2tlbiI6InNlY3JldCJ9.x.y"
                           "#config.startWithAudioMuted=true"), T0)
    store.save()
    text = store.path.read_text()
    assert "eyJ0b2tlbiI6InNlY3JldCJ9" not in text and "jwt" not in text
    assert set(json.loads(text)["settings"]["privacy.recent_rooms"][0]) == {
        "server", "tenant", "room", "joined_at"}


def test_unreadable_entries_are_left_out_with_a_message(tmp_path):
    (tmp_path / "settings.json").write_text(json.dumps({"settings": {"privacy.recent_rooms": [
        {"server": "https://konferenz.bretten.de", "tenant": None, "room": "Chor",
         "joined_at": "2026-08-21T10:00:00Z"},
        {"server": "https://konferenz.bretten.de", "room": "Kaputt", "joined_at": "gestern"},
        "nonsense"]}}))
    store, recents = open_recents(tmp_path)
    assert [e.room for e in recents.entries()] == ["Chor"]
    [message] = store.messages
    assert message.template == MSG_BAD_ENTRIES
    assert message.text("de").startswith("2 Einträge")


def test_admin_can_switch_remembering_off(tmp_path):
    store, recents = open_recents(tmp_path, AdminPreset(
        defaults={"privacy.keep_recent_rooms": False},
        locked=frozenset({"privacy.keep_recent_rooms"})))
    assert recents.add(parse_link("https://konferenz.bretten.de/Chor"), T0) is None
    assert recents.entries() == ()
