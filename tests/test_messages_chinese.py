"""Every message a user meets on a bad input is Chinese (issue #30 §3): the error paths of each CLI subcommand that are
cheap to reach (bad file, missing field, bad date, bad option, broken YAML and JSON) and the API's 4xx answers.

A message passes when it holds Chinese and no English sentence; codes, field paths, file names, options, environment
variables and ``quanze …`` command lines are allowed (they are what the user types or searches for).
"""

from __future__ import annotations

import json
import re
import socket
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from conftest import CASES
from quanze.cli.main import app
from quanze.web.app import create_app

_ALLOWED = re.compile(
    r"quanze(?: [a-z][a-z-]*)*"  # a command line
    r"|--?[A-Za-z][\w-]*"  # an option
    r"|[\w./-]+\.(?:yaml|yml|json|docx|pdf|txt|html|jsonl|csv|xlsx|sqlite3)\b"  # a file name
    r"|\b[A-Za-z_][\w]*(?:[.\[][\w\]]*)+"  # a field path (decision.sanctions[0].amount)
    r"|https?://\S+"
)
_SENTENCE = re.compile(r"\b[A-Za-z][a-z']+(?:,? [A-Za-z][a-z']+){2,}\b")  # three English words in a row
_CHINESE = re.compile(r"[\u4e00-\u9fff]")


def english_in(line: str) -> str | None:
    """The English sentence in a message line, or why the line is not Chinese; None when it is fine."""
    if not _CHINESE.search(line):
        return f"no Chinese: {line!r}"
    found = _SENTENCE.search(_ALLOWED.sub(" ", line))
    return f"English {found.group(0)!r} in {line!r}" if found else None


def test_the_detector_finds_english_and_allows_codes_paths_and_commands():
    assert english_in("请求: 第 1 行: JSON 语法错误: Expecting property name enclosed in double quotes")
    assert english_in("错误：“--workers”的值无效：Input should be greater than or equal to 1")
    assert english_in("Missing argument 'FILE'.")
    assert english_in("baddate.yaml: 决定日期 decision.decided_on: 不存在的日期, 实际为 \"2024-13-45\"") is None
    assert english_in("案例: x: 找不到案例；quanze cases list 列出全部案例（CF-04、FINE_ABOVE_MAX）") is None


BROKEN_YAML = ["a: [1, 2", "a: b: c", "a: 'x", "a: *x", "a: &x 1\nb: &x 2", "- a\nb: 1", "a: 1\n---\nb: 2", 'a: "\\q"',
               "a: !e!x 1", "%YAML 1.1\n%YAML 1.1\n---\na: 1", "a: &\n", "[1, 2]]", "a: b\n\t- c", "? [a, b]\n: 1\n"]
BROKEN_JSON = ["{", '{"a" 1}', '{"a": 1 "b"}', '"abc', '"a\nb"', '"\\q"', '"\\u12"', "1 2", "[1,]", "{'a': 1}", ""]


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("bad")
    (tmp / "baddate.yaml").write_text("kind: penalty\nitem: CF-04\ndecision:\n  decided_on: 2024-13-45\n", encoding="utf-8")
    (tmp / "missing.yaml").write_text("kind: penalty\n", encoding="utf-8")
    (tmp / "nokind.yaml").write_text("kind: nope\n", encoding="utf-8")
    (tmp / "list.json").write_text("[]", encoding="utf-8")
    for i, text in enumerate(BROKEN_YAML):
        (tmp / f"broken{i}.yaml").write_text(text, encoding="utf-8")
    for i, text in enumerate(BROKEN_JSON):
        (tmp / f"broken{i}.json").write_text(text, encoding="utf-8")
    return tmp


