"""Acceptance property of issues #12 and #17: a draft lawful by construction never gets an error finding,
whatever covered role and conduct it names (party.role, violation.conduct, target.role, applicant.role)."""

import datetime as dt
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lawful import covered_roles, lawful_executed_drafts, lawful_open_drafts, lawful_penalty_drafts

from helpers import draft, sample, shipped_rules
from quanze.engine.check.checker import check

CASES = Path(__file__).resolve().parent.parent / "cases"
SUBJECT_CODES = {"SUBJECT_NOT_COVERED", "SUBJECT_UNCERTAIN", "CONDUCT_NOT_COVERED"}
RECORD_CODES = {"TARGET_NOT_COVERED", "TARGET_UNCERTAIN", "APPLICANT_NOT_COVERED", "APPLICANT_UNCERTAIN"}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=lawful_penalty_drafts())
def test_a_lawful_draft_gets_no_error(raw):
    result = check(draft(raw), shipped_rules(), "lawful.yaml")
    errors = [f"{f.code}: {f.message}" for f in result.findings if f.severity == "error"]
    assert not errors, (raw, errors)
    assert not SUBJECT_CODES & {f.code for f in result.findings}, raw
    written = {"party.role": raw["party"].get("role"), "violation.conduct": raw["violation"].get("conduct")}
    listed = {entry.field for entry in result.not_checked}
    assert {k for k, v in written.items() if v is not None}.isdisjoint(listed), (written, result.not_checked)


def _lawful_records() -> list[tuple[str, str]]:
    """(case, role field) of every sample inspection and filing that passes, without a role of its own."""
    out = []
    for kind, section in (("inspection", "target"), ("filing", "applicant")):
        for expect in sorted((CASES / kind).glob("*/*.expect.yaml")):
            case = expect.with_name(expect.name.replace(".expect.yaml", ".yaml"))
            raw = yaml.safe_load(case.read_text(encoding="utf-8"))
            if yaml.safe_load(expect.read_text(encoding="utf-8")).get("verdict") == "pass" and "role" not in raw[section]:
                out.append((f"{kind}/{case.parent.name}/{case.name}", section))
    return out


RECORDS = _lawful_records()


def test_every_inspection_and_filing_item_has_a_lawful_record_here():
    items = {case.split("/")[1] for case, _ in RECORDS}
    assert {f"JC-0{i}" for i in range(1, 9)} | {f"QT-0{i}" for i in range(2, 7)} <= items


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
@pytest.mark.parametrize(("case", "section"), RECORDS[:: max(1, len(RECORDS) // 12)] or RECORDS)
def test_a_lawful_record_with_a_covered_role_stays_lawful(case, section, data):
    raw = sample(case)
    roles = covered_roles(raw["item"])
    if roles:
        raw[section]["role"] = data.draw(st.sampled_from(roles))
    result = check(draft(raw), shipped_rules(), case)
    assert not [f for f in result.findings if f.severity == "error"], (case, raw[section])
    assert not RECORD_CODES & {f.code for f in result.findings}, (case, raw[section])
    assert result.verdict == "pass", (case, raw[section], [f.code for f in result.findings])


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=lawful_open_drafts())
def test_a_lawful_case_cut_at_any_stage_gets_no_error(raw):
    """Issue 26 §1: every prefix of a lawful timeline is an open case with no error and no 未完成 noise."""
    result = check(draft(raw), shipped_rules(), "open.yaml")
    errors = [f"{f.code}: {f.message}" for f in result.findings if f.severity == "error"]
    assert not errors, (raw, errors)
    assert result.open is True and result.stage.code != "decided"
    assert result.verdict in ("pass", "warn"), (raw, result.verdict, result.not_checked)
    assert all(n.affects_verdict is False for n in result.not_checked), result.not_checked


EVIDENCE_CODES = {"ELEMENT_UNEVIDENCED", "DECISIVE_FACT_UNEVIDENCED"}


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=lawful_penalty_drafts(evidence=True))
def test_a_lawful_draft_with_every_element_evidenced_gets_no_evidence_finding(raw):
    """Issue 27 acceptance: every element and relied-on fact evidenced, nothing from §2, and the check was made."""
    result = check(draft(raw), shipped_rules(), "lawful.yaml")
    assert not [f for f in result.findings if f.severity == "error"], raw
    assert not EVIDENCE_CODES & {f.code for f in result.findings}, (raw, [f.message for f in result.findings])
    assert "evidence" not in {entry.field for entry in result.not_checked}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=lawful_executed_drafts())
