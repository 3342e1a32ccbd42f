"""`treffpunkt resolve INPUT [--server URL] [--lang de|en]`: which server and room a text leads to.

Prints the resolved address as JSON and exits 0; on a rejection prints the
translated message to stderr and ``{"error": kind, "message": …}`` to stdout and
exits 2.  Nothing touches the network.  Bare room names go to ``--server``, else
to the saved default server, else to the admin's preset — never to a public
server.  The token itself is never printed, only whether there is one.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from client.errors import TreffpunktError
from client.i18n import _, system_language
from client.meeting.address import MeetingAddress, parse_link
from client.meeting.roomname import assess_room_name
from client.settings.store import SettingsStore, apply_command_line_server

EXIT_REJECTED = 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("input", nargs="+", metavar="INPUT",
                        help="room name, meeting link or pasted invitation text ('-' reads stdin)")
    parser.add_argument("--server", metavar="DEFAULT_URL",
                        help="default server for bare room names (this run only)")
    parser.add_argument("--lang", choices=("de", "en"),
                        help="language of messages (default: the settings, else the system)")


def describe(address: MeetingAddress, language: str) -> dict[str, Any]:
    """The JSON shape of an address (no token, only whether there is one)."""
    check = assess_room_name(address.room)
    lower = address.room.lower()
    return {
        "server": address.server,
        "host": address.host,
        "display_host": address.display_host,
        "port": address.port,
        "tenant": address.tenant,
        "room": address.room,
        "backend_room": address.backend_room,
        "jwt_present": address.jwt is not None,
        "config_overrides": address.config_overrides,
        "honoured_config_overrides": address.honoured_config_overrides(),
        "user_info": address.user_info,
        "link": address.link,
        "upgraded_from_http": address.upgraded_from_http,
        "guard": address.guard.value,
        "known_server": ({"town": address.known_server.town,
                          "service": address.known_server.service}
                         if address.known_server else None),
        "lookalike_of": address.lookalike_of.host if address.lookalike_of else None,
        "room_guessable": check.guessable,
        "room_notes": [_(text, language).format(room=address.room, lower=lower)
                       for text in check.reasons + check.hints],
    }


def _print_json(data: dict[str, Any]) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def run(args: argparse.Namespace) -> int:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(  # type: ignore[union-attr]
                encoding="utf-8", errors="backslashreplace")
        except (AttributeError, ValueError):
            pass
    store = SettingsStore.open(set_aside=False)     # a query changes no files
    setting = store.get("ui.language")
    language = args.lang or (system_language() if setting == "system" else setting)
    for note in store.messages:
        print(f"treffpunkt: {note.text(language)}", file=sys.stderr)
    text = sys.stdin.read() if args.input == ["-"] else " ".join(args.input)
    try:
        locked = apply_command_line_server(store, args.server)
        if locked is not None:
            print(f"treffpunkt: {locked.text(language)}", file=sys.stderr)
        address = parse_link(text, store.get("server.default_url"))
    except TreffpunktError as error:
        message = error.user_message(language)
        print(f"treffpunkt: {message}", file=sys.stderr)
        _print_json({"error": error.kind, "message": message})
        return EXIT_REJECTED
    _print_json(describe(address, language))
    return 0
