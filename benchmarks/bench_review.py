"""Benchmark of quanze, printed as figures and ratios measured in one run (not a test).

    python benchmarks/bench_review.py [--drafts N] [--memory-evaluations M] [--repeat R]

1. Realistic drafts: every valid YAML sample case under cases/ (full procedure timelines, as officers
   write them), cycled to N files with distinct case ids in a temporary folder. On those files:
   the parse floor (read + ``yaml.load(..., CSafeLoader)`` of every file, nothing else), then
   `review` in one process (read, parse, validate, check) as drafts/s and as a multiple of the floor,
   then `review` with 2 jobs and its speed-up over one.
2. Per draft, durable-rules evaluation of the compiled YAML conditions against a plain-Python
   evaluator of the same compiled conditions (the baseline, also the tests' oracle).
3. Wall time of one `quanze check` of a sample draft against the typer floor: a do-nothing typer app
   that parses the same arguments (and, for scale, a bare ``import typer, pydantic, yaml, durable.lang``).
4. Memory (RSS) over M durable-rules evaluations and over the checks of the review in one process:
   flat means no state growth in the engine.

Each review timing is the best of R runs, each command time the median of 9. Wall and CPU time are
both printed: on a shared machine the CPU-time ratios are the steadier figures (the 2-job speed-up
can only be measured in wall time).
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from quanze.engine.batch.cases import find_cases
from quanze.engine.batch.review import review
from quanze.engine.check.checker import check
from quanze.engine.lang import evaluate
from quanze.engine.lang.conditions import evaluate as baseline
from quanze.engine.load.loader import default_rules_dir, load_rules
from quanze.engine.model.drafts import read_draft

CASES = Path(__file__).resolve().parent.parent / "cases"
_CASE_ID = re.compile(r"^case_id:.*$", re.MULTILINE)


def templates() -> list[Path]:
    """Every valid sample draft (the invalid ones are input-error cases)."""
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


def best(run, repeat: int) -> tuple[float, float]:
    """The shortest wall time and the shortest CPU time (this process and its finished children) of ``repeat`` runs, in seconds."""
    walls, cpus = [], []
    for _ in range(repeat):
        cpu, start = _cpu(), time.perf_counter()
        run()
        walls.append(time.perf_counter() - start)
        cpus.append(_cpu() - cpu)
    return min(walls), min(cpus)


def _cpu() -> float:
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def parse_floor(paths: list[Path]) -> None:
    """Read and parse every file with libyaml's CSafeLoader: the least any YAML review can do."""
    for path in paths:
        yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


def review_all(paths: list[Path], jobs: int) -> int:
    rules = load_rules()
    return sum(1 for entry in review(paths, rules, jobs) if entry["checked"])


def compiled_pairs() -> list:
    """(compiled ruleset, facts) of every sample draft, as the engine evaluates them."""
    rules = load_rules()
    pairs = []

    def spy(compiled, facts):
        pairs.append((compiled, facts))
        return evaluate.fired_rules(compiled, facts)

    for path in templates():
        check(read_draft(path), rules, str(path), evaluator=spy)
    return pairs


def evaluation_cost(rounds: int = 20) -> tuple[float, float, int]:
    """µs per draft for durable-rules and for the plain-Python baseline, over the same facts."""
    pairs = compiled_pairs()
    start = time.perf_counter()
    for _ in range(rounds):
        for compiled, facts in pairs:
            evaluate.fired_rules(compiled, facts)
    durable = (time.perf_counter() - start) / (rounds * len(pairs)) * 1e6
    start = time.perf_counter()
    for _ in range(rounds):
        for compiled, facts in pairs:
            [name for name, rule in compiled.rules.items() if baseline(rule.condition, facts)]
    plain_python = (time.perf_counter() - start) / (rounds * len(pairs)) * 1e6
    rules_per_set = statistics.mean(len(c.rules) for c, _ in pairs)
    return durable, plain_python, round(rules_per_set)


def wall(cmd: list[str], env: dict[str, str], repeat: int = 9) -> tuple[float, float]:
    """Median wall time and median CPU time of a command (after one run that writes its bytecode), in seconds."""
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=env)
    walls, cpus = [], []
    for _ in range(repeat):
        cpu, start = _cpu(), time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=env)
        walls.append(time.perf_counter() - start)
        cpus.append(_cpu() - cpu)
    return statistics.median(walls), statistics.median(cpus)


