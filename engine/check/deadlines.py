"""Deadlines ahead (期限预警): for every step with a time limit, its last lawful day from the dates a draft holds.

Each limit is read from ``rules/params/`` (the numbers the checks compare against) and its basis from the
check rule in ``rules/checks/`` that tests it, so a deadline and the check agree: a step done on its
``last_day`` passes that check. Working days come from the same calendar (``engine.workdays``); a year whose
调休 arrangement is unknown gives ``last_day_range`` (earliest–latest possible). A step dated after ``today``
is a plan, not yet taken. This module never changes a finding: a step not yet taken is a deadline here, and a
step taken late stays the finding the checks make of it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from quanze.engine.check.facts import _add_years, amount_of, caps_in, extension_cap, number, rest_days_before
from quanze.engine.check.measures import seizure_period, taken_measures
from quanze.engine.check.names import read_document
from quanze.engine.check.stage import as_of, is_open, stage_of
from quanze.engine.lang.compile import params_on
from quanze.engine.law.workdays import WorkCalendar, calendar_from
from quanze.engine.model.drafts import ComplaintDraft, FilingDraft, PenaltyDraft
from quanze.engine.model.findings import made
from quanze.engine.model.records import CaseStage, Deadlines, NextStep
from quanze.engine.model.records import Deadline as DeadlineRecord

_ONE = dt.timedelta(days=1)
OPEN, MET, LATE, DUE_TODAY = "open", "met", "late", "due_today"
INFO = "info"  # a period shown for information (the party's 复议 and 诉讼 periods, 加处罚款): nobody's step


@dataclass
class Deadline:
    """One step's time limit: the last lawful day (or a range), its basis and where it stands on ``today``."""

    step: str
    title: str
    last_day: dt.date | None
    last_day_range: tuple[dt.date, dt.date] | None
    basis: str
    status: str
    remaining_workdays: int | None
    overdue_days: int | None
    words: str
    counted: str
    skipped: list[str] = field(default_factory=list)
    pending: bool = False  # the step is not yet taken (an open case)
    reading: str = ""  # how an unclear term of the law is read, after the count (officer words)
    reading_source: str = ""  # the rules file whose note explains the reading (named in the terminal's count)

    @property
    def earliest(self) -> dt.date:
        """The earliest possible last day (sorting, and the conservative reading for what remains)."""
        return self.last_day_range[0] if self.last_day_range else self.last_day  # type: ignore[return-value]

    def _counted(self) -> str:
        """How the day was counted, with the reading of an unclear term and the rules file explaining it (terminal)."""
        return self.counted + (f"；{self.reading}（见 {self.reading_source} 的说明）" if self.reading else "")

    def _day(self) -> dict[str, Any]:
        """What every form of the step says: the day, the range, the basis and how it was counted."""
        return {
            "step": self.step,
            "title": self.title,
            "last_day": self.last_day,
            "last_day_range": list(self.last_day_range) if self.last_day_range else None,
            "basis": self.basis,
            "counted": self._counted(),
        }

    def next_step(self) -> NextStep:
        """The step as a result's ``next_steps`` lists it: the day, the range and how it was counted."""
        return made(NextStep, self._day())  # values of the count, valid as they are: not validated again

    def record(self) -> DeadlineRecord:
        """The typed record of ``POST /api/v1/deadlines`` (engine/model/records.py); its keys in the record's order."""
        return made(  # values of the count, valid as they are: not validated again
            DeadlineRecord,
            {
                **self._day(),
                "status": self.status,
                "remaining_workdays": self.remaining_workdays,
                "overdue_days": self.overdue_days,
                "words": self.words,
                "skipped": list(self.skipped),
                "title_text": self.title,  # the officer's words (the title is written so at the source)
                "counted_text": self.counted + (f"；{self.reading}" if self.reading else ""),  # no rules path
            },
        )

    def to_json(self) -> dict[str, Any]:
        """The shape of ``POST /api/v1/deadlines`` (briefs/shapes.md)."""
        return self.record().dump()