def _cli_calls(d: Path, busy_port: int) -> list[list[str]]:
    case = str(CASES / "penalty/CF-04/fine_above_max.yaml")
    calls = [["check", str(p)] for p in sorted(d.iterdir())]
    calls += [
        ["check", str(d / "nofile.yaml")], ["check"], ["check", "--bogus", case], ["check", "--format", "nope", case],
        ["check", "--format", "docx", case, "--out", str(d / "x.docx"), "--template", str(d / "missing.yaml")],
        ["explain", str(d / "baddate.yaml")], ["explain"], ["diff", str(d)],
        ["diff", "--base", str(d / "none"), "--changed", str(d), str(d)],
        ["review", str(d / "none")], ["review", str(d), "--jobs", "x"], ["review", str(d), "--timeout", "abc"],
        ["schema", "nokind"], ["new", "NOPE-99"], ["new"], ["new", "CF-04", "--stage", "bogus"],
        ["serve", "--port", "notaport"], ["serve", "--port", "99999999"], ["serve", "--workers", "0"],
        ["serve", "--port", str(busy_port)],
        ["deadlines", str(d / "nofile.yaml")], ["deadlines", str(d / "baddate.yaml")],
        ["deadlines", case, "--today", "2024-99-99"], ["deadlines", case, "--today", "0001-01-01"], ["deadlines", case, "--today", "abc"],
        ["read", str(d / "nofile")], ["read", str(d / "missing.yaml")],
        ["document", "nope", case, "--out", str(d / "x.docx")], ["document", "notice", str(d / "baddate.yaml"), "--out", str(d / "x.docx")],
        ["document", "notice", case],
        ["rules", "show", "NOPE"], ["rules", "validate", str(d / "none")], ["rules", "validate", str(d)],
        ["rules", "audit", "--on", "2024-99-01"], ["rules", "list", "--bogus"],
        ["cases", "run", str(d / "none")], ["cases", "list", "--item", "NOPE"], ["cases", "show", "nocase"],
        ["cases", "handout", "nocase", "--out", str(d / "x.html")], ["cases", "new", "NOPE-1", "x"],
        ["register", "import", str(d / "none")], ["register", "export"], ["register", "restore", str(d / "nofile")],
        ["register", "digest", "--bogus"], ["users", "add", "x", "--role", "管理员"],
        ["users", "add", "x", "--role", "bogus", "--password-stdin"],
        ["users", "token", "nobody"], ["users", "disable", "nobody"], ["nosuchcommand"],
    ]
    return calls


def test_every_cli_error_path_speaks_chinese(runner, files):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        bad: list[str] = []
        for args in _cli_calls(files, busy.getsockname()[1]):
            res = runner.invoke(app, args, input="short\n")
            assert res.exit_code != 0, args
            assert res.exit_code in (1, 2), (args, res.exit_code, res.stderr)
            lines = [line for line in res.stderr.splitlines() if line.strip()]
            assert lines, (args, res.stdout)
            bad += [f"quanze {' '.join(args)}: {why}" for why in map(english_in, lines) if why]
    assert bad == []


def _api_calls() -> list[tuple[str, str, bytes | None, dict[str, str]]]:
    js, ym = {"Content-Type": "application/json"}, {"Content-Type": "application/yaml"}
    calls: list[tuple[str, str, bytes | None, dict[str, str]]] = [
        ("GET", "/api/v1/items/NOPE", None, {}), ("GET", "/api/v1/schema/nokind", None, {}), ("GET", "/api/v1/basis", None, {}),
        ("GET", "/api/v1/basis?label=x", None, {}), ("GET", "/api/v1/basis?label=x&on=2024-99-01", None, {}),
        ("GET", "/api/v1/cases?limit=abc", None, {}), ("GET", "/api/v1/cases?limit=-1", None, {}), ("GET", "/api/v1/nope", None, {}),
        ("DELETE", "/api/v1/items", None, {}), ("POST", "/api/v1/check", b"[]", js), ("POST", "/api/v1/check", b'{"kind": "penalty"}', js),
        ("POST", "/api/v1/check", b'{"kind": "penalty", "item": "CF-04", "decision": {"decided_on": "2024-13-45"}}', js),
        ("POST", "/api/v1/check?explain=maybe", b"{}", js), ("POST", "/api/v1/check", b"\xff\xfe", js),
        ("POST", "/api/v1/check", b"{}", {"Content-Type": "text/plain"}), ("POST", "/api/v1/check", b"x" * 1_100_000, js),
        ("POST", "/api/v1/check:batch", b"{}", js), ("POST", "/api/v1/deadlines?today=2024-99-99", b"{}", js),
        ("POST", "/api/v1/deadlines?today=abc", b"{}", js), ("POST", "/api/v1/opinion", b"{}", js),
        ("POST", "/api/v1/document/nope", b"{}", js), ("POST", "/api/v1/read", b"xx", {"Content-Type": "application/pdf"}),
        ("POST", "/api/v1/yaml", b"[1]", js), ("POST", "/api/v1/check?rules_version=x", b"{}", js),
    ]
    calls += [("POST", "/api/v1/check", text.encode(), ym) for text in BROKEN_YAML]
    calls += [("POST", "/api/v1/parse", text.encode(), js) for text in BROKEN_JSON]
    return calls


def test_every_api_4xx_answer_speaks_chinese():
    bad: list[str] = []
    with TestClient(create_app(warm_up=False)) as c:
        for method, path, body, headers in _api_calls():
            res = c.request(method, path, content=body, headers=headers)
            assert 400 <= res.status_code < 500, (method, path, res.status_code, res.text[:200])
            lines = res.json()["lines"]
            assert lines, (method, path)
            bad += [f"{method} {path}: {why}" for why in map(english_in, lines) if why]
            bad += [f"{method} {path}: {why}" for p in res.json()["problems"] if (why := english_in(p["message"]))]
    assert bad == [], json.dumps(bad, ensure_ascii=False, indent=1)
