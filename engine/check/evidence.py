"""Facts of the evidence in a penalty case file (issue 27 §1–2): which required elements and relied-on facts
no counting evidence proves, and which evidence does not count (以非法手段取得, 行政处罚法 第四十六条第三款).

Only measured here; rules/checks/evidence.yaml decides what they mean. A draft without an ``evidence``
key has these facts unknown: the rules testing them are listed under not_checked (the verdict does not
change), as for party.role.
"""

from __future__ import annotations

from typing import Any

from quanze.engine.law.elements import described, find_provable, provables, required
from quanze.engine.law.subjects import closest
from quanze.engine.model.drafts import PenaltyDraft


def evidence_facts(draft: PenaltyDraft, rules: Any) -> dict[str, Any]:
    """The evidence facts of a draft and the texts its messages quote (without an evidence key: the texts only,
    empty, so that no message of a withheld rule can ever show a bare placeholder)."""
    if "evidence" not in draft.model_fields_set:
        return dict.fromkeys(("elements_unevidenced", "decisive_unevidenced", "evidence_excluded"), "")
    rows = draft.evidence or []
    proven: set[str] = set()
    for row in rows:
        if row.unlawful:
            continue
        for name in row.proves:
            hit = find_provable(rules, draft.item, name)
            if hit:
                proven.add(hit.key)
    needed = required(rules, draft)
    elements = [p for p in needed if p.key.startswith("element:") and p.key not in proven]
    decisive = [p for p in needed if not p.key.startswith("element:") and p.key not in proven]
    excluded = [row.title for row in rows if row.unlawful]
    return {
        "n_elements_unevidenced": len(elements),
        "n_decisive_unevidenced": len(decisive),
        "n_evidence_excluded": len(excluded),
        "elements_unevidenced": "、".join(described(p) for p in elements),
        "decisive_unevidenced": "、".join(described(p) for p in decisive),
        "evidence_excluded": "、".join(f"「{t}」" for t in excluded),
    }


def proves_problem(rules: Any, item: str, name: str) -> str | None:
    """Why a name in ``evidence[i].proves`` is refused (no element, decisive fact or 情节 of the item), or None."""
    if find_provable(rules, item, name) is not None:
        return None
    names = [p.name for p in provables(rules, item)]
    guess = closest(name, names)
    hint = f"，是否指「{guess}」？" if guess else ""
    listed = "、".join(p.name for p in provables(rules, item) if not p.key.startswith("factor:"))
    return f"未知的要件或事实 {name!r}{hint}（{item} 可写：{listed}，或 违法情节 中的情节）"
