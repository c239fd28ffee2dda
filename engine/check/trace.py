"""The trace of one check: every rule evaluated for the draft, its outcome, the facts it read, its basis.

Outcomes come from the evaluation itself: a rule durable-rules fired is 不通过 (or 被取代 when a more
specific rule that also fired overrides it); a compiled rule that did not fire is 通过; a rule whose
condition could not hold under the applicable parameters is 通过 (不可能成立); a rule the compiler
skipped or could not check (``compiled.skipped`` / ``compiled.gaps``) is 无法检查, with the reason.
"""

from __future__ import annotations

from typing import Any

from quanze.engine.check.basis import basis_labels
from quanze.engine.lang.compile import CompiledRuleset
from quanze.engine.lang.conditions import facts_in, params_in
from quanze.engine.model.facts import fact_label, fact_source
from quanze.engine.model.labels import PARAM_GROUPS, field_label, param_word, value_text

PASS, FAIL, OVERRIDDEN, UNCHECKED = "pass", "fail", "overridden", "unchecked"
OUTCOME_WORDS = {PASS: "通过", FAIL: "不通过", OVERRIDDEN: "被取代", UNCHECKED: "无法检查"}


def facts_read(cond: Any, definitions: dict[str, Any] | None = None) -> list[str]:
    """Fact names a condition tests, each once, in order; through ``ref`` for an unresolved rule (conditions.walk)."""
    return facts_in(cond, definitions)


def _fact_rows(names: list[str], facts: dict[str, Any], rules: Any, item: str, kind: str) -> list[dict[str, Any]]:
    rows = []
    for name in names:
        source = fact_source(name, kind, rules, item)  # where a draft of this kind holds it
        rows.append(
            {
                "fact": name,
                "label": fact_label(name, rules, item),
                "value": facts.get(name),
                "value_text": value_text(facts.get(name), name),
                "field": source,
                "field_label": field_label(source) if source else "由规则推导",
            }
        )
    return rows


def _title(rules: Any, code: str) -> str:
    fdef = rules.findings.get(code)
    return getattr(fdef, "title", code) if fdef else code


def build_trace(
    compiled: CompiledRuleset,
    fired: list[str],
    facts: dict[str, Any],
    rules: Any,
    item: str,
    unknown: dict[str, str] | None = None,
    unknown_on: dict[str, list[str]] | None = None,
) -> dict[str, Any]:
    """Every rule of the compiled ruleset and those the compiler left out, with outcome and facts.

    ``fired`` is the rules whose findings durable-rules produced (after rules depending on ``unknown``
    facts were withheld), plus the rules those displace (``overrides``) where their condition holds;
    ``unknown`` maps the facts of sections the draft leaves out to the section. ``unknown_on``, when given,
    is filled with each 无法检查 rule's sections left out (field paths): what its check waits for.
    """
    from quanze.engine.lang.conditions import evaluate_known

    unknown = unknown or {}
    kind = compiled.kind  # the draft kind: where its drafts hold a fact's field (fact_source)
    fired_set = set(fired)
    provision = str(compiled.params.get("provision", ""))
    overridden_by = {o: n for n in fired for o in compiled.rules[n].rule.overrides if n in compiled.rules}
    by_id = {}
    for c in compiled.rules.values():
        by_id.setdefault(c.rule.id, c.rule)
    checks: list[dict[str, Any]] = []
    for name, c in compiled.rules.items():
        reason = ""
        if name in fired_set:
            outcome = OVERRIDDEN if c.rule.id in overridden_by else FAIL
        elif unknown and evaluate_known(c.condition, facts, set(unknown)) is None:
            outcome = UNCHECKED
            sections = sorted({unknown[f] for f in facts_read(c.condition) if f in unknown})
            if unknown_on is not None:
                unknown_on[name] = sections
            reason = f"草稿未填写{'、'.join(f'“{field_label(s)}”' for s in sections)}，无法判断"
        else:
            outcome = PASS
        if outcome == OVERRIDDEN:
            reason = f"同时成立的“{_title(rules, compiled.rules[overridden_by[c.rule.id]].rule.code)}”更具体，以其结论为准"
        row = _row(name, c.rule, outcome, reason, facts_read(c.condition), c.bindings, facts, rules, (item, kind), provision)
        if outcome == OVERRIDDEN:
            row["overridden_by"] = compiled.rules[overridden_by[c.rule.id]].rule.id
        row["basis"] = list(dict.fromkeys(part for b in c.rule.basis for part in basis_labels(b, c) if part))
        checks.append(row)
    all_rules = {r.id: r for f in rules.checks for r in f.rules}
    definitions = rules.definitions.get(kind, {})
    for gap in compiled.skipped:
        rule = all_rules.get(gap.rule.split("__")[0])
        if rule is None:
            continue
        outcome = PASS if gap.impossible else UNCHECKED
        names = facts_read(rule.when, definitions)
        checks.append(_row(gap.rule, rule, outcome, gap.reason, names, {}, facts, rules, (item, kind), provision))
    assumptions: list[str] = list(compiled.gaps)
    for gap in compiled.rule_gaps:
        rule = all_rules.get(gap.rule)
        if rule is not None:
            checks.append(_row(gap.rule, rule, UNCHECKED, gap.reason, [], {}, facts, rules, (item, kind), provision))
    assumptions += unverified_params(compiled, rules)
    counts = {k: sum(1 for c in checks if c["outcome"] == k) for k in OUTCOME_WORDS}
    return {"checks": checks, "counts": counts, "assumptions": assumptions}


