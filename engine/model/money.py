"""Amounts of money in yuan: numbers, "5万元", "50,000元", "伍万元", "5.5万", "壹拾万元整", "一万五".

Colloquial amounts read as officers say them: a lone digit after a unit counts in the next lower
unit ("一万五" = "1万5" = 15000, "三千五" = 3500, "八万四" = 84000); after 零 it is literal
("一万零五" = 10005). A form with more than one reading ("1万50": 10050 or 15000?), digits run
together without units ("一五零零零"), units out of order ("五千五千") or finer than a fen is
refused with the reason, never guessed. Leading zeros are decimal ("070000" = 70000), never octal.
"""

from __future__ import annotations

import re
from decimal import ROUND_DOWN, Decimal, InvalidOperation

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
_ZEROS = {"零", "〇"}
_SMALL = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_LARGE = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
_NUMERIC = re.compile(r"^(\d+(?:\.\d+)?)(万|萬|亿|億)?$")
_FEN = Decimal("0.01")


class MoneyError(ValueError):
    """A text that is not an amount of money; ``reason`` says why, in Chinese."""

    def __init__(self, value: object, reason: str = "") -> None:
        super().__init__(value)
        self.value = value
        self.reason = reason


def _tail(text: str, unit: int, value: object) -> Decimal:
    """The part after a unit: a lone digit counts in the next lower unit; after 零 or with units, literally."""
    if "." in text:
        raise MoneyError(value, "小数点只能用于整个数（如 1.5万），不能跟在单位后面")
    if text[0] in _ZEROS:
        if len(text) == 1:
            raise MoneyError(value, "「零」后缺少数字")
        low = _numeral(text[1:], value)  # 一万零五 = 10005
    elif text.isascii() and text.isdigit():
        places = len(str(unit)) - 1
        if len(text) == 1 and unit > 10:
            return Decimal(text) * unit // 10  # 1万5 = 15000, 3千5 = 3500
        if len(text) != places:
            raise MoneyError(value, f"单位后的「{text}」有两种读法（按位补零，还是顺延到下一位？），请写全，如 1万5000、1万0050 或 1.5万")
        low = Decimal(text)  # 1万5000, 3千500
    elif len(text) == 1 and text in _DIGITS and unit > 10:
        return Decimal(_DIGITS[text]) * unit // 10  # 一万五 = 15000, 三千五 = 3500, 八万四 = 84000
    else:
        low = _numeral(text, value)
    if low >= unit:
        raise MoneyError(value, "单位重复或顺序不对")
    return low


def _section(text: str, value: object) -> Decimal:
    """Value below 万: digits (Chinese or ASCII) with 十/百/千 units, each smaller than the one before."""
    tokens = re.findall(r"\d+(?:\.\d+)?|.", text)
    if tokens in (["零"], ["〇"]):
        return Decimal(0)
    total, digit = Decimal(0), None
    for i, tok in enumerate(tokens):
        if tok in _ZEROS:
            raise MoneyError(value, "「零」的位置不对")
        if tok[0].isdigit() or tok in _DIGITS:
            if digit is not None:
                raise MoneyError(value, "数字连写而没有单位（如 一五零零零），请写成 15000 或 一万五千")
            digit = Decimal(tok) if tok[0].isdigit() else Decimal(_DIGITS[tok])
        elif tok in _SMALL:
            if digit is None and (i > 0 or _SMALL[tok] != 10):
                raise MoneyError(value, f"单位「{tok}」前缺少数字")
            if digit is not None and digit != digit.to_integral_value() and i + 1 < len(tokens):
                raise MoneyError(value, "带小数的数后面不能再接数字")
            total += (Decimal(1) if digit is None else digit) * _SMALL[tok]
            if i + 1 < len(tokens):
                return total + _tail("".join(tokens[i + 1 :]), _SMALL[tok], value)
            return total
        else:
            raise MoneyError(value)  # not an amount at all: the caller's message says what is expected
    return total + (digit or 0)


def _numeral(text: str, value: object) -> Decimal:
    """Value of a numeral such as 伍万, 壹拾万, 三千五百, 12万3千, 一亿二千万, 一万五."""
    for unit in ("亿", "億", "万", "萬"):
        if unit in text:
            high, _, low = text.partition(unit)
            if not high:
                raise MoneyError(value, f"单位「{unit}」前缺少数字")
            amount = _numeral(high, value) * _LARGE[unit]
            if low and "." in high:
                raise MoneyError(value, "带小数的数后面不能再接数字（如 1.5万5）")
            return amount + (_tail(low, _LARGE[unit], value) if low else 0)
    return _section(text, value)


_WHOLE = 10**18  # whole amounts below this are read at once (no text to parse, no fraction, far below any limit)


def parse_money(value: object) -> Decimal:
    """Yuan as a Decimal; raise MoneyError (with a Chinese reason) for anything else.

    Negative amounts, amounts finer than a fen (more than two decimals), NaN and infinity are refused.
    """
    if type(value) is int and 0 <= value < _WHOLE:  # the usual amount, whole yuan: what Decimal(str(value)) gives
        return Decimal(value)
    if isinstance(value, bool) or value is None:
        raise MoneyError(value)
    if isinstance(value, (int, float, Decimal)):
        try:
            amount = Decimal(str(value))
        except InvalidOperation:
            raise MoneyError(value) from None
    elif isinstance(value, str):
        text = re.sub(r"[\s,，]", "", value).removeprefix("人民币").removeprefix("¥").removeprefix("￥")
        text = text.removesuffix("整").removesuffix("元").removesuffix("圆")
        if not text:
            raise MoneyError(value, "没有数字")
        match = _NUMERIC.match(text)
        try:
            if match:
                amount = Decimal(match.group(1)) * (_LARGE[match.group(2)] if match.group(2) else 1)
            else:
                amount = _numeral(text, value)
        except InvalidOperation:
            raise MoneyError(value) from None
    else:
        raise MoneyError(value)
    if not amount.is_finite():
        raise MoneyError(value, "不是有限的数")
    if amount < 0:
        raise MoneyError(value)  # the callers say "非负金额"
    if amount.as_tuple().exponent >= -2:  # whole fen already (4e306 too, which quantize cannot hold)
        return amount
    try:
        finer = amount != amount.quantize(_FEN, rounding=ROUND_DOWN)
    except InvalidOperation:  # more digits than Decimal's precision, with a fraction
        raise MoneyError(value, "金额位数过多") from None
    if finer:
        raise MoneyError(value, "金额最多精确到分（两位小数）")
    return amount
