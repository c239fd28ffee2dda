"""Check one draft against a RuleSet: derive facts, let durable-rules fire, build findings.

``check(draft, rules, label)`` returns a ``Result``; it raises ``InputError`` when the draft names
something the rules do not know (an item id, a sanction kind, a factor).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from quanze.engine.check.accountability import Deciders, accountability
from quanze.engine.check.basis import PLACEHOLDER, basis_labels
from quanze.engine.check.deadlines import progress
from quanze.engine.check.evidence import evidence_facts
from quanze.engine.check.facts import (
    NO_PENALTY,
    complaint_facts,
    conduct_facts,
    decided_facts,
    extension_caps,
    factors_by_name,
    filing_facts,
    ground_facts,
    individual_facts,
    inspection_facts,
    penalty_facts,
    procedure_facts,
    role_facts,
    split_points,
    step_days,
    unknown_facts,
    worded,
)
from quanze.engine.check.measures import confiscation_day, measure_facts, record_as_of
from quanze.engine.check.names import validate_names
from quanze.engine.check.people import people_facts
from quanze.engine.check.stage import as_of, is_open, known_facts, open_version_reason, open_view
from quanze.engine.check.trace import OUTCOME_WORDS, build_trace, reconcile
from quanze.engine.lang import evaluate as engine
from quanze.engine.lang.compile import CompiledRuleset, compile_grounds, compile_ruleset, param_versions, params_on
from quanze.engine.lang.conditions import MissingParam, Reader, facts_in, known_reader, resolve
from quanze.engine.lang.conditions import evaluate as truth
from quanze.engine.law.versions import VersionChoice, choose_version, combine_readings, compare, describe, since, version_in_force
from quanze.engine.law.workdays import Workdays, calendar_from
from quanze.engine.model.drafts import FilingDraft, InspectionDraft, PenaltyDraft, hidden_warnings, unfilled_sections
from quanze.engine.model.facts import EVIDENCE_FACTS, FIELD_FACTS, SUBJECT_FACTS, UNFILLED_FIELDS
from quanze.engine.model.findings import SEVERITY_ORDER, Finding, Result, made
from quanze.engine.model.labels import field_label, value_text
from quanze.engine.model.records import NotChecked, Provision, VersionComparison, VersionSide
from quanze.engine.model.ruleset import RuleSet
from quanze.engine.model.wording import officer_template, placeholders

Evaluator = Any  # a callable (CompiledRuleset, facts) -> list of fired rule names


# per kind, each field of UNFILLED_FIELDS as (the sections holding it, its name, its facts, its path)
_UNFILLED = {
    kind: tuple((tuple(path.split(".")[:-1]), path.split(".")[-1], FIELD_FACTS[path], path) for path in paths)
    for kind, paths in UNFILLED_FIELDS.items()
}


def _fields_left_out(draft: Any) -> dict[str, str]:
    """The facts of the fields a draft leaves out (UNFILLED_FIELDS: 未填写, README, where null, false or [] say “not
    done”) -> that field: their checks are not made."""
    out: dict[str, str] = {}
    for parents, last, facts, path in _UNFILLED.get(draft.kind, ()):
        holder = draft
        for part in parents:
            holder = getattr(holder, part)
        if last not in holder.model_fields_set:
            out.update(dict.fromkeys(facts, path))
    return out


def _subject_unknown(written: dict[str, str | None]) -> dict[str, str]:
    """The subject facts of the fields (party.role, violation.conduct, target.role) a draft leaves out."""
    return {fact: field for field, value in written.items() if value is None for fact in SUBJECT_FACTS[field]}


# a message template split once: the text before its first placeholder, then for each placeholder the facts that may
# fill it (in order), what stays when none is there, and the text after it
Wording = tuple[str, tuple[tuple[tuple[str, ...], str, str], ...]]


def _wording(template: str, c: Any, officer: bool) -> Wording:
    """A rule's message template, for ``officer`` in the officer's words (engine/model/wording.py), split into text and
    the placeholders a draft's facts fill. A text binding, else a param, fills its placeholder here (worded as templates
    are, for the officer); a fact fills the others, for the officer engine prose with an officer's wording of its own
    first (``<name>_officer``: ``version_readings``); a name none of them gives stays as written."""
    names = placeholders(template)
    parts = PLACEHOLDER.split(officer_template(template) if officer else template)  # text, name, text, … text
    head, rest = parts[0], []
    for name, after in zip(parts[1::2], parts[2::2], strict=True):
        bound = c.bindings.get(name)
        if name in names and (isinstance(bound, str) or name in c.params):
            value = bound if isinstance(bound, str) else c.params[name]
            text = str(officer_template(value) if officer and isinstance(value, str) else value) + after
            if rest:
                rest[-1] = (rest[-1][0], rest[-1][1], rest[-1][2] + text)
            else:
                head += text
        else:
            keys = ((f"{name}_officer", name) if officer else (name,)) if name in names else ()
            rest.append((keys, "{" + name + "}", after))
    return head, tuple(rest)


def _filled(wording: Wording, facts: dict[str, Any]) -> str:
    """A message split by ``_wording`` with a draft's facts put in."""
    out, rest = wording
    for keys, blank, after in rest:
        for key in keys:
            if key in facts:
                out += str(facts[key])
                break
        else:
            out += blank
        out += after
    return out


def _wordings(compiled: CompiledRuleset, name: str, rules: RuleSet) -> tuple[Wording, Wording]:
    """A compiled rule's message in the terminal's and the officer's words (``_wording``): split once per rule of a
    ruleset, kept beside it in ``rules.cache``."""
    return _per_rule("wordings", compiled, name, rules, lambda c: (_wording(c.rule.message, c, False), _wording(c.rule.message, c, True)))


