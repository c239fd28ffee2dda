"""Facts of the 查封, 扣押 (行政强制法 第十八条、第十九条、第二十四条、第二十五条、第二十七条) and 先行登记保存 (行政处罚法
第五十六条) a penalty or inspection record holds (issue 26 §3; docs/procedure.md "查封、扣押和先行登记保存").

Only measured here: each count says how many measures are certainly beyond a limit (or stand between two readings),
with a text naming them; rules/checks/coercive.yaml decides what that means. The limits are read from
rules/params/ (xzqz.measure, xzqz.officers, xzcf.preservation) in force on the day each measure was taken.
A 先行登记保存 written only as ``evidence[].preservation`` is read as a measure too (taken on ``obtained_on``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from quanze.engine.check.people import below_head
from quanze.engine.lang.compile import params_on
from quanze.engine.law.workdays import WorkCalendar, calendar_from
from quanze.engine.model.drafts import CoerciveMeasure, distinct_officers
from quanze.engine.model.facts import MEASURE_STEMS

_ONE = dt.timedelta(days=1)
SEIZURES = ("查封", "扣押")
CONFISCATIONS = ("没收非法财物", "没收设备")  # rules/vocabulary.yaml kinds that 没收 things (第二十七条: 没收 a 处理决定)
@dataclass
class Taken:
    """One measure as the checks read it; None = the record does not say. Read only (not frozen: a frozen dataclass of
    this many fields takes 5x as long to make, and the measures of a record are read several times in each check)."""

    kind: str
    where: str  # the row it was written in, in words, for messages
    taken_on: dt.date
    taken_at: dt.time | None
    approval_known: bool  # the record says whether there was a prior approval
    approved_on: dt.date | None
    approved_at: dt.time | None
    urgent: bool
    reported_on: dt.date | None
    reported_at: dt.time | None
    officers: int | None
    party_present: bool | None
    party_notified: bool | None
    record_made: bool | None
    delivered_known: bool
    delivered_on: dt.date | None
    extension_days: int
    extension_on: dt.date | None
    ended_known: bool
    ended_on: dt.date | None
    testing_days: int = 0  # 第二十五条第三款: 检测、检验、检疫或者技术鉴定的期间, not counted
    approved_by: str | None = None  # the 批准人 as written (approval.by)
    bupan_pending: bool = False  # urgent.approved_on written null: the 补办 of 第十九条 not done yet

    @property
    def name(self) -> str:
        return f"{self.kind}（{self.taken_on}{' ' + self.taken_at.strftime('%H:%M') if self.taken_at else ''}，{self.where}）"


def taken_measures(draft: Any) -> list[Taken]:
    """Every measure of a record: ``coercive_measures``, then the 先行登记保存 of evidence rows not written there."""
    out = [_from_measure(m, f"查封扣押和先行登记保存第 {i + 1} 项") for i, m in enumerate(getattr(draft, "coercive_measures", []) or [])]
    written = {t.taken_on for t in out if t.kind == "先行登记保存"}
    for i, row in enumerate(getattr(draft, "evidence", None) or []):
        p = row.preservation
        if p is None or row.obtained_on is None or row.obtained_on in written:
            continue
        out.append(
            Taken(
                kind="先行登记保存",
                where=f"证据第 {i + 1} 项",
                taken_on=row.obtained_on,
                taken_at=None,
                approval_known="approved_on" in p.model_fields_set,
                approved_on=p.approved_on,
                approved_at=None,
                urgent=False,
                reported_on=None,
                reported_at=None,
                officers=None,
                party_present=None,
                party_notified=None,
                record_made=None,
                delivered_known=False,
                delivered_on=None,
                extension_days=0,
                extension_on=None,
                ended_known="decided_on" in p.model_fields_set,
                ended_on=p.decided_on,
            )
        )
    return out


def _from_measure(m: CoerciveMeasure, where: str) -> Taken:
    u, a, e = m.urgent, m.approval, m.extension
    fields = m.model_fields_set
    return Taken(
        kind=m.kind,
        where=where,
        taken_on=m.taken_on,
        taken_at=m.taken_at,
        approval_known=True,
        approved_on=a.on if a else _afterwards(m),
        approved_at=a.at if a else None,
        urgent=u is not None,
        reported_on=u.reported_on if u else None,
        reported_at=u.reported_at if u else None,
        officers=len(distinct_officers(m.officers)),
        party_present=m.party_present,
        party_notified=m.party_notified,
        record_made=m.record_made,
        delivered_known="documents_delivered_on" in fields,
        delivered_on=m.documents_delivered_on,
        extension_days=e.days if e else 0,
        extension_on=e.approved_on if e else None,
        ended_known="ended_on" in fields,
        ended_on=m.ended_on,
        testing_days=m.testing.days if m.testing else 0,
        approved_by=a.by if a else None,
        bupan_pending=u is not None and "approved_on" in u.model_fields_set and u.approved_on is None,
    )


def _afterwards(m: CoerciveMeasure) -> dt.date | None:
    """A 先行登记保存's approval written as the 补办 of an urgent measure: an approval after the measure, the same fact
    as ``approval.on`` after ``taken_on`` (PRESERVATION_UNCERTAIN), never "no approval". A 查封/扣押's 补办 stays in
    第十九条's urgent path."""
    return m.urgent.approved_on if m.kind == "先行登记保存" and m.urgent is not None else None


