"""The FastAPI application of ``quanze serve``: the HTTP API (``/api/v1``) and the officer form (``/``).

A thin adapter over ``engine/api.py``, the same entry point as the CLI: a request body is read by
``api.read_document`` (schema and names, every problem in one answer) and checked; results are
``api.result_json`` rendered by ``api.to_json``, exactly as ``--format json``. The rules folder is
chosen as by every command (``--rules``, else ``QUANZE_RULES``, else the shipped rules) and used only
after it passes every check of ``rules validate``, the durable-rules self-test included.

Rules are loaded, compiled and warmed up once, at start-up. durable-rules is not safe with several
evaluating threads (shared/spec/durable-rules.md), so every validation and check runs on ONE dedicated
thread per process; scale with processes (``quanze serve --workers N``). Parsing a body and rendering YAML
run on a second thread, so neither the event loop (``/healthz``) nor a single check waits for a 1 MiB text;
a batch is checked in chunks, one batch at a time, so a single check queued meanwhile runs between two chunks.
Nothing a client sends is written to the file system.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import hmac
import logging
import math
import re
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from fastapi import FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from starlette.exceptions import HTTPException as StarletteHTTPException

from quanze.engine import api
from quanze.engine.model.drafts import KINDS, parse_text
from quanze.engine.model.errors import InputError, Problem, did_you_mean, show_value
from quanze.engine.model.labels import FIELDS
from quanze.engine.model.ruleset import RuleSet
from quanze.engine.model.settings import CLIENT_TIMEOUT, MAX_BATCH, MAX_BODY, REQUEST_TIMEOUT, settings, token_problem
from quanze.engine.model.yamlio import TooManyItems, YamlProblem, count_nodes
from quanze.engine.present import output as present
from quanze.engine.present.draftschema import draft_schema
from quanze.web import catalog, register
from quanze.web.models import (
    STATUS_TEXT,
    BatchResults,
    Deadlines,
    Health,
    Parsed,
    Result,
    SampleCaseDetail,
    SampleCases,
    answers,
)
from quanze.web.security import MAX_PER_CLIENT, Guard, Load

LABEL = "请求"  # the "file" of a draft sent in a request
YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml")
DRAFT_TYPES = ("application/json", *YAML_TYPES)
STATIC = Path(str(resources.files("quanze.web"))) / "static"
MAX_REQUESTS = 256  # requests in progress per process (not /healthz); beyond: 503 at once
BATCH_CHUNK = 10  # drafts checked per turn of the checking thread (a few tens of ms)
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


class RequestProblem(Exception):
    """A request that cannot be served: HTTP status and Chinese problems."""

    def __init__(self, status: int, problems: list[Problem]) -> None:
        super().__init__(status)
        self.status = status
        self.problems = problems


def problems_json(problems: list[Problem]) -> dict[str, Any]:
    """The body of an error answer: each problem, and the same lines ``quanze check`` prints."""
    return api.problems_body(problems)


def _all_cases(found: dict[str, Any]) -> dict[str, Any]:
    """The answer of ``GET /api/v1/cases`` without a page: every case, as a page of all of them."""
    cases = found["cases"]
    return {"cases": cases, "total": len(cases), "offset": 0, "limit": None}


def refusal(status: int, problems: list[Problem], headers: dict[str, str] | None = None) -> Response:
    """An error answer of a middleware: the problems as JSON."""
    return JSONResponse(problems_json(problems), status_code=status, headers=headers)


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def attachment(case_id: str, title: str = "法制审核意见书") -> str:
    """Content-Disposition of a 意见书: an ASCII filename and the Chinese one (RFC 6266 ``filename*``),
    the case number without hidden characters or path separators."""
    from urllib.parse import quote

    from quanze.engine.model.text import hidden

    number = "".join(c for c in case_id if not hidden(c) and c not in '/\\:*?"<>|')[:80]
    name = f"{title}（{number}）.docx" if number.strip() else f"{title}.docx"
    ascii_name = {"行政处罚事先告知书": "notice", "行政处罚决定书": "decision"}.get(title, "opinion") + ".docx"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def _json(payload: Any, status: int = 200) -> Response:
    return Response(api.to_json(payload), status_code=status, media_type="application/json")


def _plain(value: Any) -> Any:
    """Loaded YAML (line-remembering mappings) as plain JSON values."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


_JSON_SCALARS = (str, int, float, bool, type(None))


