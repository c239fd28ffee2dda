"""``quanze deadlines`` and ``POST /api/v1/deadlines``: each step's last lawful day against the calendar, the CLI,
folder sorting, and agreement with the checks (a step on its last day passes, the next working day fails)."""

from __future__ import annotations

import datetime as dt
import json

import httpx
import pytest
from test_server_process import QUANZE, serving

from conftest import CASES
from helpers import sample
from quanze.cli.main import app
from quanze.engine import api
from quanze.engine.batch.review import walk
from quanze.engine.law.workdays import calendar_from
from quanze.engine.model.errors import QuanzeError

D = dt.date.fromisoformat
CF05 = "penalty/CF-05/served_8th_workday_across_national_day.yaml"  # filed 07-01, notice 09-01, decided 09-29


def steps(raw: dict, rules, today: str) -> dict[str, dict]:
    out = api.deadlines_document(raw, rules, "请求", D(today))
    assert out["today"] == today
    return {d["step"]: d for d in out["deadlines"]}


def codes(raw: dict, rules) -> set[str]:
    return {f.code for f in api.check_document(raw, rules, "请求").findings}


def test_hearing_window_across_spring_festival_counts_the_make_up_saturday(rules):
    raw = sample(CF05)
    raw["violation"].update(committed_on="2025-11-01", ended_on="2026-01-15", discovered_on="2026-01-20")
    raw["procedure"].update(filed_on="2026-01-26", served_on=None)
    raw["procedure"]["notice"]["served_on"] = "2026-02-12"  # Thursday before 春节 (2026-02-15 … 02-23)
    raw["decision"]["decided_on"] = "2026-03-02"
    d = steps(raw, rules, "2026-02-13")["hearing_request"]
    # 02-13 (1), 02-14 调休上班 Saturday (2), 02-24 (3), 02-25 (4), 02-26 (5)
    assert d["last_day"] == "2026-02-26" and d["last_day_range"] is None
    assert d["status"] == "open" and d["remaining_workdays"] == 4 and d["words"] == "剩余 4 个工作日"
    assert any(s.startswith("2026-02-16") and "春节" in s for s in d["skipped"])
    assert not any(s.startswith("2026-02-14") for s in d["skipped"])  # the make-up Saturday is a working day
    assert "第六十四条" in d["basis"]
    assert steps(raw, rules, "2026-02-26")["hearing_request"]["words"] == "今日到期"


def test_service_across_national_day_agrees_with_the_check(rules):
    raw = sample(CF05)
    raw["procedure"]["served_on"] = None
    d = steps(raw, rules, "2026-10-09")["service"]
    # decided 09-29: 09-30 (1), 10-08 (2), 10-09 (3), 10-10 调休上班 Saturday (4), 10-12 … 10-14 (7)
    assert d["last_day"] == "2026-10-14" and d["status"] == "open" and d["remaining_workdays"] == 4
    assert any("国庆节" in s for s in d["skipped"]) and not any(s.startswith("2026-10-10") for s in d["skipped"])
    assert steps(raw, rules, "2026-10-16")["service"]["words"] == "已逾期 2 日"
    raw["procedure"]["served_on"] = "2026-10-14"  # the last day: lawful
    assert steps(raw, rules, "2026-10-20")["service"]["words"] == "已按期完成（2026-10-14）"
    assert "SERVICE_LATE" not in codes(raw, rules)
    raw["procedure"]["served_on"] = "2026-10-15"  # the next working day: the check's finding
    late = steps(raw, rules, "2026-10-20")["service"]
    assert late["status"] == "late" and late["overdue_days"] == 1
    assert "SERVICE_LATE" in codes(raw, rules)


def test_decision_limit_rolls_over_national_day(rules):
    raw = sample("penalty/CF-05/decided_first_workday_after_national_day.yaml")  # filed 07-05: day 90 is 10-03
    d = steps(raw, rules, "2026-09-30")["decision"]
    assert d["last_day"] == "2026-10-08" and "民事诉讼法 第八十五条" in d["basis"]
    assert d["status"] == "open" and "期满日 2026-10-03" in d["counted"]
    assert "DECISION_OVERDUE" not in codes(raw, rules)
    raw["decision"]["decided_on"] = "2026-10-09"
    raw["procedure"]["served_on"] = "2026-10-09"
    assert steps(raw, rules, "2026-10-20")["decision"]["status"] == "late"
    assert "DECISION_OVERDUE" in codes(raw, rules)


