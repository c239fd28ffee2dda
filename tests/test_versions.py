"""从旧兼从轻 (行政处罚法 第三十七条): which version of a provision applies, and why."""

import dataclasses
import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import draft, sample, shipped_rules, with_fine
from quanze.engine.check.checker import check
from quanze.engine.law.versions import choose_version
from quanze.engine.model.schema import PenaltyRules, Provision, ProvisionVersion, Reserved, Sanction
from quanze.engine.model.schema import Test as Cond

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


@settings(deadline=None)
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


# --- comparing versions for this party (issue #12 §6); every version here is hypothetical ------------


CHANGE = D(2026, 5, 1)  # the sample CF-04 acts end in February 2026 and are decided on 2026-05-25


def custom(kinds_old, kinds_new):
    """Two versions split on CHANGE, from (kind, required, min, max) tuples."""

    def make(start, until, kinds):
        sanctions = [Sanction(kind=k, required=r, min=lo, max=hi) for k, r, lo, hi in kinds]
        pen = PenaltyRules(sanctions=sanctions)
        return ProvisionVersion(in_force_from=start, in_force_until=until, text="假设条文", source="test", verified=False, penalty=pen)

    return [make(D(2018, 10, 26), CHANGE - dt.timedelta(days=1), kinds_old), make(CHANGE, None, kinds_new)]


def with_a76(rules, versions):
    """The shipped rules with 节约能源法 第七十六条 replaced by hypothetical versions (fresh compile cache)."""
    prov = Provision(id="jieneng.a76", law="jieneng", article="第七十六条", versions=versions)
    return dataclasses.replace(rules, provisions={**rules.provisions, "jieneng.a76": prov}, cache={})


BASE = [("责令改正", "always", None, None), ("没收违法所得", "when_gains", None, None)]
FINE = ("罚款", "always", 50000, 100000)


def choose(rules, versions, gains=False):
    return choose_version(versions, D(2026, 2, 10), D(2026, 5, 25), rules.lighter, rules.vocabulary, gains)


def test_crossing_fine_ranges_are_neither_lighter_nor_heavier(rules):
    choice = choose(rules, custom(BASE + [FINE], BASE + [("罚款", "always", 30000, 120000)]))
    assert choice.outcome == "crossing" and choice.crossing == (0, 1) and choice.index == 0
    assert "轻重交叉" in choice.reason and "30000–120000" in choice.reason and "50000–100000" in choice.reason


def test_a_required_sanction_made_optional_is_lighter(rules):
    choice = choose(rules, custom(BASE + [FINE], BASE + [("罚款", "optional", 50000, 100000)]))
    assert choice.outcome == "new_lighter" and choice.index == 1
    assert any(line.startswith("罚款：新 可以，旧 应当，较轻") for line in choice.comparison)


def test_one_kind_dropped_and_another_added_cross(rules):
    choice = choose(rules, custom(BASE + [FINE], BASE + [("吊销许可证件", "optional", None, None)]))
    assert choice.outcome == "crossing"


def test_confiscation_of_gains_is_kept_whatever_a_version_lists(rules):
    versions = custom(BASE + [FINE], [("责令改正", "always", None, None), FINE])  # new text drops 没收违法所得
    assert choose(rules, versions, gains=True).outcome == "old_kept"  # 第二十八条第二款: still 应当
    assert choose(rules, versions, gains=False).outcome == "old_kept"  # no gains: the same for this party


def test_kind_crossing_lawful_under_the_old_version_only_is_a_warning(rules):
    hypo = with_a76(rules, custom(BASE + [FINE], BASE + [("吊销许可证件", "optional", None, None)]))
    result = check(draft(sample("penalty/CF-04/lawful_general_tier.yaml")), hypo, "t.yaml")
    codes = {f.code: f.severity for f in result.findings}
    assert codes.get("VERSION_READINGS_DIFFER") == "warning" and "SANCTION_NOT_PROVIDED" not in codes
    assert result.verdict == "warn" and result.version_comparison.readings == "differ"


