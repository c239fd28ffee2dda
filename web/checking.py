"""Where a check runs: warmed checking processes (``quanze serve --check-processes N``), or with N = 0 the one
checking thread of the server process (web/service.py).

A check is a *job*: a module-level function ``job(rules, *args)`` whose arguments and answer pickle (a request
body, a parsed document, text, bytes). The server process awaits it and never runs it, so its event loop
answers (``/healthz``, the pages) whatever the checks cost. Jobs and answers go through two pipes per process
that the event loop itself writes and reads (asyncio pipe transports): no thread of the server process takes
part, so not even the interpreter lock is shared with a check (ProcessPoolExecutor's manager and feeder
threads took it from the loop on every check). Jobs wait in order for an idle process.

Each checking process is started fresh (``spawn``: nothing of durable-rules or of the server's threads is
inherited), dies with the server (PR_SET_PDEATHSIG), loads the same rules folder and checks every sample case
once before it says it is ready, so no request pays a cold compile. It runs one job at a time (durable-rules
is not safe with several evaluating threads). One that dies (killed, out of memory, a crash in the C
extension) fails the job it had in hand with 503 and is replaced; the other processes go on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import pickle
import struct
from collections import deque
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

from quanze.engine import api
from quanze.engine.model.errors import InputError, Problem, QuanzeError
from quanze.engine.model.ruleset import RuleSet
from quanze.web.common import RequestProblem

log = logging.getLogger("quanze.web")
GONE = "检查进程意外退出（已重新启动检查进程）；本请求未完成，请重试"

_rules: RuleSet | None = None  # in a checking process: its rules, loaded by _begin
_warmed = 0


def warm_up(rules: RuleSet) -> int:
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


def _begin(rules_dir: Path | None, warm: bool, parent: int) -> None:
    """Initializer of a checking process: it dies with the server process, and loads and warms its rules once."""
    global _rules, _warmed
    from quanze.engine.batch.review import _die_with_parent

    _die_with_parent(parent)  # a server killed outright leaves no checking process behind
    rules, _how = api.load(rules_dir)
    _warmed = warm_up(rules) if warm else 0
    _rules = rules


class _Refused(Exception):
    """A refusal raised by a job in a checking process, carried back whole (an InputError pickles as its text only)."""

    def __init__(self, kind: type[Exception], problems: list[Problem], status: int | None) -> None:
        super().__init__(kind.__name__)
        self.kind, self.problems, self.status = kind, problems, status

    def __reduce__(self) -> tuple[Any, ...]:
        return _Refused, (self.kind, self.problems, self.status)

    def error(self) -> Exception:
        return RequestProblem(self.status, self.problems) if self.status is not None else self.kind(self.problems)


def _answer(job: Callable[..., Any], args: tuple[Any, ...]) -> tuple[bool, Any]:
    """(True, answer) of a job with this process's rules, or (False, the error) to raise in the server process."""
    try:
        return True, job(_rules, *args)
    except QuanzeError as exc:
        return False, _Refused(type(exc), exc.problems, None)
    except RequestProblem as exc:
        return False, _Refused(RequestProblem, exc.problems, exc.status)
    except Exception as exc:  # a defect: a 500 in the server process, as on its checking thread
        return False, RuntimeError(f"{type(exc).__name__}: {exc}")


def _serve(jobs: Any, answers: Any, rules_dir: Path | None, warm: bool, parent: int) -> None:
    """A checking process: load and warm the rules, say so, then answer one job at a time until the server closes."""
    _begin(rules_dir, warm, parent)
    assert _rules is not None
    answers.send((os.getpid(), _rules.version, _warmed))
    while True:
        try:
            job, args = jobs.recv()
        except EOFError:  # the server closed the pipe: stop
            return
        answers.send(_answer(job, args))


_HEADER = struct.Struct("!i")  # the framing of multiprocessing's Connection.send_bytes (messages under 2 GiB)


