"""Fuzzing the whole CLI with mutated sample drafts (issue 13 acceptance).

Valid sample drafts are mutated (types, keys, dates, money strings, YAML tags, encodings, bytes) and
checked through the real ``quanze check --format json``: the exit code is 0, 1 or 2, there is never a
traceback or an escaped exception, stdout is valid JSON when a result is printed, every stderr line
names the file, and no file takes long (a hang detector with a generous bound, not a benchmark).
In-process through typer's CliRunner for speed, plus a few real subprocess runs.
"""

from __future__ import annotations

import copy
import functools
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import quanze.cli.checking as cli_checking
import quanze.cli.reviewing as cli_reviewing
from conftest import CASES
from helpers import plain
from quanze.cli.main import app
from quanze.engine.load.loader import RuleSet, load_rules
from quanze.engine.model.yamlio import load_yaml

HANG = 20.0  # seconds: far above any real check (tens of milliseconds); only a hang or a blow-up reaches it
SAMPLES = sorted(p for p in CASES.rglob("*.yaml") if not p.name.endswith(".expect.yaml") and "invalid" not in p.parts)
RUNNER = CliRunner(env={"COLUMNS": "200"})  # one for every example
QUANZE = shutil.which("quanze", path=str(Path(sys.executable).parent)) or shutil.which("quanze")


@functools.cache
def _rules() -> RuleSet:
    return load_rules()


def _raw(path: Path) -> dict:
    return plain(load_yaml(path.read_text(encoding="utf-8")))


RAW = {p: _raw(p) for p in SAMPLES[:: max(1, len(SAMPLES) // 40)]}  # a spread of about 40 samples, all kinds

DATES = st.sampled_from(
    [
        "2026-02-30",
        "2026-13-01",
        "0001-01-01",
        "9999-12-31",
        "1989-12-31",
        "2031-12-31",
        "2026-5-1",
        "2026年8月20日",
        "20260820",
        "",
        "2026-06-20T10:00:00",
    ]
)
MONEY = st.sampled_from(
    ["一万五", "1万5", "三千五", "八万四", "1.5万", "070000", "5.123", "1e5", "-5", "伍万元", "50,000元", "十万亿亿", "NaN", "∞", "0x10"]
)
TAGS = st.sampled_from(
    [
        "!!python/object/apply:os.system ['true']",
        "!!binary aGVsbG8=",
        "!custom x",
        "!!timestamp 2026-01-01",
        "!!float .nan",
        "*nothing",
        "&a x",
    ]
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["organization", "individual", "单位", "个人", "罚款", "CF-04", "从重", "听证", "no", "yes", "on", "null", "~"]),
    DATES,
    MONEY,
)
VALUES = st.recursive(
    SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)), max_leaves=6
)


def _paths(node: Any, path: tuple = ()) -> list[tuple]:
    """Every path to a value inside a raw draft."""
    out = [path] if path else []
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*path, i))
    return out


def _parent(raw: Any, path: tuple) -> Any:
    for part in path[:-1]:
        raw = raw[part]
    return raw