def test_hearing_notice_latest_day_agrees_with_the_check(rules):
    raw = sample("penalty/CF-05/hearing_held_no_legal_review_uncertain.yaml")
    hearing = raw["procedure"]["hearing"]
    hearing["notified_on"] = None
    hearing["held_on"] = "2026-04-08"  # seven working days before it stay clear of 2026's expected 肉孜节 (no notice: a range)
    held = D(str(hearing["held_on"]))
    d = steps(raw, rules, str(held - dt.timedelta(days=30)))["hearing_notice"]
    last = D(d["last_day"])
    cal = calendar_from(rules.calendar)
    assert int(cal.count(last, held)) == 7 and cal.is_workday(last)
    assert int(cal.count(last + dt.timedelta(days=1), held)) < 7 or not cal.is_workday(last + dt.timedelta(days=1))


def test_a_year_without_the_state_council_arrangement_gives_a_range(rules):
    raw = sample(CF05)
    raw["violation"].update(committed_on="2027-01-10", ended_on="2027-01-15", discovered_on="2027-06-29")
    raw["decision"]["decided_on"] = "2027-09-28"
    raw["procedure"].update(filed_on="2027-07-01", served_on=None)
    raw["procedure"]["notice"]["served_on"] = "2027-09-01"
    d = steps(raw, rules, "2027-09-29")["service"]
    assert d["last_day"] is None
    low, high = map(D, d["last_day_range"])
    assert low < high and D("2027-10-01") < high  # 国庆 2027-10-01 … is never a working day
    assert "2027 年的国务院放假安排未公布" in d["counted"]
    assert "取决于调休安排" in d["words"]
    assert any("调休安排未知" in s for s in d["skipped"])


def test_limitation_is_two_years_from_the_end_of_the_act(rules):
    raw = sample(CF05)
    d = steps(raw, rules, "2026-09-20")["limitation"]
    assert d["last_day"] == "2028-01-15" and d["status"] == "met" and "第三十六条" in d["basis"]


def test_filing_and_complaint_limits(rules):
    raw = sample("filing/QT-06/decided_8th_workday_across_national_day.yaml")
    raw["dates"]["decided_on"] = None
    d = steps(raw, rules, "2026-09-29")["filing_decision"]
    assert d["status"] == "open" and d["last_day"] and "第七条" in d["basis"]
    raw = sample("complaint/QT-01/verified_across_national_day.yaml")
    d = steps(raw, rules, "2027-01-01")["complaint_verification"]
    assert d["status"] == "met" and "第十七条" in d["basis"]


@pytest.mark.parametrize("kind", ["penalty", "filing", "complaint"])
def test_every_sample_case_agrees_with_its_check(rules, kind):
    """A step the deadline calls late is the check's finding; one it calls met is not (the same YAML)."""
    code_of = {
        "service": "SERVICE_LATE",
        "decision": "DECISION_OVERDUE",
        "filing_decision": "FILING_DECISION_OVERDUE",
        "complaint_verification": "COMPLAINT_VERIFICATION_OVERDUE",
    }
    files, _ = walk(CASES / kind)
    seen = 0
    for f in files:
        try:
            draft = api.read_file(f, rules)
        except QuanzeError:  # the invalid samples
            continue
        found = {x.code for x in api.check_file(f, rules).findings}
        for d in api.deadlines_of(draft, rules, D("2031-01-01"))["deadlines"]:
            code = code_of.get(d["step"])
            if code is None or not d["words"].startswith(("已按期", "逾期")):
                continue
            seen += 1
            assert (d["status"] == "late") == (code in found), (f, d)
    assert seen