class _Context:
    """What every deadline of one draft reads: rules, calendar, today."""

    def __init__(self, rules: Any, today: dt.date, pending_only: bool = False, latest: dt.date | None = None) -> None:
        self.rules = rules
        self.today = today
        self.pending_only = pending_only  # only the steps not yet taken (next_steps): the others are not computed
        self.latest = latest  # the latest date of the draft (stage.as_of), when the caller has it
        self._on: dict[dt.date, dict[str, Any]] = {}  # the params of each day asked (one draft's few days)
        self.cal: WorkCalendar = calendar_from(rules.calendar, rules.cache)
        if "deadline_rules" not in rules.cache:  # rule id -> rule, once per rule set
            rules.cache["deadline_rules"] = {r.id: r for f in rules.checks for r in f.rules}
        self._rules = rules.cache["deadline_rules"]

    def param(self, key: str, day: dt.date) -> Any:
        """A number of rules/params/ in force on a day (None: no version in force)."""
        return self.param_set(day).get(key)

    def param_set(self, day: dt.date) -> dict[str, Any]:
        """Every number of rules/params/ in force on a day (the same dict for every draft on that day)."""
        found = self._on.get(day)
        if found is None:
            found = self._on[day] = params_on(self.rules, day)
        return found

    def as_of(self, draft: PenaltyDraft) -> dt.date:
        """The latest date of the draft (stage.as_of), found once."""
        if self.latest is None:
            self.latest = as_of(draft)
        return self.latest

    def basis(self, rule_id: str) -> str:
        """The basis of the check rule that tests this limit, as the rule lists it."""
        rule = self._rules.get(rule_id)
        return "；".join(rule.basis) if rule else ""

    def applies(self, rule_id: str, item: str) -> bool:
        rule = self._rules.get(rule_id)
        return rule is not None and (not rule.items or item in rule.items)

    def uncertain_note(self, *days: dt.date) -> str:
        years = sorted({d.year for d in days if self.cal.tables.year(d.year).source in ("statutory", "guessed")})  # type: ignore[union-attr]
        if not years:
            return ""
        listed = "、".join(f"{y} 年" for y in years)
        return f"；{listed}的国务院放假安排未公布（日历中没有），调休未知，按最少和最多两种情形给出期限范围"

    def skipped(self, start: dt.date, end: dt.date) -> list[str]:
        """The days off between two days, in words (not for next_steps, which do not show them)."""
        return [] if self.pending_only else self.cal.skipped(start, end)

    def makeup_note(self, start: dt.date, end: dt.date) -> str:
        """The weekend days counted as working days (调休上班) after ``start`` up to ``end``, named."""
        days, day = [], start + _ONE
        while day <= end:
            if day.weekday() >= 5 and self.cal.is_workday(day):
                days.append(f"{day}（星期{'六日'[day.weekday() - 5]}，调休上班）")
            day += _ONE
        return f"；计入的调休上班日：{'、'.join(days)}" if days else ""

    def state(
        self, d: Deadline, done_on: dt.date | None, in_time: bool | None, late_from: dt.date | None = None, surely: bool = True
    ) -> Deadline:
        """Status and words: a step taken on or before today is met or late; otherwise against today. Late only
        when late under every reading of an unknown 调休 arrangement; in time under only one (``surely`` False)
        is met with words saying 无法确定, as the check's warning does."""
        if done_on is not None and done_on <= self.today:
            if in_time and not surely:
                d.status, d.words = MET, f"无法确定是否按期（{done_on}）：取决于未公布的调休安排，按最晚可能的期限未逾期"
            elif in_time:
                d.status, d.words = MET, f"已按期完成（{done_on}）"
            else:
                d.status, d.overdue_days = LATE, (done_on - (late_from or d.last_day or done_on)).days
                d.words = f"逾期 {d.overdue_days} 日完成（{done_on}）"
            return d
        d.pending = True
        last = d.earliest
        if done_on is not None:
            d.counted += f"；草稿所填日期 {done_on} 尚未到来，" + ("在期限内" if in_time else "已超过期限")
        if self.today < last and self.pending_only:  # next_steps: the day and basis, not what remains
            d.status = OPEN
        elif self.today < last:
            d.status, d.remaining_workdays = OPEN, int(self.cal.count(self.today, last))
            most = self.cal.count(self.today, d.last_day_range[1]).high if d.last_day_range else d.remaining_workdays
            d.words = f"剩余 {d.remaining_workdays}" + (f"–{most}" if most != d.remaining_workdays else "") + " 个工作日"
        elif self.today == last:
            d.status, d.remaining_workdays, d.words = DUE_TODAY, 0, "今日到期"
        elif d.last_day_range and self.today <= d.last_day_range[1]:  # late under one reading only: no 【逾期】
            d.status, d.remaining_workdays = DUE_TODAY, 0
            d.words = f"无法确定是否已届满：已过最早可能的期限 {(self.today - last).days} 日"
        else:
            d.status, d.overdue_days = LATE, (self.today - last).days
            d.words = f"已逾期 {d.overdue_days} 日"
        if d.last_day_range:
            d.words += f"（按最早可能的期限 {last} 计；最晚可能为 {d.last_day_range[1]}，取决于调休安排）"
        return d

    # --- the two kinds of period --------------------------------------------------------------

    def within_workdays(
        self, step: str, title: str, rule: str, start: dt.date, start_word: str, n: int, done_on: dt.date | None
    ) -> Deadline:
        """A step due within ``n`` working days after ``start`` (start day not counted, 第八十五条)."""
        early, late = self.cal.add_workdays_range(start, n)
        rng = (early, late) if early != late else None
        counted = f"{start_word} {start} 次日起算 {n} 个工作日，第 {n} 个工作日为 " + (f"{early} 至 {late}" if rng else f"{late}")
        counted += self.makeup_note(start, late) + self.uncertain_note(start, late)
        d = Deadline(
            step, title, None if rng else late, rng, self.basis(rule), OPEN, None, None, "", counted, self.skipped(start, late)
        )
        used = None if done_on is None else self.cal.count(start, done_on)
        in_time = None if used is None else int(used) <= n  # late only when certain
        return self.state(d, done_on, in_time, late, surely=used is None or used.high <= n)

    def days_before(self, step: str, title: str, rule: str, event: dt.date, event_word: str, n: int, done_on: dt.date | None) -> Deadline:
        """A step due at least ``n`` working days before ``event``: the latest working day that leaves them."""

        def latest(most: bool) -> dt.date:
            day = event - _ONE
            while not self.cal.may_be_workday(day) or (self.cal.count(day, event).high if most else int(self.cal.count(day, event))) < n:
                day -= _ONE
            return day

        sure = latest(False)  # every reading leaves n working days
        maybe = latest(True)
        rng = (sure, maybe) if sure != maybe else None
        counted = f"{event_word} {event} 之前须有 {n} 个工作日（通知日不计），最晚通知日为 " + (f"{sure} 至 {maybe}" if rng else f"{sure}")
        counted += self.uncertain_note(sure, event)
        d = Deadline(
            step, title, None if rng else sure, rng, self.basis(rule), OPEN, None, None, "", counted, self.cal.skipped(sure, event)
        )
        left = None if done_on is None else self.cal.count(done_on, event)
        in_time = None if left is None else left.high >= n
        return self.state(d, done_on, in_time, maybe, surely=left is None or int(left) >= n)


