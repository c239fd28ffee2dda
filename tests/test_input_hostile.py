"""Hostile drafts are input errors naming file and field, quickly, never a traceback or a hang (issue 13)."""

from __future__ import annotations

import json
import os
import time

import pytest

from helpers import CASES, sample
from quanze.cli.main import app
from quanze.engine.model.drafts import MAX_DRAFT_BYTES, distinct_officers, parse_text, read_draft, validate_draft
from quanze.engine.model.errors import InputError, show_value

LAWFUL = "penalty/CF-04/lawful_general_tier.yaml"


def _problems(call) -> list[str]:
    with pytest.raises(InputError) as info:
        call()
    return [str(p) for p in info.value.problems]


def test_json_duplicate_key_is_refused_like_yaml():
    lines = _problems(lambda: parse_text('{"kind": "penalty", "kind": "filing"}', "d.json", as_json=True))
    assert lines == ['d.json: JSON 中有重复的键 "kind"（同一键只能出现一次）']


def test_json_nan_infinity_and_huge_numbers_are_input_errors():
    for text in ('{"a": NaN}', '{"a": Infinity}', '{"a": 1e999}', '{"a": ' + "9" * 5000 + "}"):
        assert _problems(lambda t=text: parse_text(t, "d.json", as_json=True))


def test_yaml_integer_of_thousands_of_digits_is_exit_2_not_a_crash(runner, tmp_path):
    """A YAML draft with a 5,000-digit integer (Python refuses to read one over 4,300 digits) used to exit 3."""
    path = tmp_path / "d.yaml"
    text = (CASES / LAWFUL).read_text(encoding="utf-8")
    path.write_text(text + "\nextra_number: " + "9" * 5000 + "\n", encoding="utf-8")
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 2 and "位数过多" in result.stderr and "Traceback" not in result.output, result.output


@pytest.mark.parametrize("as_json", [True, False])
def test_lone_surrogate_is_an_input_error_naming_the_field(as_json):
    raw = sample(LAWFUL)
    raw["party"]["name"] = "某公司\ud800"
    text = json.dumps(raw, ensure_ascii=True, default=str) if as_json else 'kind: penalty\nparty: {name: "x\\ud800"}\n'
    lines = _problems(lambda: parse_text(text, "d", as_json=as_json))
    assert len(lines) == 1 and "孤立的代理项" in lines[0]
    assert "party.name" in lines[0] if as_json else "第 2 行" in lines[0]  # libyaml refuses the escape itself
    lines[0].encode("utf-8")  # the message itself is valid UTF-8


def test_lone_surrogate_in_a_json_draft_gives_exit_2_and_utf8_output(runner, tmp_path):
    raw = sample(LAWFUL)
    raw["people"]["handler"] = "\udcff张三"
    path = tmp_path / "d.json"
    path.write_text(json.dumps(raw, ensure_ascii=True, default=str), encoding="utf-8")
    result = runner.invoke(app, ["check", str(path), "--format", "json"])
    assert result.exit_code == 2 and "people.handler" in result.stderr
    result.stderr_bytes.decode("utf-8")


def test_file_name_that_is_not_utf8_is_shown_and_output_stays_utf8(runner, tmp_path):
    name = os.fsdecode(b"draft-\xff.yaml")
    (tmp_path / name).write_bytes(b"kind: penalty\n")
    result = runner.invoke(app, ["review", str(tmp_path), "--format", "json", "--out", str(tmp_path / "out" / "r")])
    assert result.exit_code == 2
    summary = json.loads(result.stdout_bytes.decode("utf-8"))
    assert summary["files"] == 1 and "\ufffd" in summary["problems"][0]["file"]
    (tmp_path / "out" / "r.jsonl").read_bytes().decode("utf-8")


def test_oversized_draft_is_refused_before_parsing(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_bytes(b"kind: penalty\n" + b"#" * MAX_DRAFT_BYTES)
    (line,) = _problems(lambda: read_draft(path))
    assert "超过上限" in line and str(path) in line


def test_fifo_and_folder_are_refused_at_once_not_waited_on(runner, tmp_path):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    (line,) = _problems(lambda: read_draft(fifo))
    assert "不是普通文件（命名管道 FIFO）" in line
    (line,) = _problems(lambda: read_draft(tmp_path))
    assert "不是普通文件（目录）" in line
    result = runner.invoke(app, ["check", str(fifo)])
    assert result.exit_code == 2 and "命名管道" in result.stderr


def test_yaml_alias_bomb_is_refused_quickly_with_a_short_message():
    bomb = "a: &a [x,x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 10) + "]\n" for i in range(8)
    )
    start = time.perf_counter()
    (line,) = _problems(lambda: parse_text(bomb, "bomb.yaml"))
    assert time.perf_counter() - start < 1.0  # a sanity bound, not a benchmark: expanding it would take hours
    assert "别名" in line and len(line) < 120


