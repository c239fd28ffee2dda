"""Findings and verdicts as values: the engine builds them, the output layer words them. ``Finding`` and ``Result``
are typed records whose dump is the contract JSON; the HTTP API answers with their shape as it is (web/models.py)."""


from collections.abc import Callable
from functools import cache
from typing import Any, Literal, TypeVar

from pydantic import MISSING, BaseModel, ConfigDict, Field, PrivateAttr, field_serializer, model_validator

from quanze.engine.model.explanation import Explanation, Reasoning
from quanze.engine.model.records import Accountability, CaseStage, NextStep, NotChecked, Provision, Record, VersionComparison

SEVERITY_ORDER = ("error", "warning", "info")


def _absent(value: Any) -> bool:
    return value is None


def _empty(value: Any) -> bool:
    return not value


class Finding(BaseModel):
    """一条结论。"""

    model_config = ConfigDict(frozen=True, defer_build=True)

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
Verdict = Literal["pass", "warn", "incomplete", "fail"]


def verdict(findings: list[Finding], not_checked: list[NotChecked] | None = None) -> Verdict:
    """fail if any error, else incomplete if a check could not be made (a section left out, 未填写),
    else warn if any warning, else pass. An entry with ``affects_verdict: false`` (party.role,
    violation.conduct, target.role left out) is listed but does not make the verdict incomplete."""
    severities = {f.severity for f in findings}
    if "error" in severities:
        return "fail"
    if any(n.affects_verdict is not False for n in not_checked or []):
        return "incomplete"
    return "warn" if "warning" in severities else "pass"


class Result(Record):
    """一份草稿的检查结果，与 quanze check --format json 相同（contract §4 及 README 所列扩展）。"""

    model_config = ConfigDict(validate_by_name=True)

    file: str = Field(description="文件名；请求体为“请求”，批量中的第 i 份为“请求[i]”")
    case_id: str | None
    kind: str
    item: str
    # the verdict is worked out from the findings and not_checked when dumped (``verdict``), never stored stale
    verdict_: Verdict = Field(alias="verdict", description="pass、warn、incomplete（有未填写的部分）或 fail")
    findings: list[Finding]
    provision: Provision | None = None
    fine_range: list[int] | None = Field(None, description="法定罚款幅度（元）：最低与最高")
    bands: dict[str, list[int]] | None = Field(None, description="裁量阶次 → 罚款幅度（元）")
    recommended_tier: str | None = None
    # a penalty case only (null when one version applies or the case is open): absent for other kinds
    version_comparison: VersionComparison | MISSING | None = Field(
        MISSING, description="行为时与决定时版本的比较（行政处罚案卷有此项；只有一个版本或尚未决定时为 null）"
    )
    recommended_because: str | None = Field(None, exclude_if=_absent, description="建议阶次的理由（有罚款幅度时）")
    stage: CaseStage | None = Field(None, exclude_if=_absent, description="行政处罚案件所处的阶段")
    open: bool | None = Field(None, exclude_if=_absent, description="行政处罚案件是否尚未作出决定")
    next_steps: list[NextStep] | None = Field(None, exclude_if=_absent, description="尚未进行、有时限的下一步，近者在前")
    read_sources: dict[str, list[str]] = Field(
        {}, exclude_if=_empty, description="quanze read 写的案卷：结论代码 → 所依据的值在文书中的出处（有时才出现）"
    )
    rules_version: str
    calendar_warnings: list[str] = Field(default_factory=list)
    rule_warnings: list[str] = Field(default_factory=list)
    not_checked: list[NotChecked] = Field(default_factory=list)
    # names and numbers holding invisible characters (zero-width, format characters), which comparisons
    # ignore (drafts.identity): one line each; in JSON only when there is one (an extension, docs/input.md)
    input_warnings: list[str] = Field([], exclude_if=_empty, description="名称、编号中的不可见字符（有时才出现）")
    explained: Explanation | MISSING = Field(
        MISSING, alias="explanation", description="explain=true 时：推导的事实与每条规则的结论（trace）"
    )
    reasoning: Reasoning | MISSING = Field(MISSING, description="explain=true 时：推理过程")

    # (an empty default is copied for each record, as a default_factory would make it; pydantic reads a factory's
    # signature, and that of a builtin such as ``dict`` is parsed by a tokenizer whose pattern takes ~1 ms to compile)
    # derived facts and fired rules (explain), built in full on first use of ``explanation``
    _explanation: dict[str, Any] = PrivateAttr({})
    # builds explanation["trace"] on first use: only explain needs it, and it costs more than the check
    _trace_builder: Callable[[dict[str, Any]], None] | None = PrivateAttr(None)
    # the rule_warnings about one rule that could not be checked (said again under that check by explain)
    _gap_warnings: list[str] = PrivateAttr([])
    # trace row (rule) -> why its check settled nothing yet: "decision" (not made yet), "step" (not recorded yet, an
    # open case), "absent" (not in the case file): filled with the trace, read by reasoning.pending; not in JSON
    _waits: dict[str, str] = PrivateAttr({})

    @classmethod
    def of(
        cls,
        explanation: dict[str, Any],
        trace_builder: Callable[[dict[str, Any]], None] | None = None,
        gap_warnings: list[str] | None = None,
        waits: dict[str, str] | None = None,
        **values: Any,
    ) -> "Result":
        """A result of values the check already holds as valid (no validation: the hot path), with what explains it:
        ``made`` of them, the verdict (never read: see ``verdict``) and the private attributes."""
        private = {
            "_explanation": explanation,
            "_trace_builder": trace_builder,
            "_gap_warnings": gap_warnings or [],
            "_waits": {} if waits is None else waits,  # the trace builder fills this very dict
        }
        return made(cls, {**values, "verdict_": "pass"}, private)

    @property
    def verdict(self) -> Verdict:
        """The contract verdict (plus ``incomplete``, an extension: see docs/procedure.md)."""
        return verdict(self.findings, self.not_checked)

    @field_serializer("verdict_")
    def _verdict(self, _: str) -> Verdict:
        return self.verdict

    @property
    def explanation(self) -> dict[str, Any]:
        """Derived facts and fired rules; the trace is built on first use."""
        if self._trace_builder is not None:
            builder, self._trace_builder = self._trace_builder, None
            builder(self._explanation)
        return self._explanation

    @property
    def derived_facts(self) -> dict[str, Any]:
        """The facts the check derived (``explanation["facts"]``), without building the trace."""
        return self._explanation.get("facts", {})

    @property
    def trace_builder(self) -> Callable[[dict[str, Any]], None] | None:
        """What adds ``explanation["trace"]`` on first use (a later step of the check may wrap it)."""
        return self._trace_builder

    @trace_builder.setter
    def trace_builder(self, builder: Callable[[dict[str, Any]], None] | None) -> None:
        self._trace_builder = builder

    @property
    def waits(self) -> dict[str, str]:
        """Trace row (rule) -> why its check settled nothing yet (decision, step, absent); filled with the trace."""
        return self._waits

    @property
    def gap_warnings(self) -> list[str]:
        """The rule_warnings about one rule that could not be checked."""
        return self._gap_warnings

    def to_json(self) -> dict[str, Any]:
        """The contract §4 object."""
        return self.dump()


