"""Every setting quanze reads from the environment, in one object (pydantic-settings).

| variable | field | meaning |
| --- | --- | --- |
| ``QUANZE_RULES`` | ``rules`` | the rules folder every command (``serve`` included) uses when ``--rules`` is not given |
| ``QUANZE_NO_CACHE`` | ``no_cache`` | ``1``: never read or write the rules cache |
| ``QUANZE_CACHE_DIR`` | ``cache_dir`` | the cache folder (default: the platform's user cache folder for quanze,
  ``$XDG_CACHE_HOME/quanze`` or ``~/.cache/quanze`` on Linux, ``~/Library/Caches/quanze`` on macOS,
  ``%LOCALAPPDATA%\\quanze\\Cache`` on Windows) |
| ``QUANZE_TOKEN`` | ``token`` | the bearer token ``serve`` requires on ``/api/`` |
| ``QUANZE_MAX_BODY`` | ``max_body`` | the largest request body ``serve`` accepts, in bytes |
| ``QUANZE_MAX_BATCH`` | ``max_batch`` | the most drafts one ``check:batch`` request of ``serve`` may hold |
| ``QUANZE_CLIENT_TIMEOUT`` | ``client_timeout`` | seconds ``serve`` gives a client to send its headers, its body, and to read its answer |
| ``QUANZE_REQUEST_TIMEOUT`` | ``request_timeout`` | seconds of checking ``serve`` spends on one batch before it answers 503 |
| ``QUANZE_ALLOWED_HOSTS`` | ``allowed_hosts`` | the ``Host`` values ``serve`` answers (comma-separated); required beyond loopback |
| ``QUANZE_CHECK_PROCESSES`` | ``check_processes`` | checking processes per ``serve`` worker (``--check-processes``; 0: one thread) |

Settings are read when asked for (``settings()``), never cached across calls: a test or a command that
changes the environment sees the change. ``engine_settings()`` reads only the first three (what every
command needs) through the same field validators, without importing pydantic-settings (~35 ms of a
``check``); the class and its docs stay the one definition of every variable.
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path
from typing import NamedTuple

MAX_BODY = 1 << 20  # 1 MiB
MAX_BATCH = 200  # drafts per check:batch; one check takes a few ms, so a full batch is a few seconds of the one checking thread
CLIENT_TIMEOUT = 10.0  # seconds for a request's headers, and again for its body
REQUEST_TIMEOUT = 60.0  # seconds of checking per batch request
MAX_CHECK_PROCESSES = 64  # checking processes per serve worker (each holds its own rules, about 90 MB)


def default_check_processes(workers: int = 1) -> int:
    """``serve``'s checking processes per worker when none are asked for: the cores this process may use, shared."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, cores // max(1, workers))


def _blank_is_unset(value: object) -> object:
    return None if isinstance(value, str) and not value.strip() else value


def token_problem(token: str | None) -> str | None:
    """Why a QUANZE_TOKEN cannot protect the API (blank, or not carried by an HTTP header), or None when unset or fine.

    A blank value is refused rather than read as unset: whoever wrote ``QUANZE_TOKEN=" "`` meant to
    protect the API, and would otherwise serve it to anyone."""
    if token is None:
        return None
    if not token.strip():
        return "QUANZE_TOKEN 已设置但为空白，接口将不受保护；请设置一个令牌（ASCII 字母、数字和符号），或删除此变量"
    if not token.isascii():
        return "QUANZE_TOKEN 含有非 ASCII 字符（如汉字）；HTTP 请求头无法携带它，任何请求都无法通过验证。请改用 ASCII 字母、数字和符号"
    if any(not ch.isprintable() or ch.isspace() for ch in token):
        return "QUANZE_TOKEN 含有空白或控制字符；请改用 ASCII 字母、数字和符号"
    return None


def _flag(value: object) -> object:
    return value not in ("", "0", "false", "no") if isinstance(value, str) else value


def _cache_folder(cache_dir: Path | None) -> Path:
    if cache_dir is not None:
        return cache_dir
    return Path(_linux_user_cache() or _platform_user_cache())


def _platform_user_cache() -> str:
    import platformdirs  # honours XDG_CACHE_HOME on Linux

    return platformdirs.user_cache_dir("quanze", appauthor=False)