def test_alias_referring_to_itself_is_refused():
    (line,) = _problems(lambda: parse_text("a: &a [*a]\n", "loop.yaml"))
    assert "循环" in line


@pytest.mark.parametrize("as_json", [True, False])
def test_nesting_deeper_than_the_limit_is_refused(as_json):
    for depth in (40, 5000):
        text = '{"kind": ' + "[" * depth + "]" * depth + "}"
        (line,) = _problems(lambda t=text: parse_text(t, "deep", as_json=as_json))
        assert "嵌套过深" in line


def test_show_value_quotes_at_most_about_80_characters_of_a_huge_value():
    huge: list = ["y" * 10_000]
    for _ in range(30):
        huge = [huge, huge]  # 2**30 leaves if expanded
    start = time.perf_counter()
    text = show_value(huge)
    assert time.perf_counter() - start < 1.0 and len(text) <= 80


def test_impossible_orders_of_dates_are_reported_together_with_schema_problems():
    raw = sample(LAWFUL)
    raw["procedure"]["served_on"] = "2026-05-20"  # before the decision (2026-05-25)
    raw["procedure"]["hearing"]["held_on"] = "2026-05-07"  # before its notice (2026-05-08)
    raw["violation"]["discovered_on"] = "2026-02-01"  # before the act (2026-02-10)
    raw["party"]["type"] = "company"  # a schema problem as well
    lines = _problems(lambda: validate_draft(raw, "d.yaml"))
    fields = [line.split(": ")[1] for line in lines]
    assert fields == ["party.type", "violation.discovered_on", "procedure.served_on", "procedure.hearing.held_on"]
    assert all("请核对日期" in line for line in lines[1:])


def test_act_committed_after_the_decision_is_an_input_error():
    raw = sample(LAWFUL)
    raw["violation"]["committed_on"] = "2026-06-01"
    raw["violation"]["discovered_on"] = "2026-06-02"
    lines = _problems(lambda: validate_draft(raw, "d.yaml"))
    assert any("violation.committed_on" in line or "decision.decided_on" in line for line in lines)
    assert any("不能处罚决定之后才发生的行为" in line for line in lines)


