"""The shortcuts taken for speed give the same results as the plain way (no timing here: see benchmarks/)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
    from quanze.engine.lang.conditions import evaluate as truth
    from quanze.engine.lang.conditions import evaluate_known, facts_in

    seen = _sample_readings(rules)
    assert seen
    for compiled, facts in seen:
        for c in compiled.rules.values():
            tested = set(facts_in(c.condition))
            others = set(facts) - tested | {"not_a_fact_of_this_rule"}
            assert evaluate_known(c.condition, facts, others) is truth(c.condition, facts)


# --- the caches and shortcuts of issue 31 -----------------------------------------------------------


def test_a_compiled_ruleset_read_from_the_cache_equals_the_one_compiled(tmp_path, monkeypatch, rules_copy):
    """Every ruleset the self-test compiles, stored and read back (engine/load/rulecache.py), has the same definition,
    rules, params, gaps and name as compiled in the process, and keeps the engine form and the fact index made with it."""

    from quanze.engine.lang.conditions import facts_in
    from quanze.engine.load import loader, rulecache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(loader, "MEMO_SIZE", 0)
    fresh = loader.load_rules(rules_copy)
    store = rulecache.CompiledStore(fresh.cache.folder, fresh.cache.key)
    compiled = {k: v for k, v in dict(fresh.cache).items() if rulecache.CompiledStore._compiled(k)}
    assert compiled
    for k, v in compiled.items():
        got = store.stored(k)
        assert got is not None and got.name == v.name  # of its key: explain names it the same, read or compiled
        assert got == v, k
        assert got.engine is not None and got.engine == v.engine_form(), k  # kept with it, not made again
        assert got.facts is not None and got.facts == v.fact_index(), k
        walked = {name: frozenset(facts_in(c.condition)) for name, c in v.rules.items()}  # the plain walk
        assert got.facts.tested == walked and list(got.facts.order) == list(v.rules), k
        assert all(name in got.facts.testing[fact] for name, facts in walked.items() for fact in facts), k


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


def test_a_draft_read_without_the_utf8_sig_codec_is_the_text_it_gives(tmp_path):
    """read_draft decodes UTF-8 and drops one leading BOM: what bytes.decode("utf-8-sig") gives, errors alike."""
    from quanze.engine.model.drafts import read_bounded, read_draft
    from quanze.engine.model.errors import InputError

    drafts = (Path(__file__).parent.parent / "cases" / "penalty").rglob("*.yaml")
    text = next(p for p in sorted(drafts) if not p.name.endswith(".expect.yaml")).read_text(encoding="utf-8")
    for name, data in (("plain", text), ("bom", "\ufeff" + text), ("two", "\ufeff\ufeff" + text)):
        path = tmp_path / f"{name}.yaml"
        path.write_bytes(data.encode("utf-8"))
        assert read_bounded(path, "x").decode("utf-8").removeprefix("\ufeff") == path.read_bytes().decode("utf-8-sig")
    assert read_draft(tmp_path / "bom.yaml") == read_draft(tmp_path / "plain.yaml")
    (tmp_path / "bad.yaml").write_bytes(b"\xef\xbb\xbfkind: \xff")
    with pytest.raises(InputError, match="不是 UTF-8 编码的文本"):
        read_draft(tmp_path / "bad.yaml")


def test_cached_page_texts_equal_the_plain_ones():
    from quanze.engine.model.text import shown, zh
    from quanze.engine.present.report import _e, _text

    for text in ["张三, 李四", "罚款(五万元)", 'a "引号" b', "x\u202ey", "第 3 行: 错误", "<script>"]:
        for _ in range(2):  # the second time from the cache
            assert _text(text) == zh(shown(text, "\n"))
            assert _e(text) == __import__("html").escape(zh(shown(text, "\n")))


def _loaded(text: str, lines: bool) -> tuple[str, object]:
    from quanze.engine.model.yamlio import YamlProblem, load_yaml

    try:
        return "ok", load_yaml(text, lines=lines)
    except YamlProblem as exc:
        return "problem", (exc.line, exc.reason)


_ODD_YAML = [
    "",
    "a: 1\nb: [x, 2, 3.5, true, null, ~, no, 070000, 0x10, 1:30, 2026-01-01]\n",
    "a: 1\na: 2\n",  # duplicate key: the same problem and line
    "1: a\ntrue: b\n",  # keys equal in Python
    "? [a, b]\n: c\n",  # complex key
    "a: !!str [x]\n",  # a tag on the wrong node
    "a: !!python/object:os.system x\n",
    "base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n",  # anchors and merges: PyYAML's own constructor
    "a:\n  <<: {x: 1}\n",
    "a: !!int '12'\nb: !!float '1.5'\nc: !!binary aGk=\n",
    "a: " + "9" * 5000 + "\n",  # an integer Python refuses
    "a: .nan\nb: .inf\nc: -.inf\n",
    "- [[[[[[]]]]]]\n- {a: {b: {c: {}}}}\n",
    "a: 'x'\n'a': y\n",
    "=: 1\n",
    # built plain without tags (no ! and no & in the text): every scalar style and resolver's first character
    "a: '12'\nb: \"true\"\nc: |\n  12\nd: >\n  null\ne:\nf: ''\ng: ~\nh: [~, '', \"\", null, Null, NULL]\n",
    "null: 1\n~: 2\n'': 3\ntrue: x\n1.5: y\n12: z\n-1: w\n'1': v\n",
    "a: [070, 0o10, 0x1F, +1, -0, .5, 1_000, 1e3, 1.0e+3, .NaN, -.Inf, 0b11, 1:30, 190:20:30]\n",
    "a: [yes, No, ON, off, y, n, True, FALSE, tRue, =, <<, 2026-08-20, 2026-8-20 10:00]\n",
    "- {true: 1, True: 2}\n",  # keys equal once resolved
    "- {1: a, 1.0: b}\n",
    "a:\n  - b: 1\n    c: [x, {d: null}]\n  - - - e\n",
    "<<: 1\n",
    "a: 1\n<<: {b: 2}\n",
]


def test_drafts_built_as_plain_dicts_equal_the_constructors_values():
    """load_yaml(lines=False), the drafts' plain build, gives the values and problems PyYAML's constructor gives,
    on every sample case and on documents it leaves to that constructor."""
    from helpers import CASES
    from quanze.engine.batch.cases import find_cases

    texts = [p.read_text(encoding="utf-8") for p in find_cases(CASES) if p.suffix == ".yaml"]
    for text in texts + _ODD_YAML:
        for _ in range(2):  # the second time with the resolved tags remembered
            plain, lined = _loaded(text, False), _loaded(text, True)
            assert plain[0] == lined[0], text[:80]
            if plain[0] == "ok":
                assert repr(plain[1]) == repr(lined[1]), text[:80]  # same types, same order
            else:
                assert plain == lined, text[:80]


_SCALARS = st.sampled_from(
    ["a", "张三", "12", "070", "0x10", "1:30", "1.5", ".5", "-1", "+1", "1_000", "1e3", ".inf", ".NaN", "true", "True", "yes",
     "no", "NULL", "null", "~", "", "2026-08-20", "=", "<<", "-", "t", "n", "f", "F", "N", " ", "a b", "x: y", "#"]
)


class _Pairs(list):
    """A generated mapping: its (key, value) pairs, duplicates kept (a problem for both builds)."""


def _yaml_text(value: object) -> str:
    """A YAML text for generated values: (style, text) scalars, lists, and _Pairs as flow mappings."""
    if isinstance(value, tuple):
        style, text = value
        if style == "plain" and text and text.strip() == text and not any(c in text for c in ":#-[]{},'\"|>") and text not in ("<<", "="):
            return text
        if style == "single":
            return "'" + text.replace("'", "''") + "'"
        return json.dumps(text, ensure_ascii=False)
    if isinstance(value, _Pairs):
        return "{" + ", ".join(f"{_yaml_text(k)}: {_yaml_text(v)}" for k, v in value) + "}"
    return "[" + ", ".join(_yaml_text(v) for v in value) + "]"


_VALUES = st.recursive(
    st.tuples(st.sampled_from(["plain", "plain", "single", "double"]), _SCALARS),
    lambda inner: st.lists(inner, max_size=4)
    | st.lists(st.tuples(_SCALARS.map(lambda t: ("plain", t)) | inner, inner), max_size=4).map(_Pairs),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(_VALUES, st.booleans())
def test_generated_yaml_built_plain_equals_the_constructors_value(value, block):
    """The plain build (no tags: each plain scalar resolved where it is met) gives what PyYAML's constructor gives, or
    the same problem, on generated documents of tricky scalars in every quoting, as flow or block mappings."""
    text = _yaml_text(value)
    if block and isinstance(value, _Pairs) and value:
        text = "".join(f"{_yaml_text(k)}: {_yaml_text(v)}\n" for k, v in value)
    plain, lined = _loaded(text, False), _loaded(text, True)
    assert plain[0] == lined[0], text
    assert repr(plain[1]) == repr(lined[1]), text


def test_remembered_lookups_equal_the_plain_ones(rules):
    """provision_of and param_versions, remembered in rules.cache, answer as computed afresh."""
    import datetime as dt

    from quanze.engine.lang import compile as compiler
    from quanze.engine.law import lawtext

    labels = {b for cf in rules.checks for c in cf.rules for b in c.basis}
    labels |= {"行政处罚法 第三十二条", "节约能源法 第七十六条", "不存在 第一条", "行政处罚法 第九百条"}
    for label in sorted(labels):
        assert lawtext.provision_of(rules, label) == lawtext._provision_of(rules, label) == lawtext.provision_of(rules, label)
    for day in (None, dt.date(1995, 1, 1), dt.date(2021, 7, 15), dt.date(2026, 1, 1), dt.date(2031, 12, 31)):
        assert compiler.param_versions(rules, day) == compiler._param_versions(rules, day) == compiler.param_versions(rules, day)


def test_statutory_days_read_from_the_cache_equal_the_computed_ones(tmp_path, monkeypatch, rules_copy):
    """The 法定节假日 a 放假办法 text gives for years the package lacks, kept in the rules' cache folder and read back in a
    later run (another RuleSet, another process's tables), are the days statutory_days computes; the counts agree."""
    import datetime as dt

    from quanze.engine.law import workdays
    from quanze.engine.load import loader, rulecache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(loader, "MEMO_SIZE", 0)
    first = loader.load_rules(rules_copy)
    texts = [f for f in first.calendar if f.scope == "statutory"]
    assert texts
    years = range(2027, 2032)
    counted = [workdays.calendar_from(first.calendar, first.cache).count(dt.date(y, 1, 1), dt.date(y, 12, 31)) for y in years]
    assert isinstance(first.cache, rulecache.CompiledStore)
    stored = {k: v for k, v in dict(first.cache).items() if k[0] == "statutory_days"}
    assert stored
    again = loader.load_rules(rules_copy)
    fresh_store = rulecache.CompiledStore(again.cache.folder, again.cache.key)
    for key, days in stored.items():
        _, year, _text_year, index = key
        text = [f for f in again.calendar if f.scope == "statutory"][index]
        assert fresh_store.stored(key) == days == workdays.statutory_days(year, text), key
    monkeypatch.setattr(workdays, "statutory_days", lambda *a: (_ for _ in ()).throw(AssertionError("computed again")))
    recount = [workdays.calendar_from(again.calendar, fresh_store).count(dt.date(y, 1, 1), dt.date(y, 12, 31)) for y in years]
    assert [(int(a), a.high) for a in recount] == [(int(a), a.high) for a in counted]


def test_the_engine_form_kept_with_a_ruleset_is_the_one_made_from_its_definition(rules):
    """What evaluate.py gives durable-rules for a cached ruleset (its JSON, size problem, facts sent) is made from its
    definition."""
    import json

    from quanze.engine.lang.compile import _sent
    from quanze.engine.lang.limits import ruleset_problem

    compiled = [v for k, v in dict(rules.cache).items() if isinstance(k, tuple) and k and k[0] in ("penalty", "grounds", "inspection")]
    assert compiled
    for c in compiled:
        form = c.engine_form()
        assert form.text == json.dumps(c.definition, ensure_ascii=False)
        assert form.problem == ruleset_problem(c.definition) is None
        assert form.sent == _sent(c.definition)


def test_the_recommended_tier_from_conditions_resolved_once_is_the_one_holds_gives(rules):
    """check._recommended (conditions resolved once per compiled ruleset) picks the tier ``holds`` picks, on the facts of
    every sample penalty draft."""
    from helpers import CASES
    from quanze.engine.batch.cases import find_cases
    from quanze.engine.check.checker import _recommended, check
    from quanze.engine.lang.conditions import holds
    from quanze.engine.model.drafts import read_draft

    seen = []

    def spy(compiled, facts):
        if ":grounds:" not in compiled.name:
            seen.append((compiled, facts))
        return evaluate.fired_rules(compiled, facts)

    for path in find_cases(CASES / "penalty"):
        if "invalid" not in path.parts:
            check(read_draft(path), rules, str(path), evaluator=spy)
    assert len(seen) > 50
    defs = rules.definitions.get("penalty", {})
    for compiled, facts in seen:
        want = next(r.tier for r in rules.policy.recommend if r.when is None or holds(r.when, facts, compiled.params, defs))
        assert _recommended(rules, compiled, facts) == want


# --- review near the parse floor (issue 31 §2): shortcuts in the per-draft path ---------------------


def test_check_and_review_outputs_equal_the_golden_digests():
    """What check and review write for every sample case (check JSON; JSONL line, CSV row, table row, failing section)
    is what it was before the speed-ups (tests/review_golden.py; a change meant to alter them regenerates the file)."""
    import json

    from review_golden import GOLDEN, digests

    stored = json.loads(GOLDEN.read_text(encoding="utf-8"))
    now = digests()
    changed = sorted(k for k in stored.keys() | now.keys() if stored.get(k) != now.get(k))
    assert not changed, f"{len(changed)} cases differ from {GOLDEN.name} (python tests/review_golden.py --update if meant): {changed[:10]}"


def _sample_readings(rules) -> list:
    """(compiled ruleset, facts) of every valid sample draft, as the checker evaluates them."""
    from helpers import CASES
    from quanze.engine.batch.cases import find_cases
    from quanze.engine.check.checker import check
    from quanze.engine.model.drafts import read_draft

    seen = []

    def spy(compiled, facts):
        seen.append((compiled, facts))
        return evaluate.fired_rules(compiled, facts)

    for path in find_cases(CASES):
        if "invalid" not in path.parts:
            check(read_draft(path), rules, str(path), evaluator=spy)
    return seen


def test_known_readers_answer_as_evaluate_known(rules):
    """conditions.known_reader (built once per rule) gives evaluate_known's answer: every rule of every sample's ruleset,
    with none, one, every other and all of its facts unknown, and comparisons of mixed types."""
    from quanze.engine.lang.conditions import evaluate_known, facts_in, known_reader
    from quanze.engine.model.schema import All, Any_, Test

    cases = 0
    for compiled, facts in _sample_readings(rules):
        for c in compiled.rules.values():
            tested = facts_in(c.condition)
            reader = known_reader(c.condition)
            for unknown in (set(), set(tested[:1]), set(tested[::2]), set(tested)):
                assert reader(facts, unknown) is evaluate_known(c.condition, facts, unknown)
                cases += 1
    assert cases > 1000
    tests = [
        Test(fact="a", eq=1), Test(fact="a", ne=1), Test(fact="a", eq=True), Test(fact="a", eq="1"), Test(fact="a", gt=1),
        Test(fact="a", lte=1.5), Test(fact="a", **{"in": [1, "x", True]}), Test(fact="a", not_in=[1.0, False]),
    ]
    conditions = [*tests, All(all=tests[:3]), Any_(any=[tests[0], All(all=tests[4:6])]), True, False]
    for cond in conditions:
        for value in (1, 1.0, True, False, "1", "x", None, 2, 0.5, [1]):
            for unknown in (set(), {"a"}):
                assert known_reader(cond)({"a": value}, unknown) is evaluate_known(cond, {"a": value}, unknown)
        assert known_reader(cond)({}, set()) is evaluate_known(cond, {}, set())


def test_messages_split_once_are_those_filled_from_a_context_of_every_placeholder(rules):
    """checker._wording/_filled (each rule's message split once per ruleset) give what basis.fill gives with a context of
    the message's placeholders (a text binding, else a param, else a fact; for the officer worded, ``<name>_officer``
    first): every rule of every sample's ruleset on its facts, with and without an officer's wording of each fact."""
    from quanze.engine.check.basis import fill
    from quanze.engine.check.checker import _filled, _wording
    from quanze.engine.model.wording import officer_template, placeholders

    def context(template, facts, c, officer):
        out = {}
        for name in placeholders(template):
            bound = c.bindings.get(name)
            if isinstance(bound, str) or name in c.params:
                value = bound if isinstance(bound, str) else c.params[name]
                out[name] = officer_template(value) if officer and isinstance(value, str) else value
            elif officer and f"{name}_officer" in facts:
                out[name] = facts[f"{name}_officer"]
            elif name in facts:
                out[name] = facts[name]
        return out

    compared = 0
    for compiled, facts in _sample_readings(rules)[::2]:
        for c in compiled.rules.values():
            message = c.rule.message
            names = placeholders(message)
            for known in (facts, {**facts, **{f"{n}_officer": f"“{n}”" for n in names}}, {}):
                assert _filled(_wording(message, c, False), known) == fill(message, context(message, known, c, False))
                officer = fill(officer_template(message), context(message, known, c, True))
                assert _filled(_wording(message, c, True), known) == officer
                compared += 1 if names else 0
    assert compared > 1000


def test_rules_withheld_through_the_fact_index_are_those_a_scan_of_every_rule_withholds(rules):
    """checker._withhold_unknown looks only at the rules testing an unknown fact (an index per ruleset): it withholds
    what a pass over every rule with evaluate_known withholds, on every sample with each fact it tests unknown in turn."""
    from quanze.engine.check.checker import _withhold_unknown
    from quanze.engine.lang.conditions import evaluate_known, facts_in

    compared = 0
    for compiled, facts in _sample_readings(rules)[::3]:
        if not all(c.rule.code in rules.findings for c in compiled.rules.values()):
            continue  # the 不予处罚 grounds: nothing is withheld from them
        every = sorted({f for c in compiled.rules.values() for f in facts_in(c.condition)})
        for unknown_facts in (every[::7], every[3::11], every[::2]):
            unknown = {f: "procedure.notice" for f in unknown_facts}
            names = set(unknown)
            scanned = [n for n, c in compiled.rules.items() if evaluate_known(c.condition, facts, names) is None]
            fired = list(compiled.rules)
            kept, _ = _withhold_unknown(fired, compiled, facts, rules, unknown)
            assert [n for n in fired if n not in kept] == scanned
            compared += 1
    assert compared > 100


def test_withholding_reads_only_what_it_uses_and_lists_what_a_scan_of_every_rule_lists(rules):
    """checker._withhold_unknown reads a rule testing only an open case's facts that wait for the decision (NOT_DECIDED)
    only if it fired, and _settled (the most-days reading) reads only the fired rules: both keep what a pass over every
    rule with evaluate_known keeps, and the sections listed are those of that pass without NOT_DECIDED (whose entry
    check_open dropped), with each section's codes in the ruleset's order."""
    from quanze.engine.check.checker import NOT_DECIDED, _settled, _withhold_unknown
    from quanze.engine.lang.conditions import evaluate_known, facts_in

    compared = 0
    for compiled, facts in _sample_readings(rules)[::3]:
        if not all(c.rule.code in rules.findings for c in compiled.rules.values()):
            continue  # the 不予处罚 grounds: nothing is withheld from them
        every = sorted({f for c in compiled.rules.values() for f in facts_in(c.condition)})
        for waiting, left_out in ((every[::2], every[1::7]), (every[::3], []), ([], every[::5])):
            unknown = {f: NOT_DECIDED for f in waiting} | {f: "procedure.notice" for f in left_out}
            names = set(unknown)
            undecided = [n for n, c in compiled.rules.items() if evaluate_known(c.condition, facts, names) is None]
            listed = [
                c.rule.code
                for c in map(compiled.rules.__getitem__, undecided)
                if rules.findings[c.rule.code].severity != "info" and set(facts_in(c.condition)) & set(left_out)
            ]
            expected = [("procedure.notice", list(dict.fromkeys(listed)))] if listed else []
            for fired in (list(compiled.rules), list(compiled.rules)[::4], []):
                kept, not_checked = _withhold_unknown(fired, compiled, facts, rules, unknown)
                assert kept == [n for n in fired if n not in undecided]
                assert _settled(fired, compiled, facts, rules, unknown) == kept
                assert [(n.field, list(n.codes)) for n in not_checked] == expected
                compared += 1
    assert compared > 100


def test_texts_zh_leaves_alone_are_those_it_would_not_change():
    """text.zh returns a text with no ASCII ( ) , ; : ", whitespace or "（（" as it is: the full rewrite gives the same
    on every such text of every sample's check JSON, and every OS message it translates has a space."""
    import json

    from helpers import CASES
    from quanze.engine import api
    from quanze.engine.batch.cases import find_cases
    from quanze.engine.model.errors import QuanzeError
    from quanze.engine.model.text import _ZH_TOUCHES, OS_MESSAGES, _zh, zh

    assert all(_ZH_TOUCHES.search(k) for k in OS_MESSAGES)
    rules, _ = api.load()
    texts: set[str] = {"伊市商工评〔2026〕7号", "（（双））", "甲（乙）", "a:b", "张三", "d000001.yaml", "", "第（二）项"}

    def strings(value):
        if isinstance(value, str):
            texts.add(value)
        elif isinstance(value, dict):
            for k, v in value.items():
                strings(k)
                strings(v)
        elif isinstance(value, list):
            for v in value:
                strings(v)

    for path in find_cases(CASES):
        try:
            strings(json.loads(api.to_json(api.result_json(api.check_file(path, rules)))))
        except QuanzeError:
            continue
    for text in texts | {t[i:] for t in list(texts)[:500] for i in (1, 3)}:
        assert zh(text) == _zh(text), text
    assert sum(1 for t in texts if not _ZH_TOUCHES.search(t)) > 100


def test_working_days_remembered_per_day_answer_as_counted(rules):
    """WorkCalendar.is_workday / may_be_workday, remembered per day in the shared year tables, answer as counting the
    day afresh does, with the same calendar warnings in the same order (every other day of 2016–2030)."""
    import datetime as dt

    from quanze.engine.law.workdays import WorkCalendar, calendar_from

    shared = calendar_from(rules.calendar, rules.cache)
    own = calendar_from(rules.calendar, rules.cache)
    plain = WorkCalendar(years=own.years, regional=own.regional, statutory=own.statutory, festivals=own.festivals)
    day, one = dt.date(2016, 1, 1), dt.timedelta(days=1)
    while day < dt.date(2031, 1, 1):
        n = plain.count(day - one, day)
        assert (shared.is_workday(day), shared.may_be_workday(day)) == (n == 1, n.high == 1), day
        assert (shared.is_workday(day), shared.may_be_workday(day)) == (n == 1, n.high == 1), day  # remembered
        day += 2 * one
    assert shared.warnings == plain.warnings and shared.warnings


def test_a_read_buffer_the_files_size_reads_every_byte_and_keeps_the_bound(tmp_path):
    """engine/model/safeio.read_limited (every rule file) reads into a buffer the file's size, not the bound's."""
    import pytest

    from quanze.engine.model.safeio import TooLarge, read_limited

    for size in (0, 1, 4095, 4096, 65537):
        path = tmp_path / f"{size}.yaml"
        data = bytes(i % 251 for i in range(size))
        path.write_bytes(data)
        assert read_limited(path, 65537) == data
    with pytest.raises(TooLarge):
        read_limited(tmp_path / "65537.yaml", 65536)


def test_a_pruned_command_line_app_answers_as_the_whole_app():
    """cli/main.py builds only the command a line names: the same output and exit code as the whole app."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    sample = str(Path(__file__).resolve().parent.parent / "cases/penalty/CF-04/lawful_general_tier.yaml")
    whole = "import sys; from quanze.cli.main import app; sys.exit(app(sys.argv[1:], prog_name='quanze'))"
    pruned = "import sys; from quanze.cli.main import app; sys.argv[0] = 'quanze'; sys.exit(app())"
    env = {**os.environ, "COLUMNS": "100"}
    for line in (["check", sample], ["check", "--nope", sample], ["check", "--help"], ["rules", "--help"], ["chek", sample]):
        got = [subprocess.run([sys.executable, "-c", code, *line], capture_output=True, text=True, env=env) for code in (whole, pruned)]
        assert [(p.returncode, p.stdout, p.stderr) for p in got[:1]] == [(p.returncode, p.stdout, p.stderr) for p in got[1:]], line


def _plain_zh_line(line: str) -> str:
    """text._zh_line as it was, every substitution run on every line: the oracle of the guarded one."""
    import re

    from quanze.engine.model.text import _CJK, _IS_CJK, _half_close, _paren, _sep, _undouble

    if not _IS_CJK.search(line) or (line.lstrip().startswith("|") and "---" in line):
        return line
    indent = line[: len(line) - len(line.lstrip(" "))]
    body = line[len(indent) :]
    for _ in range(3):
        body = re.sub(r"\(([^()\n]*)\)", _paren, body)
    body = re.sub(r'"([^"\n]*[' + _CJK + r'][^"\n]*)"', r"“\1”", body)
    body = re.sub(r"(?<=\S)\s*,\s+(?=\S)", _sep("，"), body)
    body = re.sub(r"(?<=\S)\s*;\s*(?=\S)", _sep("；"), body)
    body = re.sub(r"(?<=[" + _CJK + r"）」”])\s*:\s*(?=\S|$)", "：", body)
    body = re.sub(r"(?<=[" + _CJK + r"）」”])\s*:$", "：", body)
    body = re.sub(r"(?<=[" + _CJK + r"]),(?=[" + _CJK + r"])", "，", body)
    body = re.sub(r"(?<=[" + _CJK + r"])\)", _half_close, body)
    body = re.sub(r"\s+([，；：）」”])", r"\1", body)
    body = re.sub(r"(?<=\S) （", "（", body)
    body = re.sub(r"([，；：（「“])\s+", r"\1", body)
    body = re.sub(r"）\s+(?=[" + _CJK + r"])", "）", body)
    return indent + _undouble(body)


def test_zh_substitutions_run_only_where_they_can_match_and_give_the_plain_result(rules):
    """text._zh_line runs a substitution only when the line holds the character its pattern cannot match without
    (each pattern's Chinese character class costs ~1 ms to compile): every line of every sample's text report,
    explanation and reasoning, and lines made to hold each punctuation, come out as the plain chain makes them."""
    from helpers import CASES
    from quanze.cli import render
    from quanze.engine import api
    from quanze.engine.batch.cases import find_cases
    from quanze.engine.model.errors import QuanzeError
    from quanze.engine.model.text import _zh_line

    lines = {
        "依据（行政处罚法 第七十六条)", "甲(乙)丙", "(中文)", "x (中文) y", '他说"你好"。', "形式,不一次", "期限: 3 日", "当事人:",
        "罚款, 没收", "甲; 乙", "甲 ；乙", "（乙） 丙", "（乙）\t丙", "a（b） c", "（（双））", "  缩进:（甲) 乙, 丙; 丁", "10:30 时",
        "（行政公署)", "a, b 中", "中 , b", '"ascii" 中', "中（a）  b",
    }
    for path in find_cases(CASES):
        try:
            result = api.check_file(path, rules)
        except QuanzeError:
            continue
        texts = (
            render.result_text(result, rules, True, ""),
            render.explanation_text(result, rules, ""),
            render.reasoning_text(result, rules, ""),
        )
        for text in texts:
            lines.update(text.split("\n"))
    for line in lines:
        assert _zh_line(line) == _plain_zh_line(line), line
    assert sum(1 for line in lines if any(c in line for c in '(),;:"')) > 20


def test_result_of_makes_what_model_construct_makes(rules):
    """Result.of fills the record as model_construct would: fields in order, fresh mutable defaults, the same dump."""
    from quanze.engine.check.pipeline import check_file
    from quanze.engine.model.findings import Result

    cases = Path(__file__).resolve().parent.parent / "cases"
    for case in ("penalty/CF-04/hearing_right_not_notified_certain.yaml", "filing/QT-02/applicant_card_issuer.yaml"):
        checked = check_file(cases / case, rules)
        values = {k: getattr(checked, k) for k in checked.model_fields_set if k != "verdict_"}
        made = Result.of({"facts": {}}, None, ["缺口"], None, **values)
        plain = Result.model_construct(verdict_="pass", **values)
        plain._explanation, plain._trace_builder, plain._gap_warnings, plain._waits = {"facts": {}}, None, ["缺口"], {}
        assert list(made.__dict__.items()) == list(plain.__dict__.items())
        assert made.model_fields_set == plain.model_fields_set
        assert made.__pydantic_private__ == plain.__pydantic_private__
        assert made.to_json() == plain.to_json()
    fresh = [Result.of({}, file="a", case_id=None, kind="penalty", item="CF-01", findings=[], rules_version="v") for _ in range(2)]
    assert fresh[0].rule_warnings is not fresh[1].rule_warnings and fresh[0].read_sources is not fresh[1].read_sources
    with pytest.raises(TypeError, match="no_such"):
        Result.of({}, no_such=1)


def test_made_makes_what_model_construct_makes():
    """findings.made (the check's Provision) fills a record as model_construct would: the fields in order with their
    defaults (MISSING left out of the dump), the fields set, no private or extra values, the same dump."""
    import datetime as dt

    from quanze.engine.model.findings import Result, made
    from quanze.engine.model.records import Provision

    penalty = {"id": "p", "law": "法", "article": "第一条", "in_force_from": dt.date(2020, 1, 1), "in_force_until": None}
    for values in ({**penalty, "chosen_because": "理由"}, {"id": "p", "law": "法", "article": "第一条", "chosen_because": None}):
        ours, plain = made(Provision, dict(values)), Provision.model_construct(**values)
        assert list(ours.__dict__.items()) == list(plain.__dict__.items())
        assert ours.model_fields_set == plain.model_fields_set
        assert (ours.__pydantic_private__, ours.__pydantic_extra__) == (plain.__pydantic_private__, plain.__pydantic_extra__)
        assert ours.dump() == plain.dump()
    with pytest.raises(TypeError, match="private"):
        made(Provision, {"id": "p"}, {"_explanation": {}})
    with pytest.raises(TypeError, match="private"):
        made(Result, {"file": "a"})


def test_a_cell_taken_as_it_is_is_what_the_full_escaping_gives():
    """xlsx.cell_xml's shortcut (nothing to change) against the substitutions it skips, on every code point."""
    from quanze.engine.batch import xlsx

    def escaped(text: str) -> str:
        text = xlsx._ESCAPE_LIKE.sub("_x005F_", xlsx._ILLEGAL.sub("\ufffd", text))
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    for text in ("", "伊市商工评〔2026〕100号", "a_x00A0_b", "_x12G4_", "a&b<c>", "\x00\x1f\t\n\r\x7f\ud800\ufffe\U0001f600"):
        assert xlsx.cell_xml(text) == escaped(text)
    assert all(xlsx.cell_xml(chr(c)) == escaped(chr(c)) for c in range(0x110000))


def test_the_ground_facts_of_no_ground_made_once_are_those_made_each_time(rules):
    """facts.ground_facts: the facts of no ground made out nor unknown (kept per rules) are those made from the grounds,
    in the same order, a dict of the caller's own; any ground made out or unknown makes them from the grounds."""
    from quanze.engine.check.facts import _ground_facts, ground_facts

    made = ground_facts(rules, set(), set())
    assert list(made.items()) == list(_ground_facts(rules, set(), set()).items()) and not any(made.values())
    made["ground_first_offense"] = True  # the caller's own: the next draft's facts are not changed
    assert list(ground_facts(rules, set(), set()).items()) == list(_ground_facts(rules, set(), set()).items())
    first = {"first_offense"}
    assert ground_facts(rules, first, set()) == _ground_facts(rules, first, set()) and made["ground_first_offense"]
    assert ground_facts(rules, set(), first)["ground_first_offense_unknown"]


def test_a_row_searched_whole_is_what_each_cell_escaped_gives():
    """xlsx._row's one search of the whole row against cell_xml of each cell: a mark split over two cells (``_x00`` |
    ``41_``), one cell to change among plain ones, a cell over the length the shortcut takes, every code point."""
    from quanze.engine.batch import xlsx

    def each(n: int, cells: list[str], style: str = "") -> bytes:
        opening = '<c r="{}{}"{} t="inlineStr"><is><t xml:space="preserve">'
        xml = "".join(opening.format(xlsx._column(k), n, style) + f"{xlsx.cell_xml(t)}</t></is></c>" for k, t in enumerate(cells))
        return f'<row r="{n}">{xml}</row>'.encode("utf-8", "replace")

    rows = [["伊市商工评〔2026〕1号", "CF-01", "张三", "不通过", "罚款高于法定上限 [FINE_ABOVE_MAX]", "a/b.yaml"], [], [""]]
    rows += [["_x00", "41_"]]
    rows += [["a", "b&c"], ["_x0041_", "x"], ["\t", "\x01"], ["x" * (xlsx.MAX_CELL // 2), "y"], ["x" * 40_000], ["\ud800", "z"]]
    rows += [["a", chr(c)] for c in range(0, 0x110000, 7)]
    for n, cells in enumerate(rows, 1):
        assert xlsx._row(n, cells) == each(n, cells) and xlsx._row(n, cells, ' s="1"') == each(n, cells, ' s="1"')


def test_a_jsonl_line_is_what_json_dumps_gives():
    """pages.jsonl_line (json's C encoder made once) against json.dumps of the same entry: floats, non-ASCII, escapes,
    a lone surrogate, and values JSON has no form for (written with ``str``)."""
    import datetime as dt
    import json
    from pathlib import Path

    from quanze.engine.batch.pages import jsonl_line

    entries = [
        {"file": "伊市/a.yaml", "score": 97.5, "n": [1, -2, 3.0, 1e-7, 1e22], "ok": True, "none": None, "x": {}},
        {"text": 'a"b\\c\n\t\x00\x1f\u2028\U0001f600\ud800', "nested": [{"k": []}, [[]]], "": ""},
        {"day": dt.date(2026, 12, 8), "path": Path("a/b.yaml"), "set": {1}},
    ]
    for entry in entries:
        assert jsonl_line(entry) == (json.dumps(entry, ensure_ascii=False, default=str) + "\n").encode("utf-8", "replace")

