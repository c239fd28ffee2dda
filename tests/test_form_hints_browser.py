"""The form shows the officer text the JSON carries, as is (issue 25), in Chromium against a real ``quanze serve``.

A draft field's hint is its ``x-quanze-hint`` in the served JSON Schema and a filing item's fact shows the ``label`` and
``hint`` of the item detail (rules/filing/): nothing is cut from or filtered out of a sentence in the page. The schema's
hints are the officer's words (no ``null``, ``false``, ``{…}``, no half-width punctuation beside Chinese), and sample
drafts of every kind, imported and checked, show no rules or install path and no half-width punctuation in the page.
"""

from __future__ import annotations

import re

import httpx
import pytest
from test_officer_text import HALF, _defects

from conftest import CASES, form_page, needs_chromium

TIMEOUT_MS = 60_000  # the machine is shared: generous, never a timing assertion
YAML_ONLY = re.compile(r"\bnull\b|\bfalse\b|\btrue\b|\[\]|[{}]|quanze|[a-z]{3,}")
HINT = "x-quanze-hint"
# a draft of each kind, an item whose form has hints of every sort (rows, steps, a filing item's facts)
ITEMS = {"penalty": "CF-04", "filing": "QT-04", "inspection": "JC-03", "complaint": "QT-01"}


@pytest.fixture
def page(browser, server):
    # bypass_csp: wait_for_function evaluates strings, which the page's CSP (no eval) forbids (test_form_csp_browser.py keeps it)
    context = browser.new_context(viewport={"width": 1200, "height": 900}, bypass_csp=True)
    yield form_page(context, server, TIMEOUT_MS)
    context.close()


def _hint_at(schema: dict, path: str) -> str | None:
    """The ``x-quanze-hint`` of a field path (no list index) in a draft schema: properties through $ref, anyOf and items."""
    defs = schema.get("$defs", {})

    def open_(s: dict) -> dict:
        while True:
            if "$ref" in s:
                s = defs[s["$ref"].rsplit("/", 1)[-1]]
            elif "anyOf" in s:
                s = next((x for x in s["anyOf"] if x.get("type") != "null"), {})
            elif s.get("type") == "array" and isinstance(s.get("items"), dict):
                s = s["items"]
            else:
                return s

    node, prop = schema, {}
    for key in path.split("."):
        prop = open_(node).get("properties", {}).get(key, {})
        node = prop
    return prop.get(HINT)


def _shown_hints(page) -> dict[str, str]:
    """{field path: its hint as the page shows it} of every field and section with a hint of its own."""
    return page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('#draft [data-for] > p.hint')]
             .filter((p) => !p.classList.contains('step-hint') && !p.classList.contains('prefilled'))
             .map((p) => [p.parentElement.dataset.for, p.textContent]))"""
    )


@needs_chromium
@pytest.mark.parametrize("kind", ITEMS)
def test_the_hints_shown_are_the_served_ones_as_is(page, server, kind):
    item = ITEMS[kind]
    page.select_option("#item", item)
    page.wait_for_selector("[data-path='case_id']")
    schema = httpx.get(f"{server}/api/v1/schema/{kind}", timeout=60).json()
    detail = httpx.get(f"{server}/api/v1/items/{item}", timeout=60).json()
    shown = _shown_hints(page)
    assert len(shown) >= 5, shown
    facts = {f"facts.{k}": f for k, f in detail.get("facts", {}).items()}
    for path, text in shown.items():
        want = facts[path]["hint"] if path in facts else _hint_at(schema, path)
        assert text == want, (path, text, want)
        assert not YAML_ONLY.search(text) and not HALF.search(text), (path, text)
    if kind == "penalty":  # a hint written for the form where the YAML says 写 false / 写 null
        assert shown["violation.facts_established"] == "违法事实不能成立的，取消勾选（行政处罚法第五十七条第一款第（三）项）"
        assert shown["procedure.hearing.held_on"] == "举行听证的日期"
        assert shown["violation.ended_on"] == "连续或者继续状态的终了日期"
    for path, fact in facts.items():  # a filing item's fact: label and hint as served, each in its place
        wrap = page.locator(f"[data-for='{path}']")
        assert wrap.locator("label").first.text_content().strip() == fact["label"]
        if fact["hint"]:
            assert shown[path] == fact["hint"]
    if kind == "filing":
        assert facts["facts.store_area_m2"]["label"] == "单店营业面积"
    assert page.errors == []  # type: ignore[attr-defined]


def test_every_hint_of_the_schemas_is_officer_text(rules):
    """Every field with a description has an officer hint, in the officer's words (the form shows it unfiltered); so
    has a filing item's fact (no browser needed)."""
    from quanze.engine.present.draftschema import draft_schema
    from quanze.web.catalog import item_detail

    bad, n = [], 0

    def walk(node, where):
        nonlocal n
        if isinstance(node, dict):
            for name, prop in (node.get("properties") or {}).items():
                if isinstance(prop, dict) and "description" in prop:
                    n += 1
                    hint = prop.get(HINT) or ""
                    if not hint or YAML_ONLY.search(hint) or HALF.search(hint) or "rules/" in hint:
                        bad.append(f"{where}.{name}: {hint!r}")
            for key, value in node.items():
                walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for value in node:
                walk(value, where)

    for kind in ITEMS:
        walk(draft_schema(kind, rules), kind)
    for item in sorted(rules.filings):
        for key, fact in item_detail(rules, item).get("facts", {}).items():
            if not fact["label"] or YAML_ONLY.search(fact["label"] + fact["hint"]) or HALF.search(fact["label"] + fact["hint"]):
                bad.append(f"{item} facts.{key}: {fact}")
    assert n > 150 and not bad, "\n".join(bad)


def _sample_drafts() -> list:
    """A bounded walk: about fifteen sample drafts of each kind, evenly spread (the first included), fifty in all."""
    from quanze.engine.batch.cases import find_cases

    out = []
    for kind in ITEMS:
        found = [p for p in find_cases(CASES / kind) if "invalid" not in p.relative_to(CASES).parts]
        out += found[:: max(3, len(found) // 15)]
    return out


@needs_chromium
def test_sample_drafts_of_every_kind_show_officer_text_in_the_form(page):
    """Import each draft, press 检查: the form (its hints) and the result panel name no rules file or install path, and
    use full-width punctuation (the draft's own words, quoted in 「」, are not examined)."""
    drafts = _sample_drafts()
    assert 30 <= len(drafts) <= 120 and {p.relative_to(CASES).parts[0] for p in drafts} == set(ITEMS)
    bad = []
    for path in drafts:
        n = page.evaluate("window.quanze.imports")
        page.set_input_files("#import", str(path))
        page.wait_for_function(f"window.quanze.imports > {n}")
        checks = page.evaluate("window.quanze.checks")
        page.click("#check")
        page.wait_for_function(f"window.quanze.checks > {checks}")
        page.wait_for_selector("#result .verdict, #result .problems")
        hints = "\n".join(_shown_hints(page).values())
        result = page.locator("#result").inner_text()
        bad += [f"{path.relative_to(CASES)}: {d}" for d in _defects(hints + "\n" + result)]
    assert page.errors == []  # type: ignore[attr-defined]
    assert not bad, "\n".join(dict.fromkeys(bad))