def _per_rule(kind: str, compiled: CompiledRuleset, name: str, rules: RuleSet, make: Any) -> Any:
    """``make(compiled rule)`` of one rule of a ruleset, made on first use and kept in ``rules.cache`` under ``kind``."""
    key = (kind, compiled.name)
    made_here = rules.cache.get(key)
    if made_here is None:
        made_here = rules.cache[key] = {}
    found = made_here.get(name)
    if found is None:
        found = made_here[name] = make(compiled.rules[name])
    return found


def _basis(compiled: CompiledRuleset, name: str, rules: RuleSet) -> list[str]:
    """A compiled rule's basis labels, filled from its params and bindings (no fact): made once per rule of a ruleset,
    kept beside it in ``rules.cache`` (each finding validates its own copy)."""

    def labels(c: Any) -> list[str]:
        return [b for b in dict.fromkeys(part for b in c.rule.basis for part in basis_labels(b, c)) if b]

    return _per_rule("basis", compiled, name, rules, labels)


def findings_from(
    fired: list[str], compiled: CompiledRuleset, facts: dict[str, Any], rules: RuleSet, item: str, deciders: Deciders
) -> list[Finding]:
    """Turn fired rule names into findings (overridden rules dropped), most severe first; a message's placeholders are
    filled in the terminal's words and, the template worded once (engine/model/wording.py), in the officer's."""
    out = []
    for name in _standing(fired, compiled):
        c = compiled.rules[name]
        fdef = rules.findings[c.rule.code]
        terminal, officer = _wordings(compiled, name, rules)
        out.append(
            Finding(
                code=c.rule.code,
                severity=fdef.severity,
                message=_filled(terminal, facts),
                basis=_basis(compiled, name, rules),
                rule=name,
                accountability=accountability(rules, item, fdef, deciders, c.rule.defect, c.rule.stage),
                text=_filled(officer, facts),
            )
        )
    out.sort(key=lambda f: SEVERITY_ORDER.index(f.severity))
    return out


def _standing(fired: list[str], compiled: CompiledRuleset) -> list[str]:
    """The fired rules no fired rule overrides (``overrides`` in rules/checks), in order."""
    overridden = {o for n in fired for o in compiled.rules[n].rule.overrides}
    return [n for n in fired if compiled.rules[n].rule.id not in overridden] if overridden else fired


def _evaluate(
    draft: Any,
    rules: RuleSet,
    label: str,
    evaluator: Evaluator,
    compiled: CompiledRuleset,
    facts: dict[str, Any],
    derived: dict[str, list[str]],
    cal: Any,
    extra: dict[str, Any],
    deciders: Deciders | None = None,
    unknown: dict[str, str] | None = None,
    findings: list[Finding] | None = None,
    extra_gaps: list[str] | None = None,
) -> Result:
    """Fire the compiled rules on the facts and wrap the findings with their explanation.

    ``unknown`` maps the facts of sections the draft leaves out to those sections: a rule whose
    outcome depends on them gives no finding and is reported as not checked. ``findings`` given
    (two crossing versions judged together) replace those of this ruleset.
    """
    computed, not_checked, facts, ranges = _findings(
        evaluator, compiled, facts, rules, draft.item, deciders or Deciders(draft.people), unknown
    )
    findings = computed if findings is None else findings
    shown = tuple(findings)  # as checked here, whatever a caller later does with the result's list
    # the derived facts now (Result.derived_facts reads them), the rest of the explanation and its trace on first use
    explanation = {"derived": derived, "facts": facts}
    waits: dict[str, str] = {}  # Result.waits, filled with the trace

    def add_trace(ex: dict[str, Any]) -> None:
        ex["uncertain_workdays"] = {k: [int(v), v.high] for k, v in ranges.items()}
        ex["ruleset"], ex["rules_compiled"] = compiled.name, len(compiled.rules)
        ex["fired"] = [{"rule": f.rule, "code": f.code, "basis": f.basis} for f in shown]
        ex["skipped"] = [f"{g.rule}: {g.reason}" for g in compiled.skipped]
        if unknown:
            ex["unknown_facts"] = dict(sorted(unknown.items()))  # fact -> the section left out
        worded(ex["derived"])
        fired = [f.rule for f in computed if f.rule in compiled.rules]
        displaced = {o for n in fired for o in compiled.rules[n].rule.overrides}
        if displaced:  # most drafts override nothing: no walk over every rule
            fired += [n for n, c in compiled.rules.items() if c.rule.id in displaced and n not in fired and truth(c.condition, facts)]
        unknown_on: dict[str, list[str]] = {}
        ex["trace"] = reconcile(build_trace(compiled, fired, facts, rules, draft.item, unknown, unknown_on), computed, rules)
        ex["trace"]["assumptions"] += _defaults_used(draft, rules)
        for row in ex["trace"]["checks"]:  # passed only because the step is not in the record: not "通过 … 已告知"
            if row["outcome"] == "pass" and not row["reason"] and any(_not_recorded(draft, f["field"] or "") for f in row["facts"]):
                row["reason"], waits[row["rule"]] = NOT_RECORDED, "absent"
            elif NOT_DECIDED in unknown_on.get(row["rule"], ()):  # an open case's fact the decision settles
                waits[row["rule"]] = "decision"

    gap_warnings, rule_warnings, unparamed = _ruleset_notes(compiled, rules)
    return Result.of(
        explanation,
        add_trace,
        list(gap_warnings),
        waits,
        file=label,
        case_id=draft.case_id,
        kind=draft.kind,
        item=draft.item,
        findings=findings,
        **extra,
        rules_version=rules.version,
        calendar_warnings=cal.warnings,
        rule_warnings=rule_warnings + (extra_gaps or []),
        not_checked=not_checked + unparamed,
    )


