"""Issue 27 §4: the 行政处罚事先告知书 and 行政处罚决定书 (``quanze document``, POST /api/v1/document/{kind})."""

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from helpers import draft, sample, shipped_rules
from quanze.cli.main import app
from quanze.engine import api
from quanze.engine.law.lawtext import citation
from quanze.web.app import create_app

CASES = Path(__file__).resolve().parent.parent / "cases"
EVIDENCED = CASES / "penalty" / "CF-04" / "evidence_every_element.yaml"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def text_of(data: bytes) -> str:
    from docx import Document

    doc = Document(io.BytesIO(data))
    return "\n".join(p.text for p in doc.paragraphs)


def documents(raw: dict, kind: str) -> tuple[str, list[str]]:
    rules = shipped_rules()
    _result, data, blanks = api.document(kind, draft(raw), rules, "x.yaml")
    return text_of(data), blanks


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
def test_libreoffice_renders_both_on_a4_and_the_decision_states_the_six_items_of_article_59(runner, tmp_path):
    import pypdf

    raw = yaml.safe_load(EVIDENCED.read_text(encoding="utf-8"))
    raw["party"]["address"] = "伊宁市解放路 1 号"
    case = tmp_path / "case.yaml"
    case.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    for kind in ("notice", "decision"):
        result = runner.invoke(app, ["document", kind, str(case), "--out", str(tmp_path / f"{kind}.docx")])
        assert result.exit_code == 0, result.output
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{tmp_path / 'lo'}", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
         str(tmp_path / "notice.docx"), str(tmp_path / "decision.docx")],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    texts = {}
    for kind in ("notice", "decision"):
        reader = pypdf.PdfReader(tmp_path / f"{kind}.pdf")
        for page in reader.pages:
            assert abs(float(page.mediabox.width) - 595.3) < 1 and abs(float(page.mediabox.height) - 841.9) < 1
        texts[kind] = re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))
    d = texts["decision"]
    # (一) 当事人的姓名或者名称、地址
    assert "当事人：某节能咨询有限公司" in d and "地址：伊宁市解放路1号" in d
    # (二) 违反法律、法规、规章的事实和证据: the facts verbatim, the evidence rows
    assert "报告所列年综合能耗数据与企业能源计量记录不符，系当事人编造。" in d and "书证：委托企业能源计量记录" in d
    # (三) 行政处罚的种类和依据
    assert "违反了《中华人民共和国节约能源法》第七十六条的规定" in d
    assert "罚款70,000元（人民币柒万元整）" in d and "没收违法所得30,000元" in d
    # (四) 履行方式和期限, with 加处罚款
    assert "自收到本决定书之日起十五日内" in d and "每日按罚款数额的百分之三加处罚款" in d
    # (五) 申请行政复议、提起行政诉讼的途径和期限
    assert "六十日内" in d and "申请行政复议" in d and "六个月内" in d and "人民法院提起行政诉讼" in d
    # (六) 作出决定的行政机关名称和作出决定的日期
    assert d.endswith("伊宁市商务和工业信息化局（印章）2026年5月25日—3—") or "伊宁市商务和工业信息化局（印章）2026年5月25日" in d
    n = texts["notice"]
    assert "行政处罚事先告知书" in n and "拟对当事人作出如下行政处罚" in n and "当事人有权进行陈述和申辩" in n
    assert "应当在本机关告知后五日内提出" in n  # the notice of this case states the 听证 right (第六十三条)


def test_both_documents_cite_the_law_by_its_full_title_in_shuminghao():
    """A 公文 names a law by the full title rules/provisions/<law>/index.yaml gives (``title``), in 书名号."""
    raw = sample("penalty/CF-05/decided_after_hearing_window.yaml")
    for kind in ("notice", "decision"):
        text, _ = documents(raw, kind)
        assert "违反了《报废机动车回收管理办法实施细则》第四十条第二款的规定" in text, kind
        assert "（《中华人民共和国行政处罚法》第四十五条第一款）" in text or kind == "decision"
        assert "违反了报废机动车回收管理办法实施细则" not in text


def test_a_title_holding_shuminghao_nests_them_and_takes_full_width_brackets():
    rules = shipped_rules()
    assert citation(rules, "监控化学品管理条例实施细则 第五条") == "《〈中华人民共和国监控化学品管理条例〉实施细则》第五条"
    assert citation(rules, "单用途商业预付卡管理办法 第三条") == "《单用途商业预付卡管理办法（试行）》第三条"
    assert citation(rules, "行政处罚法 第六十三条、第六十四条第（一）项") == "《中华人民共和国行政处罚法》第六十三条、第六十四条第（一）项"
    assert citation(rules, "某未收录法 第一条") == "某未收录法 第一条"


def test_what_the_case_file_lacks_is_a_visible_blank_listed_never_a_guess():
    raw = sample("penalty/CF-04/lawful_general_tier.yaml")  # no address, no facts, no evidence
    text, blanks = documents(raw, "decision")
    assert blanks == ["当事人地址", "违法事实", "证据"]
    assert "地址：＿＿＿＿＿＿＿＿" in text and "经查，＿＿＿＿＿＿＿＿" in text
    raw["decision"]["decided_on"] = "2026-05-25"
    raw["procedure"]["notice"]["rights"] = ["陈述", "申辩", "听证"]
    text, blanks = documents(raw, "notice")
    assert "＿＿＿＿年＿＿月＿＿日" in text  # the notice's own date is not in the case file


