"""Typer's and click's own words in Chinese: usage errors, the usage line, the --help boilerplate.

typer (0.29) writes these in English without gettext, so ``install()`` replaces typer's error
printer with one that translates the message (``translate``) and prints it as plain lines:

    用法：quanze check [选项] 文件...
    错误：缺少参数“文件...”
    帮助：quanze check --help

and sets the Chinese panel titles and the --help option's help text.

Start-up pays nothing for it: typer imports ``typer.rich_utils`` (rich, markdown-it, pygments: ~50 ms)
only to print an error or a help page, so ``install()`` patches that module when it is first imported
(an import hook), never importing it itself; the other patches touch modules typer has already loaded.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import re
import sys
from typing import Any

_TYPES = {"argument": "参数", "option": "选项", "parameter": "参数"}
_PATH_KINDS = {"File": "文件", "Directory": "目录", "Path": "路径", "file": "文件", "directory": "目录", "path": "路径"}


def _hint(text: str) -> str:
    return "、".join(f"“{h.strip()}”" for h in re.split(r"\s*/\s*|,\s*", text.strip().strip("'\"")) if h.strip())


def _value(text: str) -> str:
    rules: list[tuple[str, Any]] = [
        (r"^(File|Directory|Path) '(.*)' does not exist\.?$", lambda m: f"{_PATH_KINDS[m[1]]} {m[2]} 不存在"),
        (r"^(File|Directory|Path) '(.*)' is a file\.?$", lambda m: f"{m[2]} 是文件，不是目录"),
        (r"^(File|Directory|Path) '(.*)' is a directory\.?$", lambda m: f"{m[2]} 是目录，不是文件"),
        (r"^(File|Directory|Path) '(.*)' is not readable\.?$", lambda m: f"{m[2]} 不可读"),
        (r"^(File|Directory|Path) '(.*)' is not writable\.?$", lambda m: f"{m[2]} 不可写"),
        (r"^'?(.*?)'? is not a valid (integer|float|boolean)\.?$", lambda m: f"“{m[1]}”不是{_KIND[m[2]]}"),
        (r"^Value '?(.*?)'? is not a valid (\w+)\.?$", lambda m: f"“{m[1]}”不是{_KIND.get(m[2], '有效的值')}"),
        (r"^Input should be a valid (integer|number|boolean).*$", lambda m: f"应为{_KIND[m[1]]}"),
        (r"^Input should be (greater|less) than( or equal to)? (\S+?)\.?$", lambda m: f"应{_BOUND[m[1], bool(m[2])]} {m[3]}"),
        (r"^'?(.*?)'? is not in the range (.*?)\.?$", lambda m: f"“{m[1]}”不在范围 {m[2]} 内"),
        (r"^'(.*)' is not one of (.*)\.?$", lambda m: f"“{m[1]}”不是以下之一：{m[2]}"),
    ]
    for pattern, fn in rules:
        m = re.match(pattern, text.strip())
        if m:
            return fn(m)
    return text


_BOUND = {("greater", False): "大于", ("greater", True): "不小于", ("less", False): "小于", ("less", True): "不大于"}
_KIND = {"integer": "整数", "int": "整数", "float": "数字", "number": "数字", "boolean": "布尔值", "bool": "布尔值"}


def translate(message: str) -> str:
    """A click/typer usage error in Chinese (unknown messages are returned as they came)."""
    m = re.match(r"^Missing (argument|option|parameter)s? (.+?)\.(?:\s.*)?$", message)
    if m:
        return f"缺少{_TYPES[m[1]]}{_hint(m[2])}"
    m = re.match(r"^No such option: (\S+)(?: \(Possible options: (.*)\))?$", message)
    if m:
        return f"没有此选项：{m[1]}" + (f"（可用：{m[2]}）" if m[2] else "")
    m = re.match(r"^No such option: (\S+)\s+Did you mean (.*)\?$", message)
    if m:
        return f"没有此选项：{m[1]}（是否指 {m[2]}？）"
    m = re.match(r"^Got unexpected extra argument(?:\(s\)|s)? \((.*)\)$", message)
    if m:
        return f"多余的参数：{m[1]}"
    if message.strip() == "Missing command.":
        return "缺少子命令"
    m = re.match(r"^No such command '(.*)'\.$", message)
    if m:
        return f"没有此命令：“{m[1]}”"
    m = re.match(r"^Option '(.+)' requires (an argument|\d+ arguments)\.$", message)
    if m:
        return f"选项 {m[1]} 需要一个值"
    m = re.match(r"^Option '(.+)' does not take a value\.$", message)
    if m:
        return f"选项 {m[1]} 不接受值"
    m = re.match(r"^Invalid value for (.+?): (.*)$", message, re.S)
    if m:
        return f"{_hint(m[1])}的值无效：{_value(m[2])}"
    m = re.match(r"^Invalid value: (.*)$", message, re.S)
    if m:
        return f"值无效：{_value(m[1])}"
    return message


def usage_line(usage: str) -> str:
    """``Usage: quanze check [OPTIONS] FILES...`` in Chinese."""
    usage = usage.replace("Usage:", "用法：").replace("[OPTIONS]", "[选项]").replace("COMMAND [ARGS]...", "命令 [参数]...")
    usage = re.sub(r"\{([^{}]+)\}", r"\1", usage)  # typer's {REQUIRED} braces
    return re.sub(r"用法：\s+", "用法：", usage)


_TYPE_WORDS = {
    "bool": "",
    "Path": "路径",
    "path": "路径",
    "file": "文件",
    "directory": "目录",
    "str": "文字",
    "int": "整数",
    "float": "数字",
}


def type_word(label: str | None) -> str | None:
    """typer's ``<list[Path]>`` type label in Chinese (None for a flag)."""
    if not label:
        return label
    inner = label.strip("<>")
    many = inner.startswith("list[")
    inner = inner[5:-1] if many else inner
    word = _TYPE_WORDS.get(inner, inner)
    if not word:
        return None
    return f"<{word}{'…' if many else ''}>"


