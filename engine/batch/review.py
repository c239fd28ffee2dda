"""Batch review (案卷评查): check every draft under a folder, summarise, write JSONL and HTML (engine/present/report.py) reports.

Each file gives one entry (a plain dict), so entries travel between processes as they are. Nothing
one file does stops the run: an input error, an engine error or a bug is that file's entry
(``checked: false`` with a ``reason`` and its ``problems``); a worker process that dies (killed,
segfault, out of memory) is replaced, and the files it held are checked again one by one in a fresh
worker, so only the file that kills a worker is recorded as failed. Broken links and files that are
not regular (FIFO, device) are skipped with their reason; a folder reached twice (symlinks) is
walked once. Every file seen has an entry: checked + not checked = files.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import pickle
import signal
import stat
import sys
import tempfile
import time
import unicodedata
from collections import Counter, deque
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures import TimeoutError as FuturesTimeout
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from pathlib import Path
from typing import IO, Any

from quanze.engine.check.checker import check
from quanze.engine.check.pipeline import read_file
from quanze.engine.check.stage import STAGES
from quanze.engine.load.loader import RuleSet, load_rules
from quanze.engine.load.scoring import Scores, Scoring, load_scoring, score_of, score_summary
from quanze.engine.model.drafts import file_kind, identity
from quanze.engine.model.errors import InputError, Problem, QuanzeError, display_path, renamed
from quanze.engine.present.output import UNFILLED

_worker_rules: RuleSet | None = None
_SUFFIXES = (".yaml", ".yml", ".json")

# why a file was not checked (the ``reason`` of its entry)
REASONS = {
    "input_error": "输入错误",
    "rules_engine_error": "规则引擎错误",
    "internal_error": "内部错误",
    "worker_died": "工作进程意外退出",
    "timeout": "超时未检查",
    "broken_link": "链接失效",
    "not_regular": "不是普通文件",
    "unreadable_folder": "目录无法读取",
    "outside_link": "链接指向目录之外",
}
OUTSIDE = "指向所查目录之外的文件夹链接，未进入"  # one line per such link, in every folder walk


def is_draft_name(name: str) -> bool:
    """A YAML or JSON file name that is not a sample case's expectation file, a hypothetical provision or the sources
    ``quanze read`` writes beside a case file."""
    return name.lower().endswith(_SUFFIXES) and not name.endswith((".expect.yaml", ".hypothetical.yaml", ".sources.yaml"))


def not_checked(path: Path | str, reason: str, problems: list[Problem] | str) -> dict[str, Any]:
    """The entry of a file that was not checked: why (a REASONS key) and its problems (records; a text is the one
    problem of the file itself). The JSONL writes each problem as its terminal line (``entry_json``)."""
    file = display_path(path)
    records = [Problem(file, "", problems)] if isinstance(problems, str) else problems
    return {"file": file, "checked": False, "reason": reason, "problems": records}


def entry_json(entry: dict[str, Any]) -> dict[str, Any]:
    """An entry as the JSONL holds it: the problems of a file not checked as the lines ``quanze check`` prints."""
    if entry.get("checked", True):
        return entry
    return {**entry, "problems": [str(p) for p in entry["problems"]]}


def walk(root: Path) -> tuple[list[Path], list[dict[str, Any]]]:
    """The drafts under root (sorted) and the entries of files skipped there (broken links, FIFOs, devices).

    Symlinked folders are followed, each folder (by device and inode) once, so a link loop ends, but only
    while they stay inside root: a link out of the folder (``ln -s / cases/x``) is not entered and is
    skipped with one line (reason ``outside_link``), so a walk never reaches the rest of the disk.
    """
    names, skipped = walk_names(root)
    return [Path(name) for name in names], skipped


def walk_names(root: Path) -> tuple[list[str], list[dict[str, Any]]]:
    """``walk`` with the drafts as the text of their paths, in the same order: a review of many files holds
    ~100 bytes a file for its list, not the ~450 of a ``Path`` (whose parts and sort key it caches)."""
    if not root.is_dir():
        return [str(root)], []
    drafts: list[str] = []
    skipped: list[dict[str, Any]] = []
    inside = os.path.realpath(root)
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
            skipped.append(not_checked(folder, "unreadable_folder", f"目录无法读取（{exc.strerror or exc}）"))
            continue
        for entry in entries:
            path = Path(entry.path)
            try:
                mode = os.stat(path).st_mode  # follows links
            except OSError as exc:
                if entry.is_symlink():
                    why = "链接循环" if exc.errno == 40 else "链接目标不存在"
                    skipped.append(not_checked(path, "broken_link", why))
                continue
            if stat.S_ISDIR(mode):
                if entry.is_symlink() and os.path.commonpath([inside, os.path.realpath(path)]) != inside:
                    skipped.append(not_checked(path, "outside_link", OUTSIDE))
                    continue
                folders.append(path)
            elif is_draft_name(entry.name):
                if stat.S_ISREG(mode):
                    drafts.append(str(path))
                else:
                    skipped.append(not_checked(path, "not_regular", f"不是普通文件（{file_kind(mode)}）"))
    return sorted(drafts, key=_by_parts), sorted(skipped, key=lambda e: e["file"])


def _by_parts(name: str) -> str:
    """A path's sort key that orders as ``Path`` does, part by part (``a/b`` before ``a-b``): its separators as NUL,
    which sorts before any character a name may hold (``Path`` compares Windows paths without case)."""
    key = name.replace(os.sep, "\0")
    return key if os.sep == "/" else key.lower()  # Windows paths compare without case


def find_drafts(root: Path) -> list[Path]:
    """Every YAML or JSON file under root (expectation files of sample cases excluded), sorted."""
    return walk(root)[0]


def review_one(path: Path | str, rules: RuleSet) -> dict[str, Any]:
    """The review entry of one file: its result, or why and what kept it from being checked. Never raises."""
    label = display_path(path)
    try:
        draft = read_file(path, rules, label)  # every problem of the file at once
        result = check(draft, rules, label)
        out = result.to_json()
    except QuanzeError as exc:
        return not_checked(path, "input_error", exc.problems)
    except Exception as exc:  # a bug or the rules engine's error: this file's entry, never the run's end
        engine = "durable" in (type(exc).__module__ or "")
        reason = "rules_engine_error" if engine else "internal_error"
        return not_checked(path, reason, f"{REASONS[reason]}（请报告此问题）：{type(exc).__name__}: {str(exc)[:200]}")
    out["checked"] = True
    out["handler"] = draft.people.handler
    return out


def _init(rules_dir: str | None, parent: int = 0, slots: Any = None, render: Any = None) -> None:
    """A worker's start: it dies with the parent (kill -9 of review leaves no worker behind), claims a
    slot to show the file it is on, and has its rules (the parent's RuleSet inherited through fork,
    else, under spawn, loaded once here)."""
    global _worker_rules, _slot, _slots, _render
    _die_with_parent(parent)
    _render = render
    _slots, _slot = slots, -1
    if slots is not None:
        with slots.get_lock():
            for i in range(0, len(slots), 3):
                if slots[i] == 0:  # free
                    slots[i], slots[i + 1], _slot = os.getpid(), -1, i
                    break
        _slots = slots.get_obj()  # written without the lock: one writer per slot
    if _worker_rules is None:
        _worker_rules = load_rules(rules_dir)


def _die_with_parent(parent: int) -> None:
    """Ask the kernel to SIGKILL this worker when its parent dies (Linux), else watch the parent from a thread."""
    if not parent:
        return
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):  # pragma: no cover - no libc
            _watch_parent(parent)
    else:  # pragma: no cover - not Linux
        _watch_parent(parent)
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _watch_parent(parent: int) -> None:  # pragma: no cover - only where prctl is missing
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="quanze-parent-watch", daemon=True).start()


_slots: Any = None  # shared array: per worker (pid, index of the file it is checking or -1, start time)
_slot = -1
_render: Any = None  # what a worker makes of each entry before sending it (engine/batch/pages.py render_entry), or None


def _review_chunk(paths: list[str], indices: Sequence[int] | None = None, labels: list[str | None] | None = None) -> list[Any]:
    assert _worker_rules is not None
    out = []
    for n, p in enumerate(paths):
        if _slots is not None and _slot >= 0 and indices is not None:
            _slots[_slot + 2] = time.monotonic()  # CLOCK_MONOTONIC: the same clock in every process
            _slots[_slot + 1] = indices[n]
        out.append(_finish(review_one(Path(p), _worker_rules), labels[n] if labels else None, _worker_rules))
        if _slots is not None and _slot >= 0:
            _slots[_slot + 1] = -1
    return out


def _finish(entry: dict[str, Any], label: str | None, rules: Any) -> Any:
    """An entry with its distinct label, rendered when the run asks for it."""
    entry = _relabel(entry, label)
    return _render(entry, rules) if _render is not None else entry


def _died(path: Path) -> dict[str, Any]:
    return not_checked(path, "worker_died", "检查此文件的工作进程意外退出（被终止、段错误或内存不足），文件未检查")


DEFAULT_TIMEOUT = 30.0  # seconds a worker may spend on one file (review --timeout); a lawful draft takes ~10 ms


def _timed_out(path: Path, seconds: float) -> dict[str, Any]:
    return not_checked(
        path,
        "timeout",
        f"超时未检查：检查此文件超过 {seconds:g} 秒（工作进程停止响应或文件过于复杂），工作进程已被替换",
    )


def review(
    paths: Sequence[Path | str],
    rules: RuleSet,
    jobs: int = 1,
    rules_dir: Path | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    render: Any = None,
    names: dict[str, str] | None = None,
) -> Iterator[Any]:
    """Entries for every path, in order; with jobs > 1, checked in that many processes, each file within ``timeout`` seconds.

    ``names`` ({display path: label}) names files as people know them (case files read from documents into a
    temporary folder: their 文号 and documents), set on each entry before it is rendered.

    With ``render`` (a module-level function of an entry and the rules, such as engine/batch/pages.py
    ``render_entry``), each entry is rendered where it was checked, in the worker, and that is yielded instead.
    Files whose names display alike (bytes that are not UTF-8 shown as U+FFFD) are named with those
    bytes escaped, so every entry has its own ``file`` (and its own score in the report).
    """
    global _worker_rules, _render
    labels: dict[int, Any] = {i: Named(names[display_path(p)]) for i, p in enumerate(paths) if names and display_path(p) in names}
    labels.update(distinct_labels(paths))
    _render = render
    try:
        if jobs <= 1 or len(paths) < 2:
            for i, path in enumerate(paths):
                yield _finish(review_one(path, rules), labels.get(i), rules)  # the path as given: one Path less a file
            return
        # forked workers inherit this RuleSet with the rulesets it has already compiled (and their
        # durable-rules handles, plain in-process C state with no threads), so none reloads the rules
        _worker_rules = rules if _FORK else None
        gc.freeze()  # the inherited objects stay out of the workers' collections: their pages stay shared
        try:
            yield from _pooled(paths, jobs, rules_dir, timeout, labels, rules)
        finally:
            _worker_rules = None
            gc.unfreeze()
    finally:
        _render = None


def distinct_labels(paths: Sequence[Path | str]) -> dict[int, str]:
    """For paths whose display names coincide (or differ only in invisible or combining characters): labels that
    tell them apart, with bytes that are not UTF-8 as ``\\xff`` and hidden or combining characters as ``\\uXXXX``.

    Only names that display otherwise than they are written are held (paths are distinct, so two names alike
    include one of those): nothing per file for a folder of plain names."""
    seen: dict[str, list[int]] = {}  # the displayed form of each name that is not its text -> those names
    for i, p in enumerate(paths):
        text = str(p)
        if (shown := _alike(display_path(text))) != text:
            seen.setdefault(shown, []).append(i)
    if seen:  # a name that displays as it is written, as another one displays
        for i, p in enumerate(paths):
            text = str(p)
            if (group := seen.get(text)) is not None and i not in group and _alike(display_path(text)) == text:
                group.append(i)
    alike = sorted(i for group in seen.values() if len(group) > 1 for i in group)
    return {i: _escaped(os.fsencode(paths[i]).decode("utf-8", "backslashreplace")) for i in alike}


def _alike(label: str) -> str:
    from quanze.engine.model.text import has_hidden, hidden

    if unicodedata.is_normalized("NFC", label) and not has_hidden(label):  # a plain name (nearly all): itself
        return label
    return "".join(c for c in unicodedata.normalize("NFC", label) if not hidden(c))


def _escaped(text: str) -> str:
    from quanze.engine.model.text import shown

    return "".join(
        c if unicodedata.normalize("NFC", c) == c and not unicodedata.combining(c) else f"\\u{ord(c):04x}" for c in shown(text)
    )


class Named(str):
    """The name people know a file by (a case read from documents: its 文号 and documents), for the entry and the
    problems of the file; a plain label (``distinct_labels``) names the entry only."""


def _relabel(entry: dict[str, Any], label: str | None) -> dict[str, Any]:
    if label is None:
        return entry
    if isinstance(label, Named) and not entry.get("checked", True):
        entry["problems"] = renamed(entry["problems"], entry["file"], str(label))
    entry["file"] = str(label)
    return entry


_FORK = sys.platform.startswith("linux")


def _pool(jobs: int, rules_dir: Path | None, slots: Any = None) -> ProcessPoolExecutor:
    # one evaluating thread per process (durable-rules is not thread-safe). "fork" starts workers
    # without re-importing, with the parent's RuleSet (see review); under "spawn" each worker loads
    # its own. A ruleset not yet compiled is compiled once per worker, on first use.
    ctx = get_context("fork" if _FORK else "spawn")
    args = (str(rules_dir) if rules_dir else None, os.getpid(), slots, _render)
    return ProcessPoolExecutor(jobs, mp_context=ctx, initializer=_init, initargs=args)


def _close(pool: ProcessPoolExecutor) -> None:
    """Shut a pool down without waiting on a worker that no longer answers (stopped or stuck): it is killed."""
    from multiprocessing.connection import wait as ended

    workers = {w.sentinel: w for w in (getattr(pool, "_processes", None) or {}).values()}
    pool.shutdown(wait=False, cancel_futures=True)
    deadline = time.monotonic() + 5.0
    while workers and time.monotonic() < deadline:
        for sentinel in ended(list(workers), timeout=max(0.0, deadline - time.monotonic())):
            workers.pop(sentinel)  # type: ignore[call-overload]
    for w in workers.values():
        _kill(w.pid)


def _kill(pid: int | None) -> None:
    if pid:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)  # also ends a stopped (SIGSTOP) worker


def _overdue(slots: Any, timeout: float) -> list[tuple[int, int]]:
    """(pid, file index) of every worker on one file for longer than ``timeout`` seconds."""
    now = time.monotonic()
    out = []
    slots = slots.get_obj()  # read without the lock: a torn read only delays a timeout
    for i in range(0, len(slots), 3):
        pid, index, since = int(slots[i]), int(slots[i + 1]), slots[i + 2]
        if pid and index >= 0 and now - since > timeout:
            out.append((pid, index))
    return out


def _pooled(
    paths: Sequence[Path | str],
    jobs: int,
    rules_dir: Path | None,
    timeout: float = DEFAULT_TIMEOUT,
    labels: dict[int, str] | None = None,
    rules: Any = None,
) -> Iterator[Any]:
    """Chunks of files in a pool of ``jobs`` workers; a pool broken by a dying worker is replaced.

    The files of the chunks in flight when a worker died are suspects: each is checked again alone
    in a one-worker pool, so the innocent ones are checked and only the killer is recorded as failed.
    A worker on one file for longer than ``timeout`` seconds is killed, that file recorded as
    ``timeout`` (超时未检查), and the pool replaced the same way.
    """
    ctx = get_context("fork" if _FORK else "spawn")
    labels = labels or {}

    def made(i: int, entry: dict[str, Any]) -> Any:  # an entry made here, not in a worker
        return _finish(entry, labels.get(i), rules)

    chunk = max(1, min(64, len(paths) // (jobs * 8)))
    pending = deque(range(i, min(i + chunk, len(paths))) for i in range(0, len(paths), chunk))  # ranges: no int per file held
    results: dict[int, dict[str, Any]] = {}
    ready = 0
    poll = max(0.05, min(1.0, timeout / 4))
    for _restart in range(len(paths) + 2):  # a pool per break; each break takes at least one file
        if not pending:
            break
        suspects: list[int] = []
        slots = ctx.Array("d", 3 * jobs)  # per worker: pid, file index, start time
        pool = _pool(jobs, rules_dir, slots)
        inflight: dict[Future, Sequence[int]] = {}
        try:
            while (pending or inflight) and not suspects:
                while pending and len(inflight) < 2 * jobs:
                    indices = pending.popleft()
                    try:
                        names = [labels.get(i) for i in indices]
                        inflight[pool.submit(_review_chunk, [str(paths[i]) for i in indices], indices, names)] = indices
                    except BrokenProcessPool:  # a worker died between tasks
                        suspects.extend(indices)
                        break
                if inflight and not suspects:
                    done, _ = wait(inflight, timeout=poll, return_when=FIRST_COMPLETED)
                    for future in done:
                        _collect(future, inflight.pop(future), paths, results, suspects, made)
                    for pid, index in _overdue(slots, timeout):
                        results[index] = made(index, _timed_out(paths[index], timeout))
                        _kill(pid)  # the pool breaks: its chunks in flight become suspects
                        wait(inflight, timeout=5.0)
                        suspects.append(index)
                if suspects:  # the pool is broken: every chunk still in flight is a suspect
                    for future, indices in inflight.items():
                        _collect(future, indices, paths, results, suspects, made)
                while ready in results:
                    yield results.pop(ready)
                    ready += 1
        finally:
            _close(pool)
        again = [i for i in dict.fromkeys(suspects) if i not in results]  # a file that timed out is not run again
        results.update(_alone(paths, again, rules_dir, timeout, labels, made))
        while ready in results:
            yield results.pop(ready)
            ready += 1
    for indices in pending:  # pragma: no cover - only if pools kept breaking without a file to blame
        results.update((i, made(i, _died(paths[i]))) for i in indices)
    while ready in results:
        yield results.pop(ready)
        ready += 1


def _collect(
    future: Future, indices: Sequence[int], paths: Sequence[Path | str], results: dict[int, Any], suspects: list[int], made: Any
) -> None:
    """Take a finished chunk's entries into results; a chunk lost with its worker goes to suspects."""
    if not future.done():
        suspects.extend(indices)
        return
    try:
        results.update(zip(indices, future.result(), strict=True))
    except BrokenProcessPool:
        suspects.extend(indices)
    except Exception as exc:  # pragma: no cover - _review_chunk never raises
        results.update((i, made(i, not_checked(paths[i], "internal_error", str(exc)))) for i in indices)


