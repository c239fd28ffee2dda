"""``quanze check``, ``explain`` and ``diff``: one draft checked, explained, or a folder compared under two rule sets."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from quanze.cli import render
from quanze.cli.options import FormatOption, RulesOption, check_format, guarded, load, rules_line
from quanze.engine.model.errors import QuanzeError


def register(app: typer.Typer) -> None:
    """Add the ``check``, ``explain`` and ``diff`` commands, in this order."""
    for command in (check, explain, diff):
        app.command()(command)


def check(
    files: Annotated[list[Path], typer.Argument(metavar="文件", help="草稿文件（YAML 或 JSON）", show_default=False)],
    rules: RulesOption = None,
    fmt: Annotated[
        str, typer.Option("--format", metavar="格式", help="输出格式：text、json，或 docx（法制审核意见书，须同时给 --out）")
    ] = "text",
    show_law: Annotated[bool, typer.Option("--show-law", help="在每个发现旁列出其依据的条文原文")] = False,
    out: Annotated[Path | None, typer.Option("--out", metavar="路径", help="--format docx 时写出的文件（如 审核意见.docx）")] = None,
    template: Annotated[
        Path | None,
        typer.Option("--template", metavar="模板", help="--format docx 时使用本单位的意见书模板（.docx，变量见 docs/opinion.md）"),
    ] = None,
) -> None:
    """检查草稿决定：文本报告，或 --format json，或 --format docx 写出法制审核意见书。

    结论：pass 通过；warn 有警告；incomplete 未完成（草稿漏填某一部分，例如没有 procedure: 或没有 hearing:，
    依赖它的检查未进行，列在 not_checked 中，不追责；漏填不同于写 null，null 表示未办理）；fail 不通过。
    退出码：0 没有错误（含 incomplete）；1 至少一个错误；2 输入有误。
    """
    check_format(fmt, ("text", "json", "docx"))

    def body() -> int:
        from quanze.engine import api
        from quanze.engine.model.errors import InputError, Problem, display_path

        if fmt == "docx" and (out is None or len(files) != 1):
            raise InputError([Problem("--out", "", "--format docx 需要一个草稿文件和 --out 路径（如 --out 审核意见.docx）")])
        if template is not None and fmt != "docx":
            raise InputError([Problem("--template", "", f"--template 只用于 --format docx，实际为 --format {fmt}")])
        ruleset = load(rules)
        results, problems, bugs = [], [], []
        document = b""
        for f in files:  # one bad file does not hide the others' results
            try:
                if fmt == "docx":
                    result, document = api.opinion(api.read_file(f, ruleset), ruleset, display_path(f), template)
                    results.append(result)
                    continue
                results.append(api.check_file(f, ruleset))
            except QuanzeError as exc:
                problems.extend(exc.problems)
            except Exception as exc:  # a bug: reported for this file, the others still printed
                bugs.append(f"{display_path(f)}: quanze 内部错误 (请报告此问题): {type(exc).__name__}: {exc}")
        if results:
            if fmt == "docx":
                from quanze.engine.present.opinion import write_opinion

                assert out is not None
                path = write_opinion(document, out)
                render.echo(f"已写出法制审核意见书：{path}（结论：{render.verdict_word(results[0].verdict)}）")
            elif fmt == "json":
                payload = [api.result_json(r) for r in results]
                typer.echo(api.to_json(payload[0] if len(files) == 1 else payload))
            else:
                line = rules_line(rules, ruleset)
                render.echo("\n\n".join(render.result_text(r, ruleset, show_law, line) for r in results))
        for line in [render.problem_text(p) for p in problems] + bugs:
            render.echo(line, err=True)
        if bugs:
            return 3
        if problems:
            return 2
        return 1 if any(r.verdict == "fail" for r in results) else 0

    guarded(body)


def explain(
    file: Annotated[Path, typer.Argument(metavar="文件", help="草稿文件", show_default=False)],
    rules: RulesOption = None,
    fmt: FormatOption = "text",
    full: Annotated[bool, typer.Option("--full", help="完整清单：每条规则、读取的事实及其来源字段、依据原文")] = False,
) -> None:
    """检查并说明推理：先列推导（日期与天数及跳过的节假日、适用的条文版本及理由、罚款阶次、所作的假定），再按结论列出
    检查过的每一项（不通过、无法检查、通过），每项一次。--full：每条规则、读取的事实及其来源字段、依据原文。"""
    check_format(fmt)

    def body() -> int:
        from quanze.engine import api

        ruleset = load(rules)
        result = api.check_file(file, ruleset)
        if fmt == "json":
            typer.echo(api.to_json(api.result_json(result, explain=True, rules=ruleset)))
        else:
            line = rules_line(rules, ruleset)
            render.echo(render.explanation_text(result, ruleset, line) if full else render.reasoning_text(result, ruleset, line))
        return 1 if result.verdict == "fail" else 0

    guarded(body)


def diff(
    base: Annotated[Path, typer.Option("--base", metavar="目录", help="原规则目录", file_okay=False)],
    changed: Annotated[Path, typer.Option("--changed", metavar="目录", help="修改后的规则目录", file_okay=False)],
    cases: Annotated[
        list[Path] | None, typer.Argument(metavar="[草稿或目录]...", help="草稿文件或目录：案例与普通草稿都比较（默认：随包发布的案例）")
    ] = None,
    fmt: FormatOption = "text",
) -> None:
    """规则修改影响：在两套规则下检查目录中的每份草稿（案例和普通草稿），列出结论或发现有变化的草稿和汇总表。

    目录中没有任何草稿文件时为输入错误（退出码 2），不会报告“没有变化”。
    """
    check_format(fmt)

    def body() -> int:
        from quanze.cli import rulesdir
        from quanze.cli.cases import default_cases_dir
        from quanze.engine import api
        from quanze.engine.load.loader import load_rules

        old, new = load_rules(base), load_rules(changed)
        report = api.diff(old, new, cases or [default_cases_dir()])
        if fmt == "json":
            typer.echo(api.to_json(report.to_json()))
        else:
            render.echo(render.diff_text(report, old.version, new.version, new))
            render.echo(f"原规则：{rulesdir.shown(old.root)}；新规则：{rulesdir.shown(new.root)}")
        for line in report.skipped:  # a link out of the folder, a broken link: not compared, said once
            render.echo(f"跳过：{line}", err=True)
        return 0

    guarded(body)
