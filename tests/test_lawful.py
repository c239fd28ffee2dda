"""Acceptance property of issue #12: a draft lawful by construction never gets an error finding."""

from hypothesis import HealthCheck, given, settings
from lawful import lawful_penalty_drafts

from helpers import draft, shipped_rules
from quanze.engine.check import check


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=lawful_penalty_drafts())
def test_a_lawful_draft_gets_no_error(raw):
    result = check(draft(raw), shipped_rules(), "lawful.yaml")
    errors = [f"{f.code}: {f.message}" for f in result.findings if f.severity == "error"]
    assert not errors, (raw, errors)
