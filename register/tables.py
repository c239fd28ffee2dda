"""The register's tables (SQLAlchemy Core). The migrations in ``register/migrations`` create them; this is
what the code reads and writes, and a test keeps the two the same."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Date, ForeignKey, Index, Integer, MetaData, String, Table, Text, UniqueConstraint, false

metadata = MetaData()

cases = Table(
    "cases",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", String(200), nullable=False, unique=True),  # 案件编号 (or 未编号-… for a text without one)
    Column("kind", String(20)),
    Column("item", String(40)),
    Column("department", String(100)),  # 科室
    Column("handler", String(100)),  # 承办人
    Column("stage", String(40)),
    Column("next_step", String(200)),
    Column("nearest", Date),  # the nearest last day of a step not yet taken (None: nothing open)
    Column("valid", Boolean, nullable=False),
    Column("head", Integer, nullable=False),  # the number of the latest version
    Column("head_hash", String(64), nullable=False),
    Column("updated_at", String(40), nullable=False),
    Column("updated_by", String(100), nullable=False),
    Column("personal", Boolean, nullable=False, server_default=false()),  # an individual's name and ID in the file
    Column("due", Date),  # the register's order: nearest, or 9999-12-31 for a text not yet checkable; None: closed
)
Index("cases_nearest", cases.c.nearest)
Index("cases_department", cases.c.department)
Index("cases_handler", cases.c.handler)
Index("cases_due", cases.c.due, cases.c.case_id)
Index("cases_item", cases.c.item)
Index("cases_stage", cases.c.stage)

versions = Table(
    "versions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case", Integer, ForeignKey("cases.id"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("saved_at", String(40), nullable=False),  # ISO 8601, UTC: text, so that every database hashes the same
    Column("saved_by", String(100), nullable=False),
    Column("media", String(10), nullable=False),  # yaml | json
    Column("text", Text, nullable=False),  # the case file as submitted
    Column("valid", Boolean, nullable=False),
    Column("result", Text, nullable=False),  # the check result (contract §4 JSON), or {"problems", "lines"}
    Column("rules_version", String(80), nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    UniqueConstraint("case", "number", name="versions_case_number"),
)

conflicts = Table(
    "conflicts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case", Integer, ForeignKey("cases.id"), nullable=False),
    Column("base", Integer, nullable=False),  # the version the officer had edited
    Column("saved_at", String(40), nullable=False),
    Column("saved_by", String(100), nullable=False),
    Column("media", String(10), nullable=False),
    Column("text", Text, nullable=False),
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("role", String(20), nullable=False),  # 承办人 | 法制审核 | 负责人 | 管理员
    Column("department", String(100)),  # 科室
    Column("email", String(200)),
    Column("password_hash", String(200), nullable=False),  # argon2id
    Column("active", Boolean, nullable=False),
    Column("created_at", String(40), nullable=False),
)

sessions = Table(
    "sessions",
    metadata,
    Column("id", String(64), primary_key=True),  # SHA-256 of the cookie's value: a stolen table opens no session
    Column("user", Integer, ForeignKey("users.id"), nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("expires_at", String(40), nullable=False),
)

tokens = Table(
    "tokens",
    metadata,
    Column("id", String(64), primary_key=True),  # SHA-256 of the token
    Column("user", Integer, ForeignKey("users.id"), nullable=False),
    Column("label", String(100), nullable=False),
    Column("created_at", String(40), nullable=False),
)

opinions = Table(
    "opinions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case", Integer, ForeignKey("cases.id"), nullable=False),
    Column("version", Integer, nullable=False),  # the version the opinion is on
    Column("author", String(100), nullable=False),
    Column("text", Text, nullable=False),
    Column("at", String(40), nullable=False),
)

access_log = Table(
    "access_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", String(40), nullable=False),
    Column("user", String(100), nullable=False),
    Column("case_id", String(200), nullable=False),
    Column("what", String(200), nullable=False),
)