def _ruleset_notes(compiled: CompiledRuleset, rules: RuleSet) -> tuple[list[str], list[str], list[NotChecked]]:
    """What a ruleset says of itself in every result: the warnings about single rules that could not be checked, all
    its rule warnings, the checks its laws' missing params keep from being made (``_unparamed``): made once per compiled
    ruleset, kept beside it in ``rules.cache`` (a result holds lists of its own: an entry is never changed)."""
    key = ("notes", compiled.name)
    found = rules.cache.get(key)
    if found is None or found[0] is not compiled:
        gaps = list(dict.fromkeys(f"“{rules.findings[g.code].title}”一项：{g.reason}" for g in compiled.rule_gaps))
        found = rules.cache[key] = (compiled, gaps, list(compiled.gaps) + gaps, _unparamed(compiled, rules))
    return found[1:]


def _unparamed(compiled: CompiledRuleset, rules: RuleSet) -> list[NotChecked]:
    """Checks not made because no version of a law's params is in force on the step's day: not checked, not passed.

    No draft field is missing: ``law`` names the law whose parameters are not coded; the words never name a file."""
    out = []
    for law, codes in sorted(compiled.unparamed.items()):
        short = rules.laws[law].short if law in rules.laws else law
        said = f"《{short}》在本案相关日期没有已编码的参数版本，以下检查未能进行，不等于通过："
        out.append(
            NotChecked(
                field=f"rules/params/{law}.yaml",  # a code for programs (sample expectations name it), never shown
                law=law,
                codes=codes,
                message=said + _titled(codes, rules, True),
                text=said + _titled(codes, rules, False),
            )
        )
    return out


def _titled(codes: list[str] | tuple[str, ...], rules: RuleSet, with_codes: bool) -> str:
    """The checks of some codes by their titles (the terminal adds each code in brackets)."""
    return "、".join(rules.findings[code].title + (f"（{code}）" if with_codes else "") for code in codes)


def _defaults_used(draft: Any, rules: RuleSet) -> list[str]:
    """The item facts a filing draft leaves out, taken at their defaults (stated in the trace)."""
    if not isinstance(draft, FilingDraft) or draft.item not in rules.filings:
        return []
    from quanze.engine.model.labels import value_text

    return [
        f"草稿未填写“{spec.label}”，按默认值“{value_text(spec.default)}”处理"
        for name, spec in rules.filings[draft.item].facts.items()
        if name not in draft.facts
    ]


def _findings(
    evaluator: Evaluator,
    compiled: CompiledRuleset,
    facts: dict[str, Any],
    rules: RuleSet,
    item: str,
    deciders: Deciders,
    unknown: dict[str, str] | None,
) -> tuple[list[Finding], list[NotChecked], dict[str, Any], dict[str, Workdays]]:
    """The findings of one ruleset on the facts, what could not be checked, the facts shown, the uncertain counts.

    Rules that depend on a section the draft leaves out are withheld; an uncertain working-day count
    is read at its fewest and at its most days (``_both_readings``).
    """
    facts, most, ranges = _readings(facts)
    fired = fired_fewest = evaluator(compiled, facts)
    not_checked: list[NotChecked] = []
    if unknown:
        fired, not_checked = _withhold_unknown(fired, compiled, facts, rules, unknown)
    findings = findings_from(fired, compiled, facts, rules, item, deciders)
    if most is not None:
        fired_most = engine.fired_again(evaluator, compiled, fired_fewest, most, frozenset(ranges))
        if unknown:  # what is not checked is listed once, from the fewest reading: only the fired rules are read again
            fired_most = _settled(fired_most, compiled, most, rules, unknown)
        # a finding of both readings is the fewest reading's: only those of the most days alone are made
        at_most = _standing(fired_most, compiled)
        at_fewest = {f.rule for f in findings}
        most_only = findings_from([n for n in at_most if n not in at_fewest], compiled, most, rules, item, deciders)
        findings = _both_readings(findings, set(at_most), most_only, ranges, compiled)
    return findings, not_checked, facts, ranges


def _readings(facts: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any] | None, dict[str, Workdays]]:
    """The facts at the fewest working days, at the most (None when every count is certain), and the uncertain counts."""
    counts = [k for k, v in facts.items() if type(v) is Workdays]  # the facts are scanned once
    ranges = {k: facts[k] for k in counts if facts[k].uncertain}
    if not ranges:
        return facts, None, ranges
    fewest = facts | {k: int(facts[k]) for k in counts}
    return fewest, fewest | {k: v.high for k, v in ranges.items()}, ranges


def _both_readings(
    fewest: list[Finding], at_most: set[str], most_only: list[Finding], ranges: dict[str, Workdays], compiled: CompiledRuleset
) -> list[Finding]:
    """Findings where a working-day count depends on an unknown 调休 arrangement (workdays.py): those of the fewest
    working days, the rules found at the most (``at_most``), the findings of the most days alone (``most_only``).

    A finding under both the fewest and the most working days stands; an error that holds under only
    one of them becomes a warning stating both readings, without 追责 (无法确定).
    """
    out = [f for f in fewest if f.rule in at_most or f.severity != "error"]
    out += [_uncertain(f, ranges, compiled, f, None) for f in fewest if f.rule not in at_most and f.severity == "error"]
    out += [f if f.severity != "error" else _uncertain(f, ranges, compiled, None, f) for f in most_only]
    out.sort(key=lambda f: SEVERITY_ORDER.index(f.severity))
    return out


