"""Working days over the State Council calendar, overrides and missing years (行政处罚法 第八十五条)."""

import datetime as dt
import json

import chinese_calendar
import pytest

from conftest import CASES
from quanze.cli.main import app
from quanze.engine.law import workdays
from quanze.engine.law.workdays import WorkCalendar, Workdays, calendar_from, statutory_days
from quanze.engine.model.schema import CalendarYear

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


# --- a year the package lacks: the statutory holidays computed, the 调休 arrangement unknown ---------


@pytest.fixture(autouse=True)
def _package_stops_at_2026(monkeypatch):
    """As with chinesecalendar 1.11.0: no data after 2026 (so these tests hold when a later release adds 2027)."""
    known = workdays._package_year
    monkeypatch.setattr(workdays, "_package_year", lambda year: year <= 2026 and known(year))


def _text(rules) -> CalendarYear:
    return next(c for c in rules.calendar if c.scope == "statutory")


def test_1_january_2027_is_never_a_working_day(rules):
    cal = calendar_from(rules.calendar)
    assert not cal.is_workday(D(2027, 1, 1))
    assert not cal.may_be_workday(D(2027, 1, 1))
    assert cal.reason(D(2027, 1, 1)) == "元旦（法定节假日）"
    assert any("2027" in w and "元旦 2027-01-01" in w and "未知" in w for w in cal.warnings)


@pytest.mark.parametrize("year", range(2020, 2027))
def test_lunar_dates_and_qingming_agree_with_the_package(rules, year):
    """The computed 除夕/春节, 清明, 端午, 中秋 fall on the package's holidays of the same name (2020–2026)."""
    names = {"春节": "Spring Festival", "清明节": "Tomb-sweeping Day", "端午节": "Dragon Boat Festival", "中秋节": "Mid-autumn Festival"}
    for name, days in statutory_days(year, _text(rules)):
        for day in days:
            if name == "春节" and day == days[0] and year < 2025:
                continue  # 除夕 became a statutory holiday with the 2024 revision (off in 2025 and 2026)
            holiday, detail = chinese_calendar.get_holiday_detail(day)
            assert holiday, (name, day)
            if name in names and detail != "National Day":  # 2020's 中秋 fell on 国庆
                assert detail == names[name], (name, day, detail)


def test_the_adjustment_window_covers_every_adjustment_since_2008(rules):
    """Every 调休 day of 2008–2026 lies within adjustment_window_days of a statutory day (the file's note)."""
    text = _text(rules)
    farthest = 0
    for year in range(2008, 2027):
        fixed = [d for y in (year - 1, year, year + 1) for _, ds in statutory_days(y, text) for d in ds]
        day = D(year, 1, 1)
        while day.year == year:
            _, name = chinese_calendar.get_holiday_detail(day)
            adjusted = chinese_calendar.is_workday(day) != (day.weekday() < 5)
            if adjusted and day not in fixed and name != "Anti-Fascist 70th Day":
                farthest = max(farthest, min(abs((day - f).days) for f in fixed))
            day += dt.timedelta(days=1)
    assert farthest == text.adjustment_window_days


def test_every_count_in_2025_and_2026_as_if_unknown_brackets_the_published_count(rules, monkeypatch):
    """Computing 2025–2026 from the 放假办法 alone, the published count always lies in the range given."""
    monkeypatch.setattr(workdays, "_package_year", lambda year: 2004 <= year < 2025)
    cal = calendar_from(list(rules.calendar) + [])  # a new list: tables of its own
    assert cal.tables.source(2025)[0] == "statutory"
    regional = {d for r in cal.regional if r.counted_as_holiday for d in r.holidays}
    start = D(2025, 1, 1)
    exact = 0
    while start < D(2026, 12, 1):
        for length in (1, 3, 7, 10, 15, 30, 60):
            end = start + dt.timedelta(days=length)
            if end.year > 2026:
                continue
            n = cal.count(start, end)
            days = [start + dt.timedelta(days=i) for i in range(1, length + 1)]
            truth = sum(1 for d in days if chinese_calendar.is_workday(d) and d not in regional)
            assert int(n) <= truth <= n.high, (start, end, n, truth)
            exact += not n.uncertain
        start += dt.timedelta(days=2)
    assert exact > 0


def test_a_count_over_a_whole_holiday_group_is_certain(rules):
    cal = calendar_from(rules.calendar)
    n = cal.count(D(2027, 9, 1), D(2027, 11, 1))  # 中秋 9-15 and 国庆 10-01…03 (周五至周日: 两日补假)
    assert not n.uncertain
    assert n == 44 - 3 - 2  # 44 weekdays, 中秋 and 国庆 10-01 on weekdays, two days of 补假 for 10-02/03
    assert Workdays(3, 5).uncertain and repr(-Workdays(3, 5)) == "-5..-3"


