"""The officer form under its own Content-Security-Policy (no bypass), in Chromium against a real ``quanze serve``.

The other browser tests bypass the CSP (wait_for_function evaluates strings); this one keeps it, so that what the
policy refuses shows: the fine-range bar is drawn with positions set through the CSSOM (a ``style`` attribute is
refused by ``style-src 'self'``), and the page names no rules file (the field hints, the footer).
"""

from __future__ import annotations

from conftest import CASES, needs_chromium

pytestmark = needs_chromium


def test_the_fine_bar_is_drawn_under_the_policy_and_no_rules_path_is_shown(browser, server):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    try:
        page = context.new_page()
        page.set_default_timeout(60_000)
        violations: list[str] = []
        page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
        page.goto(server + "/")
        page.wait_for_selector("body[data-ready='1']")
        page.set_input_files("#import", str(CASES / "penalty/CF-04/lawful_general_tier.yaml"))
        page.wait_for_selector("#status:has-text('已导入')")
        page.click("#check")
        page.wait_for_selector(".bar .band")
        bands = [page.locator(".bar .band").nth(i).bounding_box() for i in range(page.locator(".bar .band").count())]
        assert len(bands) == 3 and len({round(b["x"]) for b in bands}) == 3 and all(b["width"] > 50 for b in bands), bands
        assert page.locator(".bar .marker").bounding_box()["x"] > bands[0]["x"]  # the draft's fine placed on the bar
        shown = page.locator("#draft").inner_text() + page.locator("footer").inner_text() + page.locator("#result").inner_text()
        assert "rules/" not in shown and ".yaml" not in shown
        assert violations == [], violations[:3]
    finally:
        context.close()
