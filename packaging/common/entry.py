"""Entry point of the frozen Treffpunkt app (PyInstaller), on every platform.

It only adapts the frozen interpreter to what the code expects of a normal one,
then hands over to ``client.__main__.main``.
"""

from __future__ import annotations

import multiprocessing
import runpy
import sys

# Interpreter options a helper-process command line may carry; a frozen app has
# no separate interpreter and already ignores PYTHON* variables and user site.
_INTERPRETER_FLAGS = {"-I", "-E", "-s", "-S", "-B", "-u"}


def _run_as_interpreter(argv: list[str]) -> bool:
    """Behave like ``python [-I …] -c CODE …`` / ``python -m client.x …``.

    The code starts helper processes as ``[sys.executable, "-I", "-c", CODE, …]``
    (the config.js sandbox in client/jitsi/configjs.py).  In a frozen app
    ``sys.executable`` is this program, so it has to understand that form.
    Returns False when ``argv`` is an ordinary Treffpunkt command line.
    """
    rest = list(argv)
    while rest and rest[0] in _INTERPRETER_FLAGS:
        rest.pop(0)
    if len(rest) >= 2 and rest[0] == "-c":
        sys.argv = ["-c", *rest[2:]]
        code = compile(rest[1], "<string>", "exec")
        exec(code, {"__name__": "__main__", "__builtins__": __builtins__})  # noqa: S102
        return True
    if len(rest) >= 2 and rest[0] == "-m" and rest[1].startswith("client."):
        sys.argv = [rest[1], *rest[2:]]
        runpy.run_module(rest[1], run_name="__main__", alter_sys=True)
        return True
    return False


if __name__ == "__main__":
    # A child process started through multiprocessing re-enters here first.
    multiprocessing.freeze_support()
    if sys.argv[1:] == ["--bundle-self-check"]:
        import bundle_check

        sys.exit(bundle_check.run())
    if not _run_as_interpreter(sys.argv[1:]):
        import gui_probe
        from client.__main__ import main

        gui_probe.install_if_asked()  # only with TREFFPUNKT_GUI_PROBE set (tests, bench)

        sys.exit(main())
