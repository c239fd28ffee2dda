"""Small builders for tests: sample drafts from cases/, modified copies."""

from __future__ import annotations

import copy
import functools
from pathlib import Path
from typing import Any

from quanze.engine.model.drafts import validate_draft
from quanze.engine.model.yamlio import load_yaml

CASES = Path(__file__).resolve().parent.parent / "cases"


def plain(obj: Any) -> Any:
    """Loaded YAML as plain dicts and lists."""
    if isinstance(obj, dict):
        return {k: plain(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [plain(v) for v in obj]
    return obj


def sample(relative: str) -> dict:
    """A case draft as a plain dict (a fresh copy each time)."""
    return copy.deepcopy(plain(load_yaml((CASES / relative).read_text(encoding="utf-8"))))


def with_fine(raw: dict, amount: Any) -> dict:
    """The draft with its 罚款 (decision and notice) set to amount; 0 leaves the 罚款 out (a 罚款 of 0 元 is an input error)."""
    raw = copy.deepcopy(raw)
    notice = raw["procedure"]["notice"] or {}
    for sanctions in (raw["decision"]["sanctions"], notice.get("proposed", [])):
        if amount == 0:
            sanctions[:] = [s for s in sanctions if s["kind"] != "罚款"]
        for s in sanctions:
            if s["kind"] == "罚款":
                s["amount"] = amount
    return raw


def draft(raw: dict):
    """Validate a raw draft."""
    return validate_draft(raw, "test.yaml")


@functools.cache
def shipped_rules():
    """The shipped RuleSet, loaded once (hypothesis tests use this instead of a fixture: its repr is huge)."""
    from quanze.engine.load.loader import load_rules

    return load_rules()
