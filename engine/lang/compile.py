"""Compile the checks of ``rules/checks/`` into durable-rules rulesets, one per item and version.

A ruleset holds only the rules that can apply to one item under one provision version, with every
param already a constant: each rule's from the params version in force on its step's day. Compiled rulesets are
cached on the RuleSet, so a check never rebuilds one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from quanze.engine.lang.conditions import MissingParam, facts_in, params_in, resolve, to_durable
from quanze.engine.lang.limits import ruleset_problem
from quanze.engine.law.remembered import stored_get
from quanze.engine.model.errors import Problem, RuleError
from quanze.engine.model.schema import All, CheckRule, Condition, ProvisionVersion, Test

SENTINEL = "q_sentinel"  # matches every check document, so some action always runs (see durable-rules.md)


def _name(rules: Any, key: tuple, what: str) -> str:
    """A compiled ruleset's name, of the rules' version and its cache key (item, provision version, params versions):
    the same in every process, whether compiled or read from the disk cache; distinct for distinct keys or rules."""
    return f"quanze:{what}:k{hashlib.sha256(f'{rules.version}{key!r}'.encode()).hexdigest()[:16]}"


@dataclass(frozen=True)
class CompiledRule:
    """One expanded rule: its durable name, its source rule, for_each bindings, resolved condition."""

    name: str
    rule: CheckRule
    bindings: dict[str, Any]
    condition: Condition | bool
    params: dict[str, Any]  # the constants its condition and message use


_NEEDS = {"fine": "罚款数额幅度", "penalty": "处罚设定"}  # a version's parts a rule ``needs``, in words


@dataclass(frozen=True)
class RuleGap:
    """A rule that should apply but could not be checked: which rule, its finding code, why, the parameter missing."""

    rule: str  # the rule id (a for_each copy: its durable name, ``id__key``)
    code: str
    reason: str  # in words
    param: str = ""  # what is missing: a parameter, or the version's parts the rule needs
    impossible: bool = False  # not a gap: the condition cannot hold under the parameters in force (通过)


@dataclass
class CompiledRuleset:
    """A durable-rules ruleset definition and what each of its rules means."""

    name: str
    definition: dict[str, Any]
    rules: dict[str, CompiledRule]
    params: dict[str, Any]
    skipped: list[RuleGap] = field(default_factory=list)  # rules that cannot apply here, with the reason
    gaps: list[str] = field(default_factory=list)  # what could not be checked, about no one rule (in the officer's words)
    rule_gaps: list[RuleGap] = field(default_factory=list)  # rules that should apply but could not be checked
    unknown: list[str] = field(default_factory=list)  # rules whose condition could not be resolved (grounds ruleset)
    unparamed: dict[str, list[str]] = field(default_factory=dict)  # law -> codes not checked: no params version in force
    kind: str = ""  # the draft kind its rules check (penalty, inspection, …), or "grounds" (the 不予处罚 grounds)
    # what durable-rules is given (engine/lang/evaluate.py): made once before the ruleset is cached, so a command that
    # reads it from the cache does not encode and measure the definition again (not an init field: a ruleset made
    # with ``dataclasses.replace`` and another definition makes its own)
    engine: EngineForm | None = field(default=None, init=False, compare=False, repr=False)
    # the facts each rule tests (checker.py withholds through it the rules an unfilled section leaves undecided): made
    # once before the ruleset is cached, as ``engine`` is, so a check that reads the ruleset does not walk every condition
    facts: FactIndex | None = field(default=None, init=False, compare=False, repr=False)
    # facts -> the ruleset of the rules testing any of them (``part``), made on first use
    parts: dict[frozenset[str], CompiledRuleset | None] = field(default_factory=dict, init=False, compare=False, repr=False)

    def part(self, facts: frozenset[str]) -> CompiledRuleset | None:
        """The ruleset of this one's rules that test any of ``facts``, in their order (None: no rule tests one), made
        once per set of facts: facts that differ from others only in these fire the others' rules but these again
        (evaluate.fired_again)."""
        if facts not in self.parts:
            testing = self.fact_index().testing
            names = {name for fact in facts for name in testing.get(fact, ())}
            kept = [name for name in self.rules if name in names]
            part = None
            if kept:
                definition = {SENTINEL: self.definition[SENTINEL]} | {name: self.definition[name] for name in kept}
                rules = {name: self.rules[name] for name in kept}
                part = CompiledRuleset(f"{self.name}:part:{','.join(sorted(facts))}", definition, rules, self.params, kind=self.kind)
                part.engine_form()
            self.parts[facts] = part
        return self.parts[facts]

    def fact_index(self) -> FactIndex:
        """The facts each rule tests, each rule's place in the ruleset, and the rules testing each fact."""
        if self.facts is None:
            tested = {name: frozenset(facts_in(c.condition)) for name, c in self.rules.items()}
            testing: dict[str, list[str]] = {}
            for name, facts in tested.items():
                for fact in facts:
                    testing.setdefault(fact, []).append(name)
            order = {name: i for i, name in enumerate(self.rules)}
            self.facts = FactIndex(tested, order, {fact: tuple(names) for fact, names in testing.items()})
        return self.facts

    def engine_form(self) -> EngineForm:
        """The definition as durable-rules takes it (JSON), why it would be refused (limits.py), the facts it tests."""
        if self.engine is None:
            self.engine = EngineForm(
                json.dumps(self.definition, ensure_ascii=False), ruleset_problem(self.definition), _sent(self.definition)
            )
        return self.engine


