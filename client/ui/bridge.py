"""The one seam between a ``Conference`` and the widgets.

Conference events become the ``event`` signal (in order, on the GUI thread);
clicks become commands.  A command that returns a coroutine is scheduled as a
task and never awaited here, so no slot ever blocks the GUI thread; the task is
kept referenced until it is done (an unreferenced task can be collected
mid-flight) and whatever it raises goes to ``failed``.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from typing import Any, Awaitable, Callable

from PySide6.QtCore import QObject, Signal

from client.errors import TreffpunktError

log = logging.getLogger("treffpunkt.ui")


class UnexpectedError(TreffpunktError):
    """A bug or an unforeseen failure; the details go to the log only."""

    kind = "unexpected"


class ConferenceBridge(QObject):
    """Wraps a conference: ``event`` for every fact, ``failed`` for every error."""

    event = Signal(object)       # a ConferenceEvent
    failed = Signal(object)      # a TreffpunktError (command name in .details['command'])
    finished = Signal()          # run() has returned or raised

    def __init__(self, conference: Any, *, media: Any = None,
                 loop: asyncio.AbstractEventLoop | None = None,
                 parent: QObject | None = None) -> None:
        """``media`` (``client.media.call.CallMedia``) owns the devices: the mute buttons
        go to it, and it publishes the state through the conference."""
        super().__init__(parent)
        self.conference = conference
        self.media = media
        self._loop = loop
        self._tasks: set[asyncio.Task[Any]] = set()
        self._run_task: asyncio.Task[Any] | None = None
        self._remove_listener: Callable[[], None] | None = None
        add_listener = getattr(conference, "add_listener", None)
        if callable(add_listener):
            self._remove_listener = add_listener(self._on_event)
        else:
            conference.on_event = self._on_event

    # --- events ---------------------------------------------------------------------------
    def _on_event(self, event: Any) -> None:
        # Same thread under qasync: a plain emit.  From another thread Qt queues it.
        self.event.emit(event)

    # --- lifecycle ------------------------------------------------------------------------
    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        if self._loop is None:
            try:
                self._loop = asyncio.get_running_loop()
            except RuntimeError:
                self._loop = asyncio.get_event_loop_policy().get_event_loop()
        return self._loop

    def start(self) -> None:
        """Run the conference (discovery, login, join, …) as a task."""
        if self._run_task is not None:
            return
        self._run_task = self._spawn(self.conference.run(), "run")
        if self._run_task is not None:
            self._run_task.add_done_callback(lambda _t: self.finished.emit())

    @property
    def running(self) -> bool:
        return self._run_task is not None and not self._run_task.done()

    def pending_tasks(self) -> int:
        return sum(1 for t in self._tasks if not t.done())

    def detach(self) -> None:
        """Stop listening (the conference object may outlive this bridge)."""
        if self._remove_listener is not None:
            self._remove_listener()
            self._remove_listener = None

    # --- commands (slots: synchronous, never await) -------------------------------------
    def command(self, name: str, *args: Any, **kwargs: Any) -> None:
        """Call ``conference.<name>(*args)``; a coroutine result runs as a task."""
        self._call(self.conference, name, *args, **kwargs)

    def _call(self, target: Any, name: str, *args: Any, **kwargs: Any) -> None:
        method = getattr(target, name, None)
        if method is None:
            self._report(UnexpectedError(command=name), name)
            return
        try:
            result = method(*args, **kwargs)
        except TreffpunktError as exc:
            self._report(exc, name)
            return
        except Exception as exc:  # noqa: BLE001 - the user sees a plain message, the log the bug
            log.exception("command %s failed", name)
            self._report(UnexpectedError(command=name, reason=repr(exc)), name)
            return
        if inspect.isawaitable(result):
            self._spawn(result, name)

    def leave(self) -> None:
        self.command("leave")

    def cancel(self) -> None:
        self.command("cancel")

    def set_muted(self, kind: str, muted: bool) -> None:
        if self.media is not None:
            self._call(self.media, "set_muted", kind, muted)
        else:
            self.command("set_muted", kind, muted)

    def send_chat(self, text: str, to: str | None = None) -> None:
        self.command("send_chat", text, to=to)

    def submit_password(self, password: str) -> None:
        self.command("submit_password", password)

    def login_as_host(self, user: str, password: str) -> None:
        self.command("login_as_host", user, password)

    def set_display_name(self, name: str) -> None:
        self.command("set_display_name", name)

    def lock(self, password: str | None) -> None:
        self.command("lock", password)

    def set_lobby(self, enabled: bool) -> None:
        self.command("set_lobby", enabled)

    def admit(self, knocker_id: str) -> None:
        self.command("admit", knocker_id)

    def reject(self, knocker_id: str) -> None:
        self.command("reject", knocker_id)

    def kick(self, endpoint_id: str) -> None:
        self.command("kick", endpoint_id)

    def set_view(self, visible: dict[str, tuple[int, int]], stage: str | None = None) -> None:
        """The grid's tiles on screen (endpoint id → width, height): only their videos are
        asked of the bridge, each at its tile's height, so cost follows the screen; the
        person on the ``stage`` is served first."""
        heights = {endpoint: size[1] for endpoint, size in visible.items()}
        show_p2p = getattr(self.media, "show_endpoints", None)
        if show_p2p is not None:            # a 1:1 call: the peer sends what its tile needs
            show_p2p(heights)
        bridge_call = getattr(self.media, "bridge_call", None)
        if bridge_call is not None:
            bridge_call.show_endpoints(heights, on_stage=stage or None)

    # --- tasks ----------------------------------------------------------------------------
    def _spawn(self, awaitable: Awaitable[Any], name: str) -> asyncio.Task[Any] | None:
        async def guarded() -> Any:
            try:
                return await awaitable
            except asyncio.CancelledError:
                raise
            except TreffpunktError as exc:
                self._report(exc, name)
            except Exception as exc:  # noqa: BLE001
                log.exception("task %s failed", name)
                self._report(UnexpectedError(command=name, reason=repr(exc)), name)
            return None

        task = self.loop.create_task(guarded(), name=f"treffpunkt-{name}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def _report(self, error: TreffpunktError, command: str) -> None:
        error.details.setdefault("command", command)
        self.failed.emit(error)

    def cancel_tasks(self) -> None:
        for task in list(self._tasks):
            task.cancel()
