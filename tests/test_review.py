"""案卷评查: every file checked or reported, a summary, JSONL and a self-contained HTML report."""

import json
import os
import shutil
import sys
from pathlib import Path

import pytest

import quanze.engine.batch.review as review_module
from conftest import CASES
from quanze.cli.main import app
from quanze.engine.batch.review import find_drafts, review, summarize, walk


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


# --- one file never stops a batch (issue 13) --------------------------------------------


def _poisoned_review_one(original):
    """A review_one that kills its worker process on a file named poison*.yaml (a segfault's effect)."""

    def review_one(path, rules):
        if path.name.startswith("poison"):
            os._exit(139)
        return original(path, rules)

    return review_one


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork start method: workers inherit the patched function")
def test_a_worker_that_dies_does_not_hang_or_lose_the_run(rules, tmp_path, monkeypatch):
    folder = _folder(tmp_path)
    for i in range(40):  # enough for chunks of several files per task
        shutil.copy(CASES / "penalty/CF-04/lawful_general_tier.yaml", folder / f"more_{i:02}.yaml")
    for name in ("poison.yaml", "poison_2.yaml"):  # two deaths: the pool is replaced twice
        shutil.copy(CASES / "penalty/CF-04/lawful_general_tier.yaml", folder / name)
    monkeypatch.setattr(review_module, "review_one", _poisoned_review_one(review_module.review_one))
    paths = find_drafts(folder)
    entries = list(review(paths, rules, jobs=2))
    assert [e["file"] for e in entries] == [str(p) for p in paths]  # every file accounted for, in order
    died = [e for e in entries if not e["checked"] and e["reason"] == "worker_died"]
    assert [Path(e["file"]).name for e in died] == ["poison.yaml", "poison_2.yaml"]
    assert "工作进程意外退出" in died[0]["problems"][0].message
    checked = [e for e in entries if e["checked"]]
    assert len(checked) == len(paths) - 3  # all but the two poisons and the invalid sample


def test_a_bug_on_one_file_is_that_files_entry_and_the_report_is_written(runner, tmp_path, monkeypatch):
    folder = _folder(tmp_path)
    original = review_module.check

    def check(draft, rules, label):
        if "fine_above_max" in label:
            raise RuntimeError("simulated engine failure")
        return original(draft, rules, label)

    monkeypatch.setattr(review_module, "check", check)
    out = tmp_path / "out" / "report"
    result = runner.invoke(app, ["review", str(folder), "--out", str(out), "--format", "json"])
    assert result.exit_code == 2
    summary = json.loads(result.stdout)
    assert summary["files"] == 5 and summary["checked"] == 3 and summary["not_checked"] == {"input_error": 1, "internal_error": 1}
    bug = next(p for p in summary["problems"] if p["reason"] == "internal_error")
    assert "fine_above_max.yaml" in bug["file"] and "simulated engine failure" in bug["problems"][0]
    lines = [json.loads(line) for line in out.with_suffix(".jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 5 and sum(not e["checked"] for e in lines) == 2


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs and symlinks")
def test_review_walks_symlinked_folders_once_and_skips_broken_links_and_fifos(runner, tmp_path):
    folder = _folder(tmp_path)
    (folder / "penalty" / "loop").symlink_to(folder, target_is_directory=True)  # a link loop
    (folder / "alias").symlink_to(folder / "penalty", target_is_directory=True)  # the same folder twice
    (folder / "gone.yaml").symlink_to(tmp_path / "missing.yaml")
    (folder / "self.yaml").symlink_to(folder / "self.yaml")
    os.mkfifo(folder / "pipe.yaml")
    paths, skipped = walk(folder)
    assert len(paths) == 5  # the five drafts, each once
    assert {Path(e["file"]).name: e["reason"] for e in skipped} == {
        "gone.yaml": "broken_link",
        "self.yaml": "broken_link",
        "pipe.yaml": "not_regular",
    }
    result = runner.invoke(app, ["review", str(folder), "--format", "json"])
    summary = json.loads(result.stdout)
    assert summary["files"] == summary["checked"] + summary["unreadable"] == 8
    assert summary["not_checked"] == {"input_error": 1, "broken_link": 2, "not_regular": 1}
    assert "pipe.yaml: 不是普通文件（命名管道 FIFO）" in result.stderr


def test_unwritable_out_is_refused_before_the_run(runner, tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["review", str(CASES / "complaint"), "--out", str(blocker / "report")])
    assert result.exit_code == 2 and "--out: 无法写入" in result.stderr
    assert "案卷评查" not in result.stdout  # nothing was run


def test_check_of_a_good_and_a_bad_file_prints_the_good_result(runner, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: penalty\n", encoding="utf-8")
    good = str(CASES / "penalty/CF-04/fine_above_max.yaml")
    result = runner.invoke(app, ["check", good, str(bad), "--format", "json"])
    assert result.exit_code == 2
    payload = json.loads(result.stdout)
    assert [r["verdict"] for r in payload] == ["fail"] and "bad.yaml" in result.stderr


def test_a_durable_rules_error_code_on_one_file_is_that_files_entry(rules, tmp_path, monkeypatch):
    import durable_rules_engine

    from quanze.engine.lang import evaluate

    original = evaluate._dre.assert_fact

    def assert_fact(handle, document):
        if '"fine_amount": 120000' in document:
            raise durable_rules_engine.error("Could not assert fact, error code: 303")
        return original(handle, document)

    monkeypatch.setattr(evaluate._dre, "assert_fact", assert_fact)
    entries = list(review(find_drafts(_folder(tmp_path)), rules, jobs=1))
    failed = [e for e in entries if e.get("reason") == "rules_engine_error"]
    assert [Path(e["file"]).name for e in failed] == ["fine_above_max.yaml"]
    assert "error code: 303" in failed[0]["problems"][0].message
    assert sum(e["checked"] for e in entries) == 3