@dataclass(frozen=True)
class FactIndex:
    """The facts each rule of a ruleset tests (``tested``), each rule's place (``order``), the rules testing each fact."""

    tested: dict[str, frozenset[str]]
    order: dict[str, int]
    testing: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class EngineForm:
    """A ruleset's definition for durable-rules: its JSON text, a size problem (None: within limits.py), and each fact
    it tests with the value of it not sent (``sent``, engine/lang/evaluate.py ``document_text``)."""

    text: str
    problem: str | None
    sent: tuple[tuple[str, object], ...]


class _Sent(Enum):
    ALWAYS = "always"  # in ``EngineForm.sent``: the fact is sent whatever its value (never a fact's value; pickled by name)


ALWAYS = _Sent.ALWAYS


def _sent(definition: dict[str, Any]) -> tuple[tuple[str, object], ...]:
    """Each fact a durable-rules definition tests, in order, with the value of it no test can match (``_unmatched``),
    or ``ALWAYS``.

    durable-rules tries a test only on a property the document has, so a property no test can match changes
    nothing that fires: leaving it out makes the document shorter to encode, parse and match."""
    tests: dict[str, set[Any]] = {}  # fact -> its comparisons (operator, type, constant), ALWAYS for one of another type
    nodes = [pattern["m"] for rule in definition.values() for pattern in rule["all"]]
    for node in nodes:  # the parts of an ``$and`` or ``$or`` are appended: walked in turn
        for key, value in node.items():
            if key in ("$and", "$or"):
                nodes.extend(value)
            elif key.startswith("$"):  # {"$gt": {fact: constant}} and the other comparisons
                for fact, constant in value.items():
                    tests.setdefault(fact, set()).add(_comparison(key, constant))
            else:
                tests.setdefault(key, set()).add(_comparison("$eq", value))
    tests.pop("q_doc", None)  # the marker every check document carries (conditions.to_durable), not a fact
    return tuple((fact, _unmatched(comparisons)) for fact, comparisons in tests.items())


def _comparison(operator: str, constant: Any) -> tuple[str, type, Any] | _Sent:
    """A test as ``_unmatched`` reads it: its operator, its constant's type and the constant (a bool or a whole number)."""
    kind = type(constant)
    return (operator, kind, constant) if kind in (bool, int) else ALWAYS


def _unmatched(comparisons: set[Any]) -> object:
    """The value of a fact that no test of it matches: each test compares it for equality with one bool (the other bool
    matches none), or each for inequality with one bool or number (that value matches none); else ``ALWAYS``. Only a
    value of the constant's own type is judged (durable-rules compares a bool with a number as a number, a text as text):
    ``document_text`` leaves out a value equal to it and of its type."""
    if len(comparisons) == 1:
        (only,) = comparisons
        if only is not ALWAYS:
            operator, kind, constant = only
            if operator == "$eq" and kind is bool:
                return not constant
            if operator == "$neq":
                return constant
    return ALWAYS


