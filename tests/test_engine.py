"""The findings come from durable-rules evaluating the YAML conditions, not from Python ifs."""

import dataclasses
import datetime as dt
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import draft, sample, shipped_rules, with_fine
from quanze.engine.check.checker import check
from quanze.engine.lang import evaluate
from quanze.engine.lang.compile import SENTINEL, compile_ruleset
from quanze.engine.lang.conditions import evaluate as oracle
from quanze.engine.load.loader import load_rules

FINE_ABOVE = "penalty/CF-04/fine_above_max.yaml"


def test_fine_above_max_is_found_by_the_engine(rules):
    result = check(draft(sample(FINE_ABOVE)), rules, "x.yaml")
    assert "FINE_ABOVE_MAX" in {f.code for f in result.findings}


def test_a_ruleset_that_never_matches_makes_the_findings_disappear(rules):
    """Replace every compiled condition (keeping the sentinel) by one that cannot hold."""

    def never(compiled, facts):
        blind = {name: ({"all": [{"m": {"q_doc": 2}}]} if name != SENTINEL else rule) for name, rule in compiled.definition.items()}
        ruleset = dataclasses.replace(compiled, name=compiled.name + ":never", definition=blind)
        return evaluate.fired_rules(ruleset, facts)

    for case in (FINE_ABOVE, "penalty/CF-05/served_8th_workday_across_national_day.yaml", "penalty/CF-01/closure_by_bureau.yaml"):
        d = draft(sample(case))
        assert check(d, rules, "x.yaml").findings, case
        assert check(d, rules, "x.yaml", evaluator=never).findings == [], case


def test_no_state_leaks_between_checks_and_sessions_are_freed(rules):
    """1,100 checks exceed durable-rules' 1,024 live sessions unless each one is deleted."""
    above = draft(sample(FINE_ABOVE))
    clean = draft(sample("penalty/CF-04/lawful_general_tier.yaml"))
    for _ in range(550):
        assert "FINE_ABOVE_MAX" in {f.code for f in check(above, rules, "a").findings}
        assert check(clean, rules, "b").findings == []


def test_a_session_is_taken_again_empty_and_fires_as_a_fresh_one(rules, monkeypatch):
    """A finished check retracts its fact and hands its session to the next check (engine/lang/evaluate.py): every
    sample's evaluations, each in a session the previous evaluation of another draft left, fire what a fresh session
    fires, in the same order; the sessions left hold no fact."""
    from conftest import CASES
    from quanze.engine.batch.cases import find_cases

    pairs = []
    before = {handle: len(sids) for handle, sids in evaluate._idle.items()}  # what tests run earlier left idle

    def spy(compiled, facts):
        pairs.append((compiled, facts))
        return evaluate.fired_rules(compiled, facts)

    for path in find_cases(CASES):
        if "invalid" not in path.parts:
            check(draft(sample(str(path.relative_to(CASES)))), rules, "x.yaml", evaluator=spy)
    again = [evaluate.fired_rules(c, f) for c, f in pairs]  # every session taken again, after another draft's fact
    for handle, sids in evaluate._idle.items():  # (a ruleset without the sentinel, as a self-test builds, keeps none)
        assert all(evaluate._dre.get_facts(handle, sid) == "[]" for sid in sids)
        assert len(sids) <= max(before.get(handle, 0), 1)  # one check at a time: no more sessions than one per ruleset
    assert any(evaluate._idle.values())

    class Fresh(dict):
        def setdefault(self, key, default=None):
            return []  # nothing idle, nothing kept: every evaluation in a new session

    made = []
    monkeypatch.setattr(evaluate, "_idle", Fresh())
    monkeypatch.setattr(evaluate._dre, "retract_fact", lambda handle, doc: made.append((handle, json.loads(doc)["sid"])))
    assert [evaluate.fired_rules(c, f) for c, f in pairs] == again
    for handle, sid in made:
        evaluate._dre.delete_state(handle, sid)
    assert len(pairs) > 300


