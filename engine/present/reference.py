"""The generated reference (``quanze rules reference``): one Markdown page per finding code and one of what
``rules validate`` checks, written from the rules themselves (issue #25 §4).

A code's page: its title, severity, kind and what it concerns (rules/findings.yaml), the rules of rules/checks/ that
raise it with their message and basis, the article text of each basis in its current version (as the rules carry it),
and the sample cases that show it and the near-miss cases that avoid it. The validate page lists every registered
check of ``engine/load/rulechecks.py`` with its docstring. Pages are plain functions of their inputs: the same rules
and cases give the same bytes (a test compares them with the committed docs/reference/).
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from typing import Any, Protocol

from quanze.engine.law.lawtext import basis_text
from quanze.engine.load.rulechecks import CHECKS
from quanze.engine.model.ruleset import RuleSet
from quanze.engine.model.schema import CheckRule, FindingDef

HEADER = "<!-- 由 quanze rules reference --out docs/reference 生成，请勿手工修改：改了 rules/ 或 cases/ 后重新生成 -->\n"
SEVERITY = {"error": "错误（error）", "warning": "警告（warning）", "info": "提示（info）"}
KIND = {"penalty": "行政处罚", "filing": "备案", "inspection": "行政检查", "complaint": "投诉举报"}
PROVISION = "{provision}"
Raising = tuple[str, str, CheckRule]  # a rule raising a code: its file under rules/, the draft kind it checks, the rule


def _placeholder(label: str) -> bool:
    """A basis filled in when the check runs (``{provision}``: the item's penalty provision; ``{ground_basis}`` …)."""
    return label.startswith("{") and label.endswith("}")


def _label(label: str) -> str:
    if label == PROVISION:
        return "（适用事项的依据）"
    return f"（随事项或情形而定：`{label}`）" if _placeholder(label) else label


class CaseLike(Protocol):
    """A sample case as the reference needs it (engine/batch/cases.py CaseEntry)."""

    name: str
    title: str
    present: list[str]
    absent: list[str]


def pages(rules: RuleSet, cases: Sequence[CaseLike]) -> dict[str, str]:
    """Every page of the reference: relative path → Markdown text."""
    raised = _rules_by_code(rules)
    out = {f"findings/{code}.md": finding_page(rules, f, raised.get(code, []), cases) for code, f in rules.findings.items()}
    out["index.md"] = index_page(rules, raised, cases)
    out["validate.md"] = validate_page()
    return out


def _rules_by_code(rules: RuleSet) -> dict[str, list[Raising]]:
    """code → (file under rules/, draft kind, rule) of every check rule raising it, in file order."""
    # the loader reads the files in this order; a file with ``also`` is followed by its copies for those kinds
    paths = iter(sorted((rules.root / "checks").glob("*.yaml")))
    files = iter(rules.checks)
    out: dict[str, list[Raising]] = {}
    for cf in files:
        path = f"rules/checks/{next(paths).name}"
        for each in [cf, *(next(files) for _ in cf.also)]:
            for rule in each.rules:
                out.setdefault(rule.code, []).append((path, each.kind, rule))
    return out


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _quote(text: str) -> str:
    return "\n".join("> " + line if line.strip() else ">" for line in text.strip().splitlines())


def _case_links(found: list[CaseLike]) -> list[str]:
    return [f"- [{c.name}](../../../cases/{c.name}.yaml)：{c.title}" for c in found] or ["- （无）"]


def finding_page(rules: RuleSet, f: FindingDef, raising: list[Raising], cases: Sequence[CaseLike]) -> str:
    """The page of one finding code."""
    stage, given = f.concerns
    concerns = f"- 追责类别：{f.defect}；所涉：{stage}" + ("" if given else "（由追责类别推定）")
    lines = [HEADER, f"# {f.code}：{f.title}", "", f"- 严重程度：{SEVERITY.get(f.severity, f.severity)}",
             f"- 草稿种类：{'、'.join(f'{KIND.get(k, k)}（{k}）' for k in [f.kind, *f.also])}", concerns]
    if f.checked:
        lines.append(f"- 检查内容：{f.checked}")
    if f.note:
        lines += ["", _quote(f.note)]
    lines += ["", "## 产生此代码的规则", ""]
    if not raising:
        lines.append("rules/checks/ 中没有产生此代码的规则。")
    labels: list[str] = []
    provision_items: list[str] = []  # items whose own penalty provision is a basis ({provision})
    for path, kind, rule in raising:
        if PROVISION in rule.basis:
            provision_items += [i for i in _provision_items(rules, rule, kind) if i not in provision_items]
        scope = "、".join(rule.items) if rule.items else f"{KIND.get(kind, kind)}的全部事项（{kind}）"
        lines += [f"### `{rule.id}`（{path}）", "", f"- 适用事项：{scope}", f"- 提示：{rule.message}",
                  f"- 依据：{'、'.join(map(_label, rule.basis))}"]
        if rule.note:
            lines.append(f"- 说明：{' '.join(rule.note.split())}")
        lines.append("")
        labels += [b for b in rule.basis if b not in labels]
    if labels:
        lines += ["## 依据条文", ""]
        for label in labels:
            if label == PROVISION:
                lines += _item_provisions(rules, provision_items)
                continue
            if _placeholder(label):
                lines += [f"- {_label(label)}：检查时按事项和草稿填入，条文见 `quanze rules show 事项编号`。", ""]
                continue
            text = basis_text(rules, label)
            lines += [f"**{label}**", "", _quote(text) if text else "规则中没有此条文的原文。", ""]
    produce = [c for c in cases if f.code in c.present]
    avoid = [c for c in cases if f.code in c.absent]
    lines += ["## 产生此代码的案例", "", *_case_links(produce), "", "## 避开此代码的近似案例", "", *_case_links(avoid), ""]
    return "\n".join(lines)


def _provision_items(rules: RuleSet, rule: CheckRule, kind: str) -> list[str]:
    """The items a ``{provision}`` rule can apply to: its own list, else the kind's items with a provision, keeping those
    whose provision has, in some version, what the rule ``needs`` (a 罚款 range, a penalty at all)."""
    ids = rule.items or [i for i, e in rules.items.items() if e.kind == kind and e.provision]
    has = {"fine": lambda v: v.fine() is not None, "penalty": lambda v: v.penalty is not None}

    def fits(iid: str) -> bool:
        pid = rules.items[iid].provision if iid in rules.items else None
        versions = rules.provisions[pid].versions if pid in rules.provisions else []
        return all(any(has.get(n, lambda v: True)(v) for v in versions) for n in rule.needs)

    return [i for i in ids if fits(i)]


def _item_provisions(rules: RuleSet, item_ids: list[str]) -> list[str]:
    """The penalty provision of each item (items sharing one named together), with its current text."""
    by_provision: dict[str, list[str]] = {}
    for iid in item_ids:
        pid = rules.items[iid].provision if iid in rules.items else None
        if pid:
            by_provision.setdefault(pid, []).append(iid)
    if not by_provision:
        return ["- （适用事项的依据）：检查时按事项填入，各事项的依据见 `quanze rules show 事项编号`。", ""]
    lines = ["适用事项的依据（各事项的处罚条文，现行版本；检查时按行为时与决定时选用版本）：", ""]
    for pid, ids in by_provision.items():
        label = rules.law_label(pid)
        text = basis_text(rules, label)
        lines += [f"**{'、'.join(ids)}：{label}**", "", _quote(text) if text else "规则中没有此条文的原文。", ""]
    return lines


def index_page(rules: RuleSet, raised: dict[str, list[Raising]], cases: Sequence[CaseLike]) -> str:
    """The index: every code with its severity, kind, title and counts of rules and cases."""
    lines = [HEADER, "# 结论代码参考", "",
             "每个结论代码一页：标题、严重程度、依据及条文原文、产生它的规则、产生它的案例和避开它的近似案例。",
             "规则目录的校验项见 [rules validate 检查什么](validate.md)。", "",
             "| 代码 | 严重程度 | 种类 | 标题 | 规则 | 产生的案例 | 近似案例 |", "|---|---|---|---|---|---|---|"]
    for code, f in rules.findings.items():
        n_present = sum(code in c.present for c in cases)
        n_absent = sum(code in c.absent for c in cases)
        lines.append(f"| [{code}](findings/{code}.md) | {f.severity} | {f.kind} | {_cell(f.title)} | {len(raised.get(code, []))} "
                     f"| {n_present} | {n_absent} |")
    return "\n".join([*lines, ""])


def validate_page() -> str:
    """What ``quanze rules validate`` checks: the registered checks of engine/load/rulechecks.py, in the order run."""
    lines = [HEADER, "# rules validate 检查什么", "",
             "`quanze rules validate` 先按模式读取每个规则文件（字段、类型、取值），再按下列顺序运行每一项交叉检查，"
             "最后对编译后的规则运行 durable-rules 自检；每个问题一行（文件与行号）。", ""]
    for fn in CHECKS:
        doc = inspect.getdoc(fn) or ""
        lines += [f"## `{fn.__name__}`", "", doc.strip() or "（无说明）", ""]
    return "\n".join(lines)

