"""The shortcuts taken for speed give the same results as the plain way (no timing here: see benchmarks/)."""

from __future__ import annotations

from quanze.engine.lang import evaluate
from quanze.engine.lang.compile import _GROUND_RULE, SENTINEL, CompiledRuleset
from quanze.engine.model.schema import CheckRule


def test_constructed_ground_rule_equals_the_validated_one():
    validated = CheckRule.model_validate(
        {"id": "ground", "code": "GROUND", "when": {"fact": "q_doc", "eq": 1}, "message": "-", "basis": ["-"]}
    )
    assert validated == _GROUND_RULE
    assert _GROUND_RULE.model_fields_set == validated.model_fields_set
    assert _GROUND_RULE.when.model_fields_set == validated.when.model_fields_set
    assert (_GROUND_RULE.when.op, _GROUND_RULE.when.value) == (validated.when.op, validated.when.value)


def _ruleset(name: str) -> CompiledRuleset:
    definition = {
        SENTINEL: {"all": [{"m": {"q_doc": 1}}]},
        "big": {"all": [{"m": {"$and": [{"q_doc": 1}, {"$gt": {"amount": 10}}]}}]},
        "named": {"all": [{"m": {"$and": [{"q_doc": 1}, {"who": "张三"}]}}]},
    }
    return CompiledRuleset(name, definition, {}, {})


def test_facts_a_ruleset_never_names_do_not_change_what_fires():
    ruleset = _ruleset("perf_equivalence_test")
    base = {"amount": 11, "who": "张三"}
    noise = {f"other_{i}": i for i in range(200)} | {"text": "长" * 5000, "amounts": [1, 2]}
    assert evaluate.fired_rules(ruleset, base) == ["big", "named"]
    assert evaluate.fired_rules(ruleset, base | noise) == ["big", "named"]
    assert evaluate.fired_rules(ruleset, {"amount": 5} | noise) == []


def test_fired_rule_names_are_read_exactly():
    assert evaluate._fired_name('{"a\\"b": {"x": 1}}') == 'a"b'
    assert evaluate._fired_name('{"规则_1": {}}') == "规则_1"


def test_withholding_skips_only_rules_that_test_no_unknown_fact(rules):
    """check._withhold_unknown keeps a rule untested against the unknown facts when its condition names none of
    them: for such a rule the three-valued reading is never "unknown" and equals the plain one (every sample draft)."""
    from helpers import CASES
    from quanze.engine.batch.cases import find_cases
    from quanze.engine.check.checker import check
    from quanze.engine.lang.conditions import evaluate as truth
    from quanze.engine.lang.conditions import evaluate_known, facts_in
    from quanze.engine.model.drafts import read_draft

    seen = []

    def spy(compiled, facts):
        seen.append((compiled, facts))
        return evaluate.fired_rules(compiled, facts)

    for path in find_cases(CASES):
        if "invalid" not in path.parts:
            check(read_draft(path), rules, str(path), evaluator=spy)
    assert seen
    for compiled, facts in seen:
        for c in compiled.rules.values():
            tested = set(facts_in(c.condition))
            others = set(facts) - tested | {"not_a_fact_of_this_rule"}
            assert evaluate_known(c.condition, facts, others) is truth(c.condition, facts)
