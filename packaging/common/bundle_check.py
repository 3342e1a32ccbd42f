"""``treffpunkt --bundle-self-check``: does this frozen bundle carry what the app needs?

Imports every runtime dependency, touches its native part (FFmpeg codecs, SRTP,
QuickJS, PortAudio, Qt's platform plugins) and prints one JSON report.  Exit
status 0 when everything needed is there.  For the packaging tests and for an
admin who wants to know why a copied bundle does not start; it opens no window
and no network connection.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

# Qt platform plugins a desktop bundle must carry: X11, Wayland, and offscreen
# (headless self-tests and CI).
REQUIRED_QT_PLATFORMS = ("xcb", "wayland", "offscreen") if sys.platform.startswith("linux") else ()
# Codecs a Jitsi call negotiates (see jitsi-media.md): VP8 and H.264 video, Opus audio.
REQUIRED_CODECS = (("vp8", "w"), ("vp8", "r"), ("h264", "r"), ("opus", "w"), ("opus", "r"))


def _check_av() -> dict[str, Any]:
    import av

    missing = []
    for name, mode in REQUIRED_CODECS:
        try:
            av.codec.Codec(name, mode)
        except Exception:  # noqa: BLE001 - any failure means the codec is unusable
            missing.append(f"{name}/{mode}")
    if missing:
        raise RuntimeError(f"codecs missing: {', '.join(missing)}")
    return {"version": av.__version__, "ffmpeg": av.library_versions.get("libavcodec")}


def _check_aiortc() -> dict[str, Any]:
    import aiortc
    import pylibsrtp
    from aiortc import RTCPeerConnection  # noqa: F401  (pulls aioice, DTLS, SRTP bindings)

    return {"version": aiortc.__version__, "srtp": pylibsrtp.srtp_version()
            if hasattr(pylibsrtp, "srtp_version") else "present"}


def _check_quickjs() -> dict[str, Any]:
    import quickjs

    context = quickjs.Context()
    if context.eval("[1, 2, 3].map(x => x * 2).join(',')") != "2,4,6":
        raise RuntimeError("QuickJS evaluated wrongly")
    return {"evaluates": True}


def _check_sounddevice() -> dict[str, Any]:
    import sounddevice

    return {"version": sounddevice.__version__, "portaudio": sounddevice.get_portaudio_version()[1],
            "library": str(getattr(sounddevice, "_libname", ""))}


def _check_qt() -> dict[str, Any]:
    import PySide6
    from PySide6.QtCore import QLibraryInfo, QPluginLoader

    plugins = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))
    files = {p.name: p for p in (plugins / "platforms").glob("*") if p.is_file()}
    problems = []
    for name in REQUIRED_QT_PLATFORMS:
        found = [path for file_name, path in files.items() if f"q{name}." in file_name]
        if not found:
            problems.append(f"{name}: not in the bundle")
            continue
        # Loading (not starting) the plugin proves its shared libraries resolve.
        loader = QPluginLoader(str(found[0]))
        if not loader.load():
            problems.append(f"{name}: {loader.errorString()}")
    if problems:
        raise RuntimeError("Qt platform plugins unusable: " + "; ".join(problems))
    return {"version": PySide6.__version__, "platforms": sorted(files)}


def _check_resources() -> dict[str, Any]:
    from client.resources import resources_dir

    root = resources_dir()
    catalogues = sorted(p.name for p in (root / "translations" / "de").glob("*.ts"))
    if not catalogues:
        raise RuntimeError(f"no German catalogue under {root}")
    if not (root / "icons" / "treffpunkt.svg").is_file():
        raise RuntimeError(f"no app icon under {root}")
    return {"path": str(root), "de_catalogues": catalogues}


CHECKS: dict[str, Callable[[], dict[str, Any]]] = {
    "resources": _check_resources,
    "qt": _check_qt,
    "av": _check_av,
    "aiortc": _check_aiortc,
    "quickjs": _check_quickjs,
    "sounddevice": _check_sounddevice,
}


def run() -> int:
    from client import __version__

    report: dict[str, Any] = {"version": __version__, "frozen": bool(getattr(sys, "frozen", False))}
    ok = True
    for name, check in CHECKS.items():
        try:
            report[name] = {"ok": True, **check()}
        except Exception as exc:  # noqa: BLE001 - the report names whatever broke
            ok = False
            report[name] = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
    report["ok"] = ok
    print(json.dumps(report, indent=2))
    return 0 if ok else 1
