# PyInstaller runtime hook: let sounddevice find the PortAudio library we bundle.
#
# sounddevice looks PortAudio up with ctypes.util.find_library("portaudio"),
# which on Linux asks ldconfig about the *system* and never looks inside the
# bundle, so on a machine without libportaudio2 audio would be missing.
import ctypes.util
import os
import sys

_bundled = os.path.join(getattr(sys, "_MEIPASS", ""), "libportaudio.so.2")
if sys.platform.startswith("linux") and os.path.isfile(_bundled):
    _system_find_library = ctypes.util.find_library

    def _find_library(name, _system=_system_find_library):
        if name == "portaudio":
            return _bundled
        return _system(name)

    ctypes.util.find_library = _find_library