def _uncertain(f: Finding, ranges: dict[str, Workdays], compiled: CompiledRuleset, fewest: Finding | None, most: Finding | None) -> Finding:
    """The warning of a finding that holds under one reading of an uncertain working-day count only."""
    used = set(facts_in(compiled.rules[f.rule].condition))
    counts = "；".join(
        f"{getattr(v, 'label', k)} {int(v)}–{v.high} {getattr(v, 'unit', '个工作日')}" for k, v in ranges.items() if k in used
    )

    def said(text_of: Any) -> str:
        at_fewest = text_of(fewest) if fewest else "不构成此问题"
        at_most = text_of(most) if most else "不构成此问题"
        return (
            f"无法确定：该年放假调休安排未公布（见日历提示），{counts or '工作日数不确定'}。"
            f"按最少的工作日数：{at_fewest}；按最多的工作日数：{at_most}。待该年放假通知公布后复核（不追责）"
        )

    message, text = said(lambda g: g.message), said(lambda g: g.text or g.message)
    return Finding(code=f.code, severity="warning", message=message, basis=f.basis, rule=f.rule, accountability=None, text=text)


def _withhold_unknown(
    fired: list[str], compiled: CompiledRuleset, facts: dict[str, Any], rules: RuleSet, unknown: dict[str, str]
) -> tuple[list[str], list[NotChecked]]:
    """Drop the fired rules that depend on unknown facts; list, per unfilled section, what could not be checked.

    The facts of an open case that wait for the decision (``NOT_DECIDED``) are listed under no section (what waits for
    the decision is said in the trace, check_open): a rule that tests no other unknown fact is read only if it fired."""
    tested, order, testing, readers = _facts_tested(compiled, rules)
    # only a rule that tests an unknown fact can be undecided (a condition that tests none is decided by the known
    # ones: evaluate_known is never None): the rules testing a fact of a section left out, with those sections, one
    # pass over the unknown facts; then the fired rules testing any unknown fact
    sections: dict[str, set[str]] = {}
    for fact, section in unknown.items():
        if section != NOT_DECIDED and fact in testing:
            for name in testing[fact]:
                if name in sections:
                    sections[name].add(section)
                else:
                    sections[name] = {section}
    names = unknown.keys()
    candidates = sections.keys() | {n for n in fired if n in tested and not names.isdisjoint(tested[n])}
    open_rules: dict[str, list[str]] = {}
    withheld: set[str] = set()
    for name in sorted(candidates, key=order.__getitem__):  # in the ruleset's order
        if _reader(name, compiled, readers)(facts, names) is not None:
            continue
        withheld.add(name)
        code = compiled.rules[name].rule.code
        if rules.findings[code].severity == "info":
            continue
        for section in sorted(sections.get(name, ())):
            codes = open_rules.setdefault(section, [])
            if code not in codes:
                codes.append(code)
    not_checked = [_unfilled(section, tuple(codes), rules) for section, codes in sorted(open_rules.items())]
    return [n for n in fired if n in compiled.rules and n not in withheld], not_checked


def _settled(fired: list[str], compiled: CompiledRuleset, facts: dict[str, Any], rules: RuleSet, unknown: dict[str, str]) -> list[str]:
    """The fired rules ``_withhold_unknown`` keeps (those that test no unknown fact, or whose outcome the known facts
    settle), without listing what is not checked: only the fired rules are read."""
    names = unknown.keys()
    tested, _, _, readers = _facts_tested(compiled, rules)
    return [
        n
        for n in fired
        if n in compiled.rules and (names.isdisjoint(tested[n]) or _reader(n, compiled, readers)(facts, names) is not None)
    ]


def _reader(name: str, compiled: CompiledRuleset, readers: dict[str, Reader]) -> Reader:
    """The three-valued reader of a rule's condition (``known_reader``), made on first use and kept in ``readers``."""
    reader = readers.get(name)
    if reader is None:
        reader = readers[name] = known_reader(compiled.rules[name].condition)
    return reader


def _unfilled(section: str, codes: tuple[str, ...], rules: RuleSet) -> NotChecked:
    """The not_checked entry of a section left out and the checks it kept from being made: worded once per section and
    codes for the rules (kept in ``rules.cache``; an entry is never changed once made)."""
    key = ("unfilled", section, codes)
    found = rules.cache.get(key)
    if found is None:
        found = rules.cache[key] = (
            _not_checked(section, list(codes), rules)
            if section in SUBJECT_FACTS or section in EVIDENCE_FACTS
            else NotChecked(
                field=section,
                codes=list(codes),
                message=f"草稿未填写 {section}（未填写不等于未办理；未办理的请写 null 或 false），以下检查未能进行："
                + _titled(codes, rules, True),
                text=f"草稿未填写“{field_label(section)}”（未填写不等于未办理），以下检查未能进行：" + _titled(codes, rules, False),
            )
        )
    return found


def _facts_tested(
    compiled: CompiledRuleset, rules: RuleSet
) -> tuple[dict[str, frozenset[str]], dict[str, int], dict[str, tuple[str, ...]], dict[str, Reader]]:
    """The facts each rule of a compiled ruleset tests, each rule's place in the ruleset, the rules testing each fact
    (``CompiledRuleset.fact_index``, kept with the ruleset in the cache), and each rule's three-valued reader
    (``known_reader``, made on first use, kept beside the ruleset in ``rules.cache`` for this process)."""
    key = ("readers", compiled.name)
    readers = rules.cache.get(key)
    if readers is None:
        readers = rules.cache[key] = {}
    index = compiled.fact_index()
    return index.tested, index.order, index.testing, readers


_SUBJECT_FIELDS = {
    "party.role": "当事人身份",
    "violation.conduct": "违法行为",
    "target.role": "检查对象的身份",
    "applicant.role": "申请人的身份",
    "evidence": "证据",
}


_NOT_CHECKED_OPEN = "以下检查未能进行（不影响结论，请补填）："


