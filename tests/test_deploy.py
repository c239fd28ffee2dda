"""docs/deploy.md: the shipped systemd unit's command line, run as it is (a free port, temporary folders)."""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from test_server_process import QUANZE, free_port, wait_ready

UNIT = Path(__file__).resolve().parent.parent / "examples" / "deploy" / "quanze.service"
HARDENING = ("NoNewPrivileges=yes", "CapabilityBoundingSet=", "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes",
             "PrivateDevices=yes", "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX", "SystemCallFilter=@system-service",
             "RestrictNamespaces=yes", "LockPersonality=yes", "UMask=0077", "MemoryMax=")


def unit() -> dict[str, list[str]]:
    """The unit's settings: each key with its values in order (a key may repeat)."""
    out: dict[str, list[str]] = {}
    for line in UNIT.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith(("#", "[")) and "=" in line:
            key, value = line.split("=", 1)
            out.setdefault(key, []).append(value)
    return out


def test_the_unit_runs_quanze_serve_on_loopback_hardened():
    settings = unit()
    text = UNIT.read_text(encoding="utf-8")
    assert all(option in text for option in HARDENING)
    command = shlex.split(settings["ExecStart"][0])
    assert command[1:3] == ["serve", "--host"] and command[3] == "127.0.0.1" and "--workers" in command
    assert settings["User"] == ["quanze"] and settings["StateDirectory"] == ["quanze"]


@pytest.mark.skipif(QUANZE is None, reason="quanze entry point not installed")
def test_the_units_command_line_serves_with_token_hosts_and_request_ids(tmp_path):
    settings = unit()
    command = shlex.split(settings["ExecStart"][0])
    command[0] = QUANZE  # the venv of the unit is this one
    port = free_port()
    command[command.index("--port") + 1] = str(port)
    env = {**os.environ, "QUANZE_TOKEN": "unit-token-1", "QUANZE_ALLOWED_HOSTS": "127.0.0.1,quanze.example.gov.cn"}  # /etc/quanze/env
    for item in settings["Environment"]:
        key, value = item.split("=", 1)
        env[key] = value.replace("/var/cache/quanze", str(tmp_path / "cache")).replace("/var/lib/quanze", str(tmp_path / "state"))
    (tmp_path / "state").mkdir()  # StateDirectory=
    base, log = f"http://127.0.0.1:{port}", tmp_path / "serve.log"
    with log.open("w", encoding="utf-8") as err:
        proc = subprocess.Popen(command, cwd=tmp_path / "state", env=env, stdout=subprocess.DEVNULL, stderr=err)
    try:
        wait_ready(proc, base, log)
        auth = {"Authorization": "Bearer unit-token-1"}
        assert httpx.get(f"{base}/api/v1/items", timeout=30).status_code == 401
        res = httpx.get(f"{base}/api/v1/items", headers={**auth, "X-Request-ID": "nginx-abc123"}, timeout=30)
        assert res.status_code == 200 and res.headers["x-request-id"] == "nginx-abc123"
        assert httpx.get(f"{base}/api/v1/items", headers={**auth, "Host": "evil.example"}, timeout=30).status_code == 400
        assert (tmp_path / "state" / "register.sqlite3").exists()
    finally:
        proc.send_signal(signal.SIGTERM)  # systemctl stop
        started = time.monotonic()
        try:
            code = proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
            raise
    assert code == 0 and time.monotonic() - started < 20, log.read_text(encoding="utf-8")[-2000:]  # TimeoutStopSec=20
