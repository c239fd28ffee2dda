"""``quanze rules``: browse the 权责清单 and its provisions, validate a rules folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from quanze.cli import render
from quanze.cli.options import FormatOption, RulesOption, check_format, guarded, load, rules_line

app = typer.Typer(help="浏览权责清单与条文，校验规则目录，法律时效审查。", no_args_is_help=True, options_metavar="[选项]")


@app.command("list")
def list_items(rules: RulesOption = None, fmt: FormatOption = "text") -> None:
    """列出权责清单的全部事项。"""
    check_format(fmt)

    def body() -> int:
        rs = load(rules)
        rows = [
            {"id": i.id, "table": i.table, "power_type": i.power_type, "name": i.name, "sub_name": i.sub_name} for i in rs.catalog.values()
        ]
        if fmt == "json":
            typer.echo(render.to_json(rows))
        else:
            lines = []
            for r in rows:
                sub = f"——{r['sub_name']}" if r["sub_name"] else ""
                lines.append(f"{r['id']}  【{r['table']}】{r['name']}{sub}")
            counts = {t: sum(r["table"] == t for r in rows) for t in ("其他行政权力", "行政检查", "行政处罚")}
            lines.append(f"共 {len(rows)} 项：" + "，".join(f"{t} {n} 项" for t, n in counts.items()))
            lines.append(rules_line(rules, rs))
            render.echo("\n".join(lines))
        return 0

    guarded(body)


@app.command()
def show(
    ident: Annotated[str, typer.Argument(metavar="编号", help="事项编号（如 CF-04）或条文编号（如 jieneng.a76）")],
    rules: RulesOption = None,
    fmt: FormatOption = "text",
) -> None:
    """显示一个事项（全部公布的栏目）或一个条文（各版本原文与设定）。"""
    check_format(fmt)

    def body() -> int:
        from quanze.engine.model.errors import InputError, Problem, did_you_mean
        from quanze.engine.present import rulesjson

        rs = load(rules)
        if ident in rs.catalog:
            data = rulesjson.item_json(rs, ident)
        elif ident in rs.provisions:
            data = rulesjson.provision_json(rs, ident)
        else:
            hint = did_you_mean(ident, list(rs.catalog) + list(rs.provisions))
            raise InputError([Problem("ID", ident, "不是已知的事项编号或条文 id" + hint)])
        if fmt == "json":
            typer.echo(render.to_json(data))
        else:
            render.echo(_show_text(data) + "\n" + rules_line(rules, rs))
        return 0

    guarded(body)


def _show_text(data: dict[str, Any]) -> str:
    if "versions" in data:  # a provision
        lines = [f"{data['label']}（{data['law']['title']}，{data['law']['rank']}）"]
        for v in data["versions"]:
            lines.append(
                f"\n版本：{v['in_force_from'] or '施行日期不详'} 至 {v['in_force_until'] or '今'}"
                + ("" if v["verified"] else "（未核对原文）")
            )
            lines.append(v["text"])
            if v.get("sanctions"):
                lines.append("处罚设定：" + "；".join(_sanction_text(s) for s in v["sanctions"]))
            for r in v.get("reserved", []):
                lines.append(f"报请{r['to']}：{'、'.join(r['kinds'])}（前提：{r['precondition']}）")
            if v["note"]:
                lines.append(f"注：{_note(v['note'], data['id'])}")
        return "\n".join(lines)
    lines = [f"{data['id']} [{data['table']}] {data['name']}"]
    if data["sub_name"]:
        lines.append(f"子项：{data['sub_name']}")
    lines.append(f"行使主体：{data['subject']}  承办机构：{data['office']}  层级：{data['level']}")
    lines.append("实施依据：")
    for c in data["bases"]:
        lines.append(f"  【{c['rank']}】{c['title']}")
        for a in c["articles"]:
            lines.append(f"    {a['ref']}" + (f"：{a['text']}" if a["text"] else ""))
    if "penalty_provision" in data:
        p = data["penalty_provision"]
        lines.append(f"适用的处罚条文：{p['label']}")
        for v in p["versions"]:
            lines.append(f"  {v['in_force_from'] or '施行日期不详'} 起：" + "；".join(_sanction_text(s) for s in v.get("sanctions", [])))
    lines.append("追责对象：" + "；".join(f"{a['no']}.{a['text']}" for a in data["accountable"]))
    lines.append("追责情形：")
    lines.extend(f"  {t['no']}.{t['text']}" for t in data["triggers"])
    for n in data["notes"]:
        lines.append(f"注：{_note(n, data['id'])}")
    return "\n".join(lines)


def _note(note: str, ident: str) -> str:
    """A note as officers read it (an English maintainer's note points to its file)."""
    from quanze.engine.model.text import officer_note

    law, _, article = ident.partition(".")
    return officer_note(note, f"rules/provisions/{law}/{article}.yaml" if article else f"rules/catalog/{ident}.yaml")


def _sanction_text(s: dict[str, Any]) -> str:
    req = {
        "always": "必须",
        "when_gains": "有违法所得时必须",
        "optional": "可以",
        "one_of": f"必须, 与 {s.get('group')} 组的其他种类取其一",
    }[s["required"]]
    rng = f" {s['min']}–{s['max']} 元" if "min" in s else ""
    unless = "；例外见注" if "unless" in s else ""
    return f"{s['kind']}{rng}（{req}{unless}）"


@app.command()
def validate(
    directory: Annotated[Path | None, typer.Argument(metavar="[目录]", help="规则目录（默认同 --rules）")] = None,
    rules: RulesOption = None,
    fmt: FormatOption = "text",
) -> None:
    """校验规则目录：模式、交叉引用、完整性与 durable-rules 自检；每个问题一行（文件与行号）。目录与 --rules 等价。"""
    check_format(fmt)
    directory = directory or rules

    def body() -> int:
        from quanze.cli import rulesdir
        from quanze.engine import api
        from quanze.engine.load.loader import load_rules
        from quanze.engine.model.errors import RuleError
        path, _how = api.rules_folder(directory)
        try:
            # always the files themselves, never the cache; load_rules also checks the 评查 scoring
            # table and self-tests every compiled ruleset in durable-rules itself
            rs = load_rules(path, use_cache=False)
        except RuleError as exc:
            if fmt != "json":
                raise
            typer.echo(render.to_json({"valid": False, "problems": [str(p) for p in exc.problems]}))
            return 2
        counts = {
            "items": len(rs.catalog),
            "laws": len(rs.laws),
            "provisions": len(rs.provisions),
            "checks": sum(len(c.rules) for c in rs.checks),
            "findings": len(rs.findings),
        }
        if fmt == "json":
            typer.echo(render.to_json({"valid": True, "rules_version": rs.version, "counts": counts}))
        else:
            render.echo(
                f"规则有效（{rulesdir.shown(rs.root)}，版本 {rs.version}）：{counts['items']} 个事项，{counts['laws']} 部法律，"
                f"{counts['provisions']} 个条文，{counts['checks']} 条检查规则，{counts['findings']} 个结论代码"
            )
        return 0

    guarded(body)


@app.command()
def audit(
    on: Annotated[str | None, typer.Option("--on", metavar="日期", help="审查日期 YYYY-MM-DD（默认：今天）")] = None,
    rules: RulesOption = None,
    fmt: FormatOption = "text",
) -> None:
    """法律时效审查：在某日已失效或被取代的依据、引注不完整、层级标注错误、编号空缺、待核实的参数。"""
    check_format(fmt)

    def body() -> int:
        import datetime as dt

        from quanze.engine.load.audit import CATEGORIES
        from quanze.engine.load.audit import audit as run_audit
        from quanze.engine.model.errors import InputError, Problem

        try:
            day = dt.date.fromisoformat(on) if on else dt.date.today()
        except ValueError:
            raise InputError([Problem("--on", "", f"期望 ISO 日期 YYYY-MM-DD, 实际为 {on!r}")]) from None
        ruleset = load(rules)
        entries = run_audit(ruleset, day)
        if fmt == "json":
            typer.echo(render.to_json({"on": day.isoformat(), "entries": [e.to_json() for e in entries]}))
            return 0
        lines = [f"权责清单法律时效审查（审查日期 {day}）"]
        for category in CATEGORIES:
            group = [e for e in entries if e.category == category]
            if group:
                lines.append(f"\n{category}（{len(group)} 项）：")
                for e in group:
                    lines.append(f"  [{e.item or '—'}] {e.text}")
                    lines.append(f"      来源：{e.source}")
        lines.append(f"\n共 {len(entries)} 项")
        lines.append(rules_line(rules, ruleset))
        render.echo("\n".join(lines))
        return 0

    guarded(body)


@app.command()
def reference(
    out: Annotated[Path, typer.Option("--out", metavar="目录", help="写入的目录（仓库中为 docs/reference）", file_okay=False)],
    rules: RulesOption = None,
) -> None:
    """生成参考文档：每个结论代码一页（标题、严重程度、依据及条文原文、产生它的规则、产生和避开它的案例）、索引，
    以及 rules validate 检查什么。"""

    def body() -> int:
        from quanze.engine import api
        from quanze.engine.model.errors import display_path

        written = api.write_reference(load(rules), out)
        render.echo(f"已写出 {len(written)} 页：{display_path(out)}")
        return 0

    guarded(body)
