"""`quanze diff` compares plain drafts too, and a folder with no draft is an input error (issue 16)."""

from __future__ import annotations

import shutil

from conftest import CASES
from quanze.cli.main import app


def test_diff_over_plain_drafts_reports_each_verdict_change(runner, rules_copy, tmp_path):
    drafts = tmp_path / "pending"
    drafts.mkdir()
    shutil.copy(CASES / "penalty/CF-04/lawful_general_tier.yaml", drafts / "案卷一.yaml")  # no .expect.yaml beside it
    hypothetical = CASES.parent / "examples" / "jieneng.a76.hypothetical-lighter.yaml"
    shutil.copy(hypothetical, rules_copy / "provisions" / "jieneng" / "a76.yaml")
    result = runner.invoke(app, ["diff", "--base", str(CASES.parent / "rules"), "--changed", str(rules_copy), str(drafts)])
    assert result.exit_code == 0, result.output
    assert "案卷一.yaml" in result.stdout and "FINE_ABOVE_MAX" in result.stdout
    assert "| 其中：普通草稿 | 1 |" in result.stdout


def test_diff_over_a_folder_without_drafts_is_an_input_error(runner, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    rules = str(CASES.parent / "rules")
    result = runner.invoke(app, ["diff", "--base", rules, "--changed", rules, str(empty)])
    assert result.exit_code == 2 and "没有找到草稿文件" in result.stderr
