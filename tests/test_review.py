"""案卷评查: every file checked or reported, a summary, JSONL and a self-contained HTML report."""

import json
import shutil

from conftest import CASES
from quanze.cli.main import app
from quanze.engine.review import find_drafts, review, summarize


def _folder(tmp_path):
    folder = tmp_path / "files"
    for rel in (
        "penalty/CF-04/fine_above_max.yaml",
        "penalty/CF-04/lawful_general_tier.yaml",
        "inspection/JC-08/seizure_not_approved.yaml",
        "filing/QT-06/decided_overdue.yaml",
        "invalid/bad_amount.yaml",
    ):
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(CASES / rel, target)
    (folder / "notes.txt").write_text("not a draft", encoding="utf-8")
    return folder


def test_review_reports_unreadable_files_and_goes_on(runner, tmp_path):
    folder = _folder(tmp_path)
    result = runner.invoke(app, ["review", str(folder), "--out", str(tmp_path / "out" / "report"), "--format", "json"])
    assert result.exit_code == 2  # one file could not be checked
    summary = json.loads(result.stdout)
    assert summary["files"] == 5 and summary["checked"] == 4 and summary["unreadable"] == 1
    assert summary["verdicts"] == {"fail": 3, "pass": 1}
    assert ["FINE_ABOVE_MAX", 1] in summary["top_codes"]
    assert {"list": "CF-04", "no": 3, "text": "违反规定设立处罚种类或者改变处罚幅度的", "count": 1} in summary["top_triggers"]
    assert summary["per_handler"]["张三"]["fail"] == 3
    assert "bad_amount.yaml" in result.stderr
    lines = (tmp_path / "out" / "report.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 5
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page and "案卷评查报告" in page
    assert "http" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")  # self-contained


def test_two_jobs_give_the_same_entries_as_one(rules, tmp_path):
    paths = find_drafts(_folder(tmp_path))
    one = list(review(paths, rules, jobs=1))
    two = list(review(paths, rules, jobs=2))
    strip = [{k: v for k, v in e.items() if k != "rules_version"} for e in one]
    assert strip == [{k: v for k, v in e.items() if k != "rules_version"} for e in two]
    assert summarize(one) == summarize(two)


def test_review_text_is_quiet_when_piped(runner, tmp_path):
    result = runner.invoke(app, ["review", str(CASES / "complaint")])
    assert result.exit_code == 1
    assert "案卷评查" in result.stdout and "评查 [" not in result.stderr
