"""The whole loopback Jitsi deployment of one test session: CA, coturn, Prosody, focus, web.

``Rig.start(directory)`` brings everything up (about 0.3 s) inside the test run's
network namespace; ``stop()`` stops every part by PID / by closing it, in reverse
order.  Logs stay in ``directory`` (prosody.log, focus.log, turnserver.log).
"""

from __future__ import annotations

import itertools
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from tests.rig.coturn import Coturn, rest_credentials
from tests.rig.focus import FocusSettings, FocusStandIn
from tests.rig.process import LOOPBACK
from tests.rig.prosody import JitsiDomains, Prosody, TurnSettings
from tests.rig.tls import TestCA
from tests.rig.web import ConfigWebServer, DeploymentAddresses

_room_counter = itertools.count(1)


@dataclass
class Rig:
    directory: Path
    ca: TestCA
    coturn: Coturn
    prosody: Prosody
    focus: FocusStandIn
    web: ConfigWebServer
    domains: JitsiDomains
    startup_s: float = 0.0

    # -- what clients and tests need ---------------------------------------------------
    @property
    def ca_file(self) -> Path:
        return self.ca.ca_file

    @property
    def base_url(self) -> str:
        return self.web.base_url

    @property
    def websocket_url(self) -> str:
        return self.prosody.websocket_url

    @property
    def bosh_url(self) -> str:
        return self.prosody.bosh_url

    @property
    def xmpp_domain(self) -> str:
        return self.domains.domain

    @property
    def muc_domain(self) -> str:
        return self.domains.muc

    @property
    def auth_domain(self) -> str:
        return self.domains.auth

    @property
    def lobby_domain(self) -> str:
        return self.domains.lobby

    @property
    def focus_domain(self) -> str:
        return self.domains.focus

    @property
    def focus_jid(self) -> str:
        return self.focus.focus_jid

    @property
    def turn_secret(self) -> str:
        return self.coturn.secret

    def turn_credentials(self) -> tuple[str, str]:
        """REST credentials as Prosody hands them out (username, password)."""
        return rest_credentials(self.coturn.secret)

    def register_host(self, user: str, password: str) -> str:
        """An account on the auth domain (a "host"); returns its bare JID."""
        self.prosody.register(user, self.domains.auth, password)
        return f"{user}@{self.domains.auth}"

    def unique_room(self, prefix: str = "room") -> str:
        """A lower-case room name no other test of this session uses."""
        return f"{prefix.lower()}{next(_room_counter)}{secrets.token_hex(3)}"

    def room_jid(self, room: str) -> str:
        return f"{room}@{self.domains.muc}"

    # -- lifecycle -------------------------------------------------------------------
    @classmethod
    def start(cls, directory: Path, domains: JitsiDomains = JitsiDomains()) -> "Rig":
        began = time.monotonic()
        directory.mkdir(parents=True, exist_ok=True)
        ca = TestCA(directory / "ca")
        cert = ca.issue("localhost", ["localhost", LOOPBACK])
        turn_secret = secrets.token_hex(16)
        focus_secret = secrets.token_hex(16)
        started: list[object] = []
        try:
            coturn = Coturn(directory / "coturn", secret=turn_secret, realm=domains.domain)
            coturn.start()
            started.append(coturn)
            prosody = Prosody(directory / "prosody", cert=cert,
                              turn=TurnSettings(coturn.host, coturn.port, turn_secret),
                              focus_secret=focus_secret, domains=domains)
            prosody.start()
            started.append(prosody)
            focus = FocusStandIn(FocusSettings(domain=domains.domain, focus_domain=domains.focus,
                                               muc_domain=domains.muc, auth_domain=domains.auth),
                                 host=LOOPBACK, port=prosody.component_port, secret=focus_secret,
                                 log_file=directory / "focus.log")
            focus.start()
            started.append(focus)
            web = ConfigWebServer(cert, DeploymentAddresses(
                domain=domains.domain, muc=domains.muc, focus=domains.focus,
                auth_domain=domains.auth, websocket_url=prosody.websocket_url,
                bosh_url=prosody.bosh_url))
            web.start()
            started.append(web)
        except BaseException:
            for part in reversed(started):
                part.stop()  # type: ignore[attr-defined]
            raise
        rig = cls(directory, ca, coturn, prosody, focus, web, domains)
        rig.startup_s = time.monotonic() - began
        return rig

    def stop(self) -> None:
        errors: list[BaseException] = []
        for part in (self.web, self.focus, self.prosody, self.coturn):
            try:
                part.stop()
            except Exception as exc:  # noqa: BLE001 - stop the rest, then report
                errors.append(exc)
        if errors:
            raise errors[0]
