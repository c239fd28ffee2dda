"""Procedure facts that need a rules folder of their own: a year the calendar lacks, and its override."""

import json
import shutil

from conftest import CASES
from quanze.cli.main import app


def _draft_in_2027(tmp_path):
    text = (CASES / "penalty/CF-05/served_7th_workday_across_national_day.yaml").read_text(encoding="utf-8")
    text = text.replace("served_on: 2026-10-14", "served_on: 2027-01-08")
    text = text.replace("decided_on: 2026-09-29", "decided_on: 2026-12-30")
    text = text.replace("filed_on: 2026-07-01", "filed_on: 2026-10-05")
    path = tmp_path / "d.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_2027_date_gives_a_calendar_warning_not_an_exception(runner, tmp_path):
    result = runner.invoke(app, ["check", str(_draft_in_2027(tmp_path)), "--format", "json"])
    out = json.loads(result.stdout)
    assert any("2027" in w for w in out["calendar_warnings"])
    assert "SERVICE_LATE" not in {f["code"] for f in out["findings"]}  # 12-31, 1-4 … 1-8 = 6 weekdays


def test_adding_a_2027_calendar_file_changes_the_count(runner, tmp_path, rules_copy):
    (rules_copy / "calendar" / "2027.yaml").write_text(
        "year: 2027\nscope: national\nholidays: [2027-01-01, 2027-01-04, 2027-01-05]\nworkdays: []\n"
        "source: test (a hypothetical 2027 arrangement)\n",
        encoding="utf-8",
    )
    draft = _draft_in_2027(tmp_path)
    result = runner.invoke(app, ["explain", str(draft), "--rules", str(rules_copy), "--format", "json"])
    out = json.loads(result.stdout)
    assert out["calendar_warnings"] == []
    assert out["explanation"]["facts"]["decision_to_service_workdays"] == 4
    shutil.rmtree(rules_copy / "calendar")
