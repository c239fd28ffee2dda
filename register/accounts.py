"""People and access: accounts with roles, passwords hashed with argon2id (memory-hard), sessions and per-user
API tokens (only their SHA-256 is stored), who may read and change which case, 审核意见, and the log of every read
of an individual's personal data."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, delete, func, insert, select, update

from quanze.register.db import RegisterError, faults, writing
from quanze.register.store import Register, now
from quanze.register.tables import access_log, cases, opinions, sessions, tokens, users

OFFICER, REVIEWER, HEAD, ADMIN = "承办人", "法制审核", "负责人", "管理员"
ROLES = (OFFICER, REVIEWER, HEAD, ADMIN)
SESSION_HOURS = 10  # a working day
MIN_PASSWORD = 10


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str
    department: str | None
    email: str | None

    # --- what the role may do ----------------------------------------------------------------------------------
    def reads_all(self) -> bool:
        """法制审核, 负责人 and 管理员 read every case; a 承办人 the cases of their 科室."""
        return self.role in (REVIEWER, HEAD, ADMIN)

    def may_read(self, department: str | None) -> bool:
        return self.reads_all() or (department is not None and department == self.department)

    def may_save(self, department: str | None) -> bool:
        """承办人 and 负责人 save the cases of their 科室 (a new case becomes their 科室's); 管理员 any; 法制审核 none."""
        if self.role == ADMIN:
            return True
        if self.role == REVIEWER:
            return False
        return department is None or department == self.department

    def may_give_opinion(self) -> bool:
        return self.role == REVIEWER

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "role": self.role, "department": self.department}


LOCAL = User(0, "本机用户", ADMIN, None, None)  # 127.0.0.1 without accounts: one officer, as before


def _hasher():
    from argon2 import PasswordHasher

    return PasswordHasher()  # argon2id, RFC 9106 low-memory profile (64 MiB, 3 passes)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _user(row: Any) -> User:
    return User(row.id, row.name, row.role, row.department, row.email)


