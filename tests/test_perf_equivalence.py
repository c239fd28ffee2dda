"""The shortcuts taken for speed give the same results as the plain way (no timing here: see benchmarks/)."""

from __future__ import annotations

from quanze.engine.lang import evaluate
from quanze.engine.lang.compile import _GROUND_RULE, SENTINEL, CompiledRuleset
from quanze.engine.model.schema import CheckRule


def test_constructed_ground_rule_equals_the_validated_one():
    validated = CheckRule.model_validate(
        {"id": "ground", "code": "GROUND", "when": {"fact": "q_doc", "eq": 1}, "message": "-", "basis": ["-"]}
    )
    assert validated == _GROUND_RULE
    assert _GROUND_RULE.model_fields_set == validated.model_fields_set
    assert _GROUND_RULE.when.model_fields_set == validated.when.model_fields_set
    assert (_GROUND_RULE.when.op, _GROUND_RULE.when.value) == (validated.when.op, validated.when.value)


def _ruleset(name: str) -> CompiledRuleset:
    definition = {
        SENTINEL: {"all": [{"m": {"q_doc": 1}}]},
        "big": {"all": [{"m": {"$and": [{"q_doc": 1}, {"$gt": {"amount": 10}}]}}]},
        "named": {"all": [{"m": {"$and": [{"q_doc": 1}, {"who": "张三"}]}}]},
    }
    return CompiledRuleset(name, definition, {}, {})


def test_facts_a_ruleset_never_names_do_not_change_what_fires():
    ruleset = _ruleset("perf_equivalence_test")
    base = {"amount": 11, "who": "张三"}
    noise = {f"other_{i}": i for i in range(200)} | {"text": "长" * 5000, "amounts": [1, 2]}
    assert evaluate.fired_rules(ruleset, base) == ["big", "named"]
    assert evaluate.fired_rules(ruleset, base | noise) == ["big", "named"]
    assert evaluate.fired_rules(ruleset, {"amount": 5} | noise) == []


def test_fired_rule_names_are_read_exactly():
    assert evaluate._fired_name('{"a\\"b": {"x": 1}}') == 'a"b'
    assert evaluate._fired_name('{"规则_1": {}}') == "规则_1"


def test_withholding_skips_only_rules_that_test_no_unknown_fact(rules):
    """check._withhold_unknown keeps a rule untested against the unknown facts when its condition names none of
    them: for such a rule the three-valued reading is never "unknown" and equals the plain one (every sample draft)."""
    from helpers import CASES
    from quanze.engine.batch.cases import find_cases
    from quanze.engine.check.checker import check
    from quanze.engine.lang.conditions import evaluate as truth
    from quanze.engine.lang.conditions import evaluate_known, facts_in
    from quanze.engine.model.drafts import read_draft

    seen = []

    def spy(compiled, facts):
        seen.append((compiled, facts))
        return evaluate.fired_rules(compiled, facts)

    for path in find_cases(CASES):
        if "invalid" not in path.parts:
            check(read_draft(path), rules, str(path), evaluator=spy)
    assert seen
    for compiled, facts in seen:
        for c in compiled.rules.values():
            tested = set(facts_in(c.condition))
            others = set(facts) - tested | {"not_a_fact_of_this_rule"}
            assert evaluate_known(c.condition, facts, others) is truth(c.condition, facts)


# --- the caches and shortcuts of issue 31 -----------------------------------------------------------


def test_a_compiled_ruleset_read_from_the_cache_equals_the_one_compiled(tmp_path, monkeypatch, rules_copy):
    """Every ruleset the self-test compiles, stored and read back (engine/load/rulecache.py), has the same definition,
    rules, params and gaps as compiled in the process; only its name (of its content) differs."""
    import dataclasses

    from quanze.engine.load import loader, rulecache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(loader, "MEMO_SIZE", 0)
    fresh = loader.load_rules(rules_copy)
    store = rulecache.CompiledStore(fresh.cache.folder, fresh.cache.key)
    compiled = {k: v for k, v in dict(fresh.cache).items() if rulecache.CompiledStore._compiled(k)}
    assert compiled
    for k, v in compiled.items():
        got = store.get(k)
        assert got is not None and got.name != v.name
        assert dataclasses.replace(got, name=v.name) == v, k


def test_the_rules_cache_holds_the_same_content_as_the_files(tmp_path, monkeypatch, rules_copy):
    from quanze.engine.load import loader

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(loader, "MEMO_SIZE", 0)
    fresh, cached = loader.load_rules(rules_copy), loader.load_rules(rules_copy)
    assert cached.from_cache and not fresh.from_cache
    for name in loader._STORED:
        assert getattr(cached, name) == getattr(fresh, name), name


def test_a_read_buffer_the_drafts_size_reads_every_byte(tmp_path):
    from quanze.engine.model.drafts import MAX_DRAFT_BYTES, read_bounded

    for size in (0, 1, 4095, 4096, 65537, MAX_DRAFT_BYTES):
        path = tmp_path / f"{size}.yaml"
        data = bytes(i % 251 for i in range(size))
        path.write_bytes(data)
        assert read_bounded(path, "x") == data


def test_cached_page_texts_equal_the_plain_ones():
    from quanze.engine.model.text import shown, zh
    from quanze.engine.present.report import _e, _text

    for text in ["张三, 李四", "罚款(五万元)", 'a "引号" b', "x\u202ey", "第 3 行: 错误", "<script>"]:
        for _ in range(2):  # the second time from the cache
            assert _text(text) == zh(shown(text, "\n"))
            assert _e(text) == __import__("html").escape(zh(shown(text, "\n")))
