"""Sample cases: a draft file beside ``<name>.expect.yaml`` (expected verdict, codes, 案情, 讲解).

The same runner serves ``quanze cases run``, the test suite and ``quanze diff``.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from quanze.engine.check.pipeline import check_file
from quanze.engine.load.loader import RuleSet, load_rules
from quanze.engine.model.errors import InputError, Problem, RuleError, problems_from_validation
from quanze.engine.model.findings import Result
from quanze.engine.model.yamlio import YamlProblem, load_yaml

EXPECT_SUFFIX = ".expect.yaml"


class Expectation(BaseModel):
    """``<case>.expect.yaml``: what a case must produce, and the texts a trainer reads aloud."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str  # the behaviour shown, as a Chinese sentence
    narrative: str  # 案情
    teaching: str  # 讲解
    verdict: Literal["pass", "warn", "incomplete", "fail"] | None = None
    present: list[str] = []  # codes that must be among the findings
    absent: list[str] = []  # codes that must not be
    triggers: dict[str, list[int]] = {}  # code -> 追责情形 numbers its accountability must name
    rules_overlay: list[str] = []  # provision files (paths relative to the case) replacing the shipped ones: hypothetical law
    persons: dict[str, list[str]] = {}  # code -> roles (handler/reviewer/approver) its accountability must name, in order
    input_error: list[str] | None = None  # exact stderr lines ({file} = the draft's path); exit 2
    not_checked: list[str] = []  # sections (e.g. procedure.notice) that must be reported as 未填写
    stage: str | None = None  # the stage code the case must have reached (issue 26: filed, notice, decided …)
    next_steps: list[str] | None = None  # the steps due next, nearest first (step codes of deadlines)


@dataclass
class CaseOutcome:
    """A case run: passed or not, why not, and the result or input error it produced."""

    draft: Path
    expectation: Expectation | None
    problems: list[str] = field(default_factory=list)
    result: Result | None = None
    input_error: list[str] | None = None  # the lines quanze check prints (compared with the expectation)
    input_problems: list[Problem] = field(default_factory=list)  # the same, as records

    @property
    def passed(self) -> bool:
        """True when every expectation held."""
        return not self.problems

    @property
    def exit_code(self) -> int:
        """The exit code ``quanze check`` gives for this draft."""
        if self.input_error is not None:
            return 2
        return 1 if self.result and self.result.verdict == "fail" else 0


def find_cases(root: Path) -> list[Path]:
    """Every draft under root that has an expectation file beside it, sorted."""
    return case_walk(root)[0]


def case_walk(root: Path) -> tuple[list[Path], list[str]]:
    """The sample cases under root and one line per folder link out of root that was not entered (review.walk)."""
    from quanze.engine.batch.review import walk

    if root.is_file():
        return [root], []
    drafts, skipped = walk(root)
    cases = [p for p in drafts if p.suffix in (".yaml", ".json") and expectation_path(p).exists()]
    return cases, [str(p) for e in skipped if e["reason"] == "outside_link" for p in e["problems"]]


def expectation_path(draft: Path) -> Path:
    """``x.yaml`` -> ``x.expect.yaml``."""
    return draft.with_name(draft.stem + EXPECT_SUFFIX)


def read_expectation(draft: Path) -> Expectation:
    """The expectation of a case; InputError when it is missing or malformed."""
    path = expectation_path(draft)
    try:
        raw = load_yaml(path.read_text(encoding="utf-8"))
        return Expectation.model_validate(raw)
    except OSError as exc:
        raise InputError([_p(path, f"无法读取: {exc.strerror}")]) from None
    except YamlProblem as exc:
        raise InputError([_p(path, str(exc))]) from None
    except ValidationError as exc:
        raise InputError(problems_from_validation(str(path), exc)) from None


def _p(path: Path, message: str):
    from quanze.engine.model.errors import Problem

    return Problem(str(path), "", message)


