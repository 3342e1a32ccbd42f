"""UI test helpers: an asyncio loop on top of Qt (qasync), and language switching."""

from __future__ import annotations

import asyncio
import gc

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
    run(loop, asyncio.sleep(0))
    for task in asyncio.all_tasks(loop):
        task.cancel()
    run(loop, asyncio.sleep(0))
    loop.close()
    asyncio.set_event_loop(None)
    # finalizers of what the test left behind (transports, Qt wrappers) run now, not
    # at some later moment inside unrelated code
    gc.collect()


def run(loop: asyncio.AbstractEventLoop, awaitable):  # noqa: ANN001, ANN201
    """Run the loop until ``awaitable`` is done, and return its result.

    Not ``loop.run_until_complete``: qasync's version processes Qt events once more
    *after* the loop has stopped, so task steps queued then run without a running
    loop ("no running event loop") — harmless for the app, which runs the loop once,
    but not for tests that start and stop it many times."""
    if asyncio.events._get_running_loop() is loop:   # the between-phases mark, see below
        asyncio.events._set_running_loop(None)
    future = asyncio.ensure_future(awaitable, loop=loop)
    future.add_done_callback(lambda _f: loop.stop())
    loop.run_forever()
    if not future.done():
        raise RuntimeError("the loop stopped before the awaited work was done")
    return future.result()


def drain(loop: asyncio.AbstractEventLoop, rounds: int = 3) -> None:
    """Let scheduled tasks run a few steps (they only await each other, never the clock)."""
    for _ in range(rounds):
        run(loop, asyncio.sleep(0))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):  # noqa: ANN001, ANN201
    """pytest-qt processes Qt events between the test phases; qasync's callbacks are Qt
    events, so tasks of the test's loop may take a step then.  Mark the loop as running
    until teardown drives it again, so such a step finds its loop instead of failing with
    "no running event loop" (and leaving a meeting stuck half-way)."""
    try:
        return (yield)
    finally:
        loop = item.funcargs.get("qloop")
        if loop is not None and not loop.is_closed() and asyncio.events._get_running_loop() is None:
            asyncio.events._set_running_loop(loop)


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
