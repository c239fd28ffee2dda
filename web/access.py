"""Who is asking (``quanze serve`` with the case register's accounts): the login page, the session cookie
(HttpOnly, SameSite=Strict, Secure behind TLS), CSRF tokens on every state-changing post, rate-limited logins,
per-user API tokens (``Authorization: Bearer qz_…``).

Accounts are on once the register has one (or always when ``serve`` listens beyond loopback:
``QUANZE_REQUIRE_ACCOUNTS``); then every page and API call but /healthz, /login and the static files needs a
login. Without accounts, on 127.0.0.1, one officer uses it as before (the user ``本机用户``).
"""

from __future__ import annotations

import asyncio
import hmac
import html
import os
import secrets
import time
from typing import Any
from urllib.parse import parse_qs, quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from quanze.engine.model.errors import Problem
from quanze.register.accounts import LOCAL, Accounts, Attempts, User
from quanze.register.db import RegisterError
from quanze.web.common import problems_json

COOKIE = "quanze_session"
LOGIN_CSRF = "quanze_login_csrf"
OPEN_PATHS = ("/healthz", "/login", "/favicon.ico")
OPEN_PREFIXES = ("/static/", "/static-docs/")
CHECK_EVERY = 5.0  # seconds: how long "are there accounts?" is remembered
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")


class Gate:
    """Whether accounts are on, and the accounts of the process's register."""

    def __init__(self, handle: Any) -> None:
        self.handle = handle
        self.required = os.environ.get("QUANZE_REQUIRE_ACCOUNTS", "") not in ("", "0")
        self._on: bool | None = None
        self._checked = 0.0
        self.attempts = Attempts()

    def accounts(self) -> Accounts:
        return Accounts(self.handle.get())

    def known(self) -> bool | None:
        """Whether accounts are on, when that was checked within CHECK_EVERY seconds (no database call)."""
        if self.required:
            return True
        if self._on is None or time.monotonic() - self._checked > CHECK_EVERY:
            return None
        return self._on

    def on(self) -> bool:
        if self.required:
            return True
        if self._on is None or time.monotonic() - self._checked > CHECK_EVERY:
            try:
                self._on = self.accounts().any()
            except RegisterError:
                self._on = bool(self._on)  # the database is down: the register answers 503 by itself
            self._checked = time.monotonic()
        return self._on


def _secure(request: Request) -> bool:
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto", "") == "https"


def _denied(status: int, message: str, where: str = "登录") -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(problems_json([Problem("请求", where, message)]), status_code=status, headers=headers)


def user_of(request: Request) -> User:
    """The user of a request (``本机用户`` without accounts)."""
    return getattr(request.state, "user", None) or LOCAL


def accounts_on(request: Request) -> bool:
    return bool(getattr(request.state, "accounts", False))


class Who:
    """ASGI middleware: who is asking, when accounts are on (``request.state.user``, ``.csrf``, ``.accounts``); a
    request without a login gets 401 (API) or the login page (pages); a cookie-authenticated post to the register
    without the session's CSRF token gets 403. Without accounts it only marks the request (no database call while
    the answer to "are there accounts?" is fresh)."""

    def __init__(self, app: Any, gate: Gate) -> None:
        self.app = app
        self.gate = gate

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or path in OPEN_PATHS or path.startswith(OPEN_PREFIXES):
            return await self.app(scope, receive, send)
        answer = await self._check(scope)
        if answer is not None:
            return await answer(scope, receive, send)
        return await self.app(scope, receive, send)

    async def _check(self, scope: dict) -> Response | None:
        gate = self.gate
        loop = asyncio.get_running_loop()
        state = scope.setdefault("state", {})
        try:
            on = gate.known()
            if on is None:
                on = await loop.run_in_executor(None, gate.on)
        except RegisterError as exc:
            return _denied(503, exc.problems[0].message, "案件登记库")
        state["accounts"] = on
        if not on:
            return None
        request = Request(scope)
        path = scope["path"]
        user, csrf = None, None
        bearer = request.headers.get("authorization", "")
        cookie = request.cookies.get(COOKIE)
        try:
            scheme, _, value = bearer.partition(" ")
            if scheme.lower() == "bearer" and value.startswith("qz_"):  # the scheme is case-insensitive (RFC 7235)
                user = await loop.run_in_executor(None, gate.accounts().token_user, value)
            elif cookie:
                found = await loop.run_in_executor(None, gate.accounts().session, cookie)
                if found:
                    user, csrf = found
        except RegisterError as exc:
            return _denied(503, exc.problems[0].message, "案件登记库")
        if user is None:
            if path.startswith("/api/"):
                return _denied(401, "请先登录（/login），或带上个人 API 令牌：Authorization: Bearer <令牌>")
            return RedirectResponse(f"/login?next={quote(path)}", status_code=303)
        if csrf is not None and request.method in UNSAFE and (path.startswith("/api/v1/register/") or path == "/logout"):
            given = request.headers.get("x-csrf-token", "")
            if not hmac.compare_digest(given.encode(), csrf.encode()):
                return _denied(403, "缺少或错误的 CSRF 令牌（X-CSRF-Token）；请刷新页面后重试", "X-CSRF-Token")
        state["user"], state["csrf"] = user, csrf
        return None


