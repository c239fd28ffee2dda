"""Errors the engine raises, with their Chinese one-line texts.

``InputError`` is a problem in a draft (exit 2); ``RuleError`` is a problem in a rules folder (exit 2).
Both carry one ``Problem`` per line a user should read.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
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
    """One problem: where (file, line or field path) and what, in Chinese."""

    file: str
    where: str  # "第 12 行" or a field path such as decision.sanctions[1].amount
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.where}: {self.message}" if self.where else f"{self.file}: {self.message}"


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


def problems_from_validation(file: str, exc: ValidationError, where=None, hint=None) -> list[Problem]:
    """One Problem per pydantic error; ``where(loc)`` may turn a location into a line, ``hint(error)`` adds a suffix."""
    out = []
    for err in exc.errors(include_url=False):
        loc = err["loc"]
        place = where(loc) if where else field_path(loc)
        out.append(Problem(file, place, describe(err) + (hint(err) if hint else "")))
    return out


def did_you_mean(word: str, choices: Iterable[str], cutoff: float = 0.4) -> str:
    """A "，是否指「X」？" suffix when a close match exists, else ""."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    return f"，是否指「{close[0]}」？" if close else ""
