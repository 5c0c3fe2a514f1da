"""Run every benchmark, one process each, and exit with 1 when any of them missed a bound or failed.

Run: .venv/bin/python bench/run_all.py

The benchmarks run one after the other, so they do not compete for the CPU: start-up, context cost,
per-call overhead, memory, then bench/fan_out.py when it is present. Together they take about 1.5
minutes, most of it the 2,000 calls at 20 ms of the per-call overhead benchmark.
"""

from __future__ import annotations

import subprocess
import sys
import time

from support import REPOSITORY, machine_description, write

BENCHMARKS = ("startup.py", "context_cost.py", "call_overhead.py", "memory.py", "fan_out.py")


def main() -> int:
    write(f"Benchmarks on {machine_description()}")
    outcomes: list[tuple[str, int, float]] = []
    for name in BENCHMARKS:
        script = REPOSITORY / "bench" / name
        if not script.exists():
            write(f"\n== {name}: not present, skipped")
            continue
        write(f"\n== {name}")
        started = time.perf_counter()
        exit_code = subprocess.run([sys.executable, str(script)], cwd=REPOSITORY).returncode
        outcomes.append((name, exit_code, time.perf_counter() - started))

    write("\n== Summary")
    for name, exit_code, seconds in outcomes:
        verdict = "passed" if exit_code == 0 else f"FAILED (exit code {exit_code})"
        write(f"  {name:<18} {verdict} in {seconds:.0f} s")
    return 1 if any(exit_code != 0 for _, exit_code, _ in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