def measure_dates(draft: Any) -> list[dt.date]:
    """Every date the measures of a record hold (the day a record speaks of is the latest of its dates)."""
    days: list[dt.date] = []
    for t in taken_measures(draft):
        days += [d for d in (t.taken_on, t.approved_on, t.reported_on, t.delivered_on, t.extension_on, t.ended_on) if d]
    return days


def _approved_before(t: Taken) -> bool:
    """An approval on or before the day of the measure (the same day: before it, unless both times say otherwise)."""
    if t.approved_on is None:
        return False
    if t.approved_on < t.taken_on:
        return True
    if t.approved_on > t.taken_on:
        return False
    return t.approved_at is None or t.taken_at is None or t.approved_at <= t.taken_at


def _report_timing(t: Taken, hours: int) -> str:
    """on_time | late | uncertain: the urgent report against 第十九条's hours (exact with both times)."""
    assert t.reported_on is not None
    if t.taken_at is not None and t.reported_at is not None:
        gap = dt.datetime.combine(t.reported_on, t.reported_at) - dt.datetime.combine(t.taken_on, t.taken_at)
        return "on_time" if gap <= dt.timedelta(hours=hours) else "late"
    days, whole = (t.reported_on - t.taken_on).days, hours // 24  # dates only: the next day may be either
    return "on_time" if days < whole else "late" if days > whole else "uncertain"


def _period_ends(cal: WorkCalendar, start: dt.date, days: int) -> tuple[dt.date, dt.date]:
    """The last day of a period of calendar days under the strict reading (the first day counts) and the lenient one
    (it does not, 民事诉讼法 第八十五条, and a last day off rolls to the next working day)."""
    strict = start + dt.timedelta(days=days - 1)
    lenient = start + dt.timedelta(days=days)
    while not cal.is_workday(lenient):
        lenient += _ONE
    return strict, lenient


class _Params:
    """The numbers in force on the day a measure was taken (rules/params/xzqz.yaml, xzcf.yaml)."""

    def __init__(self, rules: Any) -> None:
        self.rules = rules

    def on(self, day: dt.date) -> dict[str, Any]:
        return params_on(self.rules, day)


def seizure_period(t: Taken, p: dict[str, Any], cal: WorkCalendar) -> tuple[dt.date, dt.date, str] | None:
    """(strict end, lenient end, how counted) of a 查封/扣押's period with an extension approved in time and the
    testing period left out (第二十五条第一款、第三款)."""
    days, most = p.get("xzqz.measure.days"), p.get("xzqz.measure.extension_days")
    if days is None or most is None:
        return None
    days += t.testing_days  # 第二十五条第三款: the testing period is not counted, so the end moves by it
    strict, lenient = _period_ends(cal, t.taken_on, days)
    how = f"自 {t.taken_on} 起 {days - t.testing_days} 日" + (f"，检测等期间 {t.testing_days} 日不计入" if t.testing_days else "")
    if t.extension_days and t.extension_on is not None:
        if t.extension_on <= lenient:
            counted = min(t.extension_days, most)
            strict, lenient = _period_ends(cal, t.taken_on, days + counted)
            how += f"，{t.extension_on} 批准延长 {t.extension_days} 日（计入 {counted} 日）"
        else:
            how += f"，延长于 {t.extension_on} 批准，已在原期限届满之后，不计"
    return strict, lenient, how


