"""Issue 27 §1–2: facts and evidence in a penalty draft, the elements of each provision (rules/elements.yaml)."""

from pathlib import Path

import yaml

from helpers import draft, sample, shipped_rules
from quanze.cli.main import app
from quanze.engine.check.checker import check
from quanze.engine.law.elements import find_provable, item_elements

CASES = Path(__file__).resolve().parent.parent / "cases"


def test_every_penalty_item_lists_a_conduct_element_whose_words_are_in_its_provision():
    rules = shipped_rules()
    for item, engine in rules.items.items():
        if engine.kind != "penalty":
            continue
        elements = item_elements(rules, item)
        assert any(e.kind == "conduct" for e in elements), item
        for e in elements:
            assert all(e.words in v.text for v in rules.provisions[e.provision].versions), (item, e.id)


def test_validate_refuses_an_element_whose_words_are_not_in_the_article(runner, rules_copy):
    path = rules_copy / "elements.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["items"]["CF-04"]["elements"][1]["words"] = "提供虚假的能源数据"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = runner.invoke(app, ["rules", "validate", str(rules_copy)])
    assert result.exit_code == 2
    assert "“提供虚假的能源数据”不在 节约能源法 第七十六条" in result.stderr
    assert "elements.yaml" in result.stderr


def test_validate_refuses_an_element_named_like_a_decisive_fact(runner, rules_copy):
    path = rules_copy / "elements.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["items"]["CF-04"]["elements"][1]["name"] = "违法所得"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = runner.invoke(app, ["rules", "validate", str(rules_copy)])
    assert result.exit_code == 2 and "名称 违法所得 重复" in result.stderr


def test_a_draft_without_evidence_lists_it_as_not_filled_and_keeps_its_verdict():
    raw = sample("penalty/CF-04/lawful_general_tier.yaml")
    result = check(draft(raw), shipped_rules(), "x.yaml")
    entry = next(e for e in result.not_checked if e.field == "evidence")
    assert entry.affects_verdict is False and set(entry.codes) == {"ELEMENT_UNEVIDENCED", "DECISIVE_FACT_UNEVIDENCED"}
    assert result.verdict == "pass"


def test_an_empty_evidence_list_is_checked_and_warns_without_accountability():
    raw = sample("penalty/CF-04/lawful_general_tier.yaml")
    raw["evidence"] = []
    result = check(draft(raw), shipped_rules(), "x.yaml")
    codes = {f.code: f for f in result.findings}
    assert {"ELEMENT_UNEVIDENCED", "DECISIVE_FACT_UNEVIDENCED"} <= set(codes)
    for code in ("ELEMENT_UNEVIDENCED", "DECISIVE_FACT_UNEVIDENCED"):
        assert codes[code].severity == "warning" and codes[code].accountability is None
    subject = "「违法主体」（节约能源法 第七十六条：“从事节能咨询、设计、评估、检测、审计、认证等服务的机构”）"
    assert subject in codes["ELEMENT_UNEVIDENCED"].message
    assert result.verdict == "warn"


def test_proves_names_an_element_by_name_or_id_after_normalising():
    rules = shipped_rules()
    assert find_provable(rules, "CF-04", "违法主体").key == "element:subject"
    assert find_provable(rules, "CF-04", " subject ").key == "element:subject"
    assert find_provable(rules, "CF-04", "违法所得").key == "decisive:illegal_gains"
    assert find_provable(rules, "CF-04", "主动消除或者减轻违法行为危害后果").key.startswith("factor:")
    assert find_provable(rules, "CF-04", "情节严重") is None  # an element of CF-02 and CF-03, not of 第七十六条


def test_the_facts_are_kept_verbatim_and_never_decide_anything():
    raw = sample("penalty/CF-04/lawful_general_tier.yaml")
    plain = check(draft(raw), shipped_rules(), "x.yaml")
    raw["violation"]["facts"] = "当事人情节严重，违法所得100万元，不予处罚。<b>&amp;"
    result = check(draft(raw), shipped_rules(), "x.yaml")
    assert draft(raw).violation.facts == "当事人情节严重，违法所得100万元，不予处罚。<b>&amp;"
    assert [f.code for f in result.findings] == [f.code for f in plain.findings] and result.verdict == plain.verdict
