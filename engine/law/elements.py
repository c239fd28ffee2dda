"""The elements (构成要件) of a penalty item and the facts a decision relies on (rules/elements.yaml, issue 27 §2).

Lookups only: which elements apply to a decision, which decisive facts a draft relies on, and which of
them a name in an evidence row's ``proves`` means. No finding is decided here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from quanze.engine.law.remembered import per_rules
from quanze.engine.law.subjects import normalise


@dataclass(frozen=True)
class Provable:
    """Something an evidence row may prove: an element, a decisive fact or a 情节."""

    key: str  # element:<id>, decisive:<id>, factor:<name>
    name: str
    words: str  # the article's words ("" for a 情节: its name is the statutory wording)
    source: str  # 节约能源法 第七十六条, or the 情节's source


def item_elements(rules: Any, item: str) -> list[Any]:
    """The elements of an item's provision (empty when rules/elements.yaml does not list it)."""
    spec = rules.elements.items.get(item) if rules.elements else None
    return list(spec.elements) if spec else []


def provables(rules: Any, item: str) -> list[Provable]:
    """Everything an evidence row of this item may name in ``proves``: its elements, the decisive facts, the 情节."""
    out = [Provable(f"element:{e.id}", e.name, e.words, rules.law_label(e.provision)) for e in item_elements(rules, item)]
    if rules.elements:
        out += [Provable(f"decisive:{d.id}", d.name, d.words, rules.law_label(d.provision)) for d in rules.elements.decisive]
    out += [Provable(f"factor:{f.name}", f.name, "", f.source) for f in rules.factors.factors]
    return out


def find_provable(rules: Any, item: str, written: str) -> Provable | None:
    """What a name in ``proves`` means: an element or decisive fact by name or id, or a 情节 by name."""
    return per_rules(rules, ("provable_names", item), lambda r: _provable_names(r, item)).get(normalise(written))


def _provable_names(rules: Any, item: str) -> dict[str, Provable]:
    """Each normalised name and id of what an evidence row of the item may prove -> the first it names."""
    ids = {f"element:{e.id}": e.id for e in item_elements(rules, item)}
    if rules.elements:
        ids.update({f"decisive:{d.id}": d.id for d in rules.elements.decisive})
    out: dict[str, Provable] = {}
    for p in provables(rules, item):
        for key in (normalise(p.name), normalise(ids.get(p.key, p.name))):
            out.setdefault(key, p)
    return out


def required(rules: Any, draft: Any) -> list[Provable]:
    """What this draft's decision needs evidence for: the elements that apply, and the decisive facts and
    情节 it relies on (违法所得 above 0, 危害后果 严重, 此前违法 above 0, each 情节 it names)."""
    decision = getattr(draft, "decision", None)
    referral = bool(decision is not None and decision.referrals)
    out = [
        Provable(f"element:{e.id}", e.name, e.words, rules.law_label(e.provision))
        for e in item_elements(rules, draft.item)
        if e.applies == "always" or referral
    ]
    v, party = getattr(draft, "violation", None), draft.party  # an open case may not state the violation yet
    relied = {
        "violation.illegal_gains": v is not None and v.illegal_gains > 0,
        "violation.harm": v is not None and v.harm == "serious",
        "party.prior_violations": party.prior_violations > 0,
    }
    for d in rules.elements.decisive if rules.elements else []:
        if relied[d.field]:
            out.append(Provable(f"decisive:{d.id}", d.name, d.words, rules.law_label(d.provision)))
    sources = {f.name: f.source for f in rules.factors.factors}
    out += [Provable(f"factor:{name}", name, "", sources.get(name, "")) for name in dict.fromkeys(v.factors if v else [])]
    return out


def described(p: Provable) -> str:
    """「违法主体」（节约能源法 第七十六条：“从事…的机构”）, or a 情节 with its source."""
    return f"「{p.name}」（{p.source}：“{p.words}”）" if p.words else f"「{p.name}」（情节，{p.source}）"