def test_a_lawful_payment_or_enforcement_gets_no_error(raw):
    """Issue 26 §2: paid in time, deferred, or enforced after a 催告 and ten working days: no error."""
    result = check(draft(raw), shipped_rules(), "executed.yaml")
    errors = [f"{f.code}: {f.message}" for f in result.findings if f.severity == "error"]
    assert not errors, (raw, errors)
    assert not {"ENFORCEMENT_TIMING_UNCERTAIN"} & {f.code for f in result.findings}
    assert result.stage.code in ("execution", "closed")


PEOPLE_CODES = {
    "HEARING_PRESIDED_BY_INVESTIGATOR",
    "HEARING_PRESIDER_UNCERTAIN",
    "RECUSAL_UNDECIDED",
    "RECUSAL_UNCERTAIN",
    "LEGAL_REVIEWER_UNQUALIFIED",
    "LEGAL_REVIEWER_QUALIFICATION_UNCERTAIN",
    "COLLECTIVE_WITHOUT_HEAD",
}


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=lawful_penalty_drafts(people=True))
def test_a_lawful_draft_with_its_people_recorded_gets_no_people_finding(raw):
    """Issue 27 §3: a presider who is no investigator (also one of the same name under another number), a 回避
    decided in time, a qualified or experienced reviewer, a 负责人 in the 集体讨论: no error, no people finding."""
    result = check(draft(raw), shipped_rules(), "lawful.yaml")
    assert not [f for f in result.findings if f.severity == "error"], raw
    assert not PEOPLE_CODES & {f.code for f in result.findings}, (raw, [f.message for f in result.findings])


MEASURE_CODES = {
    "COERCIVE_NOT_APPROVED",
    "COERCIVE_REPORT_LATE",
    "COERCIVE_OFFICERS_INSUFFICIENT",
    "COERCIVE_PROCEDURE_MISSING",
    "COERCIVE_DOCUMENTS_NOT_DELIVERED",
    "COERCIVE_PERIOD_EXCEEDED",
    "COERCIVE_EXTENSION_EXCESSIVE",
    "COERCIVE_TIMING_UNCERTAIN",
    "COERCIVE_APPROVER_UNCERTAIN",
    "COERCIVE_APPROVAL_NOT_COMPLETED",
    "PRESERVATION_NOT_APPROVED",
    "PRESERVATION_DECISION_LATE",
    "PRESERVATION_UNCERTAIN",
}


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=lawful_penalty_drafts(measures=True))
def test_a_lawful_draft_with_its_measures_gets_no_measure_finding(raw):
    """Issue 26 §3: 查封、扣押 approved before, by two officers, the party notified, a 现场笔录, the documents handed
    over on the spot and handled within 29 days; 先行登记保存 approved and handled within seven working days."""
    result = check(draft(raw), shipped_rules(), "lawful.yaml")
    assert not [f for f in result.findings if f.severity == "error"], raw
    assert not MEASURE_CODES & {f.code for f in result.findings}, (raw, [f.message for f in result.findings])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=lawful_penalty_drafts(measures=True), data=st.data())
def test_a_lawful_case_with_measures_cut_at_any_day_gets_no_measure_finding(raw, data):
    """The same case file as it stood on any day from 立案 to the day before the decision: a measure not yet handled
    (ended_on: null) is within its period as of the record's last date."""
    from lawful import cut_at

    filed, decided = raw["procedure"]["filed_on"], raw["decision"]["decided_on"]
    day = data.draw(st.dates(filed, max(filed, decided - dt.timedelta(days=1))))
    result = check(draft(cut_at(raw, day)), shipped_rules(), "lawful.yaml")
    assert not [f for f in result.findings if f.severity == "error"], raw
    assert not MEASURE_CODES & {f.code for f in result.findings}, (raw, day, [f.message for f in result.findings])