def install(app: Any, handle: Any) -> Gate:
    gate = Gate(handle)
    app.state.gate = gate
    app.add_middleware(Who, gate=gate)
    app.include_router(router(gate))
    return gate


def login_page(csrf: str, next_path: str, message: str = "") -> str:
    e = html.escape
    note = f'<p class="problem" role="alert">{e(message)}</p>' if message else ""
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>quanze · 登录</title><link rel="stylesheet" href="/static/form.css"></head>
<body><header><h1>登录</h1><p class="sub">伊宁市商务和工业信息化局 · 案件登记库</p></header>
<main><form class="card" method="post" action="/login">{note}
<input type="hidden" name="csrf" value="{e(csrf)}"><input type="hidden" name="next" value="{e(next_path)}">
<div class="field"><label for="name">用户名</label><div class="control">
<input type="text" id="name" name="name" autocomplete="username" required></div></div>
<div class="field"><label for="password">密码</label><div class="control">
<input type="password" id="password" name="password" autocomplete="current-password" required></div></div>
<button type="submit" class="primary" id="login">登录</button></form></main></body></html>"""


def _safe_next(value: str) -> str:
    return value if value.startswith("/") and not value.startswith("//") and "\\" not in value else "/register"


def router(gate: Gate) -> APIRouter:
    r = APIRouter(include_in_schema=False)

    @r.get("/login")
    async def login_form(request: Request, next: str = "/register") -> Response:
        csrf = secrets.token_urlsafe(24)
        res = HTMLResponse(login_page(csrf, _safe_next(next)))
        res.set_cookie(LOGIN_CSRF, csrf, httponly=True, samesite="strict", secure=_secure(request), max_age=3600)
        return res

    @r.post("/login")
    async def login(request: Request) -> Response:
        body = await request.body()
        if len(body) > 4096:
            return HTMLResponse(login_page("", "/register", "请求过大"), status_code=413)
        form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
        next_path = _safe_next(form.get("next", "/register"))
        given, expected = form.get("csrf", ""), request.cookies.get(LOGIN_CSRF, "")
        fresh = secrets.token_urlsafe(24)

        def again(message: str, status: int) -> Response:
            res = HTMLResponse(login_page(fresh, next_path, message), status_code=status)
            res.set_cookie(LOGIN_CSRF, fresh, httponly=True, samesite="strict", secure=_secure(request), max_age=3600)
            return res

        if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
            return again("登录页面已过期，请重新登录", 403)
        name, password = form.get("name", "").strip(), form.get("password", "")
        keys = (f"name:{name}", f"ip:{request.client.host if request.client else '?'}")
        wait = gate.attempts.blocked(*keys)
        if wait:
            return again(f"登录失败次数过多，请 {int(wait // 60) + 1} 分钟后再试", 429)
        loop = asyncio.get_running_loop()
        try:
            user = await loop.run_in_executor(None, gate.accounts().authenticate, name, password)
        except RegisterError as exc:
            return again(exc.problems[0].message, 503)
        if user is None:
            gate.attempts.failed(*keys)
            return again("用户名或密码错误", 401)
        gate.attempts.clear(keys[0])
        value, _csrf = await loop.run_in_executor(None, gate.accounts().open_session, user)
        res = RedirectResponse(next_path, status_code=303)
        res.set_cookie(COOKIE, value, httponly=True, samesite="strict", secure=_secure(request), path="/")
        res.delete_cookie(LOGIN_CSRF)
        return res

    @r.post("/logout")
    async def logout(request: Request) -> Response:
        cookie = request.cookies.get(COOKIE)
        if cookie:
            await asyncio.get_running_loop().run_in_executor(None, gate.accounts().close_session, cookie)
        res = RedirectResponse("/login", status_code=303)
        res.delete_cookie(COOKIE, path="/")
        # the form's autosaved draft (a party's data in localStorage) leaves the browser with the officer; the
        # pages also delete it themselves, for a browser that ignores this header (plain HTTP beyond loopback)
        res.headers["Clear-Site-Data"] = '"storage"'
        return res

    return r
