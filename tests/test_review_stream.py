"""The streaming review (issue 31): entries rendered in the workers and written as they come give the same
bytes as the whole report built in memory; beyond one page of files the report is a summary page and pages."""

from __future__ import annotations

import json
import re

import pytest

import quanze.engine.batch.pages as pages
from conftest import CASES
from quanze.cli.main import app
from quanze.engine.batch.review import find_drafts, review, summarize
from quanze.engine.load.scoring import score_entries
from quanze.engine.present.report import html_page


@pytest.fixture(scope="module")
def every_case(rules):
    """Every file under cases/ and their entries by the plain path: review() held in memory."""
    paths = find_drafts(CASES)
    return paths, list(review(paths, rules))


@pytest.mark.parametrize("jobs", [1, 2])
def test_streamed_report_is_byte_identical_to_the_one_built_in_memory(every_case, rules, runner, tmp_path, jobs):
    """JSONL, page (every row and failing section) and summary on every sample case, against the code path
    that holds every entry (summarize, score_entries, html_page): the report as it was before it streamed."""
    paths, entries = every_case
    out = tmp_path / "r"
    result = runner.invoke(app, ["review", str(CASES), "--out", str(out), "--jobs", str(jobs), "--format", "json"])
    assert result.exit_code == 2, result.output  # cases/invalid cannot be checked
    lines = "".join(json.dumps(e, ensure_ascii=False, default=str) + "\n" for e in entries).encode()
    written = out.with_suffix(".jsonl").read_bytes()
    strip = re.compile(rb'"rules_version": "[^"]*"')  # the same in both; stripped so a parallel run compares too
    assert strip.sub(b"", written) == strip.sub(b"", lines)
    summary = summarize(entries, rules)
    shown = json.loads(result.stdout)
    assert {k: v for k, v in shown.items() if k != "reports"} == json.loads(json.dumps(summary, default=str))  # problems as their lines
    summary["score"] = score_entries(entries, rules)  # every file's score: the page built in memory shows each in its row
    page = out.with_suffix(".html").read_text(encoding="utf-8")
    meta = re.search(r'<meta name="quanze-jsonl" content="sha256=([0-9a-f]{64}) lines=(\d+)">', page)
    assert meta and int(meta.group(2)) == len(paths)
    today = re.search(r"评查日期：([0-9-]+)", page).group(1)
    from quanze.cli.options import rules_line

    pair = {"folder": str(CASES), "rules_version": rules.version, "rules_line": rules_line(None, rules), "date": today}
    pair |= {"jsonl_sha256": meta.group(1), "jsonl_lines": len(paths), "tables": ("r.csv", "r.xlsx")}
    assert page == html_page(summary, entries, pair, rules)
    assert 'href="r.csv"' in page and 'href="r.xlsx"' in page


