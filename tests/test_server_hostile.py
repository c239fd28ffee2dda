"""Issue #18 against a real ``quanze serve`` on loopback: batches, slow clients, content types, odd bodies, tokens.

No timed assertions: a bounded wait (the test fails if it runs out) and the order in which answers complete.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import threading
import time
from collections.abc import Callable
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
def serve_dir(tmp_path_factory) -> Path:
    """The working folder of the module's server: its log is ``serve.log`` there."""
    return tmp_path_factory.mktemp("serve")


@pytest.fixture(scope="module")
def server(serve_dir):
    """One server for the module, with a small batch cap and short client deadlines."""
    with serving(serve_dir, env={"QUANZE_MAX_BATCH": "40", "QUANZE_CLIENT_TIMEOUT": "3"}) as base:
        yield base


TOKEN = "s3cret"


@pytest.fixture(scope="module")
def guarded_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("guarded")


@pytest.fixture(scope="module")
def guarded(guarded_dir):
    """A server with a token, a long write deadline (clients that never read stay in progress for a minute) and
    batches of up to 400 drafts."""
    with serving(guarded_dir, env={"QUANZE_TOKEN": TOKEN, "QUANZE_CLIENT_TIMEOUT": "60", "QUANZE_MAX_BATCH": "400"}) as base:
        yield base


def _log_lines(serve_dir: Path, pattern: str) -> list[str]:
    return [line for line in (serve_dir / "serve.log").read_text(encoding="utf-8").splitlines() if re.search(pattern, line)]


def _until(condition: Callable[[], bool], what: str, within: float = 30) -> None:
    """Wait for ``condition`` (bounded: the test fails when ``within`` seconds run out; ordering, not a measurement)."""
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.1)


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
        health = c.get("/healthz")  # it answers, and tells the truth: every other request gets 503 now (round two)
        assert health.status_code == 503 and health.json()["status"] == "busy"


# --- round two (issue #30): clients that never read, bodies counted while parsed, browser headers -------


def _never_reading(base: str, n: int, source: str = "127.0.0.2", pipelined: int = 12) -> list[socket.socket]:
    """n connections from another loopback address, each asking (pipelined) for the 1 MB ReDoc bundle with a tiny
    receive window and never reading: past what the kernel buffers, the server cannot write its answer."""
    host, port = base.removeprefix("http://").split(":")
    out = []
    for _ in range(n):
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)
        s.bind((source, 0))
        s.settimeout(10)
        s.connect((host, int(port)))
        s.sendall(f"GET /static-docs/redoc.standalone.js HTTP/1.1\r\nHost: {host}\r\n\r\n".encode() * pipelined)
        out.append(s)
    return out


def test_clients_that_never_read_are_dropped_at_the_write_deadline(server):
    """Clients that never read held their requests for as long as they stayed connected (260 of them: every request
    but /healthz got 503, while /healthz said 200). Now /healthz counts them, others are served, and the write
    deadline (QUANZE_CLIENT_TIMEOUT, 3 s here) frees them while they are still connected."""
    sockets = _never_reading(server, 8)
    try:
        deadline = time.monotonic() + 30  # bounded waits throughout (ordering, not a measurement)
        while httpx.get(f"{server}/healthz", timeout=30).json()["in_progress"] == 0:
            assert time.monotonic() < deadline, "the stalled answers never showed in /healthz"
            time.sleep(0.1)
        assert httpx.get(f"{server}/api/v1/items", timeout=30).status_code == 200  # another client is served meanwhile
        while httpx.get(f"{server}/healthz", timeout=30).json()["in_progress"] > 0:
            assert time.monotonic() < deadline, "requests of clients that never read were not freed"
            time.sleep(0.2)
    finally:
        for s in sockets:
            s.close()


