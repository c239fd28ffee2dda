"""``quanze serve``: the web form and HTTP API (quanze.web) under uvicorn."""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path

import typer

from quanze.cli.options import RulesOption

MAX_CONNECTIONS = 1024  # open connections per worker process; requests in progress are capped lower in the app
KEEP_ALIVE = 5  # seconds an idle keep-alive connection stays open
MAX_HEADER_BYTES = 16 * 1024  # h11: the largest request line and headers


def _connections() -> int:
    """MAX_CONNECTIONS, or fewer when the process may open fewer files (each connection is one)."""
    try:
        import resource

        soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    except (ImportError, OSError, ValueError):  # not on Windows
        return MAX_CONNECTIONS
    return MAX_CONNECTIONS if soft == resource.RLIM_INFINITY else max(16, min(MAX_CONNECTIONS, soft - 64))


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _bind_problem(host: str, port: int) -> str | None:
    """Why the port cannot be listened on (Chinese), found by binding it once before uvicorn does (whose own message
    is English)."""
    import socket

    from quanze.engine.model.text import os_words

    try:
        socket.create_server((host, port), family=socket.AF_INET6 if ":" in host else socket.AF_INET).close()
    except OSError as exc:  # create_server words its own error around strerror: the errno's text alone
        text = os.strerror(exc.errno) if exc.errno and exc.errno > 0 else (exc.strerror or str(exc))
        return f"无法监听 {host}:{port}：{os_words(text)}"
    return None


def _open_register() -> tuple[str, bool]:
    """Open the case register (created and migrated to the latest schema here, before listening): where it is, and
    whether it has accounts."""
    from quanze.register.accounts import Accounts
    from quanze.register.store import Register

    reg = Register()
    try:
        return reg.engine.url.render_as_string(hide_password=True), Accounts(reg).any()
    finally:
        reg.close()


def register(app: typer.Typer) -> None:
    """Add ``serve`` to the quanze command."""

    @app.command()
    def serve(
        host: str = typer.Option("127.0.0.1", "--host", help="监听地址（默认只在本机）；0.0.0.0 向网络开放，须同时设置 QUANZE_TOKEN"),
        port: int = typer.Option(8000, "--port", min=1, max=65535, help="端口"),
        workers: int = typer.Option(1, "--workers", min=1, help="工作进程数（每个进程一个事件循环；按核心数扩展）"),
        check_processes: int | None = typer.Option(
            None, "--check-processes", min=0, show_default=False,
            help="每个工作进程的检查进程数（各自加载并预热规则；0：在工作进程的一个检查线程上检查）。默认：可用核心数÷工作进程数，至少 1",
        ),
        rules: RulesOption = None,
    ) -> None:
        """启动网页表单和 HTTP API（http://HOST:PORT/，接口文档 /docs）；规则在启动时加载并编译一次。"""
        import uvicorn

        from quanze.cli import rulesdir
        from quanze.engine import api
        from quanze.engine.model.errors import Problem, QuanzeError
        from quanze.engine.model.settings import MAX_CHECK_PROCESSES, default_check_processes, settings, token_problem

        try:
            # refuse a rules folder that fails any check of ``rules validate`` (self-test included) before binding the port
            ruleset, how = api.load(rules)
            config = settings()
            token = config.token
            database, accounts = _open_register()
        except QuanzeError as exc:
            for p in exc.problems:
                typer.echo(str(p), err=True)
            raise typer.Exit(2) from None
        bad_token = token_problem(token)
        if bad_token:
            typer.echo(str(Problem("环境变量", "QUANZE_TOKEN", bad_token)), err=True)
            raise typer.Exit(2)
        typer.echo(rulesdir.describe(ruleset.root, how, ruleset.version), err=True)
        typer.echo(f"案件登记库：{database}" + ("（已启用账户登录）" if accounts else "（无账户：仅供本机一人使用）"), err=True)
        refusals: list[Problem] = []  # beyond loopback: every missing safeguard named in one run
        if not _loopback(host) and not (config.allowed_hosts or "").strip():
            msg = (f"监听 {host}（本机以外）时须设置 QUANZE_ALLOWED_HOSTS：本服务被访问时使用的主机名或地址（逗号分隔，如 "
                   "quanze.example.gov.cn,10.0.0.5），其他 Host 的请求将被拒绝（防止 DNS 重绑定）")
            refusals.append(Problem("环境变量", "QUANZE_ALLOWED_HOSTS", msg))
        if not _loopback(host) and not accounts:
            reason = (f"拒绝监听 {host}：本机以外的地址须先建立账户（quanze users add 姓名 --role 管理员），"
                      "案件登记库中尚无账户，任何能访问此端口的人都能读写案件。只在本机使用请去掉 --host")
            refusals.append(Problem("quanze serve", "--host", reason))
        if check_processes is not None and check_processes > MAX_CHECK_PROCESSES:
            msg = f"检查进程数至多 {MAX_CHECK_PROCESSES}（每个进程各自加载规则，约 90 MB），实际为 {check_processes}"
            refusals.append(Problem("quanze serve", "--check-processes", msg))
        unbound = _bind_problem(host, port)
        if unbound:
            refusals.append(Problem("quanze serve", "--host/--port", unbound))
        for problem in refusals:
            typer.echo(str(problem), err=True)
        if refusals:
            raise typer.Exit(2)
        if not _loopback(host):
            os.environ["QUANZE_REQUIRE_ACCOUNTS"] = "1"  # the worker processes refuse every request without a login
        if not _loopback(host):
            typer.echo(f"警告：监听 {host}，本服务对网络开放；检查结果含当事人和执法人员的姓名。", err=True)
            if not token and not accounts:
                typer.echo("警告：未设置 QUANZE_TOKEN，任何能访问此端口的人都可以调用接口。", err=True)
        if check_processes is None:  # --check-processes wins over QUANZE_CHECK_PROCESSES; neither: the cores, shared
            check_processes = default_check_processes(workers) if config.check_processes is None else config.check_processes
        os.environ["QUANZE_CHECK_PROCESSES"] = str(check_processes)
        if rules is not None:  # the worker processes read the settings: --rules wins over QUANZE_RULES, as everywhere
            os.environ["QUANZE_RULES"] = str(Path(rules).resolve())
        typer.echo(f"quanze serve：http://{host}:{port}/（表单）  http://{host}:{port}/docs（接口文档）", err=True)
        uvicorn.run(
            "quanze.web.app:app_from_env",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            http="quanze.web.transport:NoDelayH11Protocol",
            limit_concurrency=_connections(),  # beyond: 503 at once; requests in progress are capped in the app (web/middleware.py Limit)
            timeout_keep_alive=KEEP_ALIVE,
            h11_max_incomplete_event_size=MAX_HEADER_BYTES,  # headers are bounded in time by the protocol (web/transport.py)
            log_level="warning",
        )
