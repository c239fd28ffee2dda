"""Issue 26 §4 in real Chromium: the form takes a case at any stage, shows its stage and what is due next, and
saves (downloads) and reloads it as it was: an open case stays open, the 履行与执行 section stays."""

from __future__ import annotations

import pytest

from conftest import CASES, needs_chromium

pytestmark = needs_chromium
TIMEOUT_MS = 60_000  # the machine is shared: generous, never a timing assertion
OPEN, PENDING = "penalty/CF-05/open", "办理中，尚未作出决定"


def open_form(browser, server):
    context = browser.new_context(viewport={"width": 1200, "height": 900}, accept_downloads=True, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server + "/")
    page.wait_for_selector("body[data-ready='1']")
    return page, errors


@pytest.mark.parametrize(
    ("case", "stage", "step"),
    [
        (f"{OPEN}/notice_hearing_window_open.yaml", f"案件阶段：告知（{PENDING}）", "下一步：听证申请期限（当事人），最后一日 2026-10-10"),
        (f"{OPEN}/filed_only.yaml", f"案件阶段：立案（{PENDING}）", "下一步：作出处罚决定期限，最后一日 2026-11-23"),
        ("penalty/CF-05/execution/court_after_demand_period.yaml", "案件阶段：履行/执行（已作出决定）", None),
    ],
)
def test_a_case_at_any_stage_is_checked_saved_and_reloaded(browser, server, tmp_path, case, stage, step):
    from quanze.engine.model.drafts import parse_text, read_draft, validate_draft

    page, errors = open_form(browser, server)
    page.set_input_files("#import", str(CASES / case))
    page.wait_for_function("document.querySelector('#status').textContent.startsWith('已导入')")
    page.click("#check")
    page.wait_for_selector("#stage")
    assert page.locator(".verdict").inner_text() == "结论：通过"
    assert page.locator("#stage h2").inner_text() == stage
    if step:
        assert step in page.locator("#stage").inner_text()
    with page.expect_download() as info:
        page.click("#download")
    target = tmp_path / "saved.yaml"
    info.value.save_as(target)
    saved = validate_draft(parse_text(target.read_text(encoding="utf-8"), "saved.yaml"), "saved.yaml")
    original = read_draft(CASES / case)
    assert saved.decision.decided_on == original.decision.decided_on
    assert saved.procedure.notice == original.procedure.notice and saved.execution == original.execution
    assert (saved.violation is None) == (original.violation is None)
    page.reload()
    page.wait_for_selector("body[data-ready='1']")
    page.click("#check")  # restored from the browser's storage after the reload
    page.wait_for_selector("#stage")
    assert page.locator("#stage h2").inner_text() == stage
    assert errors == []
