"""`treffpunkt join LINK --name NAME …`: join a room without a window.

Prints one line per conference event (``--json``: one JSON object per line, see
``client.jitsi.events.event_to_dict``), answers the prompts it can from the command
line (password, host login) and gives up on the others, and leaves cleanly after
``--duration`` seconds (counted from the start) or on SIGINT/SIGTERM.

Exit status: 0 when we left on our own terms, 1 when the meeting ended for another
reason or we never got in (the last line names the error ``kind``), 2 for a link or
usage problem.

Media: a media layer plugs in through ``MEDIA_ATTACHMENTS`` (see ``MediaAttachment``):
it adds its options (``--test-media`` …), says which capabilities to advertise and
attaches itself to the ``Conference`` before it runs.  Without one, or with
``--no-media``, the client joins for signalling only.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import logging
import signal
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Awaitable, Callable

from client.errors import TreffpunktError
from client.i18n import current_language

EXIT_OK, EXIT_ENDED, EXIT_USAGE = 0, 1, 2


@dataclass(frozen=True)
class MediaAttachment:
    """What a media layer plugs into ``treffpunkt join``.

    ``capabilities(args)`` returns the ``Capabilities`` to advertise (or None for
    signalling only); ``attach(conference, args)`` is awaited before ``run()`` and
    returns an async ``detach()`` called after the meeting ended (or None).
    """

    add_arguments: Callable[[argparse.ArgumentParser], None]
    capabilities: Callable[[argparse.Namespace], Any]
    attach: Callable[[Any, argparse.Namespace], Awaitable[Callable[[], Awaitable[None]] | None]]
    #: the video codecs we decode, for presence (jitsi_participant_codecList); None: default
    codecs: Callable[[argparse.Namespace], tuple[str, ...]] | None = None


#: filled by the media layer (a module listed in _MEDIA_MODULES appends to it on import)
MEDIA_ATTACHMENTS: list[MediaAttachment] = []
_MEDIA_MODULES = ("client.media.cli",)


def _load_media_attachments() -> None:
    for name in _MEDIA_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("link", help="meeting link or room name")
    parser.add_argument("--name", help="display name shown to others")
    parser.add_argument("--email", help="e-mail shown to lobby moderators")
    parser.add_argument("--password", help="room password, if the room is locked")
    parser.add_argument("--host-user", help="log in as host with this user name (secure domains)")
    parser.add_argument("--host-password", help="the host's password")
    parser.add_argument("--server", help="default server for a bare room name")
    parser.add_argument("--ca-file", type=Path, help="also trust this CA certificate (PEM)")
    parser.add_argument("--no-media", action="store_true", help="signalling only, no audio/video")
    parser.add_argument("--duration", type=float, default=None,
                        help="leave after this many seconds (default: until Ctrl+C)")
    parser.add_argument("--json", action="store_true", help="print events as JSON lines")
    parser.add_argument("--lang", choices=("de", "en"), help="language of messages (not JSON)")
    parser.add_argument("--verbose", "-v", action="store_true", help="log details to stderr")
    _load_media_attachments()
    for attachment in MEDIA_ATTACHMENTS:
        attachment.add_arguments(parser)


def run(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING,
                        stream=sys.stderr, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    try:
        return asyncio.run(_join(args))
    except KeyboardInterrupt:     # a second Ctrl+C while leaving
        return EXIT_ENDED


class _Printer:
    def __init__(self, as_json: bool, language: str) -> None:
        self.as_json = as_json
        self.language = language

    def event(self, event: Any) -> None:
        from client.jitsi.events import event_to_dict

        data = event_to_dict(event)
        if self.as_json:
            self._line(json.dumps(data, ensure_ascii=False, sort_keys=False))
            return
        details = []
        for key, value in data.items():
            if key == "event" or value in (None, False, "", [], {}):
                continue
            if isinstance(value, dict) and "kind" in value and "message" in value:
                error = getattr(event, key, None)
                value = error.user_message(self.language) if isinstance(error, TreffpunktError) \
                    else value["message"]
            details.append(f"{key}={value}")
        self._line(f"{data['event']}: " + ", ".join(details) if details else data["event"])

    def error(self, error: TreffpunktError) -> None:
        if self.as_json:
            self._line(json.dumps({"event": "error", "kind": error.kind, "message": str(error)},
                                  ensure_ascii=False))
        else:
            print(f"treffpunkt join: {error.user_message(self.language)}", file=sys.stderr)

    @staticmethod
    def _line(text: str) -> None:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()


async def _join(args: argparse.Namespace) -> int:
    from client.jitsi.conference import Conference, JoinOptions
    from client.jitsi.disco import Capabilities
    from client.jitsi.events import (ConferenceEnded, DisplayNameRequired, EndReason,
                                     HostLoginRequested, PasswordRequested)
    from client.jitsi.sasl import Credentials
    from client.meeting.address import parse_link
    from client.net import TrustSettings

    printer = _Printer(args.json, args.lang or current_language())
    try:
        address = parse_link(args.link, args.server)
    except TreffpunktError as exc:
        printer.error(exc)
        return EXIT_USAGE
    if bool(args.host_user) != bool(args.host_password):
        print("treffpunkt join: --host-user and --host-password go together", file=sys.stderr)
        return EXIT_USAGE
    host = Credentials(args.host_user, args.host_password) if args.host_user else None

    media = [] if args.no_media else list(MEDIA_ATTACHMENTS)
    capabilities = None
    codecs: dict[str, tuple[str, ...]] = {}
    for attachment in media:
        capabilities = attachment.capabilities(args) or capabilities
        if attachment.codecs is not None:
            codecs["codecs"] = attachment.codecs(args)
    name = args.name or (address.user_info or {}).get("displayName")
    # a host logs in right away: their own (authenticated) connection opens the room
    options = JoinOptions(display_name=name, password=args.password, email=args.email,
                          credentials=host, trust=TrustSettings(extra_ca_file=args.ca_file),
                          decline_jingle=not media, **codecs)
    conference = Conference(address, options,
                            capabilities=capabilities or Capabilities.signaling_only())
    password_used = bool(args.password)

    def on_event(event: Any) -> None:
        nonlocal password_used
        printer.event(event)
        # answer the prompts we can from the command line; give up on the others
        if isinstance(event, PasswordRequested):
            if args.password and not password_used:
                password_used = True
                conference.submit_password(args.password)
            else:
                conference.cancel()
        elif isinstance(event, (HostLoginRequested, DisplayNameRequired)):
            conference.cancel()
        # WaitingForHost: keep waiting (until --duration or a signal)

    conference.on_event = on_event

    detachers = []
    for attachment in media:
        detach = await attachment.attach(conference, args)
        if detach is not None:
            detachers.append(detach)

    loop = asyncio.get_running_loop()
    stopping: list[asyncio.Task[None]] = []

    def stop() -> None:
        if not stopping:
            stopping.append(loop.create_task(conference.leave()))

    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop)
        except (NotImplementedError, RuntimeError):   # not on this platform / thread
            pass
    timer = loop.call_later(args.duration, stop) if args.duration is not None else None
    try:
        ended: ConferenceEnded = await conference.run()
    finally:
        if timer is not None:
            timer.cancel()
        for detach in detachers:
            await detach()
        for task in stopping:
            await task
    return EXIT_OK if ended.reason is EndReason.LEFT else EXIT_ENDED
