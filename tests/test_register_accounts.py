"""People and access: argon2id passwords, sessions (HttpOnly, SameSite) with CSRF tokens, rate-limited logins,
per-user API tokens, officers limited to their 科室, 法制审核 reading all and recording 审核意见, reads of an
individual's personal data logged, and ``serve`` refusing to listen beyond loopback without accounts."""

from __future__ import annotations

import subprocess

import pytest
import yaml
from fastapi.testclient import TestClient
from test_server_process import QUANZE, free_port

from helpers import sample
from quanze.register.accounts import Accounts
from quanze.register.db import RegisterError
from quanze.register.store import Register
from quanze.web.app import create_app

PASSWORD = "correct horse battery"
YAML = {"Content-Type": "application/yaml"}


def case_text(case_id: str, individual: bool = False) -> bytes:
    raw = sample("penalty/CF-01/lawful_stop_and_retrofit.yaml")
    raw["procedure"]["served_on"] = None
    raw["case_id"] = case_id
    if individual:
        raw["party"]["type"] = "individual"
        raw["party"]["name"] = "某某"
    return yaml.safe_dump(raw, allow_unicode=True, sort_keys=False).encode()


@pytest.fixture
def url(tmp_path):
    return f"sqlite:///{tmp_path / 'register.sqlite3'}"


@pytest.fixture
def people(url):
    reg = Register(url)
    try:  # closed however the adding ends: an engine left open is a ResourceWarning in a later test
        accounts = Accounts(reg)
        accounts.add("张三", "承办人", PASSWORD, "工业信息化科")
        accounts.add("李四", "承办人", PASSWORD, "商务科")
        accounts.add("王法审", "法制审核", PASSWORD)
        yield accounts
    finally:
        reg.close()


@pytest.fixture
def app(url, monkeypatch):
    monkeypatch.delenv("QUANZE_REQUIRE_ACCOUNTS", raising=False)
    return create_app(database_url=url, warm_up=False)


def login(client: TestClient, name: str, password: str = PASSWORD):
    page = client.get("/login")
    csrf = page.text.split('name="csrf" value="')[1].split('"')[0]
    return client.post("/login", data={"name": name, "password": password, "csrf": csrf, "next": "/register"}, follow_redirects=False)


def csrf_of(client: TestClient) -> str:
    return client.get("/api/v1/register/me").json()["csrf"]


def test_passwords_are_argon2id_and_checked(people, url):
    reg = Register(url)
    with reg.engine.connect() as conn:
        stored = conn.exec_driver_sql("SELECT password_hash FROM users WHERE name = '张三'").scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert people.authenticate("张三", PASSWORD).department == "工业信息化科"
    assert people.authenticate("张三", "wrong password!") is None and people.authenticate("无此人", PASSWORD) is None
    with pytest.raises(RegisterError, match="角色须为"):
        people.add("赵六", "科长", PASSWORD, "商务科")
    with pytest.raises(RegisterError, match="须给出科室"):
        people.add("赵六", "承办人", PASSWORD)
    with pytest.raises(RegisterError, match="至少"):
        people.add("赵六", "管理员", "short")
    reg.close()


def test_without_accounts_it_works_as_before(app):
    with TestClient(app) as c:
        assert c.get("/").status_code == 200 and c.get("/register").status_code == 200
        saved = c.post("/api/v1/register/cases", content=case_text("伊市商工罚〔2026〕301号"), headers=YAML)
        assert saved.status_code == 201
        assert c.get("/api/v1/register/me").json() == {"accounts": False, "user": None, "csrf": None}


def test_with_accounts_everything_needs_a_login(people, app):
    with TestClient(app) as c:
        assert c.get("/healthz").status_code in (200, 503)
        assert c.get("/api/v1/register/cases").status_code == 401
        assert c.post("/api/v1/check", content=case_text("X"), headers=YAML).status_code == 401
        page = c.get("/register", follow_redirects=False)
        assert page.status_code == 303 and page.headers["location"].startswith("/login")
        assert login(c, "张三", "wrong password!").status_code == 401
        ok = login(c, "张三")
        assert ok.status_code == 303 and ok.headers["location"] == "/register"
        cookie = ok.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie
        assert c.get("/register").status_code == 200
        assert c.get("/api/v1/register/me").json()["user"] == {"name": "张三", "role": "承办人", "department": "工业信息化科"}


def test_a_login_without_its_page_token_is_refused(people, app):
    with TestClient(app) as c:
        res = c.post("/login", data={"name": "张三", "password": PASSWORD, "csrf": "forged"}, follow_redirects=False)
        assert res.status_code == 403


