"""What the register keeps of a submitted case file: its check (or why it could not be read) and the facts
the register lists (case number, item, 承办人, 科室, stage, next step and its last day). Runs on the thread
that checks (durable-rules is one thread per process)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from quanze.engine import api

UNNUMBERED = "未编号-"


@dataclass
class Assessment:
    """One submitted text as the register stores it."""

    case_id: str
    valid: bool
    result: str  # JSON text: the contract §4 result, or {"problems", "lines"}
    rules_version: str
    kind: str | None = None
    item: str | None = None
    handler: str | None = None
    office: str | None = None  # 承办机构 of the item in the published 权责清单
    stage: str | None = None
    next_step: str | None = None
    nearest: dt.date | None = None
    findings: list[str] = field(default_factory=list)
    personal: bool = False  # names an individual (party, applicant, target, complainant or respondent 个人)


PEOPLE_SECTIONS = ("party", "applicant", "target", "complainant", "respondent")


def personal(doc: Any) -> bool:
    """Whether a case file names an individual (whose name and ID number are personal data), read loosely so
    that a file that does not validate is judged too."""
    if not isinstance(doc, dict):
        return False
    for section in PEOPLE_SECTIONS:
        value = doc.get(section)
        for person in value if isinstance(value, list) else [value]:
            if isinstance(person, dict) and str(person.get("type", "")).strip() in ("individual", "个人"):
                return True
    return False


def _get(doc: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(doc, dict):
            return None
        doc = doc.get(key)
    return doc


def _text(value: Any, limit: int) -> str | None:
    return value.strip()[:limit] if isinstance(value, str) and value.strip() else None


# The stage a penalty draft has reached, from the dates it holds (latest first). A stand-in until the engine
# derives stages itself (issue 26); other kinds show their kind.
PENALTY_STAGES = (
    (("procedure", "served_on"), "已送达"),
    (("decision", "decided_on"), "已决定"),
    (("procedure", "hearing"), "听证"),
    (("procedure", "notice", "served_on"), "已告知"),
    (("procedure", "filed_on"), "已立案"),
)
KIND_NAMES = {"penalty": "行政处罚", "filing": "备案", "inspection": "行政检查", "complaint": "投诉举报"}


def stage_of(doc: Any) -> str | None:
    if not isinstance(doc, dict):
        return None
    if doc.get("kind") == "penalty":
        return next((name for path, name in PENALTY_STAGES if _get(doc, *path)), "未立案")
    return KIND_NAMES.get(doc.get("kind")) if isinstance(doc.get("kind"), str) else None


_CASE_LINE = re.compile(r"""^\s*["']?case_id["']?\s*:\s*["']?([^"'\n,{}\[\]#]+?)["']?\s*,?\s*(?:#.*)?$""", re.MULTILINE)


_CASE_JSON = re.compile(r'"case_id"\s*:\s*"([^"\\\n]+)"')


def written_number(text: str) -> str | None:
    """The case number of a text that does not parse, where a ``case_id:`` line still reads plainly."""
    found = _CASE_LINE.search(text) or _CASE_JSON.search(text)
    return found.group(1).strip()[:200] or None if found else None


def unnumbered(text: str) -> str:
    """The register's key of a text without a readable case number: the same text gets the same key."""
    return UNNUMBERED + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def assess(text: str, media: str, rules: Any, label: str, today: dt.date, case_id: str | None = None) -> Assessment:
    """Check a submitted text; a text that cannot be read or validated is kept with its problems."""
    doc: Any = None
    try:
        doc = api.parse_draft_text(text, label, as_json=media == "json")
        draft = api.read_document(doc, rules, label)
        result = api.check_draft(draft, rules, label)  # may refuse too (a kind that does not fit its item)
    except api.InputError as exc:
        problems = api.problems_body(exc.problems)
        key = case_id or _text(_get(doc, "case_id"), 200) or written_number(text) or unnumbered(text)
        item = _text(_get(doc, "item"), 40)
        return Assessment(
            case_id=key, valid=False, result=api.to_json(problems), rules_version=rules.version,
            kind=_text(_get(doc, "kind"), 20), item=item, handler=_text(_get(doc, "people", "handler"), 100),
            office=_office(rules, item), stage=stage_of(doc), next_step="补正草稿（无法读取或校验）",
            personal=personal(doc) or doc is None,  # a text that cannot be read may name anyone: treated as personal
        )
    steps = api.open_steps(draft, rules, today)
    return Assessment(
        case_id=case_id or draft.case_id[:200], valid=True, result=api.to_json(api.result_json(result)),
        rules_version=rules.version, kind=draft.kind, item=draft.item,
        handler=_text(getattr(getattr(draft, "people", None), "handler", None), 100), office=_office(rules, draft.item),
        stage=stage_of(doc), next_step=steps[0]["title"] if steps else None,
        nearest=dt.date.fromisoformat(steps[0]["last_day"]) if steps else None,
        findings=[f.code for f in result.findings], personal=personal(doc),
    )


def _office(rules: Any, item: str | None) -> str | None:
    found = rules.catalog.get(item) if item else None
    office = getattr(found, "office", None)
    return office if office and "缺失" not in office else None