def _row(
    name: str,
    rule: Any,
    outcome: str,
    reason: str,
    names: list[str],
    bindings: dict[str, Any],
    facts: dict[str, Any],
    rules: Any,
    where: tuple[str, str],
    provision: str = "",
) -> dict[str, Any]:
    """One trace row; ``where``: the draft's item and kind (whose fields and filing facts the rows name)."""
    subject = bindings.get("kind") or bindings.get("measure") or ""
    return {
        "rule": name,
        "code": rule.code,
        "title": _title(rules, rule.code),
        "subject": subject if isinstance(subject, str) else "",
        "outcome": outcome,
        "reason": reason,
        "facts": _fact_rows(names, facts, rules, *where),
        "basis": [provision if b == "{provision}" else b for b in rule.basis if (b == "{provision}" and provision) or "{" not in b],
    }


def params_used(cond: Any, definitions: dict[str, Any]) -> list[str]:
    """Param names a (template) condition refers to, through named definitions (``ref``)."""
    return params_in(cond, definitions)


def unverified_params(compiled: CompiledRuleset, rules: Any) -> list[str]:
    """Assumptions: parameters the compiled rules use whose values are defaults, not verified law."""
    definitions = rules.definitions.get(compiled.kind, {})
    used = {p for c in compiled.rules.values() for p in params_used(c.rule.when, definitions)}
    out = []
    for law, pf in sorted(rules.params.items()):
        for version in pf.versions:
            for group in version.unverified:
                names = sorted(p for p in used if p.startswith(f"{law}.{group}."))
                values = [compiled.params.get(p) for p in names]
                if not names or all(v is None for v in values):
                    continue
                title = rules.laws[law].short if law in rules.laws else law
                figures = "、".join(f"{param_word(p)} {v}" for p, v in zip(names, values, strict=True) if v is not None)
                text = f"《{title}》{PARAM_GROUPS.get(group, group)}按默认值适用（未核实）：{figures}"
                if text not in out:
                    out.append(text)
    return out


def reconcile(trace: dict[str, Any], findings: list[Any], rules: Any) -> dict[str, Any]:
    """Align the trace with the findings when a working-day count has two readings (unknown 调休).

    A rule that fired only under the other reading is 不通过 too; a finding that holds under one
    reading only was turned into a warning: the row says so.
    """
    by_rule = {f.rule: f for f in findings}
    for row in trace["checks"]:
        f = by_rule.get(row["rule"])
        if f is None:
            continue
        if row["outcome"] == PASS:
            row["outcome"] = FAIL
            row["reason"] = "按另一种工作日读法（调休安排未公布）成立"
        fdef = rules.findings.get(f.code)
        if fdef is not None and fdef.severity == "error" and f.severity == "warning":
            row["reason"] = "工作日数取决于未公布的调休安排，两种读法结论不同，按警告处理，不追责"
    trace["counts"] = {k: sum(1 for c in trace["checks"] if c["outcome"] == k) for k in OUTCOME_WORDS}
    return trace
