"""Issue 27 in the form, in real Chromium: 违法事实, evidence rows with their elements, the 告知书 and 决定书 buttons."""

from __future__ import annotations

import io

from test_web_browser import open_form

from conftest import needs_chromium

pytestmark = needs_chromium


def test_the_form_asks_for_facts_and_evidence_and_downloads_the_decision(browser, server, tmp_path):
    from docx import Document

    page, errors = open_form(browser, server)
    page.select_option("#item", "CF-04")
    page.wait_for_selector("[data-path='case_id']")
    if page.locator("[data-path='violation?']").count():  # an optional section (open cases) is opened first
        page.select_option("[data-path='violation?']", "yes")
    page.fill("[data-path='case_id']", "伊市商工罚〔2026〕7号")
    page.fill("[data-path='party.name']", "某节能咨询有限公司")
    page.select_option("[data-path='party.type']", "organization")
    page.fill("[data-path='violation.committed_on']", "2026-02-10")
    page.fill("[data-path='violation.discovered_on']", "2026-04-01")
    page.select_option("[data-path='decision.tier']", "从重")
    page.fill("[data-path='decision.sanctions[1].amount']", "9万元")
    page.fill("[data-path='decision.decided_on']", "2026-05-25")
    assert page.locator("#doc-notice").is_visible() and page.locator("#doc-decision").is_visible()
    facts = page.locator("textarea[data-path='violation.facts']")
    facts.fill("当事人在节能评估报告中编造能耗数据。<b>第二行</b>")
    page.locator("[data-for='evidence'] + button").click()
    page.select_option("[data-path='evidence[0].kind']", "书证")
    page.fill("[data-path='evidence[0].title']", "节能评估报告")
    page.locator("[data-path='evidence[0].proves'] input[value='违法行为']").check()
    assert page.locator("[data-path='evidence[0].proves'] input[value='违法主体']").count() == 1
    with page.expect_download() as info:
        page.click("#doc-decision")
    path = tmp_path / "decision.docx"
    info.value.save_as(path)
    assert info.value.suggested_filename.startswith("行政处罚决定书")
    text = "\n".join(p.text for p in Document(io.BytesIO(path.read_bytes())).paragraphs)
    assert "当事人在节能评估报告中编造能耗数据。<b>第二行</b>" in text and "书证：节能评估报告" in text
    assert "案卷未载明、文书中留空待填写：当事人地址" in page.locator("#status").inner_text()
    page.click("#check")
    page.locator(".finding[data-code='ELEMENT_UNEVIDENCED']").wait_for()  # 违法主体 has no evidence row
    page.select_option("#item", "JC-01")  # an inspection: no party documents (the change is asynchronous)
    page.wait_for_function("document.querySelector('#doc-notice').hidden && document.querySelector('#doc-decision').hidden")
    assert errors == []
