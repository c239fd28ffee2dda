"""Benchmark of quanze, printed as figures and ratios measured in one run (not a test).

    python benchmarks/bench_review.py [--drafts N] [--memory-drafts M]

1. `review` in one process, end to end (read, parse, validate, check): drafts per second.
2. The same with 2 jobs: the speed-up.
3. Per draft, durable-rules evaluation of the compiled YAML conditions against a plain-Python
   evaluator of the same compiled conditions (the baseline, also the tests' oracle).
4. Wall time of one `quanze check` against a bare `python -c "import typer, pydantic, yaml, durable.lang"`.
5. Memory (RSS) over M durable-rules evaluations: flat means no state growth in the engine.

The N drafts are generated from the valid sample cases (all 19 items), each with its own case id.
"""

from __future__ import annotations

import argparse
import copy
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from quanze.engine import evaluate
from quanze.engine.cases import find_cases
from quanze.engine.check import check
from quanze.engine.conditions import evaluate as baseline
from quanze.engine.drafts import read_draft
from quanze.engine.loader import default_rules_dir, load_rules
from quanze.engine.review import review
from quanze.engine.yamlio import load_yaml

CASES = Path(__file__).resolve().parent.parent / "cases"


def plain(obj):
    if isinstance(obj, dict):
        return {k: plain(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [plain(v) for v in obj]
    return obj


def templates() -> list[Path]:
    return [p for p in find_cases(CASES) if "invalid" not in p.parts]


def generate(n: int, target: Path) -> list[Path]:
    """N valid drafts across all items, as YAML files with distinct case ids."""
    raws = [plain(load_yaml(p.read_text(encoding="utf-8"))) for p in templates()]
    paths = []
    for i in range(n):
        raw = copy.deepcopy(raws[i % len(raws)])
        raw["case_id"] = f"{raw['case_id']}-{i}"
        path = target / raw["item"] / f"d{i:06d}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
        paths.append(path)
    return paths


def rate(paths: list[Path], jobs: int) -> float:
    rules = load_rules()
    start = time.perf_counter()
    n = sum(1 for _ in review(paths, rules, jobs))
    return n / (time.perf_counter() - start)


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


def wall(cmd: list[str], repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


TRIVIAL_APP = """
from pathlib import Path
from typing import Annotated
import typer, pydantic, yaml, durable.lang
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


def memory(evaluations: int) -> list[tuple[int, int]]:
    rules = load_rules()
    pairs = []
    for path in templates():
        seen = {}
        check(
            read_draft(path),
            rules,
            str(path),
            evaluator=lambda c, f, seen=seen: (seen.setdefault("p", (c, f)), evaluate.fired_rules(c, f))[1],
        )
        pairs.append(seen["p"])
    marks = []
    for i in range(evaluations):
        compiled, facts = pairs[i % len(pairs)]
        evaluate.fired_rules(compiled, facts)
        if (i + 1) % (evaluations // 5) == 0:
            marks.append((i + 1, rss_kib()))
    return marks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drafts", type=int, default=5000)
    parser.add_argument("--memory-drafts", type=int, default=100_000)
    args = parser.parse_args()
    quanze = shutil.which("quanze", path=str(Path(sys.executable).parent)) or "quanze"
    sample = str(CASES / "penalty/CF-04/lawful_general_tier.yaml")
    print(f"machine: {len(__import__('os').sched_getaffinity(0))} cores, Python {sys.version.split()[0]}, rules {default_rules_dir()}")
    with tempfile.TemporaryDirectory() as tmp:
        paths = generate(args.drafts, Path(tmp))
        one = rate(paths, 1)
        two = rate(paths, 2)
    print(f"review, 1 process : {one:8.0f} drafts/s  ({args.drafts} drafts, read+parse+validate+check)")
    print(f"review, 2 jobs    : {two:8.0f} drafts/s  speed-up {two / one:.2f}x")
    durable, plain_python, n_rules = evaluation_cost()
    print(
        f"evaluation/draft  : durable-rules {durable:7.1f} µs, plain-Python baseline {plain_python:7.1f} µs, "
        f"ratio {durable / plain_python:.2f}x  (~{n_rules} compiled rules per ruleset)"
    )
    load_rules()  # warm the rules cache, as any earlier command would
    subprocess.run([quanze, "check", sample], stdout=subprocess.DEVNULL, check=False)
    check_time = wall([quanze, "check", sample])
    floor = wall([sys.executable, "-c", "import typer, pydantic, yaml, durable.lang"])
    trivial = wall([sys.executable, "-c", TRIVIAL_APP, "check", "x.yaml"])
    print(f"one quanze check  : {check_time * 1000:6.0f} ms; bare import floor {floor * 1000:6.0f} ms; ratio {check_time / floor:.2f}x")
    print(
        f"  for scale       : a typer app that only parses the same arguments {trivial * 1000:6.0f} ms; "
        f"ratio {trivial / floor:.2f}x of the floor"
    )
    marks = memory(args.memory_drafts)
    print("memory (RSS KiB)  : " + ", ".join(f"{n}: {kib}" for n, kib in marks) + f"; growth first→last {marks[-1][1] - marks[0][1]} KiB")


if __name__ == "__main__":
    main()