def _penalty(draft: PenaltyDraft, ctx: _Context) -> list[Deadline]:
    p, d, v = draft.procedure, draft.decision, draft.violation
    decided = d.decided_on
    ref = decided or ctx.as_of(draft)  # the day whose numbers apply to a step not dated: the decision, or the latest step
    out: list[Deadline] = []
    notice = p.notice
    request_days = ctx.param("xzcf.hearing.request_workdays", notice.served_on if notice else ref)
    answered = bool(p.hearing and (p.hearing.requested_on or p.hearing.waived)) or decided is not None
    if notice and "听证" in notice.rights and request_days is not None and not (ctx.pending_only and answered):
        h = p.hearing
        dl = ctx.within_workdays(
            "hearing_request",
            "听证申请期限（当事人）",
            "decided_before_hearing_window_closed",
            notice.served_on,
            "自告知书送达",
            request_days,
            h.requested_on if h else None,
        )
        if dl.pending and h and h.waived:
            dl.pending, dl.status, dl.remaining_workdays, dl.overdue_days = False, MET, None, None
            dl.words = "当事人已放弃听证"
        elif dl.pending and dl.status == LATE:  # the party's window closed without a request: nobody is late
            dl.pending, dl.status, dl.overdue_days, dl.words = False, MET, None, "已届满，当事人未申请听证"
        elif dl.status == LATE and h and h.requested_on:  # the party asked after the window: its request, not a step late
            dl.words = f"当事人于 {h.requested_on} 申请，已过期限 {dl.overdue_days} 日"
        dl.counted += "；期限届满前不得作出决定（未放弃听证的）"
        out.append(dl)
    h = p.hearing
    notice_days = ctx.param("xzcf.hearing.notice_workdays", notice.served_on if notice else ref)
    if h and h.held_on and notice_days is not None and not ctx.pending_only:  # a hearing held: its notice is past
        out.append(
            ctx.days_before("hearing_notice", "听证通知最晚日期", "hearing_notice_late", h.held_on, "举行听证", notice_days, h.notified_on)
        )
    limit = ctx.param("xzcf.decision.days", ref)
    if p.filed_on and limit is not None and not (ctx.pending_only and decided):
        out.append(_decision_limit(draft, ctx, limit, ref))
    service = ctx.param("xzcf.service.workdays", p.served_on or ref)
    if decided is not None and service is not None and not (ctx.pending_only and p.served_on):
        dl = ctx.within_workdays("service", "决定书送达期限", "service_late", decided, "自作出决定", service, p.served_on)
        if dl.pending and "procedure" not in draft.model_fields_set:  # the procedure is not filled: unknown, not late
            dl.words = f"程序部分未填写，无法确认是否已送达；如尚未送达：{dl.words}"
        out.append(dl)
    if decided is not None and p.served_on is not None:
        out += _execution(draft, ctx, p.served_on)
    out += _measures(draft, ctx)
    years = ctx.param("xzcf.limitation.years", ref)
    if v is not None and years is not None and not ctx.pending_only:  # the discovery is always dated: never pending
        long = v.affects_life_health_or_finance and v.harm != "none"
        years = ctx.param("xzcf.limitation.extended_years", ref) if long else years
        act_end = v.ended_on or v.committed_on
        last = _add_years(act_end, years)
        start = f"违法行为{'终了' if v.ended_on else '发生'}之日 {act_end}"
        why = "（涉及公民生命健康安全、金融安全且有危害后果）" if long else ""
        dl = Deadline(
            "limitation",
            "追责时效（违法行为须在此日前被发现）",
            last,
            None,
            ctx.basis("time_barred"),
            OPEN,
            None,
            None,
            "",
            f"自{start}起 {years} 年{why}，至 {last}（自然日，不顺延）；发现日期 {v.discovered_on}",
            [],
        )
        out.append(ctx.state(dl, v.discovered_on, v.discovered_on <= last))
    return out


