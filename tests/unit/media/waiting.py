"""Helpers for media tests: wait on a condition with a deadline instead of sleeping."""

from __future__ import annotations

import asyncio
import time
from typing import Callable


async def wait_until(predicate: Callable[[], bool], timeout: float = 10.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        await asyncio.sleep(0.02)


async def wait_quiet(value: Callable[[], int], quiet_s: float = 0.5, timeout: float = 10.0) -> int:
    """Wait until ``value()`` has not changed for ``quiet_s``; returns that value."""
    deadline = time.monotonic() + timeout
    last, since = value(), time.monotonic()
    while time.monotonic() - since < quiet_s:
        if time.monotonic() > deadline:
            raise AssertionError(f"value kept changing for {timeout} s")
        await asyncio.sleep(0.02)
        current = value()
        if current != last:
            last, since = current, time.monotonic()
    return last
