"""Benchmark of quanze, printed as figures and ratios measured in one run (not a test).

    python benchmarks/bench_review.py [--drafts N] [--memory-evaluations M] [--repeat R]

Every figure is CPU time (user + system, getrusage) of the processes involved, as a ratio to its baseline
measured in the same run (benchmarks/floors.py defines the baselines once); the machine may be shared.

1. Realistic drafts: every valid YAML sample case under cases/ (full procedure timelines, as officers
   write them), cycled to N files with distinct case ids in a temporary folder. On those files:
   the parse floor (read + ``yaml.load(..., CSafeLoader)`` of every file, nothing else), then
   `review` in one process with its report (read, parse, validate, check, JSONL + CSV + HTML, as
   ``review --out`` does) as drafts per CPU second and as a multiple of the floor, then `review` with
   2 jobs: its speed-up by CPU accounting (below) and, for reference, in wall time.
2. Per draft, durable-rules evaluation of the compiled YAML conditions against a plain-Python
   evaluator of the same compiled conditions (the baseline, also the tests' oracle).
3. One `quanze check` of a sample draft against the typer floor: a do-nothing typer app that imports what
   the CLI cannot do without (typer, pydantic, PyYAML, durable-rules' engine) and parses the same arguments.
4. Memory (RSS) over M durable-rules evaluations and over the checks of the review in one process:
   flat means no state growth in the engine.

The 2-job speed-up by CPU accounting: the 2-job run's CPU is split into the parent's serial part S (the
report written at the end), the parent's merging while the workers run P, and the workers' W; on two
otherwise idle cores the run takes at least S + max(P, (P + W) / 2), and the speed-up is the one-job run's
CPU over that. Each review timing is the best of R runs, each command the median of 9.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_check import one_check
from floors import cpu_children, cpu_self, generate, parse_floor, templates

from quanze.engine.batch.pages import ReportWriter, review_into
from quanze.engine.batch.review import review
from quanze.engine.check.checker import check
from quanze.engine.lang import evaluate
from quanze.engine.lang.conditions import evaluate as baseline
from quanze.engine.load.loader import default_rules_dir, load_rules
from quanze.engine.model.drafts import read_draft


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
    return cpu_self() + cpu_children()


def review_all(paths: list[Path], jobs: int, out: Path) -> dict[str, float]:
    """One review with its report, as ``review --out`` runs it; the CPU seconds of its parts (see the docstring)."""
    rules = load_rules()
    me, children = cpu_self(), cpu_children()
    writer = ReportWriter(out, rules)
    review_into(writer, paths, [], rules, jobs)
    while multiprocessing.active_children():  # reaps the workers: only a reaped child's CPU is in RUSAGE_CHILDREN
        time.sleep(0.01)
    merged, workers = cpu_self() - me, cpu_children() - children
    writer.write(writer.summary(), {"folder": str(paths[0].parent)})
    return {"merge": merged, "workers": workers, "write": cpu_self() - me - merged}


def best_review(paths: list[Path], jobs: int, out: Path, repeat: int) -> tuple[float, dict[str, float]]:
    """The shortest wall time and the CPU parts of the run with the least CPU, of ``repeat`` runs."""
    walls, runs = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        runs.append(review_all(paths, jobs, out))
        walls.append(time.perf_counter() - start)
    return min(walls), min(runs, key=lambda r: sum(r.values()))


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
    print(
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; machine: {len(os.sched_getaffinity(0))} cores, "
        f"load {os.getloadavg()[0]:.1f}, Python {sys.version.split()[0]}, rules {default_rules_dir()}"
    )
    load_rules()  # warm the rules cache, as any earlier command would
    with tempfile.TemporaryDirectory() as tmp:
        paths = generate(args.drafts, Path(tmp) / "drafts")
        out = Path(tmp) / "report" / "r"
        kinds = sum(1 for p in templates() if p.suffix == ".yaml")
        n = len(paths)
        _, floor_cpu = best(lambda: parse_floor(paths), args.repeat)
        one_wall, one = best_review(paths, 1, out, args.repeat)
        two_wall, two = best_review(paths, 2, out, args.repeat)
        one_cpu = sum(one.values())
        two_bound = two["write"] + max(two["merge"], (two["merge"] + two["workers"]) / 2)
        print(f"drafts            : {n} YAML files cycled from {kinds} valid sample cases (full procedure timelines)")
        print(f"YAML parse floor  : {floor_cpu / n * 1e6:6.0f} µs CPU per draft (read + yaml.load CSafeLoader only)")
        print(
            f"review + report   : {one_cpu / n * 1e6:6.0f} µs CPU per draft = {one_cpu / floor_cpu:.2f}x the parse floor "
            f"(target ≤ 3x); {n / one_cpu:.0f} drafts per CPU second on one core (target ≥ 1000)"
        )
        print(
            f"review, 2 jobs    : speed-up {one_cpu / two_bound:.2f}x by CPU accounting (target ≥ 1.8x): parent merging "
            f"{two['merge'] / n * 1e6:.0f} µs/draft, workers {two['workers'] / n * 1e6:.0f} µs/draft, report written "
            f"{two['write'] / n * 1e6:.0f} µs/draft; in wall time {one_wall / two_wall:.2f}x (machine load {os.getloadavg()[0]:.1f})"
        )
        checks = memory_checks(paths, args.memory_rounds)
    durable, plain_python, n_rules = evaluation_cost()
    print(
        f"evaluation/draft  : durable-rules {durable:7.1f} µs, plain-Python baseline {plain_python:7.1f} µs, "
        f"ratio {durable / plain_python:.2f}x  (~{n_rules} compiled rules per ruleset)"
    )
    print("\n".join(one_check()))
    print(f"memory (RSS KiB)  : {args.memory_evaluations} evaluations: {growth(memory_evaluations(args.memory_evaluations))}")
    print(f"                    one-process review, checks: {growth(checks)}")


if __name__ == "__main__":
    main()
