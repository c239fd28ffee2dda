"""A reviewer's rules folder can neither hang nor crash check/serve (issue #18): each hostile folder as reported.

Each case runs ``quanze rules validate`` and ``quanze check`` as real processes with a timeout: both must
refuse the folder (exit 2, the reason in Chinese naming the file) in seconds, never hang, never exit 3.
The limits and the figures measured on durable-rules: engine/lang/limits.py.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from quanze.engine.lang.limits import MAX_IN_VALUES, MAX_RULES_PER_RULESET

LAWFUL_CF04 = Path(__file__).resolve().parent.parent / "cases" / "penalty" / "CF-04" / "lawful_general_tier.yaml"
QUANZE = shutil.which("quanze", path=str(Path(sys.executable).parent)) or shutil.which("quanze")
TIMEOUT = 60  # seconds per command; each finishes in a few (a hang is what is tested against)


def quanze(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QUANZE_NO_CACHE": "1", "COLUMNS": "200"}
    command = [str(QUANZE), *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=TIMEOUT, stdin=subprocess.DEVNULL)


def refused(folder: Path, *expect: str) -> str:
    """validate and check both refuse the folder with exit 2 and every expected text; their stderr."""
    validate = quanze("rules", "validate", str(folder))
    check = quanze("check", str(LAWFUL_CF04), "--rules", str(folder), "--format", "json")
    for result in (validate, check):
        assert result.returncode == 2, (result.returncode, result.stderr[-2000:])
        assert "Traceback" not in result.stderr and result.stdout == ""
        for text in expect:
            assert text in result.stderr, result.stderr[-2000:]
    return validate.stderr


def _check_file(folder: Path, name: str, rules: list[str]) -> None:
    head = ["kind: complaint", f"family: {name}", "rules:"]
    (folder / "checks" / f"{name}.yaml").write_text("\n".join(head + rules) + "\n", encoding="utf-8")


def _rule(rid: str, when: str) -> list[str]:
    basis = "    basis: [涉外劳务纠纷投诉举报处置办法 第十条]"
    return [f"  - id: {rid}", "    code: COMPLAINT_NOT_REGISTERED", f"    when: {when}", "    message: 测试", basis]


def test_a_long_in_list_is_refused_with_file_line_and_limit(rules_copy):
    """700 values in one `in:` list ran > 150 s in durable-rules; now a problem at the list's line."""
    values = ", ".join(f'"x{i}"' for i in range(700))
    _check_file(rules_copy, "biglist", _rule("big_in", f"{{fact: outcome, in: [{values}]}}"))
    err = refused(rules_copy, "rules/checks/biglist.yaml", f"in 列表有 700 个值，超过上限 {MAX_IN_VALUES}")
    assert "rules/checks/biglist.yaml: 第 6 行" in err


def test_a_list_within_the_cap_is_accepted(rules_copy):
    """Near miss: a list of MAX_IN_VALUES values (more than any shipped rule) is lawful rules."""
    values = ", ".join(f'"x{i}"' for i in range(MAX_IN_VALUES))
    _check_file(rules_copy, "biglist", _rule("big_in", f"{{fact: outcome, in: [{values}]}}"))
    result = quanze("rules", "validate", str(rules_copy))
    assert result.returncode == 0, result.stderr[-2000:]


def test_many_small_lists_past_the_ruleset_cap_are_refused(rules_copy):
    """Lists each under the cap, together past what one ruleset takes (512 distinct tests never return)."""
    rules = []
    for j in range(4):
        values = ", ".join(f'"y{j}_{i}"' for i in range(150))
        rules += _rule(f"wide_in_{j}", f"{{fact: outcome, in: [{values}]}}")
    _check_file(rules_copy, "widelists", rules)
    refused(rules_copy, "rules/items.yaml", "事项 QT-01 的规则集有", "个不同的比较，超过上限 400")


