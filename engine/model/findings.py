"""Findings and verdicts as values: the engine builds them, the output layer words them. ``Finding`` is a typed
record whose dump is the contract JSON; the HTTP API documents it as it is (web/models.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from quanze.engine.model.records import Accountability, NotChecked, Record

SEVERITY_ORDER = ("error", "warning", "info")


class Finding(BaseModel):
    """一条结论。"""

    model_config = ConfigDict(frozen=True)

    code: str = Field(description="结论代码（contract §5）")
    severity: Literal["error", "warning", "info"]
    message: str = Field(description="终端的说法：可含字段路径")
    text: str = Field(description="执法人员看的说法：字段的中文名称、全角标点，不含字段路径、文件名或代码（表单、意见书显示此项）")
    basis: list[str] = Field(description="法律依据标签，如“节约能源法 第七十六条”")
    accountability: Accountability | None = None
    rule: str = Field(description="产生此结论的规则编号")  # the id of the rule in rules/checks/

    @model_validator(mode="before")
    @classmethod
    def _text(cls, data: Any) -> Any:
        """No officer's wording of its own (engine/model/wording.py): the officer reads the message."""
        if isinstance(data, dict) and not data.get("text"):
            data = {**data, "text": data.get("message")}
        return data

    def to_json(self) -> dict[str, Any]:
        """The contract §4 shape of a finding (plus the rule id and ``text``, the message in the officer's words)."""
        return self.model_dump(mode="json")


VERDICTS = ("pass", "warn", "incomplete", "fail")  # from best to worst


def verdict(findings: list[Finding], not_checked: list[NotChecked] | None = None) -> str:
    """fail if any error, else incomplete if a check could not be made (a section left out, 未填写),
    else warn if any warning, else pass. An entry with ``affects_verdict: false`` (party.role,
    violation.conduct, target.role left out) is listed but does not make the verdict incomplete."""
    severities = {f.severity for f in findings}
    if "error" in severities:
        return "fail"
    if any(n.affects_verdict is not False for n in not_checked or []):
        return "incomplete"
    return "warn" if "warning" in severities else "pass"


@dataclass
class Result:
    """The outcome of checking one draft, with what is needed to explain it."""

    file: str
    case_id: str
    kind: str
    item: str
    findings: list[Finding]
    rules_version: str
    calendar_warnings: list[str] = field(default_factory=list)
    rule_warnings: list[str] = field(default_factory=list)
    # the rule_warnings about one rule that could not be checked (said again under that check by explain)
    gap_warnings: list[str] = field(default_factory=list)
    # provision, fine_range, bands, recommended_tier, version_comparison (a VersionComparison record)
    extra: dict[str, Any] = field(default_factory=dict)
    explanation: dict[str, Any] = field(default_factory=dict)  # derived facts and fired rules
    # builds explanation["trace"] on first use: only explain needs it, and it costs more than the check
    trace_builder: Any = field(default=None, repr=False, compare=False)
    # trace row (rule) -> why its check settled nothing yet: "decision" (not made yet), "step" (not recorded yet, an
    # open case), "absent" (not in the case file): filled with the trace, read by reasoning.pending; not in JSON
    waits: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    # checks that could not be made because the draft leaves a section out (未填写) or a law's parameters are not coded
    not_checked: list[NotChecked] = field(default_factory=list)
    # names and numbers holding invisible characters (zero-width, format characters), which comparisons
    # ignore (drafts.identity): one line each; in JSON only when there is one (an extension, docs/input.md)
    input_warnings: list[str] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        """The contract verdict (plus ``incomplete``, an extension: see docs/procedure.md)."""
        return verdict(self.findings, self.not_checked)

    def to_json(self) -> dict[str, Any]:
        """The contract §4 object."""
        out: dict[str, Any] = {
            "file": self.file,
            "case_id": self.case_id,
            "kind": self.kind,
            "item": self.item,
            "verdict": self.verdict,
            "findings": [f.to_json() for f in self.findings],
        }
        out.update({k: v.dump() if isinstance(v, Record) else v for k, v in self.extra.items()})
        out["rules_version"] = self.rules_version
        out["calendar_warnings"] = self.calendar_warnings
        out["rule_warnings"] = self.rule_warnings
        out["not_checked"] = [n.dump() for n in self.not_checked]
        if self.input_warnings:
            out["input_warnings"] = self.input_warnings
        return out

    def __getattribute__(self, name: str) -> Any:
        if name == "explanation":
            builder = object.__getattribute__(self, "trace_builder")
            if builder is not None:
                object.__setattr__(self, "trace_builder", None)
                builder(object.__getattribute__(self, "explanation"))
        return object.__getattribute__(self, name)
