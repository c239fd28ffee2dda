"""The form's 导入草稿 of an officer's document (.docx) in a real Chromium: the case file read from it fills the
form, and the reading (each value with its document, paragraph and words) is shown above it."""

from __future__ import annotations

import readcorpus

from conftest import needs_chromium

pytestmark = needs_chromium
TIMEOUT_MS = 60_000


def test_import_a_decision_docx(browser, server, tmp_path):
    case = next(c for c in readcorpus.corpus(29, 60) if "decision.tier" in c.truth and "procedure.served_on" in c.truth)
    readcorpus.write_case(case, tmp_path, "docx", 29)
    decision = next(tmp_path.glob("*-行政处罚决定书.docx"))
    page = browser.new_context(viewport={"width": 1200, "height": 900}, bypass_csp=True).new_page()
    page.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server + "/")
    page.wait_for_selector("body[data-ready='1']")
    page.set_input_files("#import", str(decision))
    page.wait_for_function("document.querySelector('#status').textContent.startsWith('已导入')")
    note = page.locator("#read-note").inner_text()
    assert "读到：" in note and "第" in note and "段" in note and case.truth["case_id"] in note
    assert page.input_value("[data-path='case_id']") == case.truth["case_id"]
    assert page.input_value("[data-path='party.name']") == case.truth["party.name"]
    assert errors == []
