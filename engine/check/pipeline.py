"""Read a draft and check it: the pipeline every door and every batch shares (``engine/api.py`` re-exports it).

A draft is read from a file, a request body or a parsed document; its schema and the names it uses
(item, sanction kinds, 情节, measures, facts) are checked in one pass, so every problem comes in one
``InputError``; then ``check`` gives its ``Result``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from quanze.engine.check.checker import check, name_problems
from quanze.engine.model.drafts import read_draft, validate_draft
from quanze.engine.model.errors import display_path
from quanze.engine.model.findings import Result
from quanze.engine.model.ruleset import RuleSet

Draft = Any  # PenaltyDraft | FilingDraft | InspectionDraft | ComplaintDraft


def _names(rules: RuleSet, label: str):
    return lambda doc: name_problems(doc, rules, label)


def read_document(raw: Any, rules: RuleSet, label: str) -> Draft:
    """A validated draft from a parsed document; InputError with every schema and name problem at once."""
    return validate_draft(raw, label, _names(rules, label))


def read_file(path: Path | str, rules: RuleSet, label: str | None = None) -> Draft:
    """A validated draft from a file (YAML, or JSON by its suffix)."""
    return read_draft(path, _names(rules, label or display_path(path)))


def check_document(raw: Any, rules: RuleSet, label: str) -> Result:
    """The Result of a parsed draft document (a request body)."""
    return check(read_document(raw, rules, label), rules, label)


def check_file(path: Path | str, rules: RuleSet, label: str | None = None) -> Result:
    """The Result of one draft file."""
    label = label or display_path(path)
    return check(read_file(path, rules, label), rules, label)