Record_ = TypeVar("Record_", bound=BaseModel)


def made(cls: type[Record_], values: dict[str, Any], private: dict[str, Any] | None = None) -> Record_:
    """What ``cls.model_construct(**values)`` makes of values held as valid (by field name), without its walk over every
    field's aliases and defaults (2–10 µs a record): the fields in their order with their defaults (``_blank``),
    ``values``, and ``private``: a value for each private attribute of ``cls`` (None: it has none)."""
    fields, fresh, privates = _blank(cls)
    if not values.keys() <= fields.keys():
        raise TypeError(f"{cls.__name__}: no such field: {', '.join(sorted(values.keys() - fields.keys()))}")
    if (private or {}).keys() != privates:
        raise TypeError(f"{cls.__name__}: the private attributes are {', '.join(sorted(privates)) or 'none'}")
    state = fields.copy()
    for name, make in fresh:
        state[name] = make()
    state.update(values)
    record = cls.__new__(cls)
    object.__setattr__(record, "__dict__", state)
    object.__setattr__(record, "__pydantic_fields_set__", set(values))
    object.__setattr__(record, "__pydantic_extra__", None)
    object.__setattr__(record, "__pydantic_private__", private)
    return record


@cache  # one per class
def _blank(cls: type[BaseModel]) -> tuple[dict[str, Any], tuple[tuple[str, Callable[[], Any]], ...], frozenset[str]]:
    """Every field of ``cls`` in order with its default (None for a required one, which ``made`` is given), for each
    mutable default (a list, a dict, a default_factory) what makes a fresh one, as ``model_construct`` would, and the
    names of its private attributes."""
    assert cls.model_config.get("extra") != "allow" and not cls.__pydantic_root_model__, "made sets no extra values"
    fields: dict[str, Any] = {}
    fresh: list[tuple[str, Callable[[], Any]]] = []
    for name, field in cls.model_fields.items():
        fields[name] = None if field.is_required() or field.default_factory is not None else field.default
        if field.default_factory is not None:
            fresh.append((name, field.default_factory))  # type: ignore[arg-type]  # no factory here takes the data
        elif isinstance(field.default, (list, dict)):
            assert not field.default, "a default copied empty"
            fresh.append((name, type(field.default)))
    return fields, tuple(fresh), frozenset(cls.__private_attributes__)
