"""The case register's storage (quanze.register) against SQLite and a real PostgreSQL: versions chained by hashes
and verified, saves that race, files that fail to parse, import/export, backup/restore, database faults."""

from __future__ import annotations

import datetime as dt
import json
import threading

import pytest
import yaml
from pgserver import MISSING, new_database, postgres
from sqlalchemy import event, text

from conftest import CASES
from helpers import sample
from quanze.register.assess import assess
from quanze.register.db import RegisterError, writing
from quanze.register.folders import export_folder, import_folder
from quanze.register.store import Conflict, Register

DAY = dt.date(2026, 4, 20)


@pytest.fixture(scope="module")
def pg_base():
    with postgres() as base:
        yield base


@pytest.fixture(params=["sqlite", "postgresql"])
def register(request, tmp_path):
    """An empty register on each backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'register.sqlite3'}"
    else:
        base = request.getfixturevalue("pg_base")
        if base is None:
            pytest.skip(MISSING)
        url = new_database(base)
    reg = Register(url)
    yield reg
    reg.close()


def open_draft(case_id: str = "伊市商工罚〔2026〕901号", handler: str = "张三") -> dict:
    """A lawful penalty draft decided but not yet served: 决定书送达 is its next step, due 2026-04-23."""
    raw = sample("penalty/CF-01/lawful_stop_and_retrofit.yaml")
    raw["procedure"]["served_on"] = None
    raw["case_id"] = case_id
    raw["people"]["handler"] = handler
    return raw


def text_of(raw: dict) -> str:
    return yaml.safe_dump(raw, allow_unicode=True, sort_keys=False)


def save(reg: Register, rules, raw_or_text, who: str = "张三", base: int | None = None):
    body = raw_or_text if isinstance(raw_or_text, str) else text_of(raw_or_text)
    return reg.save(assess(body, "yaml", rules, "请求", DAY), body, "yaml", who, base)


def test_versions_are_chained_and_listed_by_nearest_day(register, rules):
    first = save(register, rules, open_draft(), base=0)
    later = open_draft()
    later["procedure"]["served_on"] = "2026-04-17"
    second = save(register, rules, later, who="李四", base=1)
    assert (first.number, second.number) == (1, 2)
    problems, ledger, n_cases, n_versions = register.verify()
    assert problems == [] and (n_cases, n_versions) == (1, 2) and len(ledger) == 64
    history = register.versions("伊市商工罚〔2026〕901号")
    assert [(v["number"], v["saved_by"]) for v in history] == [(1, "张三"), (2, "李四")]
    assert history[1]["hash"] != history[0]["hash"]
    save(register, rules, open_draft("伊市商工罚〔2026〕902号", "王五"), base=0)
    total, rows = register.listing()
    assert total == 1 and register.listing(closed=True)[0] == 1
    assert rows[0]["case_id"] == "伊市商工罚〔2026〕902号" and rows[0]["next_step"] == "决定书送达期限"
    assert rows[0]["nearest"] == "2026-04-23" and rows[0]["department"]  # the item's 承办机构
    assert register.listing(handler="王五")[0] == 1 and register.listing(handler="无此人")[0] == 0


@pytest.mark.parametrize("tamper", ["rewrite", "delete_middle", "delete_last", "result"])
def test_verify_detects_a_rewritten_or_deleted_version(register, rules, tamper):
    raw = open_draft()
    for n in range(3):
        raw["violation"]["illegal_gains"] = n
        save(register, rules, raw)
    with register.engine.begin() as conn:
        if tamper == "rewrite":
            conn.execute(text("UPDATE versions SET text = text || ' ' WHERE number = 2"))
        elif tamper == "delete_middle":
            conn.execute(text("DELETE FROM versions WHERE number = 2"))
        elif tamper == "delete_last":
            conn.execute(text("DELETE FROM versions WHERE number = 3"))
        else:
            conn.execute(text("UPDATE versions SET result = '{}' WHERE number = 1"))
    problems, *_ = register.verify()
    assert len(problems) == 1 and "伊市商工罚〔2026〕901号" in problems[0]
    assert ("改写" if tamper in ("rewrite", "result") else "删除") in problems[0]


def test_a_save_on_an_old_version_is_refused_and_kept(register, rules):
    save(register, rules, open_draft(), base=0)
    mine = open_draft()
    mine["violation"]["illegal_gains"] = 5
    save(register, rules, mine, who="李四", base=1)
    theirs = open_draft()
    theirs["violation"]["illegal_gains"] = 7
    with pytest.raises(Conflict) as caught:
        save(register, rules, theirs, who="王五", base=1)
    assert caught.value.head == 2 and "李四" in caught.value.message()
    with register.engine.connect() as conn:
        kept = conn.execute(text("SELECT saved_by, text FROM conflicts")).all()
    assert [(k.saved_by, "illegal_gains: 7" in k.text) for k in kept] == [("王五", True)]
    assert register.case("伊市商工罚〔2026〕901号")["versions"] == 2


def test_concurrent_saves_of_one_case_one_wins_none_lost(register, rules):
    save(register, rules, open_draft(), base=0)
    n = 6
    barrier = threading.Barrier(n)
    outcomes: list[str] = []

    bodies = []
    for i in range(n):  # checked on this thread (durable-rules is one thread), saved from many
        raw = open_draft()
        raw["violation"]["illegal_gains"] = 100 + i
        bodies.append((assess(text_of(raw), "yaml", rules, "请求", DAY), text_of(raw)))

    def officer(i: int) -> None:
        barrier.wait(timeout=30)
        try:
            register.save(bodies[i][0], bodies[i][1], "yaml", f"officer{i}", base=1)
            outcomes.append("saved")
        except Conflict:
            outcomes.append("conflict")
    threads = [threading.Thread(target=officer, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes) == ["conflict"] * (n - 1) + ["saved"]
    with register.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM conflicts")).scalar_one() == n - 1
    assert register.case("伊市商工罚〔2026〕901号")["versions"] == 2 and register.verify()[0] == []


def test_a_file_that_fails_to_parse_is_kept_as_submitted_with_its_problems(register, rules):
    broken = "kind: penalty\ncase_id: 伊市商工罚〔2026〕903号\nitem: CF-01\nparty: [\n"
    saved = save(register, rules, broken)
    case = register.case("伊市商工罚〔2026〕903号")
    assert not saved.valid and case["text"] == broken and case["result"]["lines"]
    unreadable = "::: not yaml {"
    save(register, rules, unreadable)
    total, rows = register.listing()
    assert total == 2 and all(r["next_step"] == "补正草稿（无法读取或校验）" for r in rows)
    assert any(r["case_id"].startswith("未编号-") for r in rows)


def test_import_is_idempotent_and_export_gives_the_files_back(register, rules, tmp_path):
    folder = CASES / "penalty" / "CF-04"
    done = import_folder(register, [folder], rules, "导入", DAY)
    assert done.added and not done.problems
    again = import_folder(register, [folder], rules, "导入", DAY)
    assert again.added == [] and len(again.same) == len(done.added) + len(done.same)
    out = export_folder(register, tmp_path / "out")
    assert len(out) == register.count()
    heads = {h["case_id"]: h["text"] for h in register.heads()}
    assert sorted(p.read_text(encoding="utf-8") for p in out) == sorted(heads.values())


def test_files_that_cannot_be_read_are_reported(register, rules, tmp_path):
    (tmp_path / "bad.yaml").write_bytes(b"\xff\xfe\x00kind")
    done = import_folder(register, [tmp_path], rules, "导入", DAY)
    assert [p.message for p in done.problems] == ["不是 UTF-8 编码的文本"]


def test_backup_and_restore_sqlite(tmp_path, rules):
    reg = Register(f"sqlite:///{tmp_path / 'live.sqlite3'}")
    save(reg, rules, open_draft(), base=0)
    reg.backup(tmp_path / "copy.sqlite3")
    save(reg, rules, open_draft("伊市商工罚〔2026〕904号"), base=0)
    assert reg.count() == 2
    reg.restore(tmp_path / "copy.sqlite3")
    assert reg.count() == 1 and reg.verify()[0] == []
    reg.close()


def test_restore_refuses_a_backup_with_a_broken_chain(tmp_path, rules):
    reg = Register(f"sqlite:///{tmp_path / 'live.sqlite3'}")
    save(reg, rules, open_draft(), base=0)
    reg.backup(tmp_path / "copy.sqlite3")
    copy = Register(f"sqlite:///{tmp_path / 'copy.sqlite3'}")
    with copy.engine.begin() as conn:
        conn.execute(text("UPDATE versions SET saved_by = '别人'"))
    copy.close()
    with pytest.raises(RegisterError, match="版本链不完整"):
        reg.restore(tmp_path / "copy.sqlite3")
    reg.close()


def test_a_locked_database_is_refused_in_chinese_and_nothing_is_written(tmp_path, rules, monkeypatch):
    import quanze.register.db as db

    monkeypatch.setattr(db, "BUSY_MS", 200)
    url = f"sqlite:///{tmp_path / 'r.sqlite3'}"
    reg = Register(url)
    holder = Register(url)
    with writing(holder.engine), pytest.raises(RegisterError) as caught:  # another program holds the write lock
        save(reg, rules, open_draft(), base=0)
    assert "锁定" in caught.value.problems[0].message and "未写入" in caught.value.problems[0].message
    assert reg.count() == 0
    reg.close()
    holder.close()


def test_a_full_disk_is_refused_in_chinese_and_nothing_is_written(tmp_path, rules):
    reg = Register(f"sqlite:///{tmp_path / 'r.sqlite3'}")
    save(reg, rules, open_draft(), base=0)
    with reg.engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar_one()
    reg.engine.dispose()

    @event.listens_for(reg.engine, "connect")
    def _cap(dbapi, _record) -> None:
        dbapi.execute(f"PRAGMA max_page_count={pages}")

    big = open_draft()
    big["violation"]["conduct"] = "很长的违法行为描述" * 3000
    with pytest.raises(RegisterError, match="磁盘已满"):
        save(reg, rules, big)
    assert reg.case("伊市商工罚〔2026〕901号")["versions"] == 1 and reg.verify()[0] == []
    reg.close()


def test_a_database_that_is_gone_is_refused_in_chinese():
    with pytest.raises(RegisterError, match="无法连接数据库"):
        Register("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")


def test_the_migrations_create_the_tables_the_code_uses(register):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from quanze.register.tables import metadata

    with register.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_results_are_stored_with_their_rules_version(register, rules):
    save(register, rules, open_draft(), base=0)
    v = register.version("伊市商工罚〔2026〕901号", 1)
    assert v["rules_version"] == rules.version and v["result"]["verdict"] in ("pass", "warn", "incomplete")
    assert json.loads(json.dumps(v))  # plain JSON values


def test_a_register_of_the_first_schema_is_migrated_with_its_cases(tmp_path, request):
    """A database made by migration 0001 (the first release) gets the accounts tables and the register order."""
    from importlib import resources

    from alembic import command
    from alembic.config import Config

    from quanze.register.db import open_engine

    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    engine = open_engine(url, migrate_now=False)
    config = Config()
    config.set_main_option("script_location", str(resources.files("quanze.register") / "migrations"))
    with writing(engine) as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
        for i, (nearest, valid) in enumerate((("2026-04-23", 1), (None, 0), (None, 1))):
            conn.execute(text("INSERT INTO cases (case_id, valid, head, head_hash, updated_at, updated_by, nearest) "
                              "VALUES (:c, :v, 1, 'h', 't', 'w', :n)"), {"c": f"C{i}", "v": valid, "n": nearest})
    engine.dispose()
    reg = Register(url)  # migrates to the latest on opening
    try:
        total, rows = reg.listing()
        assert total == 2 and [r["case_id"] for r in rows] == ["C0", "C1"] and reg.listing(closed=True)[0] == 1
        with reg.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM users").scalar_one() == 0
    finally:
        reg.close()
