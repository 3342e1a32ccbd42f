"""UI test helpers: an asyncio loop on top of Qt (qasync), and language switching."""

from __future__ import annotations

import asyncio

import pytest
import qasync

from client import i18n


@pytest.fixture
def qloop(qapp):
    """The app's loop shape: asyncio running on Qt's event loop (qasync)."""
    qapp.setQuitOnLastWindowClosed(False)   # as the app: closing a window never stops the loop
    loop = qasync.QEventLoop(qapp, already_running=False)
    asyncio.set_event_loop(loop)
    yield loop
    for task in asyncio.all_tasks(loop):
        task.cancel()
    loop.run_until_complete(asyncio.sleep(0))
    loop.close()
    asyncio.set_event_loop(None)


def drain(loop: asyncio.AbstractEventLoop, rounds: int = 3) -> None:
    """Let scheduled tasks run a few steps (they only await each other, never the clock)."""
    for _ in range(rounds):
        loop.run_until_complete(asyncio.sleep(0))


@pytest.fixture(params=["en", "de"])
def language(request):
    previous = i18n.current_language()
    i18n.set_language(request.param)
    yield request.param
    i18n.set_language(previous)


@pytest.fixture(autouse=True)
def english_by_default():
    previous = i18n.current_language()
    i18n.set_language("en")
    yield
    i18n.set_language(previous)
