"""The application: QApplication on a qasync loop, translators, and the screens.

``run_gui(argv)`` is what ``treffpunkt`` runs.  One main window shows one page
at a time: first run → join → pre-join → call.  ``treffpunkt LINK`` (also a
``jitsi-meet://`` link) opens straight at the pre-join page of that room.
``--server URL`` is the administrator's default server (the user's own choice
wins once made), ``--test-media`` uses the synthetic camera and microphone.

Everything slow (discovery, devices, the meeting itself) runs as asyncio tasks
on the one loop; slots only start tasks and never wait.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import shiboken6
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QCloseEvent, QFont
from PySide6.QtWidgets import QApplication, QMainWindow, QStackedWidget, QWidget

from client import __version__
from client.errors import AddressError, TreffpunktError
from client.i18n import _
from client.meeting.address import MeetingAddress, parse_link
from client.meeting.servers import known_server_for
from client.net import TrustSettings
from client.ui import app_settings as keys
from client.ui.bridge import ConferenceBridge
from client.ui.call_window import CallWindow
from client.ui.devices import DeviceInfo, gather_devices, to_media_device
from client.ui.dialogs import LeaveDialog, MessageDialog
from client.ui.first_run import FirstRunResult, FirstRunView
from client.ui.join_window import JoinView
from client.ui.language import LanguageManager
from client.ui.messages import Action, UserMessage, error_message
from client.ui.prejoin_view import JoinChoices, PreJoinView
from client.ui.settings_dialog import SettingsDialog
from client.ui.style import STYLE_SHEET

log = logging.getLogger("treffpunkt.ui")


# --- command line -------------------------------------------------------------------------

def parse_gui_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="treffpunkt", description="Treffpunkt video meetings")
    parser.add_argument("link", nargs="?", help="a meeting link or room name to open")
    parser.add_argument("--server", help="default server (set by an administrator)")
    parser.add_argument("--test-media", action="store_true",
                        help="use a test picture and tone instead of camera and microphone")
    parser.add_argument("--ca-file", type=Path,
                        help="additional trusted CA certificate (PEM) for the server")
    parser.add_argument("--language", choices=("system", "de", "en"),
                        help="language of this session (default: from the settings)")
    parser.add_argument("--version", action="version", version=f"treffpunkt {__version__}")
    return parser.parse_args(argv)


# --- meeting sessions -----------------------------------------------------------------------

@dataclass
class Session:
    """What a call window needs: the conference, and the media following it."""

    conference: Any
    media: Any = None
    start_media: Callable[[], Any] | None = None   # coroutine factory, run as a task
    close_media: Callable[[], Any] | None = None


SessionFactory = Callable[[MeetingAddress, JoinChoices, "AppOptions"], Session]


@dataclass
class AppOptions:
    test_media: bool = False
    admin_server: str | None = None
    trust: TrustSettings = field(default_factory=TrustSettings)
    language: str | None = None        # --language: this session only, not saved


def real_session(address: MeetingAddress, choices: JoinChoices, options: AppOptions) -> Session:
    """A real ``Conference`` with ``CallMedia`` following it."""
    from client.jitsi.conference import Conference, JoinOptions
    from client.media.call import MEDIA_CODECS, CallMedia, media_capabilities
    from client.media.local import MediaOptions

    join = JoinOptions(display_name=choices.display_name or None,
                       start_audio_muted=not choices.microphone_on,
                       start_video_muted=not choices.camera_on,
                       jwt=address.jwt, trust=options.trust, codecs=MEDIA_CODECS)
    conference = Conference(address, join, capabilities=media_capabilities())
    media = CallMedia(conference, MediaOptions(
        test_media=options.test_media,
        start_audio_muted=not choices.microphone_on,
        start_video_muted=not choices.camera_on,
        camera=to_media_device("camera", choices.camera),
        microphone=to_media_device("microphone", choices.microphone),
        speaker=to_media_device("speaker", choices.speaker)))
    # the videobridge session (rooms of three and more) next to CallMedia's P2P; the grid's
    # visible tiles reach it through ConferenceBridge.set_view → show_endpoints
    from client.media.bridge_call import BridgeCall

    bridge_call = BridgeCall(media)
    media.bridge_call = bridge_call  # type: ignore[attr-defined]

    async def start_media() -> None:
        await media.start()
        await bridge_call.start()

    async def close_media() -> None:
        await bridge_call.close()
        await media.close()
    return Session(conference, media, start_media=start_media, close_media=close_media)


class LocalPreview:
    """Our camera and microphone before joining (the media layer's ``LocalMedia``)."""

    def __init__(self, *, test_media: bool, microphone_on: bool, camera_on: bool,
                 camera: DeviceInfo | None = None, microphone: DeviceInfo | None = None) -> None:
        from client.media.local import LocalMedia, MediaOptions

        self.local = LocalMedia(MediaOptions(
            test_media=test_media, start_audio_muted=not microphone_on,
            start_video_muted=not camera_on, camera=to_media_device("camera", camera),
            microphone=to_media_device("microphone", microphone)))

    @property
    def pump(self) -> Any:
        return self.local.preview

    @property
    def level_source(self) -> Any:
        return self.local.mic_meter

    async def start(self) -> None:
        await self.local.start()

    async def set_muted(self, media: str, muted: bool) -> None:
        await self.local.set_muted(media, muted)

    async def close(self) -> None:
        await self.local.close()


PreviewFactory = Callable[..., Any]


# --- the window -----------------------------------------------------------------------------

class MainWindow(QMainWindow):
    """One window; closing it during a meeting asks first (the call is not lost by accident)."""

    def __init__(self, controller: "AppController") -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self._controller = controller
        self.pages = QStackedWidget()
        self.setCentralWidget(self.pages)
        self.resize(1100, 760)
        self.retranslate()

    def show_page(self, page: QWidget) -> None:
        if self.pages.indexOf(page) < 0:
            self.pages.addWidget(page)
        old = self.pages.currentWidget()
        self.pages.setCurrentWidget(page)
        if old is not None and old is not page:
            self.pages.removeWidget(old)
            shutdown = getattr(old, "shutdown", None)
            if callable(shutdown):
                shutdown()
            old.deleteLater()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._controller.in_meeting():
            event.ignore()
            self._controller.ask_leave_then_quit()
            return
        self._controller.shutdown()
        super().closeEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle("Treffpunkt")


class AppController(QObject):
    """Moves between the screens and owns what lives longer than one screen."""

    def __init__(self, app: QApplication, settings: keys.UiSettings, *,
                 options: AppOptions | None = None,
                 session_factory: SessionFactory = real_session,
                 preview_factory: PreviewFactory | None = LocalPreview,
                 server_check: Callable[[str], Any] | None = None) -> None:
        super().__init__()
        self.app = app
        self.settings = settings
        self.options = options or AppOptions()
        self.session_factory = session_factory
        self.preview_factory = preview_factory
        self.server_check = server_check or self._discover_server
        self.language = LanguageManager(app)
        self.window = MainWindow(self)
        self.page: QWidget | None = None
        self.call: CallWindow | None = None
        self.session: Session | None = None
        self.preview: Any = None
        self.dialog: QWidget | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._preview_devices: tuple[DeviceInfo | None, DeviceInfo | None] = (None, None)
        self._last: tuple[MeetingAddress, JoinChoices] | None = None
        self._quit_after_leave = False

    # --- state ----------------------------------------------------------------------------
    def default_server(self) -> str | None:
        return self.settings.get(keys.SERVER_URL) or self.options.admin_server

    def server_name(self) -> str | None:
        url = self.default_server()
        if not url:
            return None
        host = url.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
        known = known_server_for(host)
        return f"{known.town} – {known.service}" if known else None

    def server_locked(self) -> bool:
        return self.settings.is_locked(keys.SERVER_URL)

    def in_meeting(self) -> bool:
        return self.call is not None and self.call.joined and not self.call.ended

    def spawn(self, coroutine: Any, what: str) -> asyncio.Task[Any]:
        async def guarded() -> None:
            try:
                await coroutine
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - logged; the screens show their own state
                log.exception("%s failed", what)

        task = asyncio.get_event_loop().create_task(guarded(), name=f"treffpunkt-{what}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    # --- start ----------------------------------------------------------------------------
    def start(self, link: str | None = None) -> None:
        self.language.apply(self.options.language or self.settings.get(keys.LANGUAGE) or "system")
        self.window.show()
        self._report_settings_problems()
        save_failed = getattr(self.settings, "save_failed", None)
        if save_failed is not None:
            save_failed.connect(self._settings_not_saved)
        if link:
            try:
                address = parse_link(link, self.default_server())
            except AddressError:
                self.show_join(link)
                return
            self.show_prejoin(address)
            return
        if not self.default_server() and not self.server_locked():
            # a server fixed by the administrator (even to none) is not the user's to choose
            self.show_first_run(skip_server=False)
        elif not self.settings.get(keys.DEVICES_CHECKED):
            self.show_first_run(skip_server=True)
        else:
            self.show_join()

    def _report_settings_problems(self) -> None:
        problems = self.settings.problems()
        if not problems:
            return

        def compose() -> UserMessage:
            texts = [p.text() if hasattr(p, "text") else str(p) for p in problems]
            return UserMessage(_("About your settings"), "\n\n".join(texts), "", (Action.CLOSE,))

        self._open_message(compose)

    def _settings_not_saved(self, error: TreffpunktError) -> None:
        self._open_message(lambda: error_message(error))

    def _open_message(self, compose: Callable[[], UserMessage]) -> None:
        dialog = MessageDialog(compose, self.window)
        dialog.action_chosen.connect(self._on_message_action)
        self.dialog = dialog
        dialog.open()

    def _on_message_action(self, action: Action) -> None:
        if action is Action.OPEN_SETTINGS:
            self.open_settings()

    def _show(self, page: QWidget) -> None:
        self.page = page
        self.window.show_page(page)

    # --- first run ------------------------------------------------------------------------
    def show_first_run(self, *, skip_server: bool) -> None:
        view = FirstRunView(server_check=self.server_check, skip_server=skip_server)
        view.finished.connect(self._first_run_done)
        view.device_page_shown.connect(lambda: self._prepare_device_check(view))
        view.recheck_requested.connect(lambda: self._prepare_device_check(view))
        self._show(view)
        if skip_server:
            self._prepare_device_check(view)

    async def _discover_server(self, url: str) -> str:
        from client.jitsi.deployment import discover

        deployment = await discover(url, trust=self.options.trust)
        return _("Its meeting domain is {domain}.").format(domain=deployment.xmpp_domain)

    def _prepare_device_check(self, view: FirstRunView) -> None:
        self._ask_permission(view)
        self.spawn(self._list_devices_into(view), "device listing")
        self._start_preview(view, microphone_on=True, camera_on=True)

    def _ask_permission(self, view: FirstRunView) -> None:
        try:
            from PySide6.QtCore import QCameraPermission, QMicrophonePermission
        except ImportError:
            return
        results: dict[str, bool] = {}

        def answered(kind: str, permission: Any) -> None:
            results[kind] = self.app.checkPermission(permission) == Qt.PermissionStatus.Granted
            if len(results) == 2:
                view.set_permission("granted" if all(results.values()) else "denied")

        for kind, permission in (("camera", QCameraPermission()),
                                 ("microphone", QMicrophonePermission())):
            status = self.app.checkPermission(permission)
            if status == Qt.PermissionStatus.Undetermined:
                self.app.requestPermission(permission, self,
                                           lambda p, k=kind: answered(k, p))
            else:
                results[kind] = status == Qt.PermissionStatus.Granted
        if len(results) == 2:
            view.set_permission("granted" if all(results.values()) else "denied")

    async def _list_devices_into(self, view: Any, saved: dict[str, Any] | None = None) -> None:
        devices = await gather_devices()
        if not shiboken6.isValid(view) or (view is not self.page and view is not self.dialog):
            return   # the screen was left while the devices were listed
        if saved is None:
            view.set_devices(devices)
            return
        view.set_devices(devices, saved)
        if isinstance(view, PreJoinView) and view is self.page:
            # the saved devices are picked only now: the preview must show them, not the default
            choices = view.choices()
            if (choices.camera, choices.microphone) != self._preview_devices:
                self._start_preview(view, microphone_on=choices.microphone_on,
                                    camera_on=choices.camera_on, camera=choices.camera,
                                    microphone=choices.microphone)

    def _first_run_done(self, result: FirstRunResult) -> None:
        self._stop_preview()
        if result.server_url:
            self.settings.set(keys.SERVER_URL, result.server_url)
        if result.remember_devices:
            self.settings.set(keys.DEVICES_CHECKED, True)
        self.show_join()

    # --- join -----------------------------------------------------------------------------
    def show_join(self, text: str | None = None) -> None:
        self._stop_preview()
        view = JoinView(self.default_server(), self.server_name(),
                        public_servers_allowed=self.settings.public_servers_allowed(),
                        server_locked=self.server_locked())
        view.set_recents(self.settings.recents())
        view.join_requested.connect(self.show_prejoin)
        view.settings_requested.connect(self.open_settings)
        view.recent_removed.connect(self.settings.remove_recent)
        view.recents_cleared.connect(self.settings.clear_recents)
        if text:
            view.set_text(text)
        self._show(view)

    # --- pre-join -------------------------------------------------------------------------
    def show_prejoin(self, address: MeetingAddress) -> None:
        overrides = address.honoured_config_overrides()
        microphone_on = not overrides.get("startWithAudioMuted",
                                          self.settings.get(keys.START_AUDIO_MUTED))
        camera_on = not overrides.get("startWithVideoMuted",
                                      self.settings.get(keys.START_VIDEO_MUTED))
        name = address.user_info.get("displayName") if isinstance(
            address.user_info.get("displayName"), str) else None
        view = PreJoinView(address, display_name=name or self.settings.get(keys.DISPLAY_NAME) or "",
                           microphone_on=microphone_on, camera_on=camera_on,
                           audio_only=bool(self.settings.get(keys.AUDIO_ONLY)))
        view.back_clicked.connect(lambda: self.show_join(address.link))
        view.join_clicked.connect(lambda choices: self.start_call(address, choices))
        view.camera_toggled.connect(lambda on: self._preview_muted("video", not on))
        view.microphone_toggled.connect(lambda on: self._preview_muted("audio", not on))
        view.device_chosen.connect(lambda kind, device: self._preview_device(view, kind, device))
        self._show(view)
        saved = {"camera": self.settings.get(keys.CAMERA),
                 "microphone": self.settings.get(keys.MICROPHONE),
                 "speaker": self.settings.get(keys.SPEAKER)}
        self.spawn(self._list_devices_into(view, saved), "device listing")
        choices = view.choices()
        self._start_preview(view, microphone_on=choices.microphone_on, camera_on=choices.camera_on,
                            camera=choices.camera, microphone=choices.microphone)

    def _start_preview(self, view: Any, *, microphone_on: bool, camera_on: bool,
                       camera: DeviceInfo | None = None, microphone: DeviceInfo | None = None) -> None:
        self._stop_preview()
        if self.preview_factory is None:
            return
        try:
            preview = self.preview_factory(test_media=self.options.test_media,
                                           microphone_on=microphone_on, camera_on=camera_on,
                                           camera=camera, microphone=microphone)
        except Exception:  # noqa: BLE001 - no preview is better than no app
            log.exception("preview unavailable")
            return
        self.preview = preview
        self._preview_devices = (camera, microphone)
        view.set_preview_source(preview.pump)
        view.set_level_source(preview.level_source)
        self.spawn(preview.start(), "preview")

    def _preview_muted(self, media: str, muted: bool) -> None:
        if self.preview is not None:
            self.spawn(self.preview.set_muted(media, muted), "preview mute")

    def _preview_device(self, view: PreJoinView, kind: str, device: DeviceInfo | None) -> None:
        if kind == "speaker":
            return
        choices = view.choices()
        self._start_preview(view, microphone_on=choices.microphone_on, camera_on=choices.camera_on,
                            camera=choices.camera, microphone=choices.microphone)

    def _stop_preview(self) -> None:
        preview, self.preview = self.preview, None
        if preview is not None:
            self.spawn(preview.close(), "preview close")

    # --- the call -------------------------------------------------------------------------
    def start_call(self, address: MeetingAddress, choices: JoinChoices) -> None:
        self._stop_preview()
        self._remember_choices(choices)
        self.settings.add_recent(address)
        self._last = (address, choices)
        try:
            session = self.session_factory(address, choices, self.options)
        except TreffpunktError as exc:
            log.warning("cannot start the meeting: %s", exc)
            self.show_join(address.link)
            return
        self.session = session
        bridge = ConferenceBridge(session.conference, media=session.media)
        call = CallWindow(bridge, address, display_name=choices.display_name,
                          microphone_on=choices.microphone_on, camera_on=choices.camera_on,
                          media=session.media)
        call.closed.connect(self._call_closed)
        call.retry_requested.connect(self._retry)
        call.settings_requested.connect(self.open_settings)
        call.host_login_remember.connect(
            lambda user, password: self.spawn(self._remember_login(address.server, user, password),
                                              "keyring"))
        self.call = call
        self._show(call)
        if session.start_media is not None:
            self.spawn(session.start_media(), "media")
        bridge.start()

    def _remember_choices(self, choices: JoinChoices) -> None:
        self.settings.set(keys.DISPLAY_NAME, choices.display_name)
        for key, device in ((keys.CAMERA, choices.camera), (keys.MICROPHONE, choices.microphone),
                            (keys.SPEAKER, choices.speaker)):
            self.settings.set(key, None if device is None else {"id": device.id, "label": device.label})

    async def _remember_login(self, server: str, user: str, password: str) -> None:
        from client.ui.credentials import save_host_login

        await asyncio.get_running_loop().run_in_executor(None, save_host_login, server, user, password)

    def _end_session(self) -> None:
        session, self.session = self.session, None
        if self.call is not None:
            self.call.shutdown()
        self.call = None
        if session is not None and session.close_media is not None:
            self.spawn(session.close_media(), "media close")

    def _call_closed(self) -> None:
        self._end_session()
        if self._quit_after_leave:
            self.window.close()
            return
        self.show_join()

    def _retry(self) -> None:
        last = self._last
        self._end_session()
        if last is None:
            self.show_join()
        else:
            self.start_call(*last)

    def ask_leave_then_quit(self) -> None:
        dialog = LeaveDialog(self.window)
        dialog.confirmed.connect(self._leave_and_quit)
        self.dialog = dialog
        dialog.open()

    def _leave_and_quit(self) -> None:
        self._quit_after_leave = True
        if self.call is not None:
            self.call.leave()

    # --- settings -------------------------------------------------------------------------
    def open_settings(self) -> None:
        dialog = SettingsDialog(self.settings, parent=self.window)
        dialog.applied.connect(self._settings_applied)
        dialog.clear_requested.connect(self._clear_everything)
        self.dialog = dialog
        dialog.open()
        self.spawn(self._list_devices_into(dialog), "device listing")

    def _settings_applied(self, changes: dict[str, Any]) -> None:
        for key, value in changes.items():
            if isinstance(value, DeviceInfo):
                value = {"id": value.id, "label": value.label}
            self.settings.set(key, value)
        if keys.LANGUAGE in changes:
            self.language.apply(changes[keys.LANGUAGE] or "system")
        if keys.SERVER_URL in changes and isinstance(self.page, JoinView):
            self.page.set_default_server(self.default_server(), self.server_name())

    def _clear_everything(self) -> None:
        self.settings.clear_everything()
        self.language.apply("system")
        if not self.in_meeting():
            self.start()

    # --- the end --------------------------------------------------------------------------
    async def wait_idle(self, timeout_s: float) -> None:
        """Wait (at most ``timeout_s``) for the tasks this controller started."""
        pending = [t for t in self._tasks if not t.done()]
        if pending:
            await asyncio.wait(pending, timeout=timeout_s)

    def shutdown(self) -> None:
        self._stop_preview()
        if self.call is not None:
            self.call.bridge.cancel()
        self._end_session()


def apply_font_scale(app: QApplication, scale: float) -> None:
    """Larger text for people who need it (and for testing layouts at 150 %)."""
    font = QFont(app.font())
    font.setPointSizeF(font.pointSizeF() * scale)
    app.setFont(font)


def open_settings_store(args: argparse.Namespace) -> keys.UiSettings:
    """The persistent settings (``client.settings``), or memory if they are unavailable."""
    try:
        from client.ui.settings_store import open_store
    except ImportError:
        log.warning("settings store unavailable; settings will not be saved")
        return keys.MemorySettings()
    return open_store(server=args.server)


def run_gui(argv: list[str]) -> int:
    """Start the app; returns the exit code."""
    args = parse_gui_args(list(argv))
    import qasync

    app = QApplication.instance() or QApplication(sys.argv[:1])
    # the loop ends through ``closed`` below; Qt quitting by itself would stop it mid-task
    app.setQuitOnLastWindowClosed(False)
    app.setApplicationName("Treffpunkt")
    app.setApplicationVersion(__version__)
    app.setStyleSheet(STYLE_SHEET)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    settings = open_settings_store(args)
    ca_file = args.ca_file or settings.get(keys.EXTRA_CA_FILE)
    options = AppOptions(test_media=args.test_media,
                         admin_server=args.server if isinstance(settings, keys.MemorySettings) else None,
                         trust=TrustSettings(extra_ca_file=Path(ca_file) if ca_file else None),
                         language=args.language)
    controller = AppController(app, settings, options=options)
    closed = loop.create_future()
    app.lastWindowClosed.connect(lambda: closed.done() or closed.set_result(None))
    controller.start(args.link)
    with loop:
        loop.run_until_complete(closed)
        # let closing work finish (devices released, the meeting left) before exiting
        loop.run_until_complete(controller.wait_idle(timeout_s=5.0))
    asyncio.set_event_loop(None)
    return 0
