"""The register in Chromium (issue 28's acceptance): an officer logs in, saves a case at 立案 from the form, updates it
after 告知, finds it on the register page with a 黄牌 and opens it again with its history; a 法制审核 logs in and
records an opinion. On SQLite and on a PostgreSQL the test starts."""

from __future__ import annotations

import os
import subprocess

import pytest
import yaml
from pgserver import MISSING, new_database, postgres
from test_server_process import QUANZE, free_port, stop, wait_ready

from conftest import needs_chromium
from helpers import sample
from quanze.register.accounts import Accounts
from quanze.register.store import Register

pytestmark = [needs_chromium, pytest.mark.skipif(QUANZE is None, reason="quanze entry point not installed")]
CASE = "伊市商工罚〔2026〕501号"
PASSWORD = "correct horse battery"


def add_people(url: str) -> None:
    reg = Register(url)
    accounts = Accounts(reg)
    accounts.add("张三", "承办人", PASSWORD, "工业信息化科")
    accounts.add("王法审", "法制审核", PASSWORD)
    reg.close()


def log_in(page, base: str, name: str) -> None:
    page.goto(base + "/login")
    page.fill("#name", name)
    page.fill("#password", PASSWORD)
    page.click("#login")
    page.wait_for_url(base + "/register")


def serve(tmp_path, url: str, *args: str, env: dict | None = None):
    port = free_port()
    base, log = f"http://127.0.0.1:{port}", tmp_path / f"serve-{port}.log"
    with log.open("w", encoding="utf-8") as err:
        proc = subprocess.Popen([QUANZE, "serve", "--port", str(port), *args], cwd=tmp_path, stdout=subprocess.DEVNULL,
                                stderr=err, env={**os.environ, "QUANZE_DATABASE_URL": url, **(env or {})})
    wait_ready(proc, base, log)
    return proc, base


def write_case(folder, name: str, served: str | None, notice_only: bool = False):
    raw = sample("penalty/CF-01/lawful_stop_and_retrofit.yaml")
    raw["case_id"] = CASE
    raw["procedure"]["served_on"] = served
    if notice_only:  # at 立案: no notice yet, nothing decided (stored as submitted with its problems until it validates)
        raw["procedure"]["notice"] = None
        raw["decision"] = None
    path = folder / name
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def officer_flow(browser, base: str, tmp_path) -> None:
    page = browser.new_page()
    page.set_default_timeout(30_000)
    log_in(page, base, "张三")
    page.goto(base + "/")
    page.wait_for_function("window.quanzeRegisterForm && window.quanzeRegisterForm.opened === 1")
    assert "承办人：张三（工业信息化科）" in page.text_content("#register-box")
    # at 立案
    page.set_input_files("#import", str(write_case(tmp_path, "li-an.yaml", None, notice_only=True)))
    page.wait_for_function("document.querySelector('#status').textContent.startsWith('已导入')")
    page.click("#register-save")
    page.wait_for_function("window.quanzeRegisterForm.saves === 1")
    assert page.text_content("#register-status").startswith("已保存为第 1 版"), page.text_content("#register-status")
    # after 告知 and the decision: the decision is to be served next
    page.set_input_files("#import", str(write_case(tmp_path, "gao-zhi.yaml", None)))
    page.wait_for_function("document.querySelector('#status').textContent.startsWith('已导入') && window.quanze.imports === 2")
    page.click("#register-save")
    page.wait_for_function("window.quanzeRegisterForm.saves === 2")
    assert page.text_content("#register-status") == "已保存为第 2 版", page.text_content("#register-status")
    assert page.locator("#history li").count() == 2
    # the register on 2026-04-21: 决定书送达 due 2026-04-23, a 黄牌
    page.goto(base + "/register?today=2026-04-21")
    page.wait_for_function("window.quanzeRegister.loads >= 1")
    row = page.locator(f"#register tbody tr[data-case='{CASE}']")
    assert row.get_attribute("data-card") == "yellow"
    assert "黄牌" in row.text_content() and "决定书送达期限" in row.text_content()
    row.locator("a").click()
    page.wait_for_function("window.quanzeRegisterForm && window.quanzeRegisterForm.opened === 1")
    page.wait_for_function("document.querySelector('#register-status').textContent.startsWith('已从登记库打开第 2 版')")
    history = page.text_content("#history")
    assert "第 1 版" in history and "第 2 版" in history and "张三" in history
    assert page.locator("#opinion-box").is_hidden()  # a 承办人 records no opinion
    page.click("#logout")
    page.wait_for_url(base + "/login")
    # the 法制审核 reads every case and records the opinion
    log_in(page, base, "王法审")
    page.goto(base + "/?case=" + CASE)
    page.wait_for_function("window.quanzeRegisterForm && window.quanzeRegisterForm.opened === 1")
    page.wait_for_function("document.querySelector('#register-status').textContent.startsWith('已从登记库打开第 2 版')")
    assert page.locator("#register-save").is_hidden()
    page.fill("#opinion-text", "事实清楚，证据确实充分，同意送达。")
    page.click("#opinion-save")
    page.wait_for_function("window.quanzeRegisterForm.opinions === 1")
    assert page.text_content("#register-status") == "已记录对第 2 版的审核意见"
    assert "王法审：事实清楚，证据确实充分，同意送达。" in page.text_content("#opinions")
    page.close()


def test_officer_saves_updates_and_sees_a_yellow_card_sqlite(browser, tmp_path):
    url = f"sqlite:///{tmp_path / 'register.sqlite3'}"
    add_people(url)
    proc, base = serve(tmp_path, url)
    try:
        officer_flow(browser, base, tmp_path)
    finally:
        stop(proc)


def test_officer_saves_updates_and_sees_a_yellow_card_postgresql(browser, tmp_path):
    with postgres() as pg:
        if pg is None:
            pytest.skip(MISSING)
        url = new_database(pg)
        add_people(url)
        proc, base = serve(tmp_path, url)
        try:
            officer_flow(browser, base, tmp_path)
        finally:
            stop(proc)
