"""Batch review (案卷评查): check every draft under a folder, summarise, write JSONL and HTML (engine/report.py) reports.

Each file gives one entry (a plain dict), so entries travel between processes as they are. One
unreadable or invalid file is an entry with its problems; it never stops the run.
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from collections.abc import Iterator
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from quanze.engine.check import check
from quanze.engine.drafts import read_draft
from quanze.engine.errors import QuanzeError
from quanze.engine.loader import RuleSet, load_rules

_worker_rules: RuleSet | None = None


def find_drafts(root: Path) -> list[Path]:
    """Every YAML or JSON file under root (expectation files of sample cases excluded), sorted."""
    if root.is_file():
        return [root]
    return sorted(
        p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in (".yaml", ".yml", ".json") and not p.name.endswith(".expect.yaml")
    )


def review_one(path: Path, rules: RuleSet) -> dict[str, Any]:
    """The review entry of one file: its result, or the problems that kept it from being checked."""
    try:
        draft = read_draft(path)
        result = check(draft, rules, str(path))
    except QuanzeError as exc:
        return {"file": str(path), "checked": False, "problems": [str(p) for p in exc.problems]}
    out = result.to_json()
    out["checked"] = True
    out["handler"] = draft.people.handler
    return out


def _init(rules_dir: str | None) -> None:
    global _worker_rules
    _worker_rules = load_rules(rules_dir)


def _review_in_worker(path: str) -> dict[str, Any]:
    assert _worker_rules is not None
    return review_one(Path(path), _worker_rules)


def review(paths: list[Path], rules: RuleSet, jobs: int = 1, rules_dir: Path | None = None) -> Iterator[dict[str, Any]]:
    """Entries for every path, in order; with jobs > 1, checked in that many processes."""
    if jobs <= 1 or len(paths) < 2:
        for path in paths:
            yield review_one(path, rules)
        return
    # one evaluating thread per process (durable-rules is not thread-safe). "fork" starts workers
    # without re-importing; each worker loads its own RuleSet and compiles its own rulesets.
    ctx = get_context("fork" if sys.platform.startswith("linux") else "spawn")
    chunk = max(1, min(256, len(paths) // (jobs * 8)))
    with ctx.Pool(jobs, initializer=_init, initargs=(str(rules_dir) if rules_dir else None,)) as pool:
        yield from pool.imap(_review_in_worker, [str(p) for p in paths], chunksize=chunk)


def all_cores() -> int:
    """The number of cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def summarize(entries: list[dict[str, Any]]) -> dict[str, Any]:
    """What an evaluation meeting needs: counts, top codes and 追责情形, per item and per handler."""
    checked = [e for e in entries if e["checked"]]
    codes: Counter[str] = Counter()
    triggers: Counter[tuple[str, int, str]] = Counter()
    per_item: dict[str, Counter[str]] = {}
    per_handler: dict[str, Counter[str]] = {}
    for e in checked:
        per_item.setdefault(e["item"], Counter())[e["verdict"]] += 1
        per_handler.setdefault(e.get("handler") or "(未填写)", Counter())[e["verdict"]] += 1
        for f in e["findings"]:
            codes[f["code"]] += 1
            for t in (f.get("accountability") or {}).get("triggers", []):
                triggers[(t["list"], t["no"], t["text"])] += 1
    return {
        "files": len(entries),
        "checked": len(checked),
        "unreadable": len(entries) - len(checked),
        "verdicts": dict(Counter(e["verdict"] for e in checked)),
        "top_codes": codes.most_common(10),
        "top_triggers": [{"list": k[0], "no": k[1], "text": k[2], "count": n} for k, n in triggers.most_common(10)],
        "per_item": {k: dict(v) for k, v in sorted(per_item.items())},
        "per_handler": {k: dict(v) for k, v in sorted(per_handler.items())},
        "problems": [{"file": e["file"], "problems": e["problems"]} for e in entries if not e["checked"]],
    }


def write_reports(
    base: Path, entries: list[dict[str, Any]], summary: dict[str, Any], meta: dict[str, Any] | None = None, rules: RuleSet | None = None
) -> tuple[Path, Path]:
    """Write ``<base>.jsonl`` (every entry) and ``<base>.html`` (engine/report.py); return both paths."""
    from quanze.engine.report import html_page

    base = base.with_suffix("") if base.suffix in (".html", ".jsonl") else base
    jsonl, page = base.with_name(base.name + ".jsonl"), base.with_name(base.name + ".html")
    base.parent.mkdir(parents=True, exist_ok=True)
    with jsonl.open("w", encoding="utf-8") as fh:
        for e in entries:
            fh.write(json.dumps(e, ensure_ascii=False, default=str) + "\n")
    page.write_text(html_page(summary, entries, meta, rules), encoding="utf-8")
    return jsonl, page
