"""``quanze document notice|decision``: the 行政处罚事先告知书 or 行政处罚决定书 of a case file, as a Word document."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from quanze.cli import render
from quanze.cli.options import RulesOption, guarded, load

KINDS = {"notice": "行政处罚事先告知书", "decision": "行政处罚决定书"}


def register(app: typer.Typer) -> None:
    """Add the ``document`` command."""

    @app.command()
    def document(
        kind: Annotated[str, typer.Argument(metavar="文书", help="notice 事先告知书，或 decision 处罚决定书", show_default=False)],
        file: Annotated[Path, typer.Argument(metavar="文件", help="行政处罚案卷草稿（YAML 或 JSON）", show_default=False)],
        out: Annotated[Path, typer.Option("--out", metavar="路径", help="写出的文书（.docx，如 告知书.docx）", show_default=False)],
        rules: RulesOption = None,
        template: Annotated[
            Path | None, typer.Option("--template", metavar="模板", help="本单位的文书模板（.docx，变量见 docs/documents.md）")
        ] = None,
    ) -> None:
        """生成当事人收到的文书：notice 行政处罚事先告知书（第四十四条：拟作出的行政处罚内容及事实、理由、依据，
        陈述、申辩权，适用时的听证权及其期限），decision 行政处罚决定书（第五十九条六项内容，十五日内缴纳罚款与加处
        罚款，行政复议、行政诉讼的途径和期限）。内容全部取自案卷和规则；案卷没有的内容留出空白（＿＿）待填写，
        并在此列出，不作推测。退出码：0 已写出；2 输入有误。
        """

        def body() -> int:
            from quanze.engine import api
            from quanze.engine.model.errors import InputError, Problem, display_path
            from quanze.engine.present.opinion import write_opinion

            if kind not in KINDS:
                raise InputError([Problem("文书", "", f"期望 notice（事先告知书）或 decision（处罚决定书），实际为 {kind!r}")])
            ruleset = load(rules)
            draft = api.read_file(file, ruleset)
            if draft.kind != "penalty":
                raise InputError([Problem.at(display_path(file), ("kind",), f"{KINDS[kind]}只用于行政处罚案卷，实际为 {draft.kind}")])
            result, data, blanks = api.document(kind, draft, ruleset, display_path(file), template)
            path = write_opinion(data, out)
            render.echo(f"已写出{KINDS[kind]}：{path}（草稿检查结论：{render.verdict_word(result.verdict)}）")
            if blanks:
                render.echo(f"案卷未载明、文书中留空待填写：{'、'.join(blanks)}")
            return 0

        guarded(body)
