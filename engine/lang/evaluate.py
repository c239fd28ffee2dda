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
from collections.abc import Callable, Iterable
from json.encoder import encode_basestring
from typing import Any

import durable_rules_engine as _dre

from quanze.engine.lang.compile import ALWAYS, SENTINEL, CompiledRuleset

# definition text -> its durable-rules handle and the facts the definition tests (Sent): one C ruleset per
# distinct definition, shared by every compiled ruleset that has it (many combinations of params versions compile
# to the same definition), so the handles are bounded by the distinct definitions, not the keys of rules.cache.
# Never deleted: a handle may be in use by an evaluation (issue 31)
_handles: dict[str, tuple[int, Sent]] = {}
_sessions = itertools.count(1)
# handle -> ids of its sessions left empty by a finished check, taken again by the next (list.pop and append are
# atomic: two threads never take the same one)
_idle: dict[int, list[str]] = {}


def _handle(ruleset: CompiledRuleset) -> tuple[int, Sent]:
    form = ruleset.engine_form()
    found = _handles.get(form.text)
    if found is None:
        if form.problem:  # the self-test refuses such rules; never hang or crash the process on one
            raise ValueError(form.problem)
        # a name of the definition itself: distinct definitions never share one (durable-rules refuses a name twice)
        name = "q" + hashlib.sha256(form.text.encode()).hexdigest()[:32]
        sent = Sent((fact, unmatched, _encode(fact) + ": ") for fact, unmatched in form.sent)
        found = _handles[form.text] = (_dre.create_ruleset(name, form.text), sent)
    return found


def _fired_name(message: str) -> str:
    """The rule name of a fired action's message ``{"<rule>": {...}}`` without decoding the document."""
    name, _end = _DECODER.raw_decode(message, message.index('"'))
    return name


_DECODER = json.JSONDecoder()


MAX_FACT_CHARS = 1000  # a text a fact carries into durable-rules; the rules compare only short names


# documents a ruleset's facts are written by the loop before its own writer is made (``Sent``): compiling one takes
# ~2.2 ms and saves ~2.7 µs a document (the sample drafts' rulesets, 50 facts on average): it pays after ~800
WRITER_AFTER = 800


class Sent(tuple):
    """Each fact a ruleset tests, the value of it not sent (``EngineForm.sent``) and its key as the document writes it;
    ``write``: ``document_text`` of these facts. The first WRITER_AFTER documents are written by the loop
    (``_looped``), the rest by a function made for these facts (``_writer``): a one-draft ``check`` and a small
    review never pay its compiling, a province's review gains ~2.7 µs a document on its busiest rulesets."""

    write: Callable[[dict[str, Any], str], str]
    uses: int

    def __new__(cls, facts: Iterable[tuple[str, object, str]]) -> Sent:
        sent = super().__new__(cls, facts)
        sent.uses = 0
        sent.write = sent._looping
        return sent

    def _looping(self, facts: dict[str, Any], sid: str) -> str:
        self.uses += 1
        if self.uses >= WRITER_AFTER:  # two threads may both make one: the same function, either kept
            self.write = _writer(self)
        return _looped(facts, self, sid)


def document_text(facts: dict[str, Any], sent: tuple[tuple[str, object, str], ...], sid: str) -> str:
    """The check's document as durable-rules takes it (JSON): the facts a ruleset tests, each unless it has the value
    no test of it can match (``EngineForm.sent``: equal to it and of its type; a fact that cannot change what fires is
    left out: the document is encoded, parsed by durable-rules, matched property by property and echoed in each
    action, and less is faster), every text cut to MAX_FACT_CHARS (a draft's free text can be up to 1 MiB); then the
    session, the fact's id and the marker every rule tests. The text ``json`` makes of that dict (tests/test_engine.py),
    written by the loop or the ruleset's own function (``Sent.write``; the loop for other facts, as a test gives)."""
    return sent.write(facts, sid) if type(sent) is Sent else _looped(facts, sent, sid)


def _looped(facts: dict[str, Any], sent: tuple[tuple[str, object, str], ...], sid: str) -> str:
    """``document_text`` by a loop over ``sent``: a bool, a whole number and a text written directly, any other value
    by the encoder (``_other``)."""
    parts = []
    for fact, unmatched, key in sent:
        value = facts.get(fact, ALWAYS)
        kind = type(value)
        if value is ALWAYS or (kind is type(unmatched) and value == unmatched):
            continue  # not a fact of the draft, or one no test can match
        if kind is bool:
            parts.append(key + ("true" if value else "false"))
        elif kind is int:
            parts.append(key + str(value))
        elif kind is str and len(value) <= MAX_FACT_CHARS:
            parts.append(key + _text(value))
        else:
            parts.append(key + _other(value))
    parts.append(f'"sid": "{sid}", "id": "draft", "q_doc": 1')
    return "{" + ", ".join(parts) + "}"