def version_params(version: ProvisionVersion | None) -> dict[str, Any]:
    """Params a provision version defines (fine.min, fine.max)."""
    fine = version.fine_range() if version else None
    return {"fine.min": fine[0], "fine.max": fine[1]} if fine else {}


def param_versions(rules: Any, day: dt.date | None) -> tuple[tuple[str, int | None], ...]:
    """For each law with a params file, the index of its version in force on a day (None: none); remembered per day
    in ``rules.cache`` (every check asks for the days of its steps)."""
    cache = getattr(rules, "cache", None)
    if cache is None:
        return _param_versions(rules, day)
    key = ("param_versions", day)
    found = cache.get(key)
    if found is None:
        found = cache[key] = _param_versions(rules, day)
    return found


def _param_versions(rules: Any, day: dt.date | None) -> tuple[tuple[str, int | None], ...]:
    out = []
    for law, pf in sorted(rules.params.items()):
        index = None
        if day is not None:
            for i, v in enumerate(pf.versions):
                starts = v.in_force_from is None or v.in_force_from <= day  # unknown start: applied, with a warning
                if starts and (v.in_force_until is None or day <= v.in_force_until):
                    index = i
                    break
        out.append((law, index))
    return tuple(out)


def params_on(rules: Any, day: dt.date) -> dict[str, Any]:
    """Params of rules/params/*.yaml in force on a day (``law_params`` of its versions), remembered per day in
    ``rules.cache``: every day with the same versions shares one dict (read only), so a review of drafts spread
    over years keeps one per combination of versions, not one per day (issue 31)."""
    key = ("law_params_on", day)
    found = rules.cache.get(key)
    if found is None:
        versions = param_versions(rules, day)
        shared = ("law_params", versions)
        found = rules.cache.get(shared)
        if found is None:
            found = rules.cache[shared] = law_params(rules, versions)
        rules.cache[key] = found
    return found


def law_params(rules: Any, versions: tuple[tuple[str, int | None], ...]) -> dict[str, Any]:
    """Params of rules/params/*.yaml for the given versions, as law.group.name keys."""
    out: dict[str, Any] = {}
    for law, index in versions:
        if index is None:
            continue
        version = rules.params[law].versions[index]
        out.update({f"{law}.{group}.{name}": value for group, values in version.params.items() for name, value in values.items()})
    return out


# the params compile_ruleset gives every rule of a kind besides rules/params (a penalty's and a filing's
# provision; an inspection item's 双随机 and 公示 articles, "" / a phrase where the item has none, and the
# article naming its targets, rules/subjects.yaml)
BASE_PARAMS: dict[str, frozenset[str]] = {
    "penalty": frozenset({"law_short", "article", "provision"}),
    "filing": frozenset({"law_short", "article", "provision"}),
    "inspection": frozenset({"random_source", "random_basis", "publish_source", "publish_basis", "subject_basis"}),
    "complaint": frozenset(),
}

# the names each for_each expansion binds (what _expansions returns), for the loader's param checks
EXPANSION_BINDINGS: dict[str | None, set[str]] = {
    None: set(),
    "measures_not_provided": {"measure", "key"},
    "measures_unlisted": {"measure", "key"},
    "measures_needing_approval": {"measure", "key", "approval_by", "measure_source"},
    "no_penalty_grounds": {"ground", "key", "ground_basis", "requires"},
    "kinds_not_provided": {"kind", "key"},
    "kinds_required": {"kind", "key", "unless", "none_imposed", "required_by", "penalty"},
    "kinds_required_when_gains": {"kind", "key", "required_by"},
    "kinds_required_one_of": {"kind", "key", "required_by", "none_imposed", "penalty"},
    "kinds_reserved": {"kind", "key", "to", "precondition", "missing_when"},
    "reserved_referrals": {"kind", "key", "to", "precondition", "missing_when"},
}


