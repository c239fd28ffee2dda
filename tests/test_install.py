"""The installed entry point works from another directory, and no top-level engine/cli module is installed."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CASES

QUANZE = shutil.which("quanze", path=str(Path(sys.executable).parent)) or shutil.which("quanze")


@pytest.mark.skipif(QUANZE is None, reason="quanze entry point not installed")
def test_installed_quanze_checks_a_sample_from_another_directory(tmp_path):
    sample = CASES / "penalty/CF-04/fine_above_max.yaml"
    proc = subprocess.run([QUANZE, "check", str(sample), "--format", "json"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert json.loads(proc.stdout)["verdict"] == "fail"
    proc = subprocess.run([QUANZE, "cases", "run"], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-2000:]
    assert proc.stdout.strip().splitlines()[-1].endswith("passed, 0 failed")


def test_no_top_level_engine_or_cli_package():
    proc = subprocess.run([sys.executable, "-c", "import engine"], capture_output=True, text=True, cwd="/")
    assert proc.returncode != 0
    proc = subprocess.run(
        [sys.executable, "-c", "import quanze.engine, quanze.cli, quanze.rules; print('ok')"], capture_output=True, text=True, cwd="/"
    )
    assert proc.stdout.strip() == "ok", proc.stderr
