"""Where a check runs: a pool of warmed checking processes (``quanze serve --check-processes N``), or with N = 0
the one checking thread of the server process.

A check is a *job*: a module-level function ``job(rules, *args)`` whose arguments and answer pickle (a parsed
document, bytes, text). The server process awaits it and never runs it, so its event loop answers (``/healthz``,
the form's pages) whatever the checks cost: with processes, not even the interpreter lock is shared.

Each checking process is started fresh (``spawn``: no state of durable-rules or of the server's threads is
inherited), loads the same rules folder (refused unless it passes every check of ``rules validate``) and checks
every sample case once before it takes a job, so no request pays a cold compile. One job runs at a time in a
process (durable-rules is not safe with several evaluating threads). A process that dies (killed, out of memory,
a crash in the C extension) fails the jobs in flight with 503 and the pool is replaced; a job sent to a pool that
broke while idle goes to its replacement.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
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


def _ready() -> tuple[int, str, int]:
    """A checking process's pid, rules version and warmed sample count."""
    assert _rules is not None
    return os.getpid(), _rules.version, _warmed


class _Refused(Exception):
    """A refusal raised by a job in a checking process, carried back whole (an InputError pickles as its text only)."""

    def __init__(self, kind: type[Exception], problems: list[Problem], status: int | None) -> None:
        super().__init__(kind.__name__)
        self.kind, self.problems, self.status = kind, problems, status

    def __reduce__(self) -> tuple[Any, ...]:
        return _Refused, (self.kind, self.problems, self.status)

    def error(self) -> Exception:
        return RequestProblem(self.status, self.problems) if self.status is not None else self.kind(self.problems)


def _job(job: Callable[..., Any], *args: Any) -> Any:
    """Run a job with this checking process's rules."""
    try:
        return job(_rules, *args)
    except QuanzeError as exc:
        raise _Refused(type(exc), exc.problems, None) from None
    except RequestProblem as exc:
        raise _Refused(RequestProblem, exc.problems, exc.status) from None


class Checkers:
    """The pool of checking processes of one server process, replaced when one of them dies."""

    def __init__(self, processes: int, rules_dir: Path | None, warm: bool) -> None:
        self.processes, self.rules_dir, self.warm = processes, rules_dir, warm
        self.pool = self._new()

    def _new(self) -> ProcessPoolExecutor:
        context, args = multiprocessing.get_context("spawn"), (self.rules_dir, self.warm, os.getpid())
        return ProcessPoolExecutor(self.processes, mp_context=context, initializer=_begin, initargs=args)

    def start(self) -> tuple[str, int]:
        """Start every process and wait until each has loaded and warmed its rules: (rules version, samples warmed)."""
        answers = [f.result() for f in [self.pool.submit(_ready) for _ in range(self.processes)]]
        versions = {version for _pid, version, _n in answers}
        if len(versions) != 1:  # the rules folder changed while the processes loaded it
            raise RuntimeError(f"检查进程加载的规则版本不一致：{'、'.join(sorted(versions))}")
        return versions.pop(), max(n for *_, n in answers)

    def _replace(self, broken: Executor) -> None:
        if self.pool is broken:
            log.warning("a checking process died: the pool of %d is replaced", self.processes)
            broken.shutdown(wait=False, cancel_futures=True)
            self.pool = self._new()
            for _ in range(self.processes):  # every process starts loading and warming now, not at the next requests
                self.pool.submit(_ready)

    async def run(self, job: Callable[..., Any], *args: Any) -> Any:
        """The answer of job(rules, *args) in a checking process; 503 when the process dies meanwhile."""
        loop = asyncio.get_running_loop()
        pool = self.pool
        try:
            future = loop.run_in_executor(pool, _job, job, *args)
        except BrokenProcessPool:  # it broke while idle: no job of anyone's was lost, this one goes to the new pool
            self._replace(pool)
            pool = self.pool
            future = loop.run_in_executor(pool, _job, job, *args)
        try:
            return await future
        except _Refused as refused:
            raise refused.error() from None
        except BrokenProcessPool:
            self._replace(pool)
            raise RequestProblem(503, [Problem("服务", "", GONE)]) from None

    def stop(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