def _expansions(rule: CheckRule, rules: Any, item: str, version: ProvisionVersion | None) -> list[dict[str, Any]] | None:
    """Bindings for each copy of a for_each rule; None when the rule cannot apply (no version)."""
    if rule.for_each is None:
        return [{}]
    if rule.for_each in ("measures_not_provided", "measures_unlisted", "measures_needing_approval"):
        inspection = rules.inspections[item]
        measures = {m.name: m for m in rules.vocabulary.measures}
        allowed = {a.measure: a for a in inspection.measures}
        if rule.for_each in ("measures_not_provided", "measures_unlisted"):
            coercive = rule.for_each == "measures_not_provided"  # 行政强制措施 (行政强制法 第九条): an error; other steps a warning
            return [
                {"measure": m.name, "key": m.key}
                for m in measures.values()
                if m.name not in allowed and not m.record_only and m.coercive == coercive
            ]
        return [
            {"measure": a.measure, "key": measures[a.measure].key, "approval_by": a.approval_by, "measure_source": a.source}
            for a in allowed.values()
            if a.approval_by
        ]
    if rule.for_each == "no_penalty_grounds":
        return [
            {"ground": g.name, "key": g.key, "ground_basis": g.basis, "requires": g.requires} for g in rules.vocabulary.no_penalty_grounds
        ]
    if version is None or version.penalty is None:
        return None
    vocab = {k.kind: k for k in rules.vocabulary.sanctions}
    pen = version.penalty
    provided = {s.kind for s in pen.sanctions}
    reserved = [(group, kind) for group in pen.reserved for kind in group.kinds]
    if rule.for_each == "kinds_not_provided":
        # orders (第二十八条第一款: not penalties) and kinds every penalty item may use (没收违法所得,
        # 第二十八条第二款) are never "not provided"
        excluded = provided | {kind for _, kind in reserved}
        kinds = [k for k, v in vocab.items() if k not in excluded and v.general is None and v.penalty]
        return [{"kind": k, "key": vocab[k].key} for k in kinds]
    own_id = rules.items[item].provision
    own = rules.law_label(own_id)

    def none_imposed(kinds: list[str]) -> All:
        """No kind of the list is imposed, nor a kind that meets the requirement of one (``satisfies``)."""
        meeting = [k for k in vocab if k in kinds or any(t in kinds for t in vocab[k].satisfies)]
        return All(all=[Test(fact=f"imposed_{vocab[k].key}", eq=False) for k in meeting])

    if rule.for_each == "kinds_required":
        return [
            {
                "kind": s.kind,
                "key": vocab[s.kind].key,
                "unless": s.unless if s.unless is not None else False,
                "none_imposed": none_imposed([s.kind]),
                "required_by": own,
                "penalty": vocab[s.kind].penalty,
            }
            for s in pen.sanctions
            if s.required == "always"
        ]
    if rule.for_each == "kinds_required_when_gains":
        listed = [s.kind for s in pen.sanctions if s.required == "when_gains"]
        out = [{"kind": k, "key": vocab[k].key, "required_by": own} for k in listed]
        for k in vocab.values():  # general requirements (第二十八条第二款) hold whatever the provision lists
            if k.general and k.general.required == "when_gains" and k.kind not in listed:
                out.append({"kind": k.kind, "key": k.key, "required_by": k.general.basis})
        return out
    if rule.for_each == "kinds_required_one_of":
        groups: dict[str, list[str]] = {}
        for s in pen.sanctions:
            if s.required == "one_of" and s.group:
                groups.setdefault(s.group, []).append(s.kind)
        return [
            {
                "kind": "」或者「".join(kinds),
                "key": group,
                "required_by": own,
                "none_imposed": none_imposed(kinds),
                "penalty": any(vocab[k].penalty for k in kinds),  # an order only where every choice is one
            }
            for group, kinds in groups.items()
        ]
    return [
        {"kind": kind, "key": vocab[kind].key, "to": group.to, "precondition": group.precondition, "missing_when": group.missing_when}
        for group, kind in reserved
    ]


_STEP_WORDS = {
    "decision": "决定日",
    "filed": "立案日",
    "notice": "告知日",
    "hearing": "听证通知日",
    "served": "送达日",
    "submitted": "提交日",
    "performed": "检查日",
    "received": "收到投诉日",
}


