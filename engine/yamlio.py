"""Reading YAML strictly: duplicate keys are errors, only true/false are booleans, dates stay text, lines are kept.

PyYAML's SafeLoader follows YAML 1.1, where ``no``, ``yes``, ``on`` and ``off`` are booleans:
a 追责情形 entry ``{no: 3}`` would silently become ``{False: 3}``. This loader keeps them strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml


@dataclass(frozen=True)
class YamlProblem(Exception):
    """A YAML text that cannot be read: line (1-based, or 0 if unknown) and a Chinese reason."""

    line: int
    reason: str

    def __str__(self) -> str:
        return f"第 {self.line} 行: {self.reason}" if self.line else self.reason


_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's C parser when PyYAML was built with it


class StrictLoader(_Base):  # type: ignore[valid-type,misc]
    """SafeLoader without YAML 1.1 yes/no/on/off booleans, rejecting duplicate keys."""


# Dates stay strings here: pydantic parses them against the field (a bad date such as 2026-13-01
# becomes a field error with its path, not a crash inside the YAML reader).
StrictLoader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
StrictLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
# Integers only in plain decimal: YAML 1.1 reads 06501234 as octal (1737372) and 0x1F, 1_000, 1:30 as
# numbers, so a 执法证号 or an amount written with a leading zero would silently change. Such forms
# stay text (a certificate keeps its digits; an amount is then parsed or refused by its field).
for _first, _resolvers in StrictLoader.yaml_implicit_resolvers.items():
    _resolvers[:] = [(tag, rx) for tag, rx in _resolvers if tag != "tag:yaml.org,2002:int"]
StrictLoader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789"))


def _construct_mapping(loader: StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    loader.flatten_mapping(node)
    result: dict[Any, Any] = {}
    lines: dict[Any, int] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise YamlProblem(
                key_node.start_mark.line + 1,
                f"重复的键 {key!r} (首次出现在第 {lines[key]} 行)",
            )
        lines[key] = key_node.start_mark.line + 1
        result[key] = loader.construct_object(value_node, deep=deep)
    return LineDict(result, lines, node.start_mark.line + 1)


class LineDict(dict):
    """A mapping that remembers the line of each key and of itself."""

    def __init__(self, data: dict, lines: dict, line: int) -> None:
        super().__init__(data)
        self.key_lines = lines
        self.line = line


StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


_PROBLEMS = (  # libyaml's wording -> Chinese, most specific first
    ("did not find expected ',' or ']'", "方括号 [ ] 没有闭合或缺少逗号"),
    ("did not find expected ',' or '}'", "花括号 { } 没有闭合或缺少逗号"),
    ("mapping values are not allowed", "此处不能出现「键: 值」(值中的冒号后跟空格时请加引号)"),
    ("could not find expected ':'", "缺少冒号"),
    ("found character that cannot start any token", "出现不能作为开头的字符 (如制表符)"),
    ("found unexpected end of stream", "文本意外结束 (引号或括号没有闭合)"),
    ("did not find expected key", "缩进不一致或缺少键"),
    ("did not find expected node content", "缺少值"),
    ("found undefined alias", "引用了未定义的锚点"),
)


def _chinese(problem: str) -> str:
    for english, chinese in _PROBLEMS:
        if english in problem:
            return chinese
    return problem


def load_yaml(text: str) -> Any:
    """Parse one YAML document strictly; raise YamlProblem with the line on any error."""
    try:
        return yaml.load(text, Loader=StrictLoader)
    except YamlProblem:
        raise
    except yaml.MarkedYAMLError as exc:
        # an unclosed bracket is reported at the end of the text: point at where it was opened
        at_end = (
            "stream end" in (exc.problem or "") or "did not find expected ','" in (exc.problem or "")
        ) and exc.context_mark is not None
        mark = exc.context_mark if at_end else (exc.problem_mark or exc.context_mark)
        line = mark.line + 1 if mark else 0
        raise YamlProblem(line, f"YAML 语法错误: {_chinese(exc.problem or exc.context or '')}") from None
    except yaml.YAMLError as exc:
        raise YamlProblem(0, f"YAML 语法错误: {exc}") from None


def line_of(data: Any, path: tuple) -> int:
    """Best line number for a pydantic error location inside data loaded by load_yaml."""
    line = getattr(data, "line", 0)
    node = data
    for part in path:
        if isinstance(node, LineDict) and part in node:
            line = node.key_lines.get(part, line)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            line = getattr(node, "line", line)
        else:
            break
    return line
