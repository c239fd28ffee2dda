"""The register's storage: saving a version (version-checked, hash-chained, all or nothing), reading cases,
their versions and the list of open cases, verifying the chains, and moving cases in and out (folders of
case files, SQLite backups)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, and_, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from quanze.register.assess import Assessment
from quanze.register.chain import GENESIS, ledger, version_hash
from quanze.register.db import RegisterError, backend, faults, open_engine, writing
from quanze.register.tables import cases, conflicts, versions

FAR = dt.date(9999, 12, 31)  # the "last day" of a case that cannot be checked yet: open, listed after the dated ones
PAGE = 50
MAX_PAGE = 500


class Conflict(Exception):
    """A save based on an older version: the case has moved on; the refused text is kept (``conflicts``)."""

    def __init__(self, case_id: str, base: int | None, head: int, head_by: str, head_at: str, kept: int | None) -> None:
        super().__init__(case_id)
        self.case_id, self.base, self.head, self.head_by, self.head_at, self.kept = case_id, base, head, head_by, head_at, kept

    def message(self) -> str:
        return (f"案件 {self.case_id} 已由 {self.head_by} 于 {self.head_at} 保存为第 {self.head} 版，您修改的是第 {self.base or 0} 版；"
                f"您提交的内容已另存（编号 {self.kept}），未覆盖对方的版本。请打开最新版本，合并后再保存")


@dataclass(frozen=True)
class Saved:
    case_id: str
    number: int
    hash: str
    saved_at: str
    valid: bool


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


class Register:
    """One database of cases."""

    def __init__(self, url: str | None = None, engine: Engine | None = None) -> None:
        self.engine = engine or open_engine(url)

    @property
    def backend(self) -> str:
        return backend(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    # --- saving --------------------------------------------------------------------------------------

    def save(self, a: Assessment, text: str, media: str, who: str, base: int | None = None,
             department: str | None = None) -> Saved:
        """Append a version of ``a.case_id``; ``base`` is the version the officer edited (0: a new case; None:
        whatever is latest, for imports). Conflict (the refused text kept) when the case has moved past base."""
        for _attempt in range(5):
            with faults():
                try:
                    return self._save(a, text, media, who, base, department)
                except _Raced:
                    if base is not None:
                        break
                    continue  # no base given: append on the new head
        return self._refuse(a.case_id, text, media, who, base)

    def _save(self, a: Assessment, text: str, media: str, who: str, base: int | None, department: str | None) -> Saved:
        with writing(self.engine) as conn:
            row = conn.execute(select(cases).where(cases.c.case_id == a.case_id)).first()
            head = row.head if row else 0
            if base is not None and base != head:
                raise _Raced
            saved_at = now()
            number = head + 1
            prev = row.head_hash if row else GENESIS
            digest = version_hash(prev, a.case_id, number, saved_at, who, media, text, a.valid, a.result, a.rules_version)
            due = a.nearest or (FAR if not a.valid else None)
            facts = {"due": due, "kind": a.kind, "item": a.item, "handler": a.handler, "stage": a.stage, "next_step": a.next_step,
                     "nearest": a.nearest, "valid": a.valid, "head": number, "head_hash": digest, "updated_at": saved_at,
                     "updated_by": who, "personal": a.personal}
            try:
                if row is None:
                    facts |= {"case_id": a.case_id, "department": department or a.office}
                    pk = conn.execute(insert(cases).values(**facts)).inserted_primary_key[0]
                else:
                    if department:
                        facts["department"] = department
                    done = conn.execute(update(cases).where(and_(cases.c.id == row.id, cases.c.head == head)).values(**facts))
                    if done.rowcount != 1:
                        raise _Raced
                    pk = row.id
                conn.execute(insert(versions).values(
                    case=pk, number=number, saved_at=saved_at, saved_by=who, media=media, text=text, valid=a.valid,
                    result=a.result, rules_version=a.rules_version, prev_hash=prev, hash=digest))
            except IntegrityError:  # another save created the case or took this number first
                raise _Raced from None
        return Saved(a.case_id, number, digest, saved_at, a.valid)

    def _refuse(self, case_id: str, text: str, media: str, who: str, base: int | None) -> Saved:
        with faults(), writing(self.engine) as conn:
            row = conn.execute(select(cases).where(cases.c.case_id == case_id)).first()
            kept = None
            if row is not None:
                kept = conn.execute(insert(conflicts).values(case=row.id, base=base or 0, saved_at=now(), saved_by=who,
                                                             media=media, text=text)).inserted_primary_key[0]
        if row is None:  # base > 0 for a case the register does not hold
            raise RegisterError(f"登记库中没有案件 {case_id}（第 {base} 版）；新案件请不带版本号保存")
        raise Conflict(case_id, base, row.head, row.updated_by, row.updated_at, kept)

    # --- reading -------------------------------------------------------------------------------------

    def case(self, case_id: str) -> dict[str, Any] | None:
        """A case's register entry and its latest version (text and result), or None."""
        with faults(), self.engine.connect() as conn:
            row = conn.execute(select(cases).where(cases.c.case_id == case_id)).first()
            if row is None:
                return None
            head = conn.execute(select(versions).where(and_(versions.c.case == row.id, versions.c.number == row.head))).first()
        return {**entry(row), "text": head.text, "media": head.media, "result": json.loads(head.result)}

    def versions(self, case_id: str) -> list[dict[str, Any]] | None:
        """Every version of a case, oldest first, with the findings that appeared and were resolved since the one before."""
        with faults(), self.engine.connect() as conn:
            row = conn.execute(select(cases.c.id).where(cases.c.case_id == case_id)).first()
            if row is None:
                return None
            rows = conn.execute(select(versions).where(versions.c.case == row.id).order_by(versions.c.number)).all()
        out, before = [], set()
        for v in rows:
            result = json.loads(v.result)
            codes = {f["code"] for f in result.get("findings", [])} if v.valid else set()
            out.append({"number": v.number, "saved_at": v.saved_at, "saved_by": v.saved_by, "valid": v.valid,
                        "verdict": result.get("verdict"), "rules_version": v.rules_version, "hash": v.hash,
                        "appeared": sorted(codes - before), "resolved": sorted(before - codes),
                        "problems": result.get("lines", []) if not v.valid else []})
            before = codes
        return out

    def department_of(self, case_id: str) -> tuple[int, str | None, bool] | None:
        """(row id, 科室, names an individual) of a case, or None."""
        with faults(), self.engine.connect() as conn:
            row = conn.execute(select(cases.c.id, cases.c.department, cases.c.personal).where(cases.c.case_id == case_id)).first()
        return (row.id, row.department, row.personal) if row else None

    def version(self, case_id: str, number: int) -> dict[str, Any] | None:
        with faults(), self.engine.connect() as conn:
            v = conn.execute(select(versions).join(cases, versions.c.case == cases.c.id)
                             .where(and_(cases.c.case_id == case_id, versions.c.number == number))).first()
        if v is None:
            return None
        return {"number": v.number, "saved_at": v.saved_at, "saved_by": v.saved_by, "media": v.media, "text": v.text,
                "valid": v.valid, "result": json.loads(v.result), "rules_version": v.rules_version, "hash": v.hash}

    def listing(self, *, department: str | None = None, handler: str | None = None, item: str | None = None,
                stage: str | None = None, closed: bool = False, offset: int = 0, limit: int = PAGE) -> tuple[int, list[dict[str, Any]]]:
        """Open cases (a step not yet taken, or a text that could not be checked) by nearest last day; ``closed``
        lists the others. Filters by 科室, 承办人, item and stage; (total, one page)."""
        where = [cases.c.due.is_(None) if closed else cases.c.due.is_not(None)]
        for column, value in ((cases.c.department, department), (cases.c.handler, handler), (cases.c.item, item),
                              (cases.c.stage, stage)):
            if value:
                where.append(column == value)
        query = select(cases).where(and_(*where))
        with faults(), self.engine.connect() as conn:
            total = conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()
            rows = conn.execute(query.order_by(cases.c.due, cases.c.case_id)
                                .offset(offset).limit(min(limit, MAX_PAGE))).all()
        return total, [entry(r) for r in rows]

    def choices(self) -> dict[str, list[str]]:
        """The values the register's filters offer: every 科室, 承办人, item and stage held."""
        out = {}
        with faults(), self.engine.connect() as conn:
            for name in ("department", "handler", "item", "stage"):
                column = cases.c[name]
                out[name] = [v for (v,) in conn.execute(select(column).where(column.is_not(None)).distinct().order_by(column))]
        return out

    def count(self) -> int:
        with faults(), self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(cases)).scalar_one()

    # --- verifying -----------------------------------------------------------------------------------

    def verify(self) -> tuple[list[str], str, int, int]:
        """Every chain checked: (problems in Chinese, the ledger hash, cases, versions)."""
        problems: list[str] = []
        heads: list[tuple[str, int, str]] = []
        n_versions = 0
        with faults(), self.engine.connect() as conn:
            rows = conn.execute(select(cases).order_by(cases.c.id)).all()
            known = {r.id for r in rows}
            orphans = conn.execute(select(func.count()).select_from(versions).where(versions.c.case.not_in(known))).scalar_one() \
                if known else conn.execute(select(func.count()).select_from(versions)).scalar_one()
            if orphans:
                problems.append(f"有 {orphans} 个版本不属于登记库中的任何案件（案件记录被删除）")
            for row in rows:
                chain = conn.execute(select(versions).where(versions.c.case == row.id).order_by(versions.c.number)).all()
                n_versions += len(chain)
                problems += chain_problems(row, chain)
                heads.append((row.case_id, row.head, row.head_hash))
        return problems, ledger(heads), len(rows), n_versions

    # --- folders and backups -------------------------------------------------------------------------

    def heads(self) -> list[dict[str, Any]]:
        """Every case's latest text (for export)."""
        with faults(), self.engine.connect() as conn:
            rows = conn.execute(select(cases.c.case_id, versions.c.media, versions.c.text)
                                .join(versions, and_(versions.c.case == cases.c.id, versions.c.number == cases.c.head))
                                .order_by(cases.c.case_id)).all()
        return [{"case_id": r.case_id, "media": r.media, "text": r.text} for r in rows]

    def holds(self, case_id: str, text: str) -> bool:
        """Whether a version of the case has exactly this text (import adds nothing twice)."""
        with faults(), self.engine.connect() as conn:
            return conn.execute(select(versions.c.id).join(cases, versions.c.case == cases.c.id)
                                .where(and_(cases.c.case_id == case_id, versions.c.text == text)).limit(1)).first() is not None

    def backup(self, target: Path) -> None:
        """SQLite's online backup into ``target`` (a consistent copy while the server runs)."""
        import sqlite3

        self._sqlite_only("backup")
        with faults():
            raw = self.engine.raw_connection()
            try:
                dest = sqlite3.connect(str(target))
                try:
                    raw.driver_connection.backup(dest)
                finally:
                    dest.close()
            finally:
                raw.close()

    def restore(self, source: Path) -> None:
        """Replace the database by a backup (checked first: a register file, every chain intact)."""
        import sqlite3

        self._sqlite_only("restore")
        with faults():
            probe = Register(f"sqlite:///{source}")
            try:
                problems, *_ = probe.verify()
            finally:
                probe.close()
            if problems:
                raise RegisterError("备份文件中的版本链不完整，拒绝恢复：" + "；".join(problems[:3]))
            src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
            raw = self.engine.raw_connection()
            try:
                src.backup(raw.driver_connection)
            finally:
                src.close()
                raw.close()
            self.engine.dispose()

    def _sqlite_only(self, what: str) -> None:
        if self.backend != "sqlite":
            raise RegisterError(f"register {what} 只用于 SQLite；PostgreSQL 请用 pg_dump / pg_restore（见 docs/register.md）")


