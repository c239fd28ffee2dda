"""Properties of the procedure checks (issue 12 §5, §7): a lawful timeline never gets an error, and
leaving a section out of a lawful draft never turns it into an error (only into 未完成)."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lawful import _rolled  # a period end lawful under every reading of an unknown 调休 or festival

from helpers import draft, sample, shipped_rules
from quanze.engine.check.checker import check
from quanze.engine.law.workdays import calendar_from
from quanze.engine.model.drafts import PROCEDURE_STEPS

SUBKEYS = ("notice.rights", "notice.proposed")
BASE = "penalty/CF-05/decision_on_day_90.yaml"  # organisation, 罚款 2万元: a hearing right


def _calendar():
    return calendar_from(shipped_rules().calendar)


@st.composite
def lawful_timelines(draw):
    """A CF-05 draft whose procedure steps are all taken, in order and in time."""
    cal = _calendar()
    raw = sample(BASE)
    p = raw["procedure"]
    filed = dt.date(2025, 1, 1) + dt.timedelta(days=draw(st.integers(0, 540)))
    notice = filed + dt.timedelta(days=draw(st.integers(1, 40)))
    way = draw(st.sampled_from(["window_closed", "waived", "held"]))
    review = None
    if way == "window_closed":  # no request: decide after the 5 working days of 第六十四条
        earliest = cal.add_workdays(notice, 6)
        hearing = None
    elif way == "waived":
        earliest = notice + dt.timedelta(days=1)
        hearing = {"requested_on": None, "waived": True, "notified_on": None, "held_on": None}
    else:
        requested = cal.add_workdays(notice, draw(st.integers(1, 5)))
        notified = requested + dt.timedelta(days=draw(st.integers(0, 5)))
        held = cal.add_workdays(notified, 7 + draw(st.integers(0, 5)))
        hearing = {"requested_on": requested, "waived": False, "notified_on": notified, "held_on": held}
        review = held + dt.timedelta(days=draw(st.integers(0, 3)))
        earliest = review
    extension = draw(st.sampled_from([0, 0, 30]))  # an extension approved in time (its basis unverified: a warning)
    limit = _rolled(cal, filed + dt.timedelta(days=90 + extension))
    if earliest > limit:
        return None
    decided = earliest + dt.timedelta(days=draw(st.integers(0, (limit - earliest).days)))
    if extension:
        last_approval = min(_rolled(cal, filed + dt.timedelta(days=90)), decided)
        approved = filed + dt.timedelta(days=draw(st.integers(1, (last_approval - filed).days)))
        p["extension"] = {"days": extension, "approved_on": approved, "basis": "某规章 第N条"}
    p["filed_on"] = filed
    p["notice"]["served_on"] = notice
    p["hearing"] = hearing
    p["legal_review"] = {"on": review, "passed": True} if review else None
    p["statement_made"] = draw(st.booleans())
    p["served_on"] = cal.add_workdays(decided, draw(st.integers(0, 7)))
    raw["decision"]["decided_on"] = decided
    raw["violation"]["committed_on"] = filed - dt.timedelta(days=60)
    raw["violation"]["ended_on"] = filed - dt.timedelta(days=30)
    raw["violation"]["discovered_on"] = filed - dt.timedelta(days=2)
    return raw


def errors(raw):
    result = check(draft(raw), shipped_rules(), "p.yaml")
    return result, [f.code for f in result.findings if f.severity == "error"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(raw=lawful_timelines())
def test_a_lawful_timeline_never_gets_an_error(raw):
    if raw is None:
        return
    result, errs = errors(raw)
    assert errs == [], (errs, [f.message for f in result.findings])
    assert result.verdict in ("pass", "warn")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(raw=lawful_timelines(), drop=st.sets(st.sampled_from([*PROCEDURE_STEPS, "procedure", *SUBKEYS]), min_size=1))
def test_leaving_sections_out_of_a_lawful_draft_never_gives_an_error(raw, drop):
    if raw is None:
        return
    for key in drop:
        if key == "procedure":
            raw.pop("procedure", None)
        elif "procedure" in raw and key.startswith("notice."):
            if raw["procedure"].get("notice"):
                raw["procedure"]["notice"].pop(key.split(".")[1], None)
        elif "procedure" in raw:
            raw["procedure"].pop(key, None)
    result, errs = errors(raw)
    assert errs == [], (drop, errs)
    assert result.verdict in ("pass", "warn", "incomplete")
