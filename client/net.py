"""The one place where Treffpunkt decides how it talks to the network.

Certificate checks are never switched off.  An admin can add a CA (for a
municipal CA) on top of the system's trust store; tests use the same setting.
Plain http/ws is only accepted for loopback hosts, where a local test server
may run without TLS.
"""

from __future__ import annotations

import ipaddress
import ssl
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class TrustSettings:
    """What the app trusts: the system store plus an optional extra CA file."""

    extra_ca_file: Path | None = None

    def ssl_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context()
        if self.extra_ca_file is not None:
            context.load_verify_locations(cafile=str(self.extra_ca_file))
        return context


def is_loopback_host(host: str) -> bool:
    host = host.strip("[]").lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
