"""What the web form and API clients need from a RuleSet, as JSON: items, fields, 情节, titles, article texts.

Everything here is read from ``rules/`` (never written into the form by hand), so a rule change shows
in the form as soon as the server restarts on the new rules.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, get_args

from quanze.engine.law.elements import item_elements
from quanze.engine.law.lawtext import resolve
from quanze.engine.model.drafts import CaseFlag, Tier
from quanze.engine.model.ruleset import RuleSet
from quanze.engine.present.rulesjson import provision_json, version_json

GROUPS = {"行政处罚": "行政处罚", "行政检查": "行政检查", "其他行政权力": "其他"}


def item_summary(rules: RuleSet, item: str) -> dict[str, Any]:
    """Id, names (the 子项名称 as published and as an officer reads it), group (行政处罚 / 行政检查 / 其他) and draft kind."""
    cat = rules.catalog[item]
    kind = rules.items[item].kind
    return {"id": item, "name": cat.name, "sub_name": cat.sub_name, "sub_title": cat.sub_title, "group": GROUPS[cat.table], "kind": kind}


def items(rules: RuleSet) -> list[dict[str, Any]]:
    """Every item of the 权责清单, grouped in the published order of the three tables."""
    order = list(GROUPS)
    ids = sorted(rules.catalog, key=lambda i: (order.index(rules.catalog[i].table), rules.catalog[i].seq))
    return [item_summary(rules, i) for i in ids]


def item_detail(rules: RuleSet, item: str) -> dict[str, Any]:
    """An item with what its form needs: the provision and its 情节 (penalty), matters and measures
    (inspection), item facts (filing), and its 追责情形 as published."""
    cat = rules.catalog[item]
    engine = rules.items[item]
    out = item_summary(rules, item)
    out["triggers"] = [{"no": t.no, "text": t.text} for t in cat.triggers]
    out["accountable"] = [{"no": a.no, "text": a.text, "role": a.role} for a in cat.accountable]
    if engine.kind == "penalty" and engine.provision:
        out["provision"] = provision_json(rules, engine.provision)
        out["factors"] = [
            {"name": f.name, "effect": f.effect, "mandatory": f.mandatory, "source": f.source, "note": f.note}
            for f in rules.factors.factors
        ]
        # what an evidence row may prove (issue 27 §1–2): the provision's elements, then the relied-on facts
        out["elements"] = [
            {
                "name": e.name,
                "kind": "element",
                "words": e.words,
                "source": rules.law_label(e.provision),
                "referral": e.applies == "referral",
            }
            for e in item_elements(rules, item)
        ] + [
            {"name": d.name, "kind": "decisive", "words": d.words, "source": rules.law_label(d.provision), "referral": False}
            for d in (rules.elements.decisive if rules.elements else [])
        ]
    if engine.kind == "inspection" and item in rules.inspections:
        spec = rules.inspections[item]
        out["matters"] = [{"text": m.text, "source": m.source} for m in spec.matters]
        out["measures"] = [{"measure": m.measure, "source": m.source, "approval_by": m.approval_by} for m in spec.measures]
    if engine.kind == "filing" and item in rules.filings:
        spec = rules.filings[item]
        out["basis"] = provision_json(rules, spec.basis)
        out["facts"] = {
            k: {"type": f.type, "default": f.default, "label": f.label, "hint": f.hint, "meaning": f.meaning, "choices": f.choices}
            for k, f in spec.facts.items()
        }
    return out


def vocabulary(rules: RuleSet) -> dict[str, Any]:
    """The closed word lists of the draft format."""
    return {
        "sanctions": [{"kind": k.kind, "penalty": k.penalty, "basis": k.basis} for k in rules.vocabulary.sanctions],
        "measures": [{"name": m.name, "record_only": m.record_only} for m in rules.vocabulary.measures],
        "tiers": list(get_args(Tier)),
        "case_flags": list(get_args(CaseFlag)),
        "factors": [{"name": f.name, "effect": f.effect, "mandatory": f.mandatory, "source": f.source} for f in rules.factors.factors],
    }


def findings(rules: RuleSet) -> dict[str, dict[str, str]]:
    """Finding code -> Chinese title and severity (rules/findings.yaml)."""
    return {code: {"title": f.title, "severity": f.severity, "kind": f.kind} for code, f in rules.findings.items()}


def basis(rules: RuleSet, label: str, on: dt.date | None = None) -> dict[str, Any] | None:
    """The article text behind a finding's basis label (节约能源法 第七十六条), in the version in force on
    ``on`` (default: the current one), by the same resolver as every other output (``engine/law/lawtext.py``):
    a 款 or 项 the rules do not hold separately gives its whole article, an article the rules hold only in
    part gives that part (``cites``: exact, whole_article, part)."""
    found = resolve(rules, label, on)
    if found is None:
        return None
    prov = rules.provisions[found.provision]
    version = found.version
    return {
        "label": label,
        "provision": found.provision,
        "whole_article": found.cites == "whole_article",
        "cites": found.cites,
        "law": rules.laws[prov.law].title,
        "article": prov.article,
        **version_json(version),
    }
