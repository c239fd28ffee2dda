"""What a rules folder may ask of durable-rules 2.0.28: every limit in one place, with the figure measured.

Measured on this machine class with the C extension driven as ``engine/lang/evaluate.py`` drives it
(``python benchmarks/bench_durable_limits.py``; figures in the comments). Each cap sits below the measured failure and
well above what the shipped rules use (largest shipped ruleset: 93 rules, 171 distinct tests).
``rules validate`` — and so ``check``, ``serve`` and every door that loads a folder — refuses a folder
past any of them, naming the file and the field.
"""

from __future__ import annotations

import json
from typing import Any

MAX_DOCUMENT_PROPERTIES = 254  # 255 properties and more fail with error 302 (measured)
MAX_RANGE_TESTS = 60  # more than 64 range tests matching one document fail with error 303 (measured)

# 511 distinct equality tests in one ruleset build in 0.06 s; 512 never return (create_ruleset spins:
# > 150 s seen through `rules validate` with an `in:` list of 700 values, 100 s timeout at 550)
MAX_DISTINCT_TESTS = 400  # distinct comparisons in one compiled ruleset (an `in:` list counts each value)
MAX_IN_VALUES = 200  # values of one `in` / `not_in` list (shipped: at most 3)

# rules sharing one condition (+ the sentinel): 150–255 always worked; from 256 a segfault (rc 139) or
# "Could not create ruleset, error code: 108" in some runs (it moves with the ruleset's names); 300: always 108
# (the exit 3 of issue #18)
MAX_RULES_PER_RULESET = 200  # compiled rules of one item and version, for_each copies included

# durable-rules reads numbers as C doubles: exact up to 15 significant digits; 1e+20 does not parse
MAX_NUMBER = 10**15  # absolute value of any number a rule compares or a params file defines


def ruleset_size(definition: dict[str, Any]) -> tuple[int, int]:
    """(rules, distinct comparisons) of a durable-rules ruleset definition, the sentinel included."""
    tests: set[str] = set()

    def leaves(node: Any) -> None:
        if isinstance(node, dict) and len(node) == 1 and next(iter(node)) in ("$and", "$or"):
            for sub in next(iter(node.values())):
                leaves(sub)
        else:
            tests.add(json.dumps(node, sort_keys=True, ensure_ascii=False))

    for rule in definition.values():
        for part in rule.get("all", []):
            leaves(part.get("m"))
    return len(definition), len(tests)


def ruleset_problem(definition: dict[str, Any]) -> str | None:
    """Why durable-rules would hang or crash on a ruleset definition (size), or None."""
    rules, tests = ruleset_size(definition)
    if rules > MAX_RULES_PER_RULESET:
        return (
            f"规则集有 {rules} 条规则，超过上限 {MAX_RULES_PER_RULESET}（durable-rules 实测：256 条起崩溃或报错 108）；"
            "请用 items: 限定规则适用的事项或合并规则"
        )
    if tests > MAX_DISTINCT_TESTS:
        return (
            f"规则集有 {tests} 个不同的比较，超过上限 {MAX_DISTINCT_TESTS}（durable-rules 实测：512 个起建立规则集不再返回）；"
            "请缩短 in 列表或合并条件"
        )
    return None