def _linux_user_cache() -> str | None:
    """platformdirs' user cache folder in the plain Linux case, without importing it (~3 ms of a ``check``):
    ``$XDG_CACHE_HOME/quanze`` when that is absolute, else ``$HOME/.cache/quanze`` when HOME is absolute; None in
    every other case (another platform, an Android runtime, neither variable absolute), which platformdirs answers
    (tests/test_cache.py compares the two)."""
    if sys.platform != "linux" or hasattr(sys, "getandroidapilevel") or os.environ.get("ANDROID_DATA") == "/data":
        return None
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):
        return os.path.join(xdg, "quanze")
    home = os.environ.get("HOME", "")
    if os.path.isabs(home):
        return os.path.join(os.path.expanduser("~/.cache"), "quanze")
    return None


class EngineSettings(NamedTuple):
    """QUANZE_RULES, QUANZE_NO_CACHE and QUANZE_CACHE_DIR, read as ``Settings`` reads them."""

    rules: Path | None
    no_cache: bool
    cache_dir: Path | None

    def cache_folder(self) -> Path:
        """Where the rules cache lives (whether or not it is on)."""
        return _cache_folder(self.cache_dir)


def engine_settings() -> EngineSettings:
    """The three settings every command reads, without pydantic-settings (values it would accept)."""
    env = {k.upper(): v for k, v in os.environ.items() if k.upper().startswith("QUANZE_")}
    rules, cache_dir = (_blank_is_unset(env.get(n)) for n in ("QUANZE_RULES", "QUANZE_CACHE_DIR"))
    flag = env.get("QUANZE_NO_CACHE")
    no_cache = _flag(flag) if flag is not None else False
    return EngineSettings(Path(rules) if rules else None, bool(no_cache), Path(cache_dir) if cache_dir else None)


def __getattr__(name: str) -> object:
    if name == "Settings":
        return _settings_class()
    raise AttributeError(name)


@functools.cache
def _settings_class() -> type:
    """The pydantic-settings class, defined on first use (``serve`` and the web layer)."""
    from pydantic import Field, field_validator  # here: engine_settings() is read before pydantic is imported
    from pydantic_settings import BaseSettings, SettingsConfigDict

    class Settings(BaseSettings):
        """quanze's settings: environment variables prefixed ``QUANZE_``."""

        model_config = SettingsConfigDict(env_prefix="QUANZE_", extra="ignore", frozen=True)

        rules: Path | None = Field(None, description="规则目录（未给 --rules 时使用）")
        no_cache: bool = Field(False, description="不读也不写规则缓存")
        cache_dir: Path | None = Field(None, description="规则缓存目录（默认：系统的用户缓存目录下的 quanze）")
        token: str | None = Field(None, description="quanze serve 的访问令牌（Bearer）")
        max_body: int = Field(MAX_BODY, gt=0, description="quanze serve 接受的请求体上限（字节）")
        max_batch: int = Field(MAX_BATCH, gt=0, le=100_000, description="quanze serve 一次批量检查的草稿数上限")
        client_timeout: float = Field(CLIENT_TIMEOUT, gt=0, le=3600, description="quanze serve 等待客户端发送请求头、请求体的秒数")
        allowed_hosts: str | None = Field(None, description="quanze serve 接受的 Host（逗号分隔；监听本机以外的地址时必须设置）")
        request_timeout: float = Field(REQUEST_TIMEOUT, gt=0, le=3600, description="quanze serve 一次批量检查的检查时间上限（秒）")
        check_processes: int | None = Field(None, ge=0, le=MAX_CHECK_PROCESSES, description="quanze serve 每个工作进程的检查进程数")

        @field_validator("rules", "cache_dir", mode="before")
        @classmethod
        def _blank(cls, value: object) -> object:
            return _blank_is_unset(value)

        @field_validator("no_cache", mode="before")
        @classmethod
        def _no_cache(cls, value: object) -> object:
            return _flag(value)

        def cache_folder(self) -> Path:
            """Where the rules cache lives (whether or not it is on)."""
            return _cache_folder(self.cache_dir)

    return Settings


def settings():  # -> Settings
    """The settings as the environment gives them now; InputError names a variable that cannot be read."""
    from pydantic import ValidationError

    from quanze.engine.model.errors import InputError, Problem

    try:
        return _settings_class()()
    except ValidationError as exc:
        problems = []
        for e in exc.errors():
            name = "QUANZE_" + str(e["loc"][0]).upper() if e["loc"] else "QUANZE_*"
            field = _settings_class().model_fields.get(str(e["loc"][0])) if e["loc"] else None
            what = field.description if field is not None and field.description else "设置"
            problems.append(Problem("环境变量", name, f"{what}：无法读取“{str(e.get('input'))[:60]}”"))
        raise InputError(problems) from None
