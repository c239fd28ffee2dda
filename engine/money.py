"""Amounts of money in yuan: numbers, "5万元", "50,000元", "伍万元", "5.5万", "壹拾万元整"."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "壹": 1,
    "二": 2,
    "贰": 2,
    "两": 2,
    "三": 3,
    "叁": 3,
    "四": 4,
    "肆": 4,
    "五": 5,
    "伍": 5,
    "六": 6,
    "陆": 6,
    "七": 7,
    "柒": 7,
    "八": 8,
    "捌": 8,
    "九": 9,
    "玖": 9,
}
_SMALL = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_LARGE = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
_NUMERIC = re.compile(r"^(\d+(?:\.\d+)?)(万|萬|亿|億)?$")


class MoneyError(ValueError):
    """A text that is not an amount of money."""


def _section(text: str) -> Decimal:
    """Value below 万: digits (Chinese or ASCII) with 十/百/千 units."""
    total, digit = Decimal(0), None
    for run in re.findall(r"\d+(?:\.\d+)?|.", text):
        if run[0].isdigit():
            digit = Decimal(run)
        elif run in _DIGITS:
            digit = Decimal(_DIGITS[run])
        elif run in _SMALL:
            total += (Decimal(1) if digit is None else digit) * _SMALL[run]
            digit = None
        else:
            raise MoneyError(run)
    return total + (digit or 0)


def _chinese_amount(text: str) -> Decimal:
    """Value of a numeral such as 伍万, 壹拾万, 三千五百, 12万3千, 一亿二千万."""
    for unit in ("亿", "億", "万", "萬"):
        if unit in text:
            high, _, low = text.partition(unit)
            if not high:
                raise MoneyError(text)
            return _chinese_amount(high) * _LARGE[unit] + (_chinese_amount(low) if low else 0)
    return _section(text)


def parse_money(value: object) -> Decimal:
    """Yuan as a Decimal; raise MoneyError for anything else (negative amounts included)."""
    if isinstance(value, bool) or value is None:
        raise MoneyError(value)
    if isinstance(value, (int, float, Decimal)):
        amount = Decimal(str(value))
    elif isinstance(value, str):
        text = re.sub(r"[\s,，]", "", value).removeprefix("人民币").removeprefix("¥").removeprefix("￥")
        text = text.removesuffix("整").removesuffix("元").removesuffix("圆")
        if not text:
            raise MoneyError(value)
        match = _NUMERIC.match(text)
        try:
            if match:
                amount = Decimal(match.group(1)) * (_LARGE[match.group(2)] if match.group(2) else 1)
            else:
                amount = _chinese_amount(text)
        except (InvalidOperation, MoneyError):
            raise MoneyError(value) from None
    else:
        raise MoneyError(value)
    if not amount.is_finite() or amount < 0:
        raise MoneyError(value)
    return amount