def test_one_client_holds_at_most_its_cap_of_requests_and_healthz_says_when_full():
    """The cap per client address (web/security.py Guard): the third request of a client holding two is 503 at once,
    another client is served; a server whose requests cap is reached answers /healthz 503 busy."""
    import asyncio

    from quanze.web.security import Guard, Load

    release = asyncio.Event()

    async def slow(scope, receive, send):
        await release.wait()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    def refuse(status, problems, headers=None):
        from fastapi.responses import JSONResponse

        return JSONResponse({"lines": [p.message for p in problems]}, status_code=status, headers=headers)

    async def scenario() -> list[int]:
        load = Load(limit=3)
        guard = Guard(slow, load, per_client=2, refuse=refuse)
        statuses: list[int] = []

        def call(client: str):
            scope = {"type": "http", "path": "/api/v1/items", "method": "GET", "headers": [], "client": (client, 1)}

            async def receive():
                return {"type": "http.request", "body": b""}

            async def send(message):
                if message["type"] == "http.response.start":
                    statuses.append(message["status"])

            return guard(scope, receive, send)

        held = [asyncio.ensure_future(call("10.0.0.1")) for _ in range(2)]
        other = asyncio.ensure_future(call("10.0.0.2"))
        await asyncio.sleep(0.05)
        await call("10.0.0.1")  # refused at once
        assert load.full() and load.per_client == {"10.0.0.1": 2, "10.0.0.2": 1}
        release.set()
        await asyncio.gather(*held, other)
        assert load.active == 0 and load.per_client == {}
        return statuses

    assert asyncio.run(scenario()) == [503, 200, 200, 200]


def test_a_yaml_batch_is_counted_while_it_is_parsed(server):
    """340 000 ``{}`` in 1 MB held the parsing thread seconds before the 413: the count now stops at the cap."""
    body = ("[" + ",".join(["{}"] * 340_000) + "]").encode()[:1_000_000].rsplit(b",", 1)[0] + b"]"
    res = httpx.post(f"{server}/api/v1/check:batch", content=body, headers={"Content-Type": "application/yaml"}, timeout=60)
    assert res.status_code == 413 and "实际超过 40 份" in res.json()["lines"][0]
    nested = b"a: " + body  # one mapping of a huge list: the count of values stops too
    res = httpx.post(f"{server}/api/v1/check", content=nested, headers={"Content-Type": "application/yaml"}, timeout=60)
    assert res.status_code == 422 and "值超过" in res.json()["lines"][0]


def test_browser_headers_on_every_answer_and_no_store_on_party_data(server):
    for path in ("/", "/docs", "/redoc", "/api/v1/items", "/static/form.js", "/nowhere"):
        res = httpx.get(server + path, timeout=30)
        assert res.headers["x-content-type-options"] == "nosniff", path
        assert res.headers["referrer-policy"] == "no-referrer" and res.headers["x-frame-options"] == "DENY"
        policy = res.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in policy and "script-src 'self'" in policy and "unsafe-eval" not in policy
    res = httpx.post(f"{server}/api/v1/check", json=DRAFT, timeout=30)
    assert res.status_code == 200 and res.headers["cache-control"] == "no-store"


def test_the_form_and_the_docs_keep_to_their_policy_in_chromium(server, browser):
    """Every page loads and works under its Content-Security-Policy: no violation reported by Chromium."""
    context = browser.new_context()
    try:
        pages = (("/", "body[data-ready='1']"), ("/register", "#filters"), ("/docs", ".swagger-ui .info"), ("/redoc", "redoc h1"))
        for path, ready in pages:
            page = context.new_page()
            violations: list[str] = []
            page.on("console", lambda m, v=violations: v.append(m.text) if "Content Security Policy" in m.text else None)
            page.goto(server + path)
            page.wait_for_selector(ready, timeout=60_000)
            assert violations == [], (path, violations[:3])
            page.close()
    finally:
        context.close()


def test_a_host_not_allowed_is_refused_and_serving_beyond_loopback_requires_the_list(tmp_path):
    with TestClient(create_app(warm_up=False, allowed_hosts=frozenset({"quanze.example"}))) as c:
        assert c.get("/api/v1/items", headers={"Host": "quanze.example:8000"}).status_code == 200
        res = c.get("/api/v1/items", headers={"Host": "evil.example"})
        assert res.status_code == 400 and "QUANZE_ALLOWED_HOSTS" in res.json()["lines"][0]
    env = {k: v for k, v in os.environ.items() if k != "QUANZE_ALLOWED_HOSTS"}
    proc = subprocess.run([QUANZE, "serve", "--host", "0.0.0.0", "--port", str(free_port())], capture_output=True, text=True,
                          timeout=60, env=env, cwd=tmp_path)
    assert proc.returncode == 2 and "QUANZE_ALLOWED_HOSTS" in proc.stderr


