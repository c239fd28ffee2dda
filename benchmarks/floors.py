"""The baselines the benchmarks measure quanze against, defined once (every figure is a ratio to one of them,
measured in the same run), and the CPU accounting they use (the machine may be shared: CPU time of the
processes involved, from ``getrusage``, not wall time).

- ``TYPER_FLOOR_APP``: what any ``quanze check`` must at least do: start Python, import the libraries the
  CLI cannot do without (``FLOOR_IMPORTS``: typer for the command line, pydantic for the contract's
  validation, PyYAML for the draft format, durable-rules' engine for the conditions) and parse the same
  arguments, then do nothing.
- ``parse_floor``: read and parse every file with libyaml's CSafeLoader, nothing else: the least any YAML
  review can do.
- ``generate``: N drafts cycled from the valid sample cases, each with its own case id.
"""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
from pathlib import Path

import yaml

CASES = Path(__file__).resolve().parent.parent / "cases"
FLOOR_IMPORTS = ("typer", "pydantic", "yaml", "durable_rules_engine")

TYPER_FLOOR_APP = f"""
from pathlib import Path
from typing import Annotated
import {", ".join(FLOOR_IMPORTS)}
app = typer.Typer(add_completion=False)
@app.command()
def check(files: Annotated[list[Path], typer.Argument()],
          rules: Annotated[Path | None, typer.Option("--rules")] = None,
          fmt: Annotated[str, typer.Option("--format")] = "text") -> None:
    print(files)
@app.command()
def other() -> None:
    pass
app()
"""

_CASE_ID = re.compile(r"^case_id:.*$", re.MULTILINE)


def templates() -> list[Path]:
    """Every valid sample draft (the invalid ones are input-error cases)."""
    from quanze.engine.batch.cases import find_cases

    return [p for p in find_cases(CASES) if "invalid" not in p.parts]


def generate(n: int, target: Path) -> list[Path]:
    """N YAML drafts: the valid sample cases as written, cycled, each with its own case id."""
    texts = [(p, p.read_text(encoding="utf-8")) for p in templates() if p.suffix == ".yaml"]
    paths = []
    for i in range(n):
        source, text = texts[i % len(texts)]
        path = target / source.parent.name / f"d{i:06d}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_CASE_ID.sub(f"case_id: 伊市商工评〔2026〕{i}号", text, count=1), encoding="utf-8")
        paths.append(path)
    return paths


def parse_floor(paths: list[Path]) -> None:
    """Read and parse every file with libyaml's CSafeLoader: the least any YAML review can do."""
    for path in paths:
        yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


def cpu_self() -> float:
    """CPU seconds (user + system) of this process."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    return me.ru_utime + me.ru_stime


def cpu_children() -> float:
    """CPU seconds of this process's finished (waited-for) children and their descendants."""
    ch = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ch.ru_utime + ch.ru_stime


_MEASURE = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
wall = time.perf_counter() - start
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "cpu": ru.ru_utime + ru.ru_stime, "maxrss_kib": ru.ru_maxrss, "code": code}))
"""


def measured(cmd: list[str], env: dict[str, str] | None = None) -> dict[str, float]:
    """Run a command in a fresh measuring process: wall seconds, CPU seconds of the command and every process it
    started (workers included), and the peak RSS (KiB) of the largest of them."""
    out = subprocess.run([sys.executable, "-c", _MEASURE, *cmd], capture_output=True, text=True, check=True, env=env or os.environ.copy())
    return json.loads(out.stdout)
