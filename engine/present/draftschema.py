"""JSON Schema of drafts (contract §3), generated from the pydantic models of ``drafts.py``.

Editors use it to validate a draft while it is typed (VS Code's YAML extension:
``# yaml-language-server: $schema=quanze-penalty.schema.json``); the HTTP API publishes the same.
With a RuleSet, the closed vocabularies (item ids, sanction kinds, 情节, inspection measures) are
added as enums, taken from ``rules/``.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, TypeAdapter

from quanze.engine.model.drafts import KINDS, MODELS, ComplaintDraft, FilingDraft, InspectionDraft, PenaltyDraft

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
_TITLES = {"penalty": "行政处罚决定草稿", "filing": "备案决定草稿", "inspection": "行政检查记录", "complaint": "投诉举报处置记录"}


def draft_schema(kind: str | None = None, rules: Any = None, ref_template: str = "#/$defs/{model}") -> dict[str, Any]:
    """The JSON Schema of one draft kind, or of any draft (discriminated by ``kind``) when kind is None."""
    if kind is None:
        union = Annotated[PenaltyDraft | FilingDraft | InspectionDraft | ComplaintDraft, Field(discriminator="kind")]
        schema = TypeAdapter(union).json_schema(ref_template=ref_template)
        schema["title"] = "quanze 草稿"
    else:
        if kind not in KINDS:
            raise KeyError(kind)
        schema = MODELS[kind].model_json_schema(ref_template=ref_template)
        schema["title"] = f"quanze {_TITLES[kind]} (kind: {kind})"
    if rules is not None:
        _add_vocabularies(schema, rules)
    return {"$schema": SCHEMA_DIALECT, **schema} if ref_template.startswith("#/$defs/") else schema


def _add_vocabularies(schema: dict[str, Any], rules: Any) -> None:
    """Enums of the names the rules know, where the models say only "string"."""
    defs = schema.get("$defs", {})
    sanctions = [k.kind for k in rules.vocabulary.sanctions]
    measures = [m.name for m in rules.vocabulary.measures]
    factors = [f.name for f in rules.factors.factors]
    by_kind: dict[str, list[str]] = {}
    for item, engine in rules.items.items():
        by_kind.setdefault(engine.kind, []).append(item)
    models = {name: defs.get(name) for name in ("PenaltyDraft", "FilingDraft", "InspectionDraft", "ComplaintDraft")}
    if schema.get("properties", {}).get("kind"):  # a single kind: the root is the model
        models[schema["title"]] = schema
    for model in models.values():
        if not model:
            continue
        props = model.get("properties", {})
        kind = (props.get("kind") or {}).get("const")
        if kind and "item" in props:
            props["item"] = {**props["item"], "enum": sorted(by_kind.get(kind, []))}
        if "measures" in props and measures:
            props["measures"] = {**props["measures"], "items": {"type": "string", "enum": measures}}
    if "Sanction" in defs:
        defs["Sanction"]["properties"]["kind"] = {**defs["Sanction"]["properties"]["kind"], "enum": sanctions}
    if "Violation" in defs:
        defs["Violation"]["properties"]["factors"] = {
            **defs["Violation"]["properties"]["factors"],
            "items": {"type": "string", "enum": factors},
        }
    grounds = [g.name for g in getattr(rules.vocabulary, "no_penalty_grounds", [])]
    decision = defs.get("Decision", {}).get("properties", {})
    if grounds and "no_penalty_ground" in decision:
        decision["no_penalty_ground"] = {**decision["no_penalty_ground"], "anyOf": [{"type": "string", "enum": grounds}, {"type": "null"}]}
    _add_subjects(schema, defs, rules)
    if "Approval" in defs and measures:
        defs["Approval"]["properties"]["measure"] = {**defs["Approval"]["properties"]["measure"], "enum": measures}


# The role and conduct fields of issue 17 §1, by draft path: (model of $defs, field).
SUBJECT_FIELDS = {
    "party.role": ("Party", "role"),
    "violation.conduct": ("Violation", "conduct"),
    "target.role": ("Target", "role"),
    "applicant.role": ("Applicant", "role"),
}


def subject_choices(rules: Any, item: str) -> dict[str, list[str]]:
    """The item's choices for each role and conduct field (rules/subjects.yaml): Chinese names, no ids."""
    from quanze.engine.law.subjects import item_subjects, role_name

    spec = item_subjects(rules, item)
    if spec is None:
        return {}
    kind = rules.items[item].kind if item in rules.items else None
    role_field = {"penalty": "party.role", "inspection": "target.role", "filing": "applicant.role"}.get(kind or "")
    out: dict[str, list[str]] = {}
    if role_field and spec.roles:
        out[role_field] = list(dict.fromkeys(role_name(rules, r.role) for r in spec.roles))
    if kind == "penalty" and spec.conducts:
        out["violation.conduct"] = [c.text for c in spec.conducts]
    return out


def _add_subjects(schema: dict[str, Any], defs: dict[str, Any], rules: Any) -> None:
    """Every role name as ``examples`` of the role fields, and the choices per item (``x-quanze-by-item``).

    Not an enum: a role the item's provision does not cover is a finding, not an input error, and
    names are compared after NFKC and whitespace (engine/law/subjects.py).
    """
    from quanze.engine.law.subjects import subject_rules

    roles = [r.name for r in subject_rules(rules).roles]
    conducts = [c.text for spec in subject_rules(rules).items.values() for c in spec.conducts]
    for path, (model, field) in SUBJECT_FIELDS.items():
        props = defs.get(model, {}).get("properties", {})
        if field not in props:
            continue
        by_item = {iid: ch[path] for iid in sorted(rules.items) if path in (ch := subject_choices(rules, iid))}
        extra = {"examples": conducts if field == "conduct" else roles, "x-quanze-by-item": by_item}
        # on the string branch too: a reader that opens the Optional (the form) keeps them
        branches = [{**b, **extra} if b.get("type") == "string" else b for b in props[field].get("anyOf", [])]
        props[field] = {**props[field], **extra, **({"anyOf": branches} if branches else {})}
