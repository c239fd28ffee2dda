"""The quanze command through typer's CliRunner: exit codes, stdout/stderr split, JSON shape."""

import json

from conftest import CASES
from quanze.cli.main import app

LAWFUL = str(CASES / "penalty/CF-04/lawful_general_tier.yaml")
ABOVE = str(CASES / "penalty/CF-04/fine_above_max.yaml")


def test_rules_list_json_has_19_items_in_three_tables(runner):
    result = runner.invoke(app, ["rules", "list", "--format", "json"])
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert len(rows) == 19
    tables = [r["table"] for r in rows]
    assert (tables.count("其他行政权力"), tables.count("行政检查"), tables.count("行政处罚")) == (6, 8, 5)
    names = {r["id"]: r["name"] for r in rows}
    assert names["QT-02"] == "单用途商业预付卡管理备案"
    assert names["CF-05"] == "对未向报废机动车拆解企业提供报废机动车拆解指导手册的机动车生产企业的处罚"


def test_rules_show_cf04_gives_article_range_mandatory_sanctions_and_eight_triggers(runner):
    result = runner.invoke(app, ["rules", "show", "CF-04", "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    version = data["penalty_provision"]["versions"][0]
    assert "并处五万元以上十万元以下罚款" in version["text"]
    assert version["fine_range"] == [50000, 100000]
    assert version["mandatory"] == ["责令改正", "罚款"] and version["mandatory_when_gains"] == ["没收违法所得"]
    assert [(t["no"], t["text"][:6]) for t in data["triggers"]][:3] == [(1, "不具备行政执"), (2, "没有法律和事"), (3, "违反规定设立")]
    assert [t["no"] for t in data["triggers"]] == list(range(1, 9))


def test_rules_show_unknown_id_suggests(runner):
    result = runner.invoke(app, ["rules", "show", "CF-40"])
    assert result.exit_code == 2 and result.stdout == ""
    assert "是否指" in result.stderr


def test_check_lawful_draft_exits_0_with_text_report(runner):
    result = runner.invoke(app, ["check", LAWFUL])
    assert result.exit_code == 0, result.output
    assert "结论：通过" in result.stdout


def test_check_json_has_the_contract_shape(runner):
    result = runner.invoke(app, ["check", ABOVE, "--format", "json"])
    assert result.exit_code == 1
    out = json.loads(result.stdout)
    for key in (
        "file",
        "case_id",
        "kind",
        "item",
        "verdict",
        "findings",
        "provision",
        "fine_range",
        "bands",
        "recommended_tier",
        "rules_version",
        "calendar_warnings",
    ):
        assert key in out, key
    assert out["verdict"] == "fail" and out["fine_range"] == [50000, 100000]
    assert out["bands"] == {"从轻": [50000, 66667], "一般": [66667, 83333], "从重": [83333, 100000]}
    finding = next(f for f in out["findings"] if f["code"] == "FINE_ABOVE_MAX")
    assert finding["severity"] == "error" and finding["basis"] == ["节约能源法 第七十六条"]
    assert "120000" in finding["message"] and "100000" in finding["message"]
    acc = finding["accountability"]
    text = "违反规定设立处罚种类或者改变处罚幅度的"
    assert acc["triggers"] == [{"list": "CF-04", "no": 3, "text": text, "officer_text": text}]
    assert acc["statute"] == "行政处罚法 第七十六条第一款第（二）项"
    assert {p["role"] for p in acc["persons"]} <= {"handler", "reviewer", "approver"}


def test_check_several_files_prints_an_array_and_fails_if_any_fails(runner):
    result = runner.invoke(app, ["check", LAWFUL, ABOVE, "--format", "json"])
    assert result.exit_code == 1
    assert [r["verdict"] for r in json.loads(result.stdout)] == ["pass", "fail"]


def test_bad_input_is_one_chinese_line_on_stderr_and_exit_2(runner, tmp_path):
    bad = tmp_path / "draft.yaml"
    text = (CASES / "invalid/bad_amount.yaml").read_text(encoding="utf-8")
    bad.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["check", str(bad)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.strip() == (
        f"{bad}: 第 3 项处罚数额 decision.sanctions[2].amount: "
        '必须为非负金额 (数字或 "5万元"、"50,000元"、"伍万元" 这样的文字), 实际为 "abc"'
    )
    assert bad.read_text(encoding="utf-8") == text  # a check never writes to its input


def test_missing_file_and_bad_format_are_input_errors(runner):
    result = runner.invoke(app, ["check", "/nonexistent/draft.yaml"])
    assert result.exit_code == 2 and "无法读取文件" in result.stderr and "Traceback" not in result.output
    result = runner.invoke(app, ["check", LAWFUL, "--format", "xml"])
    assert result.exit_code == 2 and "--format" in result.stderr


def test_json_draft_is_accepted(runner, tmp_path):
    from helpers import sample

    path = tmp_path / "draft.json"
    path.write_text(json.dumps(sample("penalty/CF-04/lawful_general_tier.yaml"), ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(app, ["check", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output


def test_explain_shows_version_reason_workdays_and_fired_rules(runner):
    result = runner.invoke(app, ["explain", str(CASES / "penalty/CF-05/served_8th_workday_across_national_day.yaml")])
    assert result.exit_code == 1
    out = result.stdout
    assert "决定至送达：2026-09-29 → 2026-10-15 = 8 个工作日" in out
    assert "2026-10-01 至 10-07（国庆节）" in out and "适用同一版本" in out
    assert "不通过（1 项）：\n  超过七个工作日送达 [SERVICE_LATE]" in out
    assert "有听证权" in out


def test_accountability_section_in_text_report(runner):
    result = runner.invoke(app, ["check", ABOVE])
    assert "追责提示：" in result.stdout and "追责情形第 3 项" in result.stdout


def test_cases_run_counts_last(runner):
    result = runner.invoke(app, ["cases", "run", str(CASES / "penalty/CF-04")])
    assert result.exit_code == 0
    assert result.stdout.strip().splitlines()[-1].endswith("passed, 0 failed")


def test_cases_run_reports_a_failing_case_with_a_reproduce_command(runner, tmp_path):
    import shutil

    shutil.copy(CASES / "penalty/CF-04/lawful_general_tier.yaml", tmp_path / "c.yaml")
    (tmp_path / "c.expect.yaml").write_text("name: x\nnarrative: x\nteaching: x\npresent: [FINE_ABOVE_MAX]\n", encoding="utf-8")
    result = runner.invoke(app, ["cases", "run", str(tmp_path)])
    assert result.exit_code == 1
    assert "不符合预期" in result.stdout and "quanze explain" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "0 passed, 1 failed"


def test_rules_audit_reports_repealed_qt03_and_renumbered_jc05(runner):
    result = runner.invoke(app, ["rules", "audit", "--on", "2026-11-26"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "[QT-03] 实施依据引用的 对外贸易法 第九条 自 2022-12-30 起已不含此项权力" in out
    assert "[JC-05]" in out and "第六十五条" in out
    assert "编号空缺" in out and "[CF-05] 追责情形编号为 [1, 2, 3, 4, 5, 6, 7, 10]，缺 [8, 9]" in out
    assert "hearing_threshold" in out and "听证“较大数额”标准" in out  # the unverified 较大数额 default


def test_rules_audit_before_the_2022_amendment_does_not_report_qt03(runner):
    result = runner.invoke(app, ["rules", "audit", "--on", "2022-06-01", "--format", "json"])
    entries = json.loads(result.stdout)["entries"]
    assert not [e for e in entries if e["item"] == "QT-03" and e["category"] == "依据失效"]


def test_rules_audit_bad_date_is_input_error(runner):
    result = runner.invoke(app, ["rules", "audit", "--on", "2026/11/26"])
    assert result.exit_code == 2 and "--on" in result.stderr


def test_cases_show_prints_narrative_table_findings_and_teaching(runner):
    result = runner.invoke(app, ["cases", "show", "penalty/CF-04/fine_above_max", "--format", "md"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("# 罚款12万元高于第七十六条上限10万元")
    assert "## 案情" in out and "| 第 3 项处罚数额 | 120000 |" in out
    assert "罚款高于法定上限 [FINE_ABOVE_MAX]" in out and "追责情形第 3 项" in out and "## 讲解" in out


def test_cases_show_unknown_case_is_input_error(runner):
    result = runner.invoke(app, ["cases", "show", "penalty/CF-04/nope"])
    assert result.exit_code == 2 and "找不到案例" in result.stderr


def test_diff_of_identical_rules_changes_nothing(runner):
    rules_dir = str(CASES.parent / "rules")
    result = runner.invoke(app, ["diff", "--base", rules_dir, "--changed", rules_dir, str(CASES / "penalty/CF-05"), "--format", "json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["cases"] == [] and out["summary"]["unchanged"] == out["summary"]["cases"] > 0