def _not_checked(section: str, codes: list[str], rules: RuleSet) -> NotChecked:
    """A not_checked entry of a subject field left out (issue 17 §1): listed, the verdict does not change."""
    return NotChecked(
        field=section,
        codes=codes,
        affects_verdict=False,
        message=f"草稿未填写 {section}（{_SUBJECT_FIELDS[section]}），{_NOT_CHECKED_OPEN}{_titled(codes, rules, True)}",
        text=f"草稿未填写“{field_label(section)}”，{_NOT_CHECKED_OPEN}{_titled(codes, rules, False)}",
    )


def check_penalty(draft: PenaltyDraft, rules: RuleSet, label: str, evaluator: Evaluator, open_case: PenaltyDraft | None = None) -> Result:
    """Substance and procedure checks of a draft 行政处罚决定; ``open_case``: ``draft`` is the view of that open case
    (engine/check/stage.py), whose facts not settled by its record are unknown."""
    item = draft.item
    provision_id = rules.items[item].provision
    assert provision_id is not None
    prov = rules.provisions[provision_id]
    act_end = draft.violation.ended_on or draft.violation.committed_on
    gains = draft.violation.illegal_gains - draft.violation.restitution > 0  # gains to confiscate (第二十八条第二款)
    applies = _reserved_applies(draft, rules, provision_id)
    choice: VersionChoice = choose_version(
        prov.versions, act_end, draft.decision.decided_on, rules.lighter, rules.vocabulary, gains, applies
    )
    days = step_days(draft)
    compiled = compile_ruleset(rules, "penalty", item, provision_id, choice.index, days)
    cal = calendar_from(rules.calendar, rules.cache)
    facts = penalty_facts(draft, rules, choice, provision_id)
    facts.update(role_facts(rules, item, draft.party.role, "subject"))
    facts.update(individual_facts(rules, item, draft.party.type, "subject"))
    facts.update(conduct_facts(rules, item, draft.violation.conduct))
    facts.update(decided_facts(draft))
    facts.update(evidence_facts(draft, rules))
    facts.update(people_facts(draft, rules))
    facts.update(measure_facts(draft, rules, as_of, confiscated_on=None if open_case else confiscation_day(draft)))
    proc, derived = procedure_facts(draft, rules, cal, extension_caps(rules, compiled), decision_made=open_case is None)
    facts.update(proc)
    grounds = compile_grounds(rules, draft.decision.decided_on)
    made_out = {grounds.rules[n].bindings["key"] for n in evaluator(grounds, facts)}
    facts.update(ground_facts(rules, made_out, set(grounds.unknown)))
    names = [g.name for g in rules.vocabulary.no_penalty_grounds if g.key in made_out]
    derived["不予处罚情形"] = [f"事实符合：{'、'.join(names)}" if names else "事实不符合任何不予处罚情形"] + grounds.gaps
    unfilled = unfilled_sections(draft)
    if open_case is not None:  # a step an open case does not record is not yet taken, not 未填写
        unfilled = [s for s in unfilled if s in OPEN_UNFILLED]
    if unfilled:
        derived["未填写"] = [f"“{field_label(s)}”：未填写（不填不等于未办理），依赖它的检查未进行" for s in unfilled]

    fine = choice.version.fine_range() if choice.version else None
    disc = rules.discretion.get(provision_id)
    fine_range = list(fine) if fine else None
    bands = None
    if fine_range and disc:
        bands = {tier: list(b) for tier, b in split_points(fine_range[0], fine_range[1], disc).items()}
    recommended = _recommended(rules, compiled, facts)
    version = choice.version
    extra: dict[str, Any] = {
        "provision": made(
            Provision,
            {
                "id": provision_id,
                "law": rules.laws[prov.law].short,
                "article": prov.article,
                "in_force_from": version.in_force_from if version else None,
                "in_force_until": version.in_force_until if version else None,
                "chosen_because": choice.reason,
            },
        ),
        "fine_range": fine_range,
        "bands": bands,
        "recommended_tier": recommended if fine_range else None,
        "version_comparison": _version_comparison(choice, prov.versions, act_end, draft.decision.decided_on, rules, gains, applies),
    }
    derived["条文版本"] = [f"{rules.law_label(provision_id)}：{choice.reason}"]
    if choice.comparison and open_case is None:  # an open case has no decision day to compare at
        derived["版本比较（从旧兼从轻，对本案当事人）"] = list(choice.comparison)
    if open_case is not None:  # nothing decided: name the stand-in day, and the penalty as not yet proposed
        facts["basis_reason"] = extra["provision"].chosen_because = open_version_reason(open_case, choice)
        derived["条文版本"] = [f"{rules.law_label(provision_id)}：{facts['basis_reason']}"]
        if facts["penalties_text"] == NO_PENALTY:
            facts["penalties_text"] = NOT_PROPOSED
    why = recommendation_text(rules, draft, facts, recommended, bands)
    if fine_range:
        extra["recommended_because"] = why
    derived["建议阶次"] = [recommended, why]
    derived["听证资格"] = [lambda: _hearing_eligibility(rules, facts, days["notice"] or days["decision"], open_case)]
    p = draft.procedure
    deciders = Deciders(draft.people, p.collective_discussion is not None, bool(p.legal_review and p.legal_review.passed))
    unknown = unknown_facts(unfilled)
    unknown.update(_subject_unknown({"party.role": draft.party.role, "violation.conduct": draft.violation.conduct}))
    unknown.update(_fields_left_out(draft))
    if "evidence" not in draft.model_fields_set:
        unknown.update(dict.fromkeys(EVIDENCE_FACTS["evidence"], "evidence"))
    if open_case is not None:
        known = known_facts(open_case, facts)
        unknown.update({name: NOT_DECIDED for name in facts if name not in known and name not in unknown})
    findings = None
    if choice.crossing:
        findings, differ = _judge_crossing(draft, rules, evaluator, provision_id, choice, compiled, facts, deciders, unknown)
        extra["version_comparison"].readings = "differ" if differ else "agree"
    return _evaluate(draft, rules, label, evaluator, compiled, facts, derived, cal, extra, deciders, unknown, findings, grounds.gaps)


