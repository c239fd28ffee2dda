"""``quanze deadlines``: the last lawful day of every step with a time limit, for one draft or a folder of cases."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from quanze.cli import render
from quanze.cli.options import FormatOption, RulesOption, check_format, guarded, load, rules_line


def register(app: typer.Typer) -> None:
    """Add the ``deadlines`` command."""

    @app.command()
    def deadlines(
        paths: Annotated[list[Path], typer.Argument(metavar="文件或目录", help="草稿文件或案卷目录", show_default=False)],
        today: Annotated[str | None, typer.Option("--today", metavar="日期", help="以哪一天计算剩余期限（默认：今天）")] = None,
        rules: RulesOption = None,
        fmt: FormatOption = "text",
        read: Annotated[
            bool, typer.Option("--read", help="路径中是文书（决定书、告知书、送达回证等）：先读成案卷（同 quanze read），再推算期限")
        ] = False,
    ) -> None:
        """期限预警：每个有时限的环节的最后合法日期及其依据（听证申请、听证通知、九十日办案期限、送达、缴纳罚款、
        加处罚款、催告、申请法院强制执行、当事人的复议和诉讼期限、追责时效、备案和投诉举报的期限），任何阶段的案件
        （尚未作出决定的也可以），按已填日期推算，跳过的节假日、计入的调休上班日逐一列出；对照 --today 给出剩余工作日、
        今日到期或已逾期。目录：未办结的案件按最近的期限排序，并注明阶段。尚未办理的环节是期限，不是问题：本命令不改变
        check 的结论。
        """
        check_format(fmt)

        def body() -> int:
            from quanze.engine import api

            day = api.day_of(today, "--today", "") if today is not None else dt.date.today()
            how = "由 --today 指定" if today is not None else "系统日期"
            ruleset = load(rules)
            labels: dict[str, str] = {}
            roots = paths
            if read:  # documents: read into case files in a temporary folder, named as read
                roots = [api.temporary_folder()]
                labels, unplaced = api.read_into(paths, ruleset, roots[0])
                for line in unplaced:
                    render.echo(f"注意：{line}", err=True)
            single = not read and len(paths) == 1 and not paths[0].is_dir()
            if single:
                out = api.deadlines_of(api.read_file(paths[0], ruleset), ruleset, day)
                problems = []
                register = None
            else:
                register, problems = api.deadlines_files(roots, ruleset, day, labels)
                out = register
            if fmt == "json":
                typer.echo(api.to_json(out))
            elif register is None:
                render.echo(render.deadlines_text(out["deadlines"], day, how, str(paths[0]), rules_line(rules, ruleset)))
            else:
                render.echo(render.register_text(register, day, how, rules_line(rules, ruleset)))
            for p in problems:
                render.echo(render.problem_text(p), err=True)
            return 2 if problems else 0

        guarded(body)
