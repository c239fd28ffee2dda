"""Issue 24: no false 追责, no silent pass (approvals by post, coexisting labels, routine steps, party types,
referrals, unknown holidays) and no unfilled {placeholder} in what officers read."""

import json

from conftest import CASES
from quanze.engine import api
from quanze.engine.batch.cases import find_cases, read_expectation
from quanze.engine.check.checker import _format, _labels

VALID = [p for p in find_cases(CASES) if read_expectation(p).input_error is None]


def _compiled(rules, name):
    return next(v for v in rules.cache.values() if getattr(v, "name", None) == name)


def test_every_rule_message_and_basis_is_filled_over_every_sample_case(rules):
    """Every compiled rule's message and basis (fired or not) formatted with each sample case's facts and
    params, and the whole explained result, hold no “{”: a placeholder nothing fills would reach officers."""
    assert len(VALID) > 200
    for path in VALID:
        result = api.check_file(path, rules)
        facts = result.explanation["facts"]
        compiled = _compiled(rules, result.explanation["ruleset"])
        for name, c in compiled.rules.items():
            context = {**facts, **c.params, **{k: v for k, v in c.bindings.items() if isinstance(v, str)}}
            message = _format(c.rule.message, context)
            assert "{" not in message, (path.name, name, message)
            for label in c.rule.basis:
                assert all("{" not in part for part in _labels(label, c)), (path.name, name, label)
        shown = api.result_json(result, explain=True, rules=rules)
        for key in ("findings", "reasoning"):
            text = json.dumps(shown.get(key), ensure_ascii=False)
            assert "{random" not in text and "{publish" not in text and "_basis}" not in text, (path.name, key)
            for finding in shown["findings"]:
                assert "{" not in finding["message"] and all("{" not in b for b in finding["basis"]), (path.name, finding)
