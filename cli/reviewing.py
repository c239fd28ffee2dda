"""``quanze review``: every draft of a folder checked, summed up, and written as JSONL, CSV, xlsx and HTML reports."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from quanze.cli import render
from quanze.cli.options import FormatOption, RulesOption, check_format, guarded, load, rules_line


def register(app: typer.Typer) -> None:
    """Add the ``review`` command."""
    app.command()(review)


def review(
    directory: Annotated[Path, typer.Argument(metavar="目录", help="案卷目录（YAML/JSON 草稿或决定）")],
    jobs: Annotated[int, typer.Option("--jobs", metavar="数量", help="并行进程数；0 = 全部核心")] = 1,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            metavar="路径",
            help="报告路径前缀：写出 路径.jsonl、路径.csv、路径.xlsx（Excel，与 CSV 同列同行）与 路径.html"
            "（超过 1000 个文件时另有分页 路径.pages/）",
        ),
    ] = None,
    rules: RulesOption = None,
    fmt: FormatOption = "text",
    timeout: Annotated[
        float, typer.Option("--timeout", metavar="秒", help="并行评查（--jobs 2 及以上）时每个文件的时限，超时记为“超时未检查”")
    ] = 30.0,
    read: Annotated[
        bool, typer.Option("--read", help="目录中是文书（决定书、告知书、送达回证等）：先读成案卷（同 quanze read），再评查")
    ] = False,
) -> None:
    """案卷评查：检查目录下全部文书，汇总结论、常见问题、追责情形、按事项和承办人统计；--out 写出可筛选的 HTML 报告。

    --out 另写出全部文件表的 CSV 与 Excel（xlsx）文件，两者同列同行；以 = + - @ 开头的单元格前加 '，不会被当作公式。
    一个文件出错不中断评查：输入错误、内部错误、工作进程意外退出、失效链接、非普通文件（FIFO、设备）
    逐一列出文件和原因（JSONL 中 checked: false、reason、problems）；文件数 = 已检查 + 无法检查。
    --out 不可写、是符号链接或属于其他用户时立即退出（退出码 2）；报告先写入临时文件再改名，中断不留下半份报告。
    并行评查时每个文件有时限（--timeout，默认 30 秒），超时的文件记为超时未检查（reason: timeout），评查继续。
    见 docs/input.md。
    """
    check_format(fmt)

    def body() -> int:
        from quanze.cli.progress import line as progress_line
        from quanze.engine import api

        plan = api.review_plan(directory, out, jobs, timeout, read)
        ruleset = load(rules)
        line = rules_line(rules, ruleset)
        progress = progress_line("评查") if sys.stderr.isatty() else None  # a line redrawn on a terminal only
        run = api.review(
            plan,
            ruleset,
            line,
            progress,
            notice=lambda text: render.echo(f"注意：{text}", err=True),
            skipped=lambda problem: render.echo(f"跳过：{render.problem_text(problem)}", err=True),
        )
        for failure in run.report_failure:
            render.echo(failure if isinstance(failure, str) else render.problem_text(failure), err=True)
        if fmt == "json":
            typer.echo(api.to_json(run.summary))
        else:
            render.echo(render.review_text(run.summary, run.failing, ruleset, rules_line=line))
        return run.exit_code

    guarded(body)
