"""A trainer finds cases (issue 20): ``cases list`` with titles and filters, ``cases show`` suggests the nearest
names, an HTML handout for a projector and print, and every case file is packaged for a non-editable install."""

from __future__ import annotations

import json
import tomllib

from conftest import CASES
from quanze.cli.main import app
from quanze.engine.batch.cases import find_cases, nearest_cases, read_expectation
from quanze.engine.model.text import zh

EIGHTH = "penalty/CF-05/served_8th_workday_across_national_day"


def test_list_names_every_case_with_its_title_and_where_they_are(runner):
    result = runner.invoke(app, ["cases", "list", "--dir", str(CASES)])
    assert result.exit_code == 0, result.output
    assert f"案例目录：{CASES}" in result.stdout
    assert f"共 {len(find_cases(CASES))} 个案例。" in result.stdout
    title = zh(read_expectation(CASES / f"{EIGHTH}.yaml").name)
    assert f"{EIGHTH}（不通过；产生 SERVICE_LATE）\n    {title}\n" in result.stdout


def test_list_filters_by_item_and_code_and_gives_json(runner):
    result = runner.invoke(app, ["cases", "list", "--dir", str(CASES), "--item", "CF-05", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["cases"] and {c["item"] for c in data["cases"]} == {"CF-05"}
    assert {"name", "title", "verdict", "present", "absent"} <= set(data["cases"][0])
    result = runner.invoke(app, ["cases", "list", "--dir", str(CASES), "--code", "FINE_ABOVE_MAX", "--format", "json"])
    cases = json.loads(result.stdout)["cases"]
    assert cases and all("FINE_ABOVE_MAX" in c["present"] + c["absent"] for c in cases)
    assert any("FINE_ABOVE_MAX" in c["absent"] for c in cases)  # the near misses too
    result = runner.invoke(app, ["cases", "list", "--dir", str(CASES), "--item", "XX-99"])
    assert result.exit_code == 2 and "没有事项 XX-99" in result.stderr


def test_show_an_unknown_case_suggests_the_nearest_names(runner):
    result = runner.invoke(app, ["cases", "show", "CF-05"])
    assert result.exit_code == 2 and "找不到案例" in result.stderr
    assert "最接近的案例：penalty/CF-05/" in result.stderr and "--item CF-05" in result.stderr
    result = runner.invoke(app, ["cases", "show", "penalty/CF-04/fine_abov_max"])
    assert "penalty/CF-04/fine_above_max" in result.stderr
    assert nearest_cases("served_8th", CASES) == [EIGHTH]
    assert "Traceback" not in result.output


def test_handout_is_one_escaped_page_with_the_case_parts(runner, tmp_path):
    out = tmp_path / "讲义.html"
    result = runner.invoke(app, ["cases", "handout", EIGHTH, "--out", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    for part in ("<h2>案情</h2>", "<h2>草稿</h2>", "<h2>检查结论</h2>", "<h2>讲解</h2>", "@media print"):
        assert part in page
    assert "<th>决定书送达日期</th><td>2026-10-15</td>" in page  # the draft as a table with Chinese labels
    assert "SERVICE_LATE" in page and "不通过" in page
    assert "http://" not in page and "https://" not in page and "<script" not in page


def test_handout_of_a_hostile_case_is_escaped(runner, tmp_path):
    folder = tmp_path / "cases" / "penalty" / "CF-04"
    folder.mkdir(parents=True)
    text = (CASES / "penalty/CF-04/lawful_general_tier.yaml").read_text(encoding="utf-8")
    (folder / "x.yaml").write_text(text.replace("伊市商工罚", "<script>alert(1)</script>伊市商工罚", 1), encoding="utf-8")
    (folder / "x.expect.yaml").write_text("name: <img src=x onerror=alert(1)>\nnarrative: 案情\nteaching: 讲解\n", encoding="utf-8")
    out = tmp_path / "h.html"
    result = runner.invoke(app, ["cases", "handout", str(folder / "x.yaml"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "<script>" not in page and "<img" not in page and "&lt;img" in page


def test_every_case_file_is_packaged():
    """A non-editable install ships every case: the package-data globs of quanze.cases match each file of cases/."""
    config = tomllib.loads((CASES.parent / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["quanze.cases"]
    packaged = {p for pattern in patterns for p in CASES.glob(pattern)}
    files = {p for p in CASES.rglob("*") if p.is_file() and "__pycache__" not in p.parts and p.name != "__init__.py"}
    assert files - packaged == set()


def test_class_mode_loads_a_case_into_the_form_with_its_narrative_and_teaching(tmp_path):
    """The form's class mode against ``quanze serve`` as a real process: pick a case, see 案情, check, show 讲解."""
    import os
    from pathlib import Path

    import httpx
    import pytest

    chromium = os.environ.get("QUANZE_CHROMIUM", "/usr/bin/chromium")
    if not Path(chromium).exists():
        pytest.skip("需要 Chromium：apt-get install -y chromium（或设 QUANZE_CHROMIUM）")
    sync_api = pytest.importorskip("playwright.sync_api", reason='需要 playwright：pip install ".[test]"')
    from test_server_process import QUANZE, serving

    if QUANZE is None:
        pytest.skip("quanze entry point not installed")
    expect = read_expectation(CASES / f"{EIGHTH}.yaml")
    with serving(tmp_path) as base:
        listed = httpx.get(f"{base}/api/v1/cases", timeout=60).json()["cases"]
        assert len(listed) == len(find_cases(CASES)) and {"name", "title", "narrative", "teaching"} <= set(listed[0])
        assert httpx.get(f"{base}/api/v1/cases", params={"name": "../../etc/passwd"}, timeout=60).status_code == 404
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=chromium,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
            )
            page = browser.new_page(viewport={"width": 1200, "height": 900}, bypass_csp=True)
            page.set_default_timeout(60_000)
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(base + "/")
            page.wait_for_selector("body[data-ready='1']")
            page.wait_for_selector(f"#class-case option[value='{EIGHTH}']", state="attached")
            page.select_option("#class-case", EIGHTH)
            page.wait_for_function("document.querySelector('#status').textContent.startsWith('已导入')")
            assert page.locator("#class-narrative").inner_text() == expect.narrative.strip()
            assert page.locator("#class-teaching").is_hidden()
            page.click("#check")
            page.wait_for_selector(".verdict")
            assert page.locator(".verdict").inner_text() == "结论：不通过"
            assert "SERVICE_LATE" in page.locator(".finding").evaluate_all("cards => cards.map(c => c.dataset.code)")
            page.click("#class-show")
            assert "计日（" in page.locator("#class-teaching").inner_text()
            assert errors == []
            browser.close()