def test_a_client_that_hangs_up_mid_batch_stops_its_batch(monkeypatch):
    """A batch whose client is gone is no longer checked: it stops at the next chunk (10 drafts), not after all 100.

    The request is driven at the ASGI level (the client's hang-up is the ``http.disconnect`` uvicorn sends), with
    the checks counted: a real process cannot count them, and a 1 MiB body holds too few drafts to time it."""
    import quanze.web.routes.check as check_routes

    checked: list[str] = []
    original = check_routes.check_raw
    monkeypatch.setattr(check_routes, "check_raw", lambda raw, rules, label, *a: checked.append(label) or original(raw, rules, label, *a))
    body = json.dumps([DRAFT] * 100).encode()
    messages: list[dict] = []

    async def call(app) -> None:
        sent = False

        async def receive() -> dict:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return {"type": "http.disconnect"}  # the client hung up after sending its batch

        async def send(message: dict) -> None:
            messages.append(message)

        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), (b"host", b"testserver")]
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
                 "path": "/api/v1/check:batch", "raw_path": b"/api/v1/check:batch", "query_string": b"", "root_path": "",
                 "headers": headers, "client": ("127.0.0.1", 1), "server": ("testserver", 80)}
        await app(scope, receive, send)

    app = create_app(warm_up=False, max_batch=100)
    with TestClient(app) as c:
        c.portal.call(call, app)
    assert 0 < len(checked) <= 10, len(checked)


# --- each of the above against the real process (issue #30) --------------------------------------------------------


def _answer(s: socket.socket) -> tuple[str, str]:
    """The head and body of one answer on a raw socket (bounded: 30 s per read)."""
    s.settimeout(30)
    answer = b""
    while b"\r\n\r\n" not in answer and (chunk := s.recv(4096)):
        answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))
    while len(body) < length and (chunk := s.recv(4096)):
        body += chunk
    return head.decode("latin-1"), body.decode("utf-8")


def test_a_client_past_its_cap_is_refused_while_another_client_and_healthz_are_served(guarded):
    """64 connections from 127.0.0.3 that never read hold 64 requests (MAX_PER_CLIENT, web/security.py): the 65th
    request from that address is 503 at once, in Chinese; 127.0.0.4 and /healthz are answered meanwhile."""
    from quanze.web.security import MAX_PER_CLIENT

    hog = _never_reading(guarded, MAX_PER_CLIENT, source="127.0.0.3")
    try:
        health = lambda: httpx.get(f"{guarded}/healthz", timeout=30).json()  # noqa: E731
        _until(lambda: health()["in_progress"] >= MAX_PER_CLIENT, "the stalled answers never showed in /healthz")
        host, port = guarded.removeprefix("http://").split(":")
        extra = socket.socket()
        extra.bind(("127.0.0.3", 0))
        extra.connect((host, int(port)))
        try:
            extra.sendall(f"GET /api/v1/items HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {TOKEN}\r\n\r\n".encode())
            head, body = _answer(extra)
        finally:
            extra.close()
        assert head.startswith("HTTP/1.1 503") and "retry-after: 1" in head.lower()
        assert f"同一客户端同时进行的请求已达上限 {MAX_PER_CLIENT}" in json.loads(body)["lines"][0]
        with httpx.Client(transport=httpx.HTTPTransport(local_address="127.0.0.4"), timeout=30) as other:
            res = other.get(f"{guarded}/api/v1/items", headers={"Authorization": f"Bearer {TOKEN}"})
            assert res.status_code == 200 and res.json()
        assert health()["status"] == "ok"
    finally:
        for s in hog:
            s.close()
    _until(lambda: httpx.get(f"{guarded}/healthz", timeout=30).json()["in_progress"] == 0, "the closed connections stayed")


