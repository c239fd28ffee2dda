"""Self-test of every ruleset a rules folder compiles to, in durable-rules itself (``rules validate``).

durable-rules fails some rulesets only when a document is asserted (error 303: too many range tests
matching one document; 302: too many properties), and compares mismatched types as text. For every
item, provision version and params version, each compiled rule gets a document built to satisfy it
(every other fact at a neutral value); durable-rules must accept each document and fire exactly the
rules the plain evaluator says hold.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from quanze.engine.lang import evaluate
from quanze.engine.lang.compile import _STEP_WORDS, CompiledRuleset, _params_in, compile_ruleset, param_versions
from quanze.engine.lang.conditions import evaluate as holds
from quanze.engine.lang.limits import ruleset_problem
from quanze.engine.model import facts as fact_catalogue
from quanze.engine.model.errors import Problem, RuleError
from quanze.engine.model.schema import All, Any_, Test

_NEUTRAL = {bool: False, int: 0, float: 0.0, str: ""}


def _satisfy(cond: Any, doc: dict[str, Any]) -> None:
    """Set facts so that a resolved condition holds (first branch of an any; best effort on conflicts)."""
    if isinstance(cond, All):
        for c in cond.all:
            _satisfy(c, doc)
    elif isinstance(cond, Any_):
        _satisfy(cond.any[0], doc)
    elif isinstance(cond, Test):
        value, op = cond.value, cond.op
        if op == "eq":
            doc[cond.fact] = value
        elif op == "in_":
            doc[cond.fact] = value[0]  # type: ignore[index]
        elif op in ("gt", "lt"):
            step = 1 if isinstance(value, int) else 0.5
            doc[cond.fact] = value + step if op == "gt" else value - step  # type: ignore[operator]
        elif op in ("gte", "lte"):
            doc[cond.fact] = value
        else:  # ne, not_in: anything else of the same type
            avoid = value if isinstance(value, list) else [value]
            current = doc.get(cond.fact)
            if current in avoid:
                doc[cond.fact] = _other(current, avoid)


def _other(value: Any, avoid: list[Any]) -> Any:
    if isinstance(value, bool):
        return not value
    if isinstance(value, (int, float)):
        return max(avoid) + 1  # type: ignore[type-var]
    return "".join(str(a) for a in avoid) + "_"


def _days(rules: Any, kind: str) -> list[dt.date]:
    """One day for each combination of the params versions a kind's rules use (each period, and before the first)."""
    laws = {
        p.split(".")[0]
        for cf in rules.checks
        if cf.kind == kind
        for cond in [*cf.definitions.values(), *(r.when for r in cf.rules)]
        for p in _params_in(cond, rules.definitions.get(kind, {}))
    }
    days: set[dt.date] = {dt.date.today()}
    for start, end in [(v.in_force_from, v.in_force_until) for law in laws & set(rules.params) for v in rules.params[law].versions]:
        for day in (start, end):
            if day is not None:
                days |= {day, day - dt.timedelta(days=1), day + dt.timedelta(days=1)}
    distinct = {tuple(p for p in param_versions(rules, day) if p[0] in laws): day for day in sorted(days)}
    return sorted(distinct.values())


def _line_of_rule(root: Path, rule_id: str) -> tuple[str, str]:
    """The check file and line that define a rule id."""
    for path in sorted((root / "checks").glob("*.yaml")):
        if not path.is_file():  # a FIFO is never opened (the loader reports it)
            continue
        for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip().removeprefix("- ").strip() == f"id: {rule_id}":
                return f"{root.name}/checks/{path.name}", f"第 {no} 行"
    return f"{root.name}/checks", ""


def rulesets(rules: Any) -> list[tuple[str, CompiledRuleset]]:
    """Every distinct ruleset the rules compile to: per item, provision version and params versions."""
    out: dict[str, tuple[str, CompiledRuleset]] = {}
    days = {kind: _days(rules, kind) for kind in {eng.kind for eng in rules.items.values()}}
    for iid, eng in rules.items.items():
        provision = eng.provision if eng.kind == "penalty" else rules.filings[iid].basis if eng.kind == "filing" else None
        indexes = range(len(rules.provisions[provision].versions)) if provision in rules.provisions else [None]
        for index in indexes:
            for day in days[eng.kind]:
                compiled = compile_ruleset(rules, eng.kind, iid, provision, index, dict.fromkeys(_STEP_WORDS, day))
                out.setdefault(compiled.name, (iid, compiled))
    return list(out.values())


def self_test(rules: Any) -> list[Problem]:
    """Problems durable-rules would raise, or disagreements with the plain evaluator, on every ruleset."""
    problems: list[Problem] = []
    seen: set[str] = set()
    try:
        compiled_sets = rulesets(rules)
    except RuleError as exc:
        return list(exc.problems)
    for iid, compiled in compiled_sets:
        too_big = ruleset_problem(compiled.definition)
        if too_big:  # never handed to durable-rules: it would hang or crash (engine/lang/limits.py)
            message = f"事项 {iid} 的{too_big}"
            if message not in seen:
                seen.add(message)
                problems.append(Problem(f"{rules.root.name}/items.yaml", "", message))
            continue
        kind = rules.items[iid].kind
        base = {name: _NEUTRAL[t] for name, t in fact_catalogue.fact_types(kind, rules).items()}
        documents = []
        for c in compiled.rules.values():
            doc = dict(base)
            _satisfy(c.condition, doc)
            documents.append(doc)
        for doc, fired in evaluate.self_test(compiled, documents):
            if isinstance(fired, str):
                message = f"事项 {iid} 的规则集在 durable-rules 中自检失败：{fired}（错误 303：同一文档满足的范围比较过多；302：属性过多）"
                if message not in seen:
                    seen.add(message)
                    problems.append(Problem(f"{rules.root.name}/items.yaml", "", message))
                continue
            expected = [n for n, c in compiled.rules.items() if holds(c.condition, doc)]
            for name in sorted(set(fired) ^ set(expected)):
                rule = compiled.rules[name].rule
                message = (
                    f"规则 {name}：durable-rules {'触发' if name in fired else '未触发'}，逐条计算为"
                    f"{'成立' if name in expected else '不成立'}（事项 {iid}；检查值的类型或数字写法）"
                )
                if message not in seen:
                    seen.add(message)
                    problems.append(Problem(*_line_of_rule(rules.root, rule.id), message))
    return problems
