"""Who answers for a finding (attribution by stage) and which 追责情形 and statute hook it cites."""

import copy
import dataclasses

from helpers import draft, sample, with_fine
from quanze.engine.check.checker import check

COLLECTIVE = "penalty/CF-04/collective_fine_above_max.yaml"


def acc_of(result, code):
    return next(f.accountability for f in result.findings if f.code == code).dump()  # the contract JSON


def test_one_officer_in_two_roles_is_one_person(rules):
    raw = sample(COLLECTIVE)
    raw["people"]["reviewer"] = raw["people"]["handler"]
    persons = acc_of(check(draft(raw), rules, "t.yaml"), "FINE_ABOVE_MAX")["persons"]
    names = [p["name"] for p in persons]
    assert len(names) == len(set(names)) == 2
    merged = next(p for p in persons if p["name"] == raw["people"]["handler"])
    assert merged["roles"] == ["handler", "reviewer"] and "；" in merged["responsibility"]


def test_a_name_left_out_is_said_to_be_missing_never_none(rules):
    raw = sample(COLLECTIVE)
    raw["people"] = {"approver": "赵六"}
    result = check(draft(raw), rules, "t.yaml")
    persons = acc_of(result, "FINE_ABOVE_MAX")["persons"]
    missing = [p for p in persons if not p["name_given"]]
    assert [p["role"] for p in missing] == ["handler", "reviewer"]  # two unnamed persons stay apart
    assert all(p["name"] == "未填写" for p in missing)
    from quanze.cli.render import result_text

    text = result_text(result)
    assert "None" not in text and "未填写" in text


def test_collective_rule_is_configurable_and_named(rules):
    acc_rules = rules.accountability
    attribution = acc_rules.attribution.model_copy(update={"collective": "collective_leader_only"})
    att = dataclasses.replace(rules, accountability=acc_rules.model_copy(update={"attribution": attribution}))
    acc = acc_of(check(draft(sample(COLLECTIVE)), att, "t.yaml"), "FINE_ABOVE_MAX")
    assert [p["role"] for p in acc["persons"]] == ["approver"]
    assert acc["attribution"]["rule"] == "collective_leader_only" and "170277" in acc["attribution"]["source"]


def test_decision_content_without_collective_uses_the_review_chain(rules):
    raw = with_fine(sample("penalty/CF-04/lawful_general_tier.yaml"), 120000)
    acc = acc_of(check(draft(raw), rules, "t.yaml"), "FINE_ABOVE_MAX")
    assert [p["role"] for p in acc["persons"]] == ["handler", "reviewer", "approver"]
    assert acc["attribution"]["concerns"] == "decision"


def test_step_findings_keep_the_handler_even_when_collective(rules):
    raw = sample(COLLECTIVE)
    raw = copy.deepcopy(raw)
    raw["procedure"]["served_on"] = "2026-06-30"
    result = check(draft(raw), rules, "t.yaml")
    step = acc_of(result, "SERVICE_LATE")
    content = acc_of(result, "FINE_ABOVE_MAX")
    assert step["attribution"]["concerns"] == "step" and step["persons"][0]["role"] == "handler"
    assert content["attribution"]["rule"] == rules.accountability.attribution.collective


def test_every_code_says_what_it_concerns(rules):
    assert all(f.stage in ("decision", "step") for f in rules.findings.values())  # every shipped code says so
    assert rules.findings["NOT_FILED"].stage == "step" and rules.findings["FINE_ABOVE_MAX"].stage == "decision"


def test_non_penalty_findings_never_cite_the_penalty_law(rules):
    for path in sorted((sample.__globals__["CASES"]).glob("[ifc]*/*/*.yaml")):
        if path.name.endswith(".expect.yaml"):
            continue
        from quanze.engine.model.drafts import read_draft

        result = check(read_draft(path), rules, str(path))
        for f in result.findings:
            if f.accountability:
                assert "行政处罚法" not in (f.accountability.statute or ""), (path, f.code)


def test_a_referral_proposal_names_no_penalty_trigger_and_says_why(rules):
    result = check(draft(sample("penalty/CF-02/closure_referral_not_serious.yaml")), rules, "t.yaml")
    acc = acc_of(result, "PRECONDITION_MISSING")
    assert acc["triggers"] == [] and acc["statute"] is None
    assert "没有实施行政处罚" in acc["no_trigger"]


def test_a_code_without_stage_is_inferred_and_says_so(rules):
    fdef = rules.findings["SERVICE_LATE"].model_copy(update={"stage": None})
    from quanze.engine.check.accountability import Deciders, accountability
    from quanze.engine.model.drafts import People

    acc = accountability(rules, "CF-04", fdef, Deciders(People(handler="张三"), collective=True))
    assert acc.attribution.concerns == "step" and "推定" in acc.attribution.why


def test_a_case_overlay_must_name_an_existing_provision(rules, tmp_path):
    from quanze.engine.batch.cases import run_case

    (tmp_path / "x.hypothetical.yaml").write_text("id: jieneng.a999\nlaw: jieneng\n", encoding="utf-8")
    case = tmp_path / "c.yaml"
    case.write_text((sample.__globals__["CASES"] / "penalty/CF-04/lawful_general_tier.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "c.expect.yaml").write_text(
        "name: x\nnarrative: x\nteaching: x\nverdict: pass\nrules_overlay: [x.hypothetical.yaml]\n", encoding="utf-8"
    )
    outcome = run_case(case, rules)
    assert not outcome.passed and "jieneng.a999" in outcome.problems[0]
