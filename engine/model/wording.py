"""The officer's wording of a rule-authored message template: field paths as the form's labels, values in
words, no null hints, codes or file names, full-width punctuation.

Rule messages (``message:`` in rules/checks) are written once for the terminal, with field paths and codes;
an officer (the form, the 意见书, the review report, a finding's ``text`` in JSON) reads them in the form's
words. The template is worded once per rule, before any value from a draft is put in, so nothing the engine
or a draft wrote is ever parsed back: values are filled into both wordings as they are.
"""

from __future__ import annotations

import re
from functools import cache

from quanze.engine.model.text import zh

# patterns, compiled on first use (re keeps them): a check whose findings need no officer wording compiles none
_PLACEHOLDER = r"(\{[a-z_][a-z0-9_.]*\})"
_CODE_NOTE = r"\s*[（(\[]([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)[）)\]]"
_NULL_HINT = r"[；;，,]?[^；;，,（）()]*请写 null[^；;）)]*"
_FILE_NOTE = r"\s*[（(][^（）()]*\.(?:ya?ml|json)[^（）()]*[）)]|[A-Za-z0-9_./-]+\.(?:ya?ml|json)\b"
_VALUE = r"(?:(?<![A-Za-z0-9_.])([a-z][a-z0-9_.]*) )?为 ([a-z][a-z_]*)\b"
_BRACKETED = r"\s*[（(]([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)[）)]"
_TOKEN = r"(?<![A-Za-z0-9_.\[{])([a-z][a-z0-9_]*(?:\[\d+\])?(?:\.[a-z_0-9]+(?:\[\d+\])?)*)(?![A-Za-z0-9_}])"
_WORDS = {"true": "是", "false": "否", "null": "空"}
_TIGHT = r"(?<=”) +(?=[^\x00-\x7f])|(?<=[^\x00-\x7f]) +(?=“)"


def _field_of(token: str) -> str | None:
    """The draft field a token of a template names (a path, or the last part of one), or None."""
    from quanze.engine.model.labels import FIELDS

    bare = re.sub(r"\[\d+\]", "", token)
    if bare in FIELDS:
        return bare
    if "." in bare and bare.split(".")[0] in FIELDS:
        return bare
    return next((k for k in FIELDS if k.endswith("." + bare) and "_" in bare), None)


def _valued(token: str | None, value: str) -> str:
    """``field 为 value`` with the value in words: the field's own choices first (capacity none → 不能辨认或者不能控制)."""
    from quanze.engine.model.labels import CHOICES, VALUES

    found = _field_of(token) if token else None
    word = CHOICES.get(found or "", {}).get(value) or _WORDS.get(value) or VALUES.get(value, value)
    return (f"{token} " if token else "") + f"为“{word}”"


def _label(m: re.Match[str]) -> str:
    from quanze.engine.model.labels import field_label

    token = m.group(1)
    found = _field_of(token)
    if found is None:
        return token
    return "“" + field_label(token if found == re.sub(r"\[\d+\]", "", token) else found) + "”"


def _literal(text: str) -> str:
    text = re.sub(_CODE_NOTE, "", re.sub(_FILE_NOTE, "", re.sub(_NULL_HINT, "", text)))
    text = re.sub(_VALUE, lambda m: _valued(m.group(1), m.group(2)), text)
    text = re.sub(_BRACKETED, lambda m: m.group(0) if _field_of(m.group(1)) else "", text)
    text = re.sub(_TOKEN, _label, text)
    return re.sub(_TIGHT, "", text)  # no space between a quoted label and the Chinese beside it


@cache
def officer_template(template: str) -> str:
    """A rule message template in the officer's words; its ``{placeholders}`` kept for the values."""
    parts = re.split(_PLACEHOLDER, template)
    return zh("".join(p if i % 2 else _literal(p) for i, p in enumerate(parts)))


@cache
def placeholders(template: str) -> frozenset[str]:
    """The ``{names}`` of a template."""
    return frozenset(p[1:-1] for p in re.findall(_PLACEHOLDER, template))
