"""Properties of the fine-range rule and of random drafts (hypothesis)."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import draft, sample, shipped_rules, with_fine
from quanze.engine.check.checker import check
from quanze.engine.model.drafts import validate_draft
from quanze.engine.model.errors import InputError

RANGES = {"penalty/CF-04/lawful_general_tier.yaml": (50000, 100000), "penalty/CF-05/lawful_fine.yaml": (10000, 30000)}


def codes(raw):
    return {f.code for f in check(draft(raw), shipped_rules(), "p.yaml").findings}


@settings(max_examples=60, deadline=None)
@given(case=st.sampled_from(sorted(RANGES)), data=st.data())
def test_any_fine_inside_the_range_passes_the_range_rule(case, data):
    low, high = RANGES[case]
    fine = data.draw(st.integers(min_value=low, max_value=high))
    found = codes(with_fine(sample(case), fine))
    assert not found & {"FINE_ABOVE_MAX", "FINE_BELOW_MIN"}


@settings(max_examples=60, deadline=None)
@given(case=st.sampled_from(sorted(RANGES)), data=st.data())
def test_any_fine_above_the_maximum_fails(case, data):
    _, high = RANGES[case]
    fine = data.draw(st.integers(min_value=high + 1, max_value=high * 100))
    assert "FINE_ABOVE_MAX" in codes(with_fine(sample(case), fine))


@settings(max_examples=40, deadline=None)
@given(case=st.sampled_from(sorted(RANGES)), data=st.data())
def test_fine_text_and_number_give_the_same_findings(case, data):
    wan = data.draw(st.integers(min_value=1, max_value=20))
    assert codes(with_fine(sample(case), f"{wan}万元")) == codes(with_fine(sample(case), wan * 10000))


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**7),
    st.text(max_size=8),
    st.sampled_from(["2026-02-30", "2026-06-20", "2019-01-01", "2027-03-01", "5万元", "abc"]),
)
values = st.recursive(
    scalars, lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)), max_leaves=8
)


def mutate(raw, data):
    """Replace, drop or add a few fields anywhere in the draft."""
    for _ in range(data.draw(st.integers(1, 4))):
        node = raw
        path = []
        while isinstance(node, (dict, list)) and node and data.draw(st.booleans()):
            key = data.draw(st.sampled_from(sorted(node) if isinstance(node, dict) else list(range(len(node)))))
            path.append((node, key))
            node = node[key]
        if not path:
            continue
        parent, key = path[-1]
        action = data.draw(st.sampled_from(["replace", "drop", "add"]))
        if action == "replace":
            parent[key] = data.draw(values)
        elif action == "drop" and isinstance(parent, dict):
            del parent[key]
        elif isinstance(parent, dict):
            parent[data.draw(st.text(max_size=6))] = data.draw(values)
    return raw


CASES = [
    "filing/QT-06/decided_8th_workday_across_national_day.yaml",
    "filing/QT-04/large_store_promotion_filed.yaml",
    "inspection/JC-08/seizure_approved.yaml",
    "complaint/QT-01/handled_in_time.yaml",
    "penalty/CF-04/lawful_general_tier.yaml",
    "penalty/CF-05/lawful_fine.yaml",
    "penalty/CF-02/closure_referral_serious.yaml",
    "penalty/CF-03/closure_referral_after_failed_remediation.yaml",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=st.sampled_from(CASES), data=st.data())
def test_random_drafts_never_crash(case, data):
    raw = mutate(sample(case), data)
    try:
        result = check(validate_draft(raw, "r.yaml"), shipped_rules(), "r.yaml")
    except InputError as exc:
        assert exc.problems and all(str(p).startswith("r.yaml") for p in exc.problems)
        return
    json.dumps(result.to_json(), ensure_ascii=False)
    assert result.verdict in ("pass", "warn", "incomplete", "fail")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=st.sampled_from(CASES), data=st.data())
def test_random_draft_files_exit_0_1_or_2_without_traceback(case, data):
    import tempfile
    from pathlib import Path

    import yaml
    from typer.testing import CliRunner

    from quanze.cli.main import app

    raw = mutate(sample(case), data)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "r.yaml"
        path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
        result = CliRunner().invoke(app, ["check", str(path), "--format", "json"])
    assert result.exit_code in (0, 1, 2), result.output
    assert "Traceback" not in result.output
    if result.exit_code == 2:
        assert result.stdout == "" and result.stderr.startswith(str(path))
    else:
        json.loads(result.stdout)
