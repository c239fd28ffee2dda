"""The output layer's words and blocks, defined once for every format: text (``cli/render.py``), the HTML
report (``engine/present/report.py``), the 意见书 (``engine/present/opinion.py``), JSON (``to_json``) and the web form
(``GET /api/v1/words``).

Nothing here decides anything: it names verdicts, severities and roles in Chinese, writes a finding's
追责 block as sentences, and renders JSON text.
"""

from __future__ import annotations

import json
from typing import Any

from quanze.engine.model.errors import Problem
from quanze.engine.model.records import Accountability, Person
from quanze.engine.model.records import Problem as ProblemRecord
from quanze.engine.model.text import encodable, has_hidden, hidden

VERDICT_WORDS = {
    "pass": "通过",
    "warn": "通过（有警告）",
    "incomplete": "未完成（草稿有未填写的部分，部分检查未进行）",
    "fail": "不通过",
}
VERDICT_SHORT = {"pass": "通过", "warn": "有警告", "incomplete": "未完成", "fail": "不通过"}  # table cells and filters
SEVERITY_WORDS = {"error": "错误", "warning": "警告", "info": "提示"}
ROLE_WORDS = {"handler": "具体承办人", "reviewer": "内设机构负责人", "approver": "单位法定代表人或分管领导"}
RESPONSIBILITY_WORDS = {"direct": "直接责任", "main_leader": "主要领导责任", "important_leader": "重要领导责任"}
UNFILLED = "（未填写）"


def words() -> dict[str, dict[str, str]]:
    """Every word table, for a client that renders results itself (the web form)."""
    return {
        "verdict": VERDICT_WORDS,
        "verdict_short": VERDICT_SHORT,
        "severity": SEVERITY_WORDS,
        "role": ROLE_WORDS,
        "responsibility": RESPONSIBILITY_WORDS,
    }


def to_json(value: Any) -> str:
    """Pretty JSON with Chinese kept as is, always valid UTF-8 (a lone surrogate would become U+FFFD)."""
    text = json.dumps(value, ensure_ascii=False, indent=2, default=str)
    text = text if text.isascii() or encodable(text) else text.encode("utf-8", "replace").decode("utf-8")
    return text if text.isprintable() or not has_hidden(text) else json_hidden_escaped(text)


def json_hidden_escaped(text: str) -> str:
    """JSON text with C1 controls, bidi, zero-width and other hidden characters as \\uXXXX escapes.

    They occur only inside strings (JSON's own syntax is ASCII), so the value read back is the same;
    a terminal shown the JSON no longer obeys or hides them. JSON itself escapes C0 controls already.
    """
    out = []
    for c in text:
        if c != "\n" and hidden(c):
            code = ord(c)
            if code > 0xFFFF:  # JSON escapes outside the BMP as a surrogate pair
                code -= 0x10000
                out.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}")
            else:
                out.append(f"\\u{code:04x}")
        else:
            out.append(c)
    return "".join(out)


def verdict_word(verdict: str) -> str:
    """通过 / 通过（有警告） / 未完成（…） / 不通过."""
    return VERDICT_WORDS.get(verdict, verdict)


def title_of(code: str, rules: Any = None) -> str:
    """A finding by its Chinese title, the code in brackets: 罚款高于法定上限 [FINE_ABOVE_MAX]."""
    fdef = rules.findings.get(code) if rules is not None else None
    return f"{fdef.title} [{code}]" if fdef else f"[{code}]"


def trigger_text(acc: Accountability) -> str:
    """The 追责情形 a finding triggers, with the statute: 「…追责情形第 3 项“…”（…）」, or why none."""
    triggers = "；".join(f"{t.list} 追责情形第 {t.no} 项“{t.officer_text}”" for t in acc.triggers)  # the seed's words, typeset
    if not triggers:
        triggers = f"无对应的追责情形：{acc.no_trigger}" if acc.no_trigger else "无对应的追责情形"
    return triggers + (f"（{acc.statute}）" if acc.statute else "")


def person_text(p: Person) -> str:
    """One person answerable: roles, name and the kind of responsibility."""
    resp = RESPONSIBILITY_WORDS.get(p.responsibility, p.responsibility)
    roles = "、".join(ROLE_WORDS.get(r, r) for r in p.roles)
    return f"{roles} {p.name or UNFILLED}" + (f"（{resp}）" if resp else "")


def persons_text(acc: Accountability) -> str:
    """Everyone answerable for a finding, joined by 、."""
    return "、".join(person_text(p) for p in acc.persons)


def attribution_text(acc: Accountability) -> str:
    """The attribution rule applied and why."""
    att = acc.attribution
    return att.title + (f"（{att.why}）" if att.why else "")


def accountability_block(acc: Accountability) -> list[tuple[str, str]]:
    """A finding's 追责 block as (heading, sentence) pairs: 追责情形, 责任人, 归责规则."""
    # no published 追责情形 fits: the people are who would answer if the reviewers find 追责 due, never an accusation
    who = "责任人" if acc.triggers else "如认定追责，责任人"
    return [("追责情形", trigger_text(acc)), (who, persons_text(acc)), ("归责规则", attribution_text(acc))]


def problem_text(problem: Problem) -> str:
    """The terminal's line of a bad input: file, the field by its Chinese label with its YAML path after it, the
    message (``草稿.yaml: 第 2 项处罚数额 decision.sanctions[1].amount: …``; scripts and tests read the path)."""
    from quanze.engine.model.labels import field_label

    where = problem.where
    if problem.path:
        label = field_label(where)
        where = f"{label} {where}" if label != where else where
    return f"{problem.file}: {where}: {problem.message}" if where else f"{problem.file}: {problem.message}"


def problem_said(problem: Problem) -> str:
    """What is wrong, in the officer's words (the message's counterpart: no place, no file): what the field takes
    (a coded field's values by their names) and what it holds in 「」, full-width punctuation, no YAML path."""
    from quanze.engine.model.labels import CHOICES

    names = CHOICES.get(".".join(k for k in problem.path if isinstance(k, str))) if problem.choice else None
    expected = "以下之一：" + "、".join(f"「{v}」" for v in names.values()) if names else problem.expected
    if problem.officer:
        body = problem.officer
    elif expected:
        body = f"应为{expected}" + (f"，实际为「{problem.got}」" if problem.got else "")
    else:
        body = problem.message
    body += f"（{problem.hint}）" if problem.hint else ""
    return body + (f"，是否指「{problem.suggestion}」？" if problem.suggestion else "")


def problem_officer(problem: Problem) -> str:
    """A bad input in the officer's words, without the file: the field by its label, then what is wrong
    (the review report, the handout)."""
    from quanze.engine.model.labels import field_label

    place = field_label(problem.where) if problem.path else problem.where
    return f"{place}：{problem_said(problem)}" if place else problem_said(problem)


def problem_record(problem: Problem) -> dict[str, Any]:
    """A problem in JSON: the contract's file, where and message, its parts, and ``text``, the message in the
    officer's words (the form shows it beside the field's label): the dump of its typed record."""
    return ProblemRecord.model_construct(**problem.record(), text=problem_said(problem)).dump()
