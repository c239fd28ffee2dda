"""The FastAPI application of ``quanze serve``: the HTTP API (``/api/v1``) and the officer form (``/``).

A thin adapter over ``engine/api.py``, the same entry point as the CLI: a request body is read by
``api.read_document`` (schema and names, every problem in one answer) and checked; results are
``api.result_json`` rendered by ``api.to_json``, exactly as ``--format json``. The rules folder is
chosen as by every command (``--rules``, else ``QUANZE_RULES``, else the shipped rules) and used only
after it passes every check of ``rules validate``, the durable-rules self-test included.

Rules are loaded, compiled and warmed up once, at start-up. durable-rules is not safe with several
evaluating threads (shared/spec/durable-rules.md), so checks run in a pool of warmed checking processes,
one check at a time each (``quanze serve --check-processes N``, web/checking.py), or with N = 0 on ONE
dedicated thread of this process; the event loop only awaits them. Parsing a body and rendering YAML
run on a second thread, so neither the event loop (``/healthz``) nor a single check waits for a 1 MiB text;
a batch is checked in chunks, one batch at a time, so a single check queued meanwhile runs between two chunks.
Nothing a client sends is written to the file system.

``create_app`` assembles the application: the routes of each OpenAPI tag are a router of their own
(``web/routes/``: check, rules, form, service; ``web/register.py``: register) over what they share
(``web/service.py`` ``Web``: the rules, the checking thread, the body read within its limits); the
error answers are ``web/common.py``, the middleware ``web/middleware.py`` and ``web/security.py``, the
served OpenAPI ``web/openapi.py``.
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline

from quanze.engine.model.errors import InputError, Problem
from quanze.engine.model.settings import (
    CLIENT_TIMEOUT,
    MAX_BATCH,
    MAX_BODY,
    REQUEST_TIMEOUT,
    default_check_processes,
    settings,
    token_problem,
)
from quanze.web import openapi, register
from quanze.web.common import STATIC, answer_problems, refusal
from quanze.web.middleware import Limit, RequestId, log, token_guard
from quanze.web.routes import check as check_routes
from quanze.web.routes import form as form_routes
from quanze.web.routes import rules as rules_routes
from quanze.web.routes import service as service_routes
from quanze.web.security import MAX_PER_CLIENT, Guard, Load
from quanze.web.service import Service, Web

MAX_REQUESTS = 256  # requests in progress per process (not /healthz); beyond: 503 at once
TAGS = [
    {"name": "check", "description": "检查草稿"},
    {"name": "rules", "description": "规则：事项、条文、词表、结论代码、草稿的 JSON Schema"},
    {"name": "form", "description": "表单所需：导入、下载、字段名称"},
    {"name": "register", "description": "案件登记库：保存案件的版本、登记簿（黄牌、红牌）"},
    {"name": "service", "description": "服务状态"},
]
API_DESCRIPTION = (
    "检查伊宁市商务和工业信息化局拟作出的行政处罚决定等文书是否符合其权责清单及所依据的法律，并指出追责情形。"
    "结果与 `quanze check --format json` 相同；无法读取的请求回答 `{\"problems\", \"lines\"}`，每个问题一行中文。"
    "设置了 QUANZE_TOKEN 时，/api/ 下的每个请求都须带 `Authorization: Bearer <令牌>`。"
)



def create_app(
    rules_dir: Path | str | None = None,
    token: str | None = None,
    max_body: int = MAX_BODY,
    warm_up: bool = True,
    max_batch: int = MAX_BATCH,
    client_timeout: float = CLIENT_TIMEOUT,
    request_timeout: float = REQUEST_TIMEOUT,
    max_requests: int = MAX_REQUESTS,
    database_url: str | None = None,
    allowed_hosts: frozenset[str] = frozenset(),
    max_per_client: int = MAX_PER_CLIENT,
    check_processes: int = 0,
) -> FastAPI:
    """The application; ``token`` (bearer) protects /api when given; ``allowed_hosts`` (when given) are the only
    Host values served; browser headers and the cap per client: web/security.py. ``check_processes``: checks run in
    that many warmed processes (web/checking.py), with 0 on this process's one checking thread."""
    service = Service(Path(rules_dir) if rules_dir else None, warm_up=warm_up, processes=check_processes)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        await asyncio.get_running_loop().run_in_executor(None, service.start)
        await service.attach()
        yield
        service.stop()
        register_handle.close()

    app = FastAPIOffline(
        title="quanze",
        version="1",
        summary="权责清单规则引擎：在行政处罚决定等文书作出前检查其合法性，并指出追责情形。",
        description=API_DESCRIPTION,
        lifespan=lifespan,
        static_url="/static-docs",
        openapi_tags=TAGS,
    )
    app.state.service = service
    app.add_middleware(Limit, limit=max_requests)
    register_handle = register.install(app, max_body, database_url, bool(token))  # the case register (web/register.py)
    load = app.state.load = Load(max_requests)
    app.add_middleware(Guard, load=load, allowed_hosts=allowed_hosts, per_client=max_per_client, refuse=refusal)
    answer_problems(app)  # every error in Chinese (web/common.py)
    if token:  # no middleware at all otherwise: it costs every request
        app.middleware("http")(token_guard(token))

    web = Web(service, load, token, max_body, max_batch, client_timeout, request_timeout)
    app.include_router(service_routes.router(web))  # /healthz, the form, the favicon, ReDoc's bundle without its logo
    app.router.routes.insert(0, app.router.routes.pop())  # ahead of the /static-docs mount, which serves the bundle with its logo
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for routes in (check_routes, form_routes, rules_routes):
        app.include_router(routes.router(web))
    openapi.install(app, service, token)
    app.add_middleware(RequestId)  # outermost: every answer (a 503 of Limit, a 401 included) has its id
    return app


def app_from_env() -> FastAPI:
    """The application configured by the settings (uvicorn factory for ``quanze serve``, also with --workers):
    QUANZE_RULES, QUANZE_TOKEN, QUANZE_MAX_BODY, QUANZE_MAX_BATCH, QUANZE_CLIENT_TIMEOUT, QUANZE_REQUEST_TIMEOUT,
    QUANZE_CHECK_PROCESSES (engine/model/settings.py; unset: the cores this process may use)."""
    config = settings()
    hosts = frozenset(h.strip().lower() for h in (config.allowed_hosts or "").split(",") if h.strip())
    if not log.handlers:  # the server log (stderr): one line per request with its X-Request-ID
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("quanze %(asctime)s %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
    bad_token = token_problem(config.token)
    if bad_token:  # also when uvicorn runs this factory itself (docs/deploy.md)
        raise InputError([Problem("环境变量", "QUANZE_TOKEN", bad_token)])
    return create_app(
        config.rules,
        config.token,
        config.max_body,
        max_batch=config.max_batch,
        client_timeout=config.client_timeout,
        request_timeout=config.request_timeout,
        allowed_hosts=hosts,
        check_processes=default_check_processes() if config.check_processes is None else config.check_processes,
    )
