"""Shared fixtures: the shipped rules loaded once, a CLI runner, a writable copy of the rules."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from quanze.engine.loader import RuleSet, default_rules_dir, load_rules

REPO = Path(__file__).resolve().parent.parent
os.environ.setdefault("QUANZE_NO_CACHE", "1")  # tests read rules fresh; test_cache.py turns it on
CASES = REPO / "cases"


@pytest.fixture(scope="session")
def rules() -> RuleSet:
    """The rules shipped with the package."""
    return load_rules()


@pytest.fixture
def runner() -> CliRunner:
    """A CliRunner with a wide terminal and stderr kept apart."""
    return CliRunner(env={"COLUMNS": "200"})


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped rules folder."""
    target = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), target, ignore=shutil.ignore_patterns("__pycache__", "__init__.py"))
    return target
