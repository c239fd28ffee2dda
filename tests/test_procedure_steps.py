"""Issue 12 §5 and §7: what the procedure requires, no more and no less; unfilled sections are 未填写."""

from __future__ import annotations

import json

import yaml

from helpers import draft, sample
from quanze.cli.main import app
from quanze.engine.check.checker import check
from quanze.engine.lang.conditions import evaluate_known
from quanze.engine.model import schema
from quanze.engine.model.drafts import unfilled_sections

LAWFUL = "penalty/CF-05/decision_on_day_90.yaml"


def codes(result):
    return {f.code for f in result.findings}


def test_absent_key_is_unfilled_but_null_is_not():
    raw = sample(LAWFUL)
    assert unfilled_sections(draft(raw)) == []
    del raw["procedure"]["hearing"]
    assert unfilled_sections(draft(raw)) == ["procedure.hearing"]
    del raw["procedure"]
    assert unfilled_sections(draft(raw)) == ["procedure"]
    raw = sample(LAWFUL)
    del raw["procedure"]["notice"]["rights"]
    assert unfilled_sections(draft(raw)) == ["procedure.notice.rights"]


def test_three_valued_truth():
    t = schema.Test.model_validate({"fact": "a", "eq": True})
    u = schema.Test.model_validate({"fact": "u", "eq": True})
    All, Any_ = schema.All, schema.Any_
    assert evaluate_known(All(all=[t, u]), {"a": False}, {"u"}) is False
    assert evaluate_known(All(all=[t, u]), {"a": True}, {"u"}) is None
    assert evaluate_known(Any_(any=[t, u]), {"a": True}, {"u"}) is True
    assert evaluate_known(Any_(any=[t, u]), {"a": False}, {"u"}) is None


def test_unfilled_procedure_is_incomplete_without_accountability(rules):
    raw = sample(LAWFUL)
    del raw["procedure"]
    result = check(draft(raw), rules, "t.yaml")
    assert result.verdict == "incomplete"
    assert not [f for f in result.findings if f.accountability]
    # party.role and violation.conduct (not filled in this sample) are listed too, without changing the verdict
    blocking = [n for n in result.not_checked if n.affects_verdict is not False]
    assert [n.field for n in blocking] == ["procedure"]
    assert "NOT_FILED" in blocking[0].codes
    assert result.to_json()["not_checked"] == [n.dump() for n in result.not_checked]


def test_a_present_wrong_step_keeps_its_error_beside_an_unfilled_one(rules):
    raw = sample(LAWFUL)
    del raw["procedure"]["hearing"]
    raw["procedure"]["officers"] = raw["procedure"]["officers"][:1]
    result = check(draft(raw), rules, "t.yaml")
    assert result.verdict == "fail"
    assert "OFFICERS_INSUFFICIENT" in codes(result)


def test_incomplete_exits_0_and_is_named_in_text_and_json(runner, tmp_path):
    raw = sample(LAWFUL)
    del raw["procedure"]
    path = tmp_path / "d.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    out = runner.invoke(app, ["check", str(path), "--format", "json"])
    assert out.exit_code == 0
    assert json.loads(out.stdout)["verdict"] == "incomplete"
    text = runner.invoke(app, ["check", str(path)])
    assert text.exit_code == 0 and "未完成" in text.stdout and "未填写" in text.stdout


def test_a_longer_term_than_the_notice_is_heavier(rules):
    raw = sample(LAWFUL)
    raw["decision"]["sanctions"].append({"kind": "暂扣许可证件", "duration_days": 60})
    raw["procedure"]["notice"]["proposed"].append({"kind": "暂扣许可证件", "duration_days": 30})
    result = check(draft(raw), rules, "t.yaml")
    heavier = [f for f in result.findings if f.code == "HEAVIER_THAN_NOTICE"]
    assert heavier and "暂扣许可证件 60 日" in heavier[0].message
    raw["decision"]["sanctions"][-1]["duration_days"] = 30
    assert "HEAVIER_THAN_NOTICE" not in codes(check(draft(raw), rules, "t.yaml"))


def test_an_encoded_extension_cap_limits_the_extension(rules_copy, tmp_path):
    from quanze.engine.load.loader import load_rules

    params = rules_copy / "params" / "xzcf.yaml"
    text = params.read_text(encoding="utf-8").replace("extension_caps: {}", 'extension_caps: {"测试规章 第一条": 15}')
    params.write_text(text, encoding="utf-8")
    rules = load_rules(rules_copy)
    raw = sample("penalty/CF-05/decision_extended.yaml")  # day 110, 30 days approved on day 85
    raw["procedure"]["extension"]["basis"] = "测试规章 第一条"
    result = check(draft(raw), rules, "t.yaml")
    assert "DECISION_OVERDUE" in codes(result)  # 90 + 15 < 110
    raw["decision"]["decided_on"] = "2026-05-28"  # day 105
    raw["procedure"]["served_on"] = "2026-06-01"
    result = check(draft(raw), rules, "t.yaml")
    assert codes(result) & {"DECISION_OVERDUE", "EXTENSION_UNVERIFIED"} == set()