def compile_ruleset(
    rules: Any,
    kind: str,
    item: str,
    provision_id: str | None,
    version_index: int | None,
    days: dict[str, dt.date | None],
) -> CompiledRuleset:
    """The ruleset for one item and provision version, each rule with the params in force on its step's day (cached).

    ``days`` maps step names (rules/checks: ``params_at`` of a file, ``at`` of a rule) to dates; a
    missing step takes the "decision" day. Rulesets are cached per combination of params versions.
    """
    decision = days.get("decision")
    by_day: dict[dt.date | None, tuple[tuple[str, int | None], ...]] = {}  # steps often share a day
    at = {
        step: by_day.get(d) or by_day.setdefault(d, param_versions(rules, d)) for step in _STEP_WORDS for d in [days.get(step) or decision]
    }
    key = (kind, item, provision_id, version_index, tuple(sorted(at.items())))
    cached = stored_get(rules.cache, key)
    if cached is not None:
        return cached
    version = rules.provisions[provision_id].versions[version_index] if provision_id and version_index is not None else None
    base = version_params(version)
    if provision_id:
        prov = rules.provisions[provision_id]
        base.update({"law_short": rules.laws[prov.law].short, "article": prov.article, "provision": rules.law_label(provision_id)})
    spec = rules.inspections.get(item) if kind == "inspection" else None
    if spec is not None:  # the item's own 双随机 and 公示 articles (rules/inspection/<JC-xx>.yaml), for messages and basis
        for what in ("random", "publish"):  # an item without one has none to cite (its rule cannot fire): no basis
            source = getattr(spec, f"{what}_source")
            base.update({f"{what}_source": source or "本事项依据未作规定", f"{what}_basis": spec.source_label(source) or ""})
        subjects = getattr(rules, "subjects", None)
        targets = subjects.items.get(item) if subjects else None
        base["subject_basis"] = rules.law_label(targets.roles[0].provision) if targets and targets.roles else ""
    by_time = {step: {**base, **law_params(rules, versions)} for step, versions in at.items()}
    params = by_time["decision"]
    definitions = rules.definitions.get(kind, {})
    definition: dict[str, Any] = {SENTINEL: {"all": [{"m": {"q_doc": 1}}]}}
    compiled: dict[str, CompiledRule] = {}
    skipped: list[RuleGap] = []
    gaps: list[str] = []
    rule_gaps: list[RuleGap] = []
    unparamed: dict[str, list[str]] = {}
    problems: list[Problem] = []
    for check_file in rules.checks:
        if check_file.kind != kind:
            continue
        for rule in check_file.rules:
            if rule.items is not None and item not in rule.items:
                continue
            step = rule.at or check_file.params_at
            file_params = by_time[step]
            missing = [n for n in rule.needs if not any(p.startswith(n + ".") for p in file_params)]
            unencoded = [n for n in missing if n.split(".")[0] in rules.params]  # a law's params group: not encoded then
            if unencoded:
                _unparamed(rules, rule, step, unencoded[0], rule_gaps, unparamed)
                continue
            if missing:
                needs = "、".join(_NEEDS.get(n, n) for n in missing)
                skipped.append(RuleGap(rule.id, rule.code, f"适用的条文版本没有规定{needs}，此项不适用", ", ".join(missing)))
                continue
            expansions = _expansions(rule, rules, item, version)
            if expansions is None:
                skipped.append(RuleGap(rule.id, rule.code, "没有适用的条文版本"))
                continue
            for bindings in expansions:
                name = rule.id + (f"__{bindings['key']}" if "key" in bindings else "")
                try:
                    cond = resolve(rule.when, file_params, bindings, definitions)
                except MissingParam as exc:
                    if str(exc.args[0]).split(".")[0] in rules.params:
                        _unparamed(rules, rule, step, str(exc.args[0]), rule_gaps, unparamed)
                        break
                    problems.append(Problem(check_file.family, rule.id, f"参数 {exc.args[0]} 未定义 (needs 未声明)"))
                    break
                if cond is False:
                    skipped.append(RuleGap(name, rule.code, "按适用的法定参数，条件不可能成立", impossible=True))
                    continue
                definition[name] = {"all": [{"m": {"$and": [{"q_doc": 1}, to_durable(cond)]}}]}
                compiled[name] = CompiledRule(name, rule, bindings, cond, file_params)
    if problems:
        raise RuleError(problems)
    used_laws = {p.split(".")[0] for r in compiled.values() for p in _params_in(r.rule.when, definitions)}
    for law, i in sorted({pair for versions in at.values() for pair in versions}, key=str):
        if i is not None and law in used_laws and rules.params[law].versions[i].in_force_from is None:
            gaps.append(f"《{rules.laws[law].short}》相关参数的施行日期不详，按现行版本适用")
    if version is not None and not version.verified and provision_id:
        gaps.append(f"适用的{rules.law_label(provision_id)}文本（{version.in_force_from or '施行日期不详'} 起）未与法规原文核对")
    name = _name(rules, key, f"{kind}:{item}:v{version_index}")
    result = CompiledRuleset(name, definition, compiled, params, skipped, gaps, rule_gaps=rule_gaps, unparamed=unparamed, kind=kind)
    result.engine_form()
    result.fact_index()
    rules.cache[key] = result
    return result


