"""Issue #18 against a real ``quanze serve`` on loopback: batches, slow clients, content types, odd bodies, tokens.

No timed assertions: a bounded wait (the test fails if it runs out) and the order in which answers complete.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
import yaml
from fastapi.testclient import TestClient
from test_server_process import QUANZE, free_port, serving

from conftest import CASES
from quanze.web.app import create_app

pytestmark = pytest.mark.skipif(QUANZE is None, reason="quanze entry point not installed")

DRAFT = json.loads(json.dumps(yaml.safe_load((CASES / "penalty/CF-04/fine_above_max.yaml").read_text(encoding="utf-8")), default=str))
JSON = {"Content-Type": "application/json"}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """One server for the module, with a small batch cap and short client deadlines."""
    tmp = tmp_path_factory.mktemp("serve")
    env = {"QUANZE_MAX_BATCH": "40", "QUANZE_CLIENT_TIMEOUT": "3"}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        with serving(tmp) as base:
            yield base
    finally:
        for k, v in old.items():
            os.environ.pop(k, None) if v is None else os.environ.__setitem__(k, v)


def test_a_batch_over_the_cap_is_refused_with_the_limit_in_chinese(server):
    res = httpx.post(f"{server}/api/v1/check:batch", json=[{}] * 41, timeout=60)
    assert res.status_code == 413
    assert "至多 40 份" in res.json()["lines"][0] and "41" in res.json()["lines"][0]
    res = httpx.post(f"{server}/api/v1/check:batch", json=[DRAFT] * 40, timeout=120)  # at the cap: checked
    assert res.status_code == 200 and [r["verdict"] for r in res.json()["results"]] == ["fail"] * 40


def test_a_single_check_does_not_wait_behind_a_large_batch(server):
    """While a full batch runs, a single check sent after it started answers before the batch does."""
    done: list[str] = []
    lock = threading.Lock()

    def batch() -> int:
        res = httpx.post(f"{server}/api/v1/check:batch", json=[DRAFT] * 40, timeout=300)
        with lock:
            done.append("batch")
        return res.status_code

    def single() -> int:
        res = httpx.post(f"{server}/api/v1/check", json=DRAFT, timeout=300)
        with lock:
            done.append("single")
        return res.status_code

    with ThreadPoolExecutor(5) as pool:
        batches = [pool.submit(batch)]
        time.sleep(0.3)  # let the first batch start (ordering only; no assertion on a duration)
        batches += [pool.submit(batch) for _ in range(3)]  # queued: one batch at a time, none holds the thread between chunks
        time.sleep(0.1)
        one = pool.submit(single)
        assert [one.result()] + [b.result() for b in batches] == [200] * 5
    assert done.count("batch") == 4 and done[-1] == "batch"  # the single check did not wait behind all four batches


def test_every_post_takes_only_its_documented_content_types(server):
    for path in ("/api/v1/check", "/api/v1/check:batch", "/api/v1/parse", "/api/v1/yaml"):
        for headers in ({"Content-Type": "text/plain"}, {"Content-Type": "application/x-www-form-urlencoded"}, {}):
            res = httpx.post(f"{server}{path}", content=b'{"kind": "penalty"}', headers=headers, timeout=30)
            assert res.status_code == 415, (path, headers, res.text)
            assert "期望" in res.json()["lines"][0] and "Content-Type" in res.json()["lines"][0]
    res = httpx.post(f"{server}/api/v1/yaml", content=b"kind: penalty", headers={"Content-Type": "application/yaml"}, timeout=30)
    assert res.status_code == 415  # /api/v1/yaml renders JSON only


def test_healthz_answers_while_a_one_mebibyte_yaml_render_runs(server):
    big = {"kind": "penalty", "notes": [{"k": "值值", "n": i} for i in range(36000)]}
    body = json.dumps(big, ensure_ascii=False).encode()
    assert len(body) < 1 << 20
    with ThreadPoolExecutor(2) as pool:
        render = pool.submit(lambda: httpx.post(f"{server}/api/v1/yaml", content=body, headers=JSON, timeout=300))
        time.sleep(0.5)
        health = httpx.get(f"{server}/healthz", timeout=60)
        assert health.status_code == 200
        assert not render.done()  # /healthz answered while the render was still running
        assert render.result().status_code == 200 and "值" in render.result().text


def _stalled(port: int, n: int, data: bytes) -> list[socket.socket]:
    socks = []
    for _ in range(n):
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        s.sendall(data)
        socks.append(s)
    return socks


def _closed_by_server(s: socket.socket, within: float) -> bool:
    s.settimeout(within)
    try:
        while True:
            chunk = s.recv(4096)
            if not chunk:
                return True
            if b"408" in chunk:
                return True
    except TimeoutError:
        return False
    except OSError:
        return True


def test_a_swarm_of_half_open_connections_neither_blocks_others_nor_stays(server):
    """300 sockets send half a request line or headers without their end and stall; 30 send headers and half a body."""
    port = int(server.rsplit(":", 1)[1])
    half = _stalled(port, 300, b"POST /api/v1/check HTTP/1.1\r\nHost: x\r\nContent-Ty")
    head = b"POST /api/v1/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n"
    body = _stalled(port, 30, head + b'{"ki')
    try:
        assert httpx.get(f"{server}/healthz", timeout=30).status_code == 200
        res = httpx.post(f"{server}/api/v1/check", json=DRAFT, timeout=60)
        assert res.status_code == 200 and res.json()["verdict"] == "fail"
        # every stalled socket is closed by the server (QUANZE_CLIENT_TIMEOUT=3 s) well within 60 s
        assert all(_closed_by_server(s, 55) for s in half[:20] + body[:20])
    finally:
        for s in half + body:
            s.close()
    assert httpx.get(f"{server}/healthz", timeout=30).status_code == 200


def test_a_stalled_body_gets_408_in_chinese(server):
    port = int(server.rsplit(":", 1)[1])
    (s,) = _stalled(port, 1, b"POST /api/v1/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
    s.settimeout(55)
    answer = b""
    try:
        while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
            chunk = s.recv(4096)
            if not chunk:
                break
            answer += chunk
    finally:
        s.close()
    assert answer.startswith(b"HTTP/1.1 408")
    assert "秒内收到完整的请求体" in answer.decode("utf-8", "replace")


@pytest.mark.parametrize(
    "body",
    [
        b'{"kind": "penalty", "item": "CF-04", "decision": {"sanctions": [{"kind": "\xe7\xbd\x9a\xe6\xac\xbe", "amount": 4e306}]}}',
        b'{"kind": "penalty", "item": "CF-04", "violation": {"illegal_gains": 1.7976931348623157e308}}',
        b'{"kind": "penalty", "item": "CF-04", "decision": {"sanctions": [{"kind": "\\u0000", "amount": -4e306}]}}',
        b'{"kind": "penalty", "item": "\\ud800"}',
        b'{"kind": "\\u202e", "item": ""}',
        b'{"kind": "penalty", "item": "CF-04", "party": {"type": "\\u0000\\u0085"}}',
        b'{"kind": "filing", "item": "QT-02", "dates": {"submitted_on": "0000-00-00"}}',
        b'{"kind": "penalty", "item": "CF-04", "decision": {"decided_on": "9999-12-31"}}',
    ],
)
def test_odd_bodies_are_422_never_500(body):
    """schemathesis found 500s for huge floats and odd strings in check and batch bodies (#18)."""
    with TestClient(create_app(warm_up=False)) as c:
        one = c.post("/api/v1/check", content=body, headers=JSON)
        assert one.status_code in (200, 422), one.text
        if one.status_code == 422:
            assert one.json()["lines"]
        many = c.post("/api/v1/check:batch", content=b"[" + body + b"]", headers=JSON)
        assert many.status_code in (200, 422), many.text  # 422 for the whole body: text that is not Unicode


def test_english_framework_errors_are_chinese():
    with TestClient(create_app(warm_up=False)) as c:
        res = c.get("/api/v1/nope")
        assert res.status_code == 404 and "没有此地址" in res.json()["lines"][0]
        res = c.put("/api/v1/check", json={})
        assert res.status_code == 405 and "不接受 PUT" in res.json()["lines"][0] and "POST" in res.json()["lines"][0]
        res = c.post("/api/v1/check?explain=maybe", json=DRAFT)
        assert res.status_code == 422 and res.json()["problems"][0]["where"] == "explain"
        assert "true 或 false" in res.json()["lines"][0] and "maybe" in res.json()["lines"][0]
        res = c.get("/api/v1/basis")
        assert res.status_code == 422 and "缺少此参数" in res.json()["lines"][0]


@pytest.mark.parametrize("path", ["check", "check:batch", "deadlines", "opinion", "parse"])
def test_a_complex_yaml_key_is_a_chinese_422_on_every_draft_endpoint(server, path):
    """Round two: ``? [a, b]`` was a plain-text 500 on every endpoint that reads a draft."""
    res = httpx.post(f"{server}/api/v1/{path}", content=b"? [a, b]\n: 1\n", headers={"Content-Type": "application/yaml"}, timeout=30)
    assert res.status_code == 422 and res.headers["content-type"].startswith("application/json")
    assert "复杂键" in res.json()["lines"][0]


def test_a_pinned_rules_version_is_honoured_by_deadlines_and_opinion(server):
    version = httpx.get(f"{server}/healthz", timeout=10).json()["rules_version"]
    for path in ("deadlines", "opinion"):
        res = httpx.post(f"{server}/api/v1/{path}?rules_version=0000000000000000", json=DRAFT, timeout=30)
        assert res.status_code == 409 and version in res.json()["lines"][0]
        assert httpx.post(f"{server}/api/v1/{path}?rules_version={version}", json=DRAFT, timeout=30).status_code == 200


def test_a_today_outside_the_checkable_years_is_a_422(server):
    """Round two: ``?today=0001-01-01`` cost 30× and answered 剩余 527186 个工作日."""
    res = httpx.post(f"{server}/api/v1/deadlines?today=0001-01-01", json=DRAFT, timeout=30)
    assert res.status_code == 422 and "超出可计算的范围" in res.json()["lines"][0]


def test_a_pinned_rules_version_that_differs_is_409():
    with TestClient(create_app(warm_up=False)) as c:
        version = c.get("/healthz").json()["rules_version"]
        assert c.post(f"/api/v1/check?rules_version={version}", json=DRAFT).status_code == 200
        res = c.post("/api/v1/check?rules_version=0000000000000000", json=DRAFT)
        assert res.status_code == 409 and version in res.json()["lines"][0]
        assert c.post("/api/v1/check:batch?rules_version=x", json=[DRAFT]).status_code == 409


@pytest.mark.parametrize("token", ["密钥", "abc\u00e9", "a b", "tab\tx", " ", ""])
def test_a_token_no_header_can_carry_is_refused_at_start(tmp_path, token):
    env = {**os.environ, "QUANZE_TOKEN": token}
    proc = subprocess.run([QUANZE, "serve", "--port", str(free_port())], capture_output=True, text=True, timeout=60, env=env, cwd=tmp_path)
    assert proc.returncode == 2 and "QUANZE_TOKEN" in proc.stderr and "Traceback" not in proc.stderr
    assert list(Path(tmp_path).iterdir()) == []


def test_a_batch_past_its_time_budget_stops_with_503_naming_where():
    with TestClient(create_app(warm_up=False, request_timeout=1e-9)) as c:
        res = c.post("/api/v1/check:batch", json=[DRAFT] * 25)
        assert res.status_code == 503 and "QUANZE_REQUEST_TIMEOUT" in res.json()["lines"][0] and "前 10 份" in res.json()["lines"][0]


def test_requests_beyond_the_in_progress_cap_get_503_but_healthz_answers():
    with TestClient(create_app(warm_up=False, max_requests=0)) as c:
        res = c.post("/api/v1/check", json=DRAFT)
        assert res.status_code == 503 and "上限" in res.json()["lines"][0] and res.headers["retry-after"] == "1"
        assert c.get("/healthz").status_code == 200