def _add_months(day: dt.date, months: int) -> dt.date:
    """The day ``months`` later with the same day number (the last day of a shorter month)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError(day)


def _calendar_period(
    ctx: _Context, step: str, title: str, basis: str, start: dt.date, start_word: str, end: dt.date, length: str, done_on: dt.date | None
) -> Deadline:
    """A period in calendar days or months from ``start`` ending on ``end``, rolled over a day off (民事诉讼法 第八十五条)."""
    first, last = ctx.cal.rolled(end)
    rng = (first, last) if first != last else None
    counted = f"{start_word} {start} 起算 {length}，期满日 {end}"
    if last != end:
        counted += f"；期满日为休息日，顺延至其后第一个工作日（民事诉讼法 第八十五条）：{first}" + (f" 至 {last}" if rng else "")
        basis += "；民事诉讼法 第八十五条"
    counted += ctx.uncertain_note(end, last)
    d = Deadline(step, title, None if rng else last, rng, basis, OPEN, None, None, "", counted, ctx.skipped(end - _ONE, last))
    return ctx.state(d, done_on, None if done_on is None else done_on <= last, last)


def _info(d: Deadline, ctx: _Context, whose: str) -> Deadline:
    """A period that is nobody's step here (the party's): where it stands, never pending nor late."""
    last = d.earliest
    d.pending, d.status, d.overdue_days = False, INFO, None
    d.remaining_workdays = None
    d.words = f"{whose}，供参考：" + ("已届满" if ctx.today > last else "今日届满" if ctx.today == last else f"至 {last} 届满")
    return d


def _execution(draft: PenaltyDraft, ctx: _Context, served: dt.date) -> list[Deadline]:
    """履行与执行 after service (issue 26 §2): payment (第六十七条, 延期/分期 第六十六条), 加处罚款 (第七十二条), the 催告
    period (行政强制法 第五十四条), the court application (第五十三条), and the party's 复议 and 诉讼 periods."""
    ex = draft.execution
    paid = ex.paid_on if ex else None
    deferral = ex.deferral if ex else None
    fine = amount_of(draft.decision.sanctions, "罚款")
    out: list[Deadline] = []
    pay_days = ctx.param("xzcf.payment.days", served)
    pay_last: dt.date | None = None
    if fine > 0 and pay_days is not None and not (ctx.pending_only and paid):
        if deferral is not None:
            words = "暂缓" if deferral.kind == "延期" else "分期"
            dl = _calendar_period(
                ctx, "payment", f"缴纳罚款期限（经批准{words}缴纳）", "行政处罚法 第六十六条第二款", deferral.approved_on,
                f"{deferral.approved_on} 批准{words}缴纳，自", deferral.until, f"至 {deferral.until}", paid,
            )
        else:
            dl = _calendar_period(
                ctx, "payment", "缴纳罚款期限（当事人）", "行政处罚法 第六十七条第三款", served, "自收到决定书之日",
                served + dt.timedelta(days=pay_days), f"{pay_days} 日", paid,
            )
        if dl.status == LATE and dl.pending:
            dl.words = f"当事人逾期 {dl.overdue_days} 日未缴纳（可以依法加处罚款、催告后申请法院强制执行）"
        pay_last = dl.earliest
        out.append(dl)
        rate = ctx.param("xzcf.surcharge.percent_per_day", served)
        if rate and (paid is None or paid > pay_last) and not ctx.pending_only:
            out.append(_surcharge(ctx, pay_last, paid, fine, rate))
    demand_days = ctx.param("xzqz.demand.workdays", served)
    demanded = ex.demanded_on if ex else None
    if demanded is not None and demand_days is not None and not (ctx.pending_only and (paid or ex.court_applied_on)):
        dl = ctx.within_workdays(
            "demand", "催告后当事人履行期限（期满后才可申请法院强制执行）", "enforcement_applied_early", demanded, "自催告书送达",
            demand_days, paid,
        )
        if dl.pending and dl.status in (LATE, DUE_TODAY):
            dl.pending, dl.status = False, MET
            if not dl.words.startswith("无法确定"):  # inside an unknown 调休's range: the words say both ends
                dl.words = "已届满，当事人仍未履行：可以申请人民法院强制执行" if dl.overdue_days else "今日届满：次一工作日起可以申请"
        out.append(dl)
    months = ctx.param("xzqz.court.months", served)
    review = ctx.param("xzfy.review.days", served)
    suit = ctx.param("xzss.suit.months", served)
    applied = ex.court_applied_on if ex else None
    if fine > 0 and months and review and suit and paid is None and not (ctx.pending_only and applied):
        if deferral is not None:
            start, why = deferral.until, "暂缓或者分期缴纳期限结束之日（行政处罚法 第七十二条第二款）"
        else:
            start = max(ctx.cal.rolled(served + dt.timedelta(days=review))[1], _add_months(served, suit))
            why = f"当事人申请行政复议（{review} 日）和提起行政诉讼（{suit} 个月）的期限均届满之日"
        length = f"{months} 个月（申请前须催告，催告书送达十个工作日后仍未履行的才可申请）"
        basis = "行政强制法 第五十三条；行政强制法 第五十四条"
        dl = _calendar_period(
            ctx, "court", "申请人民法院强制执行期限", basis, start, f"自{why}", _add_months(start, months), length, applied
        )
        dl.reading, dl.reading_source = "“期限届满”按复议、诉讼期限均届满理解", "rules/params/xzqz.yaml"
        out.append(dl)
    if review and suit and not ctx.pending_only:
        last = ctx.cal.rolled(served + dt.timedelta(days=review))[1]
        counted = f"自收到决定书之日 {served} 起算 {review} 日（自然日，期满日为休息日的顺延）"
        d = Deadline("review", "申请行政复议期限（当事人）", last, None, "行政复议法 第二十条第一款", INFO, None, None, "", counted)
        out.append(_info(d, ctx, "当事人的期限"))
        last = _add_months(served, suit)
        counted = f"自知道作出行政行为之日（收到决定书 {served}）起 {suit} 个月"
        d = Deadline("suit", "提起行政诉讼期限（当事人）", last, None, "行政诉讼法 第四十六条第一款", INFO, None, None, "", counted)
        out.append(_info(d, ctx, "当事人的期限"))
    return out


