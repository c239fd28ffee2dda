"""The 评查 report as a meeting uses it, in Chromium (issue 20): summary first, cells that never break a 文号
or a code, filters that narrow the failing-file sections and live in the URL, a CSV export guarded against
formulas, and an A4 landscape print of the sample-case review in at most 15 pages."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from conftest import CASES, needs_chromium

pytestmark = needs_chromium


def _failing(entries, code=None):
    return [
        e for e in entries if e.get("checked") and e["verdict"] == "fail" and (code is None or code in {f["code"] for f in e["findings"]})
    ]


def test_summary_comes_before_the_table_with_a_table_of_contents(report, browser):
    _, page_path, _ = report
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(page_path.as_uri())
    y = {sel: page.locator(sel).bounding_box()["y"] for sel in ("#counts", "nav.toc", "#top", "#per", "#files", "#failing")}
    assert y["#counts"] < y["nav.toc"] < y["#top"] < y["#per"] < y["#files"] < y["#failing"]
    assert y["#per"] < 900 * 2  # the summary is on the first screens, not at the bottom of the page
    page.locator("nav.toc a[href='#failing']").click()
    assert page.evaluate("document.getElementById('failing').getBoundingClientRect().top") < 50
    page.close()


def test_no_cell_is_narrower_than_its_code_and_rows_stay_one_line(report, browser):
    _, page_path, _ = report
    for width in (1280, 1024):
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.goto(page_path.as_uri())
        first = page.locator("#files tbody tr").first.locator("td").first  # a 文号
        box = first.bounding_box()
        assert box["width"] + 0.5 >= first.evaluate("td => td.scrollWidth")
        cramped = page.evaluate(
            """() => [...document.querySelectorAll('#files td.nw, #files td.verdict')]
                 .filter(td => td.getBoundingClientRect().width + 0.5 < td.scrollWidth || getComputedStyle(td).whiteSpace !== 'nowrap')
                 .map(td => td.textContent)"""
        )
        assert cramped == [], (width, cramped[:5])
        # a 文号 is one line: its cell is no taller than a lawful row's one-line cells
        tall = page.evaluate(
            """() => [...document.querySelectorAll('#files td.nw')].filter(td => {
                 const r = document.createRange(); r.selectNodeContents(td); return r.getClientRects().length > 1; }).length"""
        )
        assert tall == 0
        page.close()


def test_filters_narrow_the_sections_and_live_in_the_url(report, browser):
    entries, page_path, _ = report
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(page_path.as_uri())
    sections = page.locator("section.file")
    assert sections.count() == len(_failing(entries))
    page.select_option("select[name=code]", "FINE_ABOVE_MAX")
    wanted = _failing(entries, "FINE_ABOVE_MAX")
    assert 0 < len(wanted) < len(_failing(entries))
    assert page.locator("section.file:visible").count() == len(wanted)
    assert page.locator("#files tbody tr:visible").count() == len(
        [e for e in entries if "FINE_ABOVE_MAX" in {f["code"] for f in e.get("findings", [])}]
    )
    assert "code=FINE_ABOVE_MAX" in page.url
    page.select_option("select[name=item]", "CF-05")
    cf05 = [e for e in wanted if e["item"] == "CF-05"]
    assert page.locator("section.file:visible").count() == len(cf05)
    url = page.url
    again = browser.new_page(viewport={"width": 1280, "height": 900})
    again.goto(url)  # the filters come back from the URL
    assert again.locator("select[name=code]").input_value() == "FINE_ABOVE_MAX"
    assert again.locator("select[name=item]").input_value() == "CF-05"
    assert again.locator("section.file:visible").count() == len(cf05)
    again.close()
    page.close()


def test_item_filter_names_each_item_by_its_distinct_name(report, browser):
    _, page_path, _ = report
    page = browser.new_page()
    page.goto(page_path.as_uri())
    labels = page.locator("select[name=item] option").all_inner_texts()[1:]
    names = [label.split(" ", 1)[1] for label in labels]
    assert len(set(names)) == len(names), labels
    cf = {label.split(" ", 1)[0]: label for label in labels if label.startswith("CF-0")}
    assert "节能服务机构提供虚假信息" in cf["CF-04"] and "淘汰" in cf["CF-02"]
    page.close()


def test_a4_landscape_print_of_the_sample_review_is_at_most_15_pages(report, browser, tmp_path):
    """15 pages for the 254 files the sample cases had when the layout was set; as cases are added, the same
    density: at most one page per 17 files (the table's own density is checked below)."""
    entries, page_path, _ = report
    page = browser.new_page()
    page.goto(page_path.as_uri())
    pdf = page.pdf(format="A4", landscape=True)
    pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))
    assert 1 < pages <= max(15, -(-len(entries) // 17)), (pages, len(entries))
    # the table of files in print, at the width of the page's content: at least 20 files a page
    page.set_viewport_size({"width": round((297 - 18) / 25.4 * 96), "height": 700})
    page.emulate_media(media="print")
    table = page.evaluate("document.getElementById('files').getBoundingClientRect().height")
    content = (210 - 16) / 25.4 * 96  # A4 landscape less the @page margins, in CSS px
    assert len(entries) / (table / content) >= 20
    page.close()


def test_csv_export_has_the_shown_rows_and_guards_formulas(browser, tmp_path, rules):
    from quanze.engine.batch.review import review, summarize
    from quanze.engine.present.report import html_page

    entries = list(review([CASES / "penalty/CF-04/fine_above_max.yaml", CASES / "penalty/CF-04/lawful_general_tier.yaml"], rules))
    entries[0]["case_id"] = '=HYPERLINK("http://x","点")<script>alert(1)</script>'
    entries[1]["handler"] = "+张三"
    entries[1]["case_id"] = "@SUM(1)"
    path = tmp_path / "r.html"
    text = html_page(summarize(entries), entries, {}, rules)
    assert "<script>alert" not in text
    path.write_text(text, encoding="utf-8")
    page = browser.new_page(accept_downloads=True)
    page.goto(path.as_uri())
    with page.expect_download() as info:
        page.click("#csv")
    data = Path(info.value.path()).read_bytes().decode("utf-8")
    assert data.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(data[1:])))
    assert rows[0][:4] == ["文号", "事项", "承办人", "结论"] and len(rows) == 3
    assert rows[1][0].startswith("'=HYPERLINK") and "<script>" in rows[1][0]
    assert rows[2][0] == "'@SUM(1)" and rows[2][2] == "'+张三"
    page.select_option("select[name=verdict]", "fail")
    with page.expect_download() as info:
        page.click("#csv")
    rows = list(csv.reader(io.StringIO(Path(info.value.path()).read_bytes().decode("utf-8")[1:])))
    assert len(rows) == 2 and rows[1][3] == "不通过"
    page.close()


