"""quanze read: documents → case files, every value with its source; bad input refused (docs/read.md)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import readcorpus
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from quanze.cli.main import app
from quanze.engine.model.yamlio import load_yaml
from quanze.engine.read.casefile import read_documents

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))
runner = CliRunner()


def _flat(case):
    from bench_read import flat

    return flat(case)


@pytest.mark.parametrize("fmt", ["txt-scan", "docx"])
def test_corpus_no_value_read_wrong(rules, tmp_path, fmt):
    """Precision first: over a sample of the corpus no value is read wrong, and most are read."""
    right = missed = 0
    for case in readcorpus.corpus(7, 6):
        readcorpus.write_case(case, tmp_path / case.name, fmt, 7)
        found, problems, unplaced = read_documents([tmp_path / case.name], rules)
        assert not problems and not unplaced and len(found) == 1
        read, _choices = _flat(found[0])
        wrong = {k: (v, case.truth.get(k)) for k, v in read.items() if case.truth.get(k) != v}
        assert not wrong, case.name
        right += len(read)
        missed += len(set(case.truth) - set(read))
    assert right / (right + missed) >= 0.9


def _written_case(tmp_path: Path, with_tier: bool = True) -> Path:
    """A full case (notice, decision, receipts, 立案, 笔录) whose 决定书 states its tier, written as .docx."""
    for seed in range(200):
        case = readcorpus.corpus(seed, 1)[0]
        if "procedure.served_on" in case.truth and ("decision.tier" in case.truth) == with_tier:
            readcorpus.write_case(case, tmp_path / "docs", "docx", seed)
            return tmp_path / "docs"
    raise AssertionError("no such case in the corpus")


def test_read_out_writes_a_case_file_check_reads(rules, tmp_path):
    docs = _written_case(tmp_path)
    out = tmp_path / "case.yaml"
    res = runner.invoke(app, ["read", str(docs), "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "读到：" in res.output and "第" in res.output
    sidecar = tmp_path / "case.sources.yaml"
    assert out.is_file() and sidecar.is_file()
    sources = load_yaml(sidecar.read_text(encoding="utf-8"))
    assert sources["values"]["case_id"]["sources"][0]["kind"] == "行政处罚决定书"
    checked = runner.invoke(app, ["check", str(out)])
    assert checked.exit_code in (0, 1), checked.output  # the case file is a draft check reads as written


def test_read_json(rules, tmp_path):
    docs = _written_case(tmp_path)
    res = runner.invoke(app, ["read", str(docs), "--format", "json"])
    assert res.exit_code == 0, res.output
    import json

    data = json.loads(res.output)
    assert data["case"]["kind"] == "penalty" and data["written"] is None
    for entry in data["values"].values():
        assert all({"document", "kind", "paragraph", "words"} <= set(s) for s in entry["sources"])


def test_two_dates_are_a_choice_not_a_guess(rules, tmp_path):
    """A 告知书 served on a day its receipt and the 决定书 state differently: offered as a choice, left out of the file."""
    case = next(c for c in readcorpus.corpus(3, 40) if "送达回证（告知书）" in c.documents and "行政处罚决定书" in c.documents)
    receipt = case.documents["送达回证（告知书）"]
    case.documents["送达回证（告知书）"] = [
        b if isinstance(b, str) else [[k, v.replace("2026年", "2025年")] for k, v in b] for b in receipt
    ]
    case.documents["送达回证（告知书）"] = [
        b.replace("2026年", "2025年") if isinstance(b, str) else b for b in case.documents["送达回证（告知书）"]
    ]
    readcorpus.write_case(case, tmp_path / "c", "docx")
    found, problems, _ = read_documents([tmp_path / "c"], rules)
    assert not problems and len(found) == 1
    reading = found[0]
    assert "procedure.notice.served_on" in reading.choices
    assert "served_on" not in reading.draft().get("procedure", {}).get("notice", {})
    assert "请选定" in reading.unread["procedure.notice.served_on"]


def test_folder_of_many_cases_one_file_each(rules, tmp_path):
    corpus = readcorpus.corpus(11, 5)
    for case in corpus:
        readcorpus.write_case(case, tmp_path / "all" / case.name, "txt")
    out = tmp_path / "out"
    res = runner.invoke(app, ["read", str(tmp_path / "all"), "--out", str(out)])
    assert res.exit_code == 0, res.output
    written = sorted(p.name for p in out.glob("*.yaml") if not p.name.endswith(".sources.yaml"))
    assert len(written) == 5


def test_opinion_reads_back(rules, tmp_path):
    """The 意见书 quanze writes reads back to the draft's fields."""
    draft = REPO / "cases/penalty/CF-04/lawful_general_tier.yaml"
    docx = tmp_path / "意见书.docx"
    assert runner.invoke(app, ["check", str(draft), "--format", "docx", "--out", str(docx)]).exit_code == 0
    found, problems, _ = read_documents([docx], rules)
    assert not problems
    got = found[0].draft()
    want = load_yaml(draft.read_text(encoding="utf-8"))
    assert got["case_id"] == want["case_id"] and got["item"] == want["item"]
    assert got["party"] == {"name": want["party"]["name"], "type": want["party"]["type"]}
    assert got["violation"] == {
        "committed_on": str(want["violation"]["committed_on"]),
        "discovered_on": str(want["violation"]["discovered_on"]),
    }
    assert got["decision"]["tier"] == want["decision"]["tier"]
    assert got["decision"]["decided_on"] == str(want["decision"]["decided_on"])
    assert got["decision"]["sanctions"] == [dict(s) for s in want["decision"]["sanctions"]]
    assert got["procedure"]["officers"] == [dict(o) for o in want["procedure"]["officers"]]
    assert found[0].value("provision") == "jieneng.a76"


