"""The officer form in a real browser: Playwright driving the system Chromium (no browser download).

Install the browser with ``apt-get install chromium`` (Debian/Ubuntu); without /usr/bin/chromium (or
$QUANZE_CHROMIUM) these tests are skipped with that message. ``.ci/run`` installs it when missing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import CASES, needs_chromium

pytestmark = needs_chromium
TIMEOUT_MS = 60_000  # the machine is shared: generous, never a timing assertion


def open_form(browser, server, width=1200, height=900):
    # bypass_csp: Playwright's wait_for_function evaluates strings, which the page's CSP (no eval) forbids;
    # the policy itself is kept to in test_server_hostile.py
    context = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server + "/")
    page.wait_for_selector("body[data-ready='1']")
    return page, errors


def fill_cf04_with_fine(page, fine: str) -> None:
    page.select_option("#item", "CF-04")
    page.wait_for_selector("[data-path='case_id']")
    page.fill("[data-path='case_id']", "伊市商工罚〔2026〕7号")
    page.fill("[data-path='party.name']", "某节能咨询有限公司")
    page.select_option("[data-path='party.type']", "organization")
    page.fill("[data-path='violation.committed_on']", "2026-02-10")
    page.fill("[data-path='violation.discovered_on']", "2026-04-01")
    page.select_option("[data-path='decision.tier']", "从重")
    page.fill("[data-path='decision.sanctions[1].amount']", fine)
    page.fill("[data-path='decision.decided_on']", "2026-05-25")
    page.fill("[data-path='people.handler']", "张三")


def test_cf04_fine_of_12_wan_shows_fine_above_max_with_trigger_3_and_the_article(browser, server):
    page, errors = open_form(browser, server)
    fill_cf04_with_fine(page, "12万元")
    page.click("#check")
    card = page.locator(".finding[data-code='FINE_ABOVE_MAX']")
    card.wait_for()
    assert "罚款高于法定上限" in card.inner_text()
    assert "追责情形3" in card.inner_text()
    card.locator("summary", has_text="节约能源法 第七十六条").click()
    assert "五万元以上十万元以下罚款" in card.locator("blockquote").first.inner_text()
    assert page.locator(".verdict").inner_text() == "结论：不通过"
    assert page.locator(".marker").count() == 1  # the draft's fine drawn on the range bar
    # steps the officer did not fill (告知, 立案 …) are 未填写: withheld, never an accusation
    codes = set(page.locator(".finding").evaluate_all("cards => cards.map(c => c.dataset.code)"))
    assert not codes & {"NOTICE_MISSING", "NOT_FILED", "HEARING_NOT_HELD", "LEGAL_REVIEW_MISSING"}
    assert errors == []


def test_a_bad_draft_lists_every_problem_and_marks_the_fields(browser, server):
    page, _ = open_form(browser, server)
    fill_cf04_with_fine(page, "abc")
    page.fill("[data-path='party.name']", "")
    page.click("#check")
    page.wait_for_selector(".problems li")
    text = page.locator(".problems").inner_text()
    # named by the form's labels (no field paths), each a link to its field
    assert "处罚数额（第 2 行）" in text and "当事人名称或姓名" in text
    assert "decision.sanctions" not in text and "party.name" not in text
    assert page.locator(".problems a.goto").count() >= 2
    assert page.locator(".problem").count() >= 2


CASES_BY_KIND = [
    "penalty/CF-04/fine_above_max.yaml",
    "penalty/CF-04/officer_wording.yaml",
    "penalty/CF-05/served_8th_workday_across_national_day.yaml",
    "inspection/JC-03",
    "filing/QT-02",
    "complaint/QT-01",
]


def _case(spec: str) -> Path:
    path = CASES / spec
    if path.is_dir():
        return sorted(p for p in path.glob("*.yaml") if not p.name.endswith(".expect.yaml"))[0]
    return path


@pytest.mark.parametrize("spec", CASES_BY_KIND)
def test_imported_sample_case_gets_its_expected_verdict(browser, server, spec):
    case = _case(spec)
    expect = yaml.safe_load(case.with_name(case.stem + ".expect.yaml").read_text(encoding="utf-8"))
    page, errors = open_form(browser, server)
    page.set_input_files("#import", str(case))
    page.wait_for_function("document.querySelector('#status').textContent.startsWith('已导入')")
    page.click("#check")
    page.wait_for_selector(".verdict")
    verdict = {"pass": "通过", "warn": "通过（有警告）", "fail": "不通过", "incomplete": "未完成（有未填写的环节）"}[expect["verdict"]]
    assert page.locator(".verdict").inner_text() == f"结论：{verdict}", case
    codes = set(page.locator(".finding").evaluate_all("cards => cards.map(c => c.dataset.code)"))
    assert set(expect.get("present", [])) <= codes
    assert not set(expect.get("absent", [])) & codes
    assert errors == []


def test_downloaded_yaml_is_a_valid_draft(browser, server, tmp_path):
    from quanze.engine.model.drafts import parse_text, validate_draft

    page, _ = open_form(browser, server)
    page.set_input_files("#import", str(CASES / "penalty/CF-04/lawful_general_tier.yaml"))
    page.wait_for_function("document.querySelector('#status').textContent.startsWith('已导入')")
    with page.expect_download() as info:
        page.click("#download")
    target = tmp_path / "draft.yaml"
    info.value.save_as(target)
    draft = validate_draft(parse_text(target.read_text(encoding="utf-8"), "draft.yaml"), "draft.yaml")
    assert draft.item == "CF-04" and draft.decision.tier == "一般"


@pytest.mark.parametrize("width", [390, 1200])
def test_nothing_overflows_horizontally(browser, server, tmp_path, width):
    page, _ = open_form(browser, server, width=width, height=844)
    fill_cf04_with_fine(page, "12万元")
    page.click("#check")
    page.locator(".finding[data-code='FINE_ABOVE_MAX']").wait_for()
    for summary in page.locator("summary").all():
        summary.click()
    page.screenshot(path=str(tmp_path / f"form-{width}.png"), full_page=True)
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner, f"{width}px: page is {scroll}px wide"
