"""Batch review (案卷评查): check every draft under a folder, summarise, write JSONL and HTML (engine/report.py) reports.

Each file gives one entry (a plain dict), so entries travel between processes as they are. Nothing
one file does stops the run: an input error, an engine error or a bug is that file's entry
(``checked: false`` with a ``reason`` and its ``problems``); a worker process that dies (killed,
segfault, out of memory) is replaced, and the files it held are checked again one by one in a fresh
worker, so only the file that kills a worker is recorded as failed. Broken links and files that are
not regular (FIFO, device) are skipped with their reason; a folder reached twice (symlinks) is
walked once. Every file seen has an entry: checked + not checked = files.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import stat
import sys
from collections import Counter, deque
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from quanze.engine.check import check, names_checker
from quanze.engine.drafts import file_kind, read_draft
from quanze.engine.errors import InputError, Problem, QuanzeError, display_path
from quanze.engine.loader import RuleSet, load_rules

_worker_rules: RuleSet | None = None
_SUFFIXES = (".yaml", ".yml", ".json")

# why a file was not checked (the ``reason`` of its entry)
REASONS = {
    "input_error": "输入错误",
    "rules_engine_error": "规则引擎错误",
    "internal_error": "内部错误",
    "worker_died": "工作进程意外退出",
    "broken_link": "链接失效",
    "not_regular": "不是普通文件",
    "unreadable_folder": "目录无法读取",
}


def is_draft_name(name: str) -> bool:
    """A YAML or JSON file name that is not a sample case's expectation file or hypothetical provision."""
    return name.lower().endswith(_SUFFIXES) and not name.endswith((".expect.yaml", ".hypothetical.yaml"))


def not_checked(path: Path | str, reason: str, problems: list[str]) -> dict[str, Any]:
    """The entry of a file that was not checked: why (a REASONS key) and one line per problem."""
    return {"file": display_path(path), "checked": False, "reason": reason, "problems": problems}


def walk(root: Path) -> tuple[list[Path], list[dict[str, Any]]]:
    """The drafts under root (sorted) and the entries of files skipped there (broken links, FIFOs, devices).

    Symlinked folders are followed, each folder (by device and inode) once, so a link loop ends.
    """
    if not root.is_dir():
        return [root], []
    drafts: list[Path] = []
    skipped: list[dict[str, Any]] = []
    seen: set[tuple[int, int]] = set()
    folders = [root]
    while folders:
        folder = folders.pop()
        try:
            info = os.stat(folder)
            if (info.st_dev, info.st_ino) in seen:
                continue
            seen.add((info.st_dev, info.st_ino))
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            why = f"{display_path(folder)}: 目录无法读取（{exc.strerror or exc}）"
            skipped.append(not_checked(folder, "unreadable_folder", [why]))
            continue
        for entry in entries:
            path = Path(entry.path)
            try:
                mode = os.stat(path).st_mode  # follows links
            except OSError as exc:
                if entry.is_symlink():
                    why = "链接循环" if exc.errno == 40 else "链接目标不存在"
                    skipped.append(not_checked(path, "broken_link", [f"{display_path(path)}: {why}"]))
                continue
            if stat.S_ISDIR(mode):
                folders.append(path)
            elif is_draft_name(entry.name):
                if stat.S_ISREG(mode):
                    drafts.append(path)
                else:
                    skipped.append(not_checked(path, "not_regular", [f"{display_path(path)}: 不是普通文件（{file_kind(mode)}）"]))
    return sorted(drafts), sorted(skipped, key=lambda e: e["file"])


def find_drafts(root: Path) -> list[Path]:
    """Every YAML or JSON file under root (expectation files of sample cases excluded), sorted."""
    return walk(root)[0]