def confiscation_day(draft: Any) -> dt.date | None:
    """The day of a decided penalty that confiscates things (非法财物, 设备): a 处理决定 of 第二十七条 (没收) for a seizure."""
    decision = getattr(draft, "decision", None)
    if decision is None or decision.decided_on is None:
        return None
    return decision.decided_on if any(s.kind in CONFISCATIONS for s in decision.sanctions) else None


def measure_facts(draft: Any, rules: Any, latest: Callable[[Any], dt.date], confiscated_on: dt.date | None = None) -> dict[str, Any]:
    """The counts of measures beyond each limit (and between two readings), with the texts naming them; ``latest(draft)``
    is the latest day the record speaks of (``as_of``: a measure neither handled nor lifted by then is judged as of that
    day), asked only of a record that holds a measure.
    ``confiscated_on``: a decided penalty that confiscates 非法财物 handled a seizure written not handled (null)
    on that day (行政强制法 第二十七条: 没收 is a 处理决定), not on the last day of the record."""
    measures = taken_measures(draft)
    if not measures:  # most records have none: no calendar, no params
        return dict(_NONE_TAKEN)
    found: dict[str, list[str]] = {s: [] for s in MEASURE_STEMS}
    params, cal, as_of = _Params(rules), calendar_from(rules.calendar), latest(draft)
    for t in measures:
        if t.approved_by and below_head(t.approved_by, draft, rules):
            found["coercive_approver_below"].append(f"{t.name}：由「{t.approved_by}」批准")
        p = params.on(t.taken_on)
        if t.kind in SEIZURES:
            _seizure(t, p, cal, as_of, found, confiscated_on)
        else:
            _preservation(t, p, cal, as_of, found)
    return _counted(found)


def _counted(found: dict[str, list[str]]) -> dict[str, Any]:
    """The facts of the measures found beyond each limit: how many (``n_<stem>``) and the text naming them."""
    facts: dict[str, Any] = {f"n_{s}": len(v) for s, v in found.items()}
    facts.update({s: "；".join(v) for s, v in found.items()})
    return facts


_NONE_TAKEN = _counted({s: [] for s in MEASURE_STEMS})  # the facts of a record without measures (copied, never changed)


