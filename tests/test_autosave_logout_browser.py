"""The form's autosave leaves the browser on 退出登录 (issue #30 §2), in Chromium against a real ``quanze serve`` with
accounts (SQLite register) on a loopback port.

An officer logs in, types a party's name, sees it autosaved in localStorage, logs out and finds no draft there (the
pages delete it themselves, and /logout answers ``Clear-Site-Data: "storage"`` for the browsers that honour it); a
logout while a save is pending does not write it back; one that the officer cancels keeps the work; the register
page's 退出登录 deletes it as well. Skipped without Chromium (``apt-get install chromium``, or QUANZE_CHROMIUM).
"""

from __future__ import annotations

import pytest
from test_register_browser import add_people, log_in, serve
from test_server_process import QUANZE, stop

from conftest import needs_chromium

pytestmark = [needs_chromium, pytest.mark.skipif(QUANZE is None, reason="quanze entry point not installed")]
SAVED = "localStorage.getItem('quanze-draft-v1')"
PARTY = "某节能咨询有限公司"


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """``quanze serve`` with two accounts on a SQLite register, as its own process; its URL."""
    folder = tmp_path_factory.mktemp("logout")
    url = f"sqlite:///{folder / 'register.sqlite3'}"
    add_people(url)
    proc, base = serve(folder, url)
    yield base
    stop(proc)


@pytest.fixture
def page(browser, base):
    """A fresh context (its own localStorage), logged in as 张三, the form loaded; dialogs answered by page.answer."""
    # bypass_csp: wait_for_function evaluates strings; the CSP is kept to in test_server_hostile.py
    context = browser.new_context(bypass_csp=True)
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    pg.answer = True  # type: ignore[attr-defined]
    pg.dialogs = []  # type: ignore[attr-defined]
    pg.errors = []  # type: ignore[attr-defined]
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))  # type: ignore[attr-defined]

    def on_dialog(d):
        pg.dialogs.append(d.message)  # type: ignore[attr-defined]
        d.accept() if pg.answer else d.dismiss()  # type: ignore[attr-defined]

    pg.on("dialog", on_dialog)
    log_in(pg, base, "张三")
    pg.goto(base + "/")
    pg.wait_for_function("window.quanzeRegisterForm && window.quanzeRegisterForm.opened === 1")
    yield pg
    context.close()


def type_party(page) -> None:
    page.select_option("#item", "CF-04")
    page.wait_for_selector("[data-path='party.name']")
    page.fill("[data-path='party.name']", PARTY)


def wait_saved(page) -> None:
    """The party's name autosaved (the item's choice is saved first, without it) and the page saying so."""
    page.wait_for_function(f"({SAVED} || '').includes('{PARTY}')")
    assert page.locator("#saved").inner_text().startswith("已自动保存")


def without_clear_site_data(route) -> None:
    """/logout as a browser that ignores Clear-Site-Data sees it (plain HTTP beyond loopback): the pages' own work."""
    answer = route.fetch()
    headers = {k: v for k, v in answer.headers.items() if k.lower() != "clear-site-data"}
    route.fulfill(response=answer, headers=headers)


def test_logout_from_the_form_deletes_the_autosaved_draft(page, base):
    type_party(page)
    wait_saved(page)
    page.route("**/logout", without_clear_site_data)
    page.click("#logout")
    page.wait_for_url(base + "/login")
    assert page.evaluate(SAVED) is None
    assert page.dialogs and "退出登录将删除本浏览器中自动保存的草稿" in page.dialogs[0]  # type: ignore[attr-defined]
    log_in(page, base, "张三")  # the next officer at this browser finds an empty form
    page.goto(base + "/")
    page.wait_for_selector("body[data-ready='1']")
    assert page.input_value("#item") == "" and page.evaluate(SAVED) is None
    assert page.errors == []  # type: ignore[attr-defined]


def test_logout_right_after_typing_does_not_write_the_draft_back(page, base):
    """A save pending (300 ms after the last key) when 退出登录 is clicked: leaving the page does not save it."""
    type_party(page)
    wait_saved(page)
    page.route("**/logout", without_clear_site_data)
    page.fill("[data-path='people.handler']", "张三")  # a save is pending now
    page.click("#logout")
    page.wait_for_url(base + "/login")
    page.wait_for_timeout(600)  # past the pending save's moment (ordering, not a measurement)
    assert page.evaluate(SAVED) is None


def test_a_cancelled_logout_keeps_the_work(page, base):
    type_party(page)
    wait_saved(page)
    page.answer = False  # type: ignore[attr-defined]
    page.click("#logout")
    page.wait_for_timeout(300)  # ordering only: no navigation follows a dismissed dialog
    assert page.url == base + "/" and PARTY in page.evaluate(SAVED)
    assert page.input_value("[data-path='party.name']") == PARTY


def test_logout_answers_clear_site_data(page, base):
    type_party(page)
    wait_saved(page)
    with page.expect_response(lambda r: r.url == base + "/logout") as answer:
        page.click("#logout")
    assert answer.value.all_headers().get("clear-site-data") == '"storage"'
    page.wait_for_url(base + "/login")
    assert page.evaluate(SAVED) is None


def test_logout_from_the_register_page_deletes_the_autosaved_draft(page, base):
    type_party(page)
    wait_saved(page)
    page.goto(base + "/register")
    page.wait_for_selector("#logout")
    assert PARTY in page.evaluate(SAVED)
    page.route("**/logout", without_clear_site_data)
    page.click("#logout")
    page.wait_for_url(base + "/login")
    assert page.evaluate(SAVED) is None
