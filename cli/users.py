"""``quanze users``: the accounts of the case register (needed to serve beyond 127.0.0.1)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from quanze.cli import render
from quanze.cli.options import guarded

app = typer.Typer(help="案件登记库的账户：监听本机以外的地址时必须有账户（角色：承办人、法制审核、负责人、管理员）。",
                  no_args_is_help=True, options_metavar="[选项]")


def _accounts():
    from quanze.register.accounts import Accounts
    from quanze.register.store import Register

    return Accounts(Register())


def _ask_password() -> str:
    """The password typed twice at the terminal (click's own prompts and errors are English)."""
    from click.exceptions import Abort

    from quanze.engine.model.errors import InputError, Problem

    if not sys.stdin.isatty():
        why = "标准输入不是终端，无法提示输入密码；请用 --password-stdin 从标准输入传入"
        raise InputError([Problem("quanze users add", "--password-stdin", why)])
    try:
        first = typer.prompt("密码", hide_input=True, prompt_suffix="：")
        again = typer.prompt("再次输入密码", hide_input=True, prompt_suffix="：")
    except Abort:
        raise InputError([Problem("quanze users add", "", "已取消，未建立账户")]) from None
    if first != again:
        raise InputError([Problem("quanze users add", "密码", "两次输入的密码不一致，未建立账户")])
    return first


@app.command("add")
def add(
    name: Annotated[str, typer.Argument(metavar="姓名", help="登录名（一般为姓名）", show_default=False)],
    role: Annotated[str, typer.Option("--role", metavar="角色", help="承办人、法制审核、负责人 或 管理员")],
    department: Annotated[str | None, typer.Option("--department", metavar="科室", help="科室（承办人、负责人必填）")] = None,
    email: Annotated[str | None, typer.Option("--email", metavar="邮箱", help="每日期限提醒发往的邮箱")] = None,
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="从标准输入读取密码（脚本用）")] = False,
) -> None:
    """新建账户；密码以 argon2id（抗显卡破解的内存密集型算法）散列后保存，不保存原文。"""

    def body() -> int:
        password = sys.stdin.readline().rstrip("\r\n") if password_stdin else _ask_password()
        user = _accounts().add(name, role, password, department, email)
        render.echo(f"已建立账户 {user.name}（{user.role}" + (f"，{user.department}" if user.department else "") + "）")
        return 0

    guarded(body)


@app.command("list")
def list_() -> None:
    """列出账户。"""

    def body() -> int:
        for u in _accounts().list():
            state = "" if u["active"] else "（已停用）"
            render.echo(f"{u['name']}  {u['role']}  {u['department'] or '—'}  {u['email'] or ''}{state}")
        return 0

    guarded(body)


@app.command("token")
def token(
    name: Annotated[str, typer.Argument(metavar="姓名", show_default=False)],
    label: Annotated[str, typer.Option("--label", metavar="用途", help="令牌的用途（如 案件管理系统）")] = "API",
) -> None:
    """为账户生成一个 API 令牌（Authorization: Bearer <令牌>），只显示这一次；库中只保存其散列。"""

    def body() -> int:
        typer.echo(_accounts().new_token(name, label))
        return 0

    guarded(body)


@app.command("disable")
def disable(name: Annotated[str, typer.Argument(metavar="姓名", show_default=False)]) -> None:
    """停用账户（其会话和令牌随即失效；版本记录中的姓名保留）。"""

    def body() -> int:
        _accounts().deactivate(name)
        render.echo(f"已停用 {name}")
        return 0

    guarded(body)
