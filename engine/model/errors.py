"""Errors the engine raises, with their Chinese one-line texts.

``InputError`` is a problem in a draft (exit 2); ``RuleError`` is a problem in a rules folder (exit 2).
Both carry one ``Problem`` per line a user should read.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

# pydantic error type -> Chinese "expected" phrase
_EXPECTED = {
    "missing": "必填字段",
    "extra_forbidden": "未知字段 (不允许)",
    "bool_type": "布尔值 true/false",
    "bool_parsing": "布尔值 true/false",
    "int_type": "整数",
    "int_parsing": "整数",
    "int_from_float": "整数",
    "float_type": "数字",
    "float_parsing": "数字",
    "string_type": "字符串",
    "date_type": "ISO 日期 YYYY-MM-DD",
    "date_parsing": "ISO 日期 YYYY-MM-DD",
    "date_from_datetime_parsing": "ISO 日期 YYYY-MM-DD",
    "date_from_datetime_inexact": "ISO 日期 YYYY-MM-DD",
    "list_type": "列表",
    "dict_type": "映射 (键: 值)",
    "model_type": "映射 (键: 值)",
    "model_attributes_type": "映射 (键: 值)",
    "literal_error": "以下之一: {expected}",
    "enum": "以下之一: {expected}",
    "string_pattern_mismatch": "符合格式 {pattern}",
    "string_too_short": "非空字符串",
    "too_short": "至少 {min_length} 项",
    "greater_than_equal": "不小于 {ge} 的数",
    "less_than_equal": "不大于 {le} 的数",
    "greater_than": "大于 {gt} 的数",
    "less_than": "小于 {lt} 的数",
    "too_long": "至多 {max_length} 项",
    "string_too_long": "至多 {max_length} 个字符",
    "finite_number": "有限的数",
    "union_tag_invalid": "以下之一: {expected_tags}",
    "union_tag_not_found": "含有字段 {discriminator}",
    "frozen_instance": "不可修改",
}


@dataclass(frozen=True)
class Problem:
    """One problem of an input: where, and what in the terminal's words and in parts each audience words itself.

    ``where`` and ``message`` make the terminal line (``file: decision.sanctions[1].amount: message``, contract
    §exit codes); ``path`` is the field as a tuple, ``expected``/``got``/``hint``/``suggestion`` are the parts of
    the message, and ``officer`` the sentence an officer reads when the message names fields or rules files.
    ``engine/present/output.py`` words a Problem for each audience.

    A rules folder's problem also says what it is about, for the loader only (never in JSON or text): ``about``, the
    ids it names (item, law, provision, params file's law, param, rule, code, named condition, role), and
    ``cascade``, whether it says a check rule or named condition is absent (what a check file that failed to read
    would leave absent). ``engine/load/loader.py`` ``_follows_from`` decides from these alone.
    """

    file: str
    where: str  # "第 12 行", a field path such as decision.sanctions[1].amount, an option (--out), or ""
    message: str  # the terminal's sentence
    path: tuple[str | int, ...] = ()  # the field, when the problem is in one
    expected: str = ""  # what the field takes, in the officer's words
    got: str = ""  # the value written, shown (an officer reads it in 「」)
    hint: str = ""  # why, or what to do, in the officer's words
    suggestion: str = ""  # the close match of an unknown name, as the officer would write it
    officer: str = ""  # the officer's sentence where the parts do not make it ("" = from the parts or the message)
    choice: bool = False  # the field takes one of its coded values (the officer reads them by their names)
    about: tuple[str, ...] = field(default=(), kw_only=True, compare=False)  # the rules ids it names
    cascade: bool = field(default=False, kw_only=True, compare=False)  # says a check rule or condition is absent

    @classmethod
    def at(cls, file: str, path: Sequence[str | int] | str, message: str, **parts: Any) -> Problem:
        """A problem in the field at ``path`` (a tuple, or a dotted name without indices such as decision.tier);
        its terminal ``where`` is rendered from the tuple."""
        keys = tuple(path.split(".")) if isinstance(path, str) else tuple(path)
        return cls(file, field_path(keys), message, keys, **parts)

    def __str__(self) -> str:
        return f"{self.file}: {self.where}: {self.message}" if self.where else f"{self.file}: {self.message}"

    def record(self) -> dict[str, Any]:
        """The record in JSON: file, where, message (the contract's), and the parts (empty ones left out)."""
        out: dict[str, Any] = {"file": self.file, "where": self.where, "message": self.message}
        if self.path:
            out["path"] = list(self.path)
        for key in ("expected", "got", "hint", "suggestion"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        return out


class Worded(ValueError):
    """A validator's error with the officer's sentence beside the terminal's (pydantic keeps it in ``ctx``)."""

    def __init__(self, message: str, officer: str = "", expected: str = "", got: str = "", hint: str = "") -> None:
        super().__init__(message)
        self.officer, self.expected, self.got, self.hint = officer, expected, got, hint


class QuanzeError(Exception):
    """Base of the errors that end a command with exit code 2."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class InputError(QuanzeError):
    """A draft (or a command argument) that cannot be checked."""


class RuleError(QuanzeError):
    """A rules folder that does not validate."""


def display_path(path: Any) -> str:
    """A file name fit for any output: bytes that are not UTF-8 (kept by the OS as surrogates) become U+FFFD."""
    text = str(path)
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:  # a surrogate that does not stand for a byte
        return text.encode("utf-8", "replace").decode("utf-8")


def renamed(problems: list[Problem], file: str, label: str) -> list[Problem]:
    """The problems of ``file`` named ``label`` (a case file read into a temporary folder: its 文号 and documents)."""
    return [dataclasses.replace(p, file=label) if p.file == file else p for p in problems]


def field_path(loc: Iterable[Any]) -> str:
    """Render a pydantic ``loc`` as decision.sanctions[1].amount."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif isinstance(part, str) and part.startswith("function-"):  # a validator's wrapper, not a field
            continue
        else:
            text = str(part)
            if not text.isprintable() or not text:  # a key with a line break or a control character stays on one line
                text = visible(json.dumps(text, ensure_ascii=False))
            out += ("." if out else "") + text
    return out


SHOW_CHARS = 60  # of a value quoted in a message; never more than about 80 characters with the ellipsis


def show_value(value: Any) -> str:
    """The value a user wrote, shortened, for the 实际为 part of a message.

    Rendered piece by piece and stopped at the limit, so a huge or deeply nested value (an alias
    bomb's) costs no more than its first characters.
    """
    parts: list[str] = []
    length = 0
    for piece in _pieces(value, 0):
        parts.append(piece)
        length += len(piece)
        if length > SHOW_CHARS:
            break
    text = "".join(parts)
    text = text.encode("utf-8", "replace").decode("utf-8")  # a lone surrogate must not reach the output
    return text if len(text) <= SHOW_CHARS else text[: SHOW_CHARS - 3] + "…"


def _pieces(value: Any, depth: int) -> Iterator[str]:
    """JSON-like text of a value in small pieces (a container's items lazily)."""
    if depth > 8:
        yield "…"
    elif isinstance(value, dict):
        yield "{"
        for i, (k, v) in enumerate(value.items()):
            yield (", " if i else "") + _scalar(k if isinstance(k, str) else str(k)) + ": "
            yield from _pieces(v, depth + 1)
        yield "}"
    elif isinstance(value, (list, tuple)):
        yield "["
        for i, v in enumerate(value):
            if i:
                yield ", "
            yield from _pieces(v, depth + 1)
        yield "]"
    else:
        yield _scalar(value)


def _scalar(value: Any) -> str:
    if isinstance(value, str) and len(value) > SHOW_CHARS:
        value = value[: SHOW_CHARS + 1]
    try:
        return visible(json.dumps(value, ensure_ascii=False, default=str))
    except (TypeError, ValueError):
        return repr(value)[: SHOW_CHARS + 1]


def visible(text: str) -> str:
    """Text with every non-printable character (line and paragraph separators, controls) as a \\uXXXX escape."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text)


def describe(error: dict[str, Any]) -> str:
    """One Chinese sentence for one pydantic error: 期望…, 实际为…."""
    kind = error["type"]
    if kind == "missing":
        return "缺少必填字段"
    if kind == "extra_forbidden":
        return f"未知字段, 实际为 {show_value(error.get('input'))}"
    if kind == "value_error":
        return str((error.get("ctx") or {}).get("error", error["msg"])).removeprefix("Value error, ")
    return f"期望{expected_text(error)}, 实际为 {show_value(error.get('input'))}"


def expected_text(error: dict[str, Any]) -> str:
    """What a pydantic error expected, in Chinese (a kind not listed: 有效的取值, never pydantic's English)."""
    template = _EXPECTED.get(error["type"])
    expected = template.format(**(error.get("ctx") or {})) if template else "有效的取值"
    return expected.replace("' or '", "'、'").replace("', '", "'、'")


# pydantic error type -> what the field takes, in the officer's words (full-width, values in 「」)
_EXPECTED_OFFICER = {
    **_EXPECTED,
    "extra_forbidden": "",
    "dict_type": "映射（键：值）",
    "model_type": "映射（键：值）",
    "model_attributes_type": "映射（键：值）",
    "literal_error": "以下之一：{expected}",
    "enum": "以下之一：{expected}",
    "union_tag_invalid": "以下之一：{expected_tags}",
    "union_tag_not_found": "含有字段「{discriminator}」",
    "string_pattern_mismatch": "符合格式「{pattern}」",
    "bool_type": "是或否（true 或 false）",
    "bool_parsing": "是或否（true 或 false）",
}


def shown_plain(value: Any) -> str:
    """The value a user wrote as an officer reads it in 「」: text as written (shortened), anything else as JSON."""
    if isinstance(value, str):
        text = visible(value.encode("utf-8", "replace").decode("utf-8"))
        return text if len(text) <= SHOW_CHARS else text[: SHOW_CHARS - 3] + "…"
    return show_value(value)


def _choices(listed: str) -> str:
    """pydantic's "'a', 'b' or 'c'" as 「a」、「b」、「c」."""
    inner = listed.replace("' or '", "」、「").replace("', '", "」、「")
    return "「" + inner.removeprefix("'").removesuffix("'") + "」" if inner.startswith("'") else inner


def officer_parts(error: dict[str, Any]) -> dict[str, Any]:
    """The parts of one pydantic error an officer reads: expected, got, hint, and the sentence where needed."""
    kind = error["type"]
    ctx = dict(error.get("ctx") or {})
    if kind == "missing":
        return {}
    if kind == "value_error":
        cause = ctx.get("error")
        if isinstance(cause, Worded):
            return {k: v for k, v in vars(cause).items() if k in ("officer", "expected", "got", "hint") and v}
        return {}
    got = {"got": shown_plain(error.get("input"))}
    if kind == "extra_forbidden":
        return {**got, "officer": "未知字段"}
    if "expected" in ctx:
        ctx["expected"] = _choices(str(ctx["expected"]))
    if "expected_tags" in ctx:
        ctx["expected_tags"] = _choices(str(ctx["expected_tags"]))
    template = _EXPECTED_OFFICER.get(kind)
    choice = {"choice": True} if kind in ("literal_error", "enum") else {}
    return {**got, **choice, "expected": template.format(**ctx)} if template else {}


def problems_from_validation(file: str, exc: ValidationError, where=None, suggest=None) -> list[Problem]:
    """One Problem per pydantic error; ``where(loc)`` may turn a location into a line, ``suggest(error)`` gives the
    close match of an unknown field as (its name, its officer words), or None."""
    out = []
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        close, words = (suggest(err) if suggest else None) or ("", "")
        message = describe(err) + (f"，是否指「{close}」？" if close else "")
        if where:
            out.append(Problem(file, where(err["loc"]), message))
        else:
            out.append(Problem.at(file, loc, message, suggestion=words, **officer_parts(err)))
    return out


def did_you_mean(word: str, choices: Iterable[str], cutoff: float = 0.4) -> str:
    """A "，是否指「X」？" suffix when a close match exists, else ""."""
    close = close_match(word, choices, cutoff)
    return f"，是否指「{close}」？" if close else ""


def close_match(word: str, choices: Iterable[str], cutoff: float = 0.4) -> str:
    """The closest of ``choices`` to ``word``, or ""."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    return close[0] if close else ""


def unknown_name(file: str, path: Sequence[str | int], what: str, written: str, close: str, tail: str = "") -> Problem:
    """A name the rules do not know: ``未知的处罚种类 '罚金'，是否指「罚款」？`` for the terminal, its parts for the
    officer (``tail``: what the item allows, after the message)."""
    asked = f"，是否指「{close}」？" if close else ""
    message = f"{what} {written!r}{asked}" + (f"；{tail}" if tail else "")
    return Problem.at(file, path, message, officer=f"{what}「{written}」", got=written, suggestion=close, hint=tail)
