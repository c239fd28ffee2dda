"""Money parsing: numbers and Chinese amount texts (contract §3), colloquial forms, never a guess."""

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quanze.engine.model.drafts import parse_text, validate_draft
from quanze.engine.model.errors import InputError
from quanze.engine.model.money import MoneyError, parse_money

LAWFUL = Path(__file__).resolve().parent.parent / "cases" / "penalty" / "CF-04" / "lawful_general_tier.yaml"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("5万元", 50000),
        ("50,000元", 50000),
        ("伍万元", 50000),
        ("柒万元", 70000),
        ("70,000元", 70000),
        ("壹拾万元整", 100000),
        ("十万", 100000),
        ("三千五百元", 3500),
        ("5.5万", 55000),
        ("12万3千", 123000),
        ("一亿二千万", 120000000),
        ("二十万零五百", 200500),
        (70000, 70000),
        (0, 0),
        ("人民币3万元", 30000),
        ("1234.56元", Decimal("1234.56")),
        (0.1, Decimal("0.1")),
    ],
)
def test_amount_texts_parse_to_yuan(text, value):
    assert parse_money(text) == Decimal(value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("一万五", 15000),
        ("1万5", 15000),
        ("三千五", 3500),
        ("八万四", 84000),
        ("1.5万", 15000),
        ("两百五", 250),
        ("1亿5", 150000000),
        ("5万5千5", 55500),
        ("一万零五", 10005),  # after 零 a digit is literal
        ("一千零五十", 1050),
        ("十五", 15),  # after 十 the next lower unit is the yuan
        ("1万5000", 15000),
        ("1万0050", 10050),
        ("3千500", 3500),
    ],
)
def test_colloquial_amounts_read_as_officers_say_them(text, value):
    assert parse_money(text) == Decimal(value)


def test_leading_zero_is_decimal_never_octal():
    assert parse_money("070000") == 70000
    assert parse_money("070,000元") == 70000


def test_leading_zero_amount_in_a_yaml_draft_is_70000_not_octal():
    text = LAWFUL.read_text(encoding="utf-8").replace("amount: 70000", "amount: 070000")
    draft = validate_draft(parse_text(text, "d.yaml"), "d.yaml")
    fines = [s.amount for s in draft.decision.sanctions if s.kind == "罚款"]
    assert fines == [Decimal(70000)]


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ("1万50", "两种读法"),  # 10050 or 15000?
        ("1万500", "两种读法"),
        ("一五零零零", "数字连写"),
        ("五千五千", "顺序"),
        ("1.5万5", "小数"),
        ("1万5.5", "小数点"),
        ("5000.505", "分"),
        (0.001, "分"),
        ("一万零", "零"),
        ("百", "缺少数字"),
        ("万", "缺少数字"),
    ],
)
def test_ambiguous_or_finer_than_fen_is_refused_with_the_reason(bad, reason):
    with pytest.raises(MoneyError) as info:
        parse_money(bad)
    assert reason in info.value.reason


@pytest.mark.parametrize("bad", ["abc", "-5", "", "万", True, None, "5万万x", float("nan"), "inf", -1, [1], "1e5", "0x10", "1:30"])
def test_non_amounts_are_rejected(bad):
    with pytest.raises(MoneyError):
        parse_money(bad)


def test_ambiguous_amount_in_a_draft_is_an_input_error_naming_the_field():
    text = LAWFUL.read_text(encoding="utf-8").replace("amount: 70000", "amount: 7万50", 1)
    with pytest.raises(InputError) as info:
        validate_draft(parse_text(text, "d.yaml"), "d.yaml")
    (problem,) = info.value.problems
    assert problem.file == "d.yaml" and problem.where == "decision.sanctions[2].amount"
    assert "两种读法" in problem.message


# --- round trips: an amount written in several ways reads back as itself ------------------------

_DIG = "零一二三四五六七八九"
_CAPITAL = str.maketrans("一二三四五六七八九十百千", "壹贰叁肆伍陆柒捌玖拾佰仟")


def _section(n: int) -> str:
    """1..9999 in Chinese numerals (一千零五十)."""
    out, zero = "", False
    for d, unit in zip((n // 1000, n // 100 % 10, n // 10 % 10, n % 10), "千百十 ", strict=True):
        if d == 0:
            zero = zero or bool(out)
            continue
        out += ("零" if zero else "") + _DIG[d] + unit.strip()
        zero = False
    return out


def chinese(n: int) -> str:
    """0 ≤ n < 10**12 as written in Chinese numerals (一亿零五, 一万五千)."""
    if n == 0:
        return "零"
    out, gap = "", False
    for group, unit in ((n // 10**8, "亿"), (n // 10**4 % 10**4, "万"), (n % 10**4, "")):
        if group == 0:
            gap = gap or bool(out)
            continue
        out += ("零" if out and (gap or group < 1000) else "") + _section(group) + unit
        gap = False
    return out


AMOUNTS = st.integers(min_value=0, max_value=10**12 - 1)


@given(AMOUNTS)
def test_integer_and_its_grouped_text_agree(n):
    assert parse_money(n) == parse_money(f"{n:,}元") == parse_money(f"{n}") == Decimal(n)


@given(AMOUNTS)
def test_chinese_numerals_round_trip(n):
    assert parse_money(chinese(n)) == n
    assert parse_money(chinese(n).translate(_CAPITAL) + "元整") == n


@given(st.integers(min_value=1, max_value=99_999_999), st.integers(min_value=0, max_value=9999))
def test_wan_with_four_digit_remainder_round_trips(wan, rest):
    assert parse_money(f"{wan}万{rest:04d}元") == wan * 10000 + rest


@given(st.integers(1, 9), st.integers(1, 9), st.sampled_from([("百", 100), ("千", 1000), ("万", 10**4), ("亿", 10**8)]))
def test_colloquial_two_digit_forms_round_trip(a, b, unit):
    char, size = unit
    n = a * size + b * size // 10
    assert parse_money(f"{_DIG[a]}{char}{_DIG[b]}") == n  # 一万五
    assert parse_money(f"{a}{char}{b}") == n  # 1万5
    assert parse_money(f"{a}.{b}万") == (a * 10 + b) * 1000  # 1.5万


@given(st.integers(min_value=0, max_value=10**10))
def test_fen_round_trip_and_finer_is_refused(fen):
    assert parse_money(f"{fen // 100}.{fen % 100:02d}元") * 100 == fen
    with pytest.raises(MoneyError):
        parse_money(f"{fen // 100}.{fen % 100:02d}1")


@given(st.integers(min_value=1, max_value=9999))
def test_wan_suffix_multiplies_by_ten_thousand(n):
    assert parse_money(f"{n}万元") == Decimal(n) * 10000