def test_a_kind_the_old_version_lacked_and_heavier_is_an_error(rules):
    hypo = with_a76(rules, custom(BASE + [FINE], BASE + [("吊销许可证件", "optional", None, None)]))
    raw = sample("penalty/CF-04/lawful_general_tier.yaml")
    for where in (raw["decision"]["sanctions"], raw["procedure"]["notice"]["proposed"]):
        where[:] = [s for s in where if s["kind"] != "罚款"] + [{"kind": "吊销许可证件"}]
    result = check(draft(raw), hypo, "t.yaml")
    errors = {f.code for f in result.findings if f.severity == "error"}
    assert {"SANCTION_NOT_PROVIDED", "SANCTION_MISSING"} <= errors and "VERSION_READINGS_DIFFER" not in errors


def test_explain_and_json_carry_the_comparison(rules):
    hypo = with_a76(rules, custom(BASE + [FINE], BASE + [("罚款", "always", 30000, 120000)]))
    result = check(draft(sample("penalty/CF-04/lawful_general_tier.yaml")), hypo, "t.yaml")
    comp = result.version_comparison.dump()
    assert comp["outcome"] == "crossing" and comp["act_version"]["fine_range"] == [50000, 100000]
    assert comp["decision_version"]["fine_range"] == [30000, 120000] and comp["readings"] == "agree"
    assert any("版本比较" in k for k in result.explanation["derived"])
    assert "轻重交叉" in result.provision.chosen_because


@settings(max_examples=40, deadline=None)
@given(
    old=st.tuples(st.integers(1, 60), st.integers(61, 120)),
    new=st.tuples(st.integers(1, 60), st.integers(61, 120)),
    fine=st.integers(1, 130),
)
def test_crossing_versions_never_give_an_error_every_reading_does_not_agree_on(old, new, fine):
    """Ranges in thousands. Crossing: an error only where every reading agrees; else the chosen version's range decides."""
    rules = shipped_rules()
    k = 1000
    hypo = with_a76(rules, custom(BASE + [("罚款", "always", old[0] * k, old[1] * k)], BASE + [("罚款", "always", new[0] * k, new[1] * k)]))
    result = check(draft(with_fine(sample("penalty/CF-04/lawful_general_tier.yaml"), fine * k)), hypo, "t.yaml")
    range_errors = {f.code for f in result.findings if f.severity == "error" and f.code in ("FINE_ABOVE_MAX", "FINE_BELOW_MIN")}
    in_old, in_new = old[0] <= fine <= old[1], new[0] <= fine <= new[1]
    lighter = new[0] <= old[0] and new[1] <= old[1] and new != old
    crossing = (new[0] < old[0] and new[1] > old[1]) or (new[0] > old[0] and new[1] < old[1])
    if crossing:
        expected_error = not in_old and (not in_new or fine > old[1])
    else:
        expected_error = not (in_new if lighter else in_old)
    assert bool(range_errors) == expected_error, (old, new, fine, result.findings)
    differs = any(f.code == "VERSION_READINGS_DIFFER" for f in result.findings)
    assert differs == (crossing and in_old != in_new and not expected_error)


def test_a_reserved_kind_counts_only_where_its_precondition_can_hold_for_this_party(rules):
    """New text: lower fine maximum, plus 报请责令停业整顿 only when 情节严重 (hypothetical)."""
    versions = custom(BASE + [FINE], BASE + [("罚款", "always", 50000, 80000)])
    closure = Reserved(kinds=["责令停业整顿"], to="本级人民政府", precondition="情节严重", missing_when=Cond(fact="serious", eq=False))
    pen = versions[1].penalty.model_copy(update={"reserved": [closure]})
    versions[1] = versions[1].model_copy(update={"penalty": pen})
    hypo = with_a76(rules, versions)
    raw = sample("penalty/CF-04/lawful_general_tier.yaml")
    plain = check(draft(raw), hypo, "t.yaml").version_comparison
    raw["decision"]["case_flags"] = ["情节严重"]
    serious = check(draft(raw), hypo, "t.yaml").version_comparison
    assert plain.outcome == "new_lighter"  # not 情节严重: the closure cannot reach this party
    assert serious.outcome == "crossing"  # 情节严重: lower fine, but a closure proposal is now possible
