"""Command-line face of Treffpunkt; no Qt here.

Each subcommand lives in its own module with ``add_arguments(parser)`` and
``run(args) -> int`` so that they can grow independently.
"""

from __future__ import annotations

import argparse
import importlib

from client import __version__

_SUBCOMMANDS = {
    "resolve": "show which server and room a link or room name leads to (JSON)",
    "check": "check a Jitsi server: discovery report for residents and admins",
    "join": "join a room without a window and print events as JSON lines",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="treffpunkt", description="Treffpunkt video meetings")
    parser.add_argument("--version", action="version", version=f"treffpunkt {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, help_text in _SUBCOMMANDS.items():
        module = importlib.import_module(f"client.cli.{name}")
        sub_parser = sub.add_parser(name, help=help_text, description=help_text)
        module.add_arguments(sub_parser)
        sub_parser.set_defaults(_module=module)
    return parser


def run_subcommand(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    return int(args._module.run(args))
