"""The RuleSet: everything in one rules folder, validated and cross-referenced (built by load/loader.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quanze.engine.model.schema import (
    AccountabilityRules,
    AuditRules,
    CalendarYear,
    CatalogItem,
    CheckFile,
    Discretion,
    DiscretionPolicy,
    DocumentRules,
    ElementRules,
    FactorList,
    FilingItem,
    FindingDef,
    InspectionItem,
    ItemEngine,
    Law,
    LighterPolicy,
    ParamFile,
    Provision,
    SubjectRules,
    Vocabulary,
)


@dataclass
class RuleSet:
    """Everything in one rules folder, validated and cross-referenced."""

    root: Path
    version: str  # hash of every rule file's path and bytes (content_version)
    catalog: dict[str, CatalogItem]
    laws: dict[str, Law]
    provisions: dict[str, Provision]
    items: dict[str, ItemEngine]
    vocabulary: Vocabulary
    findings: dict[str, FindingDef]
    checks: list[CheckFile]
    factors: FactorList
    policy: DiscretionPolicy
    discretion: dict[str, Discretion]
    lighter: LighterPolicy
    accountability: AccountabilityRules
    params: dict[str, ParamFile]
    calendar: list[CalendarYear]
    inspections: dict[str, InspectionItem]
    filings: dict[str, FilingItem]
    audit: AuditRules
    definitions: dict[str, dict[str, Any]]  # draft kind -> name -> condition (from check files)
    cache: dict[Any, Any] = field(default_factory=dict)  # compiled rulesets, keyed by the compiler
    from_cache: bool = False  # read from the validated-rules cache (same version: same bytes, same code)
    subjects: SubjectRules | None = None  # subjects.yaml: party roles and conducts per item (None: no such file)
    elements: ElementRules | None = None  # elements.yaml: 构成要件 per penalty item (None: no such file)
    documents: DocumentRules | None = None  # documents.yaml: what the 告知书 and 决定书 say from the law

    def sanction_kind(self, kind: str):
        """The vocabulary entry of a sanction kind, or None."""
        return self._kinds.get(kind)

    def __post_init__(self) -> None:
        self._kinds = {k.kind: k for k in self.vocabulary.sanctions}

    def law_label(self, provision_id: str) -> str:
        """Human label of a provision: 节约能源法 第七十六条."""
        prov = self.provisions[provision_id]
        return f"{self.laws[prov.law].short} {prov.article}"
