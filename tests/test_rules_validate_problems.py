"""`rules validate`: what a broken rules folder reports, and what is left out because it only follows from a file that
failed to read, decided from what each problem names (``Problem.about``, ``Problem.cascade``), never from its text."""

from __future__ import annotations

import ast
import json

import pytest
import validate_golden
from validate_golden import GOLDEN, fresh_copy, problems

SCENARIOS = validate_golden.scenarios()
RECORDED = json.loads(GOLDEN.read_text(encoding="utf-8"))
LOAD = validate_golden.ROOT / "engine" / "load"


def test_every_scenario_is_recorded():
    assert set(RECORDED) == set(SCENARIOS), "python tests/validate_golden.py --update"


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_a_broken_folder_reports_what_it_reported(name, tmp_path):
    """Every broken folder the tests build reports the problems recorded (tests/validate_golden.py): a problem that
    forgets to say what it names would be kept, or one that says too much dropped, and the list would move."""
    root = fresh_copy(tmp_path)
    SCENARIOS[name](root)
    assert problems(root) == RECORDED[name]


def test_every_rules_problem_says_what_it_names():
    """Each ``rd.problem(...)`` of engine/load passes ``about`` (the ids its message names, () for none): the
    loader's decision what follows from a failed file reads only these, so none may be left to a default."""
    calls = [
        (path.name, node)
        for path in sorted(LOAD.glob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "problem"
    ]
    assert len(calls) >= 90
    missing = [f"{name}:{node.lineno}" for name, node in calls if "about" not in {k.arg for k in node.keywords}]
    assert not missing, missing


def _problem(message: str, about: tuple[str, ...] = (), cascade: bool = False):
    from quanze.engine.model.errors import Problem

    return Problem("rules/items.yaml", "第 3 行", message, about=about, cascade=cascade)


def test_follows_from_reads_the_ids_not_the_message(tmp_path):
    """A problem follows from a failed file when it names an id that file defines, whatever its message says; a
    message that merely mentions the id (a suggestion, a date) or a cascade phrase without a failed check file stays."""
    from quanze.engine.load.loader import _follows_from

    root = tmp_path / "rules"
    catalog = {root / "catalog" / "CF-04.yaml"}
    law = {root / "provisions" / "jieneng" / "index.yaml"}
    provision = {root / "provisions" / "xzcf" / "a28.yaml"}
    checks = {root / "checks" / "complaint.yaml"}
    assert _follows_from(_problem("x", about=("CF-04",)), catalog, root)
    assert not _follows_from(_problem("事项 CF-04 不在 catalog/ 中"), catalog, root)  # the text is never read
    assert not _follows_from(_problem("y", about=("CF-05",)), catalog, root)
    assert _follows_from(_problem("x", about=("jieneng",)), law, root)
    assert not _follows_from(_problem("x", about=("jieneng.a760",)), law, root)  # a provision that is not there
    assert _follows_from(_problem("x", about=("xzcf.a28",)), provision, root)
    assert not _follows_from(_problem("x", about=("xzcf",)), provision, root)
    assert _follows_from(_problem("x", about=("QT-01",), cascade=True), checks, root)
    assert not _follows_from(_problem("x", about=("QT-01",), cascade=True), catalog, root)  # no check file failed
    assert not _follows_from(_problem("没有任何检查规则产生"), checks, root)


def test_the_ids_stay_out_of_every_output():
    """``about`` and ``cascade`` are the loader's: the JSON record and the terminal line are what they were."""
    p = _problem("结论代码 X 没有任何检查规则产生", about=("X",), cascade=True)
    assert p.record() == {"file": "rules/items.yaml", "where": "第 3 行", "message": "结论代码 X 没有任何检查规则产生"}
    assert str(p) == "rules/items.yaml: 第 3 行: 结论代码 X 没有任何检查规则产生"
    assert p == _problem("结论代码 X 没有任何检查规则产生")  # not part of a problem's identity
