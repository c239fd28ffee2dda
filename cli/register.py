"""``quanze register``: the bureau's case register (quanze.register) from the command line: import and export
folders of case files, back up and restore, verify the hash chains, print or send the daily digest."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from quanze.cli import render
from quanze.cli.options import RulesOption, guarded, load

app = typer.Typer(help="案件登记库：导入导出案卷、备份恢复、核验版本链、每日期限提醒（数据库见 QUANZE_DATABASE_URL）。",
                  no_args_is_help=True, options_metavar="[选项]")

WhoOption = Annotated[str | None, typer.Option("--who", metavar="姓名", help="记录为保存人的姓名（默认：系统用户名）")]


def _who(who: str | None) -> str:
    if who and who.strip():
        return who.strip()[:100]
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "命令行"


def _open():
    from quanze.register.store import Register

    return Register()


@app.command("import")
def import_(
    paths: Annotated[list[Path], typer.Argument(metavar="目录", help="案卷文件或目录（.yaml、.yml、.json）", show_default=False)],
    who: WhoOption = None,
    rules: RulesOption = None,
) -> None:
    """把目录中的案卷文件逐一检查并存为其案件（按案件编号）的新版本；库中已有同样内容的文件跳过，重复导入不会增加版本。
    无法读取或校验的文件照原样保存，并附其问题。"""

    def body() -> int:
        from quanze.register.folders import import_folder

        ruleset = load(rules)
        register = _open()
        done = import_folder(register, paths, ruleset, _who(who))
        render.echo(f"导入：新保存 {len(done.added)} 个版本，已有相同内容跳过 {len(done.same)} 个"
                    + (f"，其中 {len(done.invalid)} 个无法校验、照原样保存并附其问题" if done.invalid else ""))
        for p in done.problems:
            render.echo(render.problem_text(p), err=True)
        return 2 if done.problems else 0

    guarded(body)


@app.command("export")
def export(folder: Annotated[Path, typer.Argument(metavar="目录", help="写入的目录（不存在时新建）", show_default=False)]) -> None:
    """把每个案件的最新版本写成普通的案卷文件（可再导入，或直接 quanze check）。"""

    def body() -> int:
        from quanze.register.folders import export_folder

        written = export_folder(_open(), folder)
        render.echo(f"导出：{len(written)} 个案件写入 {folder}")
        return 0

    guarded(body)


@app.command("verify")
def verify() -> None:
    """核验每个案件的版本链：任何一版被改写或删除都会被指出（退出码 1）。最后一行的总哈希可记录下来，日后比对。"""

    def body() -> int:
        problems, total, n_cases, n_versions = _open().verify()
        for line in problems:
            render.echo(line)
        state = "完好" if not problems else f"发现 {len(problems)} 处问题"
        render.echo(f"版本链{state}：{n_cases} 个案件，{n_versions} 个版本；总哈希 {total}")
        return 1 if problems else 0

    guarded(body)


@app.command("backup")
def backup(target: Annotated[Path, typer.Argument(metavar="文件", help="备份写入的文件（不可已存在）", show_default=False)]) -> None:
    """SQLite 的在线备份（服务运行时也可以）。PostgreSQL 请用 pg_dump（见 docs/register.md）。"""

    def body() -> int:
        from quanze.engine.model.errors import InputError, Problem

        if target.exists():
            raise InputError([Problem(str(target), "", "文件已存在，不覆盖；请换一个文件名")])
        _open().backup(target)
        render.echo(f"已备份到 {target}")
        return 0

    guarded(body)


@app.command("restore")
def restore(source: Annotated[Path, typer.Argument(metavar="文件", help="quanze register backup 写出的文件", show_default=False)]) -> None:
    """用备份替换登记库（先核验备份中的每条版本链）。PostgreSQL 请用 pg_restore（见 docs/register.md）。"""

    def body() -> int:
        from quanze.engine.model.errors import InputError, Problem

        if not source.is_file():
            raise InputError([Problem(str(source), "", "文件不存在")])
        _open().restore(source)
        render.echo(f"已从 {source} 恢复")
        return 0

    guarded(body)


@app.command("digest")
def digest(
    today: Annotated[str | None, typer.Option("--today", metavar="日期", help="以哪一天计算（默认：今天）")] = None,
    send: Annotated[bool, typer.Option("--send", help="通过 QUANZE_SMTP_HOST 配置的邮件服务器发给每位承办人")] = False,
    address: Annotated[list[str] | None, typer.Option("--address", metavar="姓名=邮箱", help="承办人的邮箱（可重复）")] = None,
    rules: RulesOption = None,
) -> None:
    """每日期限提醒：按承办人列出红牌（已逾期）和黄牌（QUANZE_YELLOW_DAYS 个工作日内到期，默认 3）的案件；
    --send 时每位承办人收到自己的一封邮件（邮箱取自其账户，或 --address）。"""

    def body() -> int:
        from quanze.engine import api
        from quanze.engine.model.errors import InputError, Problem
        from quanze.register import board, settings

        day = api.day_of(today, "--today", "") if today is not None else dt.date.today()
        addresses: dict[str, str] = {}
        for pair in address or []:
            name, sep, mail = pair.partition("=")
            if not sep or "@" not in mail:
                raise InputError([Problem("--address", "", f"期望 姓名=邮箱，实际为“{pair}”")])
            addresses[name.strip()] = mail.strip()
        smtp = settings.smtp() if send else None
        if send and smtp is None:
            need = "--send 需要邮件服务器：请设置 QUANZE_SMTP_HOST（及 QUANZE_SMTP_PORT 等）"
            raise InputError([Problem("环境变量", "QUANZE_SMTP_HOST", need)])
        ruleset = load(rules)
        register = _open()
        if send:  # the accounts' e-mail addresses, unless --address gives another
            from quanze.register.accounts import Accounts

            addresses = {u["name"]: u["email"] for u in Accounts(register).list() if u["email"] and u["active"]} | addresses
        cards = board.digest(register, day, ruleset, settings.yellow_days())
        if not cards:
            render.echo(f"截至 {day}，没有红牌或黄牌的案件")
        texts = {officer: board.digest_text(officer, rows, day) for officer, rows in cards.items()}
        render.echo("\n\n".join(texts.values()))
        if smtp is not None:
            messages = [(o, addresses[o], t) for o, t in texts.items() if o in addresses]
            try:
                board.send(smtp, messages, day)
            except OSError as exc:  # smtplib's errors are OSErrors
                raise InputError([Problem("邮件服务器", smtp.host, f"发送失败：{exc}")]) from None
            render.echo(f"已发送 {len(messages)} 封邮件", err=True)
            missing = [o for o in texts if o not in addresses]
            if missing:
                render.echo(f"未发送（没有邮箱，请用 --address 姓名=邮箱）：{'、'.join(missing)}", err=True)
                return 2
        return 0

    guarded(body)
