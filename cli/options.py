"""What every ``quanze`` command shares: the --rules and --format options, loading the rules, and the exit-code guard."""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from quanze.cli import render
from quanze.engine.model.errors import QuanzeError

RulesOption = Annotated[
    Path | None,
    typer.Option("--rules", metavar="目录", help="规则目录（默认：环境变量 QUANZE_RULES，否则随包发布的 rules/）", file_okay=False),
]
FormatOption = Annotated[str, typer.Option("--format", metavar="格式", help="输出格式：text 或 json")]


def fail_input(problems: list[Any]) -> None:
    """Print one line per problem to stderr and exit 2."""
    for p in problems:
        render.echo(render.problem_text(p), err=True)
    raise typer.Exit(2)


def guarded(body: Callable[[], int]) -> None:
    """Run a command body: bad input → stderr lines and exit 2; a bug → one line and exit 3."""
    try:
        code = body()
    except QuanzeError as exc:
        fail_input(exc.problems)
    except typer.Exit:
        raise
    except BrokenPipeError:  # output piped into a command that stopped reading (e.g. head)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(0) from None
    except Exception as exc:  # never a traceback for users
        from quanze.engine.model.text import shown

        typer.echo(shown(f"quanze 内部错误（请报告此问题）：{type(exc).__name__}: {exc}"), err=True)
        raise typer.Exit(3) from None
    raise typer.Exit(code)


def check_format(fmt: str, allowed: tuple[str, ...] = ("text", "json")) -> None:
    """Reject an unknown --format value the same way as bad input."""
    if fmt not in allowed:
        render.echo(f"--format：期望以下之一：{'、'.join(allowed)}，实际为“{fmt}”", err=True)
        raise typer.Exit(2)


_FROZEN: list[bool] = []  # the first rules loaded were moved out of the collector's reach (gc.freeze)


def load(rules_dir: Path | None):
    """The RuleSet of --rules, else of QUANZE_RULES, else the shipped one; says which, and warns of ./rules."""
    from quanze.cli import rulesdir
    from quanze.engine import api

    collecting = gc.isenabled()
    gc.disable()  # as while the modules load (cli/main.py): the rules read are ~10^4 objects that live until the end
    try:
        ruleset, _how = api.load(rules_dir)
    finally:
        if not _FROZEN:  # once: a process that loads rules again (a test session) keeps the later ones collectable
            gc.freeze()
            _FROZEN.append(True)
        if collecting:
            gc.enable()
    notice = rulesdir.local_rules_notice(ruleset.root)
    if notice:
        render.echo(notice, err=True)
    return ruleset


def rules_line(rules_dir: Path | None, ruleset: Any) -> str:
    """The line a text report ends with, naming the rules in use: folder (the shipped rules by that name), how it was
    chosen (--rules, QUANZE_RULES, shipped), version."""
    from quanze.cli import rulesdir
    from quanze.engine import api

    path, how = api.rules_folder(rules_dir)
    return rulesdir.describe(ruleset.root, how, ruleset.version, path is None)
