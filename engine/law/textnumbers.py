"""Numbers an article's own words state — fine ranges and day counts — to hold the encoded numbers against.

``quanze rules validate`` refuses a provision version whose encoded 罚款 ``min``/``max`` is not a range
its text states ("1万元以上3万元以下" with ``min: 15000``), and a day count in ``rules/params/`` that no
text of its law states ("十个工作日" with ``workdays: 12``). A text that states no such number is not
judged here (nothing to compare with).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from quanze.engine.model.money import MoneyError, parse_money

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN = "零〇一二两三四五六七八九十百千"
_AMOUNT = r"(?:[0-9]+(?:\.[0-9]+)?万?元|[" + _CN + r"万]+元)"
_RANGE = re.compile(r"(" + _AMOUNT + r")以上(" + _AMOUNT + r")以下")
_DAYS = re.compile(r"([0-9]+|[" + _CN + r"]+)\s*(个工作日|日|天)")


def chinese_int(text: str) -> int | None:
    """十 -> 10, 九十 -> 90, 十五 -> 15, 两 -> 2, 120 -> 120; None when not a whole number."""
    if text.isdigit():
        return int(text)
    total, digit = 0, None
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _UNITS:
            total += (digit if digit is not None else 1) * _UNITS[ch]
            digit = None
        else:
            return None
    return total + (digit or 0)


def _yuan(text: str) -> Decimal | None:
    try:
        return parse_money(text)
    except MoneyError:
        return None


def fine_ranges(text: str) -> list[tuple[Decimal, Decimal]]:
    """Every "A元以上B元以下" range the text states, in yuan (multiples such as 一倍以上 are not ranges in yuan)."""
    out = []
    for low, high in _RANGE.findall(text):
        lo, hi = _yuan(low), _yuan(high)
        if lo is not None and hi is not None:
            out.append((lo, hi))
    return out


def day_counts(text: str) -> set[int]:
    """Every "N日" / "N个工作日" / "N天" the text states (七日 -> 7, 10个工作日 -> 10)."""
    out = set()
    for number, _unit in _DAYS.findall(text):
        n = chinese_int(number)
        if n:
            out.add(n)
    return out


def fine_problems(provisions: dict[str, Any]) -> list[tuple[str, tuple, str]]:
    """(provision id, location, message) for each encoded 罚款 range its version's text does not state."""
    out = []
    for pid, prov in provisions.items():
        for vi, version in enumerate(prov.versions):
            stated = fine_ranges(version.text)
            if not stated or version.penalty is None:
                continue
            for si, s in enumerate(version.penalty.sanctions):
                if s.kind != "罚款" or (s.min is None and s.max is None):
                    continue
                if any((s.min is None or lo == s.min) and (s.max is None or hi == s.max) for lo, hi in stated):
                    continue
                words = "；".join(f"{_n(lo)}–{_n(hi)} 元" for lo, hi in stated)
                out.append(
                    (
                        pid,
                        ("versions", vi, "penalty", "sanctions", si, "min" if s.min is not None else "max"),
                        f"罚款幅度编码为 min: {s.min}、max: {s.max}，与本版本条文所写的幅度（{words}）不符，请核对条文与编码",
                    )
                )
    return out


def day_problems(params: dict[str, Any], provisions: dict[str, Any]) -> list[tuple[str, tuple, str]]:
    """(law, location, message) for each day count in rules/params/ (keys ending in days / workdays) that no
    text of its law's provisions states, when those texts state some day count."""
    out = []
    for law, pf in params.items():
        texts = [v.text for p in provisions.values() if p.law == law for v in p.versions]
        stated = set().union(*(day_counts(t) for t in texts)) if texts else set()
        if not stated:
            continue
        for vi, version in enumerate(pf.versions):
            for group, values in version.params.items():
                for name, value in values.items():
                    if not (name == "days" or name.endswith("_days") or name.endswith("workdays")):
                        continue
                    if isinstance(value, bool) or not isinstance(value, int) or value in stated:
                        continue
                    words = "、".join(str(n) for n in sorted(stated))
                    out.append(
                        (
                            law,
                            ("versions", vi, "params", group, name),
                            f"{group}.{name} 编码为 {value} 日，但 rules/provisions/{law}/ 的条文中没有这个日数"
                            f"（条文所写的日数：{words}），请核对条文与编码",
                        )
                    )
    return out


def _n(value: Decimal) -> str:
    return str(int(value)) if value == value.to_integral_value() else str(value)
