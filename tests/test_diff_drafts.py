"""`quanze diff` compares plain drafts too, and a folder with no draft is an input error (issue 16)."""

from __future__ import annotations

import json
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


def _lighter(rules_copy):
    shutil.copy(CASES.parent / "examples" / "jieneng.a76.hypothetical-lighter.yaml", rules_copy / "provisions" / "jieneng" / "a76.yaml")
    return rules_copy


def test_diff_header_states_the_rule_changes_of_the_readme_example(runner, rules_copy):
    """Issue 20: provision, version, field, old → new read from the two folders; the 适用 line once."""
    changed = _lighter(rules_copy)
    base = str(CASES.parent / "rules")
    result = runner.invoke(app, ["diff", "--base", base, "--changed", str(changed), str(CASES / "penalty/CF-04")])
    assert result.exit_code == 0, result.output
    out = result.stdout.replace("\n  ", "")  # wrapped lines joined
    head = out.split("比较了")[0]
    assert "jieneng.a76 第七十六条：2018-10-26 起施行的版本" in head and "施行至：（无） → 2026-04-30" in head
    assert "新增 2026-05-01 起施行的版本（与其前一版本相比）" in head
    assert "罚款下限（元）：50000 → 30000" in head and "罚款上限（元）：100000 → 60000" in head
    assert out.count("依从旧兼从轻适用新规定") == 1 and "    适用：" not in out
    assert "覆盖说明：每个变更的版本都有草稿适用。" in out
    data = runner.invoke(app, ["diff", "--base", base, "--changed", str(changed), str(CASES / "penalty/CF-04"), "--format", "json"])
    changes = json.loads(data.stdout)["rule_changes"]
    fine = [c for c in changes if c["field"] == "penalty.sanctions[罚款].max"]
    assert fine == [
        {
            "file": "provisions/jieneng/a76.yaml",
            "provision": "jieneng.a76",
            "article": "第七十六条",
            "version": "2026-05-01",
            "in_force_until": None,
            "added": True,
            "field": "penalty.sanctions[罚款].max",
            "old": 100000,
            "new": 60000,
        }
    ]


def test_diff_with_no_draft_in_the_changed_version_says_so(runner, rules_copy):
    """No CF-01 draft applies 第七十六条: nothing changes, and the coverage note says why."""
    changed = _lighter(rules_copy)
    result = runner.invoke(app, ["diff", "--base", str(CASES.parent / "rules"), "--changed", str(changed), str(CASES / "penalty/CF-01")])
    assert result.exit_code == 0, result.output
    out = result.stdout.replace("\n  ", "")
    assert "结论和发现都没有变化" in out
    assert "jieneng.a76（第七十六条）2026-05-01 起的版本：没有草稿适用此版本" in out


def test_diff_of_identical_rules_says_nothing_changed_in_the_rules(runner):
    rules = str(CASES.parent / "rules")
    result = runner.invoke(app, ["diff", "--base", rules, "--changed", rules, str(CASES / "penalty/CF-04")])
    assert result.exit_code == 0 and "规则变更：两个规则目录的规则文件内容相同" in result.stdout