class _Raced(Exception):
    """The case moved on between reading its head and writing the next version."""


def entry(row: Any) -> dict[str, Any]:
    """A case's register entry (JSON values)."""
    return {"case_id": row.case_id, "kind": row.kind, "item": row.item, "department": row.department,
            "handler": row.handler, "stage": row.stage, "next_step": row.next_step,
            "nearest": row.nearest.isoformat() if row.nearest else None, "valid": row.valid, "versions": row.head,
            "updated_at": row.updated_at, "updated_by": row.updated_by, "personal": row.personal}


def chain_problems(row: Any, chain: list[Any]) -> list[str]:
    """What is wrong with one case's chain of versions, in Chinese (nothing: intact)."""
    out = []
    name = f"案件 {row.case_id}"
    prev = GENESIS
    for expected, v in enumerate(chain, 1):
        if v.number != expected:
            out.append(f"{name}：缺少第 {expected} 版（版本被删除）")
            break
        if v.prev_hash != prev:
            out.append(f"{name}：第 {v.number} 版与前一版的链接不符（前一版被改写或删除）")
            break
        digest = version_hash(prev, row.case_id, v.number, v.saved_at, v.saved_by, v.media, v.text, v.valid, v.result,
                              v.rules_version)
        if digest != v.hash:
            out.append(f"{name}：第 {v.number} 版的内容与其哈希不符（版本被改写）")
            break
        prev = v.hash
    else:
        if len(chain) != row.head:
            out.append(f"{name}：登记为 {row.head} 版，库中只有 {len(chain)} 版（版本被删除）")
        elif prev != row.head_hash:
            out.append(f"{name}：最新版本的哈希与案件记录不符（最新版本被改写或删除）")
    return out