def run_case(draft: Path, rules: RuleSet) -> CaseOutcome:
    """Check one case draft and compare with its expectation."""
    try:
        expect = read_expectation(draft)
    except InputError as exc:
        return CaseOutcome(draft, None, [str(p) for p in exc.problems])
    outcome = CaseOutcome(draft, expect)
    if expect.rules_overlay:
        try:
            rules = overlay_rules(rules, [draft.parent / p for p in expect.rules_overlay])
        except (InputError, RuleError) as exc:
            outcome.problems += [str(p) for p in exc.problems]
            return outcome
    known = set(rules.findings)
    for code in expect.present + expect.absent + list(expect.triggers) + list(expect.persons):
        if code not in known:
            outcome.problems.append(f"期望中的结论代码 {code} 未在 findings.yaml 登记")
    try:
        outcome.result = check_file(draft, rules, str(draft))
    except InputError as exc:
        outcome.input_error, outcome.input_problems = [str(p) for p in exc.problems], exc.problems
    if expect.input_error is not None:
        wanted = [line.replace("{file}", str(draft)) for line in expect.input_error]
        if outcome.input_error != wanted:
            outcome.problems.append(f"期望输入错误 {wanted}, 实际为 {outcome.input_error or '无输入错误'}")
        return outcome
    if outcome.input_error is not None:
        outcome.problems.append("意外的输入错误: " + " | ".join(outcome.input_error))
        return outcome
    result = outcome.result
    assert result is not None
    codes = {f.code for f in result.findings}
    if expect.verdict and result.verdict != expect.verdict:
        outcome.problems.append(f"结论应为 {expect.verdict}, 实际为 {result.verdict} (代码: {sorted(codes)})")
    unfilled = [n.field for n in result.not_checked]
    for section in expect.not_checked:
        if section not in unfilled:
            outcome.problems.append(f"应报告未填写 {section} (实际: {unfilled})")
    stage = result.stage.code if result.stage else None
    if expect.stage is not None and stage != expect.stage:
        outcome.problems.append(f"案件阶段应为 {expect.stage}, 实际为 {stage}")
    steps = [d.step for d in result.next_steps or []]
    if expect.next_steps is not None and steps != expect.next_steps:
        outcome.problems.append(f"下一步应为 {expect.next_steps}, 实际为 {steps}")
    for code in expect.present:
        if code not in codes:
            outcome.problems.append(f"缺少结论 {code} (实际: {sorted(codes)})")
    for code in expect.absent:
        if code in codes:
            outcome.problems.append(f"不应出现结论 {code}")
    for code, numbers in expect.triggers.items():
        got = sorted({t.no for f in result.findings if f.code == code and f.accountability for t in f.accountability.triggers})
        if got != sorted(numbers):
            outcome.problems.append(f"{code} 的追责情形应为 {sorted(numbers)}, 实际为 {got}")
    for code, roles in expect.persons.items():
        found = [f.accountability for f in result.findings if f.code == code and f.accountability]
        got_roles = [r for p in found[0].persons for r in p.roles] if found else []
        if got_roles != roles:
            outcome.problems.append(f"{code} 的责任人应为 {roles}, 实际为 {got_roles}")
    return outcome


_OVERLAYS: dict[tuple[str, tuple[str, ...]], RuleSet] = {}


def overlay_rules(rules: RuleSet, files: list[Path]) -> RuleSet:
    """The rules with some provision files replaced (a hypothetical version for a case), validated; cached per process."""
    key = (str(rules.root), tuple(str(f.resolve()) for f in files))
    if key in _OVERLAYS:
        return _OVERLAYS[key]
    tmp = Path(tempfile.mkdtemp(prefix="quanze-overlay-"))
    atexit.register(shutil.rmtree, tmp, True)
    root = tmp / "rules"
    shutil.copytree(rules.root, root, ignore=shutil.ignore_patterns("__pycache__", "__init__.py"))
    for f in files:
        try:
            raw = load_yaml(f.read_text(encoding="utf-8"))
        except (OSError, YamlProblem) as exc:
            raise InputError([_p(f, f"无法读取假设的条文文件：{exc}")]) from None
        pid = str(raw.get("id", "")) if isinstance(raw, dict) else ""
        law, _, stem = pid.partition(".")
        target = root / "provisions" / law / f"{stem}.yaml"
        if not law or not target.exists():
            raise InputError([_p(f, f"假设的条文 id {pid!r} 不对应规则中已有的条文文件")])
        shutil.copyfile(f, target)
    saved = os.environ.get("QUANZE_NO_CACHE")
    os.environ["QUANZE_NO_CACHE"] = "1"  # a throw-away folder: never fill the rules cache with it
    try:
        _OVERLAYS[key] = load_rules(root)
    finally:
        if saved is None:
            del os.environ["QUANZE_NO_CACHE"]
        else:
            os.environ["QUANZE_NO_CACHE"] = saved
    return _OVERLAYS[key]


# --- a trainer's catalogue and handout ------------------------------------------------------------