TRIVIAL_APP = """
from pathlib import Path
from typing import Annotated
import typer
app = typer.Typer()
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


def rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def memory_evaluations(evaluations: int) -> list[tuple[int, int]]:
    """RSS after each fifth of ``evaluations`` durable-rules evaluations of the sample drafts' facts."""
    pairs = compiled_pairs()
    marks = []
    for i in range(evaluations):
        compiled, facts = pairs[i % len(pairs)]
        evaluate.fired_rules(compiled, facts)
        if (i + 1) % (evaluations // 5) == 0:
            marks.append((i + 1, rss_kib()))
    return marks


def memory_checks(paths: list[Path], rounds: int) -> list[tuple[int, int]]:
    """RSS after each round of a one-process review of the drafts (read, parse, validate, check)."""
    rules = load_rules()
    marks = []
    for r in range(rounds):
        for _ in review(paths, rules, 1):
            pass
        marks.append(((r + 1) * len(paths), rss_kib()))
    return marks


def growth(marks: list[tuple[int, int]]) -> str:
    return ", ".join(f"{n}: {kib}" for n, kib in marks) + f"; growth first→last {marks[-1][1] - marks[0][1]} KiB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drafts", type=int, default=1500)
    parser.add_argument("--memory-evaluations", type=int, default=100_000)
    parser.add_argument("--memory-rounds", type=int, default=5, help="rounds of the one-process review for the RSS check")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    quanze = shutil.which("quanze", path=str(Path(sys.executable).parent)) or "quanze"
    sample = str(CASES / "penalty/CF-04/lawful_general_tier.yaml")
    print(
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; machine: {len(os.sched_getaffinity(0))} cores, "
        f"load {os.getloadavg()[0]:.1f}, Python {sys.version.split()[0]}, rules {default_rules_dir()}"
    )
    load_rules()  # warm the rules cache, as any earlier command would
    with tempfile.TemporaryDirectory() as tmp:
        paths = generate(args.drafts, Path(tmp))
        kinds = sum(1 for p in templates() if p.suffix == ".yaml")
        floor, floor_cpu = best(lambda: parse_floor(paths), args.repeat)
        one, one_cpu = best(lambda: review_all(paths, 1), args.repeat)
        two, _ = best(lambda: review_all(paths, 2), args.repeat)
        n = len(paths)
        print(f"drafts            : {n} YAML files cycled from {kinds} valid sample cases (full procedure timelines)")
        print(f"YAML parse floor  : {n / floor:8.0f} drafts/s  (read + yaml.load CSafeLoader only; {floor_cpu / n * 1e6:.0f} µs CPU each)")
        print(
            f"review, 1 process : {n / one:8.0f} drafts/s  = {one / floor:.2f}x the parse floor in wall time, "
            f"{one_cpu / floor_cpu:.2f}x in CPU time ({one_cpu / n * 1e6:.0f} µs each)  (target ≤ 3x and ≥ 500/s)"
        )
        print(f"review, 2 jobs    : {n / two:8.0f} drafts/s  speed-up {one / two:.2f}x in wall time  (target ≥ 1.7x)")
        checks = memory_checks(paths, args.memory_rounds)
    durable, plain_python, n_rules = evaluation_cost()
    print(
        f"evaluation/draft  : durable-rules {durable:7.1f} µs, plain-Python baseline {plain_python:7.1f} µs, "
        f"ratio {durable / plain_python:.2f}x  (~{n_rules} compiled rules per ruleset)"
    )
    # bytecode as an installed package has it (pip compiles it at install; an editable install under
    # PYTHONDONTWRITEBYTECODE=1 would compile every module on every run), kept out of the work tree
    pyc = tempfile.mkdtemp(prefix="quanze-bench-pyc-")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {"PYTHONPYCACHEPREFIX": pyc}
    check_time, check_cpu = wall([quanze, "check", sample], env)
    typer_floor, typer_cpu = wall([sys.executable, "-c", TRIVIAL_APP, "check", sample], env)
    bare, bare_cpu = wall([sys.executable, "-c", "import typer, pydantic, yaml, durable.lang"], env)
    shutil.rmtree(pyc, ignore_errors=True)
    print(
        f"one quanze check  : {check_time * 1000:6.0f} ms wall, {check_cpu * 1000:4.0f} ms CPU; typer floor (a typer app parsing "
        f"the same arguments) {typer_floor * 1000:6.0f} ms wall, {typer_cpu * 1000:4.0f} ms CPU; "
        f"ratio {check_time / typer_floor:.2f}x wall, {check_cpu / typer_cpu:.2f}x CPU  (target ≤ 1.3x)"
    )
    print(f"  for scale       : bare import typer, pydantic, yaml, durable.lang {bare * 1000:6.0f} ms wall, {bare_cpu * 1000:4.0f} ms CPU")
    print(f"memory (RSS KiB)  : {args.memory_evaluations} evaluations: {growth(memory_evaluations(args.memory_evaluations))}")
    print(f"                    one-process review, checks: {growth(checks)}")


if __name__ == "__main__":
    main()
