"""Every sample case in cases/ produces what its expectation says; every finding code has a case."""

import re

import pytest

from conftest import CASES
from quanze.engine.batch.cases import case_catalog, find_cases, read_expectation, run_case

ALL = find_cases(CASES)


@pytest.mark.parametrize("draft", ALL, ids=[str(p.relative_to(CASES)) for p in ALL])
def test_case_meets_its_expectation(rules, draft):
    outcome = run_case(draft, rules)
    assert outcome.passed, outcome.problems


def test_every_registered_finding_code_is_produced_by_a_case_and_avoided_by_another(rules):
    present, absent_or_passing = set(), set()
    for draft in ALL:
        expect = read_expectation(draft)
        present.update(expect.present)
        absent_or_passing.update(expect.absent)
    missing = sorted(set(rules.findings) - present)
    assert not missing, f"codes without a case that produces them: {missing}"
    no_near_miss = sorted(set(rules.findings) - absent_or_passing)
    assert not no_near_miss, f"codes without a near-miss case: {no_near_miss}"


def test_cases_have_narrative_and_teaching():
    for draft in ALL:
        expect = read_expectation(draft)
        assert expect.narrative.strip() and expect.teaching.strip() and expect.name.strip(), draft


def _md(day):
    return f"{day.month}月{day.day}日"


def test_timing_cases_say_which_days_were_counted_and_the_lists_are_true(rules):
    """Issue 20: every timing case's 讲解 names the days counted (derived from the calendar, never by hand)."""
    import datetime as dt
    import re

    from quanze.engine import api
    from quanze.engine.law.workdays import calendar_from

    cal = calendar_from(rules.calendar)
    span = re.compile(r"(\S+?)（(\d{4}-\d\d-\d\d) → (\d{4}-\d\d-\d\d)）：(.*?)(?=[。；]|$)")
    timing = 0
    for draft in ALL:
        expect = read_expectation(draft)
        if expect.input_error is not None:
            continue
        codes = set(expect.present + expect.absent)
        exp = api.result_json(api.check_file(draft, rules), explain=True)["explanation"]
        labels = {
            f["label"].removesuffix("的工作日数")
            for c in exp["trace"]["checks"]
            if c.get("code") in codes
            for f in c.get("facts", [])
            if f["fact"].endswith("_workdays")
        }
        counted = {line.split("：")[0] for line in exp["derived"].get("工作日计算", [])}
        if not labels & counted:
            continue
        timing += 1
        assert "计日（" in expect.teaching, draft
        for label, a, b, listed in span.findall(expect.teaching):
            start, end = dt.date.fromisoformat(a), dt.date.fromisoformat(b)
            days = [start + dt.timedelta(k) for k in range(1, (end - start).days + 1)]
            # the national calendar's days: a weekday that may be a regional festival of a year without the region's
            # notice (rules/calendar/xinjiang-festivals.yaml) counts, as the 讲解 reads it (calendar_warnings say the rest)
            work = [d for d in days if cal.is_workday(d) or "放假通知未收录" in cal.reason(d)]
            if listed.startswith("计入的工作日："):
                assert (
                    listed
                    == "计入的工作日："
                    + "、".join(_md(d) + (f"（周{'一二三四五六日'[d.weekday()]}调休上班）" if d.weekday() >= 5 else "") for d in work)
                    + f"，共 {len(work)} 个"
                ), (draft, label)
            elif listed.startswith("计入 "):
                assert listed.startswith(f"计入 {len(work)} 个工作日"), (draft, label)
    assert timing >= 30


CODE = re.compile(r"\b[A-Z]{2}-\d{2}\b")  # an item code (CF-05), shown as it is


def test_every_title_class_mode_shows_is_chinese_with_full_width_punctuation():
    """The titles trainees pick a case by (web class mode, ``case_catalog``): no English word or field path and no
    half-width ,;:()? or straight quote; item codes and numbers stay as they are."""
    bad = []
    for case in case_catalog(CASES)["cases"]:
        shown = CODE.sub("", case["title"])
        if re.search(r"[A-Za-z]", shown) or re.search(r"[,;:()?\"]", shown):
            bad.append(f"{case['name']}: {case['title']}")
    assert not bad, "\n".join(bad)
