"""从旧兼从轻 (行政处罚法 第三十七条): which version of a provision applies, and why."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from helpers import shipped_rules
from quanze.engine.schema import PenaltyRules, ProvisionVersion, Sanction
from quanze.engine.versions import choose_version

D = dt.date


def version(start, until, fine_min, fine_max, extra=()):
    sanctions = [Sanction(kind="责令改正", required="always"), Sanction(kind="罚款", required="always", min=fine_min, max=fine_max)]
    sanctions += [Sanction(kind=k, required="optional") for k in extra]
    return ProvisionVersion(
        in_force_from=start, in_force_until=until, text="测试条文", source="test", verified=False, penalty=PenaltyRules(sanctions=sanctions)
    )


def test_act_before_first_version_has_no_basis(rules):
    v = [version(D(2020, 9, 1), None, 10000, 30000)]
    choice = choose_version(v, D(2020, 8, 31), D(2022, 8, 1), rules.lighter, rules.vocabulary)
    assert not choice.in_force and "尚未施行" in choice.reason


def test_repealed_at_decision_is_not_punished(rules):
    v = [version(D(2018, 1, 1), D(2025, 12, 31), 10000, 30000)]
    choice = choose_version(v, D(2025, 6, 1), D(2026, 3, 1), rules.lighter, rules.vocabulary)
    assert not choice.in_force and "不再施行" in choice.reason


def test_heavier_later_version_keeps_the_old_one(rules):
    v = [version(D(2018, 1, 1), D(2025, 12, 31), 10000, 30000), version(D(2026, 1, 1), None, 20000, 60000)]
    choice = choose_version(v, D(2025, 6, 1), D(2026, 3, 1), rules.lighter, rules.vocabulary)
    assert choice.index == 0 and "不较轻" in choice.reason


@given(
    old_max=st.integers(min_value=20000, max_value=10**6),
    cut=st.integers(min_value=1, max_value=10000),
    act_days=st.integers(min_value=1, max_value=2000),
    decision_days=st.integers(min_value=0, max_value=2000),
)
def test_a_later_lighter_version_is_always_chosen(old_max, cut, act_days, decision_days):
    change = D(2026, 1, 1)
    new_max = old_max - cut
    versions = [version(D(2010, 1, 1), change - dt.timedelta(days=1), 10000, old_max), version(change, None, 10000, new_max)]
    act = change - dt.timedelta(days=act_days)
    decided = change + dt.timedelta(days=decision_days)
    rules = shipped_rules()
    choice = choose_version(versions, act, decided, rules.lighter, rules.vocabulary)
    assert choice.index == 1 and "较轻" in choice.reason
