"""Check one draft against a RuleSet: derive facts, let durable-rules fire, build findings.

``check(draft, rules, label)`` returns a ``Result``; it raises ``InputError`` when the draft names
something the rules do not know (an item id, a sanction kind, a factor).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from quanze.engine import evaluate as engine
from quanze.engine.accountability import accountability
from quanze.engine.compile import CompiledRuleset, compile_ruleset
from quanze.engine.conditions import evaluate as truth
from quanze.engine.drafts import PenaltyDraft
from quanze.engine.errors import InputError, Problem, did_you_mean
from quanze.engine.facts import fine_sanction, first_step, penalty_facts, procedure_facts, split_points
from quanze.engine.findings import SEVERITY_ORDER, Finding, Result
from quanze.engine.loader import RuleSet
from quanze.engine.versions import VersionChoice, choose_version
from quanze.engine.workdays import calendar_from

Evaluator = Any  # a callable (CompiledRuleset, facts) -> list of fired rule names


def _validate_names(draft: Any, rules: RuleSet, label: str) -> None:
    """Names the draft uses must be in the rules' closed vocabularies."""
    problems: list[Problem] = []
    if draft.item not in rules.items:
        problems.append(Problem(label, "item", f"未知的事项编号 {draft.item!r}" + did_you_mean(draft.item, rules.items)))
        raise InputError(problems)
    expected = rules.items[draft.item].kind
    if expected != draft.kind:
        problems.append(Problem(label, "kind", f"事项 {draft.item} 应使用 kind: {expected}, 实际为 {draft.kind}"))
    if isinstance(draft, PenaltyDraft):
        kinds = [k.kind for k in rules.vocabulary.sanctions]
        for where, sanctions in (
            ("decision.sanctions", draft.decision.sanctions),
            ("procedure.notice.proposed", draft.procedure.notice.proposed if draft.procedure.notice else []),
        ):
            for i, s in enumerate(sanctions):
                if s.kind not in kinds:
                    problems.append(Problem(label, f"{where}[{i}].kind", f"未知的处罚种类 {s.kind!r}" + did_you_mean(s.kind, kinds)))
                elif s.kind == "罚款" and s.amount is None:
                    problems.append(Problem(label, f"{where}[{i}].amount", "罚款必须写明数额"))
        for i, r in enumerate(draft.decision.referrals):
            if r.proposal not in kinds:
                problems.append(
                    Problem(label, f"decision.referrals[{i}].proposal", f"未知的处罚种类 {r.proposal!r}" + did_you_mean(r.proposal, kinds))
                )
        names = [f.name for f in rules.factors.factors]
        for i, name in enumerate(draft.violation.factors):
            if name not in names:
                problems.append(Problem(label, f"violation.factors[{i}]", f"未知的情节 {name!r}" + did_you_mean(name, names)))
        v = draft.violation
        if v.ended_on and v.ended_on < v.committed_on:
            problems.append(Problem(label, "violation.ended_on", f"终了日期 {v.ended_on} 早于发生日期 {v.committed_on}"))
    if problems:
        raise InputError(problems)


def _params_index(rules: RuleSet, law: str, day: dt.date) -> int | None:
    pf = rules.params.get(law)
    if pf is None:
        return None
    for i, v in enumerate(pf.versions):
        if v.in_force_from <= day and (v.in_force_until is None or day <= v.in_force_until):
            return i
    return None


_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_.]*)\}")


def _format(template: str, context: dict[str, Any]) -> str:
    """Fill {name} (dotted names allowed: {fine.max}) from the context; unknown names stay."""
    return _PLACEHOLDER.sub(lambda m: str(context.get(m.group(1), m.group(0))), template)


def findings_from(
    fired: list[str], compiled: CompiledRuleset, facts: dict[str, Any], rules: RuleSet, item: str, people: Any, collective: bool
) -> list[Finding]:
    """Turn fired rule names into findings (overridden rules dropped), most severe first."""
    fired_ids = {compiled.rules[n].rule.id for n in fired}
    overridden = {o for n in fired for o in compiled.rules[n].rule.overrides}
    out = []
    for name in fired:
        c = compiled.rules[name]
        if c.rule.id in overridden and c.rule.id in fired_ids:
            continue
        fdef = rules.findings[c.rule.code]
        context = {**facts, **c.params, **{k: v for k, v in c.bindings.items() if isinstance(v, str)}}
        basis = [c.params.get("provision", "") if b == "{provision}" else b for b in c.rule.basis]
        out.append(
            Finding(
                code=c.rule.code,
                severity=fdef.severity,
                message=_format(c.rule.message, context),
                basis=[b for b in basis if b],
                rule=name,
                accountability=accountability(rules, item, fdef, people, collective),
            )
        )
    out.sort(key=lambda f: SEVERITY_ORDER.index(f.severity))
    return out


