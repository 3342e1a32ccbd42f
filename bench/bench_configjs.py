#!/usr/bin/env python3
"""How long one config.js evaluation takes in the sandbox (child process + QuickJS).

    .venv/bin/python bench/bench_configjs.py [--runs N]

Prints milliseconds per evaluation (median, 90th percentile) for both real
config.js shapes used in the unit tests, a large (1.9 MB, comment-heavy) file,
and, for comparison, the bare QuickJS evaluation inside this process.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from client.jitsi.configjs import evaluate_config_js  # noqa: E402
from tests.unit.jitsi.test_configjs import ASSIGNMENT_SHAPE, OBJECT_SHAPE  # noqa: E402

LARGE = OBJECT_SHAPE + ("// " + "x" * 1021 + "\n") * 1900


def measure(source: str, runs: int) -> list[float]:
    async def once() -> float:
        began = time.perf_counter()
        await evaluate_config_js(source, host="bench.example", page_url="https://bench.example/r")
        return (time.perf_counter() - began) * 1000

    return [asyncio.run(once()) for _ in range(runs)]


def measure_in_process(source: str, runs: int) -> list[float]:
    import quickjs

    times = []
    for _ in range(runs):
        began = time.perf_counter()
        context = quickjs.Context()
        context.set_memory_limit(64 * 1024 * 1024)
        context.set_time_limit(1)
        context.eval("var window = globalThis; var location = {}; var module = {exports: {}};")
        context.eval(source)
        context.eval("JSON.stringify(config)")
        times.append((time.perf_counter() - began) * 1000)
    return times


def report(name: str, times: list[float]) -> None:
    ordered = sorted(times)
    p90 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]
    print(f"{name:<38} median {statistics.median(times):7.1f} ms   p90 {p90:7.1f} ms   "
          f"(n={len(times)})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    report("object shape, sandboxed child", measure(OBJECT_SHAPE, args.runs))
    report("assignment shape, sandboxed child", measure(ASSIGNMENT_SHAPE, args.runs))
    report(f"{len(LARGE) // 1024} KB file, sandboxed child", measure(LARGE, max(3, args.runs // 4)))
    report("object shape, QuickJS in-process", measure_in_process(OBJECT_SHAPE, args.runs))
    report("assignment shape, QuickJS in-process", measure_in_process(ASSIGNMENT_SHAPE, args.runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