def _judge_crossing(
    draft: PenaltyDraft,
    rules: RuleSet,
    evaluator: Evaluator,
    provision_id: str,
    choice: VersionChoice,
    compiled: CompiledRuleset,
    facts: dict[str, Any],
    deciders: Deciders,
    unknown: dict[str, str],
) -> tuple[list[Finding], bool]:
    """Check the draft under both crossing versions and keep what every reading agrees on (rules/lighter.yaml)."""
    assert choice.crossing is not None and choice.version is not None
    old_i, new_i = choice.crossing
    versions = rules.provisions[provision_id].versions
    new_choice = VersionChoice(new_i, versions[new_i], choice.reason)
    compiled_new = compile_ruleset(rules, "penalty", draft.item, provision_id, new_i, step_days(draft))
    # the facts of the decision-time reading: those of the act-time one, with what the version changes replaced
    old_pf, new_pf = penalty_facts(draft, rules, choice, provision_id), penalty_facts(draft, rules, new_choice, provision_id)
    facts_new = {**facts, **{k: v for k, v in new_pf.items() if old_pf.get(k) != v}}

    def reading(ruleset: CompiledRuleset, known: dict[str, Any]) -> list[Finding]:
        return _findings(evaluator, ruleset, known, rules, draft.item, deciders, unknown)[0]

    old_f, new_f = reading(compiled, facts), reading(compiled_new, facts_new)
    labels = (f"行为时的版本（{since(versions[old_i])}）", f"决定时的版本（{since(versions[new_i])}）")
    gains = draft.violation.illegal_gains - draft.violation.restitution > 0
    cmp = compare(versions[new_i], choice.version, rules.lighter, rules.vocabulary, gains, _reserved_applies(draft, rules, provision_id))
    readings = combine_readings(old_f, new_f, labels, choice.version, rules.lighter, rules.vocabulary, cmp)
    findings = list(readings.findings)
    if readings.differ:
        flagged = {
            **facts,
            "version_readings_differ": True,
            "version_readings": readings.differ,
            "version_readings_officer": readings.differ_text,
        }
        findings += [f for f in reading(compiled, flagged) if f.code == "VERSION_READINGS_DIFFER"]
    findings.sort(key=lambda f: SEVERITY_ORDER.index(f.severity))
    return findings, readings.differ is not None


def _reserved_applies(draft: PenaltyDraft, rules: RuleSet, provision_id: str) -> Any:
    """Whether a reserved group's precondition can hold on this draft's facts (for comparing versions for this party).

    The facts are derived on the first question (most drafts have no reserved group to compare and ask none)."""
    definitions = rules.definitions.get("penalty", {})
    derived: list[dict[str, Any]] = []

    def applies(group: Any) -> bool:
        try:
            missing = resolve(group.missing_when, {}, {}, definitions)
        except (MissingParam, KeyError):
            return True  # cannot tell: counted as available (the heavier reading)
        if missing is True or missing is False:
            return not missing
        if not derived:
            derived.append(penalty_facts(draft, rules, VersionChoice(None, None, ""), provision_id))
        return not truth(missing, derived[0])

    return applies


def recommendation_text(rules: Any, draft: PenaltyDraft, facts: dict[str, Any], recommended: str, bands: dict | None) -> str:
    """Why the recommended tier, in words: which factors bind (应当) and which only permit (可以), that the
    recommendation is advice, and the band the fine falls in."""
    factors = factors_by_name(rules)
    named = [factors[n] for n in draft.violation.factors if n in factors]
    must = [f.name for f in named if f.effect == "mitigating" and f.mandatory]
    may = [f.name for f in named if f.effect == "mitigating" and not f.mandatory]
    heavier = [f.name for f in named if f.effect == "aggravating"]
    parts = [
        f"建议阶次“{recommended}”是按情节给出的建议，不是法定要求",
        f"应当从轻或者减轻的情节（第三十二条等）：{'、'.join(must) or '无'}",
        f"可以从轻的情节：{'、'.join(may) or '无'}",
        f"从重情节：{'、'.join(heavier) or '无'}",
    ]
    if must:
        parts.append("有应当从轻或者减轻的情节，须从轻或者减轻处罚")
    elif may:
        parts.append("只有可以从轻的情节，是否从轻由本局裁量：按一般处罚同样合法")
    band = facts.get("fine_band")
    if bands and band in bands:
        lo, hi = bands[band]
        parts.append(f"本案罚款 {facts['fine_amount']} 元落在“{band}”阶次（{lo}–{hi} 元）")
        if draft.decision.tier in bands and draft.decision.tier != band:
            lo, hi = bands[draft.decision.tier]
            parts.append(f"草稿所称“{draft.decision.tier}”阶次为 {lo}–{hi} 元")
    return "；".join(parts) + "。"


def _version_comparison(
    choice: VersionChoice, versions: list[Any], act_end: dt.date, decided_on: dt.date, rules: RuleSet, gains: bool, applies: Any
) -> VersionComparison | None:
    """The contract extension ``version_comparison``: both versions for this party and the outcome (None: one version)."""
    if not choice.comparison:
        return None
    old, new = version_in_force(versions, act_end)[0], version_in_force(versions, decided_on)[0]
    assert old is not None and new is not None

    def one(i: int) -> VersionSide:
        v = versions[i]
        return VersionSide(
            in_force_from=v.in_force_from,
            in_force_until=v.in_force_until,
            fine_range=list(v.fine_range()) if v.fine_range() else None,
            for_this_party=describe(v, rules.lighter, rules.vocabulary, gains, applies),
        )

    return VersionComparison(
        act_version=one(old), decision_version=one(new), outcome=choice.outcome, criteria=list(choice.comparison[1:])
    )