def _seizure(
    t: Taken, p: dict[str, Any], cal: WorkCalendar, as_of: dt.date, found: dict[str, list[str]], confiscated_on: dt.date | None = None
) -> None:
    hours, least = p.get("xzqz.measure.report_hours"), p.get("xzqz.officers.min")
    if hours is None or least is None:
        return
    if not _approved_before(t) and not (t.urgent and t.reported_on is not None):
        at = f" {t.approved_at.strftime('%H:%M')}" if t.approved_at else ""
        approval = f"批准于 {t.approved_on}{at}（实施之后）" if t.approved_on else "没有批准"
        urgent = "记载了情况紧急但没有报告日期" if t.urgent else "没有记载情况紧急"
        found["coercive_unapproved"].append(f"{t.name}：{approval}，{urgent}")
    if t.urgent and t.reported_on is not None and not _approved_before(t):
        when = f"{t.reported_on}{' ' + t.reported_at.strftime('%H:%M') if t.reported_at else ''}"
        timing = _report_timing(t, hours)
        if timing == "late":
            found["coercive_report_late"].append(f"{t.name}：{when} 才向负责人报告，超过 {hours} 小时")
        elif timing == "uncertain":
            found["coercive_report_uncertain"].append(f"{t.name}：{when} 报告（实施次日，记录没有写明两次的时刻）")
    if t.bupan_pending and t.ended_known and t.reported_on is not None and not _approved_before(t):
        # lifted by the day after the report (the head said no: 立即解除), or the record ends before then: nothing
        kept_until = t.ended_on if t.ended_on is not None else as_of
        if kept_until > t.reported_on + _ONE:
            found["coercive_approval_pending"].append(f"{t.name}：{t.reported_on} 报告，未补办批准，{_until(t, as_of)}")
    if t.officers is not None and t.officers < least:
        found["coercive_officers_short"].append(f"{t.name}：实施人员 {t.officers} 人")
    # 第十八条第（四）项 通知当事人到场: a party recorded present was there, whether or not a notice was sent
    notified = t.party_notified if t.party_present is not True else None
    missing = [w for w, v in (("通知当事人到场", notified), ("制作现场笔录", t.record_made)) if v is False]
    if missing:
        found["coercive_steps_missing"].append(f"{t.name}：未{'、未'.join(missing)}")
    if t.party_present and t.delivered_known and t.delivered_on != t.taken_on:
        late = f"于 {t.delivered_on} 才交付" if t.delivered_on else "没有交付"
        found["coercive_not_delivered"].append(f"{t.name}：当事人在场，决定书和清单{late}")
    most = p.get("xzqz.measure.extension_days")
    if t.extension_days and most is not None and t.extension_days > most:
        found["coercive_extension_excessive"].append(f"{t.name}：延长 {t.extension_days} 日")
    period = seizure_period(t, p, cal)
    if period is None:
        return
    strict, lenient, how = period
    day = t.ended_on if t.ended_on is not None else as_of if t.ended_known else None
    if day is None:
        return
    done = f"{t.ended_on} 作出处理决定" if t.ended_on else f"至 {as_of}（记录的最后日期）仍未处理或解除"
    if t.ended_on is None and confiscated_on is not None and confiscated_on >= t.taken_on:
        day, done = min(day, confiscated_on), f"{confiscated_on} 作出没收非法财物的处罚决定（视为处理决定）"
    if day > lenient:
        found["coercive_period_exceeded"].append(f"{t.name}：{how}，最迟至 {lenient} 届满，{done}")
    elif day > strict:
        found["coercive_period_uncertain"].append(
            f"{t.name}：{how}，实施当日计入则至 {strict} 届满，不计入（期满日为休息日的顺延）则至 {lenient} 届满，{done}"
        )


def _until(t: Taken, as_of: dt.date) -> str:
    return f"{t.ended_on} 才处理或解除" if t.ended_on else f"至 {as_of}（记录的最后日期）仍未解除"


def _preservation(t: Taken, p: dict[str, Any], cal: WorkCalendar, as_of: dt.date, found: dict[str, list[str]]) -> None:
    n = p.get("xzcf.preservation.workdays")
    if n is None:
        return
    if t.approval_known and t.approved_on is None:
        found["preservation_unapproved"].append(f"{t.name}：没有行政机关负责人的批准")
    elif t.approved_on is not None and not _approved_before(t):
        found["preservation_approved_after"].append(f"{t.name}：{t.approved_on} 才经负责人批准")
    day = t.ended_on if t.ended_on is not None else as_of if t.ended_known else None
    if day is None:
        return
    used = cal.count(t.taken_on, day)
    done = f"{t.ended_on} 作出处理决定" if t.ended_on else f"至 {as_of}（记录的最后日期）仍未作出处理决定"
    if int(used) > n:
        found["preservation_late"].append(f"{t.name}：{done}，已是实施后第 {int(used)} 个工作日")
    elif used.high > n:
        found["preservation_uncertain"].append(f"{t.name}：{done}，是实施后第 {int(used)}–{used.high} 个工作日（调休安排未公布）")
    elif int(used) == n and t.ended_on is not None and not cal.is_workday(day):  # the day off after the last working day
        found["preservation_day_off"].append(f"{t.name}：{done}，是实施后第 {n} 个工作日之后的休息日")


def record_as_of(draft: Any) -> dt.date:
    """The latest date an inspection record holds."""
    days = [draft.performed_on, draft.results_published_on, draft.follow_up.on if draft.follow_up else None]
    return max([d for d in days if d is not None] + measure_dates(draft))