def test_rulesets_are_compiled_once_and_named_per_rule_set(rules):
    day = dt.date(2026, 6, 20)
    a = compile_ruleset(rules, "penalty", "CF-04", "jieneng.a76", 0, {"decision": day})
    b = compile_ruleset(rules, "penalty", "CF-04", "jieneng.a76", 0, {"decision": day})
    assert a is b
    assert a.name.startswith("quanze") and ":CF-04:" in a.name
    # only rules that can apply to CF-04 are compiled: no precondition rule (76 reserves nothing),
    # no filing or inspection rule
    assert not any(n.startswith(("precondition_missing", "filing_", "measure_")) for n in a.rules)
    other = load_rules(use_cache=False)  # the same folder loaded again: compiled again, under the same name (explain
    c = compile_ruleset(other, "penalty", "CF-04", "jieneng.a76", 0, {"decision": day})  # says the same every run)
    assert c is not a and c.name == a.name
    other.version, other.cache = "other rules", {}  # rules of other content: another name for the same key
    assert compile_ruleset(other, "penalty", "CF-04", "jieneng.a76", 0, {"decision": day}).name != a.name


@settings(max_examples=150, deadline=None)
@given(
    fine=st.integers(min_value=0, max_value=200000),
    gains=st.integers(min_value=0, max_value=60000),
    tier=st.sampled_from(["不予处罚", "减轻", "从轻", "一般", "从重"]),
    minor=st.booleans(),
    corrected=st.booleans(),
    harm=st.sampled_from(["none", "minor", "serious"]),
    crime=st.booleans(),
    prior=st.integers(min_value=0, max_value=3),
)
def test_durable_rules_agrees_with_the_plain_python_oracle(fine, gains, tier, minor, corrected, harm, crime, prior):
    rules = shipped_rules()
    raw = with_fine(sample("penalty/CF-04/lawful_general_tier.yaml"), fine)
    raw["violation"].update(illegal_gains=gains, minor=minor, corrected=corrected, harm=harm, suspected_crime=crime)
    raw["decision"]["tier"] = tier
    raw["party"]["prior_violations"] = prior
    seen = {}

    def spy(compiled, facts):
        seen["compiled"], seen["facts"] = compiled, facts
        return evaluate.fired_rules(compiled, facts)

    check(draft(raw), rules, "x.yaml", evaluator=spy)
    compiled, facts = seen["compiled"], seen["facts"]
    expected = sorted(n for n, r in compiled.rules.items() if oracle(r.condition, facts))
    assert sorted(evaluate.fired_rules(compiled, facts)) == expected


def test_durable_rules_agrees_with_the_oracle_on_every_sample_case(rules):
    from conftest import CASES
    from quanze.engine.batch.cases import find_cases

    compared = 0
    for path in find_cases(CASES):
        if "invalid" in path.parts:
            continue
        seen = []

        def spy(compiled, facts, seen=seen):
            seen.append((compiled, dict(facts)))
            return evaluate.fired_rules(compiled, facts)

        check(draft(sample(str(path.relative_to(CASES)))), rules, "x.yaml", evaluator=spy)
        for compiled, facts in seen:  # every ruleset evaluated: the item's, the grounds', a part read again (fired_again)
            expected = sorted(n for n, r in compiled.rules.items() if oracle(r.condition, facts))
            assert sorted(evaluate.fired_rules(compiled, facts)) == expected, path
            compared += 1
    assert compared > 300


def _sent_as_json(facts, sent):
    """The facts evaluate.document_text writes (its JSON read back), without the session, id and marker it adds."""
    doc = json.loads(evaluate.document_text(facts, sent, "s0"))
    assert list(doc)[-3:] == ["sid", "id", "q_doc"] and doc.pop("sid") == "s0" and doc.pop("id") == "draft" and doc.pop("q_doc") == 1
    return doc


def _keyed(sent):
    return tuple((fact, unmatched, json.dumps(fact, ensure_ascii=False) + ": ") for fact, unmatched in sent)


