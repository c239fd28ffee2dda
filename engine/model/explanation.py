"""The typed records of an explained check (``quanze explain``, ``POST /api/v1/check?explain=true``): the trace
(``Explanation`` with its ``Trace`` of ``TraceRow`` s) and the reasoning a person reads (``Reasoning``: ``Derivation``
sections and the checks made, ``CheckMade``). Their dump is the contract JSON; the HTTP API documents them as they
are (web/models.py). The check builds the trace lazily, as plain values, only when it is explained; ``of`` types it
then, once.
"""


from typing import Any, Literal

from pydantic import MISSING, Field

from quanze.engine.model.records import Record


class FactRow(Record):
    """规则读到的一项事实：名称、值及其来源字段。"""

    fact: str
    label: str = Field(description="事实的中文名称")
    value: Any = Field(description="事实的值")
    value_text: str = Field(description="值的中文说法")
    field: str | None = Field(description="事实来自的字段路径；由规则推导时为空串")
    field_label: str = Field(description="来源字段的中文名称")


class TraceRow(Record):
    """一条规则的检查：结论（fail、pass、unchecked、overridden）、理由及所读的事实。"""

    rule: str = Field(description="规则编号")
    code: str = Field(description="结论代码")
    title: str = Field(description="结论代码的中文名称")
    subject: str = Field(description="同一检查的情形（处罚种类、措施等）；没有时为空串")
    outcome: Literal["fail", "pass", "unchecked", "overridden"]
    reason: str = Field(description="为什么（未检查、不适用、被更具体的规则取代等）；没有时为空串")
    facts: list[FactRow]
    basis: list[str]
    overridden_by: str | MISSING = Field(MISSING, description="取代此规则的规则编号（outcome 为 overridden 时）")


class Trace(Record):
    """每条规则的检查，各结论的条数，以及所作的假定。"""

    checks: list[TraceRow]
    counts: dict[str, int] = Field(description="各结论的条数")
    assumptions: list[str] = Field(description="按默认值适用、未核实的参数等假定")


class FiredRule(Record):
    """成立的一条规则。"""

    rule: str
    code: str
    basis: list[str]


class Explanation(Record):
    """推导的事实与每条规则的结论（explain=true）。"""

    derived: dict[str, list[str]] = Field(description="推导的各节：标题 → 各行")
    facts: dict[str, Any] = Field(description="推导的事实：名称 → 值")
    uncertain_workdays: dict[str, list[int]] = Field(description="取决于未公布调休安排的工作日数：两种读法")
    ruleset: str
    rules_compiled: int
    fired: list[FiredRule]
    skipped: list[str]
    unknown_facts: dict[str, str] | MISSING = Field(MISSING, description="依赖草稿未填写部分的事实 → 该部分")
    trace: Trace

    @classmethod
    def of(cls, explanation: dict[str, Any]) -> "Explanation":
        """The typed record of the explanation a check built (its keys in this order)."""
        return cls.model_validate(explanation)


class Derivation(Record):
    """推导的一节：标题和各行（日期与天数、版本、罚款阶次、听证资格、假定）。"""

    title: str
    lines: list[str]


class CheckMade(Record):
    """检查过的一项（每个结论代码一次）。"""

    code: str
    title: str
    variants: list[str] = Field(description="同一检查的各种情形（按处罚种类、情形等）")
    basis: list[str]


class ChecksMade(Record):
    """检查过的各项，按结论分组。"""

    fail: list[CheckMade]
    unknown: list[CheckMade]
    passed: list[CheckMade] = Field(alias="pass")


class Reasoning(Record):
    """推理过程（explain=true）：推导，以及按结论分组的检查。"""

    derivations: list[Derivation]
    checks: ChecksMade
