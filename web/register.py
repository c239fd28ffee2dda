"""The case register in ``quanze serve`` (quanze.register): save a case (version-checked), read a case and its
versions, list open cases with their 黄牌 and 红牌, and the register page. An APIRouter that ``create_app``
includes; the database opens on first use (``quanze serve`` opens it, and migrates it, before listening).

Saving parses the body on the service's parsing thread, checks it on its checking thread (durable-rules is
one thread per process) and writes the version in the default thread pool, in one transaction.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, JSONResponse, Response
from pydantic import BaseModel, Field

from quanze.engine import api
from quanze.engine.model.errors import Problem
from quanze.register import board, settings
from quanze.register.accounts import Accounts
from quanze.register.assess import Assessment, assess
from quanze.register.db import RegisterError
from quanze.register.store import MAX_PAGE, PAGE, Conflict, Register
from quanze.web import access
from quanze.web.access import accounts_on, user_of
from quanze.web.common import LABEL, STATIC, problems_json
from quanze.web.models import STATUS_TEXT, Problems

YAML = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml")
LOCAL_USER = "本机用户"
CHOICES_EVERY = 10.0  # seconds  # who saved, on 127.0.0.1 without accounts


class Entry(BaseModel):
    """登记库中的一个案件。"""

    case_id: str = Field(description="案件编号（无法读取编号的文本为“未编号-…”）")
    kind: str | None
    item: str | None = Field(description="权责清单事项编号")
    department: str | None = Field(description="科室（默认为事项的承办机构）")
    handler: str | None = Field(description="承办人")
    stage: str | None = Field(description="办理阶段")
    next_step: str | None = Field(description="下一步（最近的未办环节）")
    nearest: str | None = Field(description="最近的最后期限 YYYY-MM-DD")
    valid: bool = Field(description="最新版本能否读取并检查")
    versions: int = Field(description="版本数")
    updated_at: str
    updated_by: str
    personal: bool = Field(description="载有个人（自然人）当事人等的姓名、身份证号：读取其全文会被记录")


class CardEntry(Entry):
    card: str | None = Field(description="red（红牌：已逾期）、yellow（黄牌：N 个工作日内到期）或 null")
    remaining: str = Field(description="剩余工作日或逾期天数（中文）")


class Listing(BaseModel):
    """登记簿的一页。"""

    today: str
    yellow_days: int
    total: int
    page: int
    per_page: int
    cases: list[CardEntry]
    choices: dict[str, list[str]] = Field(description="筛选可选的科室、承办人、事项、阶段")


class VersionInfo(BaseModel):
    number: int
    saved_at: str
    saved_by: str
    valid: bool
    verdict: str | None
    rules_version: str
    hash: str
    appeared: list[str] = Field(description="比前一版新出现的结论代码")
    resolved: list[str] = Field(description="比前一版消失的结论代码")
    problems: list[str] = Field(description="无法读取或校验时的问题")


class CaseDetail(Entry):
    text: str = Field(description="最新版本的案卷文本（原样）")
    media: str = Field(description="yaml 或 json")
    result: dict[str, Any] = Field(description="最新版本的检查结果，或 {problems, lines}")
    history: list[VersionInfo]
    opinions: list[dict[str, Any]] = Field(description="审核意见：版本、审核人、意见、时间")


class Version(BaseModel):
    number: int
    saved_at: str
    saved_by: str
    media: str
    text: str
    valid: bool
    result: dict[str, Any]
    rules_version: str
    hash: str


class Saved(BaseModel):
    case_id: str
    number: int = Field(description="保存为第几版")
    hash: str
    saved_at: str
    valid: bool
    result: dict[str, Any]


class ConflictBody(Problems):
    case_id: str
    base: int
    current: int = Field(description="库中最新的版本号")
    kept: int | None = Field(description="您提交的内容另存的编号")


class OpinionIn(BaseModel):
    text: str = Field(min_length=1, max_length=20000, description="审核意见")


class Opinion(BaseModel):
    version: int
    author: str
    text: str
    at: str


class Me(BaseModel):
    accounts: bool = Field(description="是否启用了账户")
    user: dict[str, Any] | None = Field(description="{name, role, department}；无账户时为 null")
    csrf: str | None = Field(description="会话的 CSRF 令牌")


class RegisterHandle:
    """The register of this process, opened on first use."""

    def __init__(self, url: str | None = None) -> None:
        self.url = url
        self._register: Register | None = None
        self._lock = threading.Lock()
        self._choices: tuple[float, dict[str, list[str]]] | None = None

    def get(self) -> Register:
        with self._lock:
            if self._register is None:
                self._register = Register(self.url)
            return self._register

    def choices(self, reg: Register) -> dict[str, list[str]]:
        """The filters' values, read again at most every CHOICES_EVERY seconds (four DISTINCTs over every case)."""
        import time

        if self._choices is None or time.monotonic() - self._choices[0] > CHOICES_EVERY:
            self._choices = (time.monotonic(), reg.choices())
        return self._choices[1]

    def close(self) -> None:
        if self._register is not None:
            self._register.close()


