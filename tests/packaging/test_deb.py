"""The .deb around the Linux bundle: layout, metadata, and dependencies that cover the bundle."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from client import __version__
from tests.packaging.bundle import ROOT, elf_files

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1500)]

APP_ID = "de.treffpunkt.Treffpunkt"


@pytest.fixture(scope="module")
def deb(linux_bundle: Path) -> Path:
    result = subprocess.run(["bash", "packaging/linux/deb/build-deb.sh", "--fast"], cwd=ROOT,
                            capture_output=True, text=True, timeout=1200)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    arch = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True,
                          check=True).stdout.strip()
    path = ROOT / "dist" / f"treffpunkt_{__version__}_{arch}.deb"
    assert path.is_file()
    return path


def control_field(deb: Path, field: str) -> str:
    return subprocess.run(["dpkg-deb", "--field", str(deb), field], capture_output=True,
                          text=True, check=True).stdout.strip()


def test_deb_installs_bundle_launcher_desktop_file_and_docs(deb: Path, tmp_path: Path) -> None:
    subprocess.run(["dpkg-deb", "--extract", str(deb), str(tmp_path)], check=True)
    assert os.readlink(tmp_path / "usr/bin/treffpunkt") == "/opt/treffpunkt/treffpunkt"
    assert (tmp_path / "opt/treffpunkt/treffpunkt").stat().st_mode & 0o111
    assert (tmp_path / f"usr/share/applications/{APP_ID}.desktop").is_file()
    assert (tmp_path / f"usr/share/metainfo/{APP_ID}.metainfo.xml").is_file()
    assert (tmp_path / f"usr/share/icons/hicolor/scalable/apps/{APP_ID}.svg").is_file()
    assert (tmp_path / f"usr/share/icons/hicolor/256x256/apps/{APP_ID}.png").is_file()
    assert (tmp_path / "usr/share/doc/treffpunkt/examples/defaults.json").is_file()
    assert "/etc/treffpunkt/defaults.json" in (
        tmp_path / "usr/share/doc/treffpunkt/README.Debian").read_text(encoding="utf-8")
    # The admin's preset is never shipped, changed or removed by the package.
    assert not (tmp_path / "etc").exists()
    # The packaged app runs (a copy of what /opt/treffpunkt would hold).
    version = subprocess.run([str(tmp_path / "opt/treffpunkt/treffpunkt"), "--version"],
                             capture_output=True, text=True, timeout=60,
                             env={"HOME": str(tmp_path)})
    assert version.stdout.strip() == f"treffpunkt {__version__}"


def test_deb_metadata(deb: Path) -> None:
    assert control_field(deb, "Package") == "treffpunkt"
    assert control_field(deb, "Version") == __version__
    installed_kib = int(control_field(deb, "Installed-Size"))
    assert installed_kib > 50_000  # the bundle, not an empty shell


def _package_of(library: str, ldconfig: str) -> str | None:
    match = re.search(rf"\s{re.escape(library)} \(libc6,x86-64\) => (\S+)", ldconfig)
    if not match:
        return None
    path = match.group(1)
    candidates = [path, os.path.realpath(path)]
    candidates += [c.replace("/usr/lib/", "/lib/", 1) for c in candidates]  # usrmerge
    for candidate in candidates:
        owner = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True)
        if owner.returncode == 0:
            return owner.stdout.split(":")[0]
    return None


def test_deb_depends_on_every_system_library_the_bundle_links(deb: Path,
                                                              linux_bundle: Path) -> None:
    # What the bundle does not carry must come from a package the .deb depends on.
    needed: set[str] = set()
    for path in elf_files(linux_bundle):
        dynamic = subprocess.run(["readelf", "-d", str(path)], capture_output=True, text=True)
        needed.update(re.findall(r"\(NEEDED\).*\[(.+)\]", dynamic.stdout))
    carried = {p.name for p in linux_bundle.rglob("*")}
    depends = control_field(deb, "Depends")
    alternatives = {name.strip().split()[0] for group in depends.split(",")
                    for name in group.split("|")}
    ldconfig = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True).stdout
    uncovered = {}
    for library in sorted(needed - carried):
        package = _package_of(library, ldconfig)
        if package not in alternatives:
            uncovered[library] = package
    assert uncovered == {}
