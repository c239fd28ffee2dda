"""The register in a real ``quanze serve`` process: saving over HTTP (201, 409 with both versions kept), the register
list with its cards, the typed OpenAPI, and a server killed in the middle of saves (every acknowledged version is
there, the chains verify, the database is intact)."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time

import httpx
import pytest
import yaml
from pgserver import MISSING, new_database, postgres
from test_server_process import QUANZE, free_port, wait_ready

from helpers import sample
from quanze.register.store import Register

pytestmark = pytest.mark.skipif(QUANZE is None, reason="quanze entry point not installed")
CASES_URL = "/api/v1/register/cases"


def draft_text(case_id: str, gains: int = 0, served: str | None = None) -> bytes:
    raw = sample("penalty/CF-01/lawful_stop_and_retrofit.yaml")
    raw["procedure"]["served_on"] = served
    raw["case_id"] = case_id
    raw["violation"]["illegal_gains"] = gains
    return yaml.safe_dump(raw, allow_unicode=True, sort_keys=False).encode()


def start(tmp_path, url: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    base, log = f"http://127.0.0.1:{port}", tmp_path / f"serve-{port}.log"
    env = {**os.environ, "QUANZE_DATABASE_URL": url}
    with log.open("w", encoding="utf-8") as err:
        proc = subprocess.Popen([QUANZE, "serve", "--port", str(port)], cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=err, env=env)
    wait_ready(proc, base, log)
    return proc, base


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("register-serve")
    url = f"sqlite:///{tmp / 'register.sqlite3'}"
    proc, base = start(tmp, url)
    yield base, url
    proc.terminate()
    proc.wait(timeout=20)


YAML = {"Content-Type": "application/yaml"}


def test_save_conflict_and_history_over_http(served):
    base, _url = served
    with httpx.Client(base_url=base, timeout=30) as c:
        first = c.post(CASES_URL, params={"who": "张三", "base": 0}, content=draft_text("伊市商工罚〔2026〕701号"), headers=YAML)
        assert first.status_code == 201, first.text
        assert first.json()["number"] == 1 and first.json()["result"]["case_id"] == "伊市商工罚〔2026〕701号"
        second = c.post(CASES_URL, params={"who": "李四", "base": 1}, content=draft_text("伊市商工罚〔2026〕701号", 3), headers=YAML)
        assert second.status_code == 201
        stale = c.post(CASES_URL, params={"who": "王五", "base": 1}, content=draft_text("伊市商工罚〔2026〕701号", 9), headers=YAML)
        assert stale.status_code == 409
        body = stale.json()
        assert body["current"] == 2 and body["kept"] and "李四" in body["lines"][0]
        case = c.get("/api/v1/register/case", params={"case_id": "伊市商工罚〔2026〕701号"}).json()
        assert [v["saved_by"] for v in case["history"]] == ["张三", "李四"] and "illegal_gains: 3" in case["text"]
        old = c.get("/api/v1/register/version", params={"case_id": "伊市商工罚〔2026〕701号", "number": 1}).json()
        assert "illegal_gains: 0" in old["text"]
        assert c.get("/api/v1/register/case", params={"case_id": "无此案"}).status_code == 404
        bad = c.post(CASES_URL, content=b"kind: penalty\ncase_id: X-1\nparty: [", headers=YAML)
        assert bad.status_code == 201 and bad.json()["valid"] is False and bad.json()["result"]["lines"]
        assert c.post(CASES_URL, content=b"{}", headers={"Content-Type": "text/plain"}).status_code == 415


def test_register_list_cards_filters_and_pages(served):
    base, _url = served
    with httpx.Client(base_url=base, timeout=30) as c:
        for n in range(3):
            res = c.post(CASES_URL, params={"base": 0}, content=draft_text(f"伊市商工罚〔2026〕71{n}号"), headers=YAML)
            assert res.status_code == 201
        page = c.get(CASES_URL, params={"today": "2026-04-21", "per_page": 2}).json()
        assert page["total"] >= 4 and len(page["cases"]) == 2 and page["yellow_days"] == 3
        top = page["cases"][0]
        assert top["card"] == "yellow" and top["next_step"] == "决定书送达期限" and top["remaining"] == "剩余 2 个工作日"
        late = c.get(CASES_URL, params={"today": "2026-04-24"}).json()["cases"][0]
        assert late["card"] == "red" and late["remaining"] == "已逾期 1 日"
        none = c.get(CASES_URL, params={"handler": "无此人"}).json()
        assert none["total"] == 0 and none["cases"] == []
        assert c.get(CASES_URL, params={"per_page": 0}).status_code == 422


def test_openapi_types_the_register(served):
    base, _url = served
    spec = httpx.get(f"{base}/openapi.json", timeout=30).json()
    listing = spec["paths"]["/api/v1/register/cases"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert listing["$ref"].endswith("/Listing")
    assert "409" in spec["paths"]["/api/v1/register/cases"]["post"]["responses"]
    assert {"CardEntry", "CaseDetail", "Version", "Saved"} <= set(spec["components"]["schemas"])


@pytest.fixture(scope="module")
def pg_base():
    with postgres() as base:
        yield base


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_server_killed_during_saves_keeps_every_complete_version(tmp_path, request, backend):
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'register.sqlite3'}"
    else:
        pg = request.getfixturevalue("pg_base")
        if pg is None:
            pytest.skip(MISSING)
        url = new_database(pg)
    proc, base = start(tmp_path, url)
    acked: dict[str, int] = {}
    stop = threading.Event()

    def officer(i: int) -> None:
        case_id = f"伊市商工罚〔2026〕6{i:02d}号"
        number = 0
        with httpx.Client(base_url=base, timeout=10) as c:
            while not stop.is_set():
                try:
                    res = c.post(CASES_URL, params={"base": number, "who": f"officer{i}"},
                                 content=draft_text(case_id, number), headers=YAML)
                except httpx.HTTPError:
                    return  # the server is gone
                assert res.status_code == 201, res.text
                number = res.json()["number"]
                acked[case_id] = number

    threads = [threading.Thread(target=officer, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 30
    while sum(acked.values()) < 15 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)  # in the middle of saves
    proc.wait(timeout=10)
    stop.set()
    for t in threads:
        t.join(timeout=30)
    assert sum(acked.values()) >= 15
    reg = Register(url)
    try:
        if backend == "sqlite":
            with reg.engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA integrity_check").scalar_one() == "ok"
        problems, _ledger, n_cases, _n = reg.verify()
        # an officer whose first save was in flight may have it committed with its answer never sent
        assert problems == [] and len(acked) <= n_cases <= len(threads)
        for case_id, number in acked.items():
            held = reg.case(case_id)["versions"]
            assert number <= held <= number + 1  # the one in flight may have committed before its answer was sent
    finally:
        reg.close()
    proc, base = start(tmp_path, url)  # and the register opens again and takes the next save
    try:
        case_id = next(iter(acked))
        held = httpx.get(f"{base}/api/v1/register/case", params={"case_id": case_id}, timeout=30).json()["versions"]
        res = httpx.post(f"{base}{CASES_URL}", params={"base": held}, content=draft_text(case_id, 99), headers=YAML, timeout=30)
        assert res.status_code == 201 and res.json()["number"] == held + 1
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_serve_refuses_a_database_that_is_gone_in_chinese(tmp_path):
    env = {**os.environ, "QUANZE_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2"}
    proc = subprocess.run([QUANZE, "serve", "--port", str(free_port())], capture_output=True, text=True, timeout=120, env=env,
                          cwd=tmp_path)
    assert proc.returncode == 2 and "无法连接数据库" in proc.stderr and "未写入任何内容" in proc.stderr
    assert "Traceback" not in proc.stderr
