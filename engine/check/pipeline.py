"""Read a draft and check it: the pipeline every door and every batch shares (``engine/api.py`` re-exports it).

A draft is read from a file, a request body or a parsed document; its schema and the names it uses
(item, sanction kinds, 情节, measures, facts) are checked in one pass, so every problem comes in one
``InputError``; then ``check`` gives its ``Result``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from quanze.engine.check.checker import check
from quanze.engine.check.names import read_document, read_file
from quanze.engine.model.errors import display_path
from quanze.engine.model.findings import Result
from quanze.engine.model.ruleset import RuleSet

Draft = Any  # PenaltyDraft | FilingDraft | InspectionDraft | ComplaintDraft


def check_document(raw: Any, rules: RuleSet, label: str) -> Result:
    """The Result of a parsed draft document (a request body)."""
    return check(read_document(raw, rules, label), rules, label)


def check_file(path: Path | str, rules: RuleSet, label: str | None = None) -> Result:
    """The Result of one draft file."""
    label = label or display_path(path)
    return check(read_file(path, rules, label), rules, label)
