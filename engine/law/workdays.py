"""Working days (工作日, 行政处罚法 第八十五条) over the State Council holiday arrangement.

Order of sources for a year: a national file in ``rules/calendar/`` (a reviewer adds a year the
``chinesecalendar`` package lacks), else the package, else the statutory holidays of
全国年节及纪念日放假办法 computed for that year (``rules/calendar/statutory-*.yaml``; lunar dates by
``lunar_python``) with the 调休 arrangement unknown, else Monday–Friday with a warning. Regional
overlays (e.g. Xinjiang's 肉孜节, 古尔邦节) add days off when marked ``counted_as_holiday``; a period
that crosses one is always reported.

Where the arrangement is unknown, the days near a statutory holiday (within the file's
``adjustment_window_days``) may be working days or not. The notices swap one weekday off for one
weekend day worked within a holiday group, and give a weekday off (补假, 放假办法 第六条) for each
statutory day on a weekend; so a count is a range (``Workdays``: the int is the fewest, ``high`` the
most), exact over a whole group. Each year is built once into prefix counts shared by every calendar
over the same rule files, so a count costs O(1) per year and holiday group crossed.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import chinese_calendar

from quanze.engine.law.remembered import stored_get
from quanze.engine.model.schema import CalendarYear

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
# what a day is, in a year table
_WORK, _OFF, _MAYBE_OFF, _MAYBE_WORK = 0, 1, 2, 3


class Workdays(int):
    """A working-day count: the int value is the fewest possible working days, ``high`` the most."""

    high: int

    def __new__(cls, low: int, high: int | None = None) -> Workdays:
        obj = super().__new__(cls, low)
        obj.high = low if high is None else high
        return obj

    def __reduce__(self) -> tuple:
        return (Workdays, (int(self), self.high))

    @property
    def uncertain(self) -> bool:
        """Whether the count depends on an unknown 调休 arrangement."""
        return self.high != int(self)

    def __repr__(self) -> str:
        return f"{int(self)}..{self.high}" if self.uncertain else f"{int(self)}"

    def __str__(self) -> str:
        return f"{int(self)}–{self.high}" if self.uncertain else f"{int(self)}"

    def __neg__(self) -> Workdays:
        return Workdays(-self.high, -int(self))


@dataclass(frozen=True)
class _Group:
    """Days (ordinals first..last) within the window of a group of statutory holidays, in unknown years."""

    first: int
    last: int
    owed: int  # statutory days on a weekend: a weekday off is owed for each (补假, 第六条)
    coinciding: int  # two holidays on one day (中秋 on 国庆): the notice may or may not give another day off


@dataclass
class _Year:
    """One year's days as prefix counts: index i covers the first i days of the year."""

    year: int
    source: str  # override | package | statutory | guessed
    start: int  # ordinal of 1 January
    kinds: bytes  # _WORK / _OFF / _MAYBE_OFF / _MAYBE_WORK per day
    work: list[int]  # days that are working days unless the arrangement gives them off (_WORK, _MAYBE_OFF)
    maybe_off: list[int]
    maybe_work: list[int]
    marked: list[int]  # days a count must look at beyond ``work``: in a holiday group or a festival window, or regional
    off: list[int]  # ordinals of the days that are not (or may not be) working days, sorted (explanations)
    reasons: dict[int, str]  # ordinal -> why the day is not a plain weekday or weekend day
    regional: list[int]  # ordinals of regional overlay days, sorted
    groups: list[_Group]  # holiday groups of unknown arrangement that reach into this year
    warning: str | None  # what was computed and what is unknown for this year
    # regional festival windows (no notice): first, last, the warning a count over one gives
    expected: list[tuple[int, int, str]] = field(default_factory=list)
    off_texts: list[str] | None = None  # "day (reason)" of each day in ``off``, made on first use (explanations)

    def reason(self, day: dt.date) -> str:
        """Why a day of this year is or is not a working day, in Chinese."""
        why = self.reasons.get(day.toordinal())
        if why:
            return why
        if day.weekday() >= 5:
            return "周末"
        return "工作日（推定）" if self.source == "guessed" else "工作日"

    def prefix(self, values: list[int], first: int, last: int) -> int:
        """Sum over the ordinals first..last (clipped to this year)."""
        i = max(first - self.start, 0)
        j = min(last - self.start + 1, len(self.kinds))
        return values[j] - values[i] if j > i else 0


