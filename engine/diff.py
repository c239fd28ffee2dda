"""Rule-change impact: run the same drafts (sample cases and plain drafts alike) under two rule sets and report what changed."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quanze.engine.cases import expectation_path
from quanze.engine.errors import InputError
from quanze.engine.findings import Result
from quanze.engine.loader import RuleSet
from quanze.engine.pipeline import check_file


@dataclass
class Outcome:
    """One draft under one rule set: its verdict and codes, or its input error."""

    verdict: str  # pass | warn | incomplete | fail | input_error
    codes: list[str]
    provision: str = ""  # the version chosen and why (penalty items)

    @classmethod
    def of(cls, draft: Path, rules: RuleSet) -> Outcome:
        try:
            result: Result = check_file(draft, rules, str(draft))
        except InputError as exc:
            return cls("input_error", sorted({str(p) for p in exc.problems}))
        prov = result.extra.get("provision") or {}
        why = f"{prov.get('law', '')} {prov.get('article', '')}: {prov.get('chosen_because', '')}" if prov else ""
        return cls(result.verdict, sorted({f.code for f in result.findings}), why)


@dataclass
class CaseDiff:
    """A case whose outcome differs between the base and the changed rules."""

    case: str
    base: Outcome
    changed: Outcome
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def verdict_changed(self) -> bool:
        """True when the verdict itself changed."""
        return self.base.verdict != self.changed.verdict

    def to_json(self) -> dict[str, Any]:
        """A JSON object for --format json."""
        return {
            "case": self.case,
            "verdict": {"base": self.base.verdict, "changed": self.changed.verdict},
            "findings_added": self.added,
            "findings_removed": self.removed,
            "provision": {"base": self.base.provision, "changed": self.changed.provision},
        }


@dataclass
class DiffReport:
    """Every changed draft and the totals."""

    cases: int  # drafts compared
    diffs: list[CaseDiff]
    samples: int = 0  # of which sample cases (a draft with an .expect.yaml beside it)

    def to_json(self) -> dict[str, Any]:
        """A JSON object for --format json."""
        return {"summary": self.summary(), "transitions": self.transitions(), "cases": [d.to_json() for d in self.diffs]}

    def summary(self) -> dict[str, int]:
        """Counts for the summary table."""
        verdicts = sum(d.verdict_changed for d in self.diffs)
        return {
            "cases": self.cases,
            "sample_cases": self.samples,
            "plain_drafts": self.cases - self.samples,
            "verdict_changed": verdicts,
            "findings_changed_only": len(self.diffs) - verdicts,
            "unchanged": self.cases - len(self.diffs),
        }

    def transitions(self) -> dict[str, int]:
        """How many cases moved from one verdict to another, e.g. {"pass → fail": 3}."""
        out: dict[str, int] = {}
        for d in self.diffs:
            if d.verdict_changed:
                key = f"{d.base.verdict} → {d.changed.verdict}"
                out[key] = out.get(key, 0) + 1
        return out


def diff_rules(base: RuleSet, changed: RuleSet, drafts: list[Path]) -> DiffReport:
    """Run every draft under both rule sets and keep the drafts whose outcome differs."""
    diffs = []
    for draft in drafts:
        a, b = Outcome.of(draft, base), Outcome.of(draft, changed)
        if a.verdict != b.verdict or a.codes != b.codes:
            diffs.append(CaseDiff(str(draft), a, b, sorted(set(b.codes) - set(a.codes)), sorted(set(a.codes) - set(b.codes))))
    samples = sum(expectation_path(d).is_file() for d in drafts)
    return DiffReport(len(drafts), diffs, samples)