def _surcharge(ctx: _Context, pay_last: dt.date, paid: dt.date | None, fine: Any, rate: Any) -> Deadline:
    """加处罚款 (第七十二条第一款第（一）项; 行政强制法 第四十五条): 3 % of the fine a day from the day after the payment
    period, never more than the fine; shown as what has accrued by today (or by payment)."""
    cap_days = -(-100 // int(rate))  # the day the surcharge reaches the fine
    cap_day = pay_last + dt.timedelta(days=cap_days)
    until = min(paid - _ONE if paid else ctx.today, cap_day)
    days = max(0, (until - pay_last).days)
    amount = min(fine, fine * rate * days / 100)
    counted = (
        f"自缴纳期限届满次日 {pay_last + _ONE} 起每日按罚款数额 {number(fine)} 元的 {rate}% 加处，"
        f"至多 {cap_days} 日、不超出罚款数额，{cap_day} 达到上限"
    )
    basis = "行政处罚法 第七十二条第一款第（一）项；行政强制法 第四十五条"
    d = Deadline("surcharge", "加处罚款（每日百分之三，不超出罚款数额）", cap_day, None, basis, INFO, None, None, "", counted)
    d.pending = False
    full = "（已达罚款数额）" if amount >= fine else ""
    d.words = f"截至{'缴清前一日' if paid else '今日'}已逾期 {days} 日，可加处 {number(amount)} 元{full}"
    return d


def _decision_limit(draft: PenaltyDraft, ctx: _Context, limit: int, ref: dt.date) -> Deadline:
    """第六十条: 90 calendar days from 立案 (+ an extension approved in time), rolled over a day off."""
    p, cal = draft.procedure, ctx.cal
    filed = p.filed_on
    assert filed is not None
    end = filed + dt.timedelta(days=limit)
    first, last = cal.rolled(end)
    ext, note = p.extension, ""
    if ext:
        approval = (ext.approved_on - filed).days - rest_days_before(cal, ext.approved_on)
        if approval > limit:
            note = f"；延长于 {ext.approved_on} 批准，晚于原期限，延长无效"
        else:
            cap = extension_cap(ext.basis, caps_in(ctx.param_set(ref)))
            days = min(ext.days, cap) if cap >= 0 else ext.days
            end = end + dt.timedelta(days=days)
            first, last = cal.rolled(end)
            unverified = "" if cap >= 0 else "（该依据允许延长的上限未编码，未能核实：检查对此作警告 EXTENSION_UNVERIFIED）"
            note = f"；{ext.approved_on} 批准延长 {ext.days} 日，计入 {days} 日，依据「{ext.basis or '未写明'}」{unverified}"
    rng = (first, last) if first != last else None
    counted = f"自立案之日 {filed} 次日起算 {limit} 日{note}，期满日 {end}"
    if last != end:
        off = "为休息日" if first != end else "可能为调休放假日（调休未知）"
        counted += f"；期满日{off}，顺延至其后第一个工作日（民事诉讼法 第八十五条）：{first}" + (f" 至 {last}" if rng else "")
    counted += ctx.uncertain_note(end, last)
    basis = ctx.basis("decision_overdue") + ("；民事诉讼法 第八十五条" if last != end else "")
    d = Deadline(
        "decision", "作出处罚决定期限", None if rng else last, rng, basis, OPEN, None, None, "", counted, ctx.skipped(end - _ONE, last)
    )
    decided = draft.decision.decided_on
    return ctx.state(d, decided, None if decided is None else decided <= last, last, surely=decided is None or decided <= first)


def _filing(draft: FilingDraft, ctx: _Context) -> list[Deadline]:
    dates, dec, item = draft.dates, draft.decision, draft.item
    out: list[Deadline] = []
    day = dates.decided_on or dates.submitted_on
    n = ctx.param("xj_touzi_beian.decision.workdays", day)
    extra = ctx.param("xj_touzi_beian.decision.extension_workdays_total", day)
    if dates.accepted_on and ctx.applies("filing_decision_overdue", item) and n is not None and extra is not None:
        notified, approved = dec.extension_notified_on, dec.extension_approved_on
        # 第七条: the extension is made by an approval within the ten working days (a notice missing or later is
        # FILING_EXTENSION_NOTICE_UNCERTAIN); with no approval recorded, by a notice within them
        shown = approved or notified
        in_time_ext = bool(shown and int(ctx.cal.count(dates.accepted_on, shown)) <= n)
        total = extra if in_time_ext else n
        dl = ctx.within_workdays(
            "filing_decision", "备案办结期限", "filing_decision_overdue", dates.accepted_on, "自受理", total, dates.decided_on
        )
        if shown:
            how = "批准" if approved else "书面通知"
            dl.counted += f"；已在原期限内{how}延期" if in_time_ext else "；延期未在原期限内批准或书面通知，不计延长"
        out.append(dl)
    n = ctx.param("xj_touzi_beian.supplement.workdays", day)
    if not draft.materials_complete and ctx.applies("filing_supplement_late", item) and n is not None:
        out.append(
            ctx.within_workdays(
                "filing_supplement",
                "一次性告知补正期限",
                "filing_supplement_late",
                dates.submitted_on,
                "自收到材料",
                n,
                dates.supplement_notified_on,
            )
        )
    if dates.obligation_from:
        for rule, key, word in (
            ("filing_applicant_late_card", "yufuka.filing", "开展业务或变更"),
            ("filing_applicant_late_promotion", "lingshou_cuxiao.filing", "促销活动结束"),
            ("filing_applicant_late_laundry", "xiran.filing", "取得营业执照"),
        ):
            change = draft.facts.get("change") is True
            n = ctx.param(f"{key}.change_workdays" if change else f"{key}.days", day)
            if not ctx.applies(rule, item) or n is None:
                continue
            if change:
                dl = ctx.within_workdays(
                    "filing_applicant", "申请人备案期限（变更）", rule, dates.obligation_from, "自变更", n, dates.submitted_on
                )
            else:
                end = dates.obligation_from + dt.timedelta(days=n)
                first, last = ctx.cal.rolled(end)  # 民事诉讼法 第八十五条, as for the bureau's 90 days
                rng = (first, last) if first != last else None
                counted = f"自{word}之日 {dates.obligation_from} 起 {n} 日，期满日 {end}"
                if last != end:
                    rolled = f"{first}" + (f" 至 {last}" if rng else "")
                    counted += f"；期满日为休息日，顺延至其后第一个工作日（民事诉讼法 第八十五条）：{rolled}"
                counted += ctx.uncertain_note(end, last)
                dl = Deadline(
                    "filing_applicant", "申请人备案期限", None if rng else last, rng, ctx.basis(rule), OPEN, None, None, "", counted, []
                )
                dl = ctx.state(dl, dates.submitted_on, dates.submitted_on <= last, last, surely=dates.submitted_on <= first)
            out.append(dl)
    return out


def _measures(draft: Any, ctx: _Context) -> list[Deadline]:
    """查封、扣押: thirty calendar days plus an extension approved in time (行政强制法 第二十五条, 第二十七条), the last day
    under both readings of the first day (rules/params/xzqz.yaml notes.measure); 先行登记保存: seven working days
    (行政处罚法 第五十六条, 第八十五条). A measure already handled or lifted is met or late; one still running is pending."""
    out: list[Deadline] = []
    for t in taken_measures(draft):
        if ctx.pending_only and t.ended_on is not None:
            continue
        if t.kind == "先行登记保存":
            n = ctx.param("xzcf.preservation.workdays", t.taken_on)
            if n is not None:
                title = f"先行登记保存处理决定期限（{t.taken_on}）"
                rule = "preservation_decision_late"
                out.append(ctx.within_workdays("preservation", title, rule, t.taken_on, "自先行登记保存", n, t.ended_on))
            continue
        period = seizure_period(t, ctx.param_set(t.taken_on), ctx.cal)
        if period is None:
            continue
        strict, lenient, how = period
        counted = (
            f"{how}（自然日）；实施当日计入则最后一日为 {strict}，不计入（民事诉讼法 第八十五条，期满日为休息日的顺延）则为 {lenient}"
            "；期限内应当作出没收、销毁或者解除的处理决定"
        )
        # the last day of the stricter reading is the day to act by; after it and up to the other reading's, two readings
        d = Deadline(
            "seizure", f"{t.kind}期限（{t.taken_on}）", strict, None, ctx.basis("coercive_period_exceeded"),
            OPEN, None, None, "", counted, [],
        )
        done = t.ended_on
        d = ctx.state(d, done, None if done is None else done <= lenient, lenient, surely=done is None or done <= strict)
        if d.pending and d.status == LATE and ctx.today <= lenient:
            d.words = f"按实施当日计入的理解已届满（{strict}）；按不计入的理解至 {lenient} 届满：请立即作出处理决定或者解除"
        out.append(d)
    return out


def _complaint(draft: ComplaintDraft, ctx: _Context) -> list[Deadline]:
    if draft.outcome != "handled":
        return []
    n = ctx.param("laowu_jiufen.verification.workdays", draft.received_on)
    if n is None:
        return []
    return [
        ctx.within_workdays(
            "complaint_verification",
            "投诉举报核查期限",
            "complaint_verification_overdue",
            draft.received_on,
            "自收到投诉举报",
            n,
            draft.verified_on,
        )
    ]


def deadlines(draft: Any, rules: Any, today: dt.date, pending_only: bool = False) -> list[Deadline]:
    """Every time limit of a draft (validated, or a parsed document: InputError as ``check``), in the order of the
    procedure (inspections have none); ``pending_only``: the steps not yet taken only (others may be left out)."""
    if isinstance(draft, dict):
        draft = read_document(draft, rules, "请求")
    ctx = _Context(rules, today, pending_only)
    if isinstance(draft, PenaltyDraft):
        return _penalty(draft, ctx)
    if isinstance(draft, FilingDraft):
        return _filing(draft, ctx)
    if isinstance(draft, ComplaintDraft):
        return _complaint(draft, ctx)
    return _measures(draft, ctx)  # an inspection: the periods of its 查封、扣押 and 先行登记保存


def nearest(items: list[Deadline]) -> dt.date | None:
    """The nearest last day of the steps not yet taken (None: the case has no open step)."""
    pending = [d.earliest for d in items if d.pending]
    return min(pending) if pending else None


def deadlines_json(items: list[Deadline], today: dt.date) -> dict[str, Any]:
    """``{"today": …, "deadlines": [...]}`` (briefs/shapes.md)."""
    return Deadlines(today=today, deadlines=[d.record() for d in items]).dump()


def next_steps(draft: PenaltyDraft, rules: Any) -> list[NextStep]:
    """The time limits still ahead of the case as its record stands (as of its latest date): each step's last
    lawful day and basis, nearest first. Not a finding: ``deadlines`` says where each stands against a day."""
    day = as_of(draft)
    ahead = [d for d in _penalty(draft, _Context(rules, day, pending_only=True, latest=day)) if d.pending]
    ahead.sort(key=lambda d: d.earliest)
    return [d.next_step() for d in ahead]


def progress(draft: PenaltyDraft, rules: Any) -> tuple[CaseStage, bool, list[NextStep]]:
    """A penalty case's progress (contract extension keys of its result): ``stage``, ``open``, ``next_steps``."""
    stage = stage_of(draft)
    return made(CaseStage, {"code": stage.code, "name": stage.name}), is_open(draft), next_steps(draft, rules)