def _alone(
    paths: Sequence[Path | str],
    indices: list[int],
    rules_dir: Path | None,
    timeout: float = DEFAULT_TIMEOUT,
    labels: dict[int, str] | None = None,
    made: Any = None,
) -> Iterator[tuple[int, Any]]:
    """Check each file of ``indices`` alone in a one-worker pool; a file whose worker dies gets a ``worker_died``
    entry, one that takes longer than ``timeout`` seconds a ``timeout`` entry (its worker is killed)."""
    pool: ProcessPoolExecutor | None = None
    try:
        for i in indices:
            path = paths[i]
            pool = pool or _pool(1, rules_dir)
            try:
                yield i, pool.submit(_review_chunk, [str(path)], None, [(labels or {}).get(i)]).result(timeout=timeout)[0]
            except BrokenProcessPool:
                yield i, made(i, _died(path)) if made else _died(path)
                _close(pool)
                pool = None
            except FuturesTimeout:
                for worker in list((getattr(pool, "_processes", None) or {}).values()):
                    _kill(worker.pid)
                yield i, made(i, _timed_out(path, timeout)) if made else _timed_out(path, timeout)
                _close(pool)
                pool = None
    finally:
        if pool is not None:
            _close(pool)


def check_writable(base: Path) -> tuple[Path, Path]:
    """The two report paths of ``--out``, after making sure they can be written safely (InputError at once if not).

    Nothing is created but the folder: a target that is a symlink, another user's file or in another
    user's folder is refused (engine/model/safeio.py), and a probe file created exclusively and removed
    shows the folder is writable.
    """
    from quanze.engine.model.safeio import check_target, os_reason, write_atomic

    jsonl, page = report_paths(base)
    for target in (jsonl, page, jsonl.with_suffix(".csv"), jsonl.with_suffix(".xlsx")):
        check_target(target)
    probe = jsonl.with_name(f".{jsonl.name}.probe")
    try:
        write_atomic(probe, b"")
        probe.unlink()
    except OSError as exc:
        raise InputError([Problem(display_path(base), "--out", f"报告无法写入：{os_reason(exc)}")]) from None
    return jsonl, page


