"""Working days (工作日, 行政处罚法 第八十五条) over the State Council holiday arrangement.

Order of sources for a year: a national file in ``rules/calendar/`` (a reviewer adds a year the
``chinesecalendar`` package lacks), else the package, else Monday–Friday with a warning. Regional
overlays (e.g. Xinjiang's 肉孜节, 古尔邦节) add days off when marked ``counted_as_holiday``; a period
that crosses one is always reported.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import chinese_calendar

from quanze.engine.schema import CalendarYear

_ONE = dt.timedelta(days=1)
_HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


@dataclass
class WorkCalendar:
    """Working-day arithmetic that records the years it had to guess and the regional days it met."""

    years: dict[int, CalendarYear] = field(default_factory=dict)  # national overrides
    regional: list[CalendarYear] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def _warn(self, text: str) -> None:
        if text not in self.warnings:
            self.warnings.append(text)

    def _regional_day(self, day: dt.date) -> CalendarYear | None:
        return next((r for r in self.regional if day in r.holidays), None)

    def is_workday(self, day: dt.date) -> bool:
        """Whether a day is a working day (records a warning when it has to guess)."""
        regional = self._regional_day(day)
        if regional is not None and regional.counted_as_holiday:
            return False
        national = self.years.get(day.year)
        if national is not None:
            return day in national.workdays or (day.weekday() < 5 and day not in national.holidays)
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            self._warn(
                f"{day.year} 年不在节假日日历 (chinesecalendar) 中, 也没有 rules/calendar/{day.year}.yaml: "
                f"按周一至周五计算工作日, 未计法定节假日与调休"
            )
            return day.weekday() < 5

    def add_workdays(self, start: dt.date, count: int) -> dt.date:
        """The day on which ``count`` working days after ``start`` (not counted) have run."""
        day = start
        while count > 0:
            day += _ONE
            if self.is_workday(day):
                count -= 1
        return day

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]: the start day is not counted (民事诉讼法 第八十五条的惯例)."""
        return self.count_between(start, end)[0]

    def count_between(self, start: dt.date, end: dt.date) -> tuple[int, list[str]]:
        """Working days in (start, end] (negative when end is earlier), and the days skipped with their reason."""
        if end < start:
            count, skipped = self.count_between(end, start)
            return -count, skipped
        count, skipped, day = 0, [], start
        while day < end:
            day += _ONE
            if self.is_workday(day):
                count += 1
            else:
                skipped.append(f"{day} ({self.reason(day)})")
            regional = self._regional_day(day)
            if regional is not None:
                treated = "已计为节假日" if regional.counted_as_holiday else "未计为节假日"
                self._warn(f"{day} 是{regional.region}少数民族习惯节日 ({treated}; 是否属第八十五条的法定节假日尚无定论)")
        return count, skipped

    def reason(self, day: dt.date) -> str:
        """Why a day is or is not a working day, in Chinese."""
        regional = self._regional_day(day)
        if regional is not None and regional.counted_as_holiday:
            return f"{regional.region}节日"
        national = self.years.get(day.year)
        if national is not None:
            if day in national.workdays:
                return "调休上班"
            return "节假日" if day in national.holidays else ("周末" if day.weekday() >= 5 else "工作日")
        try:
            holiday, name = chinese_calendar.get_holiday_detail(day)
        except NotImplementedError:
            return "周末" if day.weekday() >= 5 else "工作日 (推定)"
        if name and holiday:
            return _HOLIDAY_NAMES.get(name, name)
        if name and not holiday:
            return "调休上班"
        return "周末" if day.weekday() >= 5 else "工作日"


def calendar_from(files: list[CalendarYear]) -> WorkCalendar:
    """A fresh WorkCalendar (with empty warnings) over the rules' calendar files."""
    return WorkCalendar(
        years={f.year: f for f in files if f.scope == "national"},
        regional=[f for f in files if f.scope == "regional"],
    )
