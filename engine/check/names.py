"""The names a draft uses checked against the rules' closed vocabularies, and a draft read with them.

A draft is read from a file or a parsed document; its schema and the names it uses (item, sanction kinds,
情节, measures, facts) are checked in one pass, so every problem comes in one ``InputError``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import BaseModel

from quanze.engine.check.evidence import proves_problem
from quanze.engine.law.remembered import per_rules
from quanze.engine.law.subjects import closest, conduct_names, find_conduct, find_role, item_subjects, role_name, role_names
from quanze.engine.model.drafts import read_draft, validate_draft
from quanze.engine.model.errors import InputError, Problem, close_match, display_path, shown_plain, unknown_name
from quanze.engine.model.labels import value_text
from quanze.engine.model.ruleset import RuleSet

Draft = Any  # PenaltyDraft | FilingDraft | InspectionDraft | ComplaintDraft


def _get(raw: Any, *path: str) -> Any:
    """raw[a][b]… through mappings (a raw document) or models (a validated draft); None when absent."""
    for key in path:
        if isinstance(raw, dict):
            raw = raw.get(key)
        elif isinstance(raw, BaseModel):
            raw = getattr(raw, key, None)
        else:
            return None
    return raw


def _entries(value: Any) -> list[tuple[int, Any]]:
    """The (index, mapping or model) entries of a list; anything else gives none."""
    return [(i, x) for i, x in enumerate(value) if isinstance(x, (dict, BaseModel))] if isinstance(value, list) else []


class _Vocabulary(NamedTuple):
    """The names of the rules' closed vocabularies, in the rules' order (a dict: looked up at once, offered in order)."""

    sanctions: dict[str, None]  # 处罚种类
    grounds: dict[str, None]  # 不予处罚情形
    factors: dict[str, None]  # 情节
    measures: dict[str, None]  # 检查措施


def _vocabulary(rules: RuleSet) -> _Vocabulary:
    """The rules' vocabularies, made once per RuleSet (every draft is checked against them)."""
    return per_rules(
        rules,
        "draft_names",
        lambda r: _Vocabulary(
            dict.fromkeys(k.kind for k in r.vocabulary.sanctions),
            dict.fromkeys(g.name for g in r.vocabulary.no_penalty_grounds),
            dict.fromkeys(f.name for f in r.factors.factors),
            dict.fromkeys(m.name for m in r.vocabulary.measures),
        ),
    )