def report_paths(base: Path) -> tuple[Path, Path]:
    """``<base>.jsonl`` and ``<base>.html`` (a .html, .jsonl, .csv or .xlsx suffix of base is dropped; the CSV and the
    xlsx are the JSONL's path with ``.csv`` and ``.xlsx``)."""
    base = base.with_suffix("") if base.suffix in (".html", ".jsonl", ".csv", ".xlsx") else base
    return base.with_name(base.name + ".jsonl"), base.with_name(base.name + ".html")


def all_cores() -> int:
    """The number of cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def brief(entry: dict[str, Any]) -> dict[str, Any]:
    """What the summary needs of one entry (small enough to travel from a worker with each file)."""
    if not entry["checked"]:
        return {"file": entry["file"], "checked": False, "reason": entry.get("reason", "input_error"), "problems": entry["problems"]}
    findings = entry["findings"]
    return {
        "file": entry["file"],
        "checked": True,
        "case_id": entry.get("case_id", ""),
        "item": entry["item"],
        "verdict": entry["verdict"],
        # one row per person: 张三, ＂张 三＂ and 张三 with a zero-width space are the same handler (drafts.identity)
        "handler": identity(entry.get("handler")) or UNFILLED,
        "findings": [{"code": f["code"], "severity": f["severity"]} for f in findings],
        "triggers": [(t["list"], t["no"], t["text"]) for f in findings for t in (f.get("accountability") or {}).get("triggers", [])],
        # issue 26: a penalty case's stage and its nearest step due (next_steps are nearest first)
        "stage": (entry.get("stage") or {}).get("name"),
        "next": _nearest_step(entry.get("next_steps") or []),
    }


def _nearest_step(steps: list[dict[str, Any]]) -> dict[str, str] | None:
    """The first of a result's ``next_steps``: its title and (earliest possible) last day."""
    if not steps:
        return None
    d = steps[0]
    day = d["last_day"] or (d["last_day_range"] or [None])[0]
    return {"step": d["step"], "title": d["title"], "last_day": day} if day else None