def test_the_facts_sent_are_those_tested_and_a_value_no_test_can_match_is_not():
    """compile._sent: a bool compared only with ``true`` (or only with ``false``) is sent only when it can match, a fact
    tested only for inequality with one bool or number is not sent when it has that value (and its type); any other
    test (a range, both bools, two numbers, a text) sends the fact whatever its value; the marker is no fact."""
    from quanze.engine.lang.compile import ALWAYS, _sent

    definition = {
        SENTINEL: {"all": [{"m": {"q_doc": 1}}]},
        "a": {"all": [{"m": {"$and": [{"q_doc": 1}, {"late": True}, {"$or": [{"kind": "x"}, {"closed": False}]}]}}]},
        "b": {"all": [{"m": {"$and": [{"q_doc": 1}, {"both": True}, {"$gt": {"fine": 5}}, {"one": 1}, {"$neq": {"n": 0}}]}}]},
        "c": {"all": [{"m": {"$and": [{"q_doc": 1}, {"both": False}, {"$neq": {"late2": True}}, {"$or": [{"in": True}, {"in": False}]}]}}]},
        "d": {"all": [{"m": {"$and": [{"q_doc": 1}, {"$neq": {"two": 0}}, {"$neq": {"two": 1}}, {"$neq": {"t": "x"}}]}}]},
    }
    sent = _sent(definition)
    assert dict(sent) == {
        "late": False, "kind": ALWAYS, "closed": True, "both": ALWAYS, "fine": ALWAYS, "one": ALWAYS, "n": 0, "late2": True,
        "in": ALWAYS, "two": ALWAYS, "t": ALWAYS,
    }  # fmt: skip
    facts = {"late": False, "closed": False, "kind": "y", "one": 1, "other": True, "late2": True, "n": 0, "two": 0, "t": "x"}
    assert _sent_as_json(facts, _keyed(sent)) == {"closed": False, "kind": "y", "one": 1, "two": 0, "t": "x"}
    facts.update(late=True, late2=False, n=False, closed=0)  # the other value, or a value of another type: sent
    assert _sent_as_json(facts, _keyed(sent)) == {
        "late": True, "closed": 0, "kind": "y", "one": 1, "n": False, "late2": False, "two": 0, "t": "x",
    }  # fmt: skip