def _unparamed(rules: Any, rule: Any, step: str, param: str, rule_gaps: list[RuleGap], unparamed: dict[str, list[str]]) -> None:
    """Record a rule not checked because its law has no params version encoded for the step's day."""
    law = param.split(".")[0]
    title = rules.laws[law].short if law in rules.laws else law
    rule_gaps.append(RuleGap(rule.id, rule.code, f"{_STEP_WORDS[step]}没有已编码的《{title}》参数版本，未检查", param))
    codes = unparamed.setdefault(law, [])
    if rule.code not in codes and rules.findings[rule.code].severity != "info":
        codes.append(rule.code)


def compile_grounds(rules: Any, day: dt.date) -> CompiledRuleset:
    """The ruleset telling which 不予处罚 grounds (rules/vocabulary.yaml) the facts make out, one rule per ground.

    Evaluated before the checks, so that the checks test one fact per ground (``ground_<key>``) instead
    of negating the grounds' conditions: the negation of several conjunctions is a product of
    disjunctions, and durable-rules fires a rule once per matching combination of them. A ground whose
    params are not encoded for the day is ``unknown`` (counted as made out, so no error rests on it).
    """
    versions = param_versions(rules, day)
    key = ("grounds", versions)
    cached = stored_get(rules.cache, key)
    if cached is not None:
        return cached
    params = law_params(rules, versions)
    definitions = rules.definitions.get("penalty", {})
    definition: dict[str, Any] = {SENTINEL: {"all": [{"m": {"q_doc": 1}}]}}
    compiled: dict[str, CompiledRule] = {}
    gaps: list[str] = []
    unknown: list[str] = []
    for g in rules.vocabulary.no_penalty_grounds:
        try:
            cond = resolve(g.holds_when, params, {}, definitions)
        except MissingParam:
            unknown.append(g.key)
            gaps.append(f"不予处罚情形“{g.name}”：决定日没有已编码的参数，无法判断，不据此认定应罚未罚")
            continue
        if cond is False:
            continue
        name = f"ground__{g.key}"
        definition[name] = {"all": [{"m": {"$and": [{"q_doc": 1}, to_durable(cond)]}}]}
        compiled[name] = CompiledRule(name, _GROUND_RULE, {"key": g.key}, cond, params)
    result = CompiledRuleset(_name(rules, key, "grounds"), definition, compiled, params, [], gaps, unknown=unknown, kind="grounds")
    result.engine_form()
    result.fact_index()
    rules.cache[key] = result
    return result


# constructed, not validated: validating would build CheckRule's validator (~30 ms) on every start;
# equal to CheckRule.model_validate({"id": "ground", "code": "GROUND", "when": {"fact": "q_doc", "eq": 1},
# "message": "-", "basis": ["-"]}) (tests/test_perf_equivalence.py)
_GROUND_RULE = CheckRule.model_construct(
    id="ground", code="GROUND", when=Test.model_construct(fact="q_doc", eq=1), message="-", basis=["-"]
)


def _params_in(cond: Any, definitions: dict[str, Any] | None = None) -> list[str]:
    """Param names a (template) condition refers to, through ``ref`` when definitions are given (conditions.params_in)."""
    return params_in(cond, definitions)
