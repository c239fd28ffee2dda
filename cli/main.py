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

from quanze.cli import render
from quanze.engine.errors import QuanzeError

app = typer.Typer(
    name="quanze",
    help="权责清单规则引擎: 在行政处罚决定等文书作出前检查其合法性, 并指出追责情形。",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # drafts hold names of people
    add_completion=False,
)

RulesOption = Annotated[Path | None, typer.Option("--rules", help="规则目录 (默认: 随包发布的 rules/)", file_okay=False)]
FormatOption = Annotated[str, typer.Option("--format", help="输出格式: text 或 json")]


def fail_input(problems: list[Any]) -> None:
    """Print one line per problem to stderr and exit 2."""
    for p in problems:
        typer.echo(str(p), err=True)
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
        typer.echo(f"quanze 内部错误 (请报告此问题): {type(exc).__name__}: {exc}", err=True)
        raise typer.Exit(3) from None
    raise typer.Exit(code)


def check_format(fmt: str, allowed: tuple[str, ...] = ("text", "json")) -> None:
    """Reject an unknown --format value the same way as bad input."""
    if fmt not in allowed:
        typer.echo(f"--format: 期望以下之一: {', '.join(allowed)}, 实际为 {fmt!r}", err=True)
        raise typer.Exit(2)


def load(rules_dir: Path | None):
    """The RuleSet of --rules (or the shipped one)."""
    from quanze.engine.loader import load_rules

    return load_rules(rules_dir)


@app.command()
def check(
    files: Annotated[list[Path], typer.Argument(help="草稿文件 (YAML 或 JSON)", show_default=False)],
    rules: RulesOption = None,
    fmt: FormatOption = "text",
) -> None:
    """检查草稿决定: 文本报告, 或 --format json。

    结论：pass 通过；warn 有警告；incomplete 未完成（草稿漏填某一部分，例如没有 procedure: 或没有 hearing:，
    依赖它的检查未进行，列在 not_checked 中，不追责；漏填不同于写 null，null 表示未办理）；fail 不通过。
    退出码：0 没有错误（含 incomplete）；1 至少一个错误；2 输入有误。
    """
    check_format(fmt)

    def body() -> int:
        from quanze.engine.check import check as run_check
        from quanze.engine.check import names_checker
        from quanze.engine.drafts import read_draft
        from quanze.engine.errors import display_path

        ruleset = load(rules)
        results, problems, bugs = [], [], []
        for f in files:  # one bad file does not hide the others' results
            try:
                label = display_path(f)
                results.append(run_check(read_draft(f, names_checker(ruleset, label)), ruleset, label))
            except QuanzeError as exc:
                problems.extend(exc.problems)
            except Exception as exc:  # a bug: reported for this file, the others still printed
                bugs.append(f"{display_path(f)}: quanze 内部错误 (请报告此问题): {type(exc).__name__}: {exc}")
        if results:
            if fmt == "json":
                payload = [r.to_json() for r in results]
                typer.echo(render.to_json(payload[0] if len(files) == 1 else payload))
            else:
                typer.echo("\n\n".join(render.result_text(r) for r in results))
        for line in [str(p) for p in problems] + bugs:
            typer.echo(line, err=True)
        if bugs:
            return 3
        if problems:
            return 2
        return 1 if any(r.verdict == "fail" for r in results) else 0

    guarded(body)


@app.command()
def explain(
    file: Annotated[Path, typer.Argument(help="草稿文件", show_default=False)],
    rules: RulesOption = None,
    fmt: FormatOption = "text",
) -> None:
    """检查并说明推理: 适用的条文版本及理由、推导出的事实、触发的每条规则。"""
    check_format(fmt)

    def body() -> int:
        from quanze.engine.check import check as run_check
        from quanze.engine.check import names_checker
        from quanze.engine.drafts import read_draft

        ruleset = load(rules)
        result = run_check(read_draft(file, names_checker(ruleset, str(file))), ruleset, str(file))
        if fmt == "json":
            typer.echo(render.to_json({**result.to_json(), "explanation": result.explanation}))
        else:
            typer.echo(render.explanation_text(result))
        return 1 if result.verdict == "fail" else 0

    guarded(body)


