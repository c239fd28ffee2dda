"""Reading YAML strictly: duplicate keys are errors, only true/false are booleans, dates stay text, lines are kept.

PyYAML's SafeLoader follows YAML 1.1, where ``no``, ``yes``, ``on`` and ``off`` are booleans:
a 追责情形 entry ``{no: 3}`` would silently become ``{False: 3}``. This loader keeps them strings.
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass
from typing import Any

import yaml


@dataclass(frozen=True)
class YamlProblem(Exception):
    """A YAML text that cannot be read: line (1-based, or 0 if unknown) and a Chinese reason."""

    line: int
    reason: str
    officer: str = ""  # the reason in the officer's punctuation, where it differs

    def __str__(self) -> str:
        return f"第 {self.line} 行: {self.reason}" if self.line else self.reason


_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's C parser when PyYAML was built with it
_STR, _SEQ, _MAP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"


class StrictLoader(_Base):  # type: ignore[valid-type,misc]
    """SafeLoader without YAML 1.1 yes/no/on/off booleans, rejecting duplicate keys."""

    # no path resolvers (add_path_resolver is never called): the composer's two calls around every node have
    # nothing to do. Each is a C callable that ignores its arguments (a builtin is no descriptor: called as
    # ``self.descend_resolver(parent, index)`` it gets just those two), so a node costs no Python frame for them
    descend_resolver = operator.is_  # (parent, index) -> a bool, unused
    ascend_resolver = tuple  # () -> (), unused


# Dates stay strings here: pydantic parses them against the field (a bad date such as 2026-13-01
# becomes a field error with its path, not a crash inside the YAML reader).
# Integers are decimal only: YAML 1.1 reads 070000 as octal (28672), 0x10 as hex and 1:30 as 90;
# those stay text, so an amount 070000 is read as 70000 yuan (engine/model/money.py) and 1:30 is refused.
StrictLoader.yaml_implicit_resolvers = {
    key: [
        (tag, rx) for tag, rx in resolvers if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:int")
    ]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
StrictLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
StrictLoader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$"), list("-+0123456789"))


def _construct_mapping(loader: StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    loader.flatten_mapping(node)
    result: dict[Any, Any] = {}
    lines: dict[Any, int] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if isinstance(key, (list, dict)):  # a complex key (``? [a, b]``): no draft field is one, and it cannot be compared
            raise YamlProblem(key_node.start_mark.line + 1, "键不能是列表或映射（? 复杂键），请写成文字")
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

_RESOLVED: dict[str, str] = {}  # plain scalar text -> tag: StrictLoader's resolvers are fixed at import
_RESOLVED_MAX = 1 << 13  # bounds what a long review holds (every sample case: ~3 500 texts); one met once (a case id) is dropped at a clear


# first characters of a plain scalar some implicit resolver may match ('' for the empty text; no None wildcard)
_RESOLVER_FIRSTS = frozenset(c for c, resolvers in StrictLoader.yaml_implicit_resolvers.items() if resolvers)
assert None not in StrictLoader.yaml_implicit_resolvers


def _resolve(self: StrictLoader, kind: Any, value: Any, implicit: Any, _scalar: Any = yaml.ScalarNode) -> Any:
    """``Resolver.resolve`` remembered for plain scalars (keys, names, dates repeat from draft to draft).

    A quoted scalar, or a plain one whose first character starts no implicit resolver (a Chinese text, most keys),
    is a str without a look: as ``Resolver.resolve`` finds, which tries only the resolvers of the first character."""
    if type(self) is not StrictLoader:
        return _Base.resolve(self, kind, value, implicit)
    if kind is not _scalar:  # a mapping or a sequence without a tag: its default tag (there are no path resolvers)
        return _MAP if kind is yaml.MappingNode else _SEQ
    if not implicit[0] or (value and value[0] not in _RESOLVER_FIRSTS):
        return _STR
    return _plain_tag(self, value)


def _plain_tag(loader: StrictLoader, value: str, _known: Any = _RESOLVED.get) -> str:
    """The tag StrictLoader's resolvers give a plain scalar's text (``Resolver.resolve``, which reads only the text
    of a plain scalar), remembered for texts of at most 200 characters."""
    if len(value) > 200:  # long texts are not kept
        return _Base.resolve(loader, yaml.ScalarNode, value, (True, False))
    tag = _known(value)  # _RESOLVED.get (the dict is cleared, never replaced)
    if tag is None:
        tag = _Base.resolve(loader, yaml.ScalarNode, value, (True, False))
        if len(_RESOLVED) >= _RESOLVED_MAX:
            _RESOLVED.clear()
        _RESOLVED[value] = tag
    return tag


StrictLoader.resolve = _resolve  # type: ignore[method-assign]


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
    ("exceeded maximum nesting depth", "嵌套过深"),
    ("found invalid Unicode character escape code", "无效的 Unicode 转义（如孤立的代理项 \\ud800）"),
    ("found unknown escape character", "双引号中有未知的转义（反斜杠请写成 \\\\，或改用单引号）"),
    ("did not find expected '-' indicator", "列表项缩进不一致（此处应为「- 」开头的一项）"),
    ("but found another document", "只能有一个 YAML 文档（不能用 --- 分隔多个）"),
    ("did not find expected <document start>", "一个完整的值之后还有多余的内容（如多余的括号或引号）"),
    ("second occurrence", "锚点（&名称）重复定义"),
    ("did not find expected alphabetic or numeric character", "锚点或别名（& 或 *）后缺少名称"),
    ("found undefined tag handle", "不支持的标签（草稿中不能使用 ! 或 !! 标签）"),
    ("directive", "不支持的 % 指令"),
    ("found a tab character that violates indentation", "制表符破坏了缩进（请用空格缩进）"),
)
UNREADABLE = "格式不正确，无法解析"  # a libyaml wording not in _PROBLEMS: never shown in English

MAX_DEPTH = 32  # a draft nests 4 levels deep; anything far deeper is not a draft
MAX_EXPANDED = 100_000  # nodes after expanding every *alias (an alias bomb expands to billions)


def _chinese(problem: str) -> str:
    tag = re.search(r"could not determine a constructor for the tag '([^']*)'", problem)
    if tag:  # !!python/object and other tags: never constructed
        return f"不支持的标签 {tag.group(1)[:60]}（草稿中不能使用 ! 或 !! 标签）"
    for english, chinese in _PROBLEMS:
        if english in problem:
            return chinese
    return UNREADABLE


def check_nodes(root: yaml.Node | None) -> None:
    """Refuse a node graph nested deeper than MAX_DEPTH, with a cycle, or expanding *aliases to over MAX_EXPANDED nodes.

    Walks each distinct node once (aliases share nodes), so an alias bomb is measured, not expanded.
    """
    if root is None:
        return
    size: dict[int, tuple[int, int]] = {}  # expanded node count and height of each finished node
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        children = _children(node)
        line = node.start_mark.line + 1
        if done:
            on_path.discard(key)
            count = 1 + sum(size[id(c)][0] for c in children)
            height = 1 + max((size[id(c)][1] for c in children), default=0)
            if count > MAX_EXPANDED:
                raise YamlProblem(line, f"别名（*引用）展开后超过 {MAX_EXPANDED} 个节点，拒绝读取")
            if height > MAX_DEPTH:
                raise YamlProblem(line, f"嵌套过深（超过 {MAX_DEPTH} 层）")
            size[key] = (count, height)
            continue
        if key in size:
            continue
        if key in on_path:
            raise YamlProblem(line, "别名（*引用）引用了自身，形成循环")
        on_path.add(key)
        stack.append((node, True))
        stack.extend((c, False) for c in children if id(c) not in size)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


TOO_MANY_DIGITS = "含有位数过多的数字（超过 4300 位），无法读取"
MAX_BODY_NODES = 250_000  # values in one request body: a 1 MiB batch of lawful drafts holds about 120 000


class TooManyItems(Exception):
    """A YAML list with more top-level items than allowed (``count_nodes``): ``count`` is where counting stopped."""

    def __init__(self, count: int) -> None:
        super().__init__(count)
        self.count = count


def count_nodes(text: str, max_nodes: int = MAX_BODY_NODES, max_items: int | None = None) -> None:
    """Count a YAML text's values while libyaml parses it, before any is built (a request body).

    Composing 340 000 ``{}`` took the parsing thread seconds before the batch was found too long: here
    the count stops at ``max_nodes`` values (YamlProblem) or, when the text is a list, past ``max_items``
    items (TooManyItems), as soon as the parser reaches them. Syntax errors are left to ``load_yaml``.
    """
    nodes = depth = items = 0
    root_is_list = False
    starts = (yaml.ScalarEvent, yaml.AliasEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)
    try:
        for event in yaml.parse(text, Loader=_Base):
            if isinstance(event, starts):
                nodes += 1
                if depth == 0:
                    root_is_list = isinstance(event, yaml.SequenceStartEvent)
                elif depth == 1 and root_is_list:
                    items += 1
                    if max_items is not None and items > max_items:
                        raise TooManyItems(items)
                if nodes > max_nodes:
                    raise YamlProblem(event.start_mark.line + 1, f"值超过 {max_nodes} 个，拒绝读取")
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        return  # load_yaml reports it, with its line


_SCALAR = yaml.ScalarNode
_PLAIN_SCALARS = {tag: StrictLoader.yaml_constructors[tag] for tag in (f"tag:yaml.org,2002:{t}" for t in ("null", "bool", "int", "float"))}
_INT = "tag:yaml.org,2002:int"
# the values of the plain texts StrictLoader's null and bool resolvers admit, as SafeConstructor builds them
_WORDS = dict.fromkeys(("", "~", "null", "Null", "NULL")) | {
    t: t.lower() == "true" for t in ("true", "True", "TRUE", "false", "False", "FALSE")
}


class _NotPlain(Exception):
    """A document the plain build leaves to PyYAML's constructor (a tag, a merge key, a problem)."""


