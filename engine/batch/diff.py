"""Rule-change impact: run the same drafts (sample cases and plain drafts alike) under two rule sets and report what changed."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quanze.engine.batch.cases import expectation_path
from quanze.engine.check.pipeline import read_file
from quanze.engine.model.errors import InputError
from quanze.engine.model.findings import Result
from quanze.engine.model.ruleset import RuleSet


@dataclass
class Outcome:
    """One draft under one rule set: its verdict and codes, or its input error."""

    verdict: str  # pass | warn | incomplete | fail | input_error
    codes: list[str]
    provision: str = ""  # the version chosen and why (penalty items)
    version: tuple[str, str] | None = None  # (provision id, in_force_from) of the version applied
    fine: float | None = None  # the draft's 罚款
    band: str | None = None  # the tier band of the fine range the fine falls in

    @classmethod
    def of(cls, draft: Path, rules: RuleSet) -> Outcome:
        from quanze.engine.check.checker import check

        try:
            parsed = read_file(draft, rules, str(draft))
            result: Result = check(parsed, rules, str(draft))
        except InputError as exc:
            return cls("input_error", sorted({str(p) for p in exc.problems}))
        prov = result.provision.dump() if result.provision else {}
        why = f"{prov.get('law', '')} {prov.get('article', '')}: {prov.get('chosen_because', '')}" if prov else ""
        version = (str(prov.get("id")), str(prov.get("in_force_from"))) if prov.get("id") else None
        fine = _fine_of(parsed)
        band = None
        for name, (low, high) in (result.bands or {}).items():
            if fine is not None and low <= fine <= high:
                band = name
                break
        return cls(result.verdict, sorted({f.code for f in result.findings}), why, version, fine, band)


def _fine_of(draft: Any) -> float | None:
    """The 罚款 amount of a penalty draft (None for other kinds or no fine)."""
    decision = getattr(draft, "decision", None)
    for sanction in getattr(decision, "sanctions", None) or []:
        if getattr(sanction, "kind", None) == "罚款" and getattr(sanction, "amount", None) is not None:
            return float(sanction.amount)
    return None


@dataclass
class CaseDiff:
    """A case whose outcome differs between the base and the changed rules."""

    case: str
    base: Outcome
    changed: Outcome
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def verdict_changed(self) -> bool:
        """True when the verdict itself changed."""
        return self.base.verdict != self.changed.verdict

    def to_json(self) -> dict[str, Any]:
        """A JSON object for --format json."""
        return {
            "case": self.case,
            "verdict": {"base": self.base.verdict, "changed": self.changed.verdict},
            "findings_added": self.added,
            "findings_removed": self.removed,
            "provision": {"base": self.base.provision, "changed": self.changed.provision},
        }


@dataclass
class DiffReport:
    """Every changed draft and the totals."""

    cases: int  # drafts compared
    diffs: list[CaseDiff]
    samples: int = 0  # of which sample cases (a draft with an .expect.yaml beside it)
    changes: list[dict[str, Any]] = field(default_factory=list)  # the rule changes (rule_changes)
    uncovered: list[str] = field(default_factory=list)  # changed versions, periods and bands no draft exercises
    skipped: list[str] = field(default_factory=list)  # one line per path the folder walk did not enter (review.walk)

    def to_json(self) -> dict[str, Any]:
        """A JSON object for --format json."""
        return {
            "rule_changes": self.changes,
            "not_exercised": self.uncovered,
            "summary": self.summary(),
            "transitions": self.transitions(),
            "cases": [d.to_json() for d in self.diffs],
        } | ({"skipped": self.skipped} if self.skipped else {})

    def summary(self) -> dict[str, int]:
        """Counts for the summary table."""
        verdicts = sum(d.verdict_changed for d in self.diffs)
        return {
            "cases": self.cases,
            "sample_cases": self.samples,
            "plain_drafts": self.cases - self.samples,
            "verdict_changed": verdicts,
            "findings_changed_only": len(self.diffs) - verdicts,
            "unchanged": self.cases - len(self.diffs),
        }

    def moves(self) -> dict[tuple[str, str], int]:
        """How many cases moved from one verdict to another, e.g. {("pass", "fail"): 3}."""
        out: dict[tuple[str, str], int] = {}
        for d in self.diffs:
            if d.verdict_changed:
                key = (d.base.verdict, d.changed.verdict)
                out[key] = out.get(key, 0) + 1
        return out

    def transitions(self) -> dict[str, int]:
        """``moves`` as the JSON names them, e.g. {"pass → fail": 3}."""
        return {f"{before} → {after}": n for (before, after), n in self.moves().items()}


def diff_rules(base: RuleSet, changed: RuleSet, drafts: list[Path]) -> DiffReport:
    """Run every draft under both rule sets and keep the drafts whose outcome differs; state the rule changes
    read from the two folders and which changed versions, periods and bands no draft exercises."""
    diffs = []
    outcomes: list[Outcome] = []
    for draft in drafts:
        a, b = Outcome.of(draft, base), Outcome.of(draft, changed)
        outcomes.append(b)
        if a.verdict != b.verdict or a.codes != b.codes:
            diffs.append(CaseDiff(str(draft), a, b, sorted(set(b.codes) - set(a.codes)), sorted(set(a.codes) - set(b.codes))))
    samples = sum(expectation_path(d).is_file() for d in drafts)
    changes = rule_changes(Path(base.root), Path(changed.root))
    return DiffReport(len(drafts), diffs, samples, changes, not_exercised(changes, outcomes, changed))


# --- what changed in the rules, read from the two folders -------------------------------------------


def _load(path: Path) -> Any:
    from quanze.engine.model.yamlio import load_yaml

    try:
        return load_yaml(path.read_text(encoding="utf-8"))
    except Exception:  # a folder that passed validation reads; anything else is shown as "unreadable"
        return None


def _flat(value: Any, prefix: str = "") -> dict[str, Any]:
    """A YAML value as field path -> leaf; list items keyed by their kind or id when they have one."""
    out: dict[str, Any] = {}
    if isinstance(value, dict):
        for key, sub in value.items():
            out.update(_flat(sub, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        for i, sub in enumerate(value):
            key = sub.get("kind") or sub.get("id") or sub.get("in_force_from") or i
            out.update(_flat(sub, f"{prefix}[{key}]"))
    else:
        out[prefix] = value
    return out


def _versions(doc: Any) -> dict[str, dict[str, Any]]:
    return {str(v.get("in_force_from")): v for v in doc.get("versions", []) if isinstance(v, dict)} if isinstance(doc, dict) else {}


def rule_changes(base_root: Path, changed_root: Path) -> list[dict[str, Any]]:
    """Every changed value between two rules folders: file, provision (id and article), version, field, old, new.

    Dated files (provisions, params) are compared version by version (matched by ``in_force_from``); a
    version added is compared with the version before it, so its numbers read as old → new.
    """
    rels = sorted(
        {p.relative_to(base_root) for p in base_root.rglob("*.yaml")} | {p.relative_to(changed_root) for p in changed_root.rglob("*.yaml")}
    )
    out: list[dict[str, Any]] = []
    for rel in rels:
        a_path, b_path = base_root / rel, changed_root / rel
        if a_path.is_file() and b_path.is_file() and a_path.read_bytes() == b_path.read_bytes():
            continue
        a, b = _load(a_path) if a_path.is_file() else None, _load(b_path) if b_path.is_file() else None
        doc = b if isinstance(b, dict) else a if isinstance(a, dict) else {}
        ident = doc.get("id") or doc.get("law") or ""
        where = {"file": str(rel).replace("\\", "/"), "provision": ident, "article": doc.get("article") or ""}
        va, vb = _versions(a), _versions(b)
        if va or vb:
            older = sorted(va)
            for start in sorted(set(va) | set(vb)):
                if start in vb and start not in va:
                    before = [s for s in older if s < start]
                    prior = va[before[-1]] if before else {}
                    entry = {**where, "version": start, "in_force_until": vb[start].get("in_force_until"), "added": True}
                    out += _field_changes(entry, prior, vb[start], skip=("in_force_from", "in_force_until"))
                elif start in va and start not in vb:
                    out.append({**where, "version": start, "removed": True, "field": "", "old": None, "new": None})
                else:
                    entry = {**where, "version": start, "in_force_until": vb[start].get("in_force_until"), "added": False}
                    out += _field_changes(entry, va[start], vb[start])
        else:
            out += _field_changes({**where, "version": "", "added": False}, a or {}, b or {})
    return out


def _field_changes(where: dict[str, Any], old: Any, new: Any, skip: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    fa, fb = _flat(old), _flat(new)
    rows = []
    for key in list(dict.fromkeys([*fa, *fb])):
        if key in skip or key.endswith(("note", "source", "verified")) or fa.get(key) == fb.get(key):
            continue
        rows.append({**where, "field": key, "old": fa.get(key), "new": fb.get(key)})
    return rows


def not_exercised(changes: list[dict[str, Any]], outcomes: list[Outcome], rules: RuleSet) -> list[str]:
    """Sentences naming each changed provision version, and each of its fine bands, that no draft applies or reaches."""
    notes = []
    applied = {o.version for o in outcomes if o.version}
    seen: set[tuple[str, str]] = set()
    for c in changes:
        key = (str(c.get("provision")), str(c.get("version")))
        if not c.get("version") or key in seen or not c.get("article"):
            continue
        seen.add(key)
        until = c.get("in_force_until")
        period = f"{c['version']} 至 {until}" if until else f"{c['version']} 起"
        name = f"{c['provision']}（{c['article']}）{period}的版本"
        if key not in applied:
            notes.append(f"{name}：没有草稿适用此版本（文件夹中没有行为时或决定时在此期间、且按从旧兼从轻适用它的草稿）")
            continue
        users = [o for o in outcomes if o.version == key]
        bands = list(dict.fromkeys(b for o in users for b in ([o.band] if o.band else [])))
        fines = [o for o in users if o.fine is not None]
        for field_change in (x for x in changes if (str(x.get("provision")), str(x.get("version"))) == key):
            if field_change["field"].endswith(("[罚款].min", "[罚款].max")) and isinstance(field_change.get("new"), int | float):
                low, high = sorted([field_change.get("old") or 0, field_change["new"]])
                if not any(low <= o.fine <= high for o in fines):  # type: ignore[operator]
                    notes.append(f"{name}：没有草稿的罚款在 {low:g}–{high:g} 元之间（{field_change['field']} 的新旧数值之间）")
        missing = [b for b in ("从轻", "一般", "从重") if b not in bands]
        fine_changed = any("[罚款]" in x["field"] for x in changes if (str(x.get("provision")), str(x.get("version"))) == key)
        if fines and missing and fine_changed:
            notes.append(f"{name}：没有草稿的罚款落在{'、'.join(missing)}档")
    return notes
