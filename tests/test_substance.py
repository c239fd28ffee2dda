"""Issue #12 substance: 不予处罚 grounds, 第二十八条 (orders, 没收违法所得, 退赔), the words of messages."""

import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lawful import lawful_penalty_drafts

from helpers import CASES, draft, sample, shipped_rules
from quanze.engine.batch.cases import find_cases
from quanze.engine.check.checker import check
from quanze.engine.lang.conditions import evaluate, negate, resolve
from quanze.engine.model import schema
from quanze.engine.model.drafts import validate_draft
from quanze.engine.model.errors import InputError

GENERAL = "penalty/CF-04/lawful_general_tier.yaml"
CF05 = "penalty/CF-05/lawful_fine.yaml"


def findings(raw):
    return check(draft(raw), shipped_rules(), "t.yaml").findings


def codes(raw):
    return {f.code for f in findings(raw)}


# --- the condition language: {not: …} and the grounds' conditions ----------------------

fact_values = st.fixed_dictionaries(
    {
        "party_type": st.sampled_from(["individual", "organization"]),
        "party_age": st.integers(-1, 20),
        "party_capacity": st.sampled_from(["full", "partial", "none", "unknown"]),
        "minor": st.booleans(),
        "corrected": st.booleans(),
        "harm": st.sampled_from(["none", "minor", "serious"]),
        "prior_violations": st.integers(0, 3),
        "no_fault_proven": st.booleans(),
        "years_act_to_discovery": st.integers(0, 7),
        "affects_life_health_or_finance": st.booleans(),
        "facts_established": st.booleans(),
        "suspected_crime": st.booleans(),
        "transferred_to_judiciary": st.booleans(),
    }
)


@settings(max_examples=200, deadline=None)
@given(facts=fact_values)
def test_the_negation_of_each_ground_is_its_complement(facts):
    rules = shipped_rules()
    params = {"xzcf.limitation.years": 2, "xzcf.limitation.extended_years": 5}
    definitions = rules.definitions["penalty"]
    for g in rules.vocabulary.no_penalty_grounds:
        cond = resolve(g.holds_when, params, {}, definitions)
        assert evaluate(negate(cond), facts) is (not evaluate(cond, facts)), g.name


def test_negate_flips_each_comparison():
    assert negate(schema.Test(fact="x", gt=3)) == schema.Test(fact="x", lte=3)
    assert negate(schema.Test.model_validate({"fact": "x", "in": ["a"]})) == schema.Test(fact="x", not_in=["a"])
    assert negate(True) is False


# --- 不予处罚 -------------------------------------------------------------------------------


def test_an_unknown_ground_is_an_input_error_with_a_suggestion():
    raw = sample("penalty/CF-04/no_penalty_decided.yaml")
    raw["decision"]["no_penalty_ground"] = "没有过错"
    with pytest.raises(InputError) as exc:
        check(draft(raw), shipped_rules(), "t.yaml")
    assert "decision.no_penalty_ground" in str(exc.value.problems[0]) and "没有主观过错" in str(exc.value.problems[0])


def test_a_ground_with_a_penalty_tier_is_an_input_error():
    raw = sample(GENERAL)
    raw["decision"]["no_penalty_ground"] = "没有主观过错"
    with pytest.raises(InputError) as exc:
        validate_draft(raw, "t.yaml")
    assert "tier: 不予处罚" in str(exc.value.problems[0])


def test_age_and_capacity_are_for_individuals_only():
    raw = sample(GENERAL)
    raw["party"]["age"] = 12
    with pytest.raises(InputError):
        validate_draft(raw, "t.yaml")


def test_restitution_above_the_gains_is_an_input_error():
    raw = sample(GENERAL)
    raw["violation"]["restitution"] = 40000
    with pytest.raises(InputError) as exc:
        validate_draft(raw, "t.yaml")
    assert "restitution" in str(exc.value.problems[0])


def test_an_unsupported_ground_names_the_ground_its_articles_and_item_trigger_7():
    raw = sample("penalty/CF-04/no_fault_ground_unsupported.yaml")
    (f,) = [f for f in findings(raw) if f.code == "MITIGATION_WITHOUT_GROUNDS"]
    assert "没有主观过错" in f.message and f.basis == ["行政处罚法 第三十三条第二款"]
    assert [t.no for t in f.accountability.triggers] == [7]


# --- 第二十八条: orders, 没收违法所得 -----------------------------------------------------------


@pytest.mark.parametrize("order", ["责令改正", "责令限期改正"])
@pytest.mark.parametrize("case", ["penalty/CF-01/lawful_stop_and_retrofit.yaml", "penalty/CF-02/lawful_stop_and_confiscate.yaml", CF05])
def test_a_correction_order_is_never_an_added_penalty_kind(case, order):
    raw = sample(case)
    raw["decision"]["sanctions"].append({"kind": order})
    assert "SANCTION_NOT_PROVIDED" not in codes(raw)