class _Untagged(StrictLoader):
    """StrictLoader composing a text without ``!`` (so without a tag) for ``_plain``: the composer asks ``resolve`` the
    tag of every node, and here ``"".format`` answers, a C callable giving "" without a Python frame; ``_plain`` finds
    the tag of a plain scalar itself, as ``_resolve`` does (a quoted or block scalar is a text)."""

    resolve = "".format  # (kind, value, implicit) -> "", its arguments unused


def _plain(loader: _Untagged, node: yaml.Node, depth: int = 1, _known: Any = _RESOLVED.get) -> Any:
    """The value of a node tree composed by _Untagged (no tag, no anchor), as ``construct_document`` builds it, with
    plain dicts (no lines).

    Only str, null, bool, int and float scalars, lists and mappings of them; anything else (a ``<<`` merge, a duplicate
    or complex key, a number Python refuses, containers nested deeper than MAX_DEPTH: ``depth`` is the level of ``node``)
    raises _NotPlain, and the caller builds the document with its tags and PyYAML's constructor, which gives its own
    value or error.

    A scalar is its text as it is when quoted or in a block, when plain with a first character no resolver starts with
    (a Chinese text, most keys) or when its tag is remembered as str (a key such as ``name``, a date): tested where the
    scalar is met (the three lines marked "a text as it is"), most nodes without a call; else ``_scalar`` reads it."""
    kind = type(node)
    if kind is _SCALAR:
        text = node.value
        if node.style or (text and text[0] not in _RESOLVER_FIRSTS) or _known(text) == _STR:  # a text as it is
            return text
        return _scalar(loader, node)
    if depth > MAX_DEPTH:
        raise _NotPlain
    if kind is yaml.MappingNode:
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if type(key_node) is not _SCALAR:
                raise _NotPlain
            key = key_node.value
            if not (key_node.style or (key and key[0] not in _RESOLVER_FIRSTS) or _known(key) == _STR):  # a text as it is
                key = _scalar(loader, key_node)
            if key in out:
                raise _NotPlain
            if type(value_node) is not _SCALAR:
                out[key] = _plain(loader, value_node, depth + 1)
                continue
            value = value_node.value
            if not (value_node.style or (value and value[0] not in _RESOLVER_FIRSTS) or _known(value) == _STR):  # a text as it is
                value = _WORDS[value] if value in _WORDS else _scalar(loader, value_node)  # a null or bool word at once
            out[key] = value
        return out
    if kind is yaml.SequenceNode:
        return [_plain(loader, c, depth + 1) for c in node.value]
    raise _NotPlain


