"""Treffpunkt: a native desktop client for municipal Jitsi Meet servers."""

__version__ = "0.1.0"
