"""Issue 18, a hostile round on the outputs: planted symlinks, half-written reports, terminal escapes from
draft text, one officer counted twice through invisible characters, a control character in the docx,
a stopped worker, workers outliving a killed review, file names that display alike."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

import quanze.engine.batch.review as review_module
from conftest import CASES
from helpers import sample
from quanze.cli.main import app
from quanze.engine.batch.pages import write_reports
from quanze.engine.batch.review import review, summarize
from quanze.engine.check.checker import check
from quanze.engine.model.drafts import distinct_officers, identity, validate_draft
from quanze.engine.model.text import shown

LAWFUL = "penalty/CF-04/lawful_general_tier.yaml"
NOBODY = 65534
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork, /proc and prctl")
as_root = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="chown to another user needs root")


def _write(path: Path, raw: dict) -> Path:
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _victim(tmp_path: Path) -> Path:
    victim = tmp_path / "victim.txt"
    victim.write_text("他人的文件", encoding="utf-8")
    return victim


# --- writing through a planted symlink ---------------------------------------------------------


def test_review_out_through_a_planted_symlink_is_refused_and_the_target_untouched(runner, tmp_path):
    victim = _victim(tmp_path)
    shared = tmp_path / "shared"  # a folder another account can write, like /tmp
    shared.mkdir()
    (shared / "report.html").symlink_to(victim)
    result = runner.invoke(app, ["review", str(CASES / "penalty/CF-04"), "--out", str(shared / "report")])
    assert result.exit_code == 2
    assert "符号链接" in result.stderr and "--out" in result.stderr and "Traceback" not in result.stderr
    assert victim.read_text(encoding="utf-8") == "他人的文件"
    assert not (shared / "report.jsonl").exists()  # nothing written: the check comes before the run


def test_docx_out_through_a_planted_symlink_is_refused(runner, tmp_path):
    victim = _victim(tmp_path)
    link = tmp_path / "意见.docx"
    link.symlink_to(victim)
    result = runner.invoke(app, ["check", str(CASES / LAWFUL), "--format", "docx", "--out", str(link)])
    assert result.exit_code == 2 and "符号链接" in result.stderr
    assert victim.read_text(encoding="utf-8") == "他人的文件" and link.is_symlink()


@pytest.mark.parametrize("dangling", [True, False])
def test_new_out_and_cases_new_never_write_through_a_link(runner, tmp_path, dangling):
    """Round two: ``new --out`` and ``cases new`` go through safeio as every --out does (a dangling link was followed)."""
    target = tmp_path / "elsewhere" / "created.txt"
    target.parent.mkdir()
    if not dangling:
        target.write_text("他人的文件", encoding="utf-8")
    link = tmp_path / "draft.yaml"
    link.symlink_to(target)
    result = runner.invoke(app, ["new", "CF-04", "--out", str(link)])
    assert result.exit_code == 2 and "已存在" in result.stderr and "Traceback" not in result.stderr
    assert target.exists() != dangling and link.is_symlink()
    cases = tmp_path / "cases"
    (cases / "penalty" / "CF-04").mkdir(parents=True)
    (cases / "penalty" / "CF-04" / "mine.expect.yaml").symlink_to(target)  # the second of the two files
    result = runner.invoke(app, ["cases", "new", "CF-04", "mine", "--dir", str(cases)])
    assert result.exit_code == 2 and "Traceback" not in result.stderr, result.output
    assert target.exists() != dangling
    assert not (cases / "penalty" / "CF-04" / "mine.yaml").exists()  # one step: neither file was written


def test_new_out_writes_a_new_file_and_refuses_an_existing_one(runner, tmp_path):
    out = tmp_path / "d.yaml"
    assert runner.invoke(app, ["new", "CF-04", "--out", str(out)]).exit_code == 0
    first = out.read_bytes()
    result = runner.invoke(app, ["new", "CF-04", "--out", str(out)])
    assert result.exit_code == 2 and "已存在" in result.stderr and out.read_bytes() == first
    assert [p.name for p in tmp_path.iterdir()] == ["d.yaml"]  # no temporary file left


def test_a_write_without_permission_is_worded_as_a_write_problem():
    import errno

    from quanze.engine.model.safeio import os_reason
    from quanze.engine.model.text import os_words

    assert os_reason(PermissionError(errno.EACCES, "Permission denied")) == "没有写入权限"
    assert os_reason(PermissionError(errno.EACCES, "Permission denied"), writing=False) == "没有读取权限"
    assert "读取" not in os_words("Permission denied")  # the generic wording names neither


@linux_only
def test_sigterm_while_a_report_is_staged_leaves_no_hidden_tmp(tmp_path):
    """A SIGTERM (systemd stop, timeout(1)) during the write: the staged file is removed, the process still ends by the signal."""
    script = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from quanze.engine.model.safeio import write_all\n"
        "def slow(fh):\n"
        "    fh.write(b'x' * 1000)\n"
        "    print('staged', flush=True)\n"
        "    time.sleep(30)\n"
        "write_all([(Path(sys.argv[1]) / 'r.jsonl', b'{}'), (Path(sys.argv[1]) / 'r.html', slow)])\n"
    )
    with subprocess.Popen([sys.executable, "-c", script, str(tmp_path)], stdout=subprocess.PIPE, text=True) as proc:
        try:
            assert proc.stdout.readline().strip() == "staged"
            assert len(list(tmp_path.glob(".*.tmp"))) == 2
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=10) == -signal.SIGTERM
        finally:
            proc.kill()
    assert list(tmp_path.iterdir()) == []


def test_a_link_planted_during_the_run_is_not_followed(rules, tmp_path):
    """Between the check of --out and the write: the rename replaces the link itself, never its target."""
    victim = _victim(tmp_path)
    base = tmp_path / "out" / "r"
    base.parent.mkdir()
    entries = list(review([CASES / LAWFUL], rules))
    (tmp_path / "out" / "r.jsonl").symlink_to(victim)
    from quanze.engine.model.errors import InputError

    with pytest.raises(InputError, match="符号链接"):
        write_reports(base, entries, summarize(entries), rules=rules)
    assert victim.read_text(encoding="utf-8") == "他人的文件"
    assert not list(base.parent.glob(".*.tmp"))  # no temporary file left behind


@as_root
def test_another_users_file_or_folder_is_refused(runner, tmp_path):
    theirs = tmp_path / "theirs.jsonl"
    theirs.write_text("x", encoding="utf-8")
    os.chown(theirs, NOBODY, NOBODY)
    result = runner.invoke(app, ["review", str(CASES / "penalty/CF-04"), "--out", str(tmp_path / "theirs")])
    assert result.exit_code == 2 and "属于其他用户" in result.stderr and theirs.read_text(encoding="utf-8") == "x"
    folder = tmp_path / "their_folder"
    folder.mkdir(mode=0o777)
    os.chown(folder, NOBODY, NOBODY)  # its owner could replace or read what we write there
    result = runner.invoke(app, ["review", str(CASES / "penalty/CF-04"), "--out", str(folder / "r")])
    assert result.exit_code == 2 and "目录属于其他用户" in result.stderr
    sticky = tmp_path / "tmp_like"  # like /tmp: others cannot rename our files there
    sticky.mkdir()
    os.chown(sticky, NOBODY, NOBODY)
    sticky.chmod(0o1777)
    result = runner.invoke(app, ["review", str(CASES / "penalty/CF-04"), "--out", str(sticky / "r")])
    assert result.exit_code in (0, 1) and (sticky / "r.html").is_file()


# --- reports written atomically, as a pair ------------------------------------------------------


def _pair_ok(base: Path) -> tuple[int, bool]:
    """(lines of the JSONL, whether the HTML names that JSONL's SHA-256)."""
    import hashlib
    import re

    data = base.with_name(base.name + ".jsonl").read_bytes()
    page = base.with_name(base.name + ".html").read_text(encoding="utf-8")
    m = re.search(r'<meta name="quanze-jsonl" content="sha256=([0-9a-f]{64}) lines=(\d+)">', page)
    for line in data.decode("utf-8").splitlines():
        json.loads(line)
    lines = data.count(b"\n")
    return lines, bool(m and m.group(1) == hashlib.sha256(data).hexdigest() and int(m.group(2)) == lines)


_WRITER = """
import sys
from pathlib import Path
from quanze.engine.batch.pages import write_reports
from quanze.engine.batch.review import summarize
from quanze.engine.model.errors import Problem
entry = {"file": "x.yaml", "checked": False, "reason": "input_error", "problems": [Problem("x.yaml", "", "问题" * 200)]}
entries = [dict(entry, file=f"f{i}.yaml") for i in range(int(sys.argv[2]))]
write_reports(Path(sys.argv[1]), entries, summarize(entries))
print("done", flush=True)
"""


@linux_only
def test_kill_9_while_writing_leaves_the_previous_pair_or_the_new_one(tmp_path):
    base = tmp_path / "out" / "report"
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    subprocess.run([sys.executable, "-c", _WRITER, str(base), "50"], check=True, env=env, timeout=60)
    assert _pair_ok(base) == (50, True)
    outcomes = set()
    for delay in (0.0, 0.05, 0.1, 0.2, 0.4):  # bounded: 5 runs, each killed or finished within 60 s
        proc = subprocess.Popen([sys.executable, "-c", _WRITER, str(base), "10000"], stdout=subprocess.DEVNULL, env=env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            if list(base.parent.glob(".*.tmp")):  # writing has begun
                time.sleep(delay)
                break
            time.sleep(0.005)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        lines, paired = _pair_ok(base)
        assert paired, f"JSONL of {lines} lines beside an HTML of another run"
        assert lines in (50, 10000)
        outcomes.add(lines)
        subprocess.run([sys.executable, "-c", _WRITER, str(base), "50"], check=True, env=env, timeout=60)
    print("kill -9 outcomes (lines of the JSONL left):", sorted(outcomes))
    for stale in base.parent.glob(".*.tmp"):  # what a killed writer leaves is only its temporary file
        assert stale.name.startswith((".report.jsonl.", ".report.html.", ".report.csv.", ".report.xlsx."))


def test_a_failure_while_writing_the_page_keeps_the_previous_pair(rules, tmp_path, monkeypatch):
    base = tmp_path / "r"
    entries = list(review([CASES / LAWFUL], rules))
    write_reports(base, entries, summarize(entries), rules=rules)
    before = (tmp_path / "r.jsonl").read_bytes(), (tmp_path / "r.html").read_bytes()
    import quanze.engine.model.safeio as safeio

    real = safeio.os.replace
    calls = []

    def fail_second(src, dst):
        calls.append(dst)
        if len(calls) == 1:
            raise OSError(28, "No space left on device")
        return real(src, dst)

    monkeypatch.setattr(safeio.os, "replace", fail_second)
    more = entries * 3
    with pytest.raises(OSError):
        write_reports(base, more, summarize(more), rules=rules)
    assert ((tmp_path / "r.jsonl").read_bytes(), (tmp_path / "r.html").read_bytes()) == before
    assert not list(tmp_path.glob(".*.tmp"))


# --- terminal escapes from draft text -----------------------------------------------------------

ESCAPES = "\x1b]0;pwned\x07\x1b]52;c;ZWNobyBoaQ==\x07\x1b[2J\x1b[H\u202e\u200b"


def _hostile(tmp_path: Path) -> Path:
    raw = sample("penalty/CF-04/fine_above_max.yaml")
    raw["case_id"] = f"{ESCAPES}伊市商工罚〔2026〕7号"
    raw["party"]["name"] = f"某公司{ESCAPES}"
    raw["procedure"]["officers"][0]["name"] = "张三\x1b[8m"
    raw["people"]["handler"] = "王\x9b2J五\u2066"
    folder = tmp_path / "drafts"
    folder.mkdir(exist_ok=True)
    return _write(folder / "hostile\x1b[2J.yaml", raw)


@pytest.mark.parametrize(
    "args",
    [["check"], ["check", "--show-law"], ["explain"], ["review"], ["review", "--format", "json"], ["check", "--format", "json"]],
)
def test_text_from_a_draft_never_reaches_the_terminal_raw(runner, tmp_path, args):
    path = _hostile(tmp_path)
    target = str(path.parent) if args[0] == "review" else str(path)
    result = runner.invoke(app, [args[0], target, *args[1:]])
    assert result.exit_code in (1, 2), result.output
    for stream in (result.stdout, result.stderr):
        for ch in ("\x1b", "\x07", "\x9b", "\u202e", "\u200b", "\u2066"):
            assert ch not in stream, (args, repr(ch))
    if "json" in args:
        data = json.loads(result.stdout)
        if args[0] == "review":  # one row per person: the handler as compared (invisible and control characters dropped)
            assert list(data["per_handler"]) == ["王2J五"]
        else:
            assert data["case_id"].startswith(ESCAPES)
    else:
        assert "\\u001b" in result.stdout and "\\u202e" in result.stdout


def test_cases_commands_show_case_text_escaped(runner, tmp_path):
    folder = tmp_path / "cases" / "penalty" / "CF-04"
    folder.mkdir(parents=True)
    raw = sample(LAWFUL)
    raw["case_id"] = f"{ESCAPES}假案例"
    _write(folder / "x.yaml", raw)
    (folder / "x.expect.yaml").write_text("verdict: fail\n", encoding="utf-8")  # a wrong expectation: the case is named
    result = runner.invoke(app, ["cases", "run", str(tmp_path / "cases")])
    assert "\x1b" not in result.output and "\u202e" not in result.output


def test_shown_makes_every_hidden_character_visible_and_leaves_chinese_alone():
    assert shown("张三　李四 (王五)，“引号”") == "张三　李四 (王五)，“引号”"
    assert shown("a\x1b[2Jb\u202ec\u200bd\u00ade\u2060f\ufeffg\x9bh") == "a\\u001b[2Jb\\u202ec\\u200bd\\u00ade\\u2060f\\ufeffg\\u009bh"
    assert shown("一\n二") == "一\\u000a二" and shown("一\n二", "\n") == "一\n二"
    assert shown("\U000e0041\u3164\ufe0f") == "\\U000e0041\\u3164\\ufe0f"


# --- one officer counted twice ------------------------------------------------------------------


@pytest.mark.parametrize(
    "hidden", ["\u200b", "\ufeff", "\u00ad", "\u2060", "\u200d", "\u180e", "\u2061", "\u3000", "\ufe0f", "\u2800", "\u3164"]
)
def test_the_same_officer_twice_with_an_invisible_character_is_one_officer(rules, hidden):
    raw = sample(LAWFUL)
    zhang = raw["procedure"]["officers"][0]
    cert = zhang["certificate"]
    twin = {"name": zhang["name"], "certificate": cert[:4] + hidden + cert[4:]}
    raw["procedure"]["officers"] = [zhang, twin]
    draft = validate_draft(raw, "d.yaml")
    assert len(distinct_officers(draft.procedure.officers)) == 1
    result = check(draft, rules, "d.yaml")
    assert "OFFICERS_INSUFFICIENT" in {f.code for f in result.findings}  # 行政处罚法 第四十二条第一款: 不得少于两人
    if hidden != "\u3000":  # an ideographic space is whitespace: visible, ignored as spaces always were
        assert any("procedure.officers[1].certificate" in w and "不可见字符" in w for w in result.input_warnings)


def test_an_invisible_character_in_a_name_is_reported_and_two_real_officers_still_pass(rules):
    raw = sample(LAWFUL)
    raw["procedure"]["officers"][1]["name"] = "李\u200b四"
    result = check(validate_draft(raw, "d.yaml"), rules, "d.yaml")
    assert result.verdict == "pass" and not result.findings  # a lawful record stays lawful
    assert result.input_warnings and "U+200B" in result.input_warnings[0]
    assert result.to_json()["input_warnings"] == result.input_warnings


def test_a_certificate_of_invisible_characters_only_is_no_certificate(rules):
    raw = sample(LAWFUL)
    raw["procedure"]["officers"][1]["certificate"] = "\u200b\u2060"
    result = check(validate_draft(raw, "d.yaml"), rules, "d.yaml")
    assert "OFFICER_UNCERTIFIED" in {f.code for f in result.findings}


def test_one_certificate_under_two_names_is_found_through_invisible_characters():
    raw = sample(LAWFUL)
    officers = raw["procedure"]["officers"]
    officers[1]["certificate"] = "\ufeff" + officers[0]["certificate"] + "\u00ad"
    from quanze.engine.model.errors import InputError

    with pytest.raises(InputError, match="一人一证"):
        validate_draft(raw, "d.yaml")


def test_identity_is_nfkc_without_hidden_characters_or_spaces():
    assert identity("６５０１\u200b 0000\u00ad123") == identity("65010000123") == "65010000123"
    assert identity("张\u2060三") == identity(" 张 三 ") == "张三"
    assert identity(None) == ""


def test_one_person_in_two_roles_is_named_once_through_invisible_characters(rules):
    raw = sample("penalty/CF-04/fine_above_max.yaml")
    raw["people"]["reviewer"] = raw["people"]["handler"] + "\u200b"
    result = check(validate_draft(raw, "d.yaml"), rules, "d.yaml")
    persons = next(f.accountability for f in result.findings if f.accountability).persons
    names = [identity(p.name) for p in persons]
    assert len(names) == len(set(names))


# --- a control character in a text field and --format docx --------------------------------------


def test_a_control_character_in_a_text_field_does_not_crash_the_docx(runner, tmp_path):
    raw = sample(LAWFUL)
    raw["case_id"] = "伊市商工罚\x07\x1b〔2026〕7号\x00"
    path = _write(tmp_path / "d.yaml", raw)
    out = tmp_path / "意见.docx"
    result = runner.invoke(app, ["check", str(path), "--format", "docx", "--out", str(out)])
    assert result.exit_code in (0, 1, 2), result.output + result.stderr
    if result.exit_code == 2:  # refused as input, naming the field
        assert "case_id" in result.stderr
    else:
        from docx import Document

        text = "\n".join(p.text for p in Document(str(out)).paragraphs)  # every text field: tests/test_opinion.py
        assert "\\u0007" in text and "\x07" not in text


# --- review: a stopped worker, workers dying with the parent ------------------------------------


def _stopping_review_one(original):
    def review_one(path, rules):
        if path.name == "stop.yaml":
            os.kill(os.getpid(), signal.SIGSTOP)  # this worker stops answering
        return original(path, rules)

    return review_one


@linux_only
def test_a_stopped_worker_does_not_stall_the_review(rules, tmp_path, monkeypatch):
    folder = tmp_path / "files"
    folder.mkdir()
    for i in range(30):
        shutil.copy(CASES / LAWFUL, folder / f"a_{i:02}.yaml")
    shutil.copy(CASES / LAWFUL, folder / "stop.yaml")
    monkeypatch.setattr(review_module, "review_one", _stopping_review_one(review_module.review_one))
    paths = sorted(folder.glob("*.yaml"))
    start = time.monotonic()
    entries = list(review(paths, rules, jobs=2, timeout=2.0))
    elapsed = time.monotonic() - start
    assert elapsed < 30, elapsed  # before: the run waited on the stopped worker for good
    assert [e["file"] for e in entries] == [str(p) for p in paths]
    (stopped,) = [e for e in entries if not e["checked"]]
    assert stopped["file"].endswith("stop.yaml") and stopped["reason"] == "timeout"
    assert "超时未检查" in stopped["problems"][0].message
    assert summarize(entries)["not_checked"] == {"timeout": 1}


_SLOW_REVIEW = """
import sys, time
from pathlib import Path
import quanze.engine.batch.review as r
from quanze.engine.load.loader import load_rules
def slow(path, rules):
    time.sleep(120)
r.review_one = slow
paths = [Path(sys.argv[1])] * 8
list(r.review(paths, load_rules(), jobs=2, timeout=600))
"""


def _children(pid: int) -> set[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return set()
    return {int(x) for x in text.split()}


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


@linux_only
def test_workers_die_with_a_killed_review(tmp_path):
    proc = subprocess.Popen([sys.executable, "-c", _SLOW_REVIEW, str(CASES / LAWFUL)])
    try:
        deadline = time.monotonic() + 60
        workers: set[int] = set()
        while time.monotonic() < deadline and len(workers) < 2:
            workers = _children(proc.pid)
            time.sleep(0.1)
        assert len(workers) >= 2, "the workers did not start"
        time.sleep(0.5)  # past the workers' initializer
    finally:
        proc.kill()
        proc.wait(timeout=30)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.1)
    left = [w for w in workers if _alive(w)]
    for w in left:  # never leave them behind, whatever the outcome
        os.kill(w, signal.SIGKILL)
    assert not left, "workers outlived the killed review"


# --- file names that display alike -------------------------------------------------------------


@linux_only
def test_file_names_that_display_alike_get_their_own_entries_and_scores(runner, tmp_path):
    folder = tmp_path / "files"
    folder.mkdir()
    good, bad = CASES / LAWFUL, CASES / "penalty/CF-04/fine_above_max.yaml"
    shutil.copy(good, os.path.join(os.fsencode(folder), b"a\xff.yaml"))
    shutil.copy(bad, os.path.join(os.fsencode(folder), b"a\xfe.yaml"))
    shutil.copy(good, folder / "b\u0301.yaml")  # b + combining acute, twice: once decomposed, once plus a ZWSP
    shutil.copy(bad, folder / "b\u0301\u200b.yaml")
    out = tmp_path / "out" / "r"
    result = runner.invoke(app, ["review", str(folder), "--out", str(out), "--format", "json"])
    assert result.exit_code == 1, result.stderr
    summary = json.loads(result.stdout)
    files = summary["score"]["files"]
    assert len(files) == 4 and len(set(files.values())) == 2  # four files, four scores (two of each)
    assert any("\\xff" in f for f in files) and any("\\xfe" in f for f in files)
    entries = [json.loads(line) for line in out.with_suffix(".jsonl").read_text(encoding="utf-8").splitlines()]
    assert len({e["file"] for e in entries}) == 4


def test_no_mean_of_none_when_no_file_was_checked(runner, tmp_path):
    folder = tmp_path / "files"
    folder.mkdir()
    shutil.copy(CASES / "invalid/bad_amount.yaml", folder / "x.yaml")
    out = tmp_path / "r"
    result = runner.invoke(app, ["review", str(folder), "--out", str(out)])
    assert result.exit_code == 2
    assert "None" not in result.stdout and "未评分" in result.stdout
    page = out.with_suffix(".html").read_text(encoding="utf-8")
    assert "None" not in page and "未评分" in page


# --- round two: a bureau's template without bounds (docxtpl) -------------------------------------------


def _template_with(tmp_path: Path, line: str, extra: int = 0) -> Path:
    """A .docx template of one paragraph, with an extra member of ``extra`` zero bytes (a zip bomb: tiny compressed)."""
    import zipfile

    from docx import Document as New

    doc = New()
    doc.add_paragraph(line)
    path = tmp_path / "模板.docx"
    doc.save(str(path))
    if extra:
        with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as z, z.open("word/media/pad.bin", "w", force_zip64=True) as fh:
            block = bytes(1024 * 1024)
            for _ in range(extra // len(block)):
                fh.write(block)
    return path


@pytest.mark.parametrize(
    ("line", "extra", "words"),
    [
        ("{{ party.name }}", 110 * 1024 * 1024, "压缩炸弹"),
        ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", 0, "秒"),
        ("{% set l = range(100000)|list %}{% for i in l %}{% for j in l %}{% endfor %}{% endfor %}", 0, "秒"),
        ("{{ 'x' * 1000000000 }}", 0, "上限"),
        ("{% for i in range(100000) %}{{ 'x' * 100000 }}{% endfor %}", 0, "上限"),
    ],
    ids=["zip-bomb", "nested-range", "nested-loop-no-calls", "huge-string", "huge-output"],
)
def test_a_template_past_its_bounds_is_refused_in_seconds(tmp_path, line, extra, words):
    """Round two: a 1.6 MB zip bomb peaked at 2.2 GB, a nested range(100000) loop never ended (ASVS V12.1.2)."""
    from test_server_process import QUANZE

    template = _template_with(tmp_path, line, extra)
    out = tmp_path / "o.docx"
    env = {**os.environ, "COLUMNS": "200"}
    start = time.monotonic()
    proc = subprocess.run([QUANZE, "check", str(CASES / "penalty/CF-04/fine_above_max.yaml"), "--format", "docx", "--out", str(out),
                           "--template", str(template)], capture_output=True, text=True, timeout=60, env=env)
    assert proc.returncode == 2 and "--template" in proc.stderr and words in proc.stderr, proc.stderr[-500:]
    assert time.monotonic() - start < 40 and not out.exists()
