"""Batch review (案卷评查): check every draft under a folder, summarise, write JSONL and HTML reports.

Each file gives one entry (a plain dict), so entries travel between processes as they are. One
unreadable or invalid file is an entry with its problems; it never stops the run.
"""

from __future__ import annotations

import html
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


def write_reports(base: Path, entries: list[dict[str, Any]], summary: dict[str, Any]) -> tuple[Path, Path]:
    """Write ``<base>.jsonl`` (every entry) and ``<base>.html`` (a self-contained page); return both paths."""
    base = base.with_suffix("") if base.suffix in (".html", ".jsonl") else base
    jsonl, page = base.with_name(base.name + ".jsonl"), base.with_name(base.name + ".html")
    base.parent.mkdir(parents=True, exist_ok=True)
    with jsonl.open("w", encoding="utf-8") as fh:
        for e in entries:
            fh.write(json.dumps(e, ensure_ascii=False, default=str) + "\n")
    page.write_text(html_page(summary), encoding="utf-8")
    return jsonl, page


def _table(headers: list[str], rows: list[list[Any]]) -> str:
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in headers)

    def cell(c: Any) -> str:
        text = str(c)
        return f'<td class="wrap">{html.escape(text)}</td>' if len(text) > 24 else f"<td>{html.escape(text)}</td>"

    body = "".join("<tr>" + "".join(cell(c) for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _bars(rows: list[tuple[str, int]]) -> str:
    """A horizontal bar chart as inline SVG."""
    if not rows:
        return "<p>无</p>"
    top = max(n for _, n in rows) or 1
    height = 24 * len(rows) + 8
    parts = [f'<svg role="img" width="720" height="{height}" xmlns="http://www.w3.org/2000/svg">']
    for i, (label, n) in enumerate(rows):
        y = 4 + 24 * i
        width = int(420 * n / top)
        parts.append(f'<text x="0" y="{y + 15}" font-size="12">{html.escape(label)}</text>')
        parts.append(f'<rect x="260" y="{y}" width="{width}" height="18" fill="#b22222"/>')
        parts.append(f'<text x="{266 + width}" y="{y + 15}" font-size="12">{n}</text>')
    parts.append("</svg>")
    return "".join(parts)


def html_page(summary: dict[str, Any]) -> str:
    """The review report as one HTML page with its tables and a bar chart, no external files."""
    verdicts = summary["verdicts"]
    sections = [
        "<h1>案卷评查报告</h1>",
        _table(
            ["案卷", "已检查", "无法检查", "通过", "有警告", "未完成", "不通过"],
            [
                [
                    summary["files"],
                    summary["checked"],
                    summary["unreadable"],
                    verdicts.get("pass", 0),
                    verdicts.get("warn", 0),
                    verdicts.get("incomplete", 0),
                    verdicts.get("fail", 0),
                ]
            ],
        ),
        "<h2>最常见的问题</h2>",
        _bars([(code, n) for code, n in summary["top_codes"]]),
        _table(["结论代码", "次数"], [[c, n] for c, n in summary["top_codes"]]),
        "<h2>最常触发的追责情形</h2>",
        _table(["事项", "追责情形", "内容", "次数"], [[t["list"], t["no"], t["text"], t["count"]] for t in summary["top_triggers"]]),
        "<h2>按事项</h2>",
        _table(
            ["事项", "通过", "有警告", "未完成", "不通过"],
            [[k, v.get("pass", 0), v.get("warn", 0), v.get("incomplete", 0), v.get("fail", 0)] for k, v in summary["per_item"].items()],
        ),
        "<h2>按承办人</h2>",
        _table(
            ["承办人", "通过", "有警告", "未完成", "不通过"],
            [[k, v.get("pass", 0), v.get("warn", 0), v.get("incomplete", 0), v.get("fail", 0)] for k, v in summary["per_handler"].items()],
        ),
    ]
    if summary["problems"]:
        sections += [
            "<h2>无法检查的文件</h2>",
            _table(["文件", "问题"], [[p["file"], "；".join(p["problems"])] for p in summary["problems"]]),
        ]
    style = (
        "body{font-family:sans-serif;margin:2em;max-width:60em}table{border-collapse:collapse;margin:1em 0}"
        "th,td{border:1px solid #999;padding:.3em .6em;text-align:left}th{background:#eee}"
    )
    return (
        '<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8"><title>案卷评查报告</title>'
        f"<style>{style}</style></head><body>{''.join(sections)}</body></html>"
    )
