"""``quanze cases``: run the sample cases against their expected outcomes, print handouts, start new cases."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Annotated, Any

import typer

from quanze.cli import render
from quanze.cli.options import RulesOption, guarded, load, rules_line
from quanze.engine.model.text import shown as visible_text
from quanze.engine.present.output import accountability_block

app = typer.Typer(help="样例案例：运行并核对预期结论，打印培训讲义，新建案例。", no_args_is_help=True, options_metavar="[选项]")


def default_cases_dir() -> Path:
    """The sample cases shipped inside the package."""
    from importlib import resources

    return Path(str(resources.files("quanze.cases")))


def shown(path: Path, root: Path | None = None) -> str:
    """A case path as a reader of the clone finds it: cases/… for a sample case, else relative to here."""
    root = root or default_cases_dir()
    try:
        return "cases/" + str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        pass
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


@app.command("run")
def run(
    directory: Annotated[Path | None, typer.Argument(metavar="[目录]", help="案例目录（默认：随包发布的 cases/）")] = None,
    item: Annotated[str | None, typer.Option("--item", metavar="事项", help="只运行此事项的案例（如 CF-04）")] = None,
    rules: RulesOption = None,
) -> None:
    """运行案例：每个不符合预期的案例列出原因和复现命令；最后一行 "N passed, N failed"（通过数、未通过数）。"""

    def body() -> int:
        from quanze.engine.batch.cases import case_walk, run_case
        from quanze.engine.model.errors import InputError, Problem

        root = directory or default_cases_dir()
        if not root.exists():
            raise InputError([Problem(str(root), "", "案例目录不存在")])
        ruleset = load(rules)
        drafts, outside = case_walk(root)
        for line in outside:  # a folder link out of the cases folder: not entered, said once
            render.echo(f"跳过：{line}", err=True)
        if item:
            drafts = [d for d in drafts if item in d.parts or _item_of(d) == item]
            if not drafts:
                raise InputError([Problem("--item", item, f"{shown(root)} 下没有此事项的案例")])
        passed = failed = 0
        rules_arg = f" --rules {rules}" if rules else ""
        for draft in drafts:
            outcome = run_case(draft, ruleset)
            if outcome.passed:
                passed += 1
                continue
            failed += 1
            name = shown(draft, root if directory else None)
            render.echo(f"不符合预期：{name}：{'；'.join(outcome.problems)}")
            render.echo(f"    复现：quanze explain {name}{rules_arg}")
        render.echo(f"共运行 {passed + failed} 个案例：符合预期 {passed} 个，不符合 {failed} 个。" + (f"（事项 {item}）" if item else ""))
        render.echo(rules_line(rules, ruleset))
        typer.echo(f"{passed} passed, {failed} failed")  # the contract's last line
        return 1 if failed else 0

    guarded(body)


def _item_of(draft: Path) -> str | None:
    try:
        from quanze.engine.model.yamlio import load_yaml

        raw = load_yaml(draft.read_text(encoding="utf-8"))
        return raw.get("item") if isinstance(raw, dict) else None
    except Exception:
        return None


def _flatten(value: Any, prefix: str = "") -> list[tuple[str, str]]:
    """A draft as (field path, value) rows for a table (engine/batch/cases.py draft_rows)."""
    from quanze.engine.batch.cases import draft_rows

    return draft_rows(value, prefix)


def _resolve_case(ident: str, root: Path) -> Path:
    from quanze.engine.batch.cases import nearest_cases
    from quanze.engine.model.errors import InputError, Problem

    stripped = ident[len("cases/") :] if ident.startswith("cases/") else ident
    for candidate in (Path(ident), root / stripped, root / f"{stripped}.yaml", root / f"{stripped}.json"):
        if candidate.is_file():
            return candidate
    near = nearest_cases(ident, root)
    hint = ("；最接近的案例：" + "、".join(near)) if near else ""
    hint += "；quanze cases list 列出全部案例" + (f"（--item {ident} 列出此事项的）" if re.fullmatch(r"[A-Z]{2}-\d{2}", ident) else "")
    raise InputError([Problem("案例", ident, "找不到案例（在 cases/ 下按相对路径查找，如 penalty/CF-04/fine_above_max）" + hint)])


@app.command("list")
def list_(
    item: Annotated[str | None, typer.Option("--item", metavar="事项", help="只列出此事项的案例（如 CF-04）")] = None,
    code: Annotated[str | None, typer.Option("--code", metavar="代码", help="只列出产生或避免此代码的案例")] = None,
    directory: Annotated[Path | None, typer.Option("--dir", metavar="目录", help="案例目录（默认：随包发布的 cases/）")] = None,
    fmt: Annotated[str, typer.Option("--format", metavar="格式", help="text 或 json")] = "text",
) -> None:
    """列出案例：名称、预期结论、所示行为（标题）；可按事项或结论代码筛选，并给出案例所在目录。"""
    from quanze.cli.options import check_format

    check_format(fmt, ("text", "json"))

    def body() -> int:

        from quanze.engine.batch.cases import list_cases
        from quanze.engine.model.errors import InputError, Problem

        root = directory or default_cases_dir()
        if not root.is_dir():
            raise InputError([Problem(str(root), "", "案例目录不存在")])
        entries = list_cases(root, item, code)
        if not entries:
            what = "、".join(x for x in (f"事项 {item}" if item else "", f"结论代码 {code}" if code else "") if x)
            raise InputError(
                [Problem("--item" if item else "--code", item or code or "", f"没有{what}的案例；quanze cases list 列出全部案例")]
            )
        if fmt == "json":
            from quanze.engine import api

            typer.echo(api.to_json({"folder": str(root), "cases": [e.to_json() for e in entries]}))  # hidden characters escaped
            return 0
        lines = [f"案例目录：{root}", "（显示案例：quanze cases show 名称；投影讲义：quanze cases handout 名称 --out 讲义.html）"]
        for e in entries:
            verdict = render.verdict_word(e.verdict) if e.verdict else "—"
            about = (
                [verdict] + (["产生 " + "、".join(e.present)] if e.present else []) + (["避免 " + "、".join(e.absent)] if e.absent else [])
            )
            lines.append(f"{e.name}（{'；'.join(about)}）")
            lines.append(f"    {e.title}")
        lines.append(f"共 {len(entries)} 个案例。")
        render.echo("\n".join(lines))
        return 0

    guarded(body)


@app.command()
def handout(
    ident: Annotated[str, typer.Argument(metavar="案例", help="案例（如 penalty/CF-05/served_8th_workday_across_national_day）")],
    out: Annotated[Path, typer.Option("--out", metavar="文件", help="写出的 HTML 讲义")],
    rules: RulesOption = None,
) -> None:
    """HTML 讲义（投影与打印）：案情、草稿表格（中文字段名）、检查结论与讲解。"""

    def body() -> int:
        from quanze.engine.batch.cases import read_expectation, run_case
        from quanze.engine.model.drafts import parse_text
        from quanze.engine.model.errors import InputError, Problem
        from quanze.engine.model.labels import field_label
        from quanze.engine.model.safeio import check_target, os_reason, write_atomic
        from quanze.engine.present.handout import handout_html

        path = _resolve_case(ident, default_cases_dir())
        expect = read_expectation(path)
        ruleset = load(rules)
        outcome = run_case(path, ruleset)
        raw = parse_text(path.read_text(encoding="utf-8"), str(path), as_json=path.suffix == ".json")
        rows = [(field_label(k), v) for k, v in _flatten(raw)]
        labels = {n.field: field_label(n.field) for n in (outcome.result.not_checked if outcome.result else [])}
        page = handout_html(shown(path), expect, rows, outcome, ruleset, labels)
        try:
            check_target(out)
            write_atomic(out, page.encode("utf-8"))
        except OSError as exc:
            raise InputError([Problem(str(out), "--out", f"讲义无法写入：{os_reason(exc)}")]) from None
        render.echo(f"讲义：{out}")
        return 0

    guarded(body)


@app.command()
def show(
    ident: Annotated[str, typer.Argument(metavar="案例", help="案例（如 penalty/CF-04/fine_above_max，或草稿文件路径）")],
    rules: RulesOption = None,
    fmt: Annotated[str, typer.Option("--format", metavar="格式", help="text 或 md（Markdown 讲义）")] = "text",
) -> None:
    """培训讲义：案情、草稿表格、检查结论与讲解。"""
    from quanze.cli.options import check_format

    check_format(fmt, ("text", "md"))

    def body() -> int:
        from quanze.engine.batch.cases import read_expectation, run_case
        from quanze.engine.model.drafts import parse_text

        root = default_cases_dir()
        path = _resolve_case(ident, root)
        expect = read_expectation(path)
        ruleset = load(rules)
        outcome = run_case(path, ruleset)
        raw = parse_text(path.read_text(encoding="utf-8"), str(path), as_json=path.suffix == ".json")
        text = _handout(path, expect, raw, outcome, markdown=fmt == "md", rules=ruleset)
        render.echo(text) if fmt == "text" else typer.echo(render.zh(visible_text(text, "\n")))
        return 0

    guarded(body)


def _handout(path: Path, expect: Any, raw: Any, outcome: Any, markdown: bool, rules: Any = None) -> str:
    """The trainer's handout of one case."""
    from quanze.engine.model.labels import field_label

    h1, h2 = ("# ", "## ") if markdown else ("", "\n■ ")
    lines = [f"{h1}{expect.name}", f"（{shown(path)}）", f"{h2}案情", expect.narrative.strip()]
    lines.append(f"{h2}草稿")
    rows = [(field_label(k), v) for k, v in _flatten(raw)]
    if markdown:
        lines += ["| 字段 | 内容 |", "| --- | --- |"] + [f"| {k} | {v.replace('|', '／')} |" for k, v in rows]
    else:
        width = max(render.text_width(k) for k, _ in rows)
        lines += [f"  {k}{' ' * (width - render.text_width(k))}  {v}" for k, v in rows]
    lines.append(f"{h2}检查结论")
    if outcome.input_error is not None:
        named = [dataclasses.replace(p, file=shown(path)) for p in outcome.input_problems]
        lines += ["输入错误（退出码 2）："] + [f"- {render.problem_text(p)}" for p in named]
    elif outcome.result is not None:
        result = outcome.result
        lines.append(render.verdict_word(result.verdict))
        for f in result.findings:
            lines.append(f"- {render.title_of(f.code, rules)}：{f.message}（依据：{'；'.join(f.basis)}）")
            if f.accountability:
                block = accountability_block(f.accountability)
                lines.append("  追责：" + "；".join(text if head == "追责情形" else f"{head}：{text}" for head, text in block))
        lines += [f"- 未填写{field_label(n.field)}（{n.field}）：{n.message}" for n in result.not_checked]
        if not result.findings and not result.not_checked:
            lines.append("- 未发现问题")
    lines.append(f"{h2}讲解")
    lines.append(expect.teaching.strip())
    if not outcome.passed:
        lines.append(f"{h2}注意：本案例当前不符合其预期")
        lines += [f"- {p}" for p in outcome.problems]
    return "\n".join(lines)