def name_problems(raw: Any, rules: RuleSet, label: str) -> list[Problem]:
    """Names a draft uses that are not in the rules' closed vocabularies (item, sanction kinds, 情节, measures, facts).

    Works on the raw document (a mapping as read) as on a validated draft, tolerant of parts that
    fail the schema, so that schema and name problems are reported in one run.
    """
    problems: list[Problem] = []
    item, kind = _get(raw, "item"), _get(raw, "kind")
    if isinstance(item, str) and item not in rules.items:
        return [unknown_name(label, ("item",), "未知的事项编号", item, close_match(item, rules.items))]
    known_item = isinstance(item, str)
    if known_item and isinstance(kind, str) and rules.items[item].kind != kind:
        wanted = rules.items[item].kind
        problems.append(
            Problem.at(
                label, ("kind",), f"事项 {item} 应使用 kind: {wanted}, 实际为 {kind}",
                officer=f"事项 {item} 的草稿种类应为「{value_text(wanted)}」", got=value_text(kind),
            )
        )
    known = _vocabulary(rules)
    if kind == "penalty":
        kinds = known.sanctions
        for where, sanctions in (
            (("decision", "sanctions"), _get(raw, "decision", "sanctions")),
            (("procedure", "notice", "proposed"), _get(raw, "procedure", "notice", "proposed")),
        ):
            for i, s in _entries(sanctions):
                kind_ = _get(s, "kind")
                if isinstance(kind_, str) and kind_ not in kinds:
                    problems.append(unknown_name(label, (*where, i, "kind"), "未知的处罚种类", kind_, close_match(kind_, kinds)))
                elif kind_ == "罚款" and _get(s, "amount") is None:
                    problems.append(Problem.at(label, (*where, i, "amount"), "罚款必须写明数额"))
        for i, r in _entries(_get(raw, "decision", "referrals")):
            proposal = _get(r, "proposal")
            if isinstance(proposal, str) and proposal not in kinds:
                where = ("decision", "referrals", i, "proposal")
                problems.append(unknown_name(label, where, "未知的处罚种类", proposal, close_match(proposal, kinds)))
        ground = _get(raw, "decision", "no_penalty_ground")
        grounds = known.grounds
        if isinstance(ground, str) and ground not in grounds:
            where = ("decision", "no_penalty_ground")
            problems.append(unknown_name(label, where, "未知的不予处罚情形", ground, close_match(ground, grounds)))
        names = known.factors
        factors = _get(raw, "violation", "factors")
        for i, name in enumerate(factors if isinstance(factors, list) else []):
            if isinstance(name, str) and name not in names:
                problems.append(unknown_name(label, ("violation", "factors", i), "未知的情节", name, close_match(name, names)))
        problems += _subject_problems(raw, rules, label, item if known_item else None, ("party", "role"))
        conduct = _get(raw, "violation", "conduct")
        if isinstance(conduct, str) and not find_conduct(rules, conduct):
            spec = item_subjects(rules, item) if known_item else None
            listed = f"{item} 的违法行为：{'；'.join(c.text for c in spec.conducts)}" if spec and spec.conducts else ""
            guess = closest(conduct, conduct_names(rules)) or ""
            problems.append(unknown_name(label, ("violation", "conduct"), "未知的违法行为", conduct, guess, listed))
        for i, row in _entries(_get(raw, "evidence")) if known_item else []:
            proves = _get(row, "proves")
            for j, name in enumerate(proves if isinstance(proves, list) else []):
                why = proves_problem(rules, item, name) if isinstance(name, str) else None
                if why:
                    problems.append(Problem.at(label, ("evidence", i, "proves", j), why))
        ended, committed = _get(raw, "violation", "ended_on"), _get(raw, "violation", "committed_on")
        if isinstance(ended, dt.date) and isinstance(committed, dt.date) and ended < committed:
            problems.append(Problem.at(label, ("violation", "ended_on"), f"终了日期 {ended} 早于发生日期 {committed}"))
    if kind == "filing":
        problems += _subject_problems(raw, rules, label, item if known_item else None, ("applicant", "role"))
    if kind == "inspection":
        problems += _subject_problems(raw, rules, label, item if known_item else None, ("target", "role"))
        names = known.measures
        measures = _get(raw, "measures")
        for i, m in enumerate(measures if isinstance(measures, list) else []):
            if isinstance(m, str) and m not in names:
                problems.append(unknown_name(label, ("measures", i), "未知的检查措施", m, close_match(m, names)))
        for i, a in _entries(_get(raw, "approvals")):
            measure = _get(a, "measure")
            if isinstance(measure, str) and measure not in names:
                problems.append(unknown_name(label, ("approvals", i, "measure"), "未知的检查措施", measure, close_match(measure, names)))
    facts = _get(raw, "facts") if kind == "filing" else None  # only a filing has facts (a model of another kind raises)
    if known_item and item in rules.filings and isinstance(facts, dict):
        declared = rules.filings[item].facts
        for key, value in facts.items():
            spec = declared.get(key)
            if spec is None:
                known, close = ", ".join(declared) or "无", close_match(str(key), declared)
                message = f"{item} 没有此事实 (可用: {known})" + (f"，是否指「{close}」？" if close else "")
                officer = f"{item} 没有此事实（可用：{'、'.join(declared) or '无'}）"
                problems.append(Problem.at(label, ("facts", key), message, officer=officer, suggestion=close))
                continue
            if not spec.accepts(value):
                expected = {"number": "数字", "text": "文字", "bool": "布尔值 true/false"}[spec.type]
                got = {"got": shown_plain(value)}
                problems.append(Problem.at(label, ("facts", key), f"期望{expected}, 实际为 {value!r}", expected=expected, **got))
            elif spec.choices is not None and value not in spec.choices:
                message = f"期望以下之一: {'、'.join(c or '(空)' for c in spec.choices)}, 实际为 {value!r}"
                expected = "以下之一：" + "、".join(f"「{c}」" if c else "（空）" for c in spec.choices)
                problems.append(Problem.at(label, ("facts", key), message, expected=expected, got=shown_plain(value)))
    return problems


def _subject_problems(raw: Any, rules: RuleSet, label: str, item: str | None, path: tuple[str, str]) -> list[Problem]:
    """A role (party.role, target.role) that is no role of rules/subjects.yaml: an input problem with 是否指…."""
    written = _get(raw, *path)
    if not isinstance(written, str) or find_role(rules, written):
        return []
    spec = item_subjects(rules, item) if item else None
    listed = f"{item} 的条文规定的主体：{'、'.join(role_name(rules, r.role) for r in spec.roles)}" if spec and spec.roles else ""
    guess = closest(written, role_names(rules), shared=2) or ""
    return [unknown_name(label, path, "未知的身份", written, guess, listed)]


def validate_names(draft: Any, rules: RuleSet, label: str) -> None:
    """Names the draft uses must be in the rules' closed vocabularies."""
    problems = name_problems(draft, rules, label)
    if problems:
        raise InputError(problems)


def _names(rules: RuleSet, label: str):
    return lambda doc: name_problems(doc, rules, label)


def read_document(raw: Any, rules: RuleSet, label: str) -> Draft:
    """A validated draft from a parsed document; InputError with every schema and name problem at once."""
    return validate_draft(raw, label, _names(rules, label))


def read_file(path: Path | str, rules: RuleSet, label: str | None = None) -> Draft:
    """A validated draft from a file (YAML, or JSON by its suffix)."""
    return read_draft(path, _names(rules, label or display_path(path)))
