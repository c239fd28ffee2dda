"""Issue 26: a penalty case at any stage — open cases checked, their stage and next steps, deadlines at every
stage (expected dates computed from the calendar, never by hand), and the doors that take open cases."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import yaml
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from conftest import CASES
from helpers import shipped_rules
from quanze.cli.main import app
from quanze.engine.law.workdays import calendar_from
from quanze.web.app import create_app

OPEN = CASES / "penalty/CF-05/open"
EXECUTION = CASES / "penalty/CF-05/execution"
D = dt.date.fromisoformat


@pytest.fixture(scope="module")
def cal():
    return calendar_from(shipped_rules().calendar)


@pytest.fixture(scope="module")
def runner():
    return CliRunner()


def rolled(cal, day: dt.date) -> dt.date:
    """民事诉讼法 第八十五条: a period ending on a day off ends on the next working day."""
    while not cal.is_workday(day):
        day += dt.timedelta(days=1)
    return day


def open_case(filed: str, notice: str | None = None, **more) -> dict:
    raw = yaml.safe_load((OPEN / "investigation.yaml").read_text(encoding="utf-8"))
    raw["procedure"]["filed_on"] = filed
    raw["violation"] = {"committed_on": filed, "discovered_on": filed}
    if notice:
        proposed = [{"kind": "罚款", "amount": 20000}]
        raw["procedure"]["notice"] = {"served_on": notice, "rights": ["陈述", "申辩", "听证"], "proposed": proposed}
    raw.update(more)
    return raw


def steps(out: dict) -> dict[str, dict]:
    return {d["step"]: d for d in out["deadlines"]}


def test_a_notified_open_case_gives_the_hearing_window_across_national_day_and_the_90_days(runner, cal):
    res = runner.invoke(app, ["deadlines", str(OPEN / "notice_hearing_window_open.yaml"), "--today", "2026-09-30", "--format", "json"])
    assert res.exit_code == 0, res.output
    got = steps(json.loads(res.stdout))
    hearing = got["hearing_request"]
    assert hearing["last_day"] == cal.add_workdays(D("2026-09-28"), 5).isoformat() == "2026-10-10"
    assert "2026-10-10（星期六，调休上班）" in hearing["counted"]
    assert hearing["status"] == "open" and hearing["words"] == f"剩余 {int(cal.count(D('2026-09-30'), D('2026-10-10')))} 个工作日"
    decision = got["decision"]
    assert decision["last_day"] == rolled(cal, D("2026-08-25") + dt.timedelta(days=90)).isoformat()
    assert decision["status"] == "open" and "service" not in got
    res = runner.invoke(app, ["deadlines", str(OPEN / "notice_hearing_window_open.yaml"), "--today", "2026-10-10"])
    assert "听证申请期限（当事人）：2026-10-10，今日到期" in res.stdout


def test_a_year_without_a_state_council_arrangement_gives_a_range(runner, cal, tmp_path):
    raw = open_case("2026-11-10", "2027-02-01")
    path = tmp_path / "open2027.yaml"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    res = runner.invoke(app, ["deadlines", str(path), "--today", "2027-01-05", "--format", "json"])
    assert res.exit_code == 0, res.output
    got = steps(json.loads(res.stdout))
    early, late = cal.add_workdays_range(D("2027-02-01"), 5)
    assert early != late  # 2027: the 春节 调休 is unknown
    assert got["hearing_request"]["last_day_range"] == [early.isoformat(), late.isoformat()]
    end = D("2026-11-10") + dt.timedelta(days=90)
    first = end
    while not cal.may_be_workday(first):
        first += dt.timedelta(days=1)
    assert got["decision"]["last_day_range"] in (None, [first.isoformat(), rolled(cal, end).isoformat()])
    assert (got["decision"]["last_day"] or got["decision"]["last_day_range"][0]) == first.isoformat()


def test_a_folder_of_a_filed_a_notified_and_a_decided_case_is_ordered_by_nearest_deadline(runner, cal, tmp_path):
    filed = open_case("2026-09-01", case_id="立案")
    notified = open_case("2026-09-01", "2026-10-12", case_id="告知")
    decided = yaml.safe_load((EXECUTION / "served_unpaid.yaml").read_text(encoding="utf-8"))
    decided["case_id"] = "决定"
    decided["procedure"]["served_on"] = "2026-10-12"
    for name, raw in (("a.yaml", filed), ("b.yaml", notified), ("c.yaml", decided)):
        (tmp_path / name).write_text(json.dumps(raw, ensure_ascii=False, default=str), encoding="utf-8")
    res = runner.invoke(app, ["deadlines", str(tmp_path), "--today", "2026-10-14", "--format", "json"])
    assert res.exit_code == 0, res.output
    reg = json.loads(res.stdout)
    nearest = {
        "告知": cal.add_workdays(D("2026-10-12"), 5),
        "决定": rolled(cal, D("2026-10-12") + dt.timedelta(days=15)),
        "立案": rolled(cal, D("2026-09-01") + dt.timedelta(days=90)),
    }
    assert [c["case_id"] for c in reg["cases"]] == sorted(nearest, key=nearest.get) == ["告知", "决定", "立案"]
    assert [c["nearest"] for c in reg["cases"]] == sorted(d.isoformat() for d in nearest.values())
    assert [c["stage"]["name"] for c in reg["cases"]] == ["告知", "送达", "调查"]
    res = runner.invoke(app, ["deadlines", str(tmp_path), "--today", "2026-10-14"])
    assert res.stdout.index("告知") < res.stdout.index("立案") and "阶段：送达" in res.stdout


def test_check_of_an_open_case_says_its_stage_and_what_is_due_next(runner):
    res = runner.invoke(app, ["check", str(OPEN / "notice_hearing_window_open.yaml"), "--format", "json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["verdict"] == "pass" and out["open"] is True and out["stage"] == {"code": "notice", "name": "告知"}
    assert [d["step"] for d in out["next_steps"]] == ["hearing_request", "decision"]
    assert out["not_checked"] == [] or all(n.get("affects_verdict") is False for n in out["not_checked"])
    res = runner.invoke(app, ["check", str(OPEN / "notice_hearing_window_open.yaml")])
    assert "案件阶段：告知（办理中，尚未作出决定）" in res.stdout and "下一步：听证申请期限（当事人），最后一日 2026-10-10" in res.stdout


def test_payment_surcharge_and_court_after_service(runner, cal):
    res = runner.invoke(app, ["deadlines", str(EXECUTION / "served_unpaid.yaml"), "--today", "2026-06-01", "--format", "json"])
    got = steps(json.loads(res.stdout))
    served = D("2026-04-29")
    pay = rolled(cal, served + dt.timedelta(days=15))
    assert got["payment"]["last_day"] == pay.isoformat() and got["payment"]["status"] == "late"
    days = (D("2026-06-01") - pay).days
    assert got["surcharge"]["words"].startswith(f"截至今日已逾期 {days} 日，可加处 {20000 * 3 * days // 100} 元")
    assert got["review"]["status"] == got["suit"]["status"] == "info"
    assert got["court"]["status"] == "open"
    res = runner.invoke(app, ["deadlines", str(EXECUTION / "court_after_demand_period.yaml"), "--today", "2026-11-05", "--format", "json"])
    demand = steps(json.loads(res.stdout))["demand"]
    assert demand["last_day"] == cal.add_workdays(D("2026-11-02"), 10).isoformat()


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(warm_up=False)) as c:
        yield c


def test_the_api_takes_open_cases(client):
    body = (OPEN / "notice_hearing_window_open.yaml").read_bytes()
    res = client.post("/api/v1/check", content=body, headers={"Content-Type": "application/yaml"})
    assert res.status_code == 200 and res.json()["stage"]["code"] == "notice" and res.json()["open"] is True
    res = client.post("/api/v1/deadlines?today=2026-09-30", content=body, headers={"Content-Type": "application/yaml"})
    assert res.status_code == 200
    assert [d["step"] for d in res.json()["deadlines"]][:2] == ["hearing_request", "decision"]


@pytest.mark.parametrize(
    ("stage", "code", "top"),
    [
        ("立案", "filed", {"kind", "case_id", "item", "party", "procedure", "people"}),
        ("告知", "notice", {"kind", "case_id", "item", "party", "violation", "evidence", "procedure", "people", "coercive_measures"}),
        (
            "决定",
            "decided",
            {"kind", "case_id", "item", "party", "violation", "decision", "procedure", "people", "evidence", "execution"}
            | {"coercive_measures"},
        ),
    ],
)
def test_new_writes_a_template_of_each_stage(runner, stage, code, top):
    from quanze.engine.check.checker import check
    from quanze.engine.model.drafts import PLACEHOLDER_CERTIFICATE, PLACEHOLDER_OFFICERS, PLACEHOLDER_TEXT, validate_draft

    res = runner.invoke(app, ["new", "CF-05", "--stage", stage])
    assert res.exit_code == 0, res.output
    filled = res.stdout.replace(PLACEHOLDER_TEXT, "某某").replace(PLACEHOLDER_OFFICERS[0], "张三").replace(PLACEHOLDER_OFFICERS[1], "李四")
    cert = f"certificate: {PLACEHOLDER_CERTIFICATE}"
    filled = filled.replace(cert, "certificate: '65010000123'", 1).replace(cert, "certificate: '65010000456'", 1)
    from quanze.engine.model.drafts import parse_text

    raw = parse_text(filled, "t.yaml")  # the draft reader (YAML 1.2: "on" is a key, not true)
    assert set(raw) == top
    result = check(validate_draft(raw, "t.yaml"), shipped_rules(), "t.yaml")
    assert result.stage.code == code and result.open is (code != "decided")


def test_new_stage_is_for_penalty_items_and_named_stages(runner):
    assert runner.invoke(app, ["new", "QT-02", "--stage", "立案"]).exit_code == 2
    res = runner.invoke(app, ["new", "CF-05", "--stage", "听证"])
    assert res.exit_code == 2 and "立案、告知、决定" in res.stderr


def test_diff_compares_open_cases(runner):
    res = runner.invoke(app, ["diff", "--base", "rules", "--changed", "rules", str(OPEN), str(EXECUTION)])
    assert res.exit_code == 0, res.output
    drafts = [p for folder in (OPEN, EXECUTION) for p in folder.glob("*.yaml") if not p.name.endswith(".expect.yaml")]
    assert len(drafts) >= 20 and f"| 无变化 | {len(drafts)} |" in res.stdout
