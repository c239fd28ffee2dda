"""The review run (``quanze review``), from checked options to a typed summary the door prints.

``ReviewPlan.of`` checks the options (before the rules are loaded, so a bad option is named first); ``run_review``
reads documents into case files when asked, walks the folder, checks every file (engine/batch/review.py), counts
and spools each entry (engine/batch/pages.py ``ReportWriter``), writes the reports (staged, renamed: a run ended
by a signal leaves the previous reports as they were) and returns a ``ReviewRun``. Nothing is printed here:
``notice`` receives the lines on documents not placed in a case, ``skipped`` the problems of the files not checked
(before the reports are written), ``progress`` the run's ticks (engine/batch/progress.py; a door draws them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quanze.engine.batch.pages import Done, ReportWriter, review_into
from quanze.engine.batch.progress import Tick, watched
from quanze.engine.batch.review import all_cores, check_writable, walk_names
from quanze.engine.load.loader import RuleSet
from quanze.engine.model.errors import InputError, Problem, QuanzeError


@dataclass(frozen=True)
class ReviewPlan:
    """A review's options, checked: the folder, ``--out`` (writable), the worker count and the per-file time limit."""

    directory: Path
    out: Path | None = None
    jobs: int = 1
    timeout: float = 30.0
    read: bool = False

    @classmethod
    def of(cls, directory: Path, out: Path | None = None, jobs: int = 1, timeout: float = 30.0, read: bool = False) -> ReviewPlan:
        """The plan of these options; InputError at once for a time limit not above 0, a missing folder or an
        ``--out`` that cannot be written safely. ``jobs`` 0 or less is every core."""
        if not timeout > 0:
            raise InputError([Problem("--timeout", "", f"期望大于 0 的秒数，实际为 {timeout:g}")])
        if not directory.exists() and not directory.is_symlink():
            raise InputError([Problem(str(directory), "", "目录不存在")])
        if out is not None:
            check_writable(out)  # before the run: an unwritable --out is exit 2 at once
        return cls(directory, out, all_cores() if jobs <= 0 else jobs, timeout, read)


@dataclass(frozen=True)
class ReviewRun:
    """What a review found: the summary (the contract's JSON, with ``reports`` once written), the first failing
    files' briefs (for the terminal) and, when ``--out`` could not be written, why (a Problem, or a line)."""

    summary: dict[str, Any]
    failing: list[dict[str, Any]]
    report_failure: list[Problem | str] = field(default_factory=list)

    @property
    def skipped(self) -> list[Problem]:
        """The problems of the files not checked the summary lists (every one, unless ``lists_cut`` names
        ``problems``: the first ``list_limit``; ``skipped`` of ``run_review`` is told every one), in review order."""
        return _skipped(self.summary)

    @property
    def exit_code(self) -> int:
        """2 when a file could not be checked or the reports not written, else 1 when a file fails, else 0."""
        if self.summary["unreadable"] or self.report_failure:
            return 2
        return 1 if self.summary["verdicts"].get("fail") else 0


def _skipped(summary: dict[str, Any]) -> list[Problem]:
    return [problem for p in summary["problems"] for problem in p["problems"]]


def run_review(
    plan: ReviewPlan,
    rules: RuleSet,
    rules_line: str = "",
    progress: Callable[[Tick], None] | None = None,
    notice: Callable[[str], None] | None = None,
    skipped: Callable[[Problem], None] | None = None,
) -> ReviewRun:
    """Review the plan's folder with ``rules``; write the reports when the plan has ``--out`` (the page ends
    with ``rules_line``). Each entry is rendered in the worker that checked it and spooled as it comes."""
    from quanze.engine.batch.documents import read_into, temporary_folder

    labels: dict[str, str] = {}
    folder = plan.directory
    if plan.read:  # documents: read into case files in a temporary folder, reviewed there, named as read
        folder = temporary_folder()
        labels, unplaced = read_into([plan.directory], rules, folder)
        for line in unplaced if notice is not None else ():
            notice(line)
    paths, left_out = walk_names(folder)  # the text of each path: ~100 bytes a file while the run lasts

    def wrap(stream: Iterator[Done]) -> Iterator[Done]:
        return watched(stream, len(paths), progress) if progress is not None else stream

    writer = ReportWriter(plan.out, rules)
    failure: list[Problem | str] = []
    try:
        review_into(writer, paths, left_out, rules, plan.jobs, plan.timeout, wrap, names=labels)
        summary = writer.summary()
        for entry in writer.tally.every_problem() if skipped is not None else ():
            for problem in entry["problems"]:
                skipped(problem)  # said before the reports are written (a run ended there has said them)
        if plan.out is not None:
            failure = _write_reports(writer, summary, plan, rules, rules_line)
    finally:
        writer.close()
    return ReviewRun(summary, writer.tally.failing, failure)


def _write_reports(writer: ReportWriter, summary: dict[str, Any], plan: ReviewPlan, rules: RuleSet, rules_line: str) -> list[Problem | str]:
    """Write the reports and name them in the summary; why not, when they cannot be."""
    from quanze.engine.model.safeio import os_reason

    try:
        meta = {"folder": str(plan.directory), "rules_version": rules.version, "rules_line": rules_line}
        jsonl, csv, xlsx, page = writer.write(summary, meta)
        summary["reports"] = [str(jsonl), str(page), str(csv), str(xlsx)]
    except OSError as exc:
        return [f"{plan.out}：报告无法写入：{os_reason(exc)}"]
    except QuanzeError as exc:  # a link or another user's file planted at --out during the run
        return list(exc.problems)
    return []

