"""One ``quanze check`` against the typer floor, alone (bench_review.py prints the same line among its figures).

    python benchmarks/bench_check.py [--repeat N] [--also QUANZE ...]

The typer floor (benchmarks/floors.py) is a do-nothing typer app that imports what the CLI cannot do without
(typer, pydantic, PyYAML, durable-rules' engine) and parses the same arguments. Both commands run N times,
interleaved (the machine may be shared: a burst of load falls on both), each time in a fresh process with
its bytecode compiled as an installed package has it, after one run that warms the rules cache; each figure
is the median CPU time (user + system, getrusage) and the ratio is to the floor's median in the same run.
``--also`` measures another ``quanze`` executable in the same rounds (a tree before a change).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from floors import CASES, TYPER_FLOOR_APP, cpu_children

SAMPLE = str(CASES / "penalty/CF-04/lawful_general_tier.yaml")


def _run(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run of a command."""
    cpu, start = cpu_children(), time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=env)
    return time.perf_counter() - start, cpu_children() - cpu


def medians(commands: dict[str, list[str]], repeat: int = 9) -> dict[str, tuple[float, float]]:
    """Median wall and median CPU seconds of each command over ``repeat`` interleaved rounds (after one run each
    that writes its bytecode, kept out of the work tree, and fills the rules cache)."""
    pyc = tempfile.mkdtemp(prefix="quanze-bench-pyc-")
    # bytecode as an installed package has it (pip compiles it at install; an editable install under
    # PYTHONDONTWRITEBYTECODE=1 would compile every module on every run)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {"PYTHONPYCACHEPREFIX": pyc}
    try:
        for cmd in commands.values():
            _run(cmd, env)
        runs: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for _ in range(repeat):
            for name, cmd in commands.items():
                runs[name].append(_run(cmd, env))
    finally:
        shutil.rmtree(pyc, ignore_errors=True)
    return {name: (statistics.median(w for w, _ in r), statistics.median(c for _, c in r)) for name, r in runs.items()}


def quanze_executable() -> str:
    return shutil.which("quanze", path=str(Path(sys.executable).parent)) or "quanze"


def one_check(repeat: int = 9, also: list[str] | None = None) -> list[str]:
    """The lines bench_review.py prints for one ``quanze check`` (and each ``also`` executable) against the floor."""
    commands = {"check": [quanze_executable(), "check", SAMPLE], "floor": [sys.executable, "-c", TYPER_FLOOR_APP, "check", SAMPLE]}
    commands |= {exe: [exe, "check", SAMPLE] for exe in also or []}
    commands["bare"] = [sys.executable, "-c", "import typer, pydantic, yaml, durable.lang"]
    got = medians(commands, repeat)
    (check_wall, check_cpu), (floor_wall, floor_cpu) = got["check"], got["floor"]
    lines = [
        f"one quanze check  : {check_cpu * 1000:4.0f} ms CPU; typer floor (benchmarks/floors.py: imports typer, pydantic, yaml, "
        f"durable_rules_engine, parses the same arguments) {floor_cpu * 1000:4.0f} ms CPU; ratio {check_cpu / floor_cpu:.2f}x CPU "
        f"(target ≤ 1.5x); wall {check_wall / floor_wall:.2f}x"
    ]
    for exe in also or []:
        wall, cpu = got[exe]
        lines.append(f"  also {exe}: {cpu * 1000:4.0f} ms CPU, ratio {cpu / floor_cpu:.2f}x CPU; wall {wall / floor_wall:.2f}x")
    bare, bare_cpu = got["bare"]
    bare_line = f"bare import typer, pydantic, yaml, durable.lang {bare * 1000:6.0f} ms wall, {bare_cpu * 1000:4.0f} ms CPU"
    lines.append(f"  for scale       : {bare_line}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--also", action="append", default=[], help="another quanze executable measured in the same rounds")
    args = parser.parse_args()
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {len(os.sched_getaffinity(0))} cores, load {os.getloadavg()[0]:.1f}")
    print("\n".join(one_check(args.repeat, args.also)))
    print(f"load at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
