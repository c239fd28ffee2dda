"""``quanze explain`` a person reads: derivations first, each check once by outcome, passing checks titled by
what was checked, ≤ 150 lines for the CF sample drafts; ``--full`` keeps the exhaustive listing; JSON ``reasoning``."""

from __future__ import annotations

import datetime as dt
import itertools
import json

import pytest
from typer.testing import CliRunner

from conftest import CASES
from quanze.cli.main import app
from quanze.engine import api
from quanze.engine.batch.review import walk
from quanze.engine.law.workdays import days_text
from quanze.engine.model.errors import QuanzeError
from quanze.engine.present.reasoning import reasoning

CF05 = CASES / "penalty/CF-05/served_8th_workday_across_national_day.yaml"
WIDE = CliRunner(env={"COLUMNS": "200"})


def cf_samples(rules) -> list:
    out = []
    for item in ("CF-01", "CF-02", "CF-03", "CF-04", "CF-05"):
        for f in walk(CASES / "penalty" / item)[0]:
            try:
                out.append(api.check_file(f, rules))
            except QuanzeError:  # samples of bad input
                continue
    return out


def test_every_cf_sample_explains_in_at_most_150_lines(rules, monkeypatch):
    from quanze.cli import render

    monkeypatch.setattr(render, "columns", lambda: 80)
    results = cf_samples(rules)
    assert len(results) > 50
    lengths = {r.file: len(render.typeset(render.reasoning_text(r, rules)).splitlines()) for r in results}
    worst = max(lengths, key=lengths.get)
    assert lengths[worst] <= 150, (worst, lengths[worst])


def test_each_check_once_passes_titled_by_what_was_checked(rules):
    for result in cf_samples(rules):
        r = reasoning(result, rules).dump()
        codes = [c["code"] for group in r["checks"].values() for c in group]
        assert len(codes) == len(set(codes)), result.file
        for c in r["checks"]["pass"]:
            assert c["title"] == rules.findings[c["code"]].checked != rules.findings[c["code"]].title
        fails = {c["code"] for c in r["checks"]["fail"]}
        assert {f.code for f in result.findings if f.severity == "error"} <= fails, result.file


def test_a_check_over_several_sanctions_is_one_line_with_its_variants(rules):
    r = reasoning(api.check_file(CF05, rules), rules).dump()
    missing = next(c for c in r["checks"]["pass"] if c["code"] == "SANCTION_MISSING")
    assert {"罚款", "责令改正"} <= set(missing["variants"])


def test_text_default_derivations_first_and_full_keeps_the_listing():
    res = WIDE.invoke(app, ["explain", str(CF05)])
    assert res.exit_code == 1, res.output
    out = res.stdout
    assert out.index("推导：") < out.index("检查了 ") < out.index("不通过（1 项）") < out.index("通过（")
    assert "2026-10-01 至 10-07（国庆节）" in out  # days skipped, as runs
    assert "法定必须给予的处理均已给予" in out and "读取：" not in out
    full = WIDE.invoke(app, ["explain", str(CF05), "--full"]).stdout
    assert "读取：" in full and "已检查 " in full and len(full.splitlines()) > len(out.splitlines())


def test_json_reasoning_shape_beside_the_unchanged_trace():
    res = WIDE.invoke(app, ["explain", str(CF05), "--format", "json"])
    out = json.loads(res.stdout)
    assert "trace" in out["explanation"] and out["explanation"]["trace"]["checks"]
    r = out["reasoning"]
    assert set(r) == {"derivations", "checks"} and set(r["checks"]) == {"fail", "unknown", "pass"}
    assert all(set(d) == {"title", "lines"} and all(isinstance(x, str) for x in d["lines"]) for d in r["derivations"])
    for group in r["checks"].values():
        for c in group:
            assert set(c) == {"code", "title", "variants", "basis"}
    assert [c["code"] for c in r["checks"]["fail"]] == ["SERVICE_LATE"]
    assert r["derivations"][0]["title"] == "自然日计算"


@pytest.mark.parametrize(
    ("days", "words"),
    [
        ([("2026-10-01", "国庆节"), ("2026-10-02", "国庆节"), ("2026-10-11", "周末")], "2026-10-01 至 10-02（国庆节）、2026-10-11（周末）"),
        ([("2026-12-31", "周末"), ("2027-01-01", "元旦")], "2026-12-31（周末）、2027-01-01（元旦）"),
    ],
)
def test_days_text(days, words):
    """Skipped days are records (day, reason), worded once: runs of one reason together."""
    assert days_text([(dt.date.fromisoformat(d), why) for d, why in days]) == words


@pytest.mark.parametrize(
    ("case", "fact", "field", "label"),
    [
        ("complaint/QT-01/fee_charged.yaml", "fee_charged", "fee_charged", "收取费用"),  # a complaint: at the top level
        ("complaint/QT-01/fee_charged.yaml", "outcome", "outcome", "办理结果"),
        ("filing/QT-02/applicant_card_issuer.yaml", "outcome", "decision.outcome", "办理结果"),  # a filing: its decision
        ("inspection/JC-01/random_check_published.yaml", "n_uncertified", "inspectors.certificate", "检查人员证件号"),
        ("penalty/CF-05/execution/closed.yaml", "n_uncertified", "procedure.officers.certificate", "执法人员证件号"),
    ],
)
def test_a_trace_row_names_the_field_of_its_own_draft_kind(rules, case, fact, field, label):
    out = api.result_json(api.check_file(CASES / case, rules), explain=True, rules=rules)
    rows = [f for c in out["explanation"]["trace"]["checks"] for f in c["facts"] if f["fact"] == fact]
    assert rows and {(r["field"], r["field_label"]) for r in rows} == {(field, label)}


def test_an_open_case_lists_no_empty_derivation(rules):
    """An open case counts no working day (its decision day is a stand-in): the listing names no empty section."""
    from quanze.cli import render

    result = api.check_file(CASES / "penalty/CF-05/open/legal_review_done.yaml", rules)
    assert result.explanation["derived"].get("工作日计算") == []  # the record as it was; only the text drops it
    text = render.explanation_text(result, rules)
    derived = text.split("推导过程：\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert "工作日计算" not in text
    assert all(line.startswith("    ") for a, line in itertools.pairwise(derived) if not a.startswith("    ")), derived
