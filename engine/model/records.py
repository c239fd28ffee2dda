"""The typed records a check returns besides its findings: who answers for a finding (``Accountability``), what
could not be checked (``NotChecked``), the time limits of a case (``Deadlines``) and the comparison of two versions
of an article (``VersionComparison``), the provision applied (``Provision``), the stage of a penalty case and its
next steps (``CaseStage``, ``NextStep``). Their dump is the contract JSON; the HTTP API documents them as they are
(web/models.py), so each shape is written once.
"""


import datetime as dt
from typing import Any, Literal

from pydantic import MISSING, BaseModel, ConfigDict, Field

from quanze.engine.model.schema import Role, Stage


def _absent(value: Any) -> bool:
    return value is None


class Record(BaseModel):
    """A record of the contract JSON: ``dump`` is its JSON object (keys in field order, absent parts left out)."""

    model_config = ConfigDict(defer_build=True)

    def dump(self) -> dict[str, Any]:
        """The contract JSON object."""
        return self.model_dump(mode="json", by_alias=True)


class Trigger(Record):
    """权责清单中的一项追责情形。"""

    list: str = Field(description="权责清单事项编号")
    no: int = Field(description="追责情形的编号（按清单原样，含缺号）")
    text: str = Field(description="追责情形的原文")
    officer_text: str = Field(description="同一原文，按办案人员的用语排版（全角标点；表单显示）")


class Person(Record):
    """一位责任人：角色（一人兼任几个角色时为一条）、姓名及其责任。"""

    role: Role = Field(description="第一个角色：handler（具体承办人）、reviewer（内设机构负责人）或 approver（单位法定代表人或分管领导）")
    roles: list[Role] = Field(description="此人的各个角色")
    name: str = Field(description="姓名；草稿未填写时为“未填写”")
    name_given: bool = Field(description="草稿是否写了姓名")
    responsibility: str = Field(description="责任的种类（各角色的以全角分号分隔）")


class Attribution(Record):
    """适用的归责规则及其理由（rules/accountability.yaml）。"""

    rule: str = Field(description="归责规则的名称")
    title: str = Field(description="归责规则的中文名称")
    source: str = Field(description="归责规则的依据")
    concerns: Stage = Field(description="结论涉及的环节：decision（决定内容）或 step（办案步骤）")
    why: str = Field(description="适用此规则的理由")


class Accountability(Record):
    """追责：事项的追责情形、法律依据、责任人及其责任。"""

    triggers: list[Trigger] = Field(description="对应的追责情形；没有时见 no_trigger")
    statute: str | None = Field(description="追责的法律依据")
    persons: list[Person] = Field(description="责任人")
    attribution: Attribution
    no_trigger: str | None = Field(None, exclude_if=_absent, description="没有对应的追责情形时：为什么（有追责情形时没有此项）")


class NotChecked(Record):
    """草稿未填写的部分及因此未能进行的检查（不等于通过）。"""

    field: str = Field(description="未填写的字段路径（如 procedure.notice）；法的参数未编码时为规则文件，另有 law")
    law: str | None = Field(None, exclude_if=_absent, description="参数未编码的法（此时没有未填写的字段）")
    codes: list[str] = Field(description="未能进行的检查的结论代码")
    affects_verdict: bool | None = Field(
        None, exclude_if=_absent, description="false：列出但不使结论成为 incomplete（当事人身份、违法行为等）"
    )
    message: str = Field(description="终端的说法")
    text: str = Field(description="执法人员看的说法")


