#!/usr/bin/env python3
"""Size and cold start of the frozen Linux bundle (packaging/linux/build.sh).

    .venv/bin/python bench/bench_bundle.py [--runs N] [--build] [--drop-caches] [--json]

* size: the bundle directory (bytes on disk and apparent), its largest parts,
  and the tarball / .deb if they were built;
* start: process start → join screen painted, over N runs of a fresh copy of the
  bundle with a fresh HOME (a returning user with an admin preset, so the first
  page is the join screen).  "Painted" is the line packaging/common/gui_probe.py
  prints on the first paint of the page (TREFFPUNKT_GUI_PROBE); the time is taken
  outside the app, from just before exec to reading that line.  For comparison
  the same from the source tree (.venv) and a bare ``--version`` of the bundle;
* --build: also time a forced rebuild (build.sh --force --no-tarball);
* --drop-caches: drop the kernel page cache before every run (root only), which
  makes "cold" mean cold disk; otherwise the runs after the first are warm-cache.

Runs inside a private network namespace like the tests (nothing leaves loopback).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.packaging.bundle import (  # noqa: E402
    InstalledBundle, RunningApp, build_bundle, install_copy,
)

PROBE = "treffpunkt-gui-probe:"
SEED = ("from PySide6.QtCore import QCoreApplication\n"
        "app = QCoreApplication([])\n"
        "from client.ui import app_settings as keys\n"
        "from client.ui.settings_store import open_store\n"
        "open_store().set(keys.DEVICES_CHECKED, True)\n")


def drop_caches() -> bool:
    try:
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return True
    except OSError:
        return False


def du_bytes(path: Path, apparent: bool = False) -> int:
    args = ["du", "-s", "--block-size=1"] + (["--apparent-size"] if apparent else []) + [str(path)]
    return int(subprocess.run(args, capture_output=True, text=True, check=True).stdout.split()[0])


def size_report(bundle: Path) -> dict[str, object]:
    internal = bundle / "_internal"
    parts = sorted(((du_bytes(p), p.name) for p in internal.iterdir()), reverse=True)[:8]
    report: dict[str, object] = {
        "bundle_disk_bytes": du_bytes(bundle),
        "bundle_apparent_bytes": du_bytes(bundle, apparent=True),
        "files": sum(1 for p in bundle.rglob("*") if p.is_file()),
        "largest_parts": {name: size for size, name in parts},
    }
    for pattern, key in (("treffpunkt-*-linux-*.tar.gz", "tarball_bytes"),
                         ("treffpunkt_*.deb", "deb_bytes")):
        # Only packages made from this very bundle (not left over from an older build).
        built = (bundle / "BUILD-INPUTS").stat().st_mtime
        found = [p for p in sorted((ROOT / "dist").glob(pattern)) if p.stat().st_mtime >= built]
        if found:
            report[key] = found[-1].stat().st_size
    return report


def time_to_page(command: list[str], env: dict[str, str], cwd: Path, page: str,
                 timeout_s: float = 120.0) -> tuple[float, float]:
    """(seconds from exec to the probe line for ``page``, the app's own elapsed_s)."""
    env = dict(env, TREFFPUNKT_GUI_PROBE=f"quit:{page}")
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, bufsize=1,
                               start_new_session=True)
    app = RunningApp(process)
    try:
        line = app.wait_for(f"{PROBE} page={page}", timeout_s)
        seen = time.perf_counter() - started
        if line is None:
            raise RuntimeError(f"{page} was not shown:\n{app.output[-2000:]}")
        process.wait(timeout=30)
        return seen, float(line.split("elapsed_s=")[1].split()[0])
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        app.reader.join(timeout=10)


def fresh_install(tmp: Path, bundle: Path, preset: Path) -> tuple[InstalledBundle, dict[str, str]]:
    installed = install_copy(bundle, tmp)
    env = installed.env(TREFFPUNKT_ADMIN_PRESET=str(preset))
    seeded = installed.run("-c", SEED, env=env)
    if seeded.returncode != 0:
        raise RuntimeError(f"could not seed the settings: {seeded.stderr}")
    return installed, env


def summary(values: list[float]) -> dict[str, float]:
    return {"median_s": round(statistics.median(values), 3), "min_s": round(min(values), 3),
            "max_s": round(max(values), 3)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--build", action="store_true", help="also time a forced rebuild")
    parser.add_argument("--drop-caches", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from tests.netns import enter_private_network

    enter_private_network()
    result: dict[str, object] = {"runs": args.runs}
    if args.build:
        started = time.perf_counter()
        subprocess.run(["bash", "packaging/linux/build.sh", "--force", "--no-tarball"],
                       cwd=ROOT, check=True, capture_output=True)
        result["build_s"] = round(time.perf_counter() - started, 1)
    bundle = build_bundle()
    result["size"] = size_report(bundle)

    cold_dropped = False
    with tempfile.TemporaryDirectory(prefix="bench-bundle-") as tmp_name:
        tmp = Path(tmp_name)
        preset = tmp / "defaults.json"
        preset.write_text(json.dumps({"default_server": "https://konferenz.bretten.de"}))
        frozen, inner, version, source = [], [], [], []
        for run in range(args.runs):
            run_dir = tmp / f"run{run}"
            run_dir.mkdir()
            installed, env = fresh_install(run_dir, bundle, preset)
            if args.drop_caches:
                cold_dropped = drop_caches()
            seen, own = time_to_page([str(installed.executable)], env, installed.home, "JoinView")
            frozen.append(seen)
            inner.append(own)
            started = time.perf_counter()
            installed.run("--version", env=env)
            version.append(time.perf_counter() - started)
            # The same from the source tree, with the same settings and preset.
            if args.drop_caches:
                drop_caches()
            source_env = dict(env, PYTHONPATH=f"{ROOT}:{ROOT / 'packaging' / 'common'}")
            seen, _ = time_to_page([sys.executable, str(ROOT / "packaging/common/entry.py")],
                                   source_env, installed.home, "JoinView")
            source.append(seen)
            shutil.rmtree(run_dir)
            print(f"run {run + 1}: bundle {frozen[-1]:.2f} s (in-app {inner[-1]:.2f} s), "
                  f"source {source[-1]:.2f} s, --version {version[-1]:.2f} s", file=sys.stderr)
    result["page_cache_dropped"] = cold_dropped
    result["start_to_join_screen_bundle"] = summary(frozen)
    result["start_to_join_screen_bundle_in_app"] = summary(inner)
    result["start_to_join_screen_source"] = summary(source)
    result["version_bundle"] = summary(version)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        size = result["size"]
        print(f"bundle: {size['bundle_disk_bytes'] / 2**20:.0f} MiB on disk, {size['files']} files")
        for key in ("tarball_bytes", "deb_bytes"):
            if key in size:
                print(f"{key.removesuffix('_bytes')}: {size[key] / 2**20:.0f} MiB")
        print(f"page cache dropped before each run: {cold_dropped}")
        print(f"start → join screen (bundle): {result['start_to_join_screen_bundle']}")
        print(f"start → join screen (source): {result['start_to_join_screen_source']}")
        print(f"--version (bundle): {result['version_bundle']}")
        if "build_s" in result:
            print(f"forced rebuild: {result['build_s']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