_SKELETON_EXPECT = """\
# 新案例：填写下列各项后运行 quanze cases run --item {item}
name: 待填写：本案例展示的行为，一句话
narrative: 待填写：可以当众宣读的完整案情（不要写“同上”，每个案例的案情应独立成立）
teaching: 待填写：讲解所依据的规则与条文（如 行政处罚法 第三十三条）及理由
verdict: {verdict}
present: []
absent: []
"""


@app.command("new")
def new(
    item: Annotated[str, typer.Argument(metavar="事项", help="事项编号，如 CF-04")],
    name: Annotated[str, typer.Argument(metavar="名称", help="案例文件名（不含 .yaml），如 fine_far_above_max")],
    directory: Annotated[Path, typer.Option("--dir", metavar="目录", help="案例根目录（默认：当前目录下的 cases/）")] = Path("cases"),
    rules: RulesOption = None,
) -> None:
    """新建案例骨架：复制该事项的一个合法样例为草稿，并在旁边写出待填写的 .expect.yaml。"""

    def body() -> int:
        from quanze.engine.batch.cases import expectation_path, find_cases, read_expectation
        from quanze.engine.model.errors import InputError, Problem

        ruleset = load(rules)
        if item not in ruleset.items:
            from quanze.engine.model.errors import did_you_mean

            raise InputError([Problem("事项", item, "未知的事项编号" + did_you_mean(item, list(ruleset.items)))])
        if not re.fullmatch(r"[A-Za-z0-9_\-\u4e00-\u9fff]+", name):
            raise InputError([Problem("名称", name, "只能包含字母、数字、下划线、连字符或汉字")])
        kind = ruleset.items[item].kind
        target_dir = directory / kind / item
        draft = target_dir / f"{name}.yaml"
        if draft.exists() or expectation_path(draft).exists():
            raise InputError([Problem(str(draft), "", "已存在，不覆盖")])
        template = None
        for candidate in find_cases(default_cases_dir() / kind / item) if (default_cases_dir() / kind / item).is_dir() else []:
            try:
                if read_expectation(candidate).verdict == "pass":
                    template = candidate
                    break
            except Exception:
                continue
        if template is not None:
            text = template.read_text(encoding="utf-8")
            header = f"# 新案例 {name}：复制自样例 {shown(template)}，请按案情修改\n"
            body_text = header + text
        else:
            body_text = f"# 新案例 {name}：按 README 的草稿格式填写\nkind: {kind}\ncase_id: 待填写\nitem: {item}\n"
        from quanze.engine.model.safeio import write_all

        expect_text = _SKELETON_EXPECT.format(item=item, verdict="pass")  # both new: never over a file or through a link
        write_all([(draft, body_text.encode("utf-8")), (expectation_path(draft), expect_text.encode("utf-8"))], "名称", new=True)
        next_step = f"下一步：编辑这两个文件，然后运行 quanze cases run {directory} --item {item}"
        render.echo(f"已写出：{draft}\n已写出：{expectation_path(draft)}\n{next_step}")
        return 0

    guarded(body)
