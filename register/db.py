"""Opening the register's database: SQLite (WAL, one writer at a time, durable commits) or PostgreSQL
(psycopg 3), migrated to the latest schema on opening; database faults as one Chinese problem each."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from quanze.engine.api import InputError, Problem
from quanze.register.settings import database_url

WHERE = "案件登记库"
WRITE = "quanze_write"  # execution option of a connection that writes
BUSY_MS = 10_000  # SQLite: how long a save waits for another writer before it is refused as locked


class RegisterError(InputError):
    """The database refused (full, locked, gone, unreadable): nothing of the request was written."""

    def __init__(self, message: str) -> None:
        super().__init__([Problem(WHERE, "", message)])


def fault(exc: Exception) -> RegisterError:
    """A database error in Chinese: what happened and that nothing was written."""
    text = str(getattr(exc, "orig", exc) or exc).lower()
    done = "；本次操作未写入任何内容"
    if "locked" in text or "busy" in text or "lock timeout" in text or "could not obtain lock" in text:
        return RegisterError("数据库被其他程序占用（锁定），请稍后再试" + done)
    if "full" in text or "no space" in text or "disk quota" in text:
        return RegisterError("数据库所在磁盘已满，请释放空间后再试" + done)
    if "readonly" in text or "read-only" in text or "read only" in text:
        return RegisterError("数据库是只读的（文件或目录没有写权限）" + done)
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return RegisterError("数据库文件已损坏或不是数据库，请从备份恢复（quanze register restore）" + done)
    if "unable to open" in text or "connection" in text or "could not connect" in text or "no such file" in text \
            or "server closed" in text or "terminating" in text or "does not exist" in text:
        return RegisterError("无法连接数据库（文件不存在、服务器未运行或已断开），请检查 QUANZE_DATABASE_URL" + done)
    return RegisterError(f"数据库出错：{type(getattr(exc, 'orig', exc)).__name__}" + done)


@contextlib.contextmanager
def faults() -> Iterator[None]:
    """Turn a database error into a RegisterError (the transaction was rolled back)."""
    try:
        yield
    except (DBAPIError, SQLAlchemyError, OSError) as exc:
        if isinstance(exc, RegisterError):
            raise
        raise fault(exc) from None


def _sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi, _record) -> None:
        dbapi.isolation_level = None  # SQLAlchemy's BEGIN below, not the driver's own
        cursor = dbapi.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")  # a committed version survives a power cut, not only a killed process
        cursor.execute(f"PRAGMA busy_timeout={BUSY_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        # a write takes the one write lock at its start (no deadlock upgrading a read lock); reads never wait for it
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE) else "BEGIN")


@contextlib.contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """A write transaction (committed at the end, rolled back on any error); on SQLite it holds the write lock."""
    with engine.connect() as conn:
        conn.execution_options(**{WRITE: True})
        with conn.begin():
            yield conn


def open_engine(url: str | None = None, migrate_now: bool = True) -> Engine:
    """The database engine of ``url`` (default: the setting), its schema migrated to the latest version."""
    url = url or database_url()
    parsed = make_url(url)
    with faults():
        if parsed.get_backend_name() == "sqlite":
            if parsed.database and parsed.database != ":memory:":
                Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, connect_args={"timeout": BUSY_MS / 1000, "check_same_thread": False})
            _sqlite(engine)
        else:
            engine = create_engine(url, pool_pre_ping=True)
        if migrate_now:
            migrate(engine)
    return engine


def migrate(engine: Engine) -> None:
    """Bring the schema to the latest migration shipped in the package (``register/migrations``)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(resources.files("quanze.register") / "migrations"))
    with writing(engine) as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


def backend(engine: Engine) -> str:
    return engine.url.get_backend_name()
