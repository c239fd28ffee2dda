"""The FastAPI application of ``quanze serve``: the HTTP API (``/api/v1``) and the officer form (``/``).

A thin adapter over ``engine/api.py``, the same entry point as the CLI: a request body is read by
``api.read_document`` (schema and names, every problem in one answer) and checked; results are
``api.result_json`` rendered by ``api.to_json``, exactly as ``--format json``. The rules folder is
chosen as by every command (``--rules``, else ``QUANZE_RULES``, else the shipped rules) and used only
after it passes every check of ``rules validate``, the durable-rules self-test included.

Rules are loaded, compiled and warmed up once, at start-up. durable-rules is not safe with several
evaluating threads (shared/spec/durable-rules.md), so every parse, validation and check runs on ONE
dedicated thread per process; scale with processes (``quanze serve --workers N``).
Nothing a client sends is written to the file system.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hmac
import math
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline

from quanze.engine import api, present
from quanze.engine.drafts import KINDS, parse_text
from quanze.engine.draftschema import draft_schema
from quanze.engine.errors import InputError, Problem, did_you_mean
from quanze.engine.labels import FIELDS
from quanze.engine.loader import RuleSet
from quanze.engine.settings import MAX_BODY, settings
from quanze.web import catalog

LABEL = "请求"  # the "file" of a draft sent in a request
YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml")
STATIC = Path(str(resources.files("quanze.web"))) / "static"


class RequestProblem(Exception):
    """A request that cannot be served: HTTP status and Chinese problems."""

    def __init__(self, status: int, problems: list[Problem]) -> None:
        super().__init__(status)
        self.status = status
        self.problems = problems


def problems_json(problems: list[Problem]) -> dict[str, Any]:
    """The body of an error answer: each problem, and the same lines ``quanze check`` prints."""
    return {
        "problems": [{"file": p.file, "where": p.where, "message": p.message} for p in problems],
        "lines": [present.problem_text(p) for p in problems],  # the lines `quanze check` prints on stderr
    }


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def attachment(case_id: str) -> str:
    """Content-Disposition of a 意见书: an ASCII filename and the Chinese one (RFC 6266 ``filename*``),
    the case number without hidden characters or path separators."""
    from urllib.parse import quote

    from quanze.engine.text import hidden

    number = "".join(c for c in case_id if not hidden(c) and c not in '/\\:*?"<>|')[:80]
    name = f"法制审核意见书（{number}）.docx" if number.strip() else "法制审核意见书.docx"
    return f"attachment; filename=\"opinion.docx\"; filename*=UTF-8''{quote(name, safe='')}"


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

    def stop(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)


def _warm_up(rules: RuleSet) -> int:
    """Check every sample case once: compiles the rulesets they use, and proves the rules run."""
    from quanze.engine.cases import find_cases

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


def _media(request: Request) -> str:
    return request.headers.get("content-type", "application/json").split(";")[0].strip().lower()


def parse_body(body: bytes, media: str) -> Any:
    """The document of a request body: JSON, or YAML by its content type."""
    if media not in ("application/json", *YAML_TYPES):
        raise RequestProblem(
            415, [Problem(LABEL, "Content-Type", f"期望 application/json 或 application/yaml，实际为 {media or '（空）'}")]
        )
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RequestProblem(422, [Problem(LABEL, "", "不是 UTF-8 编码的文本")]) from None
    if not text.strip():
        raise RequestProblem(422, [Problem(LABEL, "", "请求体为空")])
    return parse_text(text, LABEL, as_json=media == "application/json")


def create_app(rules_dir: Path | str | None = None, token: str | None = None, max_body: int = MAX_BODY, warm_up: bool = True) -> FastAPI:
    """The application; ``token`` (bearer) protects /api when given."""
    service = Service(Path(rules_dir) if rules_dir else None, warm_up=warm_up)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        await asyncio.get_running_loop().run_in_executor(None, service.start)
        yield
        service.stop()

    app = FastAPIOffline(
        title="quanze",
        version="1",
        summary="权责清单规则引擎：在行政处罚决定等文书作出前检查其合法性，并指出追责情形。",
        lifespan=lifespan,
        static_url="/static-docs",
    )
    app.state.service = service

    def rules() -> RuleSet:
        if service.rules is None:
            raise RequestProblem(503, [Problem("服务", "", "规则尚未加载完成，请稍后再试")])
        return service.rules

    @app.exception_handler(RequestProblem)
    async def _request_problem(request: Request, exc: RequestProblem) -> Response:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return JSONResponse(problems_json(exc.problems), status_code=exc.status, headers=headers)

    @app.exception_handler(InputError)
    async def _input_error(request: Request, exc: InputError) -> Response:
        return JSONResponse(problems_json(exc.problems), status_code=422)

    async def _guard(request: Request, call_next):
        if request.url.path.startswith("/api/"):
            given = request.headers.get("authorization", "")
            if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
                problems = problems_json([Problem(LABEL, "Authorization", "缺少或错误的访问令牌（Bearer）")])
                return JSONResponse(problems, 401, headers={"WWW-Authenticate": "Bearer"})
        return await call_next(request)

    if token:  # no middleware at all otherwise: it costs every request
        app.middleware("http")(_guard)

    async def body_of(request: Request) -> bytes:
        """The request body, refused with 413 past max_body (by Content-Length and while streaming)."""
        too_large = RequestProblem(413, [Problem(LABEL, "", f"请求体超过上限 {max_body} 字节")])
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > max_body):
            if not length.isdigit():
                raise RequestProblem(400, [Problem(LABEL, "Content-Length", f"不是字节数：{length}")])
            raise too_large
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > max_body:
                raise too_large
            chunks.append(chunk)
        return b"".join(chunks)

    # --- health, form, docs ---------------------------------------------------------------

    @app.get("/healthz", tags=["服务"], summary="就绪检查")
    async def healthz() -> Response:
        """200 once the rules are loaded and compiled; 503 before."""
        r = service.rules
        if r is None:
            return JSONResponse({"status": "starting"}, status_code=503)
        return JSONResponse({"status": "ok", "rules_version": r.version, "items": len(r.items), "warmed_up": service.warmed})

    @app.get("/", include_in_schema=False)
    async def form() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> Response:
        return Response(status_code=204)

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

    @app.post("/api/v1/check", tags=["检查"], summary="检查一份草稿", openapi_extra=draft_body)
    async def check_one(request: Request, explain: bool = False) -> Response:
        """A draft as JSON, or YAML with ``Content-Type: application/yaml``. 200: the result, as
        ``quanze check --format json``; 422: the Chinese problem lines (file = "请求"); 413: body over the limit."""
        body = await body_of(request)
        media = _media(request)
        r = rules()
        result = await service.run(lambda: check_raw(parse_body(body, media), r, LABEL, explain))
        return _json(result)

    @app.post("/api/v1/deadlines", tags=["检查"], summary="期限预警", openapi_extra=draft_body)
    async def deadlines(request: Request, today: str | None = None) -> Response:
        """A draft as /api/v1/check takes it. 200: ``{"today", "deadlines": [...]}`` — each step's last lawful
        day and where it stands on ``today`` (default: the server's date); 422 as /api/v1/check."""
        body = await body_of(request)
        media = _media(request)
        r = rules()
        day = api.day_of(today, LABEL) if today else dt.date.today()
        return _json(await service.run(lambda: api.deadlines_document(parse_body(body, media), r, LABEL, day)))

    batch_body = {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Draft"}}}},
        }
    }

    @app.post("/api/v1/check:batch", tags=["检查"], summary="批量检查", openapi_extra=batch_body)
    async def check_batch(request: Request) -> Response:
        """A list of drafts (JSON or YAML). 200: ``{"results": [...]}`` in order; a draft that cannot be
        checked gives ``{"file": "请求[i]", "problems": [...], "lines": [...]}`` in its place."""
        body = await body_of(request)
        media = _media(request)
        r = rules()

        def run() -> dict[str, Any]:
            docs = parse_body(body, media)
            if not isinstance(docs, list):
                raise InputError([Problem(LABEL, "", "期望草稿的列表 [ … ]")])
            out = []
            for i, doc in enumerate(docs):
                label = f"{LABEL}[{i}]"
                try:
                    out.append(check_raw(doc, r, label))
                except InputError as exc:
                    out.append({"file": label, **problems_json(exc.problems)})
            return {"results": out}

        return _json(await service.run(run))

    @app.post("/api/v1/opinion", tags=["检查"], summary="生成法制审核意见书（.docx）", openapi_extra=draft_body)
    async def opinion(request: Request) -> Response:
        """A draft as for /api/v1/check. 200: the 法制审核意见书 as a Word document, the same as
        ``quanze check --format docx``; 422: the Chinese problem lines as /api/v1/check."""
        body = await body_of(request)
        media = _media(request)
        r = rules()
        result, data = await service.run(lambda: api.opinion(api.read_document(parse_body(body, media), r, LABEL), r, LABEL))
        return Response(data, media_type=DOCX, headers={"Content-Disposition": attachment(result.case_id)})

    @app.post("/api/v1/parse", tags=["表单"], summary="读取草稿文本（导入）")
    async def parse(request: Request) -> Response:
        """YAML or JSON text → the document as JSON (not validated; the form imports it). ``inexact`` lists
        the field paths JSON cannot carry as written (a key that is not text, ``.inf``, a ``!!binary`` value)."""
        body = await body_of(request)
        media = _media(request)
        doc, inexact = await service.run(lambda: portable(parse_body(body, media)))
        if not isinstance(doc, dict):
            raise RequestProblem(422, [Problem(LABEL, "", "期望一个映射 (kind: …)")])
        return _json({"draft": doc, "inexact": inexact})

    @app.post("/api/v1/yaml", tags=["表单"], summary="草稿转为 YAML（下载）")
    async def to_yaml(request: Request) -> Response:
        """A JSON document → the same document as YAML text, in the draft file format."""
        body = await body_of(request)
        doc = await service.run(lambda: parse_body(body, "application/json"))
        text = yaml.safe_dump(_plain(doc), allow_unicode=True, sort_keys=False, default_flow_style=False, width=120)
        return Response(text, media_type="application/yaml; charset=utf-8")

    @app.get("/api/v1/items", tags=["规则"], summary="权责清单事项")
    async def items() -> Response:
        """The 19 items: id, names, group (行政处罚 / 行政检查 / 其他) and draft kind."""
        return _json(catalog.items(rules()))

    def known_item(item: str) -> str:
        r = rules()
        if item not in r.catalog:
            raise RequestProblem(404, [Problem(LABEL, "item", f"未知的事项编号 {item!r}" + did_you_mean(item, r.catalog))])
        return item

    @app.get("/api/v1/items/{item}", tags=["规则"], summary="一个事项")
    async def item(item: str) -> Response:
        """An item with its 追责情形, and what its form needs: provision text, 情节, matters, measures, facts."""
        return _json(catalog.item_detail(rules(), known_item(item)))

    @app.get("/api/v1/schema", tags=["规则"], summary="草稿的 JSON Schema（全部种类）")
    async def schema_all() -> Response:
        return _json(draft_schema(None, rules()))

    @app.get("/api/v1/schema/{kind}", tags=["规则"], summary="一种草稿的 JSON Schema")
    async def schema(kind: str) -> Response:
        """JSON Schema of penalty, filing, inspection or complaint drafts (as ``quanze schema KIND``)."""
        if kind not in KINDS:
            raise RequestProblem(404, [Problem(LABEL, "kind", f"期望以下之一：{'、'.join(KINDS)}，实际为 {kind!r}")])
        return _json(draft_schema(kind, rules()))

    @app.get("/api/v1/vocabulary", tags=["规则"], summary="封闭词表")
    async def vocabulary() -> Response:
        """Sanction kinds, inspection measures, tiers, case flags and 情节 (rules/vocabulary.yaml, rules/discretion/factors.yaml)."""
        return _json(catalog.vocabulary(rules()))

    @app.get("/api/v1/labels", tags=["表单"], summary="字段的中文名称")
    async def labels() -> Response:
        """Draft field path (without list indexes) → its full Chinese name (当事人类型), from the models' field titles.

        The form reads a field's own title, description and value labels from the JSON Schema
        (/api/v1/schema/KIND); these full names name a field out of context, as in a list of problems.
        """
        return _json(FIELDS)

    @app.get("/api/v1/words", tags=["表单"], summary="结论、严重程度、角色的中文名称")
    async def words() -> Response:
        """Verdict, severity, role and responsibility words, as every other output uses them (engine/present.py)."""
        return _json(present.words())

    @app.get("/api/v1/findings", tags=["规则"], summary="结论代码的中文标题")
    async def findings() -> Response:
        """Finding code → Chinese title and severity (rules/findings.yaml)."""
        return _json(catalog.findings(rules()))

    @app.get("/api/v1/basis", tags=["规则"], summary="依据的条文原文")
    async def basis(label: str, on: str | None = None) -> Response:
        """The article text behind a basis label such as ``节约能源法 第七十六条`` (version in force on ``on``)."""
        day = None
        if on:
            try:
                day = dt.date.fromisoformat(on)
            except ValueError:
                raise RequestProblem(422, [Problem(LABEL, "on", f"期望日期 YYYY-MM-DD，实际为 {on!r}")]) from None
        found = catalog.basis(rules(), label, day)
        if found is None:
            raise RequestProblem(404, [Problem(LABEL, "label", f"规则中没有此条文：{label}")])
        return _json(found)

    # --- class mode (issue 20): the sample cases, for web/static/classmode.js ---------------------------
    @app.get("/api/v1/cases", tags=["表单"], summary="样例案例（课堂模式）")
    async def sample_cases(name: str | None = None) -> Response:
        """全部样例案例（名称、事项、标题、预期结论、案情、讲解）；给出 name 时为该案例及其草稿文件原文。"""
        found = await asyncio.get_running_loop().run_in_executor(None, api.sample_cases, name)
        if found is None:
            raise RequestProblem(404, [Problem(LABEL, "name", f"没有此样例案例：{name}")])
        return _json(found)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        from fastapi.openapi.utils import get_openapi

        spec = get_openapi(title=app.title, version=app.version, summary=app.summary, routes=app.routes)
        drafts = draft_schema(None, service.rules, ref_template="#/components/schemas/{model}")
        components = spec.setdefault("components", {}).setdefault("schemas", {})
        components.update(drafts.pop("$defs", {}))
        components["Draft"] = drafts
        app.openapi_schema = spec
        return spec

    app.openapi = openapi  # type: ignore[method-assign]
    return app


def app_from_env() -> FastAPI:
    """The application configured by the settings (uvicorn factory for ``quanze serve``, also with --workers):
    QUANZE_RULES, QUANZE_TOKEN, QUANZE_MAX_BODY (engine/settings.py)."""
    config = settings()
    return create_app(config.rules, config.token, config.max_body)
