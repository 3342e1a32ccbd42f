"""Pytest fixtures of the loopback Jitsi rig (filled in by the rig work)."""
