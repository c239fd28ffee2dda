"""``quanze read``: the officer's documents (决定书, 告知书, a case folder) become case files, every reading shown."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from quanze.cli import render
from quanze.cli.options import FormatOption, RulesOption, check_format, guarded, load


def register(app: typer.Typer) -> None:
    """Add the ``read`` command."""

    @app.command()
    def read(
        paths: Annotated[
            list[Path],
            typer.Argument(metavar="文件或目录", help="文书（.docx 文档、带文字层的 PDF 文件、纯文本文件）或案卷目录", show_default=False),
        ],
        out: Annotated[
            Path | None,
            typer.Option("--out", metavar="路径", help="写出案卷：一件案件写到该 .yaml 文件，多件案件写到该目录（每件一个文件）"),
        ] = None,
        rules: RulesOption = None,
        fmt: FormatOption = "text",
    ) -> None:
        """读取文书：把行政处罚事先告知书、行政处罚决定书、送达回证、立案审批表、现场检查笔录（或整个案卷目录）
        读成案卷草稿。每个值注明出自哪份文书第几段的哪些原文；读不到的字段不填（未填写）并说明原因；有两种读法的
        （两个日期、两个条文）列为待选择，不替您决定。一个目录含多件案件的，按文号分成多份案卷。
        --out 同时写出 <案卷>.sources.yaml（来源）；quanze check 该案卷时，结论旁注明所依据的文书原文。
        退出码：0 已读取；2 文书无法读取（每份一行原因，不写出任何文件）。
        """
        check_format(fmt)

        def body() -> int:
            from quanze.engine import api
            from quanze.engine.model.errors import InputError, Problem, display_path
            from quanze.engine.present import reading

            ruleset = load(rules)
            cases, problems, unplaced = api.read_documents(paths, ruleset)
            if problems:
                raise InputError(problems)
            written: list[Path | None] = [None] * len(cases)
            if out is not None:
                if len(cases) > 1 and out.suffix.lower() in (".yaml", ".yml", ".json"):
                    raise InputError([Problem("--out", "", f"读到 {len(cases)} 件案件，--out 应为目录，实际为文件 {display_path(out)}")])
                written = api.write_readings(cases, out)
            if fmt == "json":
                payload = [dict(c.to_json(), written=str(w) if w else None) for c, w in zip(cases, written, strict=True)]
                typer.echo(api.to_json(payload[0] if len(payload) == 1 else payload))
            else:
                render.echo("\n\n".join(reading.reading_text(c, w) for c, w in zip(cases, written, strict=True)))
            for line in unplaced:
                render.echo(f"注意：{line}", err=True)
            return 0

        guarded(body)
