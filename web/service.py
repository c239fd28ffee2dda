"""The rules of one process and the thread that evaluates with them, and what every route of an application shares."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from fastapi import Request

from quanze.engine import api
from quanze.engine.model.errors import Problem, show_value
from quanze.engine.model.ruleset import RuleSet
from quanze.web.bodies import DRAFT_TYPES, media_type, parse_body
from quanze.web.checking import Checkers, warm_up
from quanze.web.common import LABEL, RequestProblem
from quanze.web.security import Load


class Service:
    """The rules of this process, and where its checks run: a pool of checking processes (web/checking.py), or with
    none the one thread that evaluates with the rules of this process."""

    def __init__(self, rules_dir: Path | None, warm_up: bool = True, processes: int = 0) -> None:
        self.rules_dir = rules_dir
        self.warm_up = warm_up
        self.processes = processes
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="quanze-check")
        self.parser = ThreadPoolExecutor(max_workers=1, thread_name_prefix="quanze-parse")
        self.checkers: Checkers | None = None
        self.rules: RuleSet | None = None
        self.warmed = 0

    def start(self) -> None:
        """Load and compile the rules (blocks until ready): on the evaluating thread, and with processes in each of them."""
        self.executor.submit(self._load).result()

    def _load(self) -> None:
        rules, _how = api.load(self.rules_dir)  # refused unless it passes every check of ``rules validate``
        if self.processes:
            self.checkers = Checkers(self.processes, self.rules_dir, self.warm_up)
            version, self.warmed = self.checkers.start()
            if version != rules.version:  # the rules folder changed meanwhile: the pinned version would lie
                raise RuntimeError(f"检查进程的规则版本 {version} 与服务的 {rules.version} 不一致")
        elif self.warm_up:
            self.warmed = warm_up(rules)
        self.rules = rules

    async def attach(self) -> None:
        """On the event loop, after ``start``: the checking processes take jobs."""
        if self.checkers is not None:
            await self.checkers.attach()

    async def run(self, job: Callable[..., Any], *args: Any) -> Any:
        """job(rules, *args): in a checking process, or on the evaluating thread (``job`` a module-level function
        whose arguments and answer pickle: web/checking.py)."""
        if self.checkers is not None:
            return await self.checkers.run(job, *args)
        return await asyncio.get_running_loop().run_in_executor(self.executor, job, self.rules, *args)

    async def run_on_body(self, body: bytes, media: str, job: Callable[..., Any], *args: Any) -> Any:
        """job(rules, document, *args) of the document a request body holds: in a checking process, which parses it too
        (the server process handles bytes only), or parsed on the parsing thread and run on the evaluating thread."""
        if self.checkers is not None:
            return await self.checkers.run(on_body, body, media, job, *args)
        return await self.run(job, await self.parse(parse_body, body, media), *args)

    async def parse(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Run fn (parsing or rendering text, no durable-rules) on the parsing thread."""
        return await asyncio.get_running_loop().run_in_executor(self.parser, fn, *args)

    def stop(self) -> None:
        self.parser.shutdown(wait=True, cancel_futures=True)
        self.executor.shutdown(wait=True, cancel_futures=True)
        if self.checkers is not None:
            self.checkers.stop()


def on_body(rules: RuleSet, body: bytes, media: str, job: Callable[..., Any], *args: Any) -> Any:
    """Job (web/checking.py): ``job`` of the document parsed from a request body (422 as ``Web.document``)."""
    return job(rules, parse_body(body, media), *args)


def check_raw(raw: Any, rules: RuleSet, label: str, explain: bool = False) -> dict[str, Any]:
    """The contract §4 object of one raw draft (``explain`` adds the reasoning, as ``quanze explain``)."""
    return api.result_json(api.check_document(raw, rules, label), explain, rules)


class Web:
    """What the routes of one application share: its service and load, its limits, and reading rules and bodies."""

    def __init__(
        self, service: Service, load: Load, token: str | None, max_body: int, max_batch: int, client_timeout: float, request_timeout: float
    ) -> None:
        self.service = service
        self.load = load
        self.max_body = max_body
        self.max_batch = max_batch
        self.client_timeout = client_timeout
        self.request_timeout = request_timeout
        self.batches = asyncio.Semaphore(1)  # one batch at a time per process, checked in chunks between single checks
        self.post_errors = (400, 408, 413, 415, 422, 503) + ((401,) if token else ())
        self.get_errors = (503,) + ((401,) if token else ())
        self.answers_built: dict[tuple[str, str | None], asyncio.Future[str]] = {}

    def rules(self) -> RuleSet:
        """The rules of the service; 503 while they are still loading."""
        if self.service.rules is None:
            raise RequestProblem(503, [Problem("服务", "", "规则尚未加载完成，请稍后再试")])
        return self.service.rules

    async def built(self, key: tuple[str, str | None], make: Callable[[RuleSet], str]) -> str:
        """An answer that depends on the rules only: made once, on a thread (not the event loop), then reused; callers
        that come while it is being made wait for the same making (the server log says ``built`` once per answer)."""
        r = self.rules()
        if key not in self.answers_built:
            self.answers_built[key] = asyncio.get_running_loop().run_in_executor(None, make, r)
            logging.getLogger("quanze.web").info("built %s", "/".join(k for k in key if k))
        making = self.answers_built[key]
        try:
            return await asyncio.shield(making)
        except Exception:
            if self.answers_built.get(key) is making:
                del self.answers_built[key]  # made again by the next caller
            raise

    @staticmethod
    def pinned(r: RuleSet, rules_version: str | None) -> RuleSet:
        """The rules, when the request names no other version (``rules_version``); else 409."""
        if rules_version is not None and rules_version != r.version:
            msg = f"请求要求规则版本 {show_value(rules_version)}，本服务的规则版本为 {r.version}；请用相同版本的规则，或去掉 rules_version"
            raise RequestProblem(409, [Problem(LABEL, "rules_version", msg)])
        return r

    async def body_of(self, request: Request) -> bytes:
        """The request body, refused with 413 past max_body (by Content-Length and while streaming), 408 if slow."""
        max_body, client_timeout = self.max_body, self.client_timeout
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

    async def checked(self, request: Request, job: Callable[..., Any], *args: Any) -> Any:
        """job(rules, document, *args) of the request's draft document (415, 413, 408 and 422 as ``document``)."""
        media = media_type(request, DRAFT_TYPES)
        body = await self.body_of(request)
        return await self.service.run_on_body(body, media, job, *args)

    async def document(self, request: Request, allowed: tuple[str, ...] = DRAFT_TYPES, max_items: int | None = None) -> Any:
        """The parsed body (on the parsing thread): 415 for another content type, 422 for what cannot be read."""
        media = media_type(request, allowed)
        body = await self.body_of(request)
        return await self.service.parse(parse_body, body, media, max_items)
