"""``quanze register``: import, export, verify, backup/restore and the daily digest (printed, and sent through a
local SMTP server the test starts)."""

from __future__ import annotations

import sqlite3

import pytest
import yaml

from conftest import CASES
from helpers import sample
from quanze.cli.main import app

DIGEST_DAY = "2026-04-21"  # 决定书送达 due 2026-04-23: within 3 working days


@pytest.fixture
def env(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'register.sqlite3'}"
    monkeypatch.setenv("QUANZE_DATABASE_URL", url)
    for name in ("QUANZE_SMTP_HOST", "QUANZE_SMTP_PORT", "QUANZE_YELLOW_DAYS"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def open_case(folder, case_id: str, handler: str, served: str | None = None) -> None:
    raw = sample("penalty/CF-01/lawful_stop_and_retrofit.yaml")
    raw["procedure"]["served_on"] = served
    raw["case_id"] = case_id
    raw["people"]["handler"] = handler
    folder.mkdir(exist_ok=True)
    (folder / f"{handler}-{case_id[-5:]}.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")


def test_import_verify_export_backup_restore(env, runner):
    first = runner.invoke(app, ["register", "import", str(CASES / "penalty" / "CF-04"), "--who", "导入员"])
    assert first.exit_code == 0, first.output
    assert "新保存" in first.stdout
    again = runner.invoke(app, ["register", "import", str(CASES / "penalty" / "CF-04")])
    assert again.exit_code == 0 and "新保存 0 个版本" in again.stdout
    ok = runner.invoke(app, ["register", "verify"])
    assert ok.exit_code == 0 and "版本链完好" in ok.stdout
    out = runner.invoke(app, ["register", "export", str(env / "out")])
    assert out.exit_code == 0 and list((env / "out").glob("*.yaml"))
    backup = runner.invoke(app, ["register", "backup", str(env / "b.sqlite3")])
    assert backup.exit_code == 0 and (env / "b.sqlite3").is_file()
    assert runner.invoke(app, ["register", "backup", str(env / "b.sqlite3")]).exit_code == 2  # never overwrites
    with sqlite3.connect(env / "register.sqlite3") as conn:
        conn.execute("UPDATE versions SET text = 'rewritten' WHERE id = 1")
    broken = runner.invoke(app, ["register", "verify"])
    assert broken.exit_code == 1 and "被改写" in broken.stdout
    restored = runner.invoke(app, ["register", "restore", str(env / "b.sqlite3")])
    assert restored.exit_code == 0, restored.output
    assert runner.invoke(app, ["register", "verify"]).exit_code == 0


def test_digest_prints_the_cards_of_each_officer(env, runner):
    open_case(env / "in", "伊市商工罚〔2026〕801号", "张三")
    open_case(env / "in", "伊市商工罚〔2026〕802号", "李四")
    open_case(env / "in", "伊市商工罚〔2026〕803号", "李四", served="2026-04-17")
    assert runner.invoke(app, ["register", "import", str(env / "in")]).exit_code == 0
    out = runner.invoke(app, ["register", "digest", "--today", DIGEST_DAY])
    assert out.exit_code == 0, out.output
    assert "张三：截至 2026-04-21，红牌 0 件，黄牌 1 件" in out.stdout and "李四：截至 2026-04-21，红牌 0 件，黄牌 1 件" in out.stdout
    assert "803号" not in out.stdout  # served: nothing open
    late = runner.invoke(app, ["register", "digest", "--today", "2026-04-24"])
    assert "红牌 1 件" in late.stdout and "已逾期 1 日" in late.stdout
    calm = runner.invoke(app, ["register", "digest", "--today", "2026-04-01"])
    assert "没有红牌或黄牌的案件" in calm.stdout


def test_digest_sends_each_officer_theirs(env, runner, monkeypatch):
    pytest.importorskip("aiosmtpd", reason='需要 aiosmtpd：pip install ".[test]"')
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message
    from test_server_process import free_port

    received = []

    class Keep(Message):
        def handle_message(self, message) -> None:
            received.append(message)

    port = free_port()
    controller = Controller(Keep(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        open_case(env / "in", "伊市商工罚〔2026〕801号", "张三")
        open_case(env / "in", "伊市商工罚〔2026〕802号", "李四")
        assert runner.invoke(app, ["register", "import", str(env / "in")]).exit_code == 0
        monkeypatch.setenv("QUANZE_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("QUANZE_SMTP_PORT", str(port))
        out = runner.invoke(app, ["register", "digest", "--today", DIGEST_DAY, "--send",
                                  "--address", "张三=zhang@bureau.example", "--address", "李四=li@bureau.example"])
        assert out.exit_code == 0, out.output
    finally:
        controller.stop()
    by_address = {m["To"]: m for m in received}
    assert sorted(by_address) == ["li@bureau.example", "zhang@bureau.example"]
    from email.header import decode_header, make_header

    subject = str(make_header(decode_header(by_address["zhang@bureau.example"]["Subject"])))
    assert subject == f"案件期限提醒（{DIGEST_DAY}）：张三"
    zhang = by_address["zhang@bureau.example"]
    body = zhang.get_payload(decode=True).decode("utf-8")
    assert "801号" in body and "802号" not in body and "黄牌" in body


def test_digest_send_without_a_server_says_what_to_set(env, runner):
    out = runner.invoke(app, ["register", "digest", "--send"])
    assert out.exit_code == 2 and "QUANZE_SMTP_HOST" in out.stderr


def test_digest_mails_go_to_the_accounts_addresses(env, runner, monkeypatch):
    pytest.importorskip("aiosmtpd", reason='需要 aiosmtpd：pip install ".[test]"')
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message
    from test_server_process import free_port

    from quanze.register.accounts import Accounts
    from quanze.register.store import Register

    received = []

    class Keep(Message):
        def handle_message(self, message) -> None:
            received.append(message)

    reg = Register()
    Accounts(reg).add("张三", "承办人", "correct horse battery", "工业信息化科", "zhang@bureau.example")
    reg.close()
    open_case(env / "in", "伊市商工罚〔2026〕801号", "张三")
    open_case(env / "in", "伊市商工罚〔2026〕802号", "李四")
    assert runner.invoke(app, ["register", "import", str(env / "in")]).exit_code == 0
    port = free_port()
    controller = Controller(Keep(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        monkeypatch.setenv("QUANZE_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("QUANZE_SMTP_PORT", str(port))
        out = runner.invoke(app, ["register", "digest", "--today", DIGEST_DAY, "--send"])
    finally:
        controller.stop()
    assert [m["To"] for m in received] == ["zhang@bureau.example"]
    assert out.exit_code == 2 and "未发送" in out.stderr and "李四" in out.stderr  # no address for 李四: said, not dropped
