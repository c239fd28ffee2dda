"""Working days over the State Council calendar, overrides and missing years (行政处罚法 第八十五条)."""

import datetime as dt

from quanze.engine.schema import CalendarYear
from quanze.engine.workdays import WorkCalendar, calendar_from

D = dt.date


def test_national_day_2026_and_its_make_up_saturday(rules):
    cal = calendar_from(rules.calendar)
    assert not cal.is_workday(D(2026, 10, 5))
    assert cal.is_workday(D(2026, 10, 10))  # Saturday 调休上班
    assert cal.workdays_between(D(2026, 9, 29), D(2026, 10, 14)) == 7
    assert cal.add_workdays(D(2026, 9, 29), 8) == D(2026, 10, 15)
    assert cal.warnings == []


def test_a_year_the_package_lacks_is_counted_monday_to_friday_with_a_warning():
    cal = WorkCalendar()
    assert cal.workdays_between(D(2027, 1, 1), D(2027, 1, 8)) == 5  # 1 Jan 2027 is a Friday
    assert any("2027" in w for w in cal.warnings)


def test_a_2027_override_file_changes_the_count():
    override = CalendarYear(year=2027, scope="national", holidays=[D(2027, 1, 1), D(2027, 1, 4)], workdays=[], source="test")
    cal = WorkCalendar(years={2027: override})
    assert cal.workdays_between(D(2027, 1, 1), D(2027, 1, 8)) == 4
    assert cal.warnings == []


def test_regional_holidays_are_reported_when_crossed(rules):
    cal = calendar_from(rules.calendar)
    n = cal.workdays_between(D(2025, 6, 5), D(2025, 6, 11))
    assert n == 1  # 6-6 (Fri) … 6-10 (Tue) are Xinjiang's 古尔邦节; only 6-11 counts
    assert any("古尔邦" in w or "新疆" in w for w in cal.warnings)


def test_start_day_is_not_counted():
    cal = WorkCalendar()
    assert cal.workdays_between(D(2026, 3, 2), D(2026, 3, 2)) == 0
    assert cal.workdays_between(D(2026, 3, 2), D(2026, 3, 3)) == 1