def portable(value: Any, path: str = "", inexact: list[str] | None = None) -> tuple[Any, list[str]]:
    """A parsed draft as JSON values, and the field paths where JSON cannot carry it as it is.

    A key that is not text (``1:``, ``null:``), a number that is not finite (``.inf``), a ``!!binary``
    or ``!!timestamp`` value and the like are turned into text and named, so the form knows that only
    the original file, sent unchanged, checks exactly as ``quanze check`` of it does.
    """
    out = [] if inexact is None else inexact
    if isinstance(value, dict):
        doc = {}
        for key, item in value.items():
            sub = f"{path}.{key}" if path else str(key)
            if not isinstance(key, str):
                out.append(sub)
            doc[str(key)] = portable(item, sub, out)[0]
        return doc, out
    if isinstance(value, list):
        return [portable(v, f"{path}[{i}]", out)[0] for i, v in enumerate(value)], out
    if isinstance(value, float) and not math.isfinite(value):
        out.append(path)
        return str(value), out
    if isinstance(value, _JSON_SCALARS):
        return value, out
    out.append(path)
    return str(_plain(value)), out


class Service:
    """The rules of this process and the one thread that evaluates with them."""

    def __init__(self, rules_dir: Path | None, warm_up: bool = True) -> None:
        self.rules_dir = rules_dir
        self.warm_up = warm_up
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="quanze-check")
        self.parser = ThreadPoolExecutor(max_workers=1, thread_name_prefix="quanze-parse")
        self.rules: RuleSet | None = None
        self.warmed = 0

    def start(self) -> None:
        """Load and compile the rules on the evaluating thread (blocks until ready)."""
        self.executor.submit(self._load).result()

    def _load(self) -> None:
        rules, _how = api.load(self.rules_dir)  # refused unless it passes every check of ``rules validate``
        if self.warm_up:
            self.warmed = _warm_up(rules)
        self.rules = rules

    async def run(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Run fn on the evaluating thread."""
        return await asyncio.get_running_loop().run_in_executor(self.executor, fn, *args)

    async def parse(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Run fn (parsing or rendering text, no durable-rules) on the parsing thread."""
        return await asyncio.get_running_loop().run_in_executor(self.parser, fn, *args)

    def stop(self) -> None:
        self.parser.shutdown(wait=True, cancel_futures=True)
        self.executor.shutdown(wait=True, cancel_futures=True)


def _warm_up(rules: RuleSet) -> int:
    """Check every sample case once: compiles the rulesets they use, and proves the rules run."""
    from quanze.engine.batch.cases import find_cases

    n = 0
    for path in find_cases(Path(str(resources.files("quanze.cases")))):
        try:
            api.check_file(path, rules, path.name)
            n += 1
        except InputError:
            continue  # invalid sample drafts, or a draft a reviewer's rules do not know
    return n


def check_raw(raw: Any, rules: RuleSet, label: str, explain: bool = False) -> dict[str, Any]:
    """The contract §4 object of one raw draft (``explain`` adds the reasoning, as ``quanze explain``)."""
    return api.result_json(api.check_document(raw, rules, label), explain, rules)


def _media(request: Request, allowed: tuple[str, ...] = DRAFT_TYPES) -> str:
    """The request's media type; 415 (Chinese) unless it is one of ``allowed`` (a missing one included)."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media not in allowed:
        expected = "application/json 或 application/yaml" if "application/yaml" in allowed else " 或 ".join(allowed)
        given = show_value(media) if media else "（未给出）"
        raise RequestProblem(415, [Problem(LABEL, "Content-Type", f"期望 {expected}，实际为 {given}")])
    return media


def _json_bytes(text: str | bytes, status: int = 200) -> Response:
    return Response(text, status_code=status, media_type="application/json")


@functools.cache
def _redoc_js() -> bytes:
    """ReDoc's bundle without the one image it fetches from the internet (its logo, from cdn.redoc.ly)."""
    import fastapi_offline

    path = Path(fastapi_offline.__file__).parent / "static" / "redoc.standalone.js"
    return path.read_bytes().replace(b"https://cdn.redoc.ly/redoc/logo-mini.svg", b"data:,")


def parse_body(body: bytes, media: str, max_items: int | None = None) -> Any:
    """The document of a request body: JSON, or YAML by its content type (checked by ``_media``).

    A YAML body is counted while libyaml parses it (yamlio.count_nodes), before anything is built: a
    list past ``max_items`` is 413 at once, a body of more values than any batch of drafts holds is 422."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RequestProblem(422, [Problem(LABEL, "", "不是 UTF-8 编码的文本")]) from None
    if not text.strip():
        raise RequestProblem(422, [Problem(LABEL, "", "请求体为空")])
    if media != "application/json":
        try:
            count_nodes(text, max_items=max_items)
        except TooManyItems as exc:
            msg = f"一次批量检查至多 {max_items} 份草稿（QUANZE_MAX_BATCH），实际超过 {exc.count - 1} 份；请分批发送"
            raise RequestProblem(413, [Problem(LABEL, "", msg)]) from None
        except YamlProblem as exc:
            raise RequestProblem(422, [Problem(LABEL, f"第 {exc.line} 行", exc.reason)]) from None
    return parse_text(text, LABEL, as_json=media == "application/json")


class Limit:
    """ASGI middleware: at most ``limit`` requests in progress, beyond that 503 at once; /healthz always passes.

    uvicorn's own ``limit_concurrency`` counts open connections too and refuses /healthz with the rest, so
    it is set higher (cli/server.py) and this limit keeps the capacity for the health check.
    """

    def __init__(self, app: Any, limit: int) -> None:
        self.app = app
        self.limit = limit
        self.active = 0

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http" or scope["path"] == "/healthz":
            return await self.app(scope, receive, send)
        if self.active >= self.limit:
            busy = problems_json([Problem("服务", "", f"同时处理的请求已达上限 {self.limit}，请稍后再试")])
            return await JSONResponse(busy, status_code=503, headers={"Retry-After": "1"})(scope, receive, send)
        self.active += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.active -= 1


_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
log = logging.getLogger("quanze.web")


class RequestId:
    """ASGI middleware: every answer carries ``X-Request-ID`` (the caller's, when it sends a short plain one, else a new
    one), and the server log has one line per request with it: id, method, path, status, milliseconds."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        given = next((v for k, v in scope.get("headers", ()) if k == b"x-request-id"), b"").decode("latin-1")
        rid = given if _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = rid
        status, start = 0, time.perf_counter()

        async def sending(message: dict) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message = {**message, "headers": [*message.get("headers", []), (b"x-request-id", rid.encode())]}
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            ms = (time.perf_counter() - start) * 1000
            log.info("%s %s %s %s %.0f ms", rid, scope.get("method", ""), scope.get("path", ""), status or "-", ms)


def _validation_text(error: dict[str, Any]) -> Problem:
    """A query or path parameter FastAPI could not read, in Chinese."""
    where = ".".join(str(x) for x in error.get("loc", ())[1:]) or "参数"
    kind = error.get("type", "")
    if kind == "missing":
        return Problem(LABEL, where, "缺少此参数")
    day = "日期 YYYY-MM-DD"
    expected = {"bool_parsing": "true 或 false", "bool_type": "true 或 false", "int_parsing": "整数",
                "date_from_datetime_parsing": day, "date_parsing": day, "date_from_datetime_inexact": day}
    given = show_value(error.get("input"))
    return Problem(LABEL, where, f"期望{expected.get(kind, '有效的取值')}，实际为 {given}")


def _enums(schema: Any) -> Any:
    """A draft schema for OpenAPI: a ``oneOf`` of titled consts (the form's value labels) as one ``enum``.

    Client generators read such a ``oneOf`` as several types and refuse every value but the first;
    the Chinese labels stay, in order, as ``x-enumNames``. Other accepted spellings (``单位`` for
    ``organization``, marked ``x-quanze-alias-of``) are values of the same enum, listed after the canonical ones
    and mapped in ``x-quanze-aliases``: a generated client builds a draft with either. The field's Chinese title
    moves to ``x-title`` (generators name an enum's class by its title).
    """
    if isinstance(schema, list):
        return [_enums(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: _enums(v) for k, v in schema.items()}
    choices = out.get("oneOf")
    keys = {"const", "title", "x-quanze-alias-of"}
    titled = isinstance(choices, list) and choices and all(isinstance(c, dict) and set(c) <= keys for c in choices)
    if titled and all("const" in c for c in choices):
        del out["oneOf"]
        out["enum"] = [c["const"] for c in choices]
        out["x-enumNames"] = [c.get("title", str(c["const"])) for c in choices]
        if "title" in out:  # generators name the enum's class by its title: PartyType, not Party类型
            out["x-title"] = out.pop("title")
        aliases = {c["const"]: c["x-quanze-alias-of"] for c in choices if "x-quanze-alias-of" in c}
        if aliases:
            out["x-quanze-aliases"] = aliases
            said = "；".join(f"“{a}”同 {v}" for a, v in aliases.items())
            out["description"] = f"{out['description']}（也接受：{said}）" if out.get("description") else f"也接受：{said}"
    return out


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
) -> FastAPI:
    """The application; ``token`` (bearer) protects /api when given; ``allowed_hosts`` (when given) are the only
    Host values served; browser headers and the cap per client: web/security.py."""
    service = Service(Path(rules_dir) if rules_dir else None, warm_up=warm_up)
    batches = asyncio.Semaphore(1)  # one batch at a time per process, checked in chunks between single checks

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        await asyncio.get_running_loop().run_in_executor(None, service.start)
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

    def rules() -> RuleSet:
        if service.rules is None:
            raise RequestProblem(503, [Problem("服务", "", "规则尚未加载完成，请稍后再试")])
        return service.rules

    answers_built: dict[tuple[str, str | None], str] = {}

    async def built(key: tuple[str, str | None], make: Callable[[RuleSet], str]) -> str:
        """An answer that depends on the rules only: made once, on a thread (not the event loop), then reused."""
        r = rules()
        if key not in answers_built:
            answers_built[key] = await asyncio.get_running_loop().run_in_executor(None, make, r)
        return answers_built[key]

    def pinned(r: RuleSet, rules_version: str | None) -> RuleSet:
        if rules_version is not None and rules_version != r.version:
            msg = f"请求要求规则版本 {show_value(rules_version)}，本服务的规则版本为 {r.version}；请用相同版本的规则，或去掉 rules_version"
            raise RequestProblem(409, [Problem(LABEL, "rules_version", msg)])
        return r

    @app.exception_handler(RequestProblem)
    async def _request_problem(request: Request, exc: RequestProblem) -> Response:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return JSONResponse(problems_json(exc.problems), status_code=exc.status, headers=headers)

    @app.exception_handler(InputError)
    async def _input_error(request: Request, exc: InputError) -> Response:
        return JSONResponse(problems_json(exc.problems), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        headers = dict(exc.headers or {})
        if exc.status_code == 404:
            problem = Problem(LABEL, "地址", f"没有此地址：{show_value(request.url.path)}（接口见 /docs）")
        elif exc.status_code == 405:
            allowed = headers.get("allow") or headers.get("Allow") or ""
            problem = Problem(LABEL, "方法", f"此地址不接受 {request.method}" + (f"，只接受 {allowed}" if allowed else ""))
        else:
            problem = Problem(LABEL, "", f"无法处理此请求（HTTP {exc.status_code}）")
        return JSONResponse(problems_json([problem]), status_code=exc.status_code, headers=headers or None)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        return JSONResponse(problems_json([_validation_text(e) for e in exc.errors()]), status_code=422)

    async def _guard(request: Request, call_next):
        if request.url.path.startswith("/api/"):
            scheme, _, given = request.headers.get("authorization", "").partition(" ")
            if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip(" ").encode(), token.encode()):  # RFC 7235
                problems = problems_json([Problem(LABEL, "Authorization", "缺少或错误的访问令牌（Bearer）")])
                return JSONResponse(problems, 401, headers={"WWW-Authenticate": "Bearer"})
        return await call_next(request)

    if token:  # no middleware at all otherwise: it costs every request
        app.middleware("http")(_guard)

    async def body_of(request: Request) -> bytes:
        """The request body, refused with 413 past max_body (by Content-Length and while streaming), 408 if slow."""
        too_large = RequestProblem(413, [Problem(LABEL, "", f"请求体超过上限 {max_body} 字节")])
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > max_body):
            if not length.isdigit():
                raise RequestProblem(400, [Problem(LABEL, "Content-Length", f"不是字节数：{show_value(length)}")])
            raise too_large
        chunks, size = [], 0

        async def read() -> None:
            nonlocal size
            async for chunk in request.stream():
                size += len(chunk)
                if size > max_body:
                    raise too_large
                chunks.append(chunk)

        try:
            await asyncio.wait_for(read(), client_timeout)
        except TimeoutError:
            raise RequestProblem(408, [Problem(LABEL, "", f"未在 {client_timeout:g} 秒内收到完整的请求体")]) from None
        return b"".join(chunks)

    async def document(request: Request, allowed: tuple[str, ...] = DRAFT_TYPES, max_items: int | None = None) -> Any:
        """The parsed body (on the parsing thread): 415 for another content type, 422 for what cannot be read."""
        media = _media(request, allowed)
        body = await body_of(request)
        return await service.parse(parse_body, body, media, max_items)

    # --- health, form, docs ---------------------------------------------------------------

    @app.get("/healthz", tags=["service"], summary="就绪检查", operation_id="healthz", response_model=Health,
             responses={503: {"model": Health, "description": "规则尚未加载完成"}})
    async def healthz() -> Response:
        """规则加载并编译完成后回答 200（含规则版本、事项数、预热的样例数、进行中的请求数），此前回答 503（starting）；
        进行中的请求达到上限、其他请求都会得到 503 时，也回答 503（busy）。不需要访问令牌。"""
        r = service.rules
        if r is None:
            return JSONResponse({"status": "starting"}, status_code=503)
        answer = {"status": "ok", "rules_version": r.version, "items": len(r.items), "warmed_up": service.warmed,
                  "in_progress": load.active}
        if load.full():  # every other request would get 503 now: say so (web/security.py Load)
            return JSONResponse({**answer, "status": "busy"}, status_code=503, headers={"Retry-After": "1"})
        return JSONResponse(answer)

    @app.get("/", include_in_schema=False)
    async def form() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> Response:
        return Response(status_code=204)

    @app.get("/static-docs/redoc.standalone.js", include_in_schema=False)
    async def redoc_js() -> Response:
        return Response(_redoc_js(), media_type="text/javascript; charset=utf-8")

    app.router.routes.insert(0, app.router.routes.pop())  # before the /static-docs mount
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    # --- API ------------------------------------------------------------------------------

    draft_body = {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/Draft"}},
                "application/yaml": {"schema": {"type": "string", "description": "YAML 草稿（与文件格式相同）"}},
            },
        }
    }
    post_errors = (400, 408, 413, 415, 422, 503) + ((401,) if token else ())
    get_errors = (503,) + ((401,) if token else ())
    version_doc = "可选：调用方所用的规则版本（/healthz 的 rules_version）；与本服务的不同时回答 409"

    @app.post("/api/v1/check", tags=["check"], summary="检查一份草稿", operation_id="check", openapi_extra=draft_body,
              response_model=Result, responses=answers(409, *post_errors))
    async def check_one(
        request: Request, explain: bool = False, rules_version: str | None = Query(None, description=version_doc)
    ) -> Response:
        """一份草稿：JSON，或 ``Content-Type: application/yaml`` 的 YAML。200：检查结果，与 ``quanze check --format json``
        相同；``explain=true`` 附上推理过程（同 ``quanze explain``）。422：每个问题一行中文（文件为“请求”）；413：请求体超过上限。"""
        r = pinned(rules(), rules_version)
        raw = await document(request)
        return _json_bytes(await service.run(lambda: api.to_json(check_raw(raw, r, LABEL, explain))))

    @app.post("/api/v1/deadlines", tags=["check"], summary="期限预警", operation_id="deadlines", openapi_extra=draft_body,
              response_model=Deadlines, responses=answers(409, *post_errors))
    async def deadlines(request: Request, today: str | None = Query(None, description="日期 YYYY-MM-DD（默认：服务器的当天）"),
                        rules_version: str | None = Query(None, description=version_doc)) -> Response:
        """草稿同 /api/v1/check。200：``{"today", "deadlines": [...]}``，每个环节的最后合法日期及其在 ``today``
        （默认：服务器的当天）的状态，同 ``quanze deadlines --format json``；422 同 /api/v1/check。"""
        r = pinned(rules(), rules_version)
        day = api.day_of(today, LABEL) if today else dt.date.today()
        raw = await document(request)
        return _json(await service.run(lambda: api.deadlines_document(raw, r, LABEL, day)))

    batch_body = {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": {"type": "array", "maxItems": max_batch, "items": {"$ref": "#/components/schemas/Draft"}}},
                "application/yaml": {"schema": {"type": "string", "description": "YAML 草稿的列表"}},
            },
        }
    }

    @app.post("/api/v1/check:batch", tags=["check"], summary="批量检查", operation_id="check_batch", openapi_extra=batch_body,
              description=f"草稿的列表（JSON 或 YAML），至多 {max_batch} 份（QUANZE_MAX_BATCH）。200：``{{\"results\": [...]}}``，按顺序；"
              f"无法检查的一份在其位置给出 ``{{\"file\": \"请求[i]\", \"problems\": [...], \"lines\": [...]}}``。超过份数上限：413。",
              response_model=BatchResults, responses=answers(409, *post_errors))
    async def check_batch(request: Request, rules_version: str | None = Query(None, description=version_doc)) -> Response:
        r = pinned(rules(), rules_version)
        docs = await document(request, max_items=max_batch)
        if not isinstance(docs, list):
            raise RequestProblem(422, [Problem(LABEL, "", "期望草稿的列表 [ … ]")])
        if len(docs) > max_batch:
            msg = f"一次批量检查至多 {max_batch} 份草稿（QUANZE_MAX_BATCH），实际为 {len(docs)} 份；请分批发送"
            raise RequestProblem(413, [Problem(LABEL, "", msg)])

        def chunk(start: int) -> list[bytes]:
            out = []
            for i, doc in enumerate(docs[start : start + BATCH_CHUNK], start):
                label = f"{LABEL}[{i}]"
                try:
                    out.append(api.to_json(check_raw(doc, r, label)).encode())
                except InputError as exc:
                    out.append(api.to_json({"file": label, **problems_json(exc.problems)}).encode())
            return out

        parts: list[bytes] = []
        gone = asyncio.Event()

        async def watch() -> None:  # the body is read: the next message is the client's hang-up (request.is_disconnected
            while (await request.receive())["type"] != "http.disconnect":  # cannot see it through an "http" middleware)
                pass
            gone.set()

        watcher = asyncio.ensure_future(watch())
        try:
            async with batches:
                deadline = asyncio.get_running_loop().time() + request_timeout
                for start in range(0, len(docs), BATCH_CHUNK):  # a single check queued meanwhile runs between two chunks
                    if gone.is_set():  # the client hung up: no one will read the rest
                        return Response(status_code=499)
                    parts.extend(await service.run(chunk, start))
                    if start + BATCH_CHUNK < len(docs) and asyncio.get_running_loop().time() > deadline:
                        msg = (f"批量检查超过 {request_timeout:g} 秒（QUANZE_REQUEST_TIMEOUT），检查了前 {start + BATCH_CHUNK} 份后停止；"
                               "请分成更小的批次")
                        raise RequestProblem(503, [Problem("服务", "", msg)])
        finally:
            watcher.cancel()
        return _json_bytes(b'{"results": [' + b", ".join(parts) + b"]}")

    docx_answer = {200: {"content": {DOCX: {}}, "description": "法制审核意见书（Word 文档）"}}

    @app.post("/api/v1/opinion", tags=["check"], summary="生成法制审核意见书（.docx）", operation_id="opinion", openapi_extra=draft_body,
              response_class=Response, responses={**docx_answer, **answers(409, *post_errors)})
    async def opinion(request: Request, rules_version: str | None = Query(None, description=version_doc)) -> Response:
        """草稿同 /api/v1/check。200：法制审核意见书（Word 文档），与 ``quanze check --format docx`` 相同；
        422：每个问题一行中文，同 /api/v1/check。"""
        r = pinned(rules(), rules_version)
        raw = await document(request)
        result, data = await service.run(lambda: api.opinion(api.read_document(raw, r, LABEL), r, LABEL))
        return Response(data, media_type=DOCX, headers={"Content-Disposition": attachment(result.case_id)})

    document_answer = {200: {"content": {DOCX: {}}, "description": "行政处罚事先告知书或行政处罚决定书（Word 文档）"}}

    @app.post("/api/v1/document/{kind}", tags=["check"], summary="生成事先告知书或处罚决定书（.docx）", operation_id="document",
              openapi_extra=draft_body, response_class=Response, responses={**document_answer, **answers(409, *post_errors)})
    async def party_document(
        request: Request,
        kind: Literal["notice", "decision"] = PathParam(description="notice 行政处罚事先告知书；decision 行政处罚决定书"),
        rules_version: str | None = Query(None, description=version_doc),
    ) -> Response:
        """行政处罚草稿同 /api/v1/check。200：文书（Word 文档），与 ``quanze document`` 相同；案卷未载明、文书中留空的
        内容在响应头 X-Quanze-Blanks（URL 编码，以“、”分隔）；422：每个问题一行中文。"""
        from urllib.parse import quote

        r = pinned(rules(), rules_version)
        raw = await document(request)
        result, data, blanks = await service.run(lambda: api.document(kind, api.read_document(raw, r, LABEL), r, LABEL))
        title = {"notice": "行政处罚事先告知书", "decision": "行政处罚决定书"}[kind]
        headers = {"Content-Disposition": attachment(result.case_id, title), "X-Quanze-Blanks": quote("、".join(blanks), safe="")}
        return Response(data, media_type=DOCX, headers=headers)

    read_types = (DOCX, "application/pdf", "text/plain")
    read_body = {"requestBody": {"required": True, "content": {t: {"schema": {"type": "string", "format": "binary"}} for t in read_types}}}

    @app.post("/api/v1/read", tags=["form"], summary="读取文书（决定书、告知书等）为案卷", operation_id="read_document",
              openapi_extra=read_body, response_model=dict[str, Any], responses=answers(*post_errors))
    async def read_upload(request: Request, name: str = "上传的文书") -> Response:
        """一份文书（.docx、带文字层的 .pdf 或 .txt 的字节，Content-Type 为其类型；``?name=`` 文件名，用于提示）→
        ``{"case", "documents", "values", "choices", "unread", "text"}``：案卷草稿，每个值的来源（文书、段落、原文），
        待选择的读法，未填写的原因，以及 ``quanze read`` 打印的文字。无法读取的文书：422，每个问题一行中文。"""
        media = _media(request, read_types)
        body = await body_of(request)
        r = rules()
        label = "".join(c for c in name if c.isprintable() and c not in '/\\')[:80].strip() or "上传的文书"
        suffix = {DOCX: ".docx", "application/pdf": ".pdf", "text/plain": ".txt"}[media]
        label = label if label.lower().endswith(suffix) else label + suffix

        def read() -> str:
            from quanze.engine.present.reading import reading_text

            case = api.read_upload(label, body, r)
            return api.to_json({**case.to_json(), "text": reading_text(case)})

        return _json_bytes(await service.parse(read))

    text_body = {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": {"type": "object", "description": "JSON 草稿"}},
                "application/yaml": {"schema": {"type": "string", "description": "YAML 草稿（与文件格式相同）"}},
            },
        }
    }

    @app.post("/api/v1/parse", tags=["form"], summary="读取草稿文本（导入）", operation_id="parse", openapi_extra=text_body,
              response_model=Parsed, responses=answers(*post_errors))
    async def parse(request: Request) -> Response:
        """YAML 或 JSON 文本 → 草稿的 JSON（不校验；表单导入用）。``inexact`` 列出 JSON 无法原样表示的字段路径
        （不是文本的键、``.inf``、``!!binary`` 值等）。"""
        body = await body_of(request)
        media = _media(request, DRAFT_TYPES)
        doc, inexact = await service.parse(lambda: portable(parse_body(body, media)))
        if not isinstance(doc, dict):
            raise RequestProblem(422, [Problem(LABEL, "", "期望一个映射 (kind: …)")])
        return _json_bytes(await service.parse(lambda: api.to_json({"draft": doc, "inexact": inexact})))

    yaml_body = {"requestBody": {"required": True, "content": {"application/json": {"schema": {"type": "object"}}}}}
    yaml_answer = {200: {"content": {"application/yaml": {}}, "description": "草稿文件格式的 YAML 文本"}}

    @app.post("/api/v1/yaml", tags=["form"], summary="草稿转为 YAML（下载）", operation_id="to_yaml", openapi_extra=yaml_body,
              response_class=Response, responses={**yaml_answer, **answers(*post_errors)})
    async def to_yaml(request: Request) -> Response:
        """JSON 文档 → 同一文档的 YAML 文本（草稿文件格式）。只接受 ``application/json``。"""
        doc = await document(request, ("application/json",))
        if not isinstance(doc, dict):
            raise RequestProblem(422, [Problem(LABEL, "", "期望一个映射 (kind: …)")])
        def render() -> str:
            return yaml.safe_dump(_plain(doc), allow_unicode=True, sort_keys=False, default_flow_style=False, width=120)

        text = await service.parse(render)
        return Response(text, media_type="application/yaml; charset=utf-8")

    listing = {"model": list[dict[str, Any]], "description": "列表"}
    mapping = {"model": dict[str, Any], "description": "映射"}
    as_list, as_map = {200: listing, **answers(*get_errors)}, {200: mapping, **answers(*get_errors)}

    @app.get("/api/v1/items", tags=["rules"], summary="权责清单事项", operation_id="items", responses=as_list)
    async def items() -> Response:
        """19 个事项：编号、名称、类别（行政处罚 / 行政检查 / 其他）和草稿种类。"""
        return _json(catalog.items(rules()))

    def known_item(item: str) -> str:
        r = rules()
        if item not in r.catalog:
            raise RequestProblem(404, [Problem(LABEL, "item", f"未知的事项编号 {show_value(item)}" + did_you_mean(item, r.catalog))])
        return item

    @app.get("/api/v1/items/{item}", tags=["rules"], summary="一个事项", operation_id="item",
             responses={200: mapping, **answers(404, *get_errors)})
    async def item(item: str) -> Response:
        """一个事项及其追责情形，以及其表单所需：条文原文、情节、检查事项、检查措施、事实。"""
        return _json(catalog.item_detail(rules(), known_item(item)))

    @app.get("/api/v1/schema", tags=["rules"], summary="草稿的 JSON Schema（全部种类）", operation_id="schema_all", responses=as_map)
    async def schema_all() -> Response:
        """全部种类草稿的 JSON Schema（oneOf），同 ``quanze schema``。"""
        return _json_bytes(await built(("schema", None), lambda r: api.to_json(draft_schema(None, r))))

    @app.get("/api/v1/schema/{kind}", tags=["rules"], summary="一种草稿的 JSON Schema", operation_id="schema",
             responses={200: mapping, **answers(404, *get_errors)})
    async def schema(kind: str) -> Response:
        """penalty、filing、inspection 或 complaint 草稿的 JSON Schema（同 ``quanze schema KIND``）。"""
        if kind not in KINDS:
            raise RequestProblem(404, [Problem(LABEL, "kind", f"期望以下之一：{'、'.join(KINDS)}，实际为 {show_value(kind)}")])
        return _json_bytes(await built(("schema", kind), lambda r: api.to_json(draft_schema(kind, r))))

    @app.get("/api/v1/vocabulary", tags=["rules"], summary="封闭词表", operation_id="vocabulary", responses=as_map)
    async def vocabulary() -> Response:
        """处罚种类、检查措施、裁量阶次、案件标记和情节（rules/vocabulary.yaml、rules/discretion/factors.yaml）。"""
        return _json(catalog.vocabulary(rules()))

    @app.get("/api/v1/labels", tags=["form"], summary="字段的中文名称", operation_id="labels", responses=as_map)
    async def labels() -> Response:
        """草稿字段路径（不含列表下标）→ 其完整中文名称（如 party.type → 当事人类型），取自模型的字段标题。"""
        return _json(FIELDS)

    @app.get("/api/v1/words", tags=["form"], summary="结论、严重程度、角色的中文名称", operation_id="words",
             responses=as_map)
    async def words() -> Response:
        """结论、严重程度、角色和责任的中文名称，与其他输出相同（engine/present/output.py）。"""
        return _json(present.words())

    @app.get("/api/v1/findings", tags=["rules"], summary="结论代码的中文标题", operation_id="findings",
             responses=as_map)
    async def findings() -> Response:
        """结论代码 → 中文标题和严重程度（rules/findings.yaml）。"""
        return _json(catalog.findings(rules()))

    @app.get("/api/v1/basis", tags=["rules"], summary="依据的条文原文", operation_id="basis",
             responses={200: mapping, **answers(404, 422, *get_errors)})
    async def basis(label: str = Query(description="依据标签，如“节约能源法 第七十六条”"),
                    on: Annotated[dt.date | None, Query(description="日期 YYYY-MM-DD：给出当日施行的版本")] = None) -> Response:
        """依据标签（如 ``节约能源法 第七十六条``）背后的条文原文（``on`` 日施行的版本）。"""
        day = on
        found = catalog.basis(rules(), label, day)
        if found is None:
            raise RequestProblem(404, [Problem(LABEL, "label", f"规则中没有此条文：{show_value(label)}")])
        return _json(found)

    # --- class mode (issue 20): the sample cases, for web/static/classmode.js ---------------------------
    @app.get("/api/v1/cases", tags=["form"], summary="样例案例（课堂模式）", operation_id="sample_cases",
             responses={200: {"model": SampleCases | SampleCaseDetail, "description": "一页案例，或 name 所指的一个案例"},
                        **answers(404, 422, *get_errors)})
    async def sample_cases(
        name: Annotated[str | None, Query(description="案例名称，如 penalty/CF-04/fine_above_max")] = None,
        offset: Annotated[int, Query(ge=0, description="从第几个案例起（0 起）")] = 0,
        limit: Annotated[int | None, Query(ge=1, le=1000, description="本页最多几个案例（默认：全部）")] = None,
    ) -> Response:
        """样例案例（名称、事项、标题、预期结论、案情、讲解），按名称排序；``offset``、``limit`` 分页，``total`` 为总数。
        给出 name 时为该案例及其草稿文件原文。"""
        if name is None and offset == 0 and limit is None:  # the whole list: built once, off the event loop
            return _json_bytes(await built(("cases", None), lambda r: api.to_json(_all_cases(api.sample_cases(None)))))
        found = await asyncio.get_running_loop().run_in_executor(None, api.sample_cases, name)
        if name is None and found is not None:
            cases = found["cases"]
            end = len(cases) if limit is None else offset + limit
            return _json({"cases": cases[offset:end], "total": len(cases), "offset": offset, "limit": limit})
        if found is None:
            raise RequestProblem(404, [Problem(LABEL, "name", f"没有此样例案例：{show_value(name)}")])
        return _json(found)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        from fastapi.openapi.utils import get_openapi

        spec = get_openapi(title=app.title, version=app.version, summary=app.summary, description=app.description,
                           routes=app.routes, tags=app.openapi_tags)
        drafts = draft_schema(None, service.rules, ref_template="#/components/schemas/{model}")
        components = spec.setdefault("components", {})
        schemas = components.setdefault("schemas", {})
        schemas.update(_enums(drafts.pop("$defs", {})))
        schemas["Draft"] = _enums(drafts)
        for name in ("HTTPValidationError", "ValidationError"):  # FastAPI's {"detail"}: we answer the problem list
            schemas.pop(name, None)
        for operations in spec["paths"].values():
            for op in operations.values():
                answer = op.get("responses", {}).get("422", {})
                media = answer.get("content", {}).get("application/json", {})
                if media.get("schema", {}).get("$ref", "").endswith("/HTTPValidationError"):
                    media["schema"] = {"$ref": "#/components/schemas/Problems"}
                    answer["description"] = STATUS_TEXT[422]
        components["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer", "description": "QUANZE_TOKEN 的值"}}
        if token:
            for path, operations in spec["paths"].items():
                if path.startswith("/api/"):
                    for op in operations.values():
                        op["security"] = [{"bearer": []}]
        app.openapi_schema = spec
        return spec

    app.openapi = openapi  # type: ignore[method-assign]
    app.add_middleware(RequestId)  # outermost: every answer (a 503 of Limit, a 401 included) has its id
    return app


def app_from_env() -> FastAPI:
    """The application configured by the settings (uvicorn factory for ``quanze serve``, also with --workers):
    QUANZE_RULES, QUANZE_TOKEN, QUANZE_MAX_BODY, QUANZE_MAX_BATCH, QUANZE_CLIENT_TIMEOUT, QUANZE_REQUEST_TIMEOUT
    (engine/model/settings.py)."""
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
    )
