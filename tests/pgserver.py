"""A throwaway PostgreSQL server for the register tests: Debian's ``postgresql`` package (initdb, pg_ctl),
started in a temporary folder on a free loopback port, as the ``postgres`` user when the tests run as root
(PostgreSQL refuses to run as root); None when it is not installed (the tests skip with a message)."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

MISSING = "需要 PostgreSQL：apt-get install postgresql（未找到 initdb；.ci/run 会安装它）"


def bin_dir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_owner(args: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return args
    runuser = shutil.which("runuser")
    return [runuser, "-u", "postgres", "--", *args] if runuser else ["su", "postgres", "-s", "/bin/sh", "-c", " ".join(args)]


def _reachable(folder: str) -> bool:
    """Whether the server's user may create a folder in ``folder`` (/tmp may be closed to it)."""
    if not os.path.isdir(folder):
        return False
    if os.geteuid() != 0:
        return os.access(folder, os.W_OK | os.X_OK)
    return subprocess.run(_as_owner(["test", "-w", folder, "-a", "-x", folder]), timeout=30).returncode == 0


@contextlib.contextmanager
def postgres() -> Iterator[str | None]:
    """A running server's base URL (``postgresql+psycopg://quanze@127.0.0.1:PORT``), or None when unavailable."""
    bins = bin_dir()
    if bins is None:
        yield None
        return
    parent = next((d for d in (tempfile.gettempdir(), "/var/tmp", "/var/lib/postgresql") if _reachable(d)), None)
    if parent is None:
        yield None
        return
    home = Path(tempfile.mkdtemp(prefix="quanze-pg-", dir=parent))
    data = home / "data"
    if os.geteuid() == 0:
        import pwd

        pw = pwd.getpwnam("postgres")
        os.chown(home, pw.pw_uid, pw.pw_gid)
    os.chmod(home, 0o700)
    port = _free_port()
    run = {"check": True, "stdout": subprocess.DEVNULL, "stderr": subprocess.PIPE, "timeout": 120, "cwd": "/"}
    subprocess.run(_as_owner([str(bins / "initdb"), "-D", str(data), "-U", "quanze", "-A", "trust", "-E", "UTF8",
                              "--locale=C.UTF-8", "--no-sync"]), **run)
    options = f"-p {port} -k {home} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50"
    subprocess.run(_as_owner([str(bins / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(home / "log"), "-w", "-t", "60",
                              "start"]), **run)
    try:
        yield f"postgresql+psycopg://quanze@127.0.0.1:{port}"
    finally:
        subprocess.run(_as_owner([str(bins / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]),
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60, cwd="/")
        shutil.rmtree(home, ignore_errors=True)


def new_database(base: str) -> str:
    """A fresh, empty database on the server; its URL."""
    import psycopg

    name = "t" + uuid.uuid4().hex[:12]
    with psycopg.connect(base.replace("postgresql+psycopg", "postgresql") + "/postgres", autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return f"{base}/{name}"
