"""Root of the ``quanze`` command: ``check``, ``explain`` and the ``rules`` group."""

from __future__ import annotations

import os
import sys

# quanze uses no pydantic plugins; looking them up scans every installed distribution's entry points
# (~10 ms of a 200 ms command)
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from quanze.cli import render, zh_click
from quanze.engine.model.errors import QuanzeError

zh_click.install()

app = typer.Typer(
    name="quanze",
    help="权责清单规则引擎：在行政处罚决定等文书作出前检查其合法性，并指出追责情形。",
    no_args_is_help=True,
    options_metavar="[选项]",
    subcommand_metavar="命令 [参数]...",
    pretty_exceptions_show_locals=False,  # drafts hold names of people
    add_completion=False,
)

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


def load(rules_dir: Path | None):
    """The RuleSet of --rules, else of QUANZE_RULES, else the shipped one; says which, and warns of ./rules."""
    from quanze.cli import rulesdir
    from quanze.engine import api

    ruleset, how = api.load(rules_dir)
    shipped = api.rules_folder(rules_dir)[0] is None
    render.RULES_LINE = rulesdir.describe(ruleset.root, how, ruleset.version, shipped)
    notice = rulesdir.local_rules_notice(ruleset.root)
    if notice:
        render.echo(notice, err=True)
    return ruleset


@app.command()
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
                render.echo("\n\n".join(render.result_text(r, ruleset, show_law) for r in results))
        for line in [render.problem_text(p) for p in problems] + bugs:
            render.echo(line, err=True)
        if bugs:
            return 3
        if problems:
            return 2
        return 1 if any(r.verdict == "fail" for r in results) else 0

    guarded(body)


@app.command()
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
            render.echo(render.explanation_text(result, ruleset) if full else render.reasoning_text(result, ruleset))
        return 1 if result.verdict == "fail" else 0

    guarded(body)


@app.command()
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


@app.command()
def review(
    directory: Annotated[Path, typer.Argument(metavar="目录", help="案卷目录（YAML/JSON 草稿或决定）")],
    jobs: Annotated[int, typer.Option("--jobs", metavar="数量", help="并行进程数；0 = 全部核心")] = 1,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", metavar="路径", help="报告路径前缀：写出 路径.jsonl、路径.csv 与 路径.html（超过 1000 个文件时另有分页 路径.pages/）"
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

    一个文件出错不中断评查：输入错误、内部错误、工作进程意外退出、失效链接、非普通文件（FIFO、设备）
    逐一列出文件和原因（JSONL 中 checked: false、reason、problems）；文件数 = 已检查 + 无法检查。
    --out 不可写、是符号链接或属于其他用户时立即退出（退出码 2）；报告先写入临时文件再改名，中断不留下半份报告。
    并行评查时每个文件有时限（--timeout，默认 30 秒），超时的文件记为超时未检查（reason: timeout），评查继续。
    见 docs/input.md。
    """
    check_format(fmt)

    def body() -> int:
        from quanze.engine import api
        from quanze.engine.batch.pages import ReportWriter, review_into
        from quanze.engine.batch.review import all_cores, check_writable, walk
        from quanze.engine.model.errors import InputError, Problem

        if not timeout > 0:
            raise InputError([Problem("--timeout", "", f"期望大于 0 的秒数，实际为 {timeout:g}")])
        if not directory.exists() and not directory.is_symlink():
            raise InputError([Problem(str(directory), "", "目录不存在")])
        if out is not None:
            check_writable(out)  # before the run: an unwritable --out is exit 2 at once
        ruleset = load(rules)
        labels: dict[str, str] = {}
        folder = directory
        if read:  # documents: read into case files in a temporary folder, reviewed there, named as read
            from quanze.cli.reading import temporary_folder

            folder = temporary_folder()
            labels, unplaced = api.read_into([directory], ruleset, folder)
            for line in unplaced:
                render.echo(f"注意：{line}", err=True)
        paths, skipped = walk(folder)
        n_jobs = all_cores() if jobs <= 0 else jobs
        wrap = None
        if sys.stderr.isatty():
            from quanze.cli.progress import progress

            def wrap(stream):
                return progress(stream, len(paths), "评查")

        if labels:  # each file's entry named by its 文号 and documents, not the temporary path
            from quanze.cli.reading import relabeled

            wrap = relabeled(labels, wrap)

        # each entry is rendered in the worker that checked it and written as it comes (engine/batch/pages.py)
        writer = ReportWriter(out, ruleset)
        try:
            review_into(writer, paths, skipped, ruleset, n_jobs, timeout, wrap)
            summary = writer.summary()
            for p in summary["problems"]:
                for problem in p["problems"]:
                    render.echo(f"跳过：{render.problem_text(problem)}", err=True)
            code = 2 if summary["unreadable"] else (1 if summary["verdicts"].get("fail") else 0)
            if out is not None:
                try:
                    meta = {"folder": str(directory), "rules_version": ruleset.version, "rules_line": render.RULES_LINE}
                    jsonl, csv, page = writer.write(summary, meta)
                    summary["reports"] = [str(jsonl), str(page), str(csv)]
                except OSError as exc:
                    from quanze.engine.model.safeio import os_reason

                    render.echo(f"{out}：报告无法写入：{os_reason(exc)}", err=True)
                    code = 2
                except QuanzeError as exc:  # a link or another user's file planted at --out during the run
                    for p in exc.problems:
                        render.echo(render.problem_text(p), err=True)
                    code = 2
        finally:
            writer.close()
        if fmt == "json":
            typer.echo(api.to_json(summary))
        else:
            render.echo(render.review_text(summary, writer.tally.failing, ruleset))
        return code

    guarded(body)


def _register_groups() -> None:
    from quanze.cli import cases as cases_cli
    from quanze.cli import deadlines, document, drafting, reading, server
    from quanze.cli import rules as rules_cli

    drafting.register(app)  # schema, new
    server.register(app)  # serve
    deadlines.register(app)  # deadlines
    reading.register(app)  # read
    document.register(app)  # document (issue 27 §4)

    app.add_typer(rules_cli.app, name="rules")
    app.add_typer(cases_cli.app, name="cases")
    from quanze.cli import register as register_cli

    app.add_typer(register_cli.app, name="register")
    from quanze.cli import users as users_cli

    app.add_typer(users_cli.app, name="users")


_register_groups()


def main() -> None:  # pragma: no cover - for `python -m quanze.cli`
    """Entry point that never prints a traceback."""
    sys.exit(app())
