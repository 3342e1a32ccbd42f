"""`treffpunkt check`: reserved; filled in by its issue."""

from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("rest", nargs=argparse.REMAINDER)


def run(args: argparse.Namespace) -> int:
    print("treffpunkt check: not available yet", file=sys.stderr)
    return 2