class Deadline(Record):
    """一个有时限的环节：最后合法日期、状态、依据及计算过程。"""

    step: str
    title: str
    last_day: dt.date | None = Field(None, description="最后合法日期；取决于未公布的调休安排时为 null，见 last_day_range")
    last_day_range: list[dt.date] | None = Field(None, description="最后合法日期可能的最早与最晚一天（取决于未公布的调休安排时）")
    basis: str | None = None
    status: str = Field(description="open、met、late、due_today 等")
    remaining_workdays: int | None = None
    overdue_days: int | None = None
    words: str | None = Field(None, description="状态的中文说法")
    counted: str | None = Field(None, description="计算过程")
    skipped: list[str] = Field([], description="跳过的节假日、休息日")
    title_text: str | None = Field(None, description="环节名称（办案人员的用语）")
    counted_text: str | None = Field(None, description="计算过程（办案人员的用语：不含规则文件路径，全角标点）")


class Deadlines(Record):
    """期限预警：每个环节的最后合法日期及其在 today 的状态。"""

    today: dt.date
    deadlines: list[Deadline]


class VersionSide(Record):
    """条文的一个版本对本案当事人的情形。"""

    in_force_from: dt.date | None = None
    in_force_until: dt.date | None = None
    fine_range: list[int] | None = Field(None, description="罚款幅度（元）：最低与最高")
    for_this_party: str = Field(description="对本案当事人：施行日期、应当与可以给予的处罚、罚款幅度")


class VersionComparison(Record):
    """行为时与决定时的版本对本案当事人的比较（从旧兼从轻，行政处罚法 第三十七条）。"""

    act_version: VersionSide
    decision_version: VersionSide
    outcome: str = Field(description="比较的结论（如 new_lighter、old_not_heavier、crossing）")
    criteria: list[str] = Field(description="逐项比较的说明")
    readings: Literal["agree", "differ"] | None = Field(
        None, exclude_if=_absent, description="轻重交叉时两种读法的结论是否一致（仅轻重交叉时有此项）"
    )


class Provision(Record):
    """适用的条文及其版本的选择理由。"""

    id: str = Field(description="条文编号")
    law: str = Field(description="法的简称")
    article: str = Field(description="条（款、项）")
    # a penalty's provision names the version in force (dates may be null); a filing's basis has no such keys
    in_force_from: dt.date | MISSING | None = Field(MISSING, description="所用版本的施行日期（行政处罚案卷有此项）")
    in_force_until: dt.date | MISSING | None = Field(MISSING, description="所用版本的失效日期（行政处罚案卷有此项）")
    chosen_because: str | None = Field(description="选择此版本的理由")


class CaseStage(Record):
    """行政处罚案件所处的阶段。"""

    code: str = Field(description="阶段代码（filed、investigation、notice … decided、execution、closed）")
    name: str = Field(description="阶段的中文名称")


class NextStep(Record):
    """案卷尚未进行、有时限的下一步：最后合法日期及依据。"""

    step: str
    title: str
    last_day: dt.date | None = Field(description="最后合法日期；取决于未公布的调休安排时为 null，见 last_day_range")
    last_day_range: list[dt.date] | None = Field(description="最后合法日期可能的最早与最晚一天")
    basis: str | None
    counted: str | None = Field(description="计算过程")


class Problem(Record):
    """一个问题：文件（请求为“请求”）、字段路径、中文说明。

    The JSON record of an input's problem (``engine.model.errors.Problem``, worded by engine/present/output.py)."""

    file: str = Field(description="文件名；请求体为“请求”，批量中的第 i 份为“请求[i]”")
    where: str = Field(description="字段路径（如 decision.sanctions[1].amount）；空串表示整份文件")
    message: str = Field(description="中文说明：期望什么、实际是什么")
    path: list[str | int] | None = Field(None, exclude_if=_absent, description="字段路径的各段（键与列表序号）；不在字段中的问题没有此项")
    expected: str | None = Field(None, exclude_if=_absent, description="字段应为什么（办案人员的用语）")
    got: str | None = Field(None, exclude_if=_absent, description="实际写的值")
    hint: str | None = Field(None, exclude_if=_absent, description="补充说明")
    suggestion: str | None = Field(None, exclude_if=_absent, description="相近的名称：是否指它")
    text: str = Field(description="办案人员读的一句话：字段的中文名称、全角标点，不含字段路径和文件名")