def test_cli_text_json_and_folder_sorting(runner, tmp_path):
    one = CASES / CF05
    res = runner.invoke(app, ["deadlines", str(one), "--today", "2026-09-20"])
    assert res.exit_code == 0, res.output
    assert "今天：2026-09-20（由 --today 指定）" in res.stdout and "决定书送达期限：2026-10-14，剩余 13 个工作日" in res.stdout
    res = runner.invoke(app, ["deadlines", str(one), "--today", "2026年9月20日", "--format", "json"])
    out = json.loads(res.stdout)
    assert set(out) == {"today", "deadlines"} and out["today"] == "2026-09-20"
    keys = {"step", "title", "last_day", "last_day_range", "basis", "status", "remaining_workdays", "overdue_days", "words"}
    assert all(set(d) == keys | {"counted", "skipped", "title_text", "counted_text"} for d in out["deadlines"])
    folder = tmp_path / "cases"
    folder.mkdir()
    for name, decided in (("late.yaml", "2026-09-29"), ("early.yaml", "2026-09-10"), ("done.yaml", None)):
        raw = sample(CF05)
        if decided:
            raw["decision"]["decided_on"] = decided
            raw["procedure"]["served_on"] = None
        else:  # served and paid (issue 26 §2: a served fine unpaid is still open)
            raw["execution"] = {"paid_on": raw["procedure"]["served_on"]}
        raw["case_id"] = name
        (folder / name).write_text(json.dumps(raw, ensure_ascii=False, default=str), encoding="utf-8")
    (folder / "bad.yaml").write_text("kind: penalty\n", encoding="utf-8")
    res = runner.invoke(app, ["deadlines", str(folder), "--today", "2026-10-20", "--format", "json"])
    assert res.exit_code == 2 and "bad.yaml" in res.stderr  # a bad file is reported, the others still listed
    reg = json.loads(res.stdout)
    assert [c["case_id"] for c in reg["cases"]] == ["early.yaml", "late.yaml"]
    assert [c["case_id"] for c in reg["closed"]] == ["done.yaml"]
    res = runner.invoke(app, ["deadlines", str(folder), "--today", "2026-10-20"])
    assert res.stdout.index("early.yaml") < res.stdout.index("late.yaml") and "另有 1 件" in res.stdout
    res = runner.invoke(app, ["deadlines", str(one), "--today", "明天"])
    assert res.exit_code == 2 and "--today" in res.stderr and "Traceback" not in res.output


def test_text_from_the_draft_is_shown_escaped(runner, tmp_path):
    raw = sample(CF05)
    raw["case_id"] = "伊\u202e罚\x1b[2J"
    raw["decision"]["decided_on"] = "2026-09-10"
    raw["procedure"]["served_on"] = None
    f = tmp_path / "d" / "x.yaml"
    f.parent.mkdir()
    f.write_text(json.dumps(raw, ensure_ascii=False, default=str), encoding="utf-8")
    res = runner.invoke(app, ["deadlines", str(f.parent), "--today", "2026-09-11"])
    assert "\u202e" not in res.stdout and "\x1b" not in res.stdout and "\\u202e" in res.stdout


@pytest.mark.skipif(QUANZE is None, reason="quanze entry point not installed")
def test_api_deadlines_on_a_real_server(tmp_path):
    body = (CASES / CF05).read_bytes()
    with serving(tmp_path) as base:
        res = httpx.post(
            f"{base}/api/v1/deadlines?today=2026-09-20", content=body, headers={"Content-Type": "application/yaml"}, timeout=30
        )
        assert res.status_code == 200, res.text
        out = res.json()
        assert out["today"] == "2026-09-20"
        service = next(d for d in out["deadlines"] if d["step"] == "service")
        assert service["last_day"] == "2026-10-14" and service["words"] == "剩余 13 个工作日"
        bad = httpx.post(f"{base}/api/v1/deadlines", content=b"kind: penalty\n", headers={"Content-Type": "application/yaml"}, timeout=30)
        assert bad.status_code == 422 and bad.json()["lines"]
        bad_day = httpx.post(f"{base}/api/v1/deadlines?today=x", content=body, headers={"Content-Type": "application/yaml"}, timeout=30)
        assert bad_day.status_code == 422
        explained = httpx.post(  # the form's 推理过程 reads the same reasoning as quanze explain
            f"{base}/api/v1/check?explain=true", content=body, headers={"Content-Type": "application/yaml"}, timeout=30
        ).json()
        assert [c["code"] for c in explained["reasoning"]["checks"]["fail"]] == ["SERVICE_LATE"]
        assert "决定书按期送达" not in [c["title"] for c in explained["reasoning"]["checks"]["pass"]]
        assert "执法人员人数" in [c["title"] for c in explained["reasoning"]["checks"]["pass"]]


def test_a_late_hearing_request_is_the_partys_and_a_document_is_accepted(rules):
    from quanze.engine.check.deadlines import deadlines

    raw = sample(CF05)
    raw["procedure"]["hearing"] = {"requested_on": "2026-09-10", "waived": False, "notified_on": None, "held_on": None}
    d = next(x for x in deadlines(raw, rules, D("2026-09-20")) if x.step == "hearing_request")
    assert d.status == "late" and d.words == "当事人于 2026-09-10 申请，已过期限 2 日" and not d.pending


def test_a_draft_without_its_procedure_section_is_not_called_late_without_saying_so(runner):
    """Helper trial: a draft whose whole procedure is 未填写 cannot show that service is overdue as a fact."""
    result = runner.invoke(
        app, ["deadlines", str(CASES / "penalty/CF-05/procedure_not_filled.yaml"), "--today", "2026-09-20", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    service = next(d for d in json.loads(result.stdout)["deadlines"] if d["step"] == "service")
    assert service["words"].startswith("程序部分未填写，无法确认是否已送达")