@app.command()
def diff(
    base: Annotated[Path, typer.Option("--base", help="原规则目录", file_okay=False)],
    changed: Annotated[Path, typer.Option("--changed", help="修改后的规则目录", file_okay=False)],
    cases: Annotated[list[Path] | None, typer.Argument(metavar="[CASES]...", help="案例目录或文件 (默认: 随包发布的案例)")] = None,
    fmt: FormatOption = "text",
) -> None:
    """规则修改影响: 在两套规则下运行案例, 列出结论或发现有变化的案例和汇总表。"""
    check_format(fmt)

    def body() -> int:
        from quanze.cli.cases import default_cases_dir
        from quanze.engine.cases import find_cases
        from quanze.engine.diff import diff_rules
        from quanze.engine.loader import load_rules

        old, new = load_rules(base), load_rules(changed)
        drafts = [d for root in (cases or [default_cases_dir()]) for d in find_cases(root)]
        report = diff_rules(old, new, drafts)
        if fmt == "json":
            typer.echo(
                render.to_json(
                    {"summary": report.summary(), "transitions": report.transitions(), "cases": [d.to_json() for d in report.diffs]}
                )
            )
        else:
            typer.echo(render.diff_text(report, old.version, new.version))
        return 0

    guarded(body)


@app.command()
def review(
    directory: Annotated[Path, typer.Argument(metavar="DIR", help="案卷目录 (YAML/JSON 草稿或决定)")],
    jobs: Annotated[int, typer.Option("--jobs", help="并行进程数; 0 = 全部核心")] = 1,
    out: Annotated[Path | None, typer.Option("--out", help="报告路径前缀: 写出 REPORT.jsonl 与 REPORT.html")] = None,
    rules: RulesOption = None,
    fmt: FormatOption = "text",
) -> None:
    """案卷评查: 检查目录下全部文书, 汇总结论、常见问题、追责情形、按事项和承办人统计。

    一个文件出错不中断评查：输入错误、内部错误、工作进程意外退出、失效链接、非普通文件（FIFO、设备）
    逐一列出文件和原因（JSONL 中 checked: false、reason、problems）；文件数 = 已检查 + 无法检查。
    --out 不可写时立即退出（退出码 2）。见 docs/input.md。
    """
    check_format(fmt)

    def body() -> int:
        from quanze.engine.errors import InputError, Problem
        from quanze.engine.review import all_cores, check_writable, not_checked, summarize, walk, write_reports
        from quanze.engine.review import review as run_review

        if not directory.exists() and not directory.is_symlink():
            raise InputError([Problem(str(directory), "", "目录不存在")])
        if out is not None:
            check_writable(out)  # before the run: an unwritable --out is exit 2 at once
        ruleset = load(rules)
        paths, skipped = walk(directory)
        n_jobs = all_cores() if jobs <= 0 else jobs
        entries: list[dict[str, Any]] = []
        try:
            stream = run_review(paths, ruleset, n_jobs, rules)
            if sys.stderr.isatty():
                with typer.progressbar(stream, length=len(paths), label="评查", file=sys.stderr) as bar:
                    entries.extend(bar)
            else:
                entries.extend(stream)
        except Exception as exc:  # a bug in the run itself: the files not reached are reported, the report still written
            reached = len(entries)
            entries += [not_checked(p, "internal_error", [f"{p}: 评查中断，未检查：{type(exc).__name__}: {exc}"]) for p in paths[reached:]]
        entries += skipped
        summary = summarize(entries)
        for p in summary["problems"]:
            for line in p["problems"]:
                typer.echo(f"跳过 {line}", err=True)
        code = 2 if summary["unreadable"] else (1 if summary["verdicts"].get("fail") else 0)
        if out is not None:
            try:
                jsonl, page = write_reports(out, entries, summary)
                summary["reports"] = [str(jsonl), str(page)]
            except OSError as exc:
                typer.echo(f"{out}: 报告无法写入：{exc.strerror or exc}", err=True)
                code = 2
        if fmt == "json":
            typer.echo(render.to_json(summary))
        else:
            typer.echo(render.review_text(summary))
        return code

    guarded(body)


def _register_groups() -> None:
    from quanze.cli import cases as cases_cli
    from quanze.cli import drafting, server
    from quanze.cli import rules as rules_cli

    drafting.register(app)  # schema, new
    server.register(app)  # serve

    app.add_typer(rules_cli.app, name="rules")
    app.add_typer(cases_cli.app, name="cases")


_register_groups()


def main() -> None:  # pragma: no cover - for `python -m quanze.cli`
    """Entry point that never prints a traceback."""
    sys.exit(app())
