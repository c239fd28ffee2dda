"""The stage a penalty case has reached (立案 → … → 结案), derived from the dates it holds, and the view of an
open case that the checks judge (docs/procedure.md "案件办理中").

A case is open until ``decision.decided_on`` is written. Its stage is the furthest step it records; nobody
declares it. An open case is checked as what has been done: the rules see its steps as of the latest date it
holds (``as_of``), the notice's proposed sanctions as the penalty 拟作出 (第六十三条), and every fact that only
the decision can give is unknown, so a rule that needs one is not made yet (neither a finding nor 未完成).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from quanze.engine.check.measures import measure_dates
from quanze.engine.law.versions import VersionChoice, since
from quanze.engine.model.drafts import Decision, PenaltyDraft, Violation
from quanze.engine.model.facts import ONCE_TRUE_FACTS, STEP_FACTS


@dataclass(frozen=True)
class Stage:
    """One stage of a penalty case: a code for programs, a name for people."""

    code: str
    name: str

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "name": self.name}


# 立案 → 调查 → 告知 → 陈述申辩/听证 → 法制审核 → 集体讨论 → 决定 → 送达 → 履行/执行 → 结案
STAGES = (
    Stage("filed", "立案"),
    Stage("investigation", "调查"),
    Stage("notice", "告知"),
    Stage("statement", "陈述申辩/听证"),
    Stage("legal_review", "法制审核"),
    Stage("collective", "集体讨论"),
    Stage("decided", "决定"),
    Stage("served", "送达"),
    Stage("execution", "履行/执行"),
    Stage("closed", "结案"),
)
_BY_CODE = {s.code: s for s in STAGES}


def stage_json(draft: Any) -> dict[str, str] | None:
    """``{code, name}`` of a penalty case's stage; None for the other kinds (they have no stages)."""
    return stage_of(draft).to_json() if isinstance(draft, PenaltyDraft) else None


def is_open(draft: Any) -> bool:
    """A penalty case not yet decided (``decision.decided_on`` not written)."""
    return isinstance(draft, PenaltyDraft) and draft.decision.decided_on is None


def stage_of(draft: PenaltyDraft) -> Stage:
    """The furthest step the case records (the order of the law, not of the dates: a date out of order is the
    input problem or finding it always was)."""
    p, d = draft.procedure, draft.decision
    h = p.hearing
    ex = getattr(draft, "execution", None)
    reached = "filed"
    steps = (
        ("investigation", draft.violation is not None),
        ("notice", p.notice is not None),
        ("statement", p.statement_made or p.statement_waived or bool(h and (h.requested_on or h.waived or h.notified_on or h.held_on))),
        ("legal_review", p.legal_review is not None),
        ("collective", p.collective_discussion is not None),
        ("decided", d.decided_on is not None),
        ("served", d.decided_on is not None and p.served_on is not None),
        ("execution", ex is not None and ex.started),
        ("closed", ex is not None and ex.closed),
    )
    for code, done in steps:
        if done:
            reached = code
    return _BY_CODE[reached]


def _dated(draft: PenaltyDraft) -> list[tuple[dt.date | None, str]]:
    """Every date a case holds with what it is the day of, roughly in the order of the law."""
    p, v, h = draft.procedure, draft.violation, draft.procedure.hearing
    notice, review, collective, extension = p.notice, p.legal_review, p.collective_discussion, p.extension
    ex = getattr(draft, "execution", None)
    return [
        *(((v.committed_on, "违法行为发生日"), (v.ended_on, "违法行为终了日"), (v.discovered_on, "发现违法行为之日")) if v else ()),
        (p.filed_on, "立案日"),
        *((d, "强制措施的日期") for d in measure_dates(draft)),
        (notice.served_on if notice else None, "告知书送达日"),
        *(((h.requested_on, "听证申请日"), (h.notified_on, "听证通知日"), (h.held_on, "听证举行日")) if h else ()),
        (review.on if review else None, "法制审核日"),
        (collective.on if collective else None, "集体讨论日"),
        (extension.approved_on if extension else None, "延期批准日"),
        (draft.decision.decided_on, "决定日"),
        (p.served_on, "决定书送达日"),
        *((d, "履行或执行的日期") for d in (ex.dates() if ex is not None else ())),
    ]


def as_of(draft: PenaltyDraft) -> dt.date:
    """The latest date a case holds: the day its record speaks of."""
    return as_of_named(draft)[0]


def as_of_named(draft: PenaltyDraft) -> tuple[dt.date, str]:
    """``as_of`` and what it is the day of (立案日, 告知书送达日 …: the latest step of that day)."""
    latest, named = None, ""
    for day, name in _dated(draft):
        if day is not None and (latest is None or day >= latest):  # of the same day, the later step
            latest, named = day, name
    if latest is None:
        raise ValueError("a case holds no date")  # never: 立案 or the decision is dated (as max() of nothing said)
    return latest, named


def open_version_reason(draft: PenaltyDraft, choice: VersionChoice) -> str:
    """Why the open case is read under the version chosen, in words that name the stand-in for the decision day."""
    day, name = as_of_named(draft)
    head = f"尚未作出决定，以案卷所载最晚日期 {day}（{name}）代替决定之日选用版本"
    tail = "；作出决定时按行为时与决定时的版本从旧兼从轻再选"
    if choice.version is None:
        return f"{head}：{choice.reason}{tail}"
    if draft.violation is None:
        return f"{head}：违法行为尚未记载，适用 {day} 有效的版本（{since(choice.version)}）{tail}"
    if choice.outcome == "same":
        return f"{head}：行为时与 {day} 适用同一版本（{since(choice.version)}）{tail}"
    return f"{head}：行为时与 {day} 的版本不同，按从旧兼从轻暂用{since(choice.version)}的版本{tail}"


def open_view(draft: PenaltyDraft) -> PenaltyDraft:
    """The open case as the rules see it: a decision on ``as_of`` proposing what the notice proposed (or
    nothing), a violation dated at 立案 when the draft has none yet. Only the facts in ``known_facts`` are
    read from it; the rest are unknown."""
    day = as_of(draft)
    notice = draft.procedure.notice
    proposed = list(notice.proposed) if notice else []
    decision = Decision.model_construct(
        procedure=draft.decision.procedure,
        tier=draft.decision.tier or "一般",
        sanctions=proposed,
        referrals=[],
        transferred_to_judiciary=False,
        case_flags=list(draft.decision.case_flags),
        decided_on=day,
        no_penalty_ground=None,
    )
    update: dict[str, Any] = {"decision": decision}
    if draft.violation is None:
        filed = draft.procedure.filed_on or day
        update["violation"] = Violation.model_construct(committed_on=filed, discovered_on=filed)
    return draft.model_copy(update=update)


def known_facts(draft: PenaltyDraft, facts: dict[str, Any]) -> frozenset[str]:
    """The facts of an open case's view that its record settles; every other fact waits for the decision."""
    known = set(STEP_FACTS)  # the steps taken (查封、扣押、先行登记保存 included): settled whatever comes next
    known.update(name for name in ONCE_TRUE_FACTS if facts.get(name) is True)  # a hearing held stays held
    p = draft.procedure
    if p.legal_review is not None and p.collective_discussion is not None:
        known.add("legal_review_after_collective")
    notice = p.notice
    if notice is not None and notice.proposed and "proposed" in notice.model_fields_set:
        # 第六十三条 "拟作出": the hearing right follows the penalty the notice proposes
        known.update({"fine_amount", "confiscated_gains", "penalty_imposed", "penalties_text"})
        known.update(name for name in facts if name.startswith("imposed_"))
    return frozenset(known)
