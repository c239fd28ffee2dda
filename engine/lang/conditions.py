"""The condition language of ``rules/``: substitute params and templates, emit durable-rules JSON.

``evaluate`` is a plain-Python reading of the same conditions: the benchmark's baseline and the
test oracle that durable-rules must agree with. It is never used to produce findings;
``evaluate_known`` only withholds a finding that depends on a section the draft left out.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator
from collections.abc import Set as AbstractSet
from typing import Any, NamedTuple

from quanze.engine.model.schema import All, Any_, Bound, Condition, Not, Param, Ref, Splice, Test

_DURABLE_OPS = {"ne": "$neq", "gt": "$gt", "gte": "$gte", "lt": "$lt", "lte": "$lte"}


class MissingParam(KeyError):
    """A condition names a param the applicable version does not define."""


def resolve(
    cond: Any, params: dict[str, Any], bindings: dict[str, Any] | None = None, definitions: dict[str, Any] | None = None
) -> Condition | bool:
    """A condition with params replaced by values, {key} filled, splices and refs inserted.

    ``bound`` tests are decided here, and the result is folded: True or False when the whole
    condition no longer depends on the facts.
    """
    bindings = bindings or {}
    definitions = definitions or {}
    if isinstance(cond, bool):  # a splice bound to a constant (e.g. no `unless`)
        return cond
    if isinstance(cond, Not):
        return negate(resolve(cond.not_, params, bindings, definitions))
    if isinstance(cond, Bound):
        return cond.holds(bindings)
    if isinstance(cond, All):
        return _fold([resolve(c, params, bindings, definitions) for c in cond.all], False, lambda ps: All.model_construct(all=ps))
    if isinstance(cond, Any_):
        return _fold([resolve(c, params, bindings, definitions) for c in cond.any], True, lambda ps: Any_.model_construct(any=ps))
    if isinstance(cond, Splice):
        return resolve(bindings[cond.splice], params, bindings, definitions)
    if isinstance(cond, Ref):
        return resolve(definitions[cond.ref], params, bindings, definitions)
    assert isinstance(cond, Test)
    value = cond.value
    if isinstance(value, Param):
        if value.param in params:
            value = params[value.param]
        elif value.param in bindings:  # a for_each binding, e.g. approval_by
            value = bindings[value.param]
        else:
            raise MissingParam(value.param)
    fact = cond.fact.format(**bindings) if "{" in cond.fact else cond.fact
    # parts already validated with the rules: constructed, not re-validated (no schema build on a cold start)
    return Test.model_construct(fact=fact, **{cond.op: value})


_NEGATED = {"eq": "ne", "ne": "eq", "gt": "lte", "gte": "lt", "lt": "gte", "lte": "gt", "in_": "not_in", "not_in": "in"}


def negate(cond: Condition | bool) -> Condition | bool:
    """The negation of a resolved condition (De Morgan; each comparison flipped)."""
    if isinstance(cond, bool):
        return not cond
    if isinstance(cond, All):
        return Any_(any=[negate(c) for c in cond.all])  # type: ignore[misc]
    if isinstance(cond, Any_):
        return All(all=[negate(c) for c in cond.any])  # type: ignore[misc]
    assert isinstance(cond, Test)
    return Test.model_validate({"fact": cond.fact, _NEGATED[cond.op]: cond.value})


def _fold(parts: list[Any], decisive: bool, build: Any) -> Any:
    """Fold the constants out of an all (decisive False) or an any (decisive True)."""
    if any(p is decisive for p in parts):
        return decisive
    parts = [p for p in parts if p is not (not decisive)]
    if not parts:
        return not decisive
    return parts[0] if len(parts) == 1 else build(parts)


def to_durable(cond: Condition | bool) -> dict[str, Any]:
    """durable-rules JSON for a resolved condition (the body of an ``m`` test)."""
    if cond is True:
        return {"q_doc": 1}  # every check document carries the marker
    if isinstance(cond, All):
        return {"$and": [to_durable(c) for c in cond.all]}
    if isinstance(cond, Any_):
        return {"$or": [to_durable(c) for c in cond.any]}
    op, value = cond.op, cond.value
    if op == "eq":
        return {cond.fact: value}
    if op == "in_":
        return {"$or": [{cond.fact: v} for v in value]}  # type: ignore[union-attr]
    if op == "not_in":
        return {"$and": [{"$neq": {cond.fact: v}} for v in value]}  # type: ignore[union-attr]
    return {_DURABLE_OPS[op]: {cond.fact: value}}


def evaluate(cond: Condition | bool, facts: dict[str, Any]) -> bool:
    """Plain-Python truth of a resolved condition on a facts dict (baseline and oracle only)."""
    if isinstance(cond, bool):
        return cond
    if isinstance(cond, All):
        return all(evaluate(c, facts) for c in cond.all)
    if isinstance(cond, Any_):
        return any(evaluate(c, facts) for c in cond.any)
    have, value = facts.get(cond.fact), cond.value
    op = cond.op
    if op == "eq":
        return (have == value and type(have) is type(value)) or _num_eq(have, value)
    if op == "ne":
        return not ((have == value and type(have) is type(value)) or _num_eq(have, value))
    if op == "in_":
        return any(have == v and (type(have) is type(v) or _num_eq(have, v)) for v in value)  # type: ignore[union-attr]
    if op == "not_in":
        return not any(have == v and (type(have) is type(v) or _num_eq(have, v)) for v in value)  # type: ignore[union-attr]
    if not isinstance(have, (int, float)) or isinstance(have, bool):
        return False
    return {"gt": have > value, "gte": have >= value, "lt": have < value, "lte": have <= value}[op]  # type: ignore[operator]


def _num_eq(a: Any, b: Any) -> bool:
    nums = (int, float)
    return isinstance(a, nums) and isinstance(b, nums) and not isinstance(a, bool) and not isinstance(b, bool) and a == b


def evaluate_known(cond: Condition | bool, facts: dict[str, Any], unknown: AbstractSet[str]) -> bool | None:
    """Three-valued truth of a resolved condition when some facts are unknown (a section the draft
    leaves out): True or False when the answer holds whatever the unknown facts are, None otherwise.
    One reading: ``known_reader`` of the condition, applied once."""
    return known_reader(cond)(facts, unknown)


Reader = Callable[[dict[str, Any], AbstractSet[str]], "bool | None"]


def known_reader(cond: Condition | bool) -> Reader:
    """The three-valued reading of one resolved condition as a function of (facts, unknown), its tree walked once
    here and not on every draft (the checker keeps one per rule of a compiled ruleset): False decides an all, True
    an any, and a test of an unknown fact is None."""
    if isinstance(cond, bool):
        return lambda facts, unknown: cond
    if isinstance(cond, (All, Any_)):
        parts = [known_reader(c) for c in (cond.all if isinstance(cond, All) else cond.any)]
        decisive = not isinstance(cond, All)  # False decides an all, True an any

        def either(facts: dict[str, Any], unknown: AbstractSet[str]) -> bool | None:
            result: bool | None = not decisive
            for part in parts:
                value = part(facts, unknown)
                if value is decisive:
                    return decisive
                if value is None:
                    result = None
            return result

        return either
    if not isinstance(cond, Test):  # never in a resolved condition: the plain reading of its fact
        return lambda facts, unknown: None if cond.fact in unknown else evaluate(cond, facts)
    fact, holds = cond.fact, _test(cond)
    return lambda facts, unknown: None if fact in unknown else holds(facts.get(fact))


def _test(cond: Test) -> Callable[[Any], bool]:
    """The comparison of one test as a function of the fact's value, as ``evaluate`` makes it."""
    op, value = cond.op, cond.value
    if op in ("eq", "ne"):
        kind = type(value)

        def same(have: Any) -> bool:
            return (have == value and type(have) is kind) or _num_eq(have, value)

        return same if op == "eq" else lambda have: not same(have)
    if op in ("in_", "not_in"):

        def inside(have: Any) -> bool:
            return any(have == v and (type(have) is type(v) or _num_eq(have, v)) for v in value)  # type: ignore[union-attr]

        return inside if op == "in_" else lambda have: not inside(have)
    compare = _ORDER[op]
    return lambda have: isinstance(have, (int, float)) and not isinstance(have, bool) and compare(have, value)


