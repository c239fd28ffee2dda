"""The only module that touches durable-rules: assert one fact per check, collect the rules fired.

It drives durable-rules' C extension directly (no ``Host``: its timer threads crash under load and it
swallows action errors). A check's fact is asserted in a session of its own: a session a finished check
left empty (its one fact retracted once every action ran) is taken again, else a fresh one; so no state
leaks from one check to the next, and the live sessions are bounded by the checks under way at once (one
per evaluating thread), far below durable-rules' 1,024. Creating a session (its per-rule frame tables) cost
more than matching the fact (issue 31). A check that fails midway deletes its session instead of handing it
back. A sentinel rule matches every check document, so an action always runs (deleting a session where none
ran segfaults) and "nothing matched" simply means no finding.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from typing import Any

import durable_rules_engine as _dre

from quanze.engine.lang.compile import SENTINEL, CompiledRuleset

# definition text -> its durable-rules handle and the facts the definition tests (EngineForm.sent): one C ruleset per
# distinct definition, shared by every compiled ruleset that has it (many combinations of params versions compile
# to the same definition), so the handles are bounded by the distinct definitions, not the keys of rules.cache.
# Never deleted: a handle may be in use by an evaluation (issue 31)
_handles: dict[str, tuple[int, tuple[tuple[str, object], ...]]] = {}
_sessions = itertools.count(1)
# handle -> ids of its sessions left empty by a finished check, taken again by the next (list.pop and append are
# atomic: two threads never take the same one)
_idle: dict[int, list[str]] = {}


def _handle(ruleset: CompiledRuleset) -> tuple[int, tuple[tuple[str, object], ...]]:
    form = ruleset.engine_form()
    found = _handles.get(form.text)
    if found is None:
        if form.problem:  # the self-test refuses such rules; never hang or crash the process on one
            raise ValueError(form.problem)
        # a name of the definition itself: distinct definitions never share one (durable-rules refuses a name twice)
        name = "q" + hashlib.sha256(form.text.encode()).hexdigest()[:32]
        found = _handles[form.text] = (_dre.create_ruleset(name, form.text), form.sent)
    return found


def _fired_name(message: str) -> str:
    """The rule name of a fired action's message ``{"<rule>": {...}}`` without decoding the document."""
    name, _end = _DECODER.raw_decode(message, message.index('"'))
    return name


_DECODER = json.JSONDecoder()


MAX_FACT_CHARS = 1000  # a text a fact carries into durable-rules; the rules compare only short names


def document_of(facts: dict[str, Any], sent: tuple[tuple[str, object], ...]) -> dict[str, Any]:
    """The facts a ruleset tests, each unless it has the value no test of it can match (``EngineForm.sent``: a fact
    that cannot change what fires is left out; the document is encoded, parsed by durable-rules, matched property by
    property and echoed in each action: less is faster), every text cut to MAX_FACT_CHARS (a draft's free text can be
    up to 1 MiB), in one pass: a dict of its own. A fact the draft does not have is left out (``ALWAYS`` is no value)."""
    return {
        k: v[:MAX_FACT_CHARS] if isinstance(v, str) and len(v) > MAX_FACT_CHARS else v
        for k, unmatched in sent
        if (v := facts.get(k, unmatched)) is not unmatched
    }


_encode = json.JSONEncoder(ensure_ascii=False).encode  # made once: ``json.dumps`` with an option makes one per call


def fired_rules(ruleset: CompiledRuleset, facts: dict[str, Any]) -> list[str]:
    """Names of the rules whose conditions hold on the facts, each once, in firing order."""
    handle, sent = _handle(ruleset)
    idle = _idle.setdefault(handle, [])
    reused = bool(idle)
    sid = idle.pop() if reused else f"s{next(_sessions)}"
    document = document_of(facts, sent)  # completed in place
    document.update(sid=sid, id="draft", q_doc=1)
    fired: list[str] = []
    try:
        code, state = _dre.assert_fact(handle, _encode(document))
    except BaseException:
        if reused:  # a session whose actions all ran before: deleting it is safe, and it may now hold part of the fact
            _dre.delete_state(handle, sid)
        raise
    if code == 1:
        # Not handled: no rule matched, not even the sentinel (a ruleset built without it). No action
        # ran, and deleting such a session segfaults, so it is left in place (and never taken again).
        return []
    try:
        result = _dre.start_action_for_state(handle, state)
        while result:
            fired.append(_fired_name(result[1]))
            following = _dre.complete_and_start_action(handle, state)
            result = (None, following) if following else None
        # every action ran (the session's lease is released): the fact retracted leaves it as a fresh one
        _dre.retract_fact(handle, _encode({"sid": sid, "id": "draft"}))
    except BaseException:
        _dre.delete_state(handle, sid)
        raise
    idle.append(sid)
    seen: set[str] = set()
    unique = []
    for name in fired:  # an `any` whose branches both hold fires twice
        if name != SENTINEL and name not in seen:
            seen.add(name)
            unique.append(name)
    return unique


def self_test(ruleset: CompiledRuleset, documents: list[dict[str, Any]]) -> list[tuple[dict[str, Any], list[str] | str]]:
    """For each document, the rules durable-rules fires, or the text of the error it raises (rules validate)."""
    out: list[tuple[dict[str, Any], list[str] | str]] = []
    for doc in documents:
        try:
            out.append((doc, fired_rules(ruleset, doc)))
        except Exception as exc:  # durable_rules_engine.error: the error code is the message
            out.append((doc, str(exc) or type(exc).__name__))
    return out
