"""Fixes found trying the new parts as an officer and a 法制审核 reviewer would (helper trial)."""

from __future__ import annotations

from helpers import draft, sample, shipped_rules
from quanze.engine.check.checker import check


def test_seizure_approval_cites_the_paragraph_that_requires_it():
    """食盐专营办法 第二十三条: the measure is in 第一款第（三）项, the duty to report to and be approved by the
    主要负责人 is in 第二款; a finding about the approval names both."""
    raw = sample("inspection/JC-08/seizure_approved_by_title_and_name.yaml")
    raw["approvals"][0]["approved_by"] = "分管副局长"  # not the 主要负责人
    result = check(draft(raw), shipped_rules(), "t.yaml")
    found = [f for f in result.findings if f.code == "MEASURE_APPROVAL_MISSING"]
    assert found and "第二十三条第一款第（三）项、第二款" in found[0].message


def test_seizure_approved_by_the_head_only_the_next_day_is_a_warning_with_both_readings():
    """第二十三条第二款 says before; the same article defers to 行政强制法, whose urgent-case rule is not encoded:
    a warning stating both readings, never MEASURE_APPROVAL_MISSING with 追责 on a guess."""
    raw = sample("inspection/JC-08/seizure_approved_by_title_and_name.yaml")
    raw["approvals"][0]["on"] = "2026-05-13"  # the day after the seizure
    result = check(draft(raw), shipped_rules(), "t.yaml")
    codes = {f.code: f for f in result.findings}
    assert "MEASURE_APPROVAL_MISSING" not in codes and result.verdict == "warn"
    after = codes["MEASURE_APPROVED_AFTER"]
    assert after.severity == "warning" and "行政强制法" in after.message and "未作追责认定" in after.message
    assert not after.accountability or not after.accountability.triggers


def test_random_selection_and_publication_cite_the_items_own_article():
    """Helper trial: 双随机 and 公示 findings cited 行政处罚法 第五十四条 / 第四十八条 (neither is about them);
    they cite the item's own article (rules/inspection/<JC-xx>.yaml random_source / publish_source)."""
    pairs = (("random_check_not_random", "RANDOM_SELECTION_MISSING"), ("result_not_published", "INSPECTION_RESULT_NOT_PUBLISHED"))
    for case, code in pairs:
        result = check(draft(sample(f"inspection/JC-01/{case}.yaml")), shipped_rules(), "t.yaml")
        found = next(f for f in result.findings if f.code == code)
        assert found.basis == ["外商投资信息报告办法 第二十一条"], found.basis
        assert "{" not in found.message and "外商投资信息报告办法 第二十一条" in found.message


def test_an_inspection_file_requiring_random_selection_without_its_article_is_refused(runner, rules_copy):
    from quanze.cli.main import app

    path = rules_copy / "inspection" / "JC-04.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text("\n".join(line for line in text.splitlines() if not line.startswith("random_source:")) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["rules", "validate", str(rules_copy)])
    assert result.exit_code == 2 and "random_source" in result.stderr, result.output
