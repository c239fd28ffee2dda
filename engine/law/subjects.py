"""Party roles and conducts of ``rules/subjects.yaml``: look-ups by id, name or synonym.

A draft writes a role (``party.role``, ``target.role``) or a conduct (``violation.conduct``) by id or by
its Chinese words; both are compared after NFKC and removing whitespace (and a trailing "的" or
punctuation), never as raw strings. Nothing here decides a finding: ``engine/check/facts.py`` measures,
``rules/checks/subject.yaml`` decides.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from quanze.engine.law.remembered import per_rules
from quanze.engine.model.schema import Conduct, ItemSubjects, PartyRole, SubjectRules

_SPACE = re.compile(r"\s+")
_TAIL = "的。；;，,、.!！"


def normalise(text: str) -> str:
    """The form names are compared in: NFKC, no whitespace, no trailing "的" or punctuation."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text)).rstrip(_TAIL)


def _spellings(*names: str) -> list[str]:
    return [normalise(n) for n in names if n]


@dataclass(frozen=True)
class ConductHit:
    """Where a conduct a draft names is listed: the item and the entry (or an inspection matter's text)."""

    item: str
    text: str
    conduct: Conduct | None  # None: an inspection matter of rules/inspection/<item>.yaml


def subject_rules(rules: Any) -> SubjectRules:
    """The rules' SubjectRules (empty when the folder has no subjects.yaml)."""
    return getattr(rules, "subjects", None) or SubjectRules(roles=[], items={})


def item_subjects(rules: Any, item: str) -> ItemSubjects | None:
    """What one item covers, or None when subjects.yaml does not list it."""
    return subject_rules(rules).items.get(item)


def find_role(rules: Any, written: str) -> PartyRole | None:
    """The role a draft means by an id, name or synonym; None when it is none of them."""
    return per_rules(rules, "role_spellings", _role_spellings).get(normalise(written))


def _role_spellings(rules: Any) -> dict[str, PartyRole]:
    """Each id and normalised spelling of a role -> the first role it names, in the order of subjects.yaml."""
    out: dict[str, PartyRole] = {}
    for role in subject_rules(rules).roles:
        for key in (role.id, *_spellings(role.name, *role.synonyms)):
            out.setdefault(key, role)
    return out


def role_names(rules: Any) -> list[str]:
    """Every accepted spelling of a role (for 是否指…)."""
    return [n for r in subject_rules(rules).roles for n in (r.name, *r.synonyms, r.id)]


def broader(rules: Any, role_id: str) -> set[str]:
    """The role and every role it is (transitively) ``within``."""
    by_id = {r.id: r for r in subject_rules(rules).roles}
    out, todo = set(), [role_id]
    while todo:
        rid = todo.pop()
        if rid in out or rid not in by_id:
            out.add(rid)
            continue
        out.add(rid)
        todo += by_id[rid].within
    return out


def role_coverage(rules: Any, item: str, role_id: str) -> str:
    """``covered``, ``uncertain`` or ``error``: whether the item's provision covers a role (measured from the data)."""
    spec = item_subjects(rules, item)
    if spec is None:
        return "covered"
    listed = {r.role for r in spec.roles}
    if listed & broader(rules, role_id) or spec.others == "covered":
        return "covered"
    if any(role_id in broader(rules, r) for r in listed):  # a broader role than the one named: may be it
        return "uncertain"
    return spec.others


def role_name(rules: Any, role_id: str) -> str:
    """The Chinese name of a role id."""
    return next((r.name for r in subject_rules(rules).roles if r.id == role_id), role_id)


def items_for_role(rules: Any, role_id: str, besides: str, kinds: tuple[str, ...] | None = None) -> list[str]:
    """Other items (of the draft kinds given, else any) whose provision covers a role by name (not merely
    by ``others: covered``)."""
    ids = broader(rules, role_id)
    items = getattr(rules, "items", {})
    return [
        iid
        for iid, spec in subject_rules(rules).items.items()
        if iid != besides and any(r.role in ids for r in spec.roles) and (kinds is None or (iid in items and items[iid].kind in kinds))
    ]


def find_conduct(rules: Any, written: str) -> list[ConductHit]:
    """Every item listing a conduct a draft names (id, text or synonym), then inspection matters of that text."""
    return list(per_rules(rules, "conduct_spellings", _conduct_spellings).get(normalise(written), ()))


def _conduct_spellings(rules: Any) -> dict[str, list[ConductHit]]:
    """Each id and normalised spelling of a conduct -> where it is listed: the items' conducts in the order of
    subjects.yaml (each once), then the inspection matters of that text by item id."""
    out: dict[str, list[ConductHit]] = {}
    for iid, spec in subject_rules(rules).items.items():
        for c in spec.conducts:
            for key in dict.fromkeys((c.id, *_spellings(c.text, *c.synonyms))):
                out.setdefault(key, []).append(ConductHit(iid, c.text, c))
    for iid, insp in sorted(getattr(rules, "inspections", {}).items()):
        for m in insp.matters:
            out.setdefault(normalise(m.text), []).append(ConductHit(iid, m.text, None))
    return out


def conduct_names(rules: Any) -> list[str]:
    """Every accepted spelling of a conduct (for 是否指…)."""
    out = [n for spec in subject_rules(rules).items.values() for c in spec.conducts for n in (c.text, *c.synonyms, c.id)]
    return out + [m.text for insp in getattr(rules, "inspections", {}).values() for m in insp.matters]


def closest(written: str, names: list[str], shared: int = 4) -> str | None:
    """The name a written role or conduct most likely means: a close spelling, else the longest shared run
    of at least ``shared`` characters (未记录五大总成去向 → “五大总成”及其他零部件处置情况)."""
    close = difflib.get_close_matches(written, names, n=1, cutoff=0.4)
    if close:
        return close[0]
    key = normalise(written)

    def run(name: str) -> int:
        other = normalise(name)
        return difflib.SequenceMatcher(None, key, other, autojunk=False).find_longest_match(0, len(key), 0, len(other)).size

    best = max(names, key=run, default=None)
    return best if best is not None and run(best) >= shared else None