def hijri_date(year: int, month: int, day: int) -> dt.date:
    """The Gregorian day of a date of the tabular (arithmetic) 伊斯兰历 (the civil epoch, JD 1948439.5)."""
    jd = day + -(-(59 * (month - 1)) // 2) + (year - 1) * 354 + (3 + 11 * year) // 30 + 1948439.5 - 1
    return dt.date.fromordinal(int(jd - 1721424.5))


def festival_windows(year: int, rule: CalendarYear) -> list[tuple[str, dt.date, dt.date, dt.date]]:
    """(name, tabular date, first, last) of each festival of a ``festivals`` file whose window reaches into a year."""
    out = []
    for hy in range(int((year - 622) * 33 / 32) - 1, int((year - 622) * 33 / 32) + 3):
        for f in rule.festivals:
            day = hijri_date(hy, f.hijri_month, f.hijri_day)
            first, last = day - dt.timedelta(days=f.before), day + dt.timedelta(days=f.after)
            if first.year <= year <= last.year:
                out.append((f.name, day, first, last))
    return sorted(out, key=lambda x: x[2])


def _package_year(year: int) -> bool:
    try:
        chinese_calendar.is_workday(dt.date(year, 1, 1))
        return True
    except NotImplementedError:
        return False


def statutory_days(year: int, text: CalendarYear) -> list[tuple[str, list[dt.date]]]:
    """The 法定节假日 of a year under a 放假办法 text: (name, days), in the text's order."""
    from lunar_python import Lunar  # only for years that neither the package nor an override covers

    out = []
    for h in text.statutory_days:
        if h.calendar == "gregorian":
            first = dt.date(year, h.month, h.day)  # type: ignore[arg-type]
        else:
            lunar = Lunar.fromYmd(year, h.month, h.day) if h.calendar == "lunar" else None
            solar = lunar.getSolar() if lunar else Lunar.fromYmd(year, 3, 1).getJieQiTable()[h.term]
            first = dt.date(solar.getYear(), solar.getMonth(), solar.getDay())
        first += dt.timedelta(days=h.first_offset)
        out.append((h.name, [first + dt.timedelta(days=i) for i in range(h.days)]))
    return out


@dataclass
class _Tables:
    """Year tables built from one set of calendar files, shared by every WorkCalendar over them."""

    years: dict[int, CalendarYear]
    regional: list[CalendarYear]
    statutory: list[CalendarYear]
    festivals: list[CalendarYear] = field(default_factory=list)  # regional festivals for years without a notice
    built: dict[int, _Year] = field(default_factory=dict)
    _sources: dict[int, tuple[str, CalendarYear | None]] = field(default_factory=dict)
    store: Any = None  # where computed 法定节假日 are kept between runs (the rules' cache, engine/load/rulecache.py), or None
    # per day (ordinal): whether it is a working day, fewest and most (0 or 1), and the warnings finding that out gives
    days: dict[int, tuple[tuple[int, int], tuple[str, ...]]] = field(default_factory=dict)
    # per (day, limit, certain): the days off in a row before it (WorkCalendar.rest_before) and the warnings given
    rests: dict[tuple[int, int, bool], tuple[int, tuple[str, ...]]] = field(default_factory=dict)
    whole: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)  # per holiday group: group_totals

    def year(self, year: int) -> _Year:
        table = self.built.get(year)
        if table is None:
            table = self.built[year] = self._build(year)
        return table

    def source(self, year: int) -> tuple[str, CalendarYear | None]:
        """Where a year's days come from, and the 放假办法 text for a computed year."""
        found = self._sources.get(year)
        if found is None:
            if year in self.years:
                found = ("override", None)
            elif _package_year(year):
                found = ("package", None)
            else:
                text = max((s for s in self.statutory if s.year <= year), key=lambda s: s.year, default=None)
                found = ("statutory", text) if text else ("guessed", None)
            self._sources[year] = found
        return found

    def _groups(self, year: int, text: CalendarYear) -> tuple[list[_Group], list[tuple[str, list[dt.date]]]]:
        """Holiday groups reaching into a computed year (windows merged), and the year's own holidays."""
        window = text.adjustment_window_days or 0
        own = self._statutory(year, text)
        days: list[tuple[int, bool]] = []
        for y in (year - 1, year, year + 1):
            source, t = self.source(y)
            if source == "statutory" and t is not None:
                days += [(d.toordinal(), d.weekday() >= 5) for _, ds in (own if y == year else self._statutory(y, t)) for d in ds]
        groups: list[list[int]] = []  # [first, last, owed, coinciding]
        previous = None
        for ordinal, weekend in sorted(days):
            if groups and ordinal - window <= groups[-1][1]:
                groups[-1][1] = ordinal + window
                groups[-1][2 if ordinal != previous else 3] += weekend if ordinal != previous else 1
            else:
                groups.append([ordinal - window, ordinal + window, int(weekend), 0])
            previous = ordinal
        jan1, dec31 = dt.date(year, 1, 1).toordinal(), dt.date(year, 12, 31).toordinal()
        return [_Group(a, b, owed, same) for a, b, owed, same in groups if a <= dec31 and b >= jan1], own

    def _statutory(self, year: int, text: CalendarYear) -> list[tuple[str, list[dt.date]]]:
        """``statutory_days``, kept in ``store`` when there is one: a lunar date is converted once, not in every command
        (lunar_python alone takes a quarter of a ``quanze check`` that counts days into a year the package lacks)."""
        if self.store is None:
            return statutory_days(year, text)
        key = ("statutory_days", year, text.year, next(i for i, s in enumerate(self.statutory) if s is text))
        found = stored_get(self.store, key)
        if found is None:
            found = self.store[key] = statutory_days(year, text)
        return found

    def _build(self, year: int) -> _Year:
        first = dt.date(year, 1, 1)
        n = (dt.date(year + 1, 1, 1) - first).days
        days = [first + dt.timedelta(days=i) for i in range(n)]
        kinds = bytearray(_WORK if d.weekday() < 5 else _OFF for d in days)
        reasons: dict[int, str] = {}
        source, text = self.source(year)
        groups: list[_Group] = []
        warning = None
        if source == "override":
            national = self.years[year]
            for i, d in enumerate(days):
                if d in national.workdays:
                    kinds[i], reasons[d.toordinal()] = _WORK, "调休上班"
                elif d in national.holidays:
                    kinds[i], reasons[d.toordinal()] = _OFF, "节假日"
        elif source == "package":
            # the package's own tables (its is_workday re-checks the year's range on every call)
            for d, name in chinese_calendar.holidays.items():
                if d.year == year:
                    kinds[(d - first).days], reasons[d.toordinal()] = _OFF, _HOLIDAY_NAMES.get(name, name)
            for d in chinese_calendar.workdays:
                if d.year == year:
                    kinds[(d - first).days], reasons[d.toordinal()] = _WORK, "调休上班"
        elif source == "statutory" and text is not None:
            groups, own = self._groups(year, text)
            for g in groups:
                for ordinal in range(max(g.first, first.toordinal()), min(g.last, days[-1].toordinal()) + 1):
                    i = ordinal - first.toordinal()
                    kinds[i] = _MAYBE_OFF if days[i].weekday() < 5 else _MAYBE_WORK
                    reasons[ordinal] = (
                        f"工作日或调休放假、补假（{year} 年调休安排未知）"
                        if days[i].weekday() < 5
                        else f"周末或调休上班（{year} 年调休安排未知）"
                    )
            for name, ds in own:
                for d in ds:
                    kinds[(d - first).days], reasons[d.toordinal()] = _OFF, f"{name}（法定节假日）"
            warning = _statutory_warning(year, text, own)
        else:
            warning = (
                f"{year} 年不在节假日日历（chinesecalendar）中，规则中也没有该年的放假安排，"
                f"也没有适用于该年的放假办法文本：按周一至周五计算工作日，未计法定节假日与调休"
            )
        regional = []
        for overlay in self.regional:
            if overlay.year == year:
                for d in overlay.holidays:
                    regional.append(d.toordinal())
                    if overlay.counted_as_holiday:
                        kinds[(d - first).days], reasons[d.toordinal()] = _OFF, f"{overlay.region}节日"
        expected = []
        for rule in self.festivals:  # a region's festivals in a year without its notice: the days around them may be off
            if rule.year > year or not rule.counted_as_holiday or any(o.region == rule.region and o.year == year for o in self.regional):
                continue
            for name, day, a, b in festival_windows(year, rule):
                maybe = 0
                for ordinal in range(max(a, first).toordinal(), min(b, days[-1]).toordinal() + 1):
                    i = ordinal - first.toordinal()
                    if kinds[i] == _WORK:
                        kinds[i], maybe = _MAYBE_OFF, maybe + 1
                        reasons[ordinal] = f"工作日或{rule.region}{name}放假（{year} 年自治区放假通知未收录）"
                most = next(f.most_off for f in rule.festivals if f.name == name)
                groups.append(_Group(a.toordinal(), b.toordinal(), 0, min(maybe, most)))  # none owed; up to `most` may be off
                words = f"{rule.region}{name}（按伊斯兰历推算约为 {day}）前后 {a} 至 {b} 的工作日可能放假"
                expected.append((a.toordinal(), b.toordinal(), f"期间经过{words}：" + _UNNOTIFIED))
        work, maybe_off, maybe_work = [0] * (n + 1), [0] * (n + 1), [0] * (n + 1)
        for i, k in enumerate(kinds):
            work[i + 1] = work[i] + (k in (_WORK, _MAYBE_OFF))
            maybe_off[i + 1] = maybe_off[i] + (k == _MAYBE_OFF)
            maybe_work[i + 1] = maybe_work[i] + (k == _MAYBE_WORK)
        off = [first.toordinal() + i for i, k in enumerate(kinds) if k != _WORK]
        marks = bytearray(n)
        for lo, hi in [(g.first, g.last) for g in groups] + [(x, y) for x, y, _ in expected] + [(o, o) for o in regional]:
            for i in range(max(lo - first.toordinal(), 0), min(hi - first.toordinal() + 1, n)):
                marks[i] = 1
        marked = [0] * (n + 1)
        for i, m in enumerate(marks):
            marked[i + 1] = marked[i] + m
        return _Year(
            year,
            source,
            first.toordinal(),
            bytes(kinds),
            work,
            maybe_off,
            maybe_work,
            marked,
            off,
            reasons,
            sorted(regional),
            groups,
            warning,
            expected=expected,
        )

    def total(self, values: str, first: int, last: int) -> int:
        """Sum of a prefix table (work / maybe_off / maybe_work) over the ordinals first..last."""
        a, b = dt.date.fromordinal(first).year, dt.date.fromordinal(last).year
        if a == b:  # most spans: one table
            table = self.year(a)
            return table.prefix(getattr(table, values), first, last)
        return sum(self.year(y).prefix(getattr(self.year(y), values), first, last) for y in range(a, b + 1))

    def group_totals(self, key: tuple[int, int], g: _Group) -> tuple[int, int]:
        """The days that may be off and the days that may be worked in a whole group (once per group: ``key`` is its
        first and last day, as ``WorkCalendar.count`` keys the groups it meets)."""
        found = self.whole.get(key)
        if found is None:
            found = self.whole[key] = (self.total("maybe_off", g.first, g.last), self.total("maybe_work", g.first, g.last))
        return found