@st.composite
def mutated(draw) -> tuple[bytes, str]:
    """A mutated sample draft as (file bytes, suffix)."""
    raw = copy.deepcopy(RAW[draw(st.sampled_from(sorted(RAW)))])
    for _ in range(draw(st.integers(1, 4))):
        paths = _paths(raw)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent, key = _parent(raw, path), path[-1]
        op = draw(st.sampled_from(["value", "date", "money", "delete", "add_key", "rename"]))
        if op == "value":
            parent[key] = draw(VALUES)
        elif op == "date":
            parent[key] = draw(DATES)
        elif op == "money":
            parent[key] = draw(MONEY)
        elif op == "delete":
            del parent[key]
        elif op == "add_key" and isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=10))] = draw(VALUES)
        elif op == "rename" and isinstance(parent, dict):
            parent[str(key) + draw(st.sampled_from(["_", "s", " ", "\u3000"]))] = parent.pop(key)
    form = draw(st.sampled_from(["yaml", "json", "yaml_tag", "bytes"]))
    if form == "json":
        text, suffix = json.dumps(raw, ensure_ascii=draw(st.booleans()), default=str, allow_nan=True), ".json"
    else:
        text, suffix = yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), ".yaml"
        if form == "yaml_tag":
            lines = text.splitlines()
            i = draw(st.integers(0, max(0, len(lines) - 1)))
            if ": " in lines[i]:
                lines[i] = lines[i].split(": ", 1)[0] + ": " + draw(TAGS)
            text = "\n".join(lines) + "\n"
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "utf-16", "gb18030"]))
    data = text.encode(encoding, "surrogatepass")
    if form == "bytes" and data:
        i = draw(st.integers(0, len(data) - 1))
        data = data[:i] + bytes([draw(st.integers(0, 255))]) + data[i + 1 : len(data) - draw(st.integers(0, 3))]
    return data, suffix


def _assert_well_behaved(code: int, stdout: str, stderr: str, label: str) -> None:
    assert code in (0, 1, 2), (code, stderr)
    assert "Traceback" not in stdout + stderr and "内部错误" not in stderr, stderr
    if code in (0, 1):
        json.loads(stdout)
    else:
        lines = [line for line in stderr.splitlines() if line]
        assert lines and all(line.startswith(label) for line in lines), stderr


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(case=mutated())
def test_mutated_drafts_never_crash_the_cli(case, tmp_path_factory):
    data, suffix = case
    path = tmp_path_factory.mktemp("fuzz") / f"draft{suffix}"
    path.write_bytes(data)
    start = time.perf_counter()
    with patch.object(cli_checking, "load", lambda rules_dir: _rules()):  # the rules parsed once, not per example
        result = RUNNER.invoke(app, ["check", str(path), "--format", "json"])
    assert time.perf_counter() - start < HANG
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    _assert_well_behaved(result.exit_code, result.stdout, result.stderr, str(path))
    result.stdout_bytes.decode("utf-8")  # output is always valid UTF-8


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(cases=st.lists(mutated(), min_size=1, max_size=6))
def test_review_of_mutated_drafts_accounts_for_every_file(cases, tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzzdir")
    for i, (data, suffix) in enumerate(cases):
        (folder / f"d{i}{suffix}").write_bytes(data)
    out = folder / "out" / "report"
    with patch.object(cli_reviewing, "load", lambda rules_dir: _rules()):
        result = RUNNER.invoke(app, ["review", str(folder), "--format", "json", "--out", str(out)])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in (0, 1, 2) and "Traceback" not in result.output
    summary = json.loads(result.stdout)
    assert summary["files"] == summary["checked"] + summary["unreadable"] == len(cases)
    lines = out.with_suffix(".jsonl").read_bytes().decode("utf-8").splitlines()
    assert len(lines) == len(cases) and all(json.loads(line)["file"] for line in lines)


HOSTILE = {
    "alias_bomb.yaml": (
        "kind: penalty\na: &a [x,x,x,x,x,x,x,x,x,x]\n"
        + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 10) + "]\n" for i in range(8))
    ).encode(),
    "python_tag.yaml": b"kind: !!python/object/apply:os.system ['echo pwned']\n",
    "deep.json": b'{"kind": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    "surrogate.json": b'{"kind": "penalty", "case_id": "\\ud800"}',
}


@pytest.mark.skipif(QUANZE is None, reason="quanze entry point not installed")
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_files_in_a_real_process(name, tmp_path):
    path = tmp_path / name
    path.write_bytes(HOSTILE[name])
    proc = subprocess.run([QUANZE, "check", str(path), "--format", "json"], capture_output=True, timeout=120, cwd=tmp_path)
    stdout, stderr = proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")
    assert proc.returncode == 2
    _assert_well_behaved(proc.returncode, stdout, stderr, str(path))
    assert "pwned" not in stdout + stderr