def _scalar(loader: _Untagged, node: yaml.ScalarNode) -> Any:
    """The value of a plain scalar that may be no text (its first character starts a resolver): as SafeConstructor
    builds it from the tag ``_plain_tag`` finds (a null or bool word at once)."""
    text = node.value
    if text in _WORDS:
        return _WORDS[text]
    tag = _plain_tag(loader, text)
    if tag == _STR:
        return text
    make = _PLAIN_SCALARS.get(tag)
    if make is None:
        raise _NotPlain
    try:  # decimal digits without a leading 0 (070 is octal to SafeConstructor) are the int int() reads
        return int(text) if tag == _INT and text.isdecimal() and text[0] != "0" else make(loader, node)
    except ValueError:  # an integer of more than 4,300 digits
        raise _NotPlain from None


def load_yaml(text: str, lines: bool = True) -> Any:
    """Parse one YAML document strictly; raise YamlProblem with the line on any error.

    ``lines``: mappings remember their lines (``LineDict``, for ``line_of``); without, a document with no anchor
    is built as plain dicts and lists directly from the nodes (a draft: its lines are never used), the same values."""
    return _load(text, lines)[0]


def load_draft_yaml(text: str) -> tuple[Any, bool]:
    """``load_yaml(text, lines=False)``, and whether the value is known to nest at most MAX_DEPTH containers deep
    (built plain, which refuses deeper), so that the draft reader need not walk it to know."""
    return _load(text, False)