def review_one(path: Path, rules: RuleSet) -> dict[str, Any]:
    """The review entry of one file: its result, or why and what kept it from being checked. Never raises."""
    label = display_path(path)
    try:
        draft = read_draft(path, names_checker(rules, label))  # every problem of the file at once
        result = check(draft, rules, label)
        out = result.to_json()
    except QuanzeError as exc:
        return not_checked(path, "input_error", [str(p) for p in exc.problems])
    except Exception as exc:  # a bug or the rules engine's error: this file's entry, never the run's end
        engine = "durable" in (type(exc).__module__ or "")
        reason = "rules_engine_error" if engine else "internal_error"
        return not_checked(path, reason, [f"{label}: {REASONS[reason]}（请报告此问题）：{type(exc).__name__}: {str(exc)[:200]}"])
    out["checked"] = True
    out["handler"] = draft.people.handler
    return out


def _init(rules_dir: str | None) -> None:
    """A worker's rules: the parent's RuleSet inherited through fork, else (spawn) loaded once here."""
    global _worker_rules
    if _worker_rules is None:
        _worker_rules = load_rules(rules_dir)


def _review_chunk(paths: list[str]) -> list[dict[str, Any]]:
    assert _worker_rules is not None
    return [review_one(Path(p), _worker_rules) for p in paths]


def _died(path: Path) -> dict[str, Any]:
    return not_checked(path, "worker_died", [f"{display_path(path)}: 检查此文件的工作进程意外退出（被终止、段错误或内存不足），文件未检查"])


def review(paths: list[Path], rules: RuleSet, jobs: int = 1, rules_dir: Path | None = None) -> Iterator[dict[str, Any]]:
    """Entries for every path, in order; with jobs > 1, checked in that many processes."""
    if jobs <= 1 or len(paths) < 2:
        for path in paths:
            yield review_one(path, rules)
        return
    global _worker_rules
    # forked workers inherit this RuleSet with the rulesets it has already compiled (and their
    # durable-rules handles, plain in-process C state with no threads), so none reloads the rules
    _worker_rules = rules if _FORK else None
    gc.freeze()  # the inherited objects stay out of the workers' collections: their pages stay shared
    try:
        yield from _pooled(paths, jobs, rules_dir)
    finally:
        _worker_rules = None
        gc.unfreeze()


_FORK = sys.platform.startswith("linux")


def _pool(jobs: int, rules_dir: Path | None) -> ProcessPoolExecutor:
    # one evaluating thread per process (durable-rules is not thread-safe). "fork" starts workers
    # without re-importing, with the parent's RuleSet (see review); under "spawn" each worker loads
    # its own. A ruleset not yet compiled is compiled once per worker, on first use.
    ctx = get_context("fork" if _FORK else "spawn")
    return ProcessPoolExecutor(jobs, mp_context=ctx, initializer=_init, initargs=(str(rules_dir) if rules_dir else None,))