_ORDER = {"gt": operator.gt, "gte": operator.ge, "lt": operator.lt, "lte": operator.le}


class Node(NamedTuple):
    """One node of a condition tree: where it is, the node, the named definitions passed through to reach it."""

    loc: tuple
    cond: Any
    via: tuple[str, ...]


def walk(cond: Any, definitions: dict[str, Any] | None = None, loc: tuple = (), via: tuple[str, ...] = ()) -> Iterator[Node]:
    """Every node of a condition (template or resolved), depth first, each before its parts.

    With ``definitions``, a ``ref`` is followed into its named condition (located at
    ``("definitions", name)``) after the ``ref`` node itself; a name already on the path, or not
    defined, is not followed (cycle protection). Without, a ``ref`` is a leaf. Splices are leaves
    (their bindings exist only at compile time).
    """
    yield Node(loc, cond, via)
    if isinstance(cond, All):
        for i, c in enumerate(cond.all):
            yield from walk(c, definitions, loc + ("all", i), via)
    elif isinstance(cond, Any_):
        for i, c in enumerate(cond.any):
            yield from walk(c, definitions, loc + ("any", i), via)
    elif isinstance(cond, Not):
        yield from walk(cond.not_, definitions, loc + ("not",), via)
    elif isinstance(cond, Ref) and definitions is not None and cond.ref in definitions and cond.ref not in via:
        yield from walk(definitions[cond.ref], definitions, ("definitions", cond.ref), via + (cond.ref,))


def tests_in(cond: Any, definitions: dict[str, Any] | None = None) -> Iterator[Test]:
    """Every comparison of a condition, through ``ref`` when definitions are given."""
    return (n.cond for n in walk(cond, definitions) if isinstance(n.cond, Test))


def facts_in(cond: Condition | bool, definitions: dict[str, Any] | None = None) -> list[str]:
    """Names of the facts a condition tests, each once, in order (templated names ``{key}`` left out)."""
    return list(dict.fromkeys(t.fact for t in tests_in(cond, definitions) if "{" not in t.fact))


def params_in(cond: Any, definitions: dict[str, Any] | None = None) -> list[str]:
    """Param names a (template) condition compares with, in order, repeats kept; through ``ref`` when definitions are given."""
    return [t.value.param for t in tests_in(cond, definitions) if isinstance(t.value, Param)]


def holds(cond: Any, facts: dict[str, Any], params: dict[str, Any], definitions: dict[str, Any]) -> bool:
    """Plain-Python truth of a template condition outside a ruleset (a recommended-tier row: advice, no
    finding rests on it): resolved first (refs, params, negations), then evaluated; False when it names
    a param the day's versions do not define."""
    try:
        return evaluate(resolve(cond, params, {}, definitions), facts)
    except MissingParam:
        return False
