"""A trainer finds cases (issue 20): ``cases list`` with titles and filters, ``cases show`` suggests the nearest
names, an HTML handout for a projector and print, and every case file is packaged for a non-editable install."""

from __future__ import annotations

import json
import tomllib

from conftest import CASES
from quanze.cli.main import app
from quanze.engine.cases import find_cases, nearest_cases, read_expectation
from quanze.engine.text import zh

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