_NONE: frozenset[str] = frozenset()  # no fact unknown: a reader (known_reader) then answers as ``evaluate`` does


def _recommended(rules: RuleSet, compiled: CompiledRuleset, facts: dict[str, Any]) -> str:
    """The first recommended tier (rules/policy) whose condition holds on the facts, as ``holds`` reads each: the
    conditions resolved once per compiled ruleset (its params), not per draft; one naming a param the ruleset's
    versions do not define never holds."""
    key = ("recommend", id(compiled))
    found = rules.cache.get(key)
    if found is None or found[0] is not compiled:
        definitions = rules.definitions.get("penalty", {})
        conditions: list[Any] = []
        for r in rules.policy.recommend:
            try:
                conditions.append(True if r.when is None else resolve(r.when, compiled.params, {}, definitions))
            except MissingParam:
                conditions.append(False)
        found = rules.cache[key] = (compiled, [known_reader(c) for c in conditions])
    return next(r.tier for r, holds in zip(rules.policy.recommend, found[1], strict=True) if holds(facts, _NONE))


HEARING_RIGHT = {"yes": "有听证权", "both": "是否有听证权两种理解（告知听证权利更稳妥）", "no": "无听证权"}


def hearing_right(rules: RuleSet, facts: dict[str, Any], day: dt.date) -> tuple[str, dict[str, Any]]:
    """Whether the party has a hearing right (第六十三条) under both known 较大数额 lines in force on ``day``: "yes",
    "both" (two readings), "no", or not judged ("undefined": the rules define no 听证资格; "unversioned": no
    行政处罚法 params version on that day); with the params read."""
    definitions = rules.definitions.get("penalty", {})
    names = ("hearing_eligible_certain", "hearing_eligible_possible")
    if not all(n in definitions for n in names):
        return "undefined", {}
    key = ("hearing_eligible", param_versions(rules, day))
    if key not in rules.cache:  # resolved once per params version, not per draft
        params = params_on(rules, day)  # the params of those versions, shared with every other reader of that day
        try:
            rules.cache[key] = (params, [known_reader(resolve(definitions[n], params, {}, definitions)) for n in names])
        except MissingParam:
            rules.cache[key] = (params, None)
    params, conditions = rules.cache[key]
    if conditions is None:
        return "unversioned", params
    certain, possible = (holds(facts, _NONE) for holds in conditions)
    return ("yes" if certain else "both" if possible else "no"), params


def hearing_right_due(draft: PenaltyDraft, facts: dict[str, Any], rules: RuleSet) -> str | None:
    """``hearing_right`` of a checked penalty draft as of its notice (else its decision); of an open case, under the
    penalty its notice proposes, None while none is proposed (not yet judged)."""
    notice, still_open = draft.procedure.notice, is_open(draft)
    if still_open and (notice is None or facts.get("penalties_text") == NOT_PROPOSED):
        return None
    day = (notice.served_on if notice else None) or (as_of(draft) if still_open else draft.decision.decided_on)
    return hearing_right(rules, facts, day)[0]


def _hearing_eligibility(rules: RuleSet, facts: dict[str, Any], day: dt.date, open_case: PenaltyDraft | None = None) -> str:
    """``hearing_right`` in words; of an open case, under the penalty the notice proposes (拟作出), or not yet judged
    when none is proposed."""
    penalties = facts["penalties_text"]
    if open_case is not None:
        notice = open_case.procedure.notice
        if notice is None:
            return "尚未告知拟作出的行政处罚：是否有听证权（第六十三条）按告知书拟作出的处罚判断"
        if penalties == NOT_PROPOSED:
            return "告知书未记载拟作出的行政处罚：是否有听证权（第六十三条）按拟作出的处罚判断"
        penalties = f"拟作出的处罚：{penalties}"
    right, params = hearing_right(rules, facts, day)
    if right == "undefined":
        return "规则中没有听证资格的定义，未判断"
    if right == "unversioned":
        return "告知之日没有已编码的行政处罚法版本，未判断"
    p = params.get
    return (
        f"{HEARING_RIGHT[right]}（第六十三条）：{penalties}，当事人类型 {value_text(facts['party_type'])}；较大数额未核实"
        f"：已知最低标准 公民 {p('xzcf.hearing_threshold.individual')} 元 / 单位 "
        f"{p('xzcf.hearing_threshold.organization')} 元，已知最高标准 公民 "
        f"{p('xzcf.hearing_threshold_highest_known.individual')} 元 / 单位 "
        f"{p('xzcf.hearing_threshold_highest_known.organization')} 元；达到最高标准或吊销许可证件、责令停产停业、"
        "责令关闭的有听证权，介于两者之间或没收非法财物、设备（价值未载明）的两种理解"
    )


def _basis_on(rules: RuleSet, provision_id: str, day: dt.date) -> tuple[int | None, bool, str]:
    """The version of a basis in force on a day: its index, whether it still grants the power, why."""
    prov = rules.provisions[provision_id]
    label = rules.law_label(provision_id)
    index, dated = version_in_force(prov.versions, day)
    if index is None:
        return None, False, f"{day} 时 {label} 没有有效的文本"
    v = prov.versions[index]
    if not dated:
        return index, True, f"{label} 施行日期不详，按有效处理"
    if v.grants_power:
        return index, True, f"{label}（{v.in_force_from} 起施行的文本）于 {day} 有效"
    return index, False, f"{day} 适用的{label}（自 {v.in_force_from} 起施行）已不含此项权力，现行文本为：“{v.text.strip()}”"


