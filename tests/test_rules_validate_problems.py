"""`rules validate`: what a broken rules folder reports, and what is left out because it only follows from a file that
failed to read, decided from what each problem names (``Problem.about``, ``Problem.cascade``), never from its text."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import broken_rules
import pytest
from broken_rules import fresh_copy, problems

from quanze.engine.load import loader

SCENARIOS = broken_rules.scenarios()
LOAD = broken_rules.ROOT / "engine" / "load"

# where the ids decide otherwise than the message search did (scenario -> the messages now kept)
MEANT = {
    # a catalog citing jieneng.a760, which does not exist, beside a broken jieneng/index.yaml: the search found the
    # law id inside the provision id; the missing provision does not follow from the law's index
    "near:dangling_provision_ref+law_index": ["引用的条文 jieneng.a760 不存在，是否指「jieneng.a76」？"],
}
_CASCADE = ("没有任何检查规则产生", "没有任何适用的检查规则", "被覆盖的规则", "未定义的条件", "范围比较")


def searched(problem, failed: set[Path], root: Path) -> bool:
    """The oracle: what engine/load/loader.py decided before issue #25, by searching the message for the ids of the
    failed files and for the phrases of a missing check (kept here, in a test, to compare; never in the engine)."""
    ids: set[str] = set()
    for path in failed:
        parts = path.relative_to(root).parts
        if parts[0] == "checks":
            if any(c in problem.message for c in _CASCADE):
                return True
        elif parts[0] == "provisions" and len(parts) == 3:
            ids.add(parts[1] if path.name == "index.yaml" else f"{parts[1]}.{path.stem}")
        else:
            ids.add(path.stem)
    return any(re.search(rf"(?<![\w.]){re.escape(i)}(?![\w])", problem.message) for i in ids)


def validate(name: str, tmp_path: Path, monkeypatch) -> tuple[list[str], list[str], list[str]]:
    """A scenario's reported problems, the messages left out, and those where the ids and the search disagree."""
    decided = loader._follows_from
    dropped: list[str] = []
    differ: list[str] = []

    def both(problem, failed, root):
        follows = decided(problem, failed, root)
        if follows != searched(problem, failed, root):
            differ.append(problem.message)
        if follows:
            dropped.append(problem.message)
        return follows

    monkeypatch.setattr(loader, "_follows_from", both)
    root = fresh_copy(tmp_path)
    SCENARIOS[name](root)
    return problems(root), dropped, differ


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_a_broken_folder_leaves_out_what_the_message_search_left_out(name, tmp_path, monkeypatch):
    """Every broken folder the tests build (tests/broken_rules.py) reports the problems the message search kept: a
    problem that forgets to say what it names would be kept, one that says too much dropped (listed in MEANT)."""
    reported, dropped, differ = validate(name, tmp_path, monkeypatch)
    assert reported, "a broken folder is refused"
    assert differ == MEANT.get(name, [])
    assert not any(m in p for m in dropped for p in reported)


@pytest.mark.parametrize(
    ("name", "left_out"),
    [
        ("broken:catalog/CF-04.yaml", "事项 CF-04 不在 catalog/ 中"),
        ("broken:params/xzcf.yaml", "参数 xzcf."),
        ("broken:checks/complaint.yaml", "没有任何检查规则产生"),
        ("broken:provisions/jieneng/index.yaml", "法律 jieneng 没有 index.yaml"),
        ("broken:inspection/JC-01.yaml", "缺少 inspection/JC-01.yaml"),
    ],
)
def test_what_follows_from_a_failed_file_is_left_out(name, left_out, tmp_path, monkeypatch):
    """The comparison above is not empty: these folders have problems that only repeat a failed file, left out."""
    reported, dropped, _ = validate(name, tmp_path, monkeypatch)
    assert any(left_out in m for m in dropped), dropped
    assert not any(left_out in p for p in reported)


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