def test_the_csv_written_beside_the_page_is_the_pages_own_export(report, browser):
    """review --out writes <base>.csv: byte for byte what 导出表格（CSV） of the page gives with no filter."""
    _, page_path, _ = report
    page = browser.new_page(accept_downloads=True)
    page.goto(page_path.as_uri())
    with page.expect_download() as info:
        page.click("#csv")
    assert Path(info.value.path()).read_bytes() == page_path.with_suffix(".csv").read_bytes()
    page.close()


def test_a_paged_report_filters_each_page_and_keeps_the_filters_from_page_to_page(rules, browser, tmp_path, monkeypatch):
    import quanze.engine.batch.pages as pages
    from quanze.engine.batch.pages import write_reports
    from quanze.engine.batch.review import find_drafts, review, summarize

    monkeypatch.setattr(pages, "PAGE_ROWS", 20)
    entries = list(review(find_drafts(CASES / "penalty"), rules))
    write_reports(tmp_path / "r", entries, summarize(entries), rules=rules)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto((tmp_path / "r.pages" / "0001.html").as_uri())
    page.select_option("select[name=verdict]", "fail")
    assert page.locator("#files tbody tr:visible").count() == len(_failing(entries[:20]))
    page.locator("a.page", has_text="下一页").first.click()
    page.wait_for_url("**/0002.html#verdict=fail", timeout=10_000)
    assert page.locator("select[name=verdict]").input_value() == "fail"
    assert page.locator("#files tbody tr:visible").count() == len(_failing(entries[20:40]))
    page.locator("a", has_text="汇总与页目录").first.click()
    page.wait_for_url("**/r.html#pages", timeout=10_000)
    assert page.locator("#pages").is_visible()
    page.close()