LIST_LIMIT = 100  # entries of each per-file list a review's summary holds (the nearest steps due, the first scores and files not checked)


class Tally:
    """The summary of a review, counted one entry's ``brief`` at a time. Nothing per file is held beyond a bound: of
    the steps due, the ``keep`` nearest; of the scores (with a scoring ``table``), the first ``keep`` files'; of the
    files not checked, the first ``keep`` (the others' problems in an unnamed temporary file, ``every_problem``); of
    the failing files, the first ``keep_failing`` the terminal names."""

    def __init__(self, keep_failing: int = 10, table: Scoring | None = None, keep: int | None = None) -> None:
        self.files = 0
        self.verdicts: Counter[str] = Counter()
        self.codes: Counter[str] = Counter()
        self.triggers: Counter[tuple[str, int, str]] = Counter()
        self.per_item: dict[str, Counter[str]] = {}
        self.per_handler: dict[str, Counter[str]] = {}
        self.not_checked: Counter[str] = Counter()
        self.problems: list[dict[str, Any]] = []  # the first ``keep`` files not checked
        self.unreadable = 0
        self._spooled: IO[bytes] | None = None  # the problems of the files not checked after those
        self._held: list[dict[str, Any]] = []  # … when no temporary file can be made
        self.table = table
        self.keep = LIST_LIMIT if keep is None else keep
        self.scores = Scores(self.keep)
        self.failing: list[dict[str, Any]] = []  # the first ``keep_failing`` failing files' briefs, for the terminal
        self.keep_failing = keep_failing
        self.stages: Counter[str] = Counter()  # penalty cases by stage (issue 26)
        self.due: list[tuple[str, str, str, str, str]] = []  # (last day, file, case id, stage, step title): the nearest, < 2 × keep
        self.due_count = 0  # every case with a step due

    def add(self, b: dict[str, Any], score: float | None = None) -> None:
        self.files += 1
        if not b["checked"]:
            self.not_checked[b["reason"]] += 1
            self.unreadable += 1
            record = {"file": b["file"], "reason": b["reason"], "problems": b["problems"]}
            if len(self.problems) < self.keep:
                self.problems.append(record)
            else:
                self._spool(record)
            return
        verdict = b["verdict"]
        self.verdicts[verdict] += 1
        _tick(self.per_item, b["item"], verdict)
        _tick(self.per_handler, b["handler"], verdict)
        for f in b["findings"]:  # none to three: a loop costs less than Counter.update's checks
            self.codes[f["code"]] += 1
        if b["triggers"]:
            self.triggers.update(b["triggers"])
        if score is not None:
            self.scores.add(b["file"], score)
        if verdict == "fail" and len(self.failing) < self.keep_failing:
            self.failing.append({**b, "checked": True})
        if b.get("stage"):
            self.stages[b["stage"]] += 1
        if b.get("next"):
            n = b["next"]
            self.due_count += 1
            self.due.append((n["last_day"], b["file"], b["case_id"], b.get("stage") or "", n["title"]))
            if len(self.due) >= 2 * self.keep:  # the nearest ``keep`` of all so far (one sort every ``keep`` cases)
                self.due = sorted(self.due)[: self.keep]

    def summary(self) -> dict[str, Any]:
        """What an evaluation meeting needs: counts, top codes and 追责情形, per item and per handler, the nearest
        steps due and (with a scoring table) the scores. A list cut at ``list_limit`` entries is named in
        ``lists_cut`` with how many it has in all."""
        cut = {"due": self.due_count} if self.due_count > self.keep else {}
        if self.unreadable > self.keep:
            cut["problems"] = self.unreadable
        summary = {
            "files": self.files,
            "checked": self.files - self.unreadable,
            "unreadable": self.unreadable,
            "verdicts": dict(self.verdicts),
            "top_codes": self.codes.most_common(10),
            "top_triggers": [{"list": k[0], "no": k[1], "text": k[2], "count": n} for k, n in self.triggers.most_common(10)],
            "per_item": {k: dict(v) for k, v in sorted(self.per_item.items())},
            "per_handler": {k: dict(v) for k, v in sorted(self.per_handler.items())},
            "not_checked": dict(self.not_checked),
            "problems": self.problems,
            "stages": {s.name: self.stages[s.name] for s in STAGES if s.name in self.stages},
            "due": [
                {"last_day": d, "file": f, "case_id": c, "stage": st, "title": t} for d, f, c, st, t in sorted(self.due)[: self.keep]
            ],
            "due_count": self.due_count,
        }
        if self.table is not None:
            summary["score"] = score_summary(self.scores, self.table)
            if self.scores.cut:
                cut["score.files"] = self.scores.count
        summary["list_limit"] = self.keep
        summary["lists_cut"] = cut
        return summary

    def _spool(self, record: dict[str, Any]) -> None:
        if self._spooled is None:
            try:
                self._spooled = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
            except OSError:  # no writable temporary folder: held here, as they all were before
                self._held.append(record)
                return
        self._spooled.seek(0, 2)
        pickle.dump(record, self._spooled)

    def every_problem(self) -> Iterator[dict[str, Any]]:
        """Every file not checked (its file, reason and problems), in review order: the summary's, then the spooled."""
        yield from self.problems
        if self._spooled is not None:
            self._spooled.seek(0)
            with contextlib.suppress(EOFError):
                while True:
                    yield pickle.load(self._spooled)  # our own records, in a file no other process can open
        yield from self._held

    def close(self) -> None:
        if self._spooled is not None:
            self._spooled.close()
            self._spooled = None


def _tick(table: dict[str, Counter[str]], key: str, verdict: str) -> None:
    """One more ``verdict`` under ``key`` (a Counter made only for a key not met before)."""
    counts = table.get(key)
    if counts is None:
        counts = table[key] = Counter()
    counts[verdict] += 1


def summarize(entries: list[dict[str, Any]], rules: Any = None) -> dict[str, Any]:
    """What an evaluation meeting needs, as a review sums it up (with the rules, their scoring table's scores)."""
    table = load_scoring(rules) if rules is not None else None
    tally = Tally(table=table)
    for e in entries:
        tally.add(brief(e), score_of(e, table) if table is not None and e["checked"] else None)
    return tally.summary()
