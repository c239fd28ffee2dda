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


def test_each_step_follows_the_procedure_in_force_when_it_was_taken(runner, tmp_path, rules_copy):
    """A hypothetical 2026-06-01 amendment shortening 送达 to 5 working days applies to a service after it."""
    import yaml

    path = rules_copy / "params" / "xzcf.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    old = data["versions"][0]
    new = json.loads(json.dumps(old, default=str))
    old["in_force_until"] = "2026-05-31"
    new.update(in_force_from="2026-06-01", source="test (hypothetical amendment)")
    new["params"]["service"]["workdays"] = 5
    data["versions"].append(new)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    text = (CASES / "penalty/CF-04/lawful_general_tier.yaml").read_text(encoding="utf-8")
    draft = tmp_path / "d.yaml"
    # decided 2026-05-25 (old procedure); served on the 6th working day after it
    draft.write_text(text.replace("served_on: 2026-05-27", "served_on: 2026-06-02"), encoding="utf-8")
    late = json.loads(runner.invoke(app, ["check", str(draft), "--rules", str(rules_copy), "--format", "json"]).stdout)
    assert "SERVICE_LATE" in {f["code"] for f in late["findings"]}
    shipped = json.loads(runner.invoke(app, ["check", str(draft), "--format", "json"]).stdout)
    assert "SERVICE_LATE" not in {f["code"] for f in shipped["findings"]}