def test_dates_far_in_the_past_or_future_are_refused_without_counting_days(runner, tmp_path):
    raw = sample(LAWFUL)
    raw["decision"]["decided_on"] = "9999-12-31"
    raw["procedure"]["filed_on"] = "0001-01-01"
    path = tmp_path / "d.json"
    path.write_text(json.dumps(raw, default=str, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(app, ["check", str(path)])  # refused before any day is counted
    assert result.exit_code == 2
    assert "decision.decided_on: 日期 9999-12-31 超出可检查的范围（1990 年至" in result.stderr
    assert "procedure.filed_on: 日期 0001-01-01 超出可检查的范围（1990 年至" in result.stderr


def test_date_bound_follows_the_decision_year():
    raw = sample(LAWFUL)  # decided 2026-05-25
    raw["violation"]["rectification"] = {"ordered_on": "2031-12-31", "deadline": "2032-01-01", "met": None}
    lines = _problems(lambda: validate_draft(raw, "d.yaml"))
    assert [line.split(": ")[1] for line in lines] == ["violation.rectification.deadline"]
    assert "1990 年至 2031 年" in lines[0]


def test_filing_inspection_and_complaint_impossible_orders():
    filing = sample("filing/QT-06/decided_overdue.yaml")
    filing["dates"]["decided_on"] = "2026-09-27"  # the day before it was submitted
    assert any("办结日期早于提交日期" in line for line in _problems(lambda: validate_draft(filing, "f.yaml")))
    raw = sample("complaint/QT-01/handled_in_time.yaml")
    raw["received_on"] = "2000-01-01"
    raw["verified_on"] = "1999-12-31"
    assert any("核查日期早于收到" in line for line in _problems(lambda: validate_draft(raw, "c.yaml")))


def test_same_officer_listed_twice_counts_once_and_namesakes_count_twice():
    raw = sample(LAWFUL)
    zhang = raw["procedure"]["officers"][0]
    same = validate_draft({**raw, "procedure": {**raw["procedure"], "officers": [zhang, dict(zhang)]}}, "d")
    assert len(distinct_officers(same.procedure.officers)) == 1
    namesake = {"name": zhang["name"], "certificate": "65010000999"}
    two = validate_draft({**raw, "procedure": {**raw["procedure"], "officers": [zhang, namesake]}}, "d")
    assert len(distinct_officers(two.procedure.officers)) == 2


def test_one_certificate_under_two_names_is_an_input_error():
    raw = sample(LAWFUL)
    raw["procedure"]["officers"][1]["certificate"] = raw["procedure"]["officers"][0]["certificate"]
    (line,) = _problems(lambda: validate_draft(raw, "d.yaml"))
    assert line.startswith("d.yaml: procedure.officers[1].certificate: ") and "一人一证" in line


def test_texts_reaching_durable_rules_are_capped(monkeypatch):
    from quanze.engine.lang import evaluate

    seen = []
    original = evaluate._dre.assert_fact
    monkeypatch.setattr(evaluate._dre, "assert_fact", lambda handle, doc: seen.append(doc) or original(handle, doc))
    raw = sample("inspection/JC-08/seizure_approved.yaml")
    raw["matters"] = ["某" * 200_000]
    raw["approvals"][0]["approved_by"] = "主" * 200_000
    from quanze.engine.check.checker import check
    from quanze.engine.load.loader import load_rules

    result = check(validate_draft(raw, "d.yaml"), load_rules(), "d.yaml")
    assert "INSPECTION_SCOPE_EXCEEDED" in [f.code for f in result.findings]
    document = json.loads(seen[-1])
    assert max(len(v) for v in document.values() if isinstance(v, str)) <= evaluate.MAX_FACT_CHARS


def test_python_and_custom_yaml_tags_are_refused_in_chinese_and_never_run():
    for text in ("kind: !!python/object/apply:os.system ['echo pwned']\n", "kind: !custom x\n"):
        (line,) = _problems(lambda t=text: parse_text(t, "tag.yaml"))
        assert "不支持的标签" in line and "constructor" not in line


@pytest.mark.parametrize("text", ["? [a, b]\n: 1\n", "kind: penalty\n? {a: 1}\n: 2\n", "- ? [x]\n  : y\n"])
def test_a_complex_yaml_key_is_exit_2_naming_the_line(runner, tmp_path, text):
    """Round two: ``? [a, b]`` as a key was a TypeError (exit 3, 内部错误)."""
    path = tmp_path / "d.yaml"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 2 and "复杂键" in result.stderr and "内部错误" not in result.stderr


@pytest.mark.parametrize("today", ["0001-01-01", "9999-12-31"])
def test_a_count_from_a_day_outside_the_checkable_years_is_refused(runner, today):
    """Round two: ``--today 0001-01-01`` cost 30× and printed 剩余 527186 个工作日; the one bound is api.day_of."""
    result = runner.invoke(app, ["deadlines", str(CASES / LAWFUL), "--today", today])
    assert result.exit_code == 2 and f"--today: 日期 {today} 超出可计算的范围（1990 年至" in result.stderr
    assert "工作日" not in result.stdout


def _outside_link(tmp_path):
    """A folder of one sample case and a link to / beside it."""
    import shutil

    folder = tmp_path / "cases"
    (folder / "CF-04").mkdir(parents=True)
    for name in ("fine_above_max.yaml", "fine_above_max.expect.yaml"):
        shutil.copy(CASES / "penalty/CF-04" / name, folder / "CF-04" / name)
    (folder / "root").symlink_to("/")
    (folder / "inner").symlink_to(folder / "CF-04")  # a link that stays inside is still followed
    return folder


@pytest.mark.parametrize("command", ["review", "deadlines", "diff", "cases"])
def test_folder_walks_do_not_follow_a_link_out_of_the_folder(tmp_path, command):
    """Round two: ``ln -s / cases/x; quanze deadlines cases`` did not answer in 20 s; outside paths landed in reports."""
    import subprocess

    from test_server_process import QUANZE

    folder = _outside_link(tmp_path)
    args = {"review": ["review", str(folder), "--format", "json"], "deadlines": ["deadlines", str(folder), "--format", "json"],
            "diff": ["diff", "--base", str(CASES.parent / "rules"), "--changed", str(CASES.parent / "rules"), str(folder)],
            "cases": ["cases", "run", str(folder)]}[command]
    proc = subprocess.run([QUANZE, *args], capture_output=True, text=True, timeout=60, env={**os.environ, "COLUMNS": "200"})
    assert "root: 指向所查目录之外的文件夹链接，未进入" in proc.stderr + proc.stdout, proc.stderr[-800:]
    assert "/etc" not in proc.stdout and "/usr" not in proc.stdout and "Traceback" not in proc.stderr
    assert "fine_above_max.yaml" in proc.stdout or "1 passed" in proc.stdout or command == "diff"
