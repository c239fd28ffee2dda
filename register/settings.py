"""The register's settings (environment variables, read when asked for).

| variable | meaning |
| --- | --- |
| ``QUANZE_DATABASE_URL`` | the database: ``postgresql+psycopg://user:pass@host/db`` for a bureau's server, or
  ``sqlite:///path``; default: ``register.sqlite3`` in the user data folder (``~/.local/share/quanze`` on Linux) |
| ``QUANZE_YELLOW_DAYS`` | 黄牌: a step due within this many working days (default 3) |
| ``QUANZE_SMTP_HOST``, ``QUANZE_SMTP_PORT``, ``QUANZE_SMTP_FROM``, ``QUANZE_SMTP_USER``, ``QUANZE_SMTP_PASSWORD``,
  ``QUANZE_SMTP_STARTTLS`` | the mail server ``quanze register digest --send`` sends through |
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from quanze.engine.api import InputError, Problem

YELLOW_DAYS = 3


def _env(name: str) -> str | None:
    value = os.environ.get(name)
    return value.strip() if value and value.strip() else None


def default_url() -> str:
    """SQLite in the user data folder (created when missing)."""
    import platformdirs

    folder = Path(platformdirs.user_data_dir("quanze", appauthor=False))
    return f"sqlite:///{folder / 'register.sqlite3'}"


def database_url() -> str:
    """QUANZE_DATABASE_URL, else the default SQLite file; ``postgresql://`` is read as psycopg 3."""
    url = _env("QUANZE_DATABASE_URL") or default_url()
    if url.startswith(("postgresql://", "postgres://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _int(name: str, default: int, low: int, high: int) -> int:
    text = _env(name)
    if text is None:
        return default
    if not text.isdigit() or not low <= int(text) <= high:
        raise InputError([Problem("环境变量", name, f"期望 {low} 到 {high} 的整数，实际为“{text}”")])
    return int(text)


def yellow_days() -> int:
    """QUANZE_YELLOW_DAYS: 黄牌 within this many working days (default 3)."""
    return _int("QUANZE_YELLOW_DAYS", YELLOW_DAYS, 0, 60)


@dataclass(frozen=True)
class Smtp:
    host: str
    port: int
    sender: str
    user: str | None
    password: str | None
    starttls: bool


def smtp() -> Smtp | None:
    """The configured mail server, or None when QUANZE_SMTP_HOST is not set."""
    host = _env("QUANZE_SMTP_HOST")
    if host is None:
        return None
    return Smtp(
        host=host,
        port=_int("QUANZE_SMTP_PORT", 25, 1, 65535),
        sender=_env("QUANZE_SMTP_FROM") or "quanze@localhost",
        user=_env("QUANZE_SMTP_USER"),
        password=_env("QUANZE_SMTP_PASSWORD"),
        starttls=(_env("QUANZE_SMTP_STARTTLS") or "0") not in ("0", "false", "no"),
    )
