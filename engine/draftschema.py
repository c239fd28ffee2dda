"""JSON Schema of drafts (contract §3), generated from the pydantic models of ``drafts.py``.

Editors use it to validate a draft while it is typed (VS Code's YAML extension:
``# yaml-language-server: $schema=quanze-penalty.schema.json``); the HTTP API publishes the same.
With a RuleSet, the closed vocabularies (item ids, sanction kinds, 情节, inspection measures) are
added as enums, taken from ``rules/``.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, TypeAdapter

from quanze.engine.drafts import KINDS, MODELS, ComplaintDraft, FilingDraft, InspectionDraft, PenaltyDraft

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
    if "Approval" in defs and measures:
        defs["Approval"]["properties"]["measure"] = {**defs["Approval"]["properties"]["measure"], "enum": measures}