def test_logins_are_rate_limited(people, app):
    with TestClient(app) as c:
        for _ in range(5):
            assert login(c, "张三", "wrong password!").status_code == 401
        blocked = login(c, "张三")  # even the right password, until the window passes
        assert blocked.status_code == 429 and "次数过多" in blocked.text


def test_saves_need_the_csrf_token_and_officers_keep_to_their_department(people, app):
    with TestClient(app) as c:
        login(c, "张三")
        refused = c.post("/api/v1/register/cases", content=case_text("伊市商工罚〔2026〕302号"), headers=YAML)
        assert refused.status_code == 403 and "CSRF" in refused.text
        token = csrf_of(c)
        saved = c.post("/api/v1/register/cases", content=case_text("伊市商工罚〔2026〕302号"), headers={**YAML, "X-CSRF-Token": token})
        assert saved.status_code == 201
        case = c.get("/api/v1/register/case", params={"case_id": "伊市商工罚〔2026〕302号"}).json()
        assert case["department"] == "工业信息化科" and case["history"][0]["saved_by"] == "张三"
        other = c
        other.cookies.clear()
        login(other, "李四")
        assert other.get("/api/v1/register/cases").json()["total"] == 0
        assert other.get("/api/v1/register/case", params={"case_id": "伊市商工罚〔2026〕302号"}).status_code == 403
        token = csrf_of(other)
        stolen = other.post("/api/v1/register/cases", params={"base": 1}, content=case_text("伊市商工罚〔2026〕302号"),
                            headers={**YAML, "X-CSRF-Token": token})
        assert stolen.status_code == 403


def test_the_reviewer_reads_all_records_opinions_and_personal_reads_are_logged(people, app, url):
    with TestClient(app) as c:
        login(c, "张三")
        headers = {**YAML, "X-CSRF-Token": csrf_of(c)}
        saved = c.post("/api/v1/register/cases", content=case_text("伊市商工罚〔2026〕303号", individual=True), headers=headers)
        assert saved.status_code == 201
        denied = c.post("/api/v1/register/opinion", params={"case_id": "伊市商工罚〔2026〕303号", "version": 1}, json={"text": "同意"},
                        headers={"X-CSRF-Token": csrf_of(c)})
        assert denied.status_code == 403
        r = c
        r.cookies.clear()
        login(r, "王法审")
        assert r.get("/api/v1/register/cases").json()["total"] == 1
        case = r.get("/api/v1/register/case", params={"case_id": "伊市商工罚〔2026〕303号"}).json()
        assert case["personal"] is True
        token = csrf_of(r)
        refused = r.post("/api/v1/register/cases", content=case_text("伊市商工罚〔2026〕304号"), headers={**YAML, "X-CSRF-Token": token})
        assert refused.status_code == 403
        said = r.post("/api/v1/register/opinion", params={"case_id": "伊市商工罚〔2026〕303号", "version": 1},
                      json={"text": "事实清楚，同意"}, headers={"X-CSRF-Token": token})
        assert said.status_code == 201
        again = r.get("/api/v1/register/case", params={"case_id": "伊市商工罚〔2026〕303号"}).json()
        assert [(o["author"], o["text"]) for o in again["opinions"]] == [("王法审", "事实清楚，同意")]
    reader = Register(url)
    reads = Accounts(reader).reads("伊市商工罚〔2026〕303号")
    reader.close()
    assert [r["user"] for r in reads] == ["王法审", "王法审"] and "个人信息" in reads[0]["what"]


def test_personal_api_tokens(people, app):
    token = people.new_token("王法审", "案件管理系统")
    with TestClient(app) as c:
        res = c.get("/api/v1/register/cases", headers={"Authorization": f"Bearer {token}"})
        assert res.status_code == 200
        assert c.get("/api/v1/register/cases", headers={"Authorization": "Bearer qz_forged"}).status_code == 401
        # a token is not a cookie: no CSRF token needed, and a 法制审核's token still cannot save
        res = c.post("/api/v1/register/cases", content=case_text("伊市商工罚〔2026〕305号"),
                     headers={**YAML, "Authorization": f"Bearer {token}"})
        assert res.status_code == 403


@pytest.mark.skipif(QUANZE is None, reason="quanze entry point not installed")
def test_serve_refuses_to_listen_beyond_loopback_without_accounts(tmp_path, url):
    env_url = {"QUANZE_DATABASE_URL": url}
    import os

    proc = subprocess.run([QUANZE, "serve", "--host", "0.0.0.0", "--port", str(free_port())], capture_output=True, text=True,
                          timeout=120, env={**os.environ, **env_url})
    assert proc.returncode == 2 and "quanze users add" in proc.stderr and "Traceback" not in proc.stderr
