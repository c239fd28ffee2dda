"""Every sample case in cases/ produces what its expectation says; every finding code has a case."""

import pytest

from conftest import CASES
from quanze.engine.cases import find_cases, read_expectation, run_case

ALL = find_cases(CASES)


@pytest.mark.parametrize("draft", ALL, ids=[str(p.relative_to(CASES)) for p in ALL])
def test_case_meets_its_expectation(rules, draft):
    outcome = run_case(draft, rules)
    assert outcome.passed, outcome.problems


def test_every_registered_finding_code_is_produced_by_a_case_and_avoided_by_another(rules):
    present, absent_or_passing = set(), set()
    for draft in ALL:
        expect = read_expectation(draft)
        present.update(expect.present)
        absent_or_passing.update(expect.absent)
    missing = sorted(set(rules.findings) - present)
    assert not missing, f"codes without a case that produces them: {missing}"
    no_near_miss = sorted(set(rules.findings) - absent_or_passing)
    assert not no_near_miss, f"codes without a near-miss case: {no_near_miss}"


def test_cases_have_narrative_and_teaching():
    for draft in ALL:
        expect = read_expectation(draft)
        assert expect.narrative.strip() and expect.teaching.strip() and expect.name.strip(), draft