def _load(text: str, lines: bool) -> tuple[Any, bool]:
    plain = not lines and "&" not in text and "!" not in text  # no anchor, no tag: built plain
    loader = _Untagged(text) if plain else StrictLoader(text)
    try:
        node = loader.get_single_node()
        if plain and node is not None:
            try:
                return _plain(loader, node), True
            except (_NotPlain, RecursionError):  # PyYAML's constructor reads the tags: composed again, with them
                loader.dispose()
                loader = StrictLoader(text)
                node = loader.get_single_node()
        elif "&" in text:  # without an anchor there is no alias: nothing expands, and libyaml bounds the nesting
            check_nodes(node)
        return (loader.construct_document(node) if node is not None else None), False
    except YamlProblem:
        raise
    except yaml.MarkedYAMLError as exc:
        # an unclosed bracket is reported at the end of the text: point at where it was opened
        at_end = (
            "stream end" in (exc.problem or "") or "did not find expected ','" in (exc.problem or "")
        ) and exc.context_mark is not None
        mark = exc.context_mark if at_end else (exc.problem_mark or exc.context_mark)
        line = mark.line + 1 if mark else 0
        why = _chinese(exc.problem or exc.context or "")
        raise YamlProblem(line, f"YAML 语法错误: {why}", f"YAML 语法错误：{why}") from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (a control character, U+FFFE)
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        line = text.count("\n", 0, exc.position) + 1 if isinstance(exc.position, int) else 0
        raise YamlProblem(line, f"含有 YAML 不允许的字符 U+{code:04X}（控制字符等）") from None
    except yaml.YAMLError as exc:
        why = _chinese(str(exc))
        raise YamlProblem(0, f"YAML 语法错误: {why}", f"YAML 语法错误：{why}") from None
    except ValueError:  # an integer of more than 4,300 digits: Python refuses to read it (sys.set_int_max_str_digits)
        raise YamlProblem(0, TOO_MANY_DIGITS) from None
    finally:
        loader.dispose()


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
