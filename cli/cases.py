"""``quanze cases``: run the sample cases against their expected outcomes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from quanze.cli.main import RulesOption, guarded, load

app = typer.Typer(help="样例案例: 运行并核对预期结论。", no_args_is_help=True)


def default_cases_dir() -> Path:
    """The sample cases shipped inside the package."""
    from importlib import resources

    return Path(str(resources.files("quanze.cases")))


@app.command("run")
def run(
    directory: Annotated[Path | None, typer.Argument(metavar="[DIR]", help="案例目录 (默认 cases/)")] = None,
    rules: RulesOption = None,
) -> None:
    """运行案例: 每个不符合预期的案例一行 (附复现命令), 最后一行 "N passed, N failed"。"""

    def body() -> int:
        from quanze.engine.cases import find_cases, run_case
        from quanze.engine.errors import InputError, Problem

        root = directory or default_cases_dir()
        if not root.exists():
            raise InputError([Problem(str(root), "", "案例目录不存在")])
        ruleset = load(rules)
        passed = failed = 0
        rules_arg = f" --rules {rules}" if rules else ""
        for draft in find_cases(root):
            outcome = run_case(draft, ruleset)
            if outcome.passed:
                passed += 1
                continue
            failed += 1
            typer.echo(f"FAIL {draft}: {'; '.join(outcome.problems)}")
            typer.echo(f"     复现: quanze explain {draft}{rules_arg}")
        typer.echo(f"{passed} passed, {failed} failed")
        return 1 if failed else 0

    guarded(body)


def _flatten(value, prefix: str = "") -> list[tuple[str, str]]:
    """A draft as (field path, value) rows for a table."""
    if isinstance(value, dict):
        rows = []
        for key, sub in value.items():
            rows.extend(_flatten(sub, f"{prefix}.{key}" if prefix else str(key)))
        return rows
    if isinstance(value, list) and value and any(isinstance(v, (dict, list)) for v in value):
        rows = []
        for i, sub in enumerate(value):
            rows.extend(_flatten(sub, f"{prefix}[{i}]"))
        return rows
    if isinstance(value, list):
        return [(prefix, "、".join(str(v) for v in value) or "[]")]
    if isinstance(value, bool):
        return [(prefix, "true" if value else "false")]
    return [(prefix, "null" if value is None else str(value))]


def _resolve_case(ident: str, root: Path) -> Path:
    from quanze.engine.errors import InputError, Problem

    for candidate in (Path(ident), root / ident, root / f"{ident}.yaml", root / f"{ident}.json"):
        if candidate.is_file():
            return candidate
    raise InputError([Problem("ID", ident, f"找不到案例 (在 {root} 下按相对路径查找, 如 penalty/CF-04/fine_above_max)")])


@app.command()
def show(
    ident: Annotated[str, typer.Argument(metavar="ID", help="案例 (如 penalty/CF-04/fine_above_max, 或草稿文件路径)")],
    rules: RulesOption = None,
    fmt: Annotated[str, typer.Option("--format", help="text 或 md (Markdown 讲义)")] = "text",
) -> None:
    """培训讲义: 案情、草稿表格、检查结论与讲解。"""
    from quanze.cli.main import check_format

    check_format(fmt, ("text", "md"))

    def body() -> int:
        from quanze.engine.cases import read_expectation, run_case
        from quanze.engine.drafts import parse_text

        root = default_cases_dir()
        path = _resolve_case(ident, root)
        expect = read_expectation(path)
        outcome = run_case(path, load(rules))
        raw = parse_text(path.read_text(encoding="utf-8"), str(path), as_json=path.suffix == ".json")
        typer.echo(_handout(path, expect, raw, outcome, markdown=fmt == "md"))
        return 0

    guarded(body)


def _handout(path: Path, expect, raw, outcome, markdown: bool) -> str:
    """The trainer's handout of one case."""
    from quanze.cli.render import _ROLE

    h1, h2 = ("# ", "## ") if markdown else ("", "\n■ ")
    lines = [f"{h1}{expect.name}", f"({path})", f"{h2}案情", expect.narrative.strip()]
    lines.append(f"{h2}草稿")
    rows = _flatten(raw)
    if markdown:
        lines += ["| 字段 | 内容 |", "| --- | --- |"] + [f"| {k} | {v.replace('|', '／')} |" for k, v in rows]
    else:
        width = max(len(k) for k, _ in rows)
        lines += [f"  {k.ljust(width)}  {v}" for k, v in rows]
    lines.append(f"{h2}检查结论")
    if outcome.input_error is not None:
        lines += ["输入错误 (退出码 2):"] + [f"- {e}" for e in outcome.input_error]
    elif outcome.result is not None:
        result = outcome.result
        lines.append({"pass": "通过", "warn": "通过 (有警告)", "incomplete": "未完成 (有未填写的部分)", "fail": "不通过"}[result.verdict])
        for f in result.findings:
            lines.append(f"- [{f.code}] {f.message} (依据: {'；'.join(f.basis)})")
            if f.accountability:
                acc = f.accountability
                triggers = "；".join(f"追责情形{t['no']}「{t['text']}」" for t in acc["triggers"]) or "无对应情形"
                persons = "、".join(f"{_ROLE[p['role']]} {p['name'] or '未填写'}" for p in acc["persons"])
                lines.append(f"  追责: {triggers}; 责任人: {persons}")
        lines += [f"- 未填写 {n['field']}: {n['message']}" for n in result.not_checked]
        if not result.findings and not result.not_checked:
            lines.append("- 未发现问题")
    lines.append(f"{h2}讲解")
    lines.append(expect.teaching.strip())
    if not outcome.passed:
        lines.append(f"{h2}注意: 本案例当前不符合其预期")
        lines += [f"- {p}" for p in outcome.problems]
    return "\n".join(lines)
