"""`treffpunkt` / `python -m client`: the GUI, or a command-line subcommand.

Early checks happen here, before Qt is imported: faulthandler, and a refusal of
PySide6 versions known to crash (6.12.0 on Python 3.11, see pyproject.toml).
"""

from __future__ import annotations

import faulthandler
import sys

SUBCOMMANDS = ("resolve", "check", "join")


def _pyside_version_problem() -> str | None:
    from importlib import metadata

    for dist in ("PySide6-Essentials", "PySide6"):
        try:
            version = metadata.version(dist)
        except metadata.PackageNotFoundError:
            continue
        parts = tuple(int(p) for p in version.split(".")[:2] if p.isdigit())
        if parts >= (6, 12) and sys.version_info < (3, 12):
            return (f"{dist} {version} crashes on Python {sys.version_info.major}."
                    f"{sys.version_info.minor} (none_dealloc); install 6.11.x.")
        return None
    return "PySide6 is not installed."


def main(argv: list[str] | None = None) -> int:
    if sys.stderr is not None:
        faulthandler.enable()
    from client import compat

    compat.apply()      # before any thread runs (media threads log tracebacks)
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "--internal-configjs-sandbox":
        # config.js evaluation child (see client/jitsi/configjs.py): nothing else loads.
        from client.jitsi.configjs import run_child_program

        return run_child_program(args[1:])
    if args and args[0] in ("--version", "-V"):
        from client import __version__

        print(f"treffpunkt {__version__}")
        return 0
    if args and args[0] in SUBCOMMANDS:
        from client.cli import run_subcommand

        return run_subcommand(args)
    problem = _pyside_version_problem()
    if problem:
        print(f"treffpunkt: {problem}", file=sys.stderr)
        return 3
    from client.ui.app import run_gui

    return run_gui(args)


if __name__ == "__main__":
    sys.exit(main())