class _Checker(asyncio.Protocol):
    """One checking process: its pipes, and the job it has in hand (a future of the server's event loop)."""

    def __init__(self, pool: Checkers, process: Any, jobs: Any, answers: Any) -> None:
        self.pool, self.process, self.jobs, self.answers = pool, process, jobs, answers
        self.ready = False
        self.future: asyncio.Future[Any] | None = None
        self.buffer = bytearray()
        self.writer: asyncio.WriteTransport | None = None

    async def attach(self) -> None:
        """Read its answers and write its jobs through the event loop (no thread of the server takes part)."""
        loop = asyncio.get_running_loop()
        answers, jobs = os.dup(self.answers.fileno()), os.dup(self.jobs.fileno())
        self.answers.close()
        self.jobs.close()
        await loop.connect_read_pipe(lambda: self, os.fdopen(answers, "rb", buffering=0))
        self.writer, _ = await loop.connect_write_pipe(asyncio.Protocol, os.fdopen(jobs, "wb", buffering=0))

    def send(self, future: asyncio.Future[Any], job: Callable[..., Any], args: tuple[Any, ...]) -> None:


        data = pickle.dumps((job, args), protocol=pickle.HIGHEST_PROTOCOL)
        self.future = future
        assert self.writer is not None
        self.writer.write(_HEADER.pack(len(data)) + data)

    def data_received(self, data: bytes) -> None:


        self.buffer += data
        while len(self.buffer) >= _HEADER.size:
            (size,) = _HEADER.unpack_from(self.buffer)
            if len(self.buffer) < _HEADER.size + size:
                return
            message = pickle.loads(bytes(self.buffer[_HEADER.size : _HEADER.size + size]))
            del self.buffer[: _HEADER.size + size]
            if not self.ready:
                self.ready = True  # the (pid, version, warmed) of a replacement: it takes jobs from now on
            else:
                future, self.future = self.future, None
                if future is not None and not future.done():
                    ok, value = message
                    future.set_result(value) if ok else future.set_exception(value)
            self.pool.idle(self)

    def connection_lost(self, exc: Exception | None) -> None:  # the process died (or the server is stopping)
        self.pool.died(self)


class Checkers:
    """The checking processes of one server process: jobs wait for an idle one; one that dies is replaced."""

    def __init__(self, processes: int, rules_dir: Path | None, warm: bool) -> None:
        self.processes, self.rules_dir, self.warm = processes, rules_dir, warm
        self.checkers: list[_Checker] = []
        self.free: deque[_Checker] = deque()
        self.waiting: deque[tuple[asyncio.Future[Any], Callable[..., Any], tuple[Any, ...]]] = deque()
        self.stopping = False
        self.replacing: set[asyncio.Future[Any]] = set()

    def _spawn(self) -> _Checker:
        context = multiprocessing.get_context("spawn")
        jobs_in, jobs_out = context.Pipe(duplex=False)
        answers_in, answers_out = context.Pipe(duplex=False)
        process = context.Process(target=_serve, args=(jobs_in, answers_out, self.rules_dir, self.warm, os.getpid()),
                                  name="quanze-checking", daemon=True)
        process.start()
        jobs_in.close()
        answers_out.close()
        checker = _Checker(self, process, jobs_out, answers_in)
        self.checkers.append(checker)
        return checker

    def start(self) -> tuple[str, int]:
        """Start every process and wait until each has loaded and warmed its rules: (rules version, samples warmed)."""
        started = [self._spawn() for _ in range(self.processes)]
        answers = []
        for checker in started:
            try:
                answers.append(checker.answers.recv())
            except EOFError:
                raise RuntimeError("检查进程未能启动（加载规则时退出）") from None
            checker.ready = True
        versions = {version for _pid, version, _n in answers}
        if len(versions) != 1:  # the rules folder changed while the processes loaded it
            raise RuntimeError(f"检查进程加载的规则版本不一致：{'、'.join(sorted(versions))}")
        return versions.pop(), max(n for *_, n in answers)

    async def attach(self) -> None:
        """On the event loop, once started: the processes take jobs."""
        for checker in list(self.checkers):
            await checker.attach()
            self.free.append(checker)

    async def run(self, job: Callable[..., Any], *args: Any) -> Any:
        """The answer of job(rules, *args) in a checking process; 503 when that process dies meanwhile."""
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self.waiting.append((future, job, args))
        self._dispatch()
        try:
            return await future
        except _Refused as refused:
            raise refused.error() from None

    def _dispatch(self) -> None:
        while self.free and self.waiting:
            future, job, args = self.waiting.popleft()
            if not future.done():  # not cancelled meanwhile (its client gone)
                self.free.popleft().send(future, job, args)

    def idle(self, checker: _Checker) -> None:
        self.free.append(checker)
        self._dispatch()

    def died(self, checker: _Checker) -> None:
        if checker not in self.checkers:
            return
        self.checkers.remove(checker)
        with contextlib.suppress(ValueError):
            self.free.remove(checker)
        if checker.writer is not None:
            checker.writer.close()
        if checker.future is not None and not checker.future.done():
            checker.future.set_exception(RequestProblem(503, [Problem("服务", "", GONE)]))
        if self.stopping:
            return
        checker.process.join(0)
        log.warning("a checking process died (exit code %s): replaced", checker.process.exitcode)
        replacing = asyncio.ensure_future(self._replace(0 if checker.ready else 5))  # one that cannot start: not in a hot loop
        self.replacing.add(replacing)
        replacing.add_done_callback(self.replacing.discard)

    async def _replace(self, delay: float) -> None:
        await asyncio.sleep(delay)
        checker = self._spawn()  # idle when its first message says it is ready
        await checker.attach()

    def stop(self) -> None:
        self.stopping = True
        for checker in self.checkers:
            checker.process.terminate()
        for checker in self.checkers:
            checker.process.join(10)
            if checker.process.is_alive():
                checker.process.kill()
