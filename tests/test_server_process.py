"""A real ``quanze serve`` process on a free loopback port: start, wait for /healthz, request, stop."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from conftest import CASES

QUANZE = shutil.which("quanze", path=str(Path(sys.executable).parent)) or shutil.which("quanze")
START_TIMEOUT = 90  # seconds; the machine is shared, start-up takes about a second when idle


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(proc: subprocess.Popen, base: str, log: Path) -> dict:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"quanze serve exited with {proc.returncode}: {log.read_text(encoding='utf-8')}")
        try:
            res = httpx.get(f"{base}/healthz", timeout=2)
            if res.status_code == 200:
                return res.json()
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError("quanze serve did not become ready")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


@contextlib.contextmanager
def serving(tmp: Path, *args: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """``quanze serve`` as its own process on a free loopback port (cwd and log in tmp; ``env`` added to this process's
    environment); yields its base URL."""
    port = free_port()
    base, log = f"http://127.0.0.1:{port}", tmp / "serve.log"
    with log.open("w", encoding="utf-8") as err:
        proc = subprocess.Popen([QUANZE, "serve", "--port", str(port), *args], cwd=tmp, stdout=subprocess.DEVNULL, stderr=err,
                                env={**os.environ, **(env or {})})
    try:
        wait_ready(proc, base, log)
        yield base
    finally:
        stop(proc)


@pytest.mark.skipif(QUANZE is None, reason="quanze entry point not installed")
def test_quanze_serve_answers_checks_on_loopback(tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    cwd, log = tmp_path / "cwd", tmp_path / "serve.log"
    cwd.mkdir()
    with log.open("w", encoding="utf-8") as err:
        proc = subprocess.Popen([QUANZE, "serve", "--port", str(port)], cwd=cwd, stdout=subprocess.DEVNULL, stderr=err)
    try:
        health = wait_ready(proc, base, log)
        assert health["status"] == "ok" and health["warmed_up"] > 0
        body = (CASES / "penalty/CF-04/fine_above_max.yaml").read_bytes()
        res = httpx.post(f"{base}/api/v1/check", content=body, headers={"Content-Type": "application/yaml"}, timeout=30)
        assert res.status_code == 200 and res.json()["verdict"] == "fail"
        assert "FINE_ABOVE_MAX" in [f["code"] for f in res.json()["findings"]]
        assert httpx.get(f"{base}/", timeout=10).text.count("检查") >= 1
    finally:
        stop(proc)
    assert proc.returncode is not None
    assert list(cwd.iterdir()) == []  # nothing written where it ran
    assert "Traceback" not in log.read_text(encoding="utf-8")


@pytest.mark.skipif(QUANZE is None, reason="quanze entry point not installed")
def test_serve_on_all_interfaces_warns_without_token_and_a_broken_rules_folder_is_refused(tmp_path):
    bad = tmp_path / "rules"
    bad.mkdir()
    proc = subprocess.run(
        [QUANZE, "serve", "--host", "0.0.0.0", "--port", str(free_port()), "--rules", str(bad)], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 2 and proc.stderr and "Traceback" not in proc.stderr


def _checking_processes(pid: int) -> list[int]:
    """The checking processes (web/checking.py) of a server process: its children started by multiprocessing's spawn."""
    children = set()
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        children.update(int(c) for c in task.read_text().split())
    found = []
    for child in children:
        with contextlib.suppress(OSError):
            if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes():
                found.append(child)
    return sorted(found)


def _running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(QUANZE is None or not Path("/proc/self/task").exists(), reason="quanze entry point, or /proc, missing")
def test_a_checking_process_that_dies_costs_its_requests_a_503_not_the_server(tmp_path):
    """Killed while idle: the next check goes to its replacement; killed mid-batch: that batch is answered 503 in
    Chinese, the server stays up, and the next checks answer as before, byte for byte."""
    import json
    import signal
    import threading

    import yaml

    port = free_port()
    base, log = f"http://127.0.0.1:{port}", tmp_path / "serve.log"
    env = {**os.environ, "QUANZE_MAX_BATCH": "5000", "QUANZE_MAX_BODY": str(2 << 20)}
    with log.open("w", encoding="utf-8") as err:
        proc = subprocess.Popen([QUANZE, "serve", "--port", str(port), "--check-processes", "1"], cwd=tmp_path,
                                stdout=subprocess.DEVNULL, stderr=err, env=env)
    body, yaml_type = (CASES / "penalty/CF-04/fine_above_max.yaml").read_bytes(), {"Content-Type": "application/yaml"}
    try:
        wait_ready(proc, base, log)
        first = httpx.post(f"{base}/api/v1/check", content=body, headers=yaml_type, timeout=60)
        assert first.status_code == 200
        (checker,) = _checking_processes(proc.pid)
        os.kill(checker, signal.SIGKILL)
        time.sleep(1.0)  # the pool sees its process gone (and is replaced at the next check)
        again = httpx.post(f"{base}/api/v1/check", content=body, headers=yaml_type, timeout=60)
        assert again.status_code == 200 and again.content == first.content
        (checker,) = _checking_processes(proc.pid)

        one = json.dumps(yaml.safe_load(body.decode()), ensure_ascii=False, default=str, separators=(",", ":"))
        batch = ("[" + ",".join([one] * ((1000 << 10) // (len(one.encode()) + 1))) + "]").encode()  # under the 1 MiB of a text
        answers: list[httpx.Response] = []
        sender = threading.Thread(target=lambda: answers.append(
            httpx.post(f"{base}/api/v1/check:batch", content=batch, headers={"Content-Type": "application/json"}, timeout=120)))
        sender.start()
        deadline = time.monotonic() + 60
        while httpx.get(f"{base}/healthz", timeout=10).json()["in_progress"] == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)  # the body read and parsed: the checking process has chunks of the batch
        os.kill(checker, signal.SIGKILL)
        sender.join(120)
        (gone,) = answers
        assert gone.status_code == 503, gone.text[:300]
        assert gone.json()["lines"] == ["服务: 检查进程意外退出（已重新启动检查进程）；本请求未完成，请重试"]
        assert gone.headers["x-request-id"]
        assert proc.poll() is None
        after = httpx.post(f"{base}/api/v1/check", content=body, headers=yaml_type, timeout=60)
        assert after.status_code == 200 and after.content == first.content
        assert httpx.get(f"{base}/healthz", timeout=10).json()["status"] == "ok"
        checkers = _checking_processes(proc.pid)
        assert len(checkers) == 1
        proc.kill()  # the server killed outright: its checking process goes with it
        proc.wait(30)
        deadline = time.monotonic() + 30
        while any(_running(c) for c in checkers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_running(c) for c in checkers)
    finally:
        stop(proc)
    text = log.read_text(encoding="utf-8")
    assert "Traceback" not in text and text.count("a checking process died") == 2, text[-2000:]


@pytest.mark.skipif(QUANZE is None, reason="quanze entry point not installed")
def test_too_many_checking_processes_are_refused_in_chinese():
    proc = subprocess.run([QUANZE, "serve", "--port", str(free_port()), "--check-processes", "65"], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 2 and "--check-processes" in proc.stderr and "至多 64" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr
