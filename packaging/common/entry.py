"""Entry point of the frozen Treffpunkt app (PyInstaller), on every platform.

It only adapts the frozen interpreter to what the code expects of a normal one,
then hands over to ``client.__main__.main``.
"""

from __future__ import annotations

import multiprocessing
import sys

# Helper processes (the config.js sandbox) re-enter the app through a hidden flag
# that client.__main__ handles (client/jitsi/configjs.py: child_command); the
# frozen app deliberately does not emulate `python -c`.


if __name__ == "__main__":
    # A child process started through multiprocessing re-enters here first.
    multiprocessing.freeze_support()
    if sys.argv[1:] == ["--bundle-self-check"]:
        import bundle_check

        sys.exit(bundle_check.run())
    import gui_probe
    from client.__main__ import main

    gui_probe.install_if_asked()  # only with TREFFPUNKT_GUI_PROBE set (tests, bench)
    sys.exit(main())
