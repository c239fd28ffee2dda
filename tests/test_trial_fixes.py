"""Fixes found trying the new parts as an officer and a 法制审核 reviewer would (helper trial)."""

from __future__ import annotations

from helpers import draft, sample, shipped_rules
from quanze.engine.check.checker import check


def test_seizure_approval_cites_the_paragraph_that_requires_it():
    """食盐专营办法 第二十三条: the measure is in 第一款第（三）项, the duty to report to and be approved by the
    主要负责人 is in 第二款; a finding about the approval names both."""
    raw = sample("inspection/JC-08/seizure_approved_by_title_and_name.yaml")
    raw["approvals"][0]["on"] = "2026-05-13"  # the day after the seizure
    result = check(draft(raw), shipped_rules(), "t.yaml")
    found = [f for f in result.findings if f.code == "MEASURE_APPROVAL_MISSING"]
    assert found and "第二十三条第一款第（三）项、第二款" in found[0].message