@pytest.mark.parametrize("case", ["penalty/CF-01/lawful_stop_and_retrofit.yaml", "penalty/CF-03/lawful_remediation_order.yaml", CF05])
def test_gains_must_be_confiscated_on_every_item(case):
    raw = sample(case)
    raw["violation"]["illegal_gains"] = 5000
    missing = [f for f in findings(raw) if f.code == "SANCTION_MISSING"]
    assert missing and "没收违法所得" in missing[0].message and "行政处罚法 第二十八条第二款" in missing[0].basis
    raw["decision"]["sanctions"].append({"kind": "没收违法所得", "amount": 5000})
    assert not {"SANCTION_MISSING", "SANCTION_NOT_PROVIDED", "CONFISCATION_MISMATCH"} & codes(raw)


def test_the_missing_stop_order_is_named():
    raw = sample("penalty/CF-01/stop_order_missing.yaml")
    (f,) = [f for f in findings(raw) if f.code == "SANCTION_MISSING"]
    assert "责令停止建设" in f.message and "责令停止生产使用" in f.message


# --- words ---------------------------------------------------------------------------------


def test_the_rule_clause_is_only_for_a_rule():
    law = sample(GENERAL)
    law["decision"]["sanctions"].append({"kind": "警告"})
    (f,) = [f for f in findings(law) if f.code == "SANCTION_NOT_PROVIDED"]
    assert "部门规章" not in f.message and "行政处罚法 第十三条" not in f.basis
    rule = sample("penalty/CF-05/warning_not_provided_by_rule.yaml")
    (f,) = [f for f in findings(rule) if f.code == "SANCTION_NOT_PROVIDED"]
    assert "部门规章" in f.message and "行政处罚法 第十三条" in f.basis


def test_no_message_of_any_sample_case_says_fine_zero():
    rules = shipped_rules()
    for path in find_cases(CASES / "penalty"):
        try:
            result = check(validate_draft(sample(str(path.relative_to(CASES))), str(path)), rules, str(path))
        except InputError:
            continue
        texts = [f.message for f in result.findings] + result.explanation["derived"].get("听证资格", [])
        assert not [t for t in texts if "罚款 0 元" in t], path


def test_first_offense_is_a_factor_and_never_hinted_as_repeat_offense():
    raw = sample(GENERAL)
    raw["violation"]["factors"] = ["初次违法"]
    check(draft(raw), shipped_rules(), "t.yaml")  # no InputError
    raw["violation"]["factors"] = ["初次违规"]
    with pytest.raises(InputError) as exc:
        check(draft(raw), shipped_rules(), "t.yaml")
    assert "一年内再次违法" not in str(exc.value.problems[0])


# --- the lawful-by-construction strategy is not vacuous -------------------------------------


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=lawful_penalty_drafts(items=("CF-04", "CF-05")))
def test_dropping_a_required_sanction_from_a_lawful_draft_is_an_error(raw):
    if raw["decision"]["tier"] == "不予处罚":
        return
    broken = copy.deepcopy(raw)
    broken["decision"]["sanctions"] = [s for s in broken["decision"]["sanctions"] if s["kind"] != "罚款"]
    # 减轻 on a recorded 减轻 ground with another 行政处罚 left: 减少处罚种类 is one reading of 减轻 (a warning)
    left = [s for s in broken["decision"]["sanctions"] if not s["kind"].startswith("责令")]  # 责令… is no 行政处罚
    reduced = raw["decision"]["tier"] == "减轻" and bool(left)
    assert ("REDUCTION_KIND_OMITTED" if reduced else "SANCTION_MISSING") in codes(broken)


def _branches(cond) -> int:
    """How many times durable-rules may fire a rule whose every branch holds (its DNF size)."""
    if isinstance(cond, bool):
        return 1
    if isinstance(cond, schema.All):
        n = 1
        for c in cond.all:
            n *= _branches(c)
        return n
    if isinstance(cond, schema.Any_):
        return sum(_branches(c) for c in cond.any)
    return len(cond.value) if cond.op == "in_" else 1


@pytest.mark.parametrize("case", ["penalty/CF-04/no_penalty_decided.yaml", CF05, "penalty/CF-01/lawful_stop_and_retrofit.yaml"])
def test_no_compiled_penalty_rule_expands_into_many_branches(case):
    """A negated disjunction (e.g. "no ground holds") fires once per combination: keep every rule small."""
    from quanze.engine.check.checker import step_days
    from quanze.engine.lang.compile import compile_grounds, compile_ruleset

    rules = shipped_rules()
    d = draft(sample(case))
    pid = rules.items[d.item].provision
    index = len(rules.provisions[pid].versions) - 1
    for compiled in (compile_ruleset(rules, "penalty", d.item, pid, index, step_days(d)), compile_grounds(rules, d.decision.decided_on)):
        sizes = {name: _branches(c.condition) for name, c in compiled.rules.items()}
        assert max(sizes.values()) <= 24, sorted(sizes.items(), key=lambda kv: -kv[1])[:3]


def test_rules_show_prints_every_penalty_provision(runner):
    """one_of groups and unless exceptions (第六十八条第二款, 第七十二条) are printed, text and JSON."""
    from quanze.cli.main import app

    rules = shipped_rules()
    for pid in sorted({i.provision for i in rules.items.values() if i.provision}):
        for fmt in ("text", "json"):
            result = runner.invoke(app, ["rules", "show", pid, "--format", fmt])
            assert result.exit_code == 0, (pid, fmt, result.output)