def check_record(draft: Any, rules: RuleSet, label: str, evaluator: Evaluator) -> Result:
    """Checks of a filing, inspection or complaint record."""
    cal = calendar_from(rules.calendar, rules.cache)
    extra: dict[str, Any] = {"provision": None, "fine_range": None, "bands": None, "recommended_tier": None}
    provision_id, version_index = None, None
    unknown: dict[str, str] = {}
    if isinstance(draft, FilingDraft):
        day = draft.dates.decided_on or draft.dates.submitted_on
        provision_id = rules.filings[draft.item].basis
        version_index, in_force, why = _basis_on(rules, provision_id, day)
        facts, derived = filing_facts(draft, rules, in_force, cal)
        facts.update(role_facts(rules, draft.item, draft.applicant.role, "applicant_role"))
        facts.update(individual_facts(rules, draft.item, draft.applicant.type, "applicant_role"))
        unknown = _subject_unknown({"applicant.role": draft.applicant.role})
        facts["basis_reason"] = why
        derived["备案依据"] = [why]
        prov = rules.provisions[provision_id]
        extra["provision"] = made(
            Provision, {"id": provision_id, "law": rules.laws[prov.law].short, "article": prov.article, "chosen_because": why}
        )
        days = {"decision": day, "submitted": draft.dates.submitted_on}
    elif isinstance(draft, InspectionDraft):
        days = {"decision": draft.performed_on, "performed": draft.performed_on}
        facts, derived = inspection_facts(draft, rules)
        facts.update(measure_facts(draft, rules, record_as_of))
        facts.update(role_facts(rules, draft.item, draft.target.role, "target_role"))
        facts.update(individual_facts(rules, draft.item, draft.target.type, "target_role"))
        unknown = _subject_unknown({"target.role": draft.target.role})
    else:
        days = {"decision": draft.verified_on or draft.received_on, "received": draft.received_on}
        facts, derived = complaint_facts(draft, rules, cal)
    unknown.update(_fields_left_out(draft))
    compiled = compile_ruleset(rules, draft.kind, draft.item, provision_id, version_index, days)
    return _evaluate(draft, rules, label, evaluator, compiled, facts, derived, cal, extra, unknown=unknown or None)


NOT_PROPOSED = "尚未拟定"  # penalties_text of an open case whose notice proposes no penalty (or that has none)
NOT_DECIDED = "decision.decided_on"  # the field an open case's unknown facts wait for
NOT_DUE = "尚未作出决定：此项在作出决定时检查"
NOT_REACHED = "尚未进行：案卷还没有此环节的记载，记载后检查"
NOT_RECORDED = "案卷没有此环节（如查封、扣押，听证），不适用"
# the steps an open case may not have reached: a check that passed only because one of them is not recorded
# passed nothing (听证主持人 with no hearing yet, 已告知 with no notice yet …)
_STEP_SECTIONS = (
    "procedure.notice",
    "procedure.hearing",
    "procedure.legal_review",
    "procedure.collective_discussion",
    "procedure.recusals",
    "procedure.served_on",
    "coercive_measures",
)


def _not_recorded(draft: Any, path: str) -> bool:
    """The step at ``path`` (a field path of the facts registry) is not in the draft: None, or an empty list."""
    if not path.startswith(_STEP_SECTIONS):
        return False
    value = draft
    for part in path.split("."):
        if value is None:
            return True
        if not hasattr(value, part):
            return False  # not a plain path: unknown, never "not reached"
        value = getattr(value, part)
    return value is None or value == []
OPEN_UNFILLED = ("procedure.officers", "procedure.notice.rights", "procedure.notice.proposed")


def check_open(draft: PenaltyDraft, rules: RuleSet, label: str, evaluator: Evaluator) -> Result:
    """An open case (no decision yet): what has been done is judged, what the decision will settle is not due.

    Findings about the content of the decision (findings.yaml ``stage: decision``) and checks that wait for it
    are left out: neither findings nor 未完成; the stage and the steps due next say where the case stands."""
    result = check_penalty(open_view(draft), rules, label, evaluator, open_case=draft)

    def of_decision(code: str) -> bool:
        return rules.findings[code].concerns[0] == "decision"

    result.findings = [f for f in result.findings if not of_decision(f.code)]
    result.not_checked = [n for n in result.not_checked if not all(map(of_decision, n.codes))]
    result.recommended_tier = result.version_comparison = result.recommended_because = None
    build, waits = result.trace_builder, result.waits

    def trace(ex: dict[str, Any]) -> None:
        build(ex)
        derived = ex["derived"]  # counts up to the stand-in decision day say nothing of the case
        for title in ("自然日计算", "建议阶次"):
            derived.pop(title, None)
        for row in ex["trace"]["checks"]:
            why = waits.get(row["rule"])
            if of_decision(row["code"]) or (row["outcome"] == "unchecked" and why == "decision"):
                row["outcome"], row["reason"], waits[row["rule"]] = "unchecked", NOT_DUE, "decision"
            elif row["outcome"] == "pass" and why == "absent":  # not "通过": the step is still to come
                row["outcome"], row["reason"], waits[row["rule"]] = "unchecked", NOT_REACHED, "step"
        ex["trace"]["counts"] = {k: sum(1 for c in ex["trace"]["checks"] if c["outcome"] == k) for k in OUTCOME_WORDS}

    result.trace_builder = trace
    return result


def check(draft: Any, rules: RuleSet, label: str, evaluator: Evaluator | None = None) -> Result:
    """Check one validated draft; InputError if it names what the rules do not know."""
    validate_names(draft, rules, label)
    evaluator = evaluator or engine.fired_rules
    if isinstance(draft, PenaltyDraft):
        result = check_open(draft, rules, label, evaluator) if is_open(draft) else check_penalty(draft, rules, label, evaluator)
        result.stage, result.open, result.next_steps = progress(draft, rules)
    else:
        result = check_record(draft, rules, label, evaluator)
    result.input_warnings = hidden_warnings(draft)  # names and numbers with invisible characters, ignored when compared
    return result
