"""The 案卷评查 HTML report in a browser, the 法制审核意见书 read back, scoring, the rules folder in use."""

import os
import shutil

import pytest

from conftest import CASES, CHROMIUM, CHROMIUM_ARGS, needs_chromium
from quanze.cli.main import app


def test_report_lists_every_file_and_each_failing_one_has_a_section(report):
    entries, page, _ = report
    html = page.read_text(encoding="utf-8")
    assert '<meta name="viewport"' in html and "@media print" in html and "size:A4" in html
    assert "<script" in html and "http://" not in html.replace("http://www.w3.org/2000/svg", "") and "https://" not in html
    assert html.count("<tr class=") == len(entries)
    failing = [e for e in entries if e.get("checked") and e["verdict"] == "fail"]
    assert failing and html.count('<section class="file"') == len(failing)
    assert "并处五万元以上十万元以下罚款" in html  # basis text in a failing file's section
    assert "追责情形" in html and "规则版本" in html and "评查日期" in html


def test_terminal_summary_names_failing_files_up_to_a_limit(report):
    _, _, stdout = report
    assert "不通过的文件：" in stdout and "…及其他" in stdout
    assert "评分（百分制" in stdout


def test_scores_follow_the_weights_and_the_loader_rejects_a_bad_table(rules, rules_copy, runner):
    from quanze.engine.load.scoring import load_scoring, score_of

    table = load_scoring(rules)
    assert table is not None and table.default and "DEFAULT" in table.note
    entry = {"findings": [{"code": "FINE_ABOVE_MAX", "severity": "error"}, {"code": "FINE_ABOVE_MAX", "severity": "error"}]}
    assert score_of(entry, table) == table.full_marks - table.severity["error"]
    (rules_copy / "scoring.yaml").write_text("note: x\nfull_marks: 100\nseverity: {error: -1, warning: 5, info: 0}\ncodes: {NOPE: 3}\n")
    result = runner.invoke(app, ["rules", "validate", str(rules_copy)])
    assert result.exit_code == 2 and "NOPE" in result.stderr and "不能为负数" in result.stderr


@needs_chromium
def test_browser_filters_to_failing_files_and_finds_each(report, tmp_path):
    pytest.importorskip("playwright.sync_api", reason='需要 playwright：pip install ".[test]"（浏览器用系统的 Chromium）')
    from playwright.sync_api import sync_playwright

    entries, page_path, _ = report
    failing = [e for e in entries if e.get("checked") and e["verdict"] == "fail"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.goto(page_path.as_uri())
        page.select_option("select[name=verdict]", "fail")
        visible = page.locator("#files tbody tr:visible")
        assert visible.count() == len(failing)
        shown = set(visible.locator("td:last-child").all_inner_texts())
        for e in failing:
            assert e["file"] in shown
        assert page.locator("#shown").inner_text().startswith(f"显示 {len(failing)} /")
        page.select_option("select[name=code]", "FINE_ABOVE_MAX")
        assert 0 < page.locator("#files tbody tr:visible").count() < len(failing)
        page.screenshot(path=str(tmp_path / "report.png"), full_page=False)
        if os.environ.get("QUANZE_SCREENSHOT"):
            shutil.copy(tmp_path / "report.png", os.environ["QUANZE_SCREENSHOT"])
        phone = browser.new_page(viewport={"width": 390, "height": 844})
        phone.goto(page_path.as_uri())
        assert phone.evaluate("document.documentElement.scrollWidth") <= 400  # no sideways scrolling of the page
        browser.close()
    assert (tmp_path / "report.png").stat().st_size > 10_000


def test_docx_opinion_reads_back(tmp_path, runner):
    docx = pytest.importorskip("docx")
    out = tmp_path / "审核意见.docx"
    result = runner.invoke(app, ["check", str(CASES / "penalty/CF-04/fine_above_max.yaml"), "--format", "docx", "--out", str(out)])
    assert result.exit_code == 1, result.output
    doc = docx.Document(str(out))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "文号：伊市商工罚〔2026〕7号" in text and "审核事项：行政处罚决定　CF-04" in text
    assert "法制审核意见书" in text and "适用条文：《中华人民共和国节约能源法》第七十六条。行为时" in text
    assert "错误：罚款高于法定上限" in text and "并处五万元以上十万元以下罚款" in text  # codes: tests/test_opinion.py
    assert "追责情形第 3 项" in text and "规则版本：" in text and "生成日期：" in text


def test_docx_needs_out(runner):
    result = runner.invoke(app, ["check", str(CASES / "penalty/CF-04/fine_above_max.yaml"), "--format", "docx"])
    assert result.exit_code == 2 and "--out" in result.stderr


def test_commands_name_the_rules_folder_and_warn_of_a_different_local_one(runner, rules_copy, tmp_path, monkeypatch):
    draft = str(CASES / "penalty/CF-04/fine_above_max.yaml")
    result = runner.invoke(app, ["check", draft])
    assert "规则：" in result.stdout and "随包发布" in result.stdout
    work = tmp_path / "clone"
    shutil.copytree(rules_copy, work / "rules")
    (work / "rules" / "scoring.yaml").write_text((rules_copy / "scoring.yaml").read_text(encoding="utf-8") + "\n# edited\n")
    monkeypatch.chdir(work)
    result = runner.invoke(app, ["check", draft])
    assert "当前目录下的 rules/ 与本次使用的规则" in result.stderr and "--rules rules" in result.stderr
    monkeypatch.setenv("QUANZE_RULES", "rules")
    result = runner.invoke(app, ["check", draft])
    assert "由环境变量 QUANZE_RULES 指定" in result.stdout and "不同" not in result.stderr


def test_one_handler_written_three_ways_is_one_row_and_one_filter_choice():
    """Issue 18: 张三, 张 三 (a space) and 张三 with a zero-width space are one person in the summary and the filter."""
    from quanze.engine.batch.review import summarize
    from quanze.engine.present.report import _filters

    base = {"checked": True, "verdict": "pass", "item": "CF-04", "findings": [], "file": "a.yaml"}
    entries = [base | {"handler": h} for h in ("张三", "张 三", "张\u200b三")] + [base | {"handler": None}]
    per_handler = summarize(entries)["per_handler"]
    assert per_handler == {"张三": {"pass": 3}, "（未填写）": {"pass": 1}}
    html_filters = _filters(entries, None)
    assert html_filters.count('value="张三"') == 1 and "\u200b" not in html_filters