def _writer(sent: tuple[tuple[str, object, str], ...]) -> Callable[[dict[str, Any], str], str]:
    """``document_text`` for one ruleset: a function of one test per fact, as ``_looped`` writes them. Made once per
    ruleset: the loop reads each fact's entry and dispatches on its value at every check, at twice the cost (issue 31)."""
    lines = [
        "def write(facts, sid, A=ALWAYS, str=str, type=type, len=len, M=MAX_FACT_CHARS, text=_text, other=_other):",
        "    get = facts.get",
        "    parts = []",
        "    add = parts.append",
    ]
    for fact, unmatched, key in sent:
        lines += [
            f"    v = get({fact!r}, A)",
            f"    if v is not A{_matchable(unmatched)}:",
            f"        add({key + 'true'!r} if v is True else {key + 'false'!r} if v is False else {key!r} + "
            "(str(v) if type(v) is int else text(v) if type(v) is str and len(v) <= M else other(v)))",
        ]
    lines += [
        """    add(f'"sid": "{sid}", "id": "draft", "q_doc": 1')""",
        """    return '{' + ', '.join(parts) + '}'""",
    ]
    scope: dict[str, Any] = {"ALWAYS": ALWAYS, "MAX_FACT_CHARS": MAX_FACT_CHARS, "_text": _text, "_other": _other}
    exec("\n".join(lines), scope)  # the code is made here: facts and keys enter it as literals (repr)
    return scope["write"]


def _matchable(unmatched: object) -> str:
    """The test that a present value is not ``unmatched`` (the same value and type: a bool is one of two objects)."""
    if unmatched is ALWAYS:
        return ""
    if type(unmatched) is bool:
        return f" and v is not {unmatched!r}"
    if type(unmatched) is int:
        return f" and not (type(v) is int and v == {unmatched!r})"
    raise ValueError(f"not a value compile._unmatched gives: {unmatched!r}")


def _other(value: Any) -> str:
    """A fact's value neither a bool, a whole number nor a text within MAX_FACT_CHARS, as ``json`` writes it (cut)."""
    return _encode(value[:MAX_FACT_CHARS] if isinstance(value, str) and len(value) > MAX_FACT_CHARS else value)


_encode = json.JSONEncoder(ensure_ascii=False).encode  # made once: ``json.dumps`` with an option makes one per call
_text = encode_basestring  # how that encoder writes a text (ensure_ascii=False)


def fired_rules(ruleset: CompiledRuleset, facts: dict[str, Any]) -> list[str]:
    """Names of the rules whose conditions hold on the facts, each once, in firing order."""
    handle, sent = _handle(ruleset)
    idle = _idle.setdefault(handle, [])
    reused = bool(idle)
    sid = idle.pop() if reused else f"s{next(_sessions)}"  # a session's id is written into JSON as it is
    document = document_text(facts, sent, sid)
    fired: list[str] = []
    try:
        code, state = _dre.assert_fact(handle, document)
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
        _dre.retract_fact(handle, f'{{"sid": "{sid}", "id": "draft"}}')
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


def fired_again(
    evaluator: Callable[[CompiledRuleset, dict[str, Any]], list[str]],
    ruleset: CompiledRuleset,
    fired: list[str],
    facts: dict[str, Any],
    changed: frozenset[str],
) -> list[str]:
    """What ``evaluator`` fires of ``ruleset`` on ``facts``, given what it fired (``fired``) on facts that differ from
    them only in ``changed``: only the rules testing a changed fact are evaluated again (``CompiledRuleset.part``), a
    rule's outcome depending only on the facts it tests; in the ruleset's order, the order durable-rules runs the
    actions of one fact in (by their place in the definition, all of one priority)."""
    part = ruleset.part(changed)
    if part is None:
        return fired
    order = ruleset.fact_index().order
    return sorted([name for name in fired if name not in part.rules] + evaluator(part, facts), key=order.__getitem__)


def self_test(ruleset: CompiledRuleset, documents: list[dict[str, Any]]) -> list[tuple[dict[str, Any], list[str] | str]]:
    """For each document, the rules durable-rules fires, or the text of the error it raises (rules validate)."""
    out: list[tuple[dict[str, Any], list[str] | str]] = []
    for doc in documents:
        try:
            out.append((doc, fired_rules(ruleset, doc)))
        except Exception as exc:  # durable_rules_engine.error: the error code is the message
            out.append((doc, str(exc) or type(exc).__name__))
    return out
