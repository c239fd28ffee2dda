"""Issue 31: a killed ``quanze review --out`` leaves a complete report or none of its own — the previous report as it
was, or the new one whole (JSONL, CSV, xlsx and page of one run) — never part of one. A real process, killed
during the run (SIGKILL, SIGTERM) and while it writes the report (SIGKILL)."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from conftest import CASES

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc and O_TMPFILE")

QUANZE = str(Path(sys.executable).with_name("quanze"))
DRAFTS = ("penalty/CF-04/lawful_general_tier.yaml", "penalty/CF-04/fine_above_max.yaml")
REPORT = ("r.csv", "r.html", "r.jsonl", "r.xlsx")


def _folder(root: Path, n: int) -> Path:
    folder = root / f"drafts{n}"
    folder.mkdir()
    for i in range(n):
        shutil.copyfile(CASES / DRAFTS[i % 2], folder / f"d{i:04d}.yaml")
    return folder


def _report(out: Path) -> int:
    """The number of files of the report in ``out``, after checking its four files belong to one run, whole."""
    data = (out / "r.jsonl").read_bytes()
    lines = data.count(b"\n")
    assert data.endswith(b"\n") and len(data.decode("utf-8").splitlines()) == lines
    page = (out / "r.html").read_text(encoding="utf-8")
    assert page.endswith("</html>")
    meta = re.search(r'<meta name="quanze-jsonl" content="sha256=([0-9a-f]{64}) lines=(\d+)">', page)
    assert meta and meta.group(1) == hashlib.sha256(data).hexdigest() and int(meta.group(2)) == lines
    rows = list(csv.reader(io.StringIO((out / "r.csv").read_bytes().decode("utf-8-sig"), newline="")))
    with zipfile.ZipFile(out / "r.xlsx") as z:  # a whole zip: its directory is written last
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert len(rows) == sheet.count("<row ") == lines + 1
    return lines


def _spooling(pid: int, out: Path) -> bool:
    """Whether the review has opened its unnamed spool files in ``out`` (the run has begun)."""
    try:
        links = [os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")]
    except OSError:
        return False
    return any(link.startswith(str(out)) and link.endswith("(deleted)") for link in links)


def _review(folder: Path, out: Path) -> subprocess.Popen:
    args = [QUANZE, "review", str(folder), "--out", str(out / "r"), "--format", "json"]
    return subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})


def _wait_for(proc: subprocess.Popen, ready, limit: float = 120.0) -> bool:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and proc.poll() is None:
        if ready():
            return True
        time.sleep(0.005)
    return False


def test_a_killed_review_leaves_the_previous_report_or_the_whole_new_one(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    small, large = _folder(tmp_path, 3), _folder(tmp_path, 600)
    assert subprocess.run([QUANZE, "review", str(small), "--out", str(out / "r")], capture_output=True, timeout=120).returncode == 1
    assert _report(out) == 3
    before = {name: (out / name).read_bytes() for name in REPORT}
    outcomes = []
    for sig, when in ((signal.SIGKILL, "run"), (signal.SIGTERM, "run"), (signal.SIGKILL, "write")):
        proc = _review(large, out)
        try:
            if when == "run":  # the drafts are being checked: the spools are open, nothing staged yet
                began = _wait_for(proc, lambda p=proc: _spooling(p.pid, out))
                time.sleep(0.2)
            else:  # the report is being staged
                began = _wait_for(proc, lambda: any(out.glob(".r.*.tmp")))
            proc.send_signal(sig)
            code = proc.wait(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        outcomes.append((sig.name, when, began, code))
        lines = _report(out)
        if code == -sig:  # killed: the previous report, byte for byte, or (killed between the renames' start and end) the new one
            assert lines in (3, 600)
            if lines == 3:
                assert {name: (out / name).read_bytes() for name in REPORT} == before
        else:  # it ended before the signal came
            assert lines == 600
        left = sorted(p.name for p in out.iterdir())
        staged = [n for n in left if n.startswith(".r.") and n.endswith(".tmp")]
        assert [n for n in left if n not in staged] == list(REPORT)  # no spool, no half report, no page folder
        if sig == signal.SIGTERM:
            assert not staged  # a SIGTERM removes what was staged
        for name in staged:  # a kill -9 while staging may leave its temporary files, hidden, never a report
            (out / name).unlink()
        if lines == 600:  # back to the small report for the next kill
            assert subprocess.run([QUANZE, "review", str(small), "--out", str(out / "r")], capture_output=True, timeout=120).returncode == 1
            before = {name: (out / name).read_bytes() for name in REPORT}
    print("killed review outcomes:", outcomes)
    assert [o[3] for o in outcomes[:2]] == [-signal.SIGKILL, -signal.SIGTERM], "the review ended before it was killed"