def check_penalty(draft: PenaltyDraft, rules: RuleSet, label: str, evaluator: Evaluator) -> Result:
    """Substantive checks of a draft 行政处罚决定."""
    item = draft.item
    provision_id = rules.items[item].provision
    assert provision_id is not None
    prov = rules.provisions[provision_id]
    act_end = draft.violation.ended_on or draft.violation.committed_on
    choice: VersionChoice = choose_version(prov.versions, act_end, draft.decision.decided_on, rules.lighter, rules.vocabulary)
    params_index = _params_index(rules, "xzcf", draft.decision.decided_on)
    step_index = _params_index(rules, "xzcf", first_step(draft))
    compiled = compile_ruleset(rules, "penalty", item, provision_id, choice.index, params_index, step_index)
    cal = calendar_from(rules.calendar)
    facts = penalty_facts(draft, rules, choice, provision_id)
    proc, derived = procedure_facts(draft, rules, cal)
    facts.update(proc)
    fired = evaluator(compiled, facts)
    collective = draft.procedure.collective_discussion is not None
    findings = findings_from(fired, compiled, facts, rules, item, draft.people, collective)

    fine = fine_sanction(choice.version)
    disc = rules.discretion.get(provision_id)
    fine_range = [fine.min, fine.max] if fine and fine.min is not None and fine.max is not None else None
    bands = None
    if fine_range and disc:
        bands = {tier: list(b) for tier, b in split_points(fine_range[0], fine_range[1], disc).items()}
    recommended = next(row.tier for row in rules.policy.recommend if row.when is None or truth(row.when, facts))
    version = choice.version
    extra = {
        "provision": {
            "id": provision_id,
            "law": rules.laws[prov.law].short,
            "article": prov.article,
            "in_force_from": version.in_force_from.isoformat() if version and version.in_force_from else None,
            "in_force_until": version.in_force_until.isoformat() if version and version.in_force_until else None,
            "chosen_because": choice.reason,
        },
        "fine_range": fine_range,
        "bands": bands,
        "recommended_tier": recommended if fine_range else None,
    }
    derived["条文版本"] = [f"{rules.law_label(provision_id)}: {choice.reason}"]
    definitions = rules.definitions.get("penalty", {})
    if "hearing_eligible" in definitions:
        from quanze.engine.compile import law_params
        from quanze.engine.conditions import resolve

        eligible_params = {**compiled.params, **law_params(rules, "xzcf", step_index)}
        try:
            eligible = truth(resolve(definitions["hearing_eligible"], eligible_params, {}, definitions), facts)
            lines = [
                f"{'有' if eligible else '无'}听证权 (第六十三条): 罚款 {facts['fine_amount']} 元, 当事人类型 {facts['party_type']}, "
                f"较大数额 = 公民 {eligible_params.get('xzcf.hearing_threshold.individual')} 元 / 单位 "
                f"{eligible_params.get('xzcf.hearing_threshold.organization')} 元 (默认值, 待核实)"
            ]
        except KeyError:
            lines = ["首个程序步骤之日没有已编码的行政处罚法版本, 未判断"]
        derived["听证资格"] = lines
    explanation = {
        "derived": derived,
        "facts": facts,
        "ruleset": compiled.name,
        "rules_compiled": len(compiled.rules),
        "fired": [{"rule": f.rule, "code": f.code, "basis": f.basis} for f in findings],
        "skipped": compiled.skipped,
    }
    return Result(
        label,
        draft.case_id,
        draft.kind,
        item,
        findings,
        rules.version,
        calendar_warnings=cal.warnings,
        rule_warnings=list(compiled.gaps),
        extra=extra,
        explanation=explanation,
    )


def check(draft: Any, rules: RuleSet, label: str, evaluator: Evaluator | None = None) -> Result:
    """Check one validated draft; InputError if it names what the rules do not know."""
    _validate_names(draft, rules, label)
    evaluator = evaluator or engine.fired_rules
    if isinstance(draft, PenaltyDraft):
        return check_penalty(draft, rules, label, evaluator)
    return Result(label, draft.case_id, draft.kind, draft.item, [], rules.version, rule_warnings=[f"{draft.kind} 类记录的检查尚未实现"])