def test_300_extra_rules_are_refused_not_error_108(rules_copy):
    """300 rules with one condition: durable-rules error 108 (exit 3 before); 256 segfault."""
    rules = [line for i in range(300) for line in _rule(f"extra_{i}", "{fact: registered, eq: false}")]
    _check_file(rules_copy, "many", rules)
    refused(rules_copy, "rules/items.yaml", "事项 QT-01 的规则集有 3", f"条规则，超过上限 {MAX_RULES_PER_RULESET}")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_among_the_check_files_is_skipped_and_said(rules_copy):
    """A FIFO named checks/zz.yaml blocked validate and check for good; now reported, never opened."""
    os.mkfifo(rules_copy / "checks" / "zz.yaml")
    refused(rules_copy, "rules/checks/zz.yaml", "不是普通文件")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_scoring_file_is_skipped_and_said(rules_copy):
    (rules_copy / "scoring.yaml").unlink()
    os.mkfifo(rules_copy / "scoring.yaml")
    refused(rules_copy, "rules/scoring.yaml", "不是普通文件")


@pytest.mark.parametrize("digits", [400, 5000])
def test_a_huge_param_is_refused(rules_copy, digits):
    """A 400-digit (or 5,000-digit: past Python's int printing limit) 较大数额 threshold in params."""
    path = rules_copy / "params" / "xzcf.yaml"
    text = path.read_text(encoding="utf-8")
    assert "organization: 20000\n" in text
    path.write_text(text.replace("organization: 20000\n", f"organization: 2{'0' * digits}\n", 1), encoding="utf-8")
    refused(rules_copy, "rules/params/xzcf.yaml", "绝对值不超过 10^15")


def test_a_huge_fine_bound_is_refused(rules_copy):
    """A 400-digit `max` of a fine (exit 3 in check before)."""
    path = rules_copy / "provisions" / "jieneng" / "a76.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("max: 100000", f"max: 1{'0' * 400}"), encoding="utf-8")
    refused(rules_copy, "rules/provisions/jieneng/a76.yaml", "超出 durable-rules 可比较的范围")


@pytest.mark.parametrize("literal", ["1.0e+400", ".inf", "-.inf", ".nan", f"1{'0' * 400}"])
def test_a_non_finite_or_huge_literal_in_a_condition_is_refused(rules_copy, literal):
    _check_file(rules_copy, "huge", _rule("huge_fee", f"{{fact: fee_charged, gt: {literal}}}"))
    refused(rules_copy, "rules/checks/huge.yaml: 第 6 行")


def test_a_number_at_the_limit_is_accepted(rules_copy):
    """Near miss: 10^15 itself compares exactly."""
    _check_file(rules_copy, "big_ok", _rule("big_fee", f"{{fact: fee_charged, gt: {10**15}}}"))
    result = quanze("rules", "validate", str(rules_copy))
    assert result.returncode == 0, result.stderr[-2000:]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_serve_refuses_a_hostile_folder_before_listening(rules_copy):
    """`QUANZE_RULES=DIR quanze serve` with a FIFO and a long in-list: exit 2 with both reasons, no server, no hang."""
    import socket

    os.mkfifo(rules_copy / "checks" / "zz.yaml")
    values = ", ".join(f'"x{i}"' for i in range(700))
    _check_file(rules_copy, "biglist", _rule("big_in", f"{{fact: outcome, in: [{values}]}}"))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "QUANZE_NO_CACHE": "1", "QUANZE_RULES": str(rules_copy), "COLUMNS": "200"}
    result = subprocess.run(
        [str(QUANZE), "serve", "--port", str(port)], capture_output=True, text=True, env=env, timeout=TIMEOUT, stdin=subprocess.DEVNULL
    )
    assert result.returncode == 2, result.stderr[-2000:]
    assert "rules/checks/zz.yaml" in result.stderr and "不是普通文件" in result.stderr
    assert "in 列表有 700 个值" in result.stderr and "Traceback" not in result.stderr


def test_a_rules_file_linked_to_a_huge_sparse_file_is_refused_before_it_is_read(rules_copy, tmp_path):
    """Round two: a rules file that is a link to a 1 GiB sparse file was read whole (exit 3 or 4.6 GB RSS)."""
    big = tmp_path / "big.yaml"
    with open(big, "wb") as fh:
        fh.truncate(1024**3)
    (rules_copy / "findings.yaml").unlink()
    (rules_copy / "findings.yaml").symlink_to(big)
    refused(rules_copy, "findings.yaml", "文件大小 1073741824 字节，超过上限")