def test_a_2027_override_removes_the_uncertainty():
    override = CalendarYear(year=2027, scope="national", holidays=[D(2027, 2, d) for d in range(5, 12)], workdays=[], source="test")
    cal = WorkCalendar(years={2027: override})
    assert not cal.count(D(2027, 1, 29), D(2027, 2, 15)).uncertain
    assert cal.warnings == []


def _served_after_spring_festival(tmp_path, served: str):
    text = (CASES / "penalty/CF-05/served_7th_workday_across_national_day.yaml").read_text(encoding="utf-8")
    for old, new in (
        ("served_on: 2026-10-14", f"served_on: {served}"),
        ("decided_on: 2026-09-29", "decided_on: 2027-01-29"),
        ("filed_on: 2026-07-01", "filed_on: 2026-11-20"),
        ("served_on: 2026-09-01", "served_on: 2026-12-21"),
        ("discovered_on: 2026-06-29", "discovered_on: 2026-11-16"),
    ):
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / f"d{served}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _check(runner, path, *extra):
    result = runner.invoke(app, ["check", str(path), "--format", "json", *extra])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def test_service_across_spring_festival_2027_is_a_warning_not_an_error(runner, tmp_path):
    """Decided 2027-01-29, served 2027-02-10: 2 to 8 working days by the unknown arrangement (limit 7)."""
    out = _check(runner, _served_after_spring_festival(tmp_path, "2027-02-10"))
    late = [f for f in out["findings"] if f["code"] == "SERVICE_LATE"]
    assert [f["severity"] for f in late] == ["warning"]
    assert late[0]["accountability"] is None
    assert late[0]["message"].startswith("无法确定") and "2–8 个工作日" in late[0]["message"]
    assert out["verdict"] == "warn"
    assert any("2027" in w and "调休安排" in w for w in out["calendar_warnings"])


def test_service_that_is_in_time_under_every_arrangement_has_no_finding(runner, tmp_path):
    out = _check(runner, _served_after_spring_festival(tmp_path, "2027-02-09"))  # 1 to 7 working days
    assert "SERVICE_LATE" not in {f["code"] for f in out["findings"]}


def test_a_2027_calendar_file_turns_the_warning_into_a_plain_result(runner, tmp_path, rules_copy):
    (rules_copy / "calendar" / "2027.yaml").write_text(
        "year: 2027\nscope: national\nholidays: [2027-01-01, 2027-02-05, 2027-02-08, 2027-02-09, 2027-02-10, 2027-02-11]\n"
        "workdays: [2027-01-30]\nsource: test (a hypothetical 2027 arrangement)\n",
        encoding="utf-8",
    )
    out = _check(runner, _served_after_spring_festival(tmp_path, "2027-02-10"), "--rules", str(rules_copy))
    assert out["calendar_warnings"] == []
    assert "SERVICE_LATE" not in {f["code"] for f in out["findings"]}  # 1-30, 2-1 … 2-4 = 5 working days


@pytest.mark.parametrize("year", [2004, 2015, 2020, 2025, 2026])
def test_the_year_tables_agree_with_the_package_day_by_day(year):
    cal = WorkCalendar()
    day = D(year, 1, 1)
    while day.year == year:
        assert cal.is_workday(day) == chinese_calendar.is_workday(day), day
        day += dt.timedelta(days=1)
    assert cal.reason(D(2026, 10, 3)) == "国庆节" and cal.reason(D(2026, 10, 10)) == "调休上班"


def test_a_hearing_notice_short_only_under_the_fewest_working_days_is_a_warning(runner, tmp_path):
    """Notified 2027-01-29 for a hearing on 2027-02-10: 2 to 8 working days (7 required): 无法确定, not 追责."""
    text = (CASES / "penalty/CF-04/confiscation_as_notice.yaml").read_text(encoding="utf-8")
    for old, new in (
        ("discovered_on: 2026-04-01", "discovered_on: 2026-12-20"),
        ("filed_on: 2026-04-03", "filed_on: 2027-01-04"),
        ("served_on: 2026-05-03", "served_on: 2027-01-20"),
        ("requested_on: 2026-05-07", "requested_on: 2027-01-22"),
        ("notified_on: 2026-05-08", "notified_on: 2027-01-29"),
        ("held_on: 2026-05-19", "held_on: 2027-02-10"),
        ("'on': 2026-05-21", "'on': 2027-02-12"),
        ("decided_on: 2026-05-25", "decided_on: 2027-02-18"),
        ("served_on: 2026-05-27", "served_on: 2027-02-19"),
    ):
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / "hearing2027.yaml"
    path.write_text(text, encoding="utf-8")
    out = _check(runner, path)
    late = [f for f in out["findings"] if f["code"] == "HEARING_NOTICE_LATE"]
    assert [f["severity"] for f in late] == ["warning"], out["findings"]
    assert "听证通知至举行 2–8 个工作日" in late[0]["message"] and late[0]["accountability"] is None
    assert not [f for f in out["findings"] if f["severity"] == "error"]