class _Text(str):
    pass


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_a_fact_left_out_of_the_document_changes_nothing_that_fires(seed):
    """The rules fired on the document evaluate.py sends (a value no test can match left out) are those fired on the
    document of every fact the ruleset tests, on sample facts with the tested facts set at random (either bool, a
    number, a text, absent); and the document is the text ``json`` makes of the dict of the facts sent, each text cut."""
    import random

    from quanze.engine.lang.compile import ALWAYS
    from quanze.engine.law.workdays import Workdays

    rnd = random.Random(seed)
    seen = _rulesets_of_a_sample(rnd)
    values = [True, False, 0, 1, 7, -3, 2.5, "x", 'a "引号"\\\n', "长" * 1200, _Text("y" * 1001), None, [1, "a"], Workdays(3)]
    left_out = 0
    for compiled, base in seen.values():
        handle, sent = evaluate._handle(compiled)
        assert sent == _keyed(compiled.engine_form().sent)
        facts = dict(base)
        for fact, _, _ in sent:
            facts[fact] = rnd.choice([*values, facts.get(fact), "absent"])
            if facts[fact] == "absent":
                del facts[fact]
        kept = {
            fact: value[: evaluate.MAX_FACT_CHARS] if isinstance(value, str) else value
            for fact, unmatched, _ in sent
            if fact in facts and not (type(value := facts[fact]) is type(unmatched) and value == unmatched)
        }
        expected = json.dumps({**kept, "sid": "s0", "id": "draft", "q_doc": 1}, ensure_ascii=False)
        assert evaluate.document_text(facts, sent, "s0") == expected
        assert evaluate._looped(facts, sent, "s0") == expected == evaluate._writer(sent)(facts, "s0")  # either writer
        every = tuple((fact, ALWAYS, key) for fact, _, key in sent)
        left_out += len(_sent_as_json(facts, every)) - len(kept)
        text = compiled.engine_form().text
        try:
            evaluate._handles[text] = (handle, every)
            expected = evaluate.fired_rules(compiled, facts)
        finally:
            evaluate._handles[text] = (handle, sent)
        assert evaluate.fired_rules(compiled, facts) == expected
    assert left_out


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_firing_again_only_the_rules_testing_the_changed_facts_fires_what_the_whole_ruleset_does(seed):
    """evaluate.fired_again (the most working days of an uncertain count, checker._findings): the rules fired on facts
    that differ from others only in some facts, from those fired on the others and the rules testing a changed fact
    (CompiledRuleset.part) evaluated again, are what the whole ruleset fires, in its order; on sample facts with the
    tested facts set at random, then a few of them changed at random (nothing in common with them: the others' rules)."""
    import random

    rnd = random.Random(seed)
    seen = _rulesets_of_a_sample(rnd)
    values = [True, False, 0, 1, 7, -3, 2.5, "x", None]
    for compiled, base in seen.values():
        tested = list(compiled.fact_index().testing)
        facts = dict(base)
        for fact in rnd.sample(tested, len(tested) // 2):
            facts[fact] = rnd.choice([*values, base.get(fact)])
        changed = frozenset(rnd.sample(tested, rnd.randint(1, 3)) + ["not_a_fact"])
        other = facts | {fact: rnd.choice(values) for fact in changed}
        fired = evaluate.fired_rules(compiled, facts)
        expected = evaluate.fired_rules(compiled, other)
        assert evaluate.fired_again(evaluate.fired_rules, compiled, fired, other, changed) == expected
        part = compiled.part(changed)
        tested_by = compiled.fact_index().tested
        assert part is not None and list(part.rules) == [n for n in compiled.rules if not tested_by[n].isdisjoint(changed)]
    assert compiled.part(frozenset({"not_a_fact"})) is None


def test_the_most_working_days_are_read_again_on_the_rules_testing_an_uncertain_count(rules, monkeypatch):
    """On every sample whose working-day counts are uncertain (checker._findings), the rules fired_again gives at the
    most days are those the whole ruleset fires on them, in the same order; some samples hold a finding under one reading
    only (a warning stating both)."""
    from conftest import CASES
    from quanze.engine.batch.cases import find_cases

    again, both = [], 0

    def spy(evaluator, compiled, fired, facts, changed):
        got = fired_again(evaluator, compiled, fired, facts, changed)
        assert got == evaluate.fired_rules(compiled, facts)
        again.append(changed)
        return got

    fired_again = evaluate.fired_again
    monkeypatch.setattr(evaluate, "fired_again", spy)
    for path in find_cases(CASES):
        if "invalid" not in path.parts:
            result = check(draft(sample(str(path.relative_to(CASES)))), rules, "x.yaml")
            both += any("按最少的工作日数" in f.message for f in result.findings)
    assert len(again) > 50 and both


def test_a_fact_of_any_name_is_written_as_json_writes_it():
    """The document writer made for a ruleset (evaluate._writer) takes each fact's name and key as literals: names with
    quotes, backslashes, line breaks, braces and Chinese are read and written as ``json`` writes them, as the loop
    writing a ruleset's first documents (evaluate._looped) writes them."""
    from quanze.engine.lang.compile import ALWAYS

    names = ['a"b', "c\\d", "e\nf", "{g}", "处罚'决定'", "x = 1; import os", "'''", '"""']
    sent = evaluate.Sent((name, unmatched, json.dumps(name, ensure_ascii=False) + ": ") for name in names for unmatched in [ALWAYS])
    facts = {name: i if i % 2 else f"值{i}" for i, name in enumerate(names)}
    expected = json.dumps({**facts, "sid": "s9", "id": "draft", "q_doc": 1}, ensure_ascii=False)
    assert evaluate._writer(sent)(facts, "s9") == expected == evaluate._looped(facts, sent, "s9")
    assert [evaluate.document_text(facts, sent, "s9") for _ in range(evaluate.WRITER_AFTER + 2)] == [expected] * (evaluate.WRITER_AFTER + 2)
    assert getattr(sent.write, "__func__", None) is not evaluate.Sent._looping  # its own writer by now


def _rulesets_of_a_sample(rnd):
    """{name: (compiled ruleset, facts)} of each ruleset one of three sample drafts (chosen with ``rnd``) is checked against."""
    seen = {}

    def spy(compiled, facts):
        seen.setdefault(compiled.name, (compiled, facts))
        return evaluate.fired_rules(compiled, facts)

    case = rnd.choice([FINE_ABOVE, "penalty/CF-05/served_8th_workday_across_national_day.yaml", "penalty/CF-01/closure_by_bureau.yaml"])
    check(draft(sample(case)), shipped_rules(), "x.yaml", evaluator=spy)
    return seen
