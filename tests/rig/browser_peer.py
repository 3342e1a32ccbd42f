"""lib-jitsi-meet in Chromium as a real Jitsi participant, controlled from pytest.

One ``BrowserDriver`` per test session runs ``node tests/rig/browser/drive.mjs``
(playwright-core driving Debian's /usr/bin/chromium) and talks JSON lines to it.
Each ``BrowserPeer`` is one isolated browser context with one page that loads
lib-jitsi-meet 2021-12 (``@lyno/lib-jitsi-meet`` 2.6726.2) with fake camera and
microphone.  Every lib-jitsi-meet event is recorded in ``peer.events`` (dicts with
``name`` and ``t`` plus data); ``wait_event`` waits for one.  Event names:

    connection_established / connection_failed / connection_disconnected
    conference_joined {id, role} / conference_left / conference_failed {reason, args}
    conference_error {reason, args} / user_joined {id, displayName, role} / user_left {id}
    user_role_changed {id, role, local} / display_name_changed {id, displayName}
    track_mute_changed {id, kind, muted, local} / remote_track_added {id, kind, muted}
    remote_track_removed {id, kind} / p2p_status {p2p} / message_received {id, text}
    private_message_received {id, text} / kicked {actor, reason} / participant_kicked {actor, id}
    lock_state_changed {locked} / members_only_changed {enabled}
    lobby_user_joined {id, displayName} / lobby_user_updated / lobby_user_left {id} / page_error
    presence_element {id, element, value}: another participant's presence carried
        <audiomuted>, <videomuted>, <SourceInfo> or <nick> (value = its text)

``conference_failed`` reasons are lib-jitsi-meet's error names in lower case, e.g.
``password_required``, ``members_only_error``, ``conference_access_denied``,
``authentication_required``.

The rig's CA is trusted through an NSS database in the driver's private HOME
(``certutil``), the same way an admin adds a municipal CA to a Linux desktop; the
certificate check itself stays on (no ``--ignore-certificate-errors``).  Page console
output, the raw XMPP traffic and the events of every peer are written to the
driver's artifact directory (``NNN-<peer>-console.log``, ``NNN-<peer>-xmpp.log``,
``NNN-<peer>-events.log``, numbered in the order the peers were made).
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from tests.rig.process import RigError, run_checked
from tests.rig.rig import Rig

BROWSER_DIR = Path(__file__).resolve().parent / "browser"
CHROMIUM = os.environ.get("RIG_CHROMIUM", "/usr/bin/chromium")

Event = dict[str, Any]


def browser_available() -> str | None:
    """None if the browser peer can run here, else what is missing."""
    needs = {
        "node": shutil.which("node"),
        "chromium": CHROMIUM if os.access(CHROMIUM, os.X_OK) else None,
        "certutil (libnss3-tools)": shutil.which("certutil"),
        "playwright-core": (BROWSER_DIR / "node_modules/playwright-core").is_dir() or None,
        "jquery": (BROWSER_DIR / "node_modules/jquery/dist/jquery.min.js").is_file() or None,
        "lib-jitsi-meet": (BROWSER_DIR / "vendor/package/lib-jitsi-meet.min.js").is_file() or None,
    }
    missing = [name for name, found in needs.items() if not found]
    return ", ".join(missing) if missing else None


def make_nss_home(home: Path, ca_file: Path) -> None:
    """A HOME whose NSS database trusts ``ca_file`` for TLS servers (Chromium reads it)."""
    nssdb = home / ".pki" / "nssdb"
    nssdb.mkdir(parents=True, exist_ok=True)
    run_checked(["certutil", "-N", "-d", f"sql:{nssdb}", "--empty-password"])
    run_checked(["certutil", "-A", "-d", f"sql:{nssdb}", "-n", "treffpunkt-rig-ca", "-t", "C,,",
                 "-i", str(ca_file)])


class BrowserDriver:
    def __init__(self, process: subprocess.Popen[str], artifacts: Path, rig: Rig) -> None:
        self._process = process
        self.artifacts = artifacts
        self.rig = rig
        self.pid = process.pid
        self._ids = itertools.count(1)
        self._peer_numbers = itertools.count(1)
        self._pending: dict[int, Future[Any]] = {}
        self._peers: dict[str, BrowserPeer] = {}
        self._lock = threading.Lock()
        self._ready: Future[dict[str, Any]] = Future()
        self._reader = threading.Thread(target=self._read, name="browser driver", daemon=True)
        self._reader.start()
        self.info = self._ready.result(timeout=60)

    @classmethod
    def start(cls, artifacts: Path, rig: Rig, *, trust_rig_ca: bool = True) -> "BrowserDriver":
        """``trust_rig_ca=False`` leaves the NSS db empty (to show the check is real)."""
        artifacts.mkdir(parents=True, exist_ok=True)
        home = artifacts / "home"
        if trust_rig_ca:
            make_nss_home(home, rig.ca_file)
        else:
            home.mkdir(parents=True, exist_ok=True)
        stderr = open(artifacts / "driver-stderr.log", "w")  # noqa: SIM115 - lives with the process
        process = subprocess.Popen(
            ["node", str(BROWSER_DIR / "drive.mjs"), str(artifacts), str(home)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr, text=True,
            cwd=BROWSER_DIR, start_new_session=True, bufsize=1)
        stderr.close()
        try:
            return cls(process, artifacts, rig)
        except BaseException:
            process.kill()
            process.wait()
            raise

    # -- the JSON-lines channel -----------------------------------------------------------
    def _read(self) -> None:
        assert self._process.stdout is not None
        for line in self._process.stdout:
            try:
                message = json.loads(line)
            except json.JSONDecodeError:
                continue
            if "ready" in message:
                self._ready.set_result(message)
            elif "event" in message:
                peer = self._peers.get(message.get("peer", ""))
                if peer is not None:
                    peer._record(message["event"])
            else:
                future = self._pending.pop(message.get("id"), None)
                if future is None:
                    continue
                if message.get("ok"):
                    future.set_result(message.get("result"))
                else:
                    future.set_exception(RigError(f"browser: {message.get('error')}"))
        error = RigError(f"browser driver exited ({self._process.poll()}); "
                         f"see {self.artifacts / 'driver-stderr.log'}")
        if not self._ready.done():
            self._ready.set_exception(error)
        for future in list(self._pending.values()):
            if not future.done():
                future.set_exception(error)

    def request(self, op: str, timeout_s: float = 30.0, **fields: Any) -> Any:
        ident = next(self._ids)
        future: Future[Any] = Future()
        self._pending[ident] = future
        line = json.dumps({"id": ident, "op": op, **fields}) + "\n"
        with self._lock:
            if self._process.stdin is None or self._process.poll() is not None:
                raise RigError("browser driver is not running")
            self._process.stdin.write(line)
            self._process.stdin.flush()
        return future.result(timeout=timeout_s)

    # -- peers ----------------------------------------------------------------------------
    def new_peer(self, name: str, **_: object) -> "BrowserPeer":
        # Numbered, so each peer of the session has its own log files.
        peer = BrowserPeer(self, name, key=f"{next(self._peer_numbers):03d}-{name}")
        self._peers[peer.key] = peer
        self.request("open", peer=peer.key)
        return peer

    def _forget(self, name: str) -> None:
        self._peers.pop(name, None)

    def stop(self) -> None:
        try:
            if self._process.poll() is None:
                self.request("shutdown", timeout_s=15)
        except Exception:  # noqa: BLE001 - fall through to the kill
            pass
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.pid, 9)      # node and its Chromium children, by our process group
            self._process.wait(timeout=10)
        if self._process.stdin is not None:
            self._process.stdin.close()


class BrowserPeer:
    """One lib-jitsi-meet participant.  Methods block until the page has done the call."""

    def __init__(self, driver: BrowserDriver, name: str, key: str) -> None:
        self.driver = driver
        self.name = name
        self.key = key          # the driver's name for us; prefixes our log files
        self._events: list[Event] = []
        self._changed = threading.Condition()
        self.closed = False

    # -- events -----------------------------------------------------------------------------
    def _record(self, event: Event) -> None:
        with self._changed:
            self._events.append(event)
            self._changed.notify_all()

    @property
    def events(self) -> list[Event]:
        with self._changed:
            return list(self._events)

    def event_names(self) -> list[str]:
        return [e["name"] for e in self.events]

    def wait_event(self, name: str, predicate: Callable[[Event], bool] | None = None,
                   timeout: float = 20.0, after: int = 0) -> Event:
        """The first event ``name`` (from index ``after``) for which ``predicate`` holds."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for event in self._events[after:]:
                    if event["name"] == name and (predicate is None or predicate(event)):
                        return event
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(
                        f"{self.name}: no {name!r} event within {timeout} s; events so far: "
                        f"{[e['name'] for e in self._events]} (logs in {self.driver.artifacts})")
                self._changed.wait(remaining)

    def mark(self) -> int:
        """An index for ``wait_event(after=...)``: only events from now on."""
        with self._changed:
            return len(self._events)

    # -- calls --------------------------------------------------------------------------------
    def _call(self, method: str, *args: Any, timeout_s: float = 30.0) -> Any:
        return self.driver.request("call", timeout_s=timeout_s, peer=self.key, method=method,
                                   args=list(args))

    def join(self, room: str, display_name: str | None = None, *, p2p: bool = True,
             password: str | None = None, audio: bool = True, video: bool = True,
             user: str | None = None, user_password: str | None = None,
             wait: bool = True, timeout: float = 20.0) -> Event | None:
        """Connect and join ``room``; with ``wait`` returns the conference_joined event.

        ``user``/``user_password`` log in on the auth domain (a host) instead of anonymously.
        The 2021 library signals mute state with ``<audiomuted>``/``<videomuted>`` only and
        reads only those from others (its ``sourceNameSignaling`` flag was unfinished: with
        it on, muting sends no presence at all).
        """
        rig = self.driver.rig
        mark = self.mark()
        self._call("join", {
            "room": room, "displayName": display_name, "p2p": p2p, "roomPassword": password,
            "audio": audio, "video": video,
            "user": f"{user}@{rig.auth_domain}" if user and "@" not in user else user,
            "password": user_password,
            "serviceUrl": rig.websocket_url,
            "hosts": {"domain": rig.xmpp_domain, "muc": rig.muc_domain, "focus": rig.focus_domain},
        }, timeout_s=timeout)
        if not wait:
            return None
        return self.wait_event("conference_joined", timeout=timeout, after=mark)

    @property
    def id(self) -> str | None:
        """Our endpoint id (MUC nick) once joined."""
        return self._call("myId")

    def rejoin(self, password: str | None = None) -> None:
        """Join again after a conference_failed (e.g. with the room password)."""
        self._call("rejoin", password)

    def leave(self) -> None:
        self._call("leave")

    def set_display_name(self, name: str) -> None:
        self._call("setDisplayName", name)

    # Muting also publishes the state in presence at once (<audiomuted>/<videomuted>); the
    # 2021 library alone does so only when its peer connection's sources change, and treats
    # a missing element as "muted".
    def mute_audio(self) -> None:
        self._call("mute", "audio")

    def unmute_audio(self) -> None:
        self._call("unmute", "audio")

    def mute_video(self) -> None:
        self._call("mute", "video")

    def unmute_video(self) -> None:
        self._call("unmute", "video")

    def add_track(self, kind: str) -> None:
        """Switch on a device the peer joined without (``join(video=False)``): a new track."""
        self._call("addTrack", kind)

    def remove_track(self, kind: str) -> None:
        """Remove a local track from the conference (source-remove), as when a device goes."""
        self._call("removeTrack", kind)

    def is_moderator(self) -> bool:
        return bool(self._call("isModerator"))

    def lock_room(self, password: str) -> None:
        self._call("lock", password)

    def unlock_room(self) -> None:
        self._call("unlock")

    def enable_lobby(self) -> None:
        self._call("enableLobby")

    def disable_lobby(self) -> None:
        self._call("disableLobby")

    def knock(self, display_name: str | None = None, email: str | None = None) -> None:
        """Join the lobby (after a members_only_error) and wait there to be admitted."""
        self._call("joinLobby", display_name, email)

    def lobby_approve(self, participant_id: str) -> None:
        self._call("lobbyApprove", participant_id)

    def lobby_deny(self, participant_id: str) -> None:
        self._call("lobbyDeny", participant_id)

    def send_chat(self, text: str) -> None:
        self._call("sendChat", text)

    def send_private_chat(self, to_id: str, text: str) -> None:
        self._call("sendPrivateChat", to_id, text)

    def kick(self, participant_id: str, reason: str | None = None) -> None:
        self._call("kick", participant_id, reason)

    def mute_participant(self, participant_id: str, kind: str = "audio") -> None:
        self._call("muteParticipant", participant_id, kind)

    def participants(self) -> list[dict[str, Any]]:
        return list(self._call("participants"))

    def stats(self) -> dict[str, Any]:
        """Inbound RTP: {'p2p', 'iceState', 'audio': {packetsReceived, bytesReceived,
        audioLevel, totalAudioEnergy…} | None, 'video': {…, framesDecoded} | None}."""
        return dict(self._call("inboundStats"))

    def wait_inbound_media(self, *, audio: bool = True, video: bool = True,
                           min_packets: int = 20, min_frames: int = 5,
                           timeout: float = 20.0) -> dict[str, Any]:
        """Poll getStats until RTP of the wanted kinds is flowing in; returns the last stats."""
        deadline = time.monotonic() + timeout
        while True:
            stats = self.stats()
            ok_audio = not audio or (stats.get("audio") or {}).get("packetsReceived", 0) >= min_packets
            ok_video = not video or (stats.get("video") or {}).get("framesDecoded", 0) >= min_frames
            if ok_audio and ok_video:
                return stats
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self.name}: inbound media did not arrive: {stats}")
            time.sleep(0.2)   # getStats is a poll by nature; there is no event for "n packets"

    def screenshot(self, path: Path) -> Path:
        self.driver.request("screenshot", peer=self.key, path=str(path))
        return path

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        try:
            self.driver.request("close", peer=self.key, timeout_s=20)
        finally:
            self.driver._forget(self.key)
