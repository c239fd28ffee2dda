"""案卷评查 scoring: ``rules/scoring.yaml`` weighs findings into a 百分制 score per file (optional).

A file starts at ``full_marks``; each distinct finding code deducts its weight (``codes``, else the
weight of its severity) once; the score stops at zero. No scoring file, no scores.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from quanze.engine.model.errors import Problem, RuleError, problems_from_validation
from quanze.engine.model.yamlio import YamlProblem, load_yaml

FILE = "scoring.yaml"


class Scoring(BaseModel):
    """``rules/scoring.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    note: str = Field(min_length=1)  # where the weights come from; defaults must say they are defaults
    default: bool = False  # the weights are no published 案卷评查标准 (the note says whose they are)
    full_marks: float = Field(gt=0)
    severity: dict[str, float]
    codes: dict[str, float] = {}

    def weight(self, code: str, severity: str) -> float:
        """The deduction of one finding code."""
        return self.codes.get(code, self.severity.get(severity, 0))


def load_scoring(rules: Any) -> Scoring | None:
    """The scoring table of a rules folder (None when it has none); RuleError lists every problem."""
    path = Path(rules.root) / FILE
    if not path.is_file():
        return None
    label = str(path)
    try:
        raw = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError([Problem(label, "", f"无法读取：{exc}")]) from None
    except YamlProblem as exc:
        raise RuleError([Problem(label, f"第 {exc.line} 行" if exc.line else "", exc.reason)]) from None
    try:
        table = Scoring.model_validate(raw)
    except ValidationError as exc:
        raise RuleError(problems_from_validation(label, exc)) from None
    problems = []
    for sev in table.severity:
        if sev not in ("error", "warning", "info"):
            problems.append(Problem(label, f"severity.{sev}", "严重程度只能是 error、warning、info"))
    for sev in ("error", "warning", "info"):
        if sev not in table.severity:
            problems.append(Problem(label, "severity", f"缺少 {sev} 的分值"))
    for code, w in table.codes.items():
        if code not in rules.findings:
            problems.append(Problem(label, f"codes.{code}", "结论代码未在 findings.yaml 登记"))
        if w < 0:
            problems.append(Problem(label, f"codes.{code}", f"分值不能为负数，实际为 {w}"))
    for sev, w in table.severity.items():
        if w < 0:
            problems.append(Problem(label, f"severity.{sev}", f"分值不能为负数，实际为 {w}"))
    if problems:
        raise RuleError(problems)
    return table


def score_of(entry: dict[str, Any], table: Scoring) -> float:
    """The score of one checked file."""
    seen: dict[str, str] = {}
    for f in entry.get("findings", []):
        seen.setdefault(f["code"], f["severity"])
    lost = sum(table.weight(code, sev) for code, sev in seen.items())
    return max(0.0, round(table.full_marks - lost, 1))


def score_entries(entries: list[dict[str, Any]], rules: Any) -> dict[str, Any] | None:
    """Scores of every checked file, their mean and minimum (None without a scoring table)."""
    table = load_scoring(rules)
    if table is None:
        return None
    scores = Scores(keep=None)
    for e in entries:
        if e.get("checked"):
            scores.add(e["file"], score_of(e, table))
    return score_summary(scores, table)


class Scores:
    """A review's scores counted one file at a time: how many, their sum and minimum, and the first ``keep``
    files' scores in review order (all with ``keep`` None), so a review holds no score per file beyond those."""

    def __init__(self, keep: int | None) -> None:
        self.keep = keep
        self.count = 0
        self.total = 0.0
        self.low: float | None = None
        self.first: dict[str, float] = {}
        self.cut = False  # a file's score was left out of ``first`` by the bound


    def add(self, file: str, score: float) -> None:
        self.count += 1
        self.total += score  # in review order, as sum() of the scores added them
        self.low = score if self.low is None else min(self.low, score)
        if self.keep is None or len(self.first) < self.keep:
            self.first[file] = score
        else:
            self.cut = True


def score_summary(scores: Scores, table: Scoring) -> dict[str, Any]:
    """The scores of a review: their mean and minimum over every file scored (``scored``), and ``files`` (file ->
    score) for the first files in review order (every file when ``scores`` keeps all)."""
    return {
        "table": "规则中的默认扣分标准" if table.default else "规则中的扣分标准",
        "full_marks": table.full_marks,
        "mean": round(scores.total / scores.count, 1) if scores.count else None,
        "min": scores.low,
        "files": scores.first,
        "scored": scores.count,
    }
