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