class Accounts:
    """The accounts of one register."""

    def __init__(self, register: Register) -> None:
        self.register = register
        self.engine = register.engine
        self._dummy: str | None = None

    def any(self) -> bool:
        with faults(), self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(users).where(users.c.active.is_(True))).scalar_one() > 0

    def add(self, name: str, role: str, password: str, department: str | None = None, email: str | None = None) -> User:
        problems = []
        if role not in ROLES:
            problems.append(f"角色须为以下之一：{'、'.join(ROLES)}，实际为“{role}”")
        if role in (OFFICER, HEAD) and not department:
            problems.append(f"{role} 须给出科室（--department）：只能看到并修改本科室的案件")
        if len(password) < MIN_PASSWORD:
            problems.append(f"密码至少 {MIN_PASSWORD} 个字符")
        if not name.strip() or len(name) > 100:
            problems.append("用户名不能为空，至多 100 个字符")
        if problems:
            raise RegisterError("；".join(problems))
        with faults(), writing(self.engine) as conn:
            if conn.execute(select(users.c.id).where(users.c.name == name)).first():
                raise RegisterError(f"用户 {name} 已存在")
            pk = conn.execute(insert(users).values(name=name.strip(), role=role, department=department, email=email,
                                                   password_hash=_hasher().hash(password), active=True,
                                                   created_at=now())).inserted_primary_key[0]
        return User(pk, name.strip(), role, department, email)

    def list(self) -> list[dict[str, Any]]:
        with faults(), self.engine.connect() as conn:
            rows = conn.execute(select(users).order_by(users.c.name)).all()
        return [{**_user(r).to_json(), "email": r.email, "active": r.active} for r in rows]

    def by_name(self, name: str) -> User | None:
        with faults(), self.engine.connect() as conn:
            row = conn.execute(select(users).where(and_(users.c.name == name, users.c.active.is_(True)))).first()
        return _user(row) if row else None

    def authenticate(self, name: str, password: str) -> User | None:
        """The user whose password this is; the same work is done for an unknown name (no timing oracle)."""
        from argon2.exceptions import InvalidHashError, VerificationError

        with faults(), self.engine.connect() as conn:
            row = conn.execute(select(users).where(and_(users.c.name == name, users.c.active.is_(True)))).first()
        hasher = _hasher()
        if row is None:
            self._dummy = self._dummy or hasher.hash(secrets.token_hex(16))
            stored = self._dummy
        else:
            stored = row.password_hash
        try:
            hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return None
        return _user(row) if row is not None else None

    # --- sessions and tokens -----------------------------------------------------------------------------------
    def open_session(self, user: User) -> tuple[str, str]:
        """A new session: (cookie value, CSRF token)."""
        value, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        expires = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=SESSION_HOURS)).isoformat()
        with faults(), writing(self.engine) as conn:
            conn.execute(delete(sessions).where(sessions.c.expires_at < now()))
            conn.execute(insert(sessions).values(id=_digest(value), user=user.id, csrf=csrf, expires_at=expires))
        return value, csrf

    def session(self, value: str) -> tuple[User, str] | None:
        """The user and CSRF token of a live session cookie."""
        with faults(), self.engine.connect() as conn:
            row = conn.execute(select(users, sessions.c.csrf).join(sessions, sessions.c.user == users.c.id)
                               .where(and_(sessions.c.id == _digest(value), sessions.c.expires_at > now(),
                                           users.c.active.is_(True)))).first()
        return (_user(row), row.csrf) if row else None

    def close_session(self, value: str) -> None:
        with faults(), writing(self.engine) as conn:
            conn.execute(delete(sessions).where(sessions.c.id == _digest(value)))

    def new_token(self, name: str, label: str = "API") -> str:
        """A new API token for a user (shown once; only its hash is kept)."""
        user = self.by_name(name)
        if user is None:
            raise RegisterError(f"没有用户 {name}")
        token = "qz_" + secrets.token_urlsafe(32)
        with faults(), writing(self.engine) as conn:
            conn.execute(insert(tokens).values(id=_digest(token), user=user.id, label=label[:100], created_at=now()))
        return token

    def token_user(self, token: str) -> User | None:
        with faults(), self.engine.connect() as conn:
            row = conn.execute(select(users).join(tokens, tokens.c.user == users.c.id)
                               .where(and_(tokens.c.id == _digest(token), users.c.active.is_(True)))).first()
        return _user(row) if row else None

    def deactivate(self, name: str) -> None:
        with faults(), writing(self.engine) as conn:
            done = conn.execute(update(users).where(users.c.name == name).values(active=False))
            if done.rowcount != 1:
                raise RegisterError(f"没有用户 {name}")

    # --- 审核意见 and the personal-data log --------------------------------------------------------------------
    def add_opinion(self, user: User, case_id: str, version: int, text: str) -> dict[str, Any]:
        if not text.strip():
            raise RegisterError("审核意见不能为空")
        with faults(), writing(self.engine) as conn:
            row = conn.execute(select(cases.c.id, cases.c.head).where(cases.c.case_id == case_id)).first()
            if row is None or not 1 <= version <= row.head:
                raise RegisterError(f"登记库中没有案件 {case_id} 的第 {version} 版")
            at = now()
            conn.execute(insert(opinions).values(case=row.id, version=version, author=user.name, text=text, at=at))
        return {"version": version, "author": user.name, "text": text, "at": at}

    def opinions(self, case_id: str) -> list[dict[str, Any]]:
        with faults(), self.engine.connect() as conn:
            rows = conn.execute(select(opinions).join(cases, opinions.c.case == cases.c.id)
                                .where(cases.c.case_id == case_id).order_by(opinions.c.id)).all()
        return [{"version": r.version, "author": r.author, "text": r.text, "at": r.at} for r in rows]

    def log_read(self, user: User, case_id: str, what: str) -> None:
        with faults(), writing(self.engine) as conn:
            conn.execute(insert(access_log).values(at=now(), user=user.name, case_id=case_id, what=what))

    def reads(self, case_id: str | None = None) -> list[dict[str, Any]]:
        query = select(access_log).order_by(access_log.c.id)
        if case_id:
            query = query.where(access_log.c.case_id == case_id)
        with faults(), self.engine.connect() as conn:
            return [{"at": r.at, "user": r.user, "case_id": r.case_id, "what": r.what} for r in conn.execute(query)]


class Attempts:
    """Failed logins per name and per client address: at most ``limit`` within ``window`` seconds."""

    def __init__(self, limit: int = 5, window: float = 300.0) -> None:
        self.limit, self.window = limit, window
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, at: float) -> list[float]:
        kept = [t for t in self._failures.get(key, []) if at - t < self.window]
        self._failures[key] = kept
        return kept

    def blocked(self, *keys: str) -> float:
        """Seconds until another attempt is allowed (0: allowed)."""
        at = time.monotonic()
        with self._lock:
            waits = [self.window - (at - recent[0]) for k in keys if len(recent := self._recent(k, at)) >= self.limit]
        return max(waits, default=0.0)

    def failed(self, *keys: str) -> None:
        at = time.monotonic()
        with self._lock:
            for k in keys:
                self._recent(k, at).append(at)

    def clear(self, *keys: str) -> None:
        with self._lock:
            for k in keys:
                self._failures.pop(k, None)
