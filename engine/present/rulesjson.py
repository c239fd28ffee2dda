"""The JSON views of a RuleSet's provisions and items: one shape for ``quanze rules show --format json`` and the API."""

from __future__ import annotations

from typing import Any

from quanze.engine.model.ruleset import RuleSet


def version_json(v: Any) -> dict[str, Any]:
    """One version of a provision: dates of force, verbatim text and source; for a penalty its sanctions,
    the mandatory kinds and the fine range."""
    out: dict[str, Any] = {
        "in_force_from": v.in_force_from.isoformat() if v.in_force_from else None,
        "in_force_until": v.in_force_until.isoformat() if v.in_force_until else None,
        "text": v.text,
        "source": v.source,
        "verified": v.verified,
        "note": v.note,
    }
    if v.penalty:
        pen = v.penalty
        out["sanctions"] = [s.model_dump(exclude_none=True) for s in pen.sanctions]
        out["mandatory"] = [s.kind for s in pen.sanctions if s.required == "always"]
        out["mandatory_when_gains"] = [s.kind for s in pen.sanctions if s.required == "when_gains"]
        groups: dict[str, list[str]] = {}
        for s in pen.sanctions:
            if s.required == "one_of" and s.group:
                groups.setdefault(s.group, []).append(s.kind)
        out["mandatory_one_of"] = groups  # one kind of each group is mandatory
        fine = v.fine_range()
        out["fine_range"] = list(fine) if fine else None
        out["reserved"] = [{"kinds": r.kinds, "to": r.to, "precondition": r.precondition} for r in pen.reserved]
    return out


def provision_json(rules: RuleSet, pid: str) -> dict[str, Any]:
    """A provision with its law, label and every version."""
    prov = rules.provisions[pid]
    law = rules.laws[prov.law]
    return {
        "id": pid,
        "label": rules.law_label(pid),
        "law": {"id": law.id, "title": law.title, "rank": law.rank},
        "article": prov.article,
        "versions": [version_json(v) for v in prov.versions],
        "note": prov.note,
    }


def item_json(rules: RuleSet, iid: str) -> dict[str, Any]:
    """A catalog item as published, its engine settings, the provisions it cites, and for penalty items the
    applicable provision."""
    item = rules.catalog[iid]
    cited = sorted({a.provision for col in (item.bases, item.responsibility_bases) for c in col for a in c.articles if a.provision})
    out: dict[str, Any] = item.model_dump(mode="json")
    out["engine"] = rules.items[iid].model_dump(mode="json", exclude_none=True)
    if rules.items[iid].provision:
        out["penalty_provision"] = provision_json(rules, rules.items[iid].provision)
    out["cited_provisions"] = {pid: provision_json(rules, pid) for pid in cited}
    return out
