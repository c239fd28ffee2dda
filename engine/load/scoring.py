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
    return score_summary({e["file"]: score_of(e, table) for e in entries if e.get("checked")}, table)


def score_summary(files: dict[str, float], table: Scoring) -> dict[str, Any]:
    """The scores of a review (file -> score, in review order), their mean and minimum."""
    values = list(files.values())
    return {
        "table": "规则中的默认扣分标准" if "DEFAULT" in table.note else "规则中的扣分标准",
        "full_marks": table.full_marks,
        "mean": round(sum(values) / len(values), 1) if values else None,
        "min": min(values) if values else None,
        "files": files,
    }