def test_a_client_that_hangs_up_mid_batch_stops_it_in_the_server(guarded, guarded_dir):
    """A batch of 400 drafts whose client hangs up once it is under way is not checked to the end: the server log says
    after how many drafts it stopped (checked in chunks of 10, the hang-up seen between two) and ends it with 499."""
    host, port = guarded.removeprefix("http://").split(":")
    body = json.dumps([DRAFT] * 400).encode()
    rid = f"gone-{time.time_ns()}"
    with socket.create_connection((host, int(port)), timeout=30) as s:
        s.sendall(f"POST /api/v1/check:batch HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {TOKEN}\r\n"
                  f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\nX-Request-ID: {rid}\r\n\r\n".encode() + body)
        _until(lambda: httpx.get(f"{guarded}/healthz", timeout=30).json()["in_progress"] >= 1, "the batch never started")
        time.sleep(0.5)  # its body (650 kB on loopback) is read and the checking has begun (ordering only)
    _until(lambda: bool(_log_lines(guarded_dir, f"{rid} POST")), "the hung-up batch never ended", within=120)
    assert " POST /api/v1/check:batch 499 " in _log_lines(guarded_dir, f"{rid} POST")[0]
    (stopped,) = _log_lines(guarded_dir, f"{rid} batch stopped")
    done = int(re.search(r"after (\d+) of 400 drafts", stopped).group(1))
    assert done < 400 and done % 10 == 0, stopped


def test_a_client_that_hangs_up_while_sending_leaves_no_traceback(server, serve_dir):
    """A client gone before its body is complete ends its request quietly (499 in the log), not with a traceback."""
    host, port = server.removeprefix("http://").split(":")
    rid = f"half-{time.time_ns()}"
    with socket.create_connection((host, int(port)), timeout=30) as s:
        s.sendall(f"POST /api/v1/check HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
                  f"Content-Length: 5000\r\nX-Request-ID: {rid}\r\n\r\n{{\"kind\"".encode())
        time.sleep(0.3)  # the body has begun (ordering only)
    _until(lambda: bool(_log_lines(serve_dir, rid)), "the request never ended")
    assert " POST /api/v1/check 499 " in _log_lines(serve_dir, rid)[0]
    assert "ClientDisconnect" not in (serve_dir / "serve.log").read_text(encoding="utf-8")


def test_the_schema_is_built_once_while_it_is_hammered(server, serve_dir):
    """32 clients at once ask for each schema: the server log says each was built once (concurrent first callers wait
    for the same making), and /healthz answers while they run."""
    paths = ("schema", "schema/inspection")
    with ThreadPoolExecutor(32) as pool:
        calls = [pool.submit(httpx.get, f"{server}/api/v1/{p}", timeout=120) for p in paths for _ in range(32)]
        assert httpx.get(f"{server}/healthz", timeout=60).status_code == 200
        answers = [c.result() for c in calls]
    assert all(a.status_code == 200 for a in answers)
    assert len({a.content for a in answers[:32]}) == 1 and len({a.content for a in answers[32:]}) == 1
    for p in paths:
        assert len(_log_lines(serve_dir, rf" built {p}$")) == 1, p


def test_the_authorization_scheme_is_matched_case_insensitively(guarded):
    """RFC 7235: the scheme is case-insensitive (``bearer``, ``BEARER``); the token itself is not."""
    for given in (f"Bearer {TOKEN}", f"bearer {TOKEN}", f"BEARER {TOKEN}", f"bEaReR {TOKEN}"):
        assert httpx.get(f"{guarded}/api/v1/items", headers={"Authorization": given}, timeout=30).status_code == 200, given
    for given in ("Bearer wrong", f"Bearer {TOKEN.upper()}", f"Basic {TOKEN}", TOKEN, f"Bearer{TOKEN}", ""):
        res = httpx.get(f"{guarded}/api/v1/items", headers={"Authorization": given}, timeout=30)
        assert res.status_code == 401 and res.headers["www-authenticate"] == "Bearer", given
        assert "访问令牌" in res.json()["lines"][0]


@pytest.mark.parametrize("request_bytes", [b"GARBAGE\r\n\r\n", b"GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
                                           b"POST /api/v1/check HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"])
def test_a_request_the_server_cannot_parse_is_a_chinese_400(server, request_bytes):
    """uvicorn answered ``Invalid HTTP request received.`` as English plain text: now JSON with a Chinese line."""
    host, port = server.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as s:
        s.sendall(request_bytes)
        head, body = _answer(s)
    assert head.startswith("HTTP/1.1 400") and "application/json" in head
    assert "无法解析的 HTTP 请求" in json.loads(body)["lines"][0]
