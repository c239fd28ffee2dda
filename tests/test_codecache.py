"""cli/codecache.py: what dataclasses, typing and re compile from text, read from a signed table in the cache folder."""

from __future__ import annotations

import _sre
import builtins
import marshal
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from quanze.cli import codecache
from quanze.engine.load.rulecache import read_entry

QUANZE = str(Path(sys.executable).parent / "quanze")
CASE = str(Path(__file__).resolve().parent.parent / "cases/penalty/CF-04/collective_fine_above_max.yaml")


def _run(args: list[str], cache: Path, **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k != "QUANZE_NO_CACHE"} | {"XDG_CACHE_HOME": str(cache)} | env
    return subprocess.run([QUANZE, *args], capture_output=True, text=True, timeout=120, env=environ)


def _table(cache: Path) -> tuple[Path, dict]:
    path, key = codecache.entry(cache / "quanze")
    stored = read_entry(path, key)
    assert isinstance(stored, bytes), "no signed table under its key"
    return path, marshal.loads(stored)


@pytest.fixture(scope="module")
def plain() -> subprocess.CompletedProcess:
    """The check with no cache at all: nothing read compiled."""
    return subprocess.run([QUANZE, "check", CASE], capture_output=True, text=True, timeout=120, env={**os.environ, "QUANZE_NO_CACHE": "1"})


def test_a_check_stores_what_it_compiled_and_the_next_finds_all_of_it(tmp_path, plain):
    first = _run(["check", CASE], tmp_path)
    path, table = _table(tmp_path)
    assert len(table) > 500  # dataclass methods and forward references of every start
    stamp = path.stat().st_mtime_ns
    second = _run(["check", CASE], tmp_path)
    assert (first.returncode, first.stdout, first.stderr) == (second.returncode, second.stdout, second.stderr)
    assert (second.returncode, second.stdout, second.stderr) == (plain.returncode, plain.stdout, plain.stderr)
    assert path.stat().st_mtime_ns == stamp  # nothing compiled again, nothing written


def test_everything_in_the_table_is_what_python_makes_of_its_text(tmp_path):
    """Each code object is what compile makes of its text; each regular expression's program makes the pattern
    re compiles from the same text and flags (patterns compare by text, flags and program)."""
    _run(["check", CASE], tmp_path)
    _, table = _table(tmp_path)
    assert {key[0] for key in table} == {"exec", "eval", "re"}
    for key, stored in table.items():
        if key[0] == "re":
            _, pattern, flags = key
            assert _sre.compile(pattern, *stored) == codecache._compile_regex(pattern, flags), pattern
        else:
            mode, text = key
            assert stored == builtins.compile(text, "<string>", mode, dont_inherit=True), text


def test_a_table_altered_on_disk_is_never_read_and_is_written_again(tmp_path, plain):
    _run(["check", CASE], tmp_path)
    path, _ = _table(tmp_path)
    data = bytearray(path.read_bytes())
    data[-20] ^= 0xFF
    path.write_bytes(bytes(data))
    again = _run(["check", CASE], tmp_path)
    assert (again.returncode, again.stdout) == (plain.returncode, plain.stdout)
    _table(tmp_path)  # signed again


def test_without_a_cache_nothing_is_put_in_place(tmp_path):
    code = "import dataclasses, typing\nimport quanze.cli.main\nprint('exec' in vars(dataclasses), 'compile' in vars(typing))"
    env = {**os.environ, "QUANZE_NO_CACHE": "1", "XDG_CACHE_HOME": str(tmp_path)}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env)
    assert proc.stdout.split() == ["False", "False"], proc.stderr
    env.pop("QUANZE_NO_CACHE")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env)
    assert proc.stdout.split() == ["True", "True"], proc.stderr


def test_the_stand_ins_answer_as_exec_and_compile():
    namespace: dict = {}
    codecache._exec("y = x + 1", {"x": 1}, namespace)
    assert namespace == {"y": 2}
    both = {"x": 1}
    codecache._exec("z = x + 2", both)  # locals default to the globals
    assert both["z"] == 3
    caller = {"_exec": codecache._exec}
    builtins.exec("_exec('made = 7')", caller)  # no namespace given: the caller's
    assert caller["made"] == 7
    assert codecache._compile("a | b", "<string>", "eval") == builtins.compile("a | b", "<string>", "eval", dont_inherit=True)
    for text in ("a b", "1 +", "x ="):
        with pytest.raises(SyntaxError) as theirs:
            builtins.compile(text, "<string>", "eval")
        with pytest.raises(SyntaxError) as ours:
            codecache._compile(text, "<string>", "eval")
        assert (ours.value.msg, ours.value.lineno, ours.value.offset) == (theirs.value.msg, theirs.value.lineno, theirs.value.offset)


def test_a_regular_expression_through_the_table_matches_as_one_compiled_plainly():
    for pattern, flags in ((r"(?P<y>\d{4})年(\d{1,2})月", 0), (r"[\u4e00-\u9fff]+", re.IGNORECASE), (rb"a(b)?", 0)):
        ours, plain = codecache._regex(pattern, flags), codecache._compile_regex(pattern, flags)
        assert ours == plain and ours.groupindex == plain.groupindex and ours.groups == plain.groups
    with pytest.raises(re.error):
        codecache._regex("(unclosed", 0)


def test_nothing_a_draft_says_is_kept_in_the_table(tmp_path):
    """The table holds the texts the code compiles, never text made from a draft (a name, a case number)."""
    marker = "甲乙丙丁戊己节能咨询有限公司"
    draft = tmp_path / "draft.yaml"
    text = Path(CASE).read_text(encoding="utf-8")
    draft.write_text(text.replace("某节能咨询有限公司", marker).replace("张三", "甲乙丙丁"), encoding="utf-8")
    for args in (["check", str(draft), "--format", "json"], ["explain", str(draft)], ["check", str(draft), "--show-law"]):
        proc = _run(args, tmp_path / "cache")
        assert proc.returncode in (0, 1) and "甲乙丙丁" in proc.stdout, proc.stderr
    _, table = _table(tmp_path / "cache")
    assert not [key for key in table if any("甲乙丙丁" in str(part) for part in key[1:])]