# --- bad input: one Chinese line each, exit 2, nothing written --------------------------------------


def _zip_bomb(path: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            chunk = b"\0" * (1 << 20)
            for _ in range(64):  # 64 MiB of zeros, a few hundred KiB packed
                f.write(chunk)


def _pdf(path: Path, password: str | None = None) -> None:
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(width=595, height=842)
    if password:
        w.encrypt(password, algorithm="RC4-128")
    with open(path, "wb") as fh:
        w.write(fh)


@pytest.mark.parametrize(
    ("name", "make", "words"),
    [
        ("old.doc", lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600), ".doc"),
        ("scan.pdf", _pdf, "没有文字层"),
        ("locked.pdf", lambda p: _pdf(p, "secret"), "密码"),
        ("bomb.docx", _zip_bomb, "解压后过大"),
        ("huge.txt", lambda p: p.write_bytes(b"a" * (50 * 1024 * 1024)), "文件过大"),
        (
            "letter.txt",
            lambda p: p.write_text("关于召开安全生产会议的通知\n各科室：定于下周一开会。\n", encoding="utf-8"),
            "不是可读取的行政处罚文书",
        ),
        ("fake.docx", lambda p: p.write_bytes(b"PK\x03\x04 not really a zip"), ".docx"),
        ("photo.png", lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n"), "只能读取"),
    ],
)
def test_bad_input_refused(tmp_path, name, make, words):
    path = tmp_path / name
    make(path)
    out = tmp_path / "out.yaml"
    res = runner.invoke(app, ["read", str(path), "--out", str(out)])
    assert res.exit_code == 2, res.output
    lines = [line for line in res.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and name in lines[0] and words in lines[0], lines
    assert "Traceback" not in res.output
    assert not out.exists() and not (tmp_path / "out.sources.yaml").exists()


def test_bad_input_is_bounded_in_time_and_memory(tmp_path):
    """The zip bomb and the 50 MB file are refused from their sizes, in a separate process with a memory cap."""
    _zip_bomb(tmp_path / "bomb.docx")
    (tmp_path / "huge.txt").write_bytes(b"a" * (50 * 1024 * 1024))
    code = (
        "import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30));"
        "from quanze.cli.main import app; sys.argv = ['quanze', 'read', sys.argv[1], sys.argv[2]]; app()"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "bomb.docx"), str(tmp_path / "huge.txt")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2, proc.stderr
    assert "解压后过大" in proc.stderr and "文件过大" in proc.stderr


def test_api_read_a_docx_and_refuse_a_doc(tmp_path):
    from fastapi.testclient import TestClient

    from quanze.web.app import create_app
    from quanze.web.bodies import DOCX

    docs = _written_case(tmp_path)
    decision = next(docs.glob("*行政处罚决定书.docx"))
    with TestClient(create_app(warm_up=False)) as client:
        res = client.post("/api/v1/read?name=决定书.docx", content=decision.read_bytes(), headers={"Content-Type": DOCX})
        assert res.status_code == 200, res.text
        body = res.json()
        assert body["case"]["kind"] == "penalty" and "case_id" in body["case"]
        assert body["values"]["case_id"]["sources"][0]["document"] == "决定书.docx"
        assert "读到：" in body["text"]
        bad = client.post("/api/v1/read?name=old.doc", content=b"\xd0\xcf\x11\xe0" + b"\0" * 100, headers={"Content-Type": DOCX})
        assert bad.status_code == 422 and ".doc" in bad.json()["lines"][0]
        other = client.post("/api/v1/read", content=b"x", headers={"Content-Type": "image/png"})
        assert other.status_code == 415


def test_check_points_to_the_words_read(rules, tmp_path):
    """A finding on a case file read from documents names the document and paragraph its value came from;
    a value edited since is no longer attributed to those words."""
    for seed in range(400):
        case = readcorpus.corpus(seed, 1)[0]
        if "罚款低于法定幅度" in case.notes and "decision.tier" in case.truth and "procedure.served_on" in case.truth:
            break
    readcorpus.write_case(case, tmp_path / "docs", "docx", seed)
    out = tmp_path / "case.yaml"
    assert runner.invoke(app, ["read", str(tmp_path / "docs"), "--out", str(out)]).exit_code == 0
    res = runner.invoke(app, ["check", str(out), "--format", "json"])
    assert res.exit_code == 1, res.output + res.stderr
    import json

    data = json.loads(res.output)
    assert "FINE_BELOW_MIN" in {f["code"] for f in data["findings"]}
    assert any("罚款" in w and "第" in w for w in data["read_sources"]["FINE_BELOW_MIN"])
    text = runner.invoke(app, ["check", str(out)]).output
    assert "文书：行政处罚决定书" in text
    edited = out.read_text(encoding="utf-8").replace(f"amount: {case.truth['sanction.罚款']}", "amount: 1000")
    out.write_text(edited, encoding="utf-8")
    again = json.loads(runner.invoke(app, ["check", str(out), "--format", "json"]).output)
    assert "FINE_BELOW_MIN" not in again.get("read_sources", {})


def test_review_and_deadlines_read_documents(tmp_path):
    """review --read and deadlines --read run over documents: each case named by its 文号 and documents, no
    temporary path shown; the sidecars quanze read writes are not taken for drafts."""
    for case in readcorpus.corpus(5, 3):
        readcorpus.write_case(case, tmp_path / "docs" / case.name, "docx", 5)
    res = runner.invoke(app, ["review", str(tmp_path / "docs"), "--read", "--format", "json"])
    assert res.exit_code in (0, 1, 2), res.output
    import json

    summary = json.loads(res.stdout)
    assert summary["files"] == 3
    assert "quanze-read-" not in res.output + res.stderr
    dl = runner.invoke(app, ["deadlines", str(tmp_path / "docs"), "--read", "--today", "2026-05-01"])
    assert "quanze-read-" not in dl.output + dl.stderr and "读自" in dl.output + dl.stderr
    report = tmp_path / "r.html"  # the page's rows too: each is rendered (its path split for line breaks) in the worker
    runner.invoke(app, ["review", str(tmp_path / "docs"), "--read", "--out", str(report)])
    for written in (report, report.with_suffix(".jsonl"), report.with_suffix(".csv")):
        text = written.read_text(encoding="utf-8")
        assert "quanze-read-" not in text and "读自" in text, written.name


def test_partial_hearing_and_reduced_tier_are_withheld(rules, tmp_path):
    """A hearing read without its 通知 date, and a 减轻 tier whose grounds are not read, stay out of the case file
    (the draft format would read the missing parts as "not done": a false error)."""
    case = next(c for c in readcorpus.corpus(13, 80) if "procedure.hearing.held_on" in c.truth)
    readcorpus.write_case(case, tmp_path / "c", "txt", 13)
    reading = read_documents([tmp_path / "c"], rules)[0][0]
    assert isinstance(reading.value("procedure.hearing"), dict)
    assert "hearing" not in reading.draft().get("procedure", {})
    assert "听证通知日期" in reading.unread["procedure.hearing"]
    decision = next((tmp_path / "c").glob("*行政处罚决定书.txt"))
    text = decision.read_text(encoding="utf-8")
    decision.write_text(text.replace("综合考虑", "鉴于你单位主动消除违法行为危害后果，依法予以减轻处罚。综合考虑", 1), encoding="utf-8")
    reading = read_documents([tmp_path / "c"], rules)[0][0]
    if reading.value("decision.tier") == "减轻":
        assert "tier" not in reading.draft().get("decision", {})


def test_text_layer_pdf(rules):
    """A 决定书 and a 现场检查笔录 as text-layer PDFs (LibreOffice's, shipped in tests/fixtures/read/pdf) read as the
    corpus says they should: no value wrong, every stated value read."""
    truth = {
        "case_id": "伊市商工罚〔2026〕6号",
        "party.name": "伊犁绿源能效评估有限公司",
        "party.type": "organization",
        "party.id_code": "916540028MYT16H6DT",
        "party.address": "伊宁县吉里于孜镇工业园区3号",
        "item": "CF-05",
        "provision": "baofei_xize.a40.k2",
        "violation.committed_on": "2026-03-16",
        "violation.discovered_on": "2026-04-16",
        "evidence": ["现场照片", "法定代表人身份证明", "询问笔录", "现场检查笔录"],
        "procedure.officers": ["张三/654087026322", "刘晓燕/654091512452"],
        "procedure.notice.served_on": "2026-05-10",
        "decision.tier": "从重",
        "decision.decided_on": "2026-05-22",
        "sanction.责令改正": True,
        "sanction.罚款": 25000,
        "remedy.pay_days": 15,
        "remedy.review_days": 60,
        "remedy.litigation_months": 6,
    }
    found, problems, unplaced = read_documents([REPO / "tests/fixtures/read/pdf"], rules)
    assert not problems and not unplaced and len(found) == 1
    read, _choices = _flat(found[0])
    assert read == truth


def test_two_provisions_cited_are_a_choice(rules, tmp_path):
    """A 决定书 that cites two penalty provisions after 依据 (第七十一条 and 第七十六条) offers both items as a choice."""
    case = next(c for c in readcorpus.corpus(17, 40) if c.truth["item"] == "CF-04" and "行政处罚决定书" in c.documents)
    readcorpus.write_case(case, tmp_path / "c", "txt", 17)
    decision = next((tmp_path / "c").glob("*行政处罚决定书.txt"))
    text = decision.read_text(encoding="utf-8")
    decision.write_text(
        text.replace("第七十六条的规定，本局决定", "第七十一条、《中华人民共和国节约能源法》第七十六条的规定，本局决定"), encoding="utf-8"
    )
    reading = read_documents([decision], rules)[0][0]
    assert {o["value"] for o in reading.choices["item"]} == {"CF-02", "CF-04"}
    assert "item" not in reading.draft()
    assert "请选定" in reading.unread["item"]


HANDWRITTEN = {
    "zhou": {
        "case_id": "伊市商工罚决〔2026〕第12号",
        "party.name": "周海涛",
        "party.type": "individual",
        "party.id_code": "654002198803151234",
        "party.address": "伊宁市新华西路88号",
        "item": "CF-04",
        "provision": "jieneng.a76",
        "violation.illegal_gains": 12000,
        "evidence": ["现场检查笔录一份", "询问笔录两份", "节能评估报告复印件一份"],
        "procedure.notice.served_on": "2026-03-02",
        "sanction.责令改正": True,
        "sanction.没收违法所得": 12000,
        "sanction.罚款": 50000,
        "decision.decided_on": "2026-03-20",
        "procedure.served_on": "2026-03-23",
        "remedy.pay_days": 15,
        "remedy.review_days": 60,
        "remedy.litigation_months": 6,
    },
    "xinjiang": {
        "case_id": "霍商工告字〔2026〕3号",
        "party.name": "新疆某汽车制造有限公司",
        "party.type": "organization",
        "item": "CF-05",
        "provision": "baofei_xize.a40.k2",
        "evidence": ["现场检查笔录", "询问笔录", "往来函件"],
        "procedure.notice.rights": ["陈述", "申辩", "听证"],
        "notice.sanction.责令改正": True,
        "notice.sanction.罚款": 20000,
    },
}


@pytest.mark.parametrize("name", sorted(HANDWRITTEN))
def test_handwritten_documents(rules, name):
    """Hand-written documents in layouts the generator does not use (tests/fixtures/read/handwritten/README.md)."""
    found, problems, unplaced = read_documents([REPO / "tests/fixtures/read/handwritten" / name], rules)
    assert not problems and not unplaced and len(found) == 1
    read, choices = _flat(found[0])
    assert not choices
    assert read == HANDWRITTEN[name]


@given(st.text(max_size=400))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_text_under_a_title_reads_or_is_refused(rules, body):
    """Whatever follows a 决定书's title, reading it gives a case or an InputError, never another exception."""
    from quanze.engine.model.errors import InputError
    from quanze.engine.read.casefile import read_upload

    try:
        reading = read_upload("x.txt", ("行政处罚决定书\n" + body).encode("utf-8", "surrogatepass"), rules)
    except InputError:
        return
    assert reading.draft()["kind"] == "penalty"


def test_hostile_words_stay_in_their_comment(rules, tmp_path):
    """Words read from a document never break out of the case file's comments (line separators, controls)."""
    doc = tmp_path / "决定书.txt"
    doc.write_text("行政处罚决定书\n伊市商工罚〔2026〕9号\n当事人：某某有限公司\u2028kind: filing\u0085item: QT-02\n", encoding="utf-8")
    out = tmp_path / "case.yaml"
    assert runner.invoke(app, ["read", str(doc), "--out", str(out)]).exit_code == 0
    data = load_yaml(out.read_text(encoding="utf-8"))
    assert data["kind"] == "penalty" and "QT-02" not in str(data.get("item"))


def test_notice_and_decision_quanze_writes_read_back(tmp_path):
    """The 告知书 and 决定书 `quanze document` writes read back to the case file's fields they state (the blanks
    they leave, ＿＿＿＿, are read as nothing)."""
    from quanze.engine.load.loader import load_rules

    draft = REPO / "cases/penalty/CF-04/lawful_general_tier.yaml"
    for kind, name in (("notice", "告知书.docx"), ("decision", "决定书.docx")):
        res = runner.invoke(app, ["document", kind, str(draft), "--out", str(tmp_path / name)])
        assert res.exit_code == 0, res.output
    found, problems, unplaced = read_documents([tmp_path], load_rules())
    assert not problems and not unplaced and len(found) == 1
    got = found[0].draft()
    want = load_yaml(draft.read_text(encoding="utf-8"))
    assert got["case_id"] == want["case_id"] and got["item"] == want["item"]
    assert got["party"] == {"name": want["party"]["name"], "type": want["party"]["type"]}
    assert got["decision"]["sanctions"] == [dict(s) for s in want["decision"]["sanctions"]]
    assert got["decision"]["decided_on"] == str(want["decision"]["decided_on"])
    notice = want["procedure"]["notice"]
    assert got["procedure"]["notice"] == {
        "served_on": str(notice["served_on"]),
        "rights": list(notice["rights"]),
        "proposed": [dict(s) for s in notice["proposed"]],
    }
    assert got["violation"]["illegal_gains"] == want["violation"]["illegal_gains"]
    assert "facts" not in got["violation"] and "party.address" not in found[0].values  # blanks