def test_the_notice_states_the_hearing_right_only_where_the_case_file_gave_it():
    raw = sample("penalty/CF-04/lawful_general_tier.yaml")
    with_hearing, _ = documents(raw, "notice")
    raw["procedure"]["notice"]["rights"] = ["陈述", "申辩"]
    without, _ = documents(raw, "notice")
    assert "当事人有权要求听证" in with_hearing and "当事人有权要求听证" not in without
    assert "当事人有权进行陈述和申辩" in without


def test_the_facts_are_shown_verbatim_and_escaped():
    raw = sample("penalty/CF-04/lawful_general_tier.yaml")
    raw["violation"]["facts"] = 'A<b>&"x"\u202e，半角,标点 {{ party.name }}\x07'
    text, _ = documents(raw, "decision")
    assert 'A<b>&"x"\\u202e，半角,标点 {{ party.name }}\\u0007' in text


def test_evidence_obtained_unlawfully_is_not_listed_in_the_documents():
    raw = sample("penalty/CF-04/evidence_unlawful_only.yaml")
    text, _ = documents(raw, "decision")
    assert "未经同意进入当事人办公室拍摄的录像" not in text and "营业执照及节能评估资质材料复印件" in text


def test_a_bureau_template_goes_through_the_same_mechanism(tmp_path):
    from docx import Document

    template = tmp_path / "bureau.docx"
    doc = Document()
    doc.add_paragraph("{{ bureau }}{{ title }}：{{ party.name }}，{{ facts }}，{% for s in sanctions %}{{ s }}；{% endfor %}")
    doc.save(template)
    raw = sample("penalty/CF-04/lawful_general_tier.yaml")
    raw["violation"]["facts"] = "<w:p>注入</w:p>"
    _result, data, _ = api.document("decision", draft(raw), shipped_rules(), "x.yaml", template)
    assert "伊宁市商务和工业信息化局行政处罚决定书：某节能咨询有限公司，<w:p>注入</w:p>，责令改正；" in text_of(data)


def test_document_refuses_another_kind_and_a_record(runner, tmp_path):
    result = runner.invoke(app, ["document", "order", str(EVIDENCED), "--out", str(tmp_path / "x.docx")])
    assert result.exit_code == 2 and "期望 notice（事先告知书）或 decision（处罚决定书）" in result.stderr
    record = next(p for p in sorted((CASES / "inspection").rglob("*.yaml")) if not p.name.endswith(".expect.yaml"))
    result = runner.invoke(app, ["document", "notice", str(record), "--out", str(tmp_path / "x.docx")])
    assert result.exit_code == 2 and "只用于行政处罚案卷" in result.stderr
    assert not (tmp_path / "x.docx").exists()


def test_the_api_sends_the_document_and_what_it_left_blank():
    raw = sample("penalty/CF-04/lawful_general_tier.yaml")
    with TestClient(create_app(warm_up=False)) as client:
        res = client.post("/api/v1/document/decision", json=raw)
        assert res.status_code == 200, res.text
        assert res.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument")
        assert "filename*=UTF-8''%E8%A1%8C%E6%94%BF%E5%A4%84%E7%BD%9A%E5%86%B3%E5%AE%9A%E4%B9%A6" in res.headers["content-disposition"]
        from urllib.parse import unquote

        assert unquote(res.headers["x-quanze-blanks"]) == "当事人地址、违法事实、证据"
        assert "行政处罚决定书" in text_of(res.content)
        assert client.post("/api/v1/document/other", json=raw).status_code == 422
        bad = dict(raw, item="CF-40")
        assert client.post("/api/v1/document/notice", json=bad).status_code == 422


def test_the_opinion_shows_the_facts_the_element_evidence_table_and_the_headings_of_guobanfa_118():
    from quanze.engine.present.opinion import opinion_bytes
    from quanze.engine.present.opinion_review import HEADINGS

    raw = sample("penalty/CF-04/evidence_subject_unproven.yaml")
    raw["decision"]["sanctions"][2]["amount"] = 120000  # FINE_ABOVE_MAX: an error with 追责
    rules = shipped_rules()
    d = draft(raw)
    from quanze.engine.check.checker import check

    result = check(d, rules, "x.yaml")
    from docx import Document

    doc = Document(io.BytesIO(opinion_bytes(d, result, rules)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "违法事实：2026年2月10日，当事人受某企业委托出具节能评估报告" in text and "案件要素：违法行为发生于" in text
    for i, (_key, title) in enumerate(HEADINGS):
        assert f"（{'一二三四五六七'[i]}）{title}" in text
    facts_part = text.split("（三）案件事实是否清楚")[1].split("（四）")[0]
    assert "构成要件未见证据证明" in facts_part and "由审核人员判断" in facts_part
    law_part = text.split("（四）适用法律")[1].split("（五）")[0]
    assert "罚款高于法定上限" in law_part and "如按本稿作出，将涉及下列追责情形：" in law_part
    assert "尚缺：当事人地址" in text.split("（六）行政执法文书")[1]
    table = doc.tables[0]
    rows = {r.cells[0].text: r.cells[2].text for r in table.rows[1:]}
    assert rows["违法主体"] == "案卷未列出证据" and "书证：节能评估报告" in rows["违法行为"]