@dataclass
class CaseEntry:
    """One sample case as ``cases list`` shows it."""

    name: str  # path under the cases folder without the suffix, e.g. penalty/CF-04/fine_above_max
    item: str
    title: str  # the expectation's name: the behaviour shown
    verdict: str | None
    present: list[str]
    absent: list[str]

    def to_json(self) -> dict[str, object]:
        """A JSON object for ``cases list --format json``."""
        return {
            "name": self.name,
            "item": self.item,
            "title": self.title,
            "verdict": self.verdict,
            "present": self.present,
            "absent": self.absent,
        }


def case_name(draft: Path, root: Path) -> str:
    """A case's name: its path under root, without the suffix."""
    try:
        rel = draft.resolve().relative_to(root.resolve())
    except ValueError:
        rel = draft
    return str(rel.with_suffix("")).replace(os.sep, "/")


def list_cases(root: Path, item: str | None = None, code: str | None = None) -> list[CaseEntry]:
    """The cases under root with their titles; ``item`` keeps one item's, ``code`` those that show or avoid a code.

    A case whose expectation cannot be read is listed with its problem as the title (never dropped).
    """
    out = []
    for draft in find_cases(root):
        name = case_name(draft, root)
        parts = name.split("/")
        case_item = parts[-2] if len(parts) >= 2 else ""
        try:
            expect = read_expectation(draft)
            entry = CaseEntry(name, case_item, expect.name, expect.verdict, list(expect.present), list(expect.absent))
        except InputError as exc:
            entry = CaseEntry(name, case_item, "；".join(str(p) for p in exc.problems), None, [], [])
        if item and entry.item != item:
            continue
        if code and code not in entry.present + entry.absent:
            continue
        out.append(entry)
    return out


def nearest_cases(ident: str, root: Path, n: int = 5) -> list[str]:
    """Case names close to what was typed: an item's cases for an item id, else by difflib over names and file names."""
    import difflib

    names = [case_name(d, root) for d in find_cases(root)]
    typed = ident.removeprefix("cases/").removesuffix(".yaml").removesuffix(".json").strip("/")
    inside = [name for name in names if f"/{typed}/" in f"/{name}/"]  # an item or a kind: its cases
    if inside:
        return inside[:n]
    part = [name for name in names if typed and typed in name]
    if part:
        return part[:n]
    close = difflib.get_close_matches(typed, names, n=n, cutoff=0.5)
    by_stem = {name.rsplit("/", 1)[-1]: name for name in names}
    for stem in difflib.get_close_matches(typed.rsplit("/", 1)[-1], list(by_stem), n=n, cutoff=0.5):
        if by_stem[stem] not in close:
            close.append(by_stem[stem])
    return close[:n]


def draft_rows(value: object, prefix: str = "") -> list[tuple[str, str]]:
    """A draft as (field path, value shown) rows for a handout's table."""
    import re

    from quanze.engine.model.labels import VALUES

    if isinstance(value, dict):
        rows: list[tuple[str, str]] = []
        for key, sub in value.items():
            rows.extend(draft_rows(sub, f"{prefix}.{key}" if prefix else str(key)))
        return rows
    if isinstance(value, list) and value and any(isinstance(v, dict | list) for v in value):
        rows = []
        for i, sub in enumerate(value):
            rows.extend(draft_rows(sub, f"{prefix}[{i}]"))
        return rows
    if isinstance(value, list):
        return [(prefix, "、".join(str(v) for v in value) or "—")]
    if isinstance(value, bool):
        return [(prefix, "是" if value else "否")]
    if value is None:
        return [(prefix, "—")]
    if isinstance(value, str) and value not in VALUES and re.search(r"[A-Za-z]", value):
        return [(prefix, f"“{value}”")]  # a value as the draft wrote it
    return [(prefix, VALUES.get(value, value) if isinstance(value, str) else str(value))]


def case_catalog(root: Path, name: str | None = None) -> dict[str, object] | None:
    """The cases for class mode: every case's name, item, title, verdict, 案情 and 讲解; with ``name``, that one
    case with its draft file's text (``None`` when there is no such case)."""
    if name is None:
        out = []
        for entry in list_cases(root):
            expect = read_expectation(root / f"{entry.name}.yaml") if (root / f"{entry.name}.yaml").is_file() else None
            out.append({**entry.to_json(), "narrative": expect.narrative if expect else "", "teaching": expect.teaching if expect else ""})
        return {"cases": out}
    names = {case_name(d, root): d for d in find_cases(root)}
    draft = names.get(name)
    if draft is None:
        return None
    expect = read_expectation(draft)
    return {
        "name": name,
        "file": draft.name,
        "title": expect.name,
        "verdict": expect.verdict,
        "narrative": expect.narrative,
        "teaching": expect.teaching,
        "text": draft.read_text(encoding="utf-8"),
    }
