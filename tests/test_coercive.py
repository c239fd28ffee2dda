"""查封、扣押 and 先行登记保存 (issue 26 §3): the record's fields, the measurements of engine/check/measures.py, the
rules of rules/checks/coercive.yaml for penalty and inspection records, and their deadlines."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from helpers import draft, sample, shipped_rules
from quanze.engine.check.checker import check
from quanze.engine.check.deadlines import deadlines
from quanze.engine.check.measures import Taken, _report_timing, seizure_period, taken_measures
from quanze.engine.law.workdays import calendar_from
from quanze.engine.model.drafts import validate_draft
from quanze.engine.model.errors import InputError

D = dt.date
SEIZED = "penalty/CF-05/measures/seizure_approved_before.yaml"


def _taken(**kw) -> Taken:
    base = dict(
        kind="扣押", where="第 1 项", taken_on=D(2026, 8, 26), taken_at=None, approval_known=True, approved_on=None,
        approved_at=None, urgent=True, reported_on=None, reported_at=None, officers=2, party_present=True,
        party_notified=True, record_made=True, delivered_known=True, delivered_on=D(2026, 8, 26), extension_days=0,
        extension_on=None, ended_known=True, ended_on=None,
    )  # fmt: skip
    return Taken(**{**base, **kw})


@pytest.mark.parametrize(
    ("reported_on", "taken_at", "reported_at", "expected"),
    [
        (D(2026, 8, 26), None, None, "on_time"),  # the same day: within 24 hours whatever the times
        (D(2026, 8, 27), None, None, "uncertain"),  # the next day without times: two readings
        (D(2026, 8, 27), dt.time(10, 30), None, "uncertain"),  # one time is not enough
        (D(2026, 8, 28), None, None, "late"),  # two days later: more than 24 hours whatever the times
        (D(2026, 8, 27), dt.time(10, 30), dt.time(10, 30), "on_time"),  # exactly 24 hours: 二十四小时内
        (D(2026, 8, 27), dt.time(10, 30), dt.time(10, 31), "late"),
        (D(2026, 8, 27), dt.time(23, 50), dt.time(8, 0), "on_time"),
    ],
)
def test_the_urgent_report_is_exact_with_times_and_certain_only_two_days_later_without(reported_on, taken_at, reported_at, expected):
    t = _taken(reported_on=reported_on, taken_at=taken_at, reported_at=reported_at)
    assert _report_timing(t, 24) == expected


def test_the_thirty_days_end_under_both_readings_and_a_late_extension_does_not_count():
    rules = shipped_rules()
    cal = calendar_from(rules.calendar)
    params = {"xzqz.measure.days": 30, "xzqz.measure.extension_days": 30}
    strict, lenient, _ = seizure_period(_taken(), params, cal)
    # first day counted: 9月24日; not counted: 9月25日, the 中秋 holiday (9月25日至27日), rolled to 9月28日
    assert (strict, lenient) == (D(2026, 9, 24), D(2026, 9, 28))
    strict, lenient, how = seizure_period(_taken(extension_days=45, extension_on=D(2026, 9, 20)), params, cal)
    assert strict == D(2026, 10, 24) and "计入 30 日" in how  # capped at the 30 days 第二十五条 allows
    _, lenient, how = seizure_period(_taken(extension_days=20, extension_on=D(2026, 9, 29)), params, cal)
    assert lenient == D(2026, 9, 28) and "不计" in how  # approved after the period ran out


def test_the_testing_period_is_left_out_of_the_thirty_days():
    """第二十五条第三款: 查封、扣押的期间不包括检测等期间; 10月10日 is a 调休 working Saturday, no roll."""
    cal = calendar_from(shipped_rules().calendar)
    params = {"xzqz.measure.days": 30, "xzqz.measure.extension_days": 30}
    strict, lenient, how = seizure_period(_taken(testing_days=15), params, cal)
    assert (strict, lenient) == (D(2026, 10, 9), D(2026, 10, 10)) and "检测等期间 15 日不计入" in how
    assert "COERCIVE_PERIOD_EXCEEDED" in _found(_raw(ended_on="2026-10-05"))
    assert not {"COERCIVE_PERIOD_EXCEEDED", "COERCIVE_TIMING_UNCERTAIN"} & _found(_raw(ended_on="2026-10-05", testing={"days": 15}))


def _found(raw: dict) -> set[str]:
    return {f.code for f in check(draft(raw), shipped_rules(), "m.yaml").findings}


def test_a_preservation_approved_as_an_urgent_bupan_is_an_approval_after_not_none():
    """第五十六条: 补办 written under urgent.approved_on is the same fact as approval.on after taken_on: a warning."""
    raw = sample("penalty/CF-05/measures/preservation_urgent_approved_next_day.yaml")
    assert {"PRESERVATION_UNCERTAIN"} == _found(raw) & {"PRESERVATION_UNCERTAIN", "PRESERVATION_NOT_APPROVED"}
    raw["coercive_measures"][0]["urgent"]["approved_on"] = None  # reported, never approved: no approval at all
    assert "PRESERVATION_NOT_APPROVED" in _found(raw)


@pytest.mark.parametrize(
    ("by", "warned"),
    [
        ("执法科科长孙八", True),  # a post below the head (other_titles)
        ("张三", True),  # the draft's 具体承办人 by name
        ("党组书记、局长赵六", False),
        ("副局长钱七", False),  # a 行政机关负责人 (第十八条第（一）项 does not ask for the 主要负责人)
        ("赵六", False),  # a bare name nothing places: no finding
        (None, False),
    ],
)
def test_an_approver_written_below_the_head_is_a_warning_never_an_error(by, warned):
    raw = _raw(approval={"by": by, "on": "2026-08-26", "at": "09:00"})
    found = check(draft(raw), shipped_rules(), "m.yaml").findings
    assert ("COERCIVE_APPROVER_UNCERTAIN" in {f.code for f in found}) is warned
    assert not [f for f in found if f.code.startswith("COERCIVE") and f.severity == "error"]


@pytest.mark.parametrize(("present", "missing"), [(True, False), (None, True), (False, True)])
def test_a_party_present_needs_no_notice_to_attend(present, missing):
    """第十八条第（四）项 通知当事人到场: recorded `party_notified: false` is a defect only if the party was not there."""
    assert ("COERCIVE_PROCEDURE_MISSING" in _found(_raw(party_present=present, party_notified=False))) is missing


@pytest.mark.parametrize(
    ("approved_on", "ended_on", "warned"),
    [
        (None, "2026-09-20", True),  # reported, never approved, kept 25 days
        (None, "2026-08-27", False),  # the head said no: lifted on the report day (立即解除)
        ("2026-08-27", "2026-09-20", False),  # 补办 recorded
    ],
)
def test_an_urgent_seizure_never_approved_afterwards_is_a_warning(approved_on, ended_on, warned):
    """第十九条: 报告，并补办批准手续 (no day set for the 补办: a warning, never 追责)."""
    urgent = {"reported_on": "2026-08-27", "reported_at": "09:30", "approved_on": approved_on}
    found = check(draft(_raw(approval=None, urgent=urgent, ended_on=ended_on)), shipped_rules(), "m.yaml").findings
    assert ("COERCIVE_APPROVAL_NOT_COMPLETED" in {f.code for f in found}) is warned
    assert not [f for f in found if f.code.startswith("COERCIVE") and f.severity == "error"]


def test_a_decision_confiscating_the_things_is_the_seizures_handling():
    """第二十七条: 没收 is a 处理决定; a decided penalty that confiscates handled a seizure written null on its day."""
    raw = sample("penalty/CF-02/seized_equipment_confiscated_by_decision.yaml")
    assert not {"COERCIVE_PERIOD_EXCEEDED", "COERCIVE_TIMING_UNCERTAIN"} & _found(raw)
    raw["decision"]["decided_on"] = raw["procedure"]["served_on"] = "2026-05-06"  # after both readings' ends
    raw["procedure"]["served_on"] = "2026-05-07"
    assert "COERCIVE_PERIOD_EXCEEDED" in _found(raw)


def _raw(**measure) -> dict:
    raw = sample(SEIZED)
    raw["coercive_measures"][0].update(measure)
    return raw


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"urgent": {"reported_on": "2026-08-25"}}, "早于实施日期"),
        ({"ended_on": "2026-08-20"}, "早于实施日期"),
        ({"taken_at": "25:00"}, "期望时刻"),
        ({"kind": "先行登记保存", "extension": {"days": 3, "approved_on": "2026-08-27"}}, "先行登记保存没有延长期限"),
        ({"kind": "查扣"}, "coercive_measures"),
        ({"kind": "先行登记保存", "testing": {"days": 3}}, "testing 只用于查封、扣押"),
    ],
)
def test_impossible_measures_are_input_problems_naming_the_field(change, words):
    with pytest.raises(InputError) as exc:
        validate_draft(_raw(**change), "m.yaml")
    text = "\n".join(str(p) for p in exc.value.problems)
    assert "coercive_measures" in text and words in text


def test_times_are_written_as_officers_write_them():
    m = draft(_raw(taken_at="10时30分", approval={"by": "局长赵六", "on": "2026-08-26", "at": "9:05"})).coercive_measures[0]
    assert m.taken_at == dt.time(10, 30) and m.approval.at == dt.time(9, 5)


def test_approval_and_officers_must_be_written_so_none_is_never_read_as_none_given():
    raw = _raw()
    del raw["coercive_measures"][0]["approval"]
    with pytest.raises(InputError, match="approval"):
        validate_draft(raw, "m.yaml")


def test_a_preservation_written_only_in_the_evidence_is_a_measure_and_not_counted_twice():
    raw = sample("penalty/CF-05/measures/preservation_in_evidence_not_approved.yaml")
    assert [t.kind for t in taken_measures(draft(raw))] == ["先行登记保存"]
    raw["coercive_measures"] = [
        {"kind": "先行登记保存", "taken_on": "2026-08-26", "approval": {"on": "2026-08-26"}, "officers": [], "ended_on": "2026-09-02"}
    ]
    measures = taken_measures(draft(raw))
    assert len(measures) == 1 and measures[0].approved_on == D(2026, 8, 26)
    result = check(draft(raw), shipped_rules(), "m.yaml")
    assert "PRESERVATION_NOT_APPROVED" not in {f.code for f in result.findings}


def test_the_officer_text_names_the_measure_in_words_not_by_field_path():
    result = check(draft(sample("penalty/CF-05/measures/seizure_one_officer.yaml")), shipped_rules(), "m.yaml")
    f = next(f for f in result.findings if f.code == "COERCIVE_OFFICERS_INSUFFICIENT")
    assert "查封扣押和先行登记保存第 1 项" in f.text and "coercive_measures" not in f.text


def test_the_same_rules_check_penalty_and_inspection_records():
    rules = shipped_rules()
    kinds = {cf.kind: [r.id for r in cf.rules] for cf in rules.checks if cf.family == "coercive"}
    assert set(kinds) == {"penalty", "inspection"}
    assert kinds["inspection"] == [f"{r}_inspection" for r in kinds["penalty"]]
    assert all("inspection" in rules.findings[r.code].also for cf in rules.checks if cf.family == "coercive" for r in cf.rules)


def test_a_named_prior_approval_of_a_seizure_is_the_jc08_approval_too():
    raw = sample("inspection/JC-08/seizure_urgent_reported_next_morning.yaml")
    raw["approvals"] = []
    cm = raw["coercive_measures"][0]
    cm["urgent"] = None
    cm["approval"] = {"by": "局长赵六", "on": "2026-05-12", "at": "08:00"}
    codes = {f.code for f in check(draft(raw), shipped_rules(), "m.yaml").findings}
    assert not codes & {"MEASURE_APPROVAL_MISSING", "MEASURE_APPROVED_AFTER", "COERCIVE_NOT_APPROVED"}, codes
    cm["approval"] = None
    codes = {f.code for f in check(draft(raw), shipped_rules(), "m.yaml").findings}
    assert {"MEASURE_APPROVAL_MISSING", "COERCIVE_NOT_APPROVED"} <= codes


def test_deadlines_give_the_periods_of_seizures_and_preservations_in_penalty_and_inspection_records():
    rules = shipped_rules()
    raw = sample(SEIZED)
    raw["coercive_measures"][0]["ended_on"] = None
    preserved = sample("penalty/CF-05/measures/preservation_approved_decided_in_seven_workdays.yaml")["coercive_measures"][0]
    raw["coercive_measures"].append(copy.deepcopy(preserved))
    raw["coercive_measures"][1]["ended_on"] = None
    items = {d.step: d for d in deadlines(draft(raw), rules, D(2026, 9, 1))}
    assert items["seizure"].last_day == D(2026, 9, 24) and items["seizure"].pending and "2026-09-28" in items["seizure"].counted
    assert items["preservation"].last_day == D(2026, 9, 4) and items["preservation"].status == "open"  # 七个工作日
    later = {d.step: d for d in deadlines(draft(raw), rules, D(2026, 9, 26))}
    assert later["seizure"].status == "late" and "按不计入的理解至 2026-09-28 届满" in later["seizure"].words
    assert later["preservation"].status == "late"
    inspection = sample("inspection/JC-05/seal_not_lifted.yaml")
    steps = [d for d in deadlines(draft(inspection), rules, D(2026, 7, 1)) if d.step == "seizure"]
    assert steps and steps[0].status == "late"


def test_an_open_case_lists_the_seizure_among_its_next_steps():
    raw = sample(SEIZED)
    raw["coercive_measures"][0]["ended_on"] = None
    result = check(draft(raw), shipped_rules(), "m.yaml")
    assert "seizure" in [s.step for s in result.next_steps]
    assert result.verdict == "pass"
