"""Typed settings, admin presets, recent rooms. No Qt."""
