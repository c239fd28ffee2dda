"""What every document the engine writes says the same way: blanks to fill, Chinese numerals, amounts in words,
and text made safe for a .docx (the 意见书, the 告知书 and the 决定书)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from quanze.engine.model.text import shown
from quanze.engine.model.text import zh as _zh

BLANK = "＿＿＿＿＿＿＿＿"
DATE_BLANK = "＿＿＿＿年＿＿月＿＿日"


def zh(text: Any) -> str:
    """Text for the document: hidden characters (controls, bidi, zero-width) as \\uXXXX, Chinese punctuation.

    A control character from a draft is no valid XML: python-docx would refuse the whole document.
    """
    return _zh(shown(str(text), "\n"))


def as_written(text: Any) -> str:
    """An officer text the engine worded once (a finding's, a 未检查 line, a 追责 row): hidden characters as \\uXXXX,
    nothing retypeset, so the draft's words quoted in it stay as they were written."""
    return shown(str(text), "\n")


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_NUMERALS = "一二三四五六七八九"
_SECTION_UNITS = ("", "万", "亿", "万亿")


def _four(n: int) -> str:
    out, zero = "", False
    for power, unit in ((3, "仟"), (2, "佰"), (1, "拾"), (0, "")):
        d = n // 10**power % 10
        if d == 0:
            zero = zero or bool(out)
            continue
        out += ("零" if zero else "") + _DIGITS[d] + unit
        zero = False
    return out


def amount_words(amount: Decimal | int) -> str:
    """An amount in yuan in capital numerals as written on a decision: 120000 → 壹拾贰万元整, 10005 → 壹万零伍元整."""
    fen_total = int((Decimal(amount) * 100).to_integral_value())
    yuan, jiao, fen = fen_total // 100, fen_total // 10 % 10, fen_total % 10
    sections = []
    rest = yuan
    while rest:
        sections.append(rest % 10000)
        rest //= 10000
    words, gap = "", False
    for index in range(len(sections) - 1, -1, -1):
        part = sections[index]
        if part == 0:
            gap = gap or bool(words)
            continue
        if words and (gap or part < 1000):
            words += "零"
        words += _four(part) + _SECTION_UNITS[index]
        gap = False
    words = words + "元" if words else ""
    if not jiao and not fen:
        return (words or "零元") + "整"
    if jiao:
        words += _DIGITS[jiao] + "角"
    elif words:
        words += "零"
    return words + (_DIGITS[fen] + "分" if fen else "")


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九 (headings number 一、 and （一）); beyond 99 in digits."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    return ("" if tens < 2 else _NUMERALS[tens - 1]) + ("十" if tens else "") + (_NUMERALS[ones - 1] if ones else "")


def money_text(amount: Decimal | int) -> str:
    """120000 → 120,000 元（人民币壹拾贰万元整）."""
    value = Decimal(amount)
    digits = f"{value:,.2f}".rstrip("0").rstrip(".") if value != value.to_integral_value() else f"{int(value):,}"
    return f"{digits} 元（人民币{amount_words(value)}）"
