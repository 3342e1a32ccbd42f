"""Put the whole test run into a private network namespace whose only link is ``lo``.

The pytest process unshares itself before any test runs (and before any thread
exists, which unprivileged user namespaces require), so every server, browser and
client the tests start inherits the namespace: nothing can reach a host outside it.
``lo`` gets 127.0.0.1 and 127.0.0.2; aioice skips 127.0.0.1 when gathering, so it
offers 127.0.0.2 as its host candidate.
"""

from __future__ import annotations

import ctypes
import os
import subprocess
from pathlib import Path

CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
ENV_FLAG = "TREFFPUNKT_TEST_NETNS"


class NetnsError(RuntimeError):
    pass


def _unshare(flags: int) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(flags) != 0:
        err = ctypes.get_errno()
        raise NetnsError(f"unshare(0x{flags:x}) failed: {os.strerror(err)}")


def _write(path: str, text: str) -> None:
    with open(path, "w") as handle:
        handle.write(text)


def enter_private_network() -> str:
    """Move this process into a fresh network namespace; returns how it was done."""
    if os.environ.get(ENV_FLAG) == "inside":
        return "inherited"
    uid, gid = os.getuid(), os.getgid()
    if uid == 0:
        _unshare(CLONE_NEWNET)
        how = "root"
    else:
        _unshare(CLONE_NEWUSER | CLONE_NEWNET)
        _write("/proc/self/setgroups", "deny")
        _write("/proc/self/uid_map", f"0 {uid} 1")
        _write("/proc/self/gid_map", f"0 {gid} 1")
        how = "user-namespace"
    for cmd in (["ip", "link", "set", "lo", "up"],
                ["ip", "addr", "add", "127.0.0.2/8", "dev", "lo"]):
        subprocess.run(cmd, check=True, capture_output=True)
    os.environ[ENV_FLAG] = "inside"
    return how


def interfaces() -> list[str]:
    """Links of *this process's* namespace (/sys/class/net shows the mount's, not ours)."""
    lines = Path("/proc/self/net/dev").read_text().splitlines()[2:]
    return sorted(line.split(":", 1)[0].strip() for line in lines)