def test_csv_has_a_row_per_file_as_the_page_shows_it(every_case, rules, tmp_path):
    import csv
    import io

    from quanze.engine.batch.pages import write_reports

    _, entries = every_case
    entries = [dict(entries[0], case_id='=HYPERLINK("x")', handler="  +张三\n 李四 ")] + entries[1:]
    write_reports(tmp_path / "r", entries, summarize(entries), rules=rules)
    data = (tmp_path / "r.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and data.endswith(b"\r\n")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["文号", "事项", "承办人", "结论", "得分", "发现", "文件"]
    assert len(rows) == len(entries) + 1
    assert rows[1][0] == '\'=HYPERLINK("x")' and rows[1][2] == "'+张三 李四"  # formulas read as text, spaces collapsed
    assert [r[-1] for r in rows[1:]] == [e["file"] for e in entries]


def test_beyond_a_page_of_files_the_report_is_a_summary_and_pages(every_case, rules, tmp_path, monkeypatch):
    monkeypatch.setattr(pages, "PAGE_ROWS", 40)
    from quanze.engine.batch.pages import write_reports

    _, entries = every_case
    failing = [e for e in entries if e.get("checked") and e["verdict"] == "fail"]
    write_reports(tmp_path / "r", entries, summarize(entries), rules=rules)
    summary_page = (tmp_path / "r.html").read_text(encoding="utf-8")
    n = -(-len(entries) // 40)
    assert f"共 {n} 页" in summary_page and 'href="r.pages/0001.html"' in summary_page and "<tr class=" not in summary_page
    assert '<meta name="quanze-jsonl"' in summary_page and 'href="r.csv"' in summary_page and 'href="r.xlsx"' in summary_page
    files = sorted((tmp_path / "r.pages").iterdir())
    assert [f.name for f in files] == [f"{k:04d}.html" for k in range(1, n + 1)]
    texts = [f.read_text(encoding="utf-8") for f in files]
    assert [t.count("<tr class=") for t in texts] == [40] * (n - 1) + [len(entries) - 40 * (n - 1)]
    assert sum(t.count('<section class="file"') for t in texts) == len(failing)
    for t in texts:  # each page: the filters, a link back, its failing files linked to their sections
        assert '<select name="verdict">' in t and 'href="../r.html#pages"' in t
        for anchor in re.findall(r'<a href="#(f\d+)">', t):
            assert f'id="{anchor}"' in t
    assert "下一页" in texts[0] and "上一页" not in texts[0] and "上一页" in texts[-1] and "下一页" not in texts[-1]


def test_a_smaller_review_removes_the_pages_a_larger_one_left(every_case, rules, tmp_path, monkeypatch):
    from quanze.engine.batch.pages import write_reports

    _, entries = every_case
    monkeypatch.setattr(pages, "PAGE_ROWS", 40)
    write_reports(tmp_path / "r", entries, summarize(entries), rules=rules)
    (tmp_path / "r.pages" / "notes.txt").write_text("mine", encoding="utf-8")
    assert len(list((tmp_path / "r.pages").glob("*.html"))) > 2
    write_reports(tmp_path / "r", entries[:70], summarize(entries[:70]), rules=rules)
    assert sorted(p.name for p in (tmp_path / "r.pages").iterdir()) == ["0001.html", "0002.html", "notes.txt"]
    write_reports(tmp_path / "r", entries[:30], summarize(entries[:30]), rules=rules)  # one page: no pages left
    assert sorted(p.name for p in (tmp_path / "r.pages").iterdir()) == ["notes.txt"]


def _excel_rows(path):
    """The rows of every sheet of an xlsx as Excel shows them (openpyxl leaves the ``_xHHHH_`` escapes to decode)."""
    openpyxl = pytest.importorskip("openpyxl")
    decode = re.compile(r"_x([0-9A-Fa-f]{4})_")
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        shown = lambda c: decode.sub(lambda m: chr(int(m.group(1), 16)), c) if isinstance(c, str) else c  # noqa: E731
        return [[[shown(c) for c in row] for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets]
    finally:
        book.close()


_HOSTILE = "=cmd|' /C calc'!A0 \x01\x1b\u202e\ud800 _x003D_ & <b> " + "长" * 10000


def test_the_xlsx_holds_the_csv_rows_cell_for_cell(every_case, rules, tmp_path):
    """Same columns, same order, same cells as the CSV (formulas quoted off, hidden characters shown), every cell an
    inline string, never a formula; a hostile name (a formula, control characters, 10 000 characters) included."""
    import csv
    import io
    import zipfile

    from quanze.engine.batch.pages import write_reports

    _, entries = every_case
    entries = [dict(entries[0], case_id=_HOSTILE, handler="+\t张三\x00", item="@SUM(1)")] + entries[1:]
    write_reports(tmp_path / "r", entries, summarize(entries), rules=rules)
    rows = list(csv.reader(io.StringIO((tmp_path / "r.csv").read_bytes().decode("utf-8-sig"), newline="")))
    [sheet] = _excel_rows(tmp_path / "r.xlsx")
    assert sheet == rows and len(sheet) == len(entries) + 1
    assert sheet[1][0].startswith("'=cmd|") and "\\u0001\\u001b\\u202e" in sheet[1][0] and "_x003D_" in sheet[1][0]
    assert sheet[1][1] == "'@SUM(1)" and sheet[1][2] == "'+\\u0009张三\\u0000" and len(sheet[1][0]) > 10000
    with zipfile.ZipFile(tmp_path / "r.xlsx") as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and xml.count("<c ") == xml.count('t="inlineStr"') == len(rows) * len(rows[0])


def test_the_xlsx_writer_takes_any_text(tmp_path, monkeypatch):
    """Characters XML cannot carry become U+FFFD, a cell is cut at Excel's 32 767 characters, a sheet goes on in the
    next at its row limit (the header repeated); an empty table is a header."""
    import xml.etree.ElementTree as ET
    import zipfile

    from quanze.engine.batch import xlsx

    monkeypatch.setattr(xlsx, "MAX_ROWS", 3)
    rows = [["\x00a\x08\x0b\ufffe\ud800b", "x" * 40000], ["_x0041_ 1", "=1+1"], ["c", "😀" * 20000]]
    with open(tmp_path / "t.xlsx", "wb") as out:
        assert xlsx.write_xlsx(out, ["甲", "乙"], rows) == 3
    with zipfile.ZipFile(tmp_path / "t.xlsx") as z:
        for name in z.namelist():
            if name.endswith((".xml", ".rels")):
                ET.fromstring(z.read(name))  # well formed
    first, second = _excel_rows(tmp_path / "t.xlsx")
    assert first[0] == second[0] == ["甲", "乙"]
    assert first[1] == ["\ufffda\ufffd\ufffd\ufffd\ufffdb", "x" * 32766 + "…"] and first[2] == ["_x0041_ 1", "=1+1"]
    assert second[1:] == [["c", "😀" * 16383 + "…"]]  # Excel counts a character beyond U+FFFF twice
    with open(tmp_path / "e.xlsx", "wb") as out:
        assert xlsx.write_xlsx(out, ["甲"], []) == 0
    assert _excel_rows(tmp_path / "e.xlsx") == [[["甲"]]]
