"""Money parsing: numbers and Chinese amount texts (contract §3)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quanze.engine.money import MoneyError, parse_money


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
    ],
)
def test_amount_texts_parse_to_yuan(text, value):
    assert parse_money(text) == Decimal(value)


@pytest.mark.parametrize("bad", ["abc", "-5", "", "万", True, None, "5万万x", float("nan"), "inf", -1, [1]])
def test_non_amounts_are_rejected(bad):
    with pytest.raises(MoneyError):
        parse_money(bad)


@given(st.integers(min_value=0, max_value=10**9))
def test_integer_and_its_grouped_text_agree(n):
    assert parse_money(n) == parse_money(f"{n:,}元") == Decimal(n)


@given(st.integers(min_value=1, max_value=9999))
def test_wan_suffix_multiplies_by_ten_thousand(n):
    assert parse_money(f"{n}万元") == Decimal(n) * 10000
