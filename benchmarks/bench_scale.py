"""Benchmark of `quanze review` at province scale: 10 000 and 50 000 generated drafts, one table (not a test).

    python benchmarks/bench_scale.py [--sizes 10000,50000] [--jobs 1]

For each size, N drafts are generated (benchmarks/floors.py ``generate``) and two commands are run, each in
a fresh measuring process (wall, CPU of every process involved, peak RSS of the largest one):

- the parse floor: read + ``yaml.load(CSafeLoader)`` of every file, nothing kept (benchmarks/floors.py);
- ``quanze review DIR --out OUT --jobs J``: read, parse, validate, check, and the report (JSONL, CSV, HTML).

Every figure is printed beside its baseline of the same run: review CPU as a multiple of the floor's CPU,
drafts per CPU second, peak RSS against the floor's and against the smallest size (flat memory: the ratio
stays near 1 as the number of drafts grows), and the report's size (all files, and its largest HTML page:
a page a browser must open). The machine may be shared: CPU seconds are the steady figure, wall is shown.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from floors import generate, measured

FLOOR = (
    "import sys, yaml\nfrom pathlib import Path\nsys.path.insert(0, sys.argv[1])\nfrom floors import parse_floor\n"
    "parse_floor(sorted(Path(sys.argv[2]).rglob('*.yaml')))"
)


def report_size(out: Path) -> tuple[int, int]:
    """(bytes of every report file, bytes of the largest HTML page)."""
    files = [p for p in out.parent.rglob("*") if p.is_file()]
    pages = [p.stat().st_size for p in files if p.suffix == ".html"]
    return sum(p.stat().st_size for p in files), max(pages, default=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,50000")
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    quanze = shutil.which("quanze", path=str(Path(sys.executable).parent)) or "quanze"
    env = {**os.environ, "PYDANTIC_DISABLE_PLUGINS": "__all__"}
    print(
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; machine: {len(os.sched_getaffinity(0))} cores, "
        f"load {os.getloadavg()[0]:.1f}; review --jobs {args.jobs}; CPU = user + system of every process involved"
    )
    rows = []
    with tempfile.TemporaryDirectory(prefix="quanze-scale-") as tmp:
        subprocess_warm = measured([quanze, "rules", "list"], env)  # the rules cache, as any earlier command would
        assert subprocess_warm["code"] == 0
        for n in [int(s) for s in args.sizes.split(",")]:
            folder, out = Path(tmp) / f"d{n}", Path(tmp) / f"r{n}" / "report"
            generate(n, folder)
            out.parent.mkdir()
            floor = measured([sys.executable, "-c", FLOOR, str(Path(__file__).resolve().parent), str(folder)], env)
            run = measured([quanze, "review", str(folder), "--out", str(out), "--jobs", str(args.jobs), "--format", "json"], env)
            assert run["code"] in (0, 1), run
            total, largest = report_size(out)
            rows.append((n, floor, run, total, largest))
            shutil.rmtree(folder)
            shutil.rmtree(out.parent)
    base_rss = rows[0][2]["maxrss_kib"]
    print()
    print(
        "| drafts | review wall s | review CPU s | floor CPU s | CPU ÷ floor (≤ 3) | drafts per CPU s (≥ 1000) "
        "| peak RSS MB (≤ 300) | RSS ÷ floor RSS | RSS ÷ first size | report MB | largest page MB |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for n, floor, run, total, largest in rows:
        print(
            f"| {n} | {run['wall']:.1f} | {run['cpu']:.1f} | {floor['cpu']:.1f} | {run['cpu'] / floor['cpu']:.2f} | "
            f"{n / run['cpu']:.0f} | {run['maxrss_kib'] / 1024:.0f} | {run['maxrss_kib'] / floor['maxrss_kib']:.2f} | "
            f"{run['maxrss_kib'] / base_rss:.2f} | {total / 1e6:.1f} | {largest / 1e6:.2f} |"
        )


if __name__ == "__main__":
    main()
