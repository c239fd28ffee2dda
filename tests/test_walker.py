"""One walker over the condition tree (engine/conditions.walk): every query follows ``ref`` the same way.

A test per bug the hand-written walks had: compile._params_in skipped ``ref``; trace.facts_read on an
unresolved (skipped) rule skipped ``ref``; a recommended-tier row (policy.yaml) was evaluated unresolved.
"""

from __future__ import annotations

import json
from pathlib import Path

from quanze.cli.main import app
from quanze.engine.check.trace import build_trace, facts_read, params_used
from quanze.engine.lang.compile import CompiledRuleset, RuleGap, _params_in, compile_ruleset
from quanze.engine.lang.conditions import facts_in, params_in, walk
from quanze.engine.load.loader import load_rules
from quanze.engine.model.schema import CheckRule

CASES = Path(__file__).resolve().parent.parent / "cases"
LAWFUL_CF04 = CASES / "penalty" / "CF-04" / "lawful_general_tier.yaml"

_DEFS_RAW = {
    "late": {"fact": "a_days", "gt": {"param": "law.group.days"}},
    "either": {"any": [{"ref": "late"}, {"fact": "b_flag", "eq": True}]},
    "loop_a": {"all": [{"ref": "loop_b"}, {"fact": "c_flag", "eq": True}]},
    "loop_b": {"ref": "loop_a"},
}


def _cond(raw: dict):
    return CheckRule.model_validate({"id": "x", "code": "X", "when": raw, "message": "-", "basis": ["-"]}).when


DEFS = {name: _cond(raw) for name, raw in _DEFS_RAW.items()}


def test_walk_follows_ref_into_its_definition_once_per_path():
    cond = _cond({"all": [{"ref": "either"}, {"not": {"fact": "d_flag", "eq": False}}]})
    nodes = list(walk(cond, DEFS))
    locs = [n.loc for n in nodes]
    assert locs[0] == () and ("definitions", "either") in locs and ("definitions", "late") in locs
    assert [n.via for n in nodes if n.loc == ("definitions", "late")] == [("either", "late")]
    assert facts_in(cond, DEFS) == ["a_days", "b_flag", "d_flag"]
    assert params_in(cond, DEFS) == ["law.group.days"]
    # without definitions a ref is a leaf
    assert facts_in(cond) == ["d_flag"] and params_in(cond) == []


def test_walk_stops_at_a_ref_cycle():
    nodes = list(walk(_cond({"ref": "loop_a"}), DEFS))
    assert len(nodes) < 10
    assert facts_in(_cond({"ref": "loop_a"}), DEFS) == ["c_flag"]


def test_every_query_agrees_through_ref():
    """compile._params_in (bug: skipped ref), trace.params_used and trace.facts_read (bug: skipped ref) agree."""
    cond = _cond({"all": [{"ref": "late"}]})
    assert _params_in(cond, DEFS) == params_used(cond, DEFS) == params_in(cond, DEFS) == ["law.group.days"]
    assert facts_read(cond, DEFS) == ["a_days"]


def _through_ref(rules_copy: Path) -> None:
    """The complaint verification deadline test moved into a named condition (same meaning)."""
    path = rules_copy / "checks" / "complaint.yaml"
    text = path.read_text(encoding="utf-8")
    old = "        - {fact: receive_to_verify_workdays, gt: {param: laowu_jiufen.verification.workdays}}\n"
    assert old in text
    definition = "definitions:\n  verification_late:" + old.removeprefix("        -")
    text = text.replace(old, "        - {ref: verification_late}\n").replace("family: complaint\n", "family: complaint\n" + definition)
    path.write_text(text, encoding="utf-8")


def _gaps(rules) -> list[str]:
    import datetime as dt

    day = dt.date(2026, 5, 1)
    return compile_ruleset(rules, "complaint", "QT-01", None, None, {"decision": day, "received": day}).gaps


def test_compile_sees_a_param_used_only_through_ref(rules, rules_copy):
    """laowu_jiufen params have no known start date: the gap is said whether the rule names the param or a ref does."""
    shipped = [g for g in _gaps(rules) if "施行日期不详" in g]
    assert shipped, _gaps(rules)
    _through_ref(rules_copy)
    assert [g for g in _gaps(load_rules(rules_copy, use_cache=False)) if "施行日期不详" in g] == shipped


def test_trace_of_a_skipped_rule_lists_the_facts_behind_its_ref(rules):
    """A rule the compiler skipped (e.g. no applicable version) shows the facts its ``ref`` reads, not none."""
    rule = next(r for cf in rules.checks for r in cf.rules if cf.kind == "penalty" and "ref" in r.when.model_dump_json())
    definitions = rules.definitions["penalty"]
    expected = facts_in(rule.when, definitions)
    assert expected and "fine_amount" in expected
    compiled = CompiledRuleset(
        "quanze0:penalty:CF-04:v0:0", {}, {}, {}, skipped=[RuleGap(rule.id, rule.code, "没有适用的条文版本")], kind="penalty"
    )
    trace = build_trace(compiled, [], {}, rules, "CF-04")
    row = next(r for r in trace["checks"] if r["rule"] == rule.id)
    assert [f["fact"] for f in row["facts"]] == expected


def test_recommended_tier_row_with_not_and_ref_is_resolved_before_it_is_evaluated(runner, rules_copy):
    """policy.yaml rows are conditions like any other: `not` and `ref` work (before: an internal error, exit 3)."""
    before = runner.invoke(app, ["check", str(LAWFUL_CF04), "--format", "json"])
    path = rules_copy / "discretion" / "policy.yaml"
    text = path.read_text(encoding="utf-8")
    old = "  - when: {fact: mandatory_no_penalty_ground_made_out, eq: true}\n"
    assert old in text
    text = text.replace(old, "  - when: {not: {fact: mandatory_no_penalty_ground_made_out, eq: false}}\n")
    row = "  - when: {all: [{ref: hearing_eligible_certain}, {fact: n_aggravating, gt: 99}]}\n    tier: 从重\n"
    text = text.replace("    tier: 从重\n", "    tier: 从重\n" + row)
    path.write_text(text, encoding="utf-8")
    after = runner.invoke(app, ["check", str(LAWFUL_CF04), "--rules", str(rules_copy), "--format", "json"])
    assert after.exit_code == before.exit_code == 0, after.output
    tier = [json.loads(r.stdout)["recommended_tier"] for r in (before, after)]
    assert tier[0] == tier[1] and tier[0]