def assessed(rules: Any, text: str, media: str, label: str, today: dt.date) -> Assessment:
    """Job (web/checking.py): a submitted text checked as the register stores it."""
    return assess(text, media, rules, label, today)


def router(handle: RegisterHandle, max_body: int, token: bool = False) -> APIRouter:
    """The register's routes; the app's ``service`` (rules, threads) is read from the request."""
    r = APIRouter()
    auth = (401,) if token else ()
    errors = _answers(422, 503, *auth)

    async def db(fn, *args):
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, lambda: fn(handle.get(), *args))

    @r.get("/register", include_in_schema=False)
    async def page() -> FileResponse:
        """The register page (web/static/register.html)."""
        return FileResponse(STATIC / "register.html", media_type="text/html; charset=utf-8")

    def service(request: Request):
        return request.app.state.service

    def rules_of(request: Request):
        rules = service(request).rules
        if rules is None:
            raise RegisterError("规则尚未加载完成，请稍后再试")
        return rules

    @r.post("/api/v1/register/cases", tags=["register"], summary="保存案件的新版本", operation_id="register_save",
            status_code=201, response_model=Saved,
            responses={409: {"model": ConflictBody, "description": "案件已有更新的版本；提交的内容另存，未覆盖"},
                       **_answers(413, 415, 422, 503, *auth)},
            openapi_extra={"requestBody": {"required": True, "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/Draft"}},
                "application/yaml": {"schema": {"type": "string", "description": "YAML 案卷（与文件格式相同）"}}}}})
    async def save(request: Request,
                   base: Annotated[int, Query(ge=0, description="您修改的版本号（新案件为 0）")] = 0,
                   who: Annotated[str | None, Query(max_length=100, description="保存人（无账户时）")] = None) -> Response:
        """保存案卷（任何阶段；无法读取或校验的也照原样保存并附其问题）：检查后存为新版本，版本之间以哈希相链。
        ``base`` 不是库中最新的版本号时回答 409，提交的内容另存、不覆盖对方的版本。"""
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media not in ("application/json", *YAML):
            msg = f"期望 application/json 或 application/yaml，实际为 {media or '（未给出）'}"
            return JSONResponse(problems_json([Problem(LABEL, "Content-Type", msg)]), 415)
        body = await request.body()
        if len(body) > max_body:
            return JSONResponse(problems_json([Problem(LABEL, "", f"请求体超过上限 {max_body} 字节")]), 413)
        try:
            text = body.decode("utf-8-sig")
        except UnicodeDecodeError:
            return JSONResponse(problems_json([Problem(LABEL, "", "不是 UTF-8 编码的文本")]), 422)
        kind = "json" if media == "application/json" else "yaml"
        rules_of(request)  # 503 while loading
        a = await service(request).run(assessed, text, kind, LABEL, dt.date.today())
        user = user_of(request)
        person = user.name if accounts_on(request) else ((who or "").strip() or LOCAL_USER)
        department = None
        if accounts_on(request):
            held = await db(lambda reg: reg.department_of(a.case_id))
            if not user.may_save(held[1] if held else user.department):
                return _forbidden(f"{user.role} {user.name} 不能保存此案件（" + ("法制审核只读并记录审核意见" if user.role == "法制审核"
                                                                          else f"案件属于{held[1] if held else '其他科室'}") + "）")
            department = user.department if not held and user.department else None
        try:
            saved = await db(lambda reg: reg.save(a, text, kind, person, base, department))
        except Conflict as c:
            body409 = {**problems_json([Problem(LABEL, "base", c.message())]), "case_id": c.case_id, "base": base,
                       "current": c.head, "kept": c.kept}
            return JSONResponse(body409, 409)
        def answer() -> str:  # the result's JSON read and written again: on the parsing thread, not the event loop
            import json

            out = {"case_id": saved.case_id, "number": saved.number, "hash": saved.hash, "saved_at": saved.saved_at,
                   "valid": saved.valid, "result": json.loads(a.result)}
            return api.to_json(out)

        return Response(await service(request).parse(answer), 201, media_type="application/json")

    @r.get("/api/v1/register/cases", tags=["register"], summary="登记簿：未办结的案件（按最近期限）", operation_id="register_list",
           response_model=Listing, responses=errors)
    async def listing(request: Request,
                      department: Annotated[str | None, Query(description="科室")] = None,
                      handler: Annotated[str | None, Query(description="承办人")] = None,
                      item: Annotated[str | None, Query(description="事项编号")] = None,
                      stage: Annotated[str | None, Query(description="阶段")] = None,
                      closed: Annotated[bool, Query(description="true：列出已办结（无未办环节）的案件")] = False,
                      page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
                      per_page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = PAGE,
                      today: Annotated[dt.date | None, Query(description="以哪一天计算（默认：今天）")] = None) -> Response:
        """未办结的案件按最近的最后期限排列（无法检查的排在后面），每件的阶段、下一步和牌：红牌已逾期，黄牌在
        QUANZE_YELLOW_DAYS（默认 3）个工作日内到期。可按科室、承办人、事项、阶段筛选；分页。"""
        rules = rules_of(request)
        day = today or dt.date.today()
        yellow = settings.yellow_days()
        user = user_of(request)
        if accounts_on(request) and not user.reads_all():
            department = user.department  # a 承办人 sees the cases of their 科室

        def read(reg: Register):
            total, rows = reg.listing(department=department, handler=handler, item=item, stage=stage, closed=closed,
                                      offset=(page - 1) * per_page, limit=per_page)
            return total, rows, handle.choices(reg)

        total, rows, choices = await db(read)
        if accounts_on(request) and not user.reads_all():
            choices = {**choices, "department": [user.department] if user.department else []}
        rows = board.with_cards(rows, day, rules, yellow)
        out = {"today": day.isoformat(), "yellow_days": yellow, "total": total, "page": page, "per_page": per_page,
               "cases": rows, "choices": choices}
        return Response(api.to_json(out), media_type="application/json")

    @r.get("/api/v1/register/case", tags=["register"], summary="一个案件：最新版本和历史", operation_id="register_case",
           response_model=CaseDetail, responses=_answers(404, 422, 503, *auth))
    async def case(request: Request, case_id: Annotated[str, Query(description="案件编号")]) -> Response:
        """案件的登记信息、最新版本的文本和检查结果，每一版（保存时间、保存人、结论的变化：新出现、已消除），以及审核意见。
        读取载有个人（自然人）当事人姓名、身份证号的案件会被记录（谁、何时）。"""
        user = user_of(request)

        def read(reg: Register):
            found = reg.case(case_id)
            if found is None or not user.may_read(found["department"]):
                return found, None, None
            accounts = Accounts(reg)
            if found["personal"]:
                accounts.log_read(user, case_id, "读取案件（含个人信息）")
            return found, reg.versions(case_id), accounts.opinions(case_id)

        found, history, said = await db(read)
        if found is None:
            return JSONResponse(problems_json([Problem.at(LABEL, ("case_id",), f"登记库中没有案件 {case_id}")]), 404)
        if history is None:
            return _forbidden(f"{user.name} 只能查看本科室（{user.department}）的案件")
        return Response(api.to_json({**found, "history": history, "opinions": said}), media_type="application/json")

    @r.get("/api/v1/register/version", tags=["register"], summary="案件的某一版", operation_id="register_version",
           response_model=Version, responses=_answers(404, 422, 503, *auth))
    async def version(request: Request, case_id: Annotated[str, Query(description="案件编号")],
                      number: Annotated[int, Query(ge=1, description="版本号")]) -> Response:
        """某一版的原文、检查结果、规则版本和哈希（读取含个人信息的案件会被记录）。"""
        user = user_of(request)

        def read(reg: Register):
            held = reg.department_of(case_id)
            if held is None or not user.may_read(held[1]):
                return held, None
            if held[2]:
                Accounts(reg).log_read(user, case_id, f"读取第 {number} 版（含个人信息）")
            return held, reg.version(case_id, number)

        held, found = await db(read)
        if held is not None and found is None and not user.may_read(held[1]):
            return _forbidden(f"{user.name} 只能查看本科室（{user.department}）的案件")
        if found is None:
            return JSONResponse(problems_json([Problem(LABEL, "number", f"案件 {case_id} 没有第 {number} 版")]), 404)
        return Response(api.to_json(found), media_type="application/json")

    @r.post("/api/v1/register/opinion", tags=["register"], summary="记录审核意见（法制审核）", operation_id="register_opinion",
            status_code=201, response_model=Opinion, responses=_answers(403, 422, 503, *auth))
    async def opinion(request: Request, body: OpinionIn, case_id: Annotated[str, Query(description="案件编号")],
                      version: Annotated[int, Query(ge=1, description="意见所针对的版本")]) -> Response:
        """法制审核人员对案件某一版的审核意见；只有法制审核角色可以记录（无账户时本机用户可以）。"""
        user = user_of(request)
        if accounts_on(request) and not user.may_give_opinion():
            return _forbidden(f"只有法制审核可以记录审核意见，{user.name} 是{user.role}")
        said = await db(lambda reg: Accounts(reg).add_opinion(user, case_id, version, body.text))
        return Response(api.to_json(said), 201, media_type="application/json")

    @r.get("/api/v1/register/me", tags=["register"], summary="当前用户", operation_id="register_me", response_model=Me,
           responses=_answers(*auth))
    async def me(request: Request) -> Response:
        """当前登录的用户（无账户时为 null）及其 CSRF 令牌（保存、记录意见等请求须带 X-CSRF-Token）。"""
        on = accounts_on(request)
        out = {"accounts": on, "user": user_of(request).to_json() if on else None, "csrf": getattr(request.state, "csrf", None)}
        return Response(api.to_json(out), media_type="application/json")

    return r


def _answers(*codes: int) -> dict[int | str, dict[str, Any]]:
    """web/models.py ``answers`` with the statuses only the register gives (403: role or 科室)."""
    extra = {403: "没有权限：角色或科室不允许，或缺少 CSRF 令牌"}
    return {code: {"model": Problems, "description": STATUS_TEXT.get(code) or extra[code]} for code in codes}


def _forbidden(message: str) -> JSONResponse:
    return JSONResponse(problems_json([Problem(LABEL, "权限", message)]), 403)


def install(app: Any, max_body: int, url: str | None = None, token: bool = False) -> RegisterHandle:
    """Add the register to an application: its routes, and database faults answered 503 in Chinese."""
    handle = RegisterHandle(url)
    app.state.register = handle
    app.include_router(router(handle, max_body, token))
    access.install(app, handle)

    @app.exception_handler(RegisterError)
    async def _register_error(request: Request, exc: RegisterError) -> Response:
        return JSONResponse(problems_json(exc.problems), status_code=503, headers={"Retry-After": "5"})

    return handle