_UNNOTIFIED = "该年自治区放假通知未收录，是否放假未知，工作日数按最少和最多两种情形计算，结论取决于此的只作警告（无法确定）"


def _statutory_warning(year: int, text: CalendarYear, own: list[tuple[str, list[dt.date]]]) -> str:
    listed = "；".join(f"{name} {ds[0]}" + (f" 至 {ds[-1]}" if len(ds) > 1 else "") for name, ds in own)
    return (
        f"{year} 年的国务院放假安排不在节假日日历（chinesecalendar）中，规则中也没有该年的放假安排："
        f"已依据{text.source}计算法定节假日（{listed}），这些日子不计为工作日；"
        f"调休安排（哪些周末上班、哪些工作日调休放假、适逢周末的节日在哪天补假）未知："
        f"法定节假日前后 {text.adjustment_window_days} 日内的日子可能上班也可能放假，工作日数按最少和最多两种情形计算，"
        f"结论取决于调休安排的只作警告（无法确定）"
    )


@dataclass
class WorkCalendar:
    """Working-day arithmetic that records the years it had to compute or guess and the regional days it met."""

    years: dict[int, CalendarYear] = field(default_factory=dict)  # national overrides
    regional: list[CalendarYear] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    statutory: list[CalendarYear] = field(default_factory=list)  # 放假办法 texts, for years without data
    festivals: list[CalendarYear] = field(default_factory=list)  # a region's festivals, for years without its notice
    tables: _Tables | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.tables is None:
            self.tables = _Tables(self.years, self.regional, self.statutory, self.festivals)

    def _warn(self, text: str) -> None:
        if text not in self.warnings:
            self.warnings.append(text)

    def _year(self, year: int) -> _Year:
        table = self.tables.year(year)  # type: ignore[union-attr]
        if table.warning:
            self._warn(table.warning)
        return table

    def is_workday(self, day: dt.date) -> bool:
        """Whether a day is certainly a working day (False where the unknown arrangement may give it off)."""
        return self._day(day)[0] == 1

    def may_be_workday(self, day: dt.date) -> bool:
        """Whether a day is, or may be under the unknown 调休 arrangement, a working day."""
        return self._day(day)[1] == 1

    def _day(self, day: dt.date) -> tuple[int, int]:
        """``count(day - 1, day)``, fewest and most: counted once per day for every calendar over these tables (periods
        are rolled over the same days draft after draft)."""
        return self._remembered(self.tables.days, day.toordinal(), WorkCalendar._one_day, day)  # type: ignore[union-attr]

    def _one_day(self, day: dt.date) -> tuple[int, int]:
        n = self.count(day - _ONE, day)
        return int(n), n.high

    def rolled(self, end: dt.date) -> tuple[dt.date, dt.date]:
        """民事诉讼法 第八十五条: a period ending on a day off ends on the next working day — the first day from ``end`` on
        that may be one, and the first that certainly is (the days read once each, in order)."""
        first = last = None
        day = end
        while first is None or last is None:
            fewest, most = self._day(day)
            if first is None and most == 1:
                first = day
            if last is None and fewest == 1:
                last = day
            day += _ONE
        return first, last

    def rest_before(self, day: dt.date, limit: int = 31, certain: bool = False) -> int:
        """How many days immediately before ``day`` are (or, where the 调休 arrangement is unknown, may be) days off in a
        row, at most ``limit``; ``certain``: only the days certainly off. Counted once per day for every calendar over
        these tables (decisions fall on the same days draft after draft)."""
        key = (day.toordinal(), limit, certain)
        return self._remembered(self.tables.rests, key, WorkCalendar._rest_run, day, limit, certain)  # type: ignore[union-attr]

    def _remembered(self, table: dict[Any, tuple[Any, tuple[str, ...]]], key: Any, compute: Callable[..., Any], *args: Any) -> Any:
        """``compute(calendar, *args)`` of a fresh calendar over these tables, kept in ``table`` under ``key`` with the
        warnings it gave, which this calendar is given again each time (as if it had counted itself)."""
        found = table.get(key)
        if found is None:
            probe = WorkCalendar(self.years, self.regional, statutory=self.statutory, festivals=self.festivals, tables=self.tables)
            value = compute(probe, *args)
            found = table[key] = (value, tuple(probe.warnings))
        for text in found[1]:
            self._warn(text)
        return found[0]

    def _rest_run(self, day: dt.date, limit: int, certain: bool) -> int:
        n = 0
        if certain:
            while n < limit and not self.may_be_workday(day - dt.timedelta(days=n + 1)):
                n += 1
            return n
        # the longest run one arrangement can give off whole (the fewest working days in it is 0): not every
        # day that may be off can be off together (a 调休 swaps a weekday off for a weekend day worked)
        while n < limit and int(self.count(day - dt.timedelta(days=n + 2), day - dt.timedelta(days=1))) == 0:
            n += 1
        return n

    def add_workdays(self, start: dt.date, count: int) -> dt.date:
        """The day on which ``count`` working days after ``start`` (not counted) have run (the latest possible)."""
        return self.add_workdays_range(start, count)[1]

    def add_workdays_range(self, start: dt.date, count: int) -> tuple[dt.date, dt.date]:
        """The earliest and the latest day on which ``count`` working days after ``start`` may have run."""
        early = late = start
        while self.count(start, late) < count:
            late += _ONE
        while self.count(start, early).high < count:
            early += _ONE
        return early, late

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end] (the fewest where uncertain): the start day is not counted (民事诉讼法 第八十五条的惯例)."""
        return int(self.count(start, end))

    def count(self, start: dt.date, end: dt.date) -> Workdays:
        """Working days in (start, end] (negative when end is earlier), a range where the arrangement is unknown."""
        if end < start:
            return -self.count(end, start)
        a, b = start.toordinal() + 1, end.toordinal()
        if start.year == end.year and start < end:  # most counts: in one year, on no day needing more than its prefix counts
            table = self._year(start.year)
            i, j = a - table.start, b - table.start + 1
            if table.marked[i] == table.marked[j]:
                return Workdays(table.work[j] - table.work[i])
        base = 0
        groups: dict[tuple[int, int], _Group] = {}
        years: list[_Year] = []
        for year in range(start.year, end.year + 1):
            table = self._year(year)  # its warning, then those of its days in the period: year by year
            years.append(table)
            base += table.prefix(table.work, a, b)
            if table.regional:
                for ordinal in table.regional[bisect.bisect_left(table.regional, a) : bisect.bisect_right(table.regional, b)]:
                    self._regional_warning(dt.date.fromordinal(ordinal))
            for g in table.groups:
                if g.first <= b and g.last >= a:
                    groups[(g.first, g.last)] = g
            for first, last, warning in table.expected:
                if first <= b and last >= a:
                    self._warn(warning)
        low = high = base
        for key, g in groups.items():
            off_all, work_all = self.tables.group_totals(key, g)  # type: ignore[union-attr]
            if a <= g.first and g.last <= b:  # the whole group in the period
                off_in, work_in = off_all, work_all
            else:  # the part of the group in the period: in the period's years
                lo, hi = max(a, g.first), min(b, g.last)
                off_in = sum(t.prefix(t.maybe_off, lo, hi) for t in years)
                work_in = sum(t.prefix(t.maybe_work, lo, hi) for t in years)
            off_out = off_all - off_in
            work_out = work_all - work_in
            # fewest: every weekday of the period that can be off is off, its make-up days outside
            low -= min(off_in, g.owed + g.coinciding + work_out)
            # most: 补假 and bridge days outside the period as far as they fit, make-up days inside
            owed_in = max(0, g.owed - off_out)
            high += min(work_in, off_out - (g.owed - owed_in)) - owed_in
        return Workdays(low, high)

    def _regional_warning(self, day: dt.date) -> None:
        overlay = next(r for r in self.regional if day in r.holidays)
        treated = "已计为节假日" if overlay.counted_as_holiday else "未计为节假日"
        self._warn(f"{day} 是{overlay.region}少数民族习惯节日（{treated}；是否属第八十五条的法定节假日尚无定论）")

    def skipped(self, start: dt.date, end: dt.date) -> list[str]:
        """The days in (start, end] that are not (or may not be) working days, each with its reason (for explanations)."""
        if end < start:
            start, end = end, start
        out = []
        for year in range(start.year, end.year + 1):
            table = self._year(year)
            if table.off_texts is None:
                table.off_texts = [f"{day} ({table.reason(day)})" for day in map(dt.date.fromordinal, table.off)]
            a = bisect.bisect_right(table.off, start.toordinal())
            b = bisect.bisect_right(table.off, end.toordinal())
            out += table.off_texts[a:b]
        return out

    def skipped_days(self, start: dt.date, end: dt.date) -> list[tuple[dt.date, str]]:
        """The days in (start, end] that are not (or may not be) working days, as (day, reason) records."""
        if end < start:
            start, end = end, start
        out = []
        for year in range(start.year, end.year + 1):
            table = self._year(year)
            a = bisect.bisect_right(table.off, start.toordinal())
            b = bisect.bisect_right(table.off, end.toordinal())
            out += [(dt.date.fromordinal(o), table.reason(dt.date.fromordinal(o))) for o in table.off[a:b]]
        return out

    def count_between(self, start: dt.date, end: dt.date) -> tuple[int, list[str]]:
        """Working days in (start, end] (negative when end is earlier; the fewest where uncertain), and the days skipped."""
        return int(self.count(start, end)), self.skipped(start, end)

    def reason(self, day: dt.date) -> str:
        """Why a day is or is not a working day, in Chinese."""
        return self._year(day.year).reason(day)


_SHARED: list[tuple[list[CalendarYear], _Tables]] = []


def calendar_from(files: list[CalendarYear], store: Any = None) -> WorkCalendar:
    """A fresh WorkCalendar (empty warnings) over the rules' calendar files; year tables are shared per file list.

    ``store`` (the rules' ``cache``): a mapping where the days computed from a 放假办法 text are kept (on disk with
    the compiled rulesets when it is the rules' cache folder)."""
    tables = next((t for f, t in _SHARED if f is files), None)
    if tables is None:
        tables = _Tables(
            years={f.year: f for f in files if f.scope == "national"},
            regional=[f for f in files if f.scope == "regional"],
            statutory=[f for f in files if f.scope == "statutory"],
            festivals=[f for f in files if f.scope == "festivals"],
        )
        _SHARED[:] = [*_SHARED[-3:], (files, tables)]
    if store is not None and tables.store is None:
        tables.store = store
    return WorkCalendar(years=tables.years, regional=tables.regional, statutory=tables.statutory, festivals=tables.festivals, tables=tables)


def days_text(days: list[tuple[dt.date, str]]) -> str:
    """(day, reason) records in words, runs of days with one reason together: ``2026-10-01 至 10-07（国庆节）、2026-10-11（周末）``."""
    runs: list[list[Any]] = []  # [first, last, reason]
    for day, why in days:
        last = runs[-1] if runs else None
        if last and last[2] == why and (day - last[1]).days == 1:
            last[1] = day
        else:
            runs.append([day, day, why])
    out = []
    for first, last, why in runs:
        if first == last:
            out.append(f"{first}（{why}）")
        else:
            end = last.isoformat()[5:] if last.year == first.year else last.isoformat()
            out.append(f"{first} 至 {end}（{why}）")
    return "、".join(out)