def print_error(exc: Any) -> None:
    """typer's error printer, in Chinese, as plain lines on stderr."""
    if exc.__class__.__name__ == "NoArgsIsHelpError":
        return
    ctx = getattr(exc, "ctx", None)
    out = sys.stderr
    if ctx is not None:
        print(usage_line(ctx.get_usage()), file=out)
    print(f"错误：{translate(exc.format_message())}", file=out)
    if ctx is not None and ctx.command.get_help_option(ctx) is not None:
        print(f"帮助：{ctx.command_path} {ctx.help_option_names[0]}", file=out)


_RICH = "typer.rich_utils"


def _patch_rich(ru: Any) -> None:
    """The Chinese error printer and panel words in typer's rich printer."""
    ru.rich_format_error = print_error
    ru.ARGUMENTS_PANEL_TITLE = "参数"
    ru.OPTIONS_PANEL_TITLE = "选项"
    ru.COMMANDS_PANEL_TITLE = "命令"
    ru.ERRORS_PANEL_TITLE = "错误"
    ru.ABORTED_TEXT = "已中止。"
    ru.DEFAULT_STRING = "[默认：{}]"
    ru.ENVVAR_STRING = "[环境变量：{}]"
    ru.REQUIRED_LONG_STRING = "[必填]"
    ru.DEPRECATED_STRING = "（已弃用）"
    ru.RICH_HELP = "帮助：{command_path} {help_option}"


class _RichHook(importlib.abc.MetaPathFinder):
    """Patches ``typer.rich_utils`` right after it is imported (by typer, on the first error or --help)."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if name != _RICH:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return None
        loader = spec.loader
        original = loader.exec_module

        def exec_module(module: Any) -> None:
            original(module)
            _patch_rich(module)

        loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


def _defer_rich() -> None:
    if _RICH in sys.modules:  # already imported (a test, an earlier error): patch it now
        _patch_rich(sys.modules[_RICH])
    elif not any(isinstance(f, _RichHook) for f in sys.meta_path):
        sys.meta_path.insert(0, _RichHook())


def install() -> None:
    """Put the Chinese printer and titles in place of typer's English ones (idempotent)."""
    from typer._click import decorators, formatting

    _defer_rich()
    from typer.core import _TyperParameter

    if not getattr(_TyperParameter.display_type, "_zh", False):
        original_type = _TyperParameter.display_type

        def display_type(self: Any, ctx: Any) -> Any:
            return type_word(original_type(self, ctx))

        display_type._zh = True  # type: ignore[attr-defined]
        _TyperParameter.display_type = display_type
    original_help_option = getattr(decorators.help_option, "__wrapped__", decorators.help_option)

    def help_option(param_decls: list[str]) -> Any:
        decorate = original_help_option(param_decls)

        def apply(command: Any) -> Any:
            command = decorate(command)
            command.params[-1].help = "显示此帮助并退出。"
            return command

        return apply

    help_option.__wrapped__ = original_help_option  # type: ignore[attr-defined]
    decorators.help_option = help_option
    if not getattr(formatting.HelpFormatter.write_usage, "_zh", False):
        original_usage = formatting.HelpFormatter.write_usage

        def write_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
            args = re.sub(r"\{([^{}]+)\}", r"\1", args.replace("[OPTIONS]", "[选项]"))
            original_usage(self, prog, args, "用法：" if prefix is None else prefix)

        write_usage._zh = True  # type: ignore[attr-defined]
        formatting.HelpFormatter.write_usage = write_usage