def _pooled(paths: list[Path], jobs: int, rules_dir: Path | None) -> Iterator[dict[str, Any]]:
    """Chunks of files in a pool of ``jobs`` workers; a pool broken by a dying worker is replaced.

    The files of the chunks in flight when a worker died are suspects: each is checked again alone
    in a one-worker pool, so the innocent ones are checked and only the killer is recorded as failed.
    """
    chunk = max(1, min(64, len(paths) // (jobs * 8)))
    pending = deque(list(range(i, min(i + chunk, len(paths)))) for i in range(0, len(paths), chunk))
    results: dict[int, dict[str, Any]] = {}
    ready = 0
    for _restart in range(len(paths) + 2):  # a pool per break; each break takes at least one file
        if not pending:
            break
        suspects: list[int] = []
        pool = _pool(jobs, rules_dir)
        inflight: dict[Future, list[int]] = {}
        try:
            while (pending or inflight) and not suspects:
                while pending and len(inflight) < 2 * jobs:
                    indices = pending.popleft()
                    try:
                        inflight[pool.submit(_review_chunk, [str(paths[i]) for i in indices])] = indices
                    except BrokenProcessPool:  # a worker died between tasks
                        suspects.extend(indices)
                        break
                if inflight and not suspects:
                    done, _ = wait(inflight, return_when=FIRST_COMPLETED)
                    for future in done:
                        _collect(future, inflight.pop(future), paths, results, suspects)
                if suspects:  # the pool is broken: every chunk still in flight is a suspect
                    for future, indices in inflight.items():
                        _collect(future, indices, paths, results, suspects)
                while ready in results:
                    yield results.pop(ready)
                    ready += 1
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        results.update(_alone(paths, suspects, rules_dir))
        while ready in results:
            yield results.pop(ready)
            ready += 1
    for indices in pending:  # pragma: no cover - only if pools kept breaking without a file to blame
        results.update((i, _died(paths[i])) for i in indices)
    while ready in results:
        yield results.pop(ready)
        ready += 1


def _collect(future: Future, indices: list[int], paths: list[Path], results: dict[int, Any], suspects: list[int]) -> None:
    """Take a finished chunk's entries into results; a chunk lost with its worker goes to suspects."""
    if not future.done():
        suspects.extend(indices)
        return
    try:
        results.update(zip(indices, future.result(), strict=True))
    except BrokenProcessPool:
        suspects.extend(indices)
    except Exception as exc:  # pragma: no cover - _review_chunk never raises
        results.update((i, not_checked(paths[i], "internal_error", [f"{display_path(paths[i])}: {exc}"])) for i in indices)


def _alone(paths: list[Path], indices: list[int], rules_dir: Path | None) -> Iterator[tuple[int, dict[str, Any]]]:
    """Check each file of ``indices`` alone in a one-worker pool; a file whose worker dies gets a ``worker_died`` entry."""
    pool: ProcessPoolExecutor | None = None
    try:
        for i in indices:
            path = paths[i]
            pool = pool or _pool(1, rules_dir)
            try:
                yield i, pool.submit(_review_chunk, [str(path)]).result()[0]
            except BrokenProcessPool:
                yield i, _died(path)
                pool.shutdown(wait=True)
                pool = None
    finally:
        if pool is not None:
            pool.shutdown(wait=True)


def check_writable(base: Path) -> tuple[Path, Path]:
    """The two report paths of ``--out``, after making sure they can be written safely (InputError at once if not).

    Nothing is created but the folder: a target that is a symlink, another user's file or in another
    user's folder is refused (engine/safeio.py), and a probe file created exclusively and removed
    shows the folder is writable.
    """
    from quanze.engine.safeio import check_target, write_atomic

    jsonl, page = report_paths(base)
    for target in (jsonl, page):
        check_target(target)
    probe = jsonl.with_name(f".{jsonl.name}.probe")
    try:
        write_atomic(probe, b"")
        probe.unlink()
    except OSError as exc:
        raise InputError([Problem(display_path(base), "--out", f"报告无法写入：{exc.strerror or exc}")]) from None
    return jsonl, page


def report_paths(base: Path) -> tuple[Path, Path]:
    """``<base>.jsonl`` and ``<base>.html`` (a .html or .jsonl suffix of base is dropped)."""
    base = base.with_suffix("") if base.suffix in (".html", ".jsonl") else base
    return base.with_name(base.name + ".jsonl"), base.with_name(base.name + ".html")


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
        "not_checked": dict(Counter(e.get("reason", "input_error") for e in entries if not e["checked"])),
        "problems": [
            {"file": e["file"], "reason": e.get("reason", "input_error"), "problems": e["problems"]} for e in entries if not e["checked"]
        ],
    }


def write_reports(
    base: Path, entries: list[dict[str, Any]], summary: dict[str, Any], meta: dict[str, Any] | None = None, rules: RuleSet | None = None
) -> tuple[Path, Path]:
    """Write ``<base>.jsonl`` (every entry) and ``<base>.html`` (engine/report.py); return both paths."""
    from quanze.engine.report import html_page
    from quanze.engine.safeio import write_all

    jsonl, page = report_paths(base)
    lines = "".join(json.dumps(e, ensure_ascii=False, default=str) + "\n" for e in entries)
    data = lines.encode("utf-8", "replace")  # always valid UTF-8
    # the page names its JSONL (SHA-256 and count of lines): a reader can tell the two belong to one run
    pair = {**(meta or {}), "jsonl_sha256": hashlib.sha256(data).hexdigest(), "jsonl_lines": len(entries)}
    page_bytes = html_page(summary, entries, pair, rules).encode("utf-8", "replace")
    write_all([(jsonl, data), (page, page_bytes)])  # both staged and synced, then renamed: never a truncated file
    return jsonl, page
