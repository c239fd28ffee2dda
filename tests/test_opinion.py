"""Issue 19 §3: the 法制审核意见书 a meeting can file (A4, 公文 layout, case, party, 案由, proposed sanctions,
findings with article text and how to correct, codes only in the appendix), a bureau's own template, the API
door, a LibreOffice render; issue 18: a control character in any text field never crashes the docx."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
import yaml
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st
from test_output import english_in
from test_server_process import QUANZE, serving

from conftest import CASES
from helpers import sample
from quanze.cli.main import app
from quanze.engine import api
from quanze.engine.model.labels import field_label
from quanze.engine.model.money import parse_money
from quanze.engine.present.opinion import amount_words, money_text
from quanze.engine.present.opinion_layout import FALLBACKS

FAILING = CASES / "penalty/CF-04/fine_above_max.yaml"
LAWFUL = CASES / "penalty/CF-04/lawful_general_tier.yaml"
EXAMPLE = Path(__file__).resolve().parent.parent / "engine/present/templates/opinion_template.docx"
CODE = re.compile(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b")
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _docx(runner, draft: Path, out: Path, *extra: str):
    result = runner.invoke(app, ["check", str(draft), "--format", "docx", "--out", str(out), *extra])
    assert result.exit_code in (0, 1), result.output + result.stderr
    return Document(str(out))


def _body(doc) -> str:
    return "\n".join(p.text for p in doc.paragraphs)


def _everything(doc) -> str:
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    footer = [p.text for s in doc.sections for p in s.footer.paragraphs]
    return "\n".join([_body(doc), *cells, *footer])


# --- page and type ---------------------------------------------------------------------------


def test_the_page_is_a4_with_the_margins_of_gbt_9704(runner, tmp_path):
    doc = _docx(runner, FAILING, tmp_path / "意见.docx")
    s = doc.sections[0]
    measured = [round(x.cm, 2) for x in (s.page_width, s.page_height, s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)]
    assert measured == [21.0, 29.7, 3.7, 3.5, 2.8, 2.6]


def test_own_black_styles_and_fonts_with_fallbacks_named_in_the_file(runner, tmp_path):
    out = tmp_path / "意见.docx"
    doc = _docx(runner, FAILING, out)
    used = {p.style.name for p in doc.paragraphs}
    assert not {n for n in used if n.startswith(("Heading", "Title"))}, used  # no Word-default (blue) headings
    for name in used:
        color = doc.styles[name].font.color
        assert color.rgb is None or str(color.rgb) == "000000", name
    assert doc.styles["意见书标题"].font.name == "方正小标宋简体"
    assert doc.styles["意见书正文"].font.name == "仿宋_GB2312"
    assert doc.paragraphs[0].text == "法制审核意见书" and doc.paragraphs[0].style.name == "意见书标题"
    headings = [p.text for p in doc.paragraphs if p.style.name == "意见书一级标题"]
    # 案件基本情况, 事实与证据 (issue 27), 适用的依据, 审核意见, 审核结论
    assert [h[:2] for h in headings] == ["一、", "二、", "三、", "四、", "五、"]
    fonts = zipfile.ZipFile(out).read("word/fontTable.xml").decode("utf-8")
    for font, fallback in FALLBACKS.items():
        assert f'w:name="{font}"' in fonts and f'w:val="{fallback}"' in fonts


# --- content ----------------------------------------------------------------------------------


def test_case_party_cause_sanctions_and_people_are_stated(runner, tmp_path):
    text = _body(_docx(runner, FAILING, tmp_path / "意见.docx"))
    for line in (
        "文号：伊市商工罚〔2026〕7号",
        "当事人：某节能咨询有限公司（单位）",
        "案由：",
        "违法事实：违法行为发生于 2026-02-10，于 2026-04-01 被发现。",
        "拟作出的处罚（普通程序，裁量阶次：一般）：",
        "3. 罚款 120,000 元（人民币壹拾贰万元整）",
        "2. 没收违法所得 30,000 元（人民币叁万元整）",
        "承办机构：工业信息化科",  # the office the 权责清单 names for CF-04
        "承办人：张三",
        "送审日期：＿＿＿＿年＿＿月＿＿日",
        "审核机构：＿",
        "审核人：＿",
        "适用条文：《中华人民共和国节约能源法》第七十六条",
    ):
        assert line in text, line
    assert "问题：罚款 120000 元高于《节约能源法》第七十六条规定的上限 100000 元" in text
    assert "并处五万元以上十万元以下罚款" in text  # the article text of the basis
    assert "修改建议：将罚款调整到依据条文规定的幅度以内" in text
    assert "追责情形第 3 项" in text


def test_the_conduct_is_the_cause_when_the_draft_names_it(runner, tmp_path):
    raw = sample("penalty/CF-04/fine_above_max.yaml")
    raw["violation"]["conduct"] = "provide_false_information"
    raw["party"]["role"] = "节能服务机构"
    path = tmp_path / "d.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    text = _body(_docx(runner, path, tmp_path / "意见.docx"))
    assert "案由：提供虚假信息" in text and "当事人身份：节能服务机构" in text


def test_no_file_name_and_codes_only_in_the_appendix(runner, tmp_path):
    doc = _docx(runner, FAILING, tmp_path / "意见.docx")
    everything = _everything(doc)
    assert FAILING.name not in everything and ".yaml" not in everything and "wrong" not in everything
    assert CODE.findall(_body(doc)) == []  # the body names findings by their Chinese titles
    appendix = [row.cells[0].text for row in doc.tables[-1].rows]
    assert appendix == ["FINE_ABOVE_MAX"]
    assert [p.text for p in doc.paragraphs].index("附：结论代码") > [p.text for p in doc.paragraphs].index("五、审核结论")


def test_a_passing_opinion_says_what_was_checked_and_what_was_not(runner, tmp_path):
    doc = _docx(runner, LAWFUL, tmp_path / "意见.docx")
    text = _body(doc)
    assert "经对照规则逐项检查，未发现违法或者不当之处。" in text
    assert "未发现下列情形：" in text and "罚款高于法定上限" in text  # what was checked
    assert "未能检查的事项：" in text and "当事人身份" in text  # not_checked: party.role left out
    assert "听证“较大数额”标准按默认值适用（未核实）" in text  # the unverified 较大数额 line
    assert "party.role" not in text and "null" not in text
    assert [row.cells[0].text for t in doc.tables for row in t.rows] == []  # no finding, no code
    assert "附：结论代码" in text


def test_every_sample_case_makes_an_opinion_without_yaml_words(rules):
    from quanze.engine.batch.cases import find_cases
    from quanze.engine.model.errors import InputError

    kinds = set()
    for path in find_cases(CASES)[::7]:  # every 7th case: all kinds, bounded time
        try:
            result, data = api.opinion(api.read_file(path, rules), rules, str(path))
        except InputError:
            continue
        kinds.add(result.kind)
        text = _everything(Document(io.BytesIO(data)))
        assert path.name not in text and ".yaml" not in text, path
        assert english_in(text) == [], path  # officer-facing Chinese (tests/test_output.py)
        assert not re.search(r"\b[a-z_]+\.[a-z_]+\b|\bnull\b", text), (path, re.findall(r"\S*\b[a-z_]+\.[a-z_]+\b\S*", text)[:3])
    assert kinds == {"penalty", "filing", "inspection", "complaint"}


def test_officer_wording_of_rule_templates():
    """A rule's message template in the officer's words (engine/model/wording.py): field paths as the form's labels,
    values in words, placeholders kept for the values; worded once per template, never parsed back from output."""
    from quanze.engine.model.wording import officer_template

    assert officer_template("（violation.facts_established 为 false），不得") == "（“违法事实成立”为“否”），不得"
    assert officer_template("（complainant_informed_on 未填写）") == "（“告知投诉举报人日期”未填写）"
    assert officer_template("第 {receive_to_verify_workdays} 个工作日才核查, 应在 {a.b} 个工作日内") == (
        "第 {receive_to_verify_workdays} 个工作日才核查，应在 {a.b} 个工作日内"
    )


def test_headings_number_in_chinese():
    from quanze.engine.present.opinion import chinese_number

    numbers = (1, 9, 10, 11, 12, 20, 21, 99, 100)
    assert [chinese_number(n) for n in numbers] == ["一", "九", "十", "十一", "十二", "二十", "二十一", "九十九", "100"]


# --- amounts in words -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (120000, "壹拾贰万元整"),
        (30000, "叁万元整"),
        (49999, "肆万玖仟玖佰玖拾玖元整"),
        (10005, "壹万零伍元整"),
        (100500, "壹拾万零伍佰元整"),
        (1005000, "壹佰万伍仟元整"),
        (200000000, "贰亿元整"),
        (Decimal("1680.32"), "壹仟陆佰捌拾元叁角贰分"),
        (Decimal("5000.05"), "伍仟元零伍分"),
        (Decimal("0.5"), "伍角"),
    ],
)
def test_amount_words(amount, words):
    assert amount_words(amount) == words


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=1, max_value=10**12))
def test_amount_words_read_back_as_the_same_amount(n):
    assert parse_money(amount_words(n)) == n
    assert money_text(n).startswith(f"{n:,} 元（人民币")


# --- a bureau's own template (docxtpl) --------------------------------------------------------


def test_the_shipped_example_template_renders(runner, tmp_path):
    doc = _docx(runner, FAILING, tmp_path / "意见.docx", "--template", str(EXAMPLE))
    text = _body(doc)
    assert "{{" not in text and "{%" not in text
    assert "当事人：某节能咨询有限公司（单位）" in text and "3. 罚款 120,000 元（人民币壹拾贰万元整）" in text
    assert "（一）错误：罚款高于法定上限" in text and "修改建议：" in text and "FINE_ABOVE_MAX 罚款高于法定上限" in text
    assert round(doc.sections[0].page_height.cm, 1) == 29.7


def _template(tmp_path: Path, *lines: str) -> Path:
    from docx import Document as New

    doc = New()
    for line in lines:
        doc.add_paragraph(line)
    path = tmp_path / "模板.docx"
    doc.save(str(path))
    return path


def test_template_values_are_escaped_text(runner, tmp_path):
    raw = sample("penalty/CF-04/fine_above_max.yaml")
    raw["party"]["name"] = '某公司</w:t></w:r><w:r><w:t>&amp;"<注入>'
    path = tmp_path / "d.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    doc = _docx(runner, path, tmp_path / "意见.docx", "--template", str(_template(tmp_path, "当事人：{{ party.name }}")))
    assert _body(doc) == '当事人：某公司</w:t></w:r><w:r><w:t>&amp;"<注入>'


@pytest.mark.parametrize(
    ("lines", "words"),
    [
        (("{{ no_such_variable }}",), "未定义的变量"),
        (("{% for x in %}",), "模板语法有误"),
        (("{{ ''.__class__.__mro__ }}",), "模板"),
    ],
)
def test_a_broken_template_is_an_input_error_naming_it(runner, tmp_path, lines, words):
    template = _template(tmp_path, *lines)
    result = runner.invoke(app, ["check", str(FAILING), "--format", "docx", "--out", str(tmp_path / "o.docx"), "--template", str(template)])
    assert result.exit_code == 2, result.output + result.stderr
    assert "--template" in result.stderr and words in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "o.docx").exists()


def test_template_must_be_a_docx_and_only_with_docx(runner, tmp_path):
    text = tmp_path / "模板.docx"
    text.write_text("不是 Word 文档", encoding="utf-8")
    result = runner.invoke(app, ["check", str(FAILING), "--format", "docx", "--out", str(tmp_path / "o.docx"), "--template", str(text)])
    assert result.exit_code == 2 and "不是 Word 文档（.docx）模板" in result.stderr
    archive = tmp_path / "压缩包.docx"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("a.txt", "x")
    result = runner.invoke(app, ["check", str(FAILING), "--format", "docx", "--out", str(tmp_path / "o.docx"), "--template", str(archive)])
    assert result.exit_code == 2 and "不是有效的 Word 文档（.docx）模板" in result.stderr and "KeyError" not in result.stderr
    result = runner.invoke(app, ["check", str(FAILING), "--template", str(EXAMPLE)])
    assert result.exit_code == 2 and "--template 只用于 --format docx" in result.stderr


def test_the_example_template_is_reproducible_from_its_script(tmp_path):
    import runpy

    built = runpy.run_path(str(EXAMPLE.with_name("build_template.py")))["build"](tmp_path / "t.docx")
    shipped, again = Document(str(EXAMPLE)), Document(str(built))
    assert [(p.style.name, p.text) for p in again.paragraphs] == [(p.style.name, p.text) for p in shipped.paragraphs]


# --- issue 18: control characters in any text field -------------------------------------------


def _string_leaves(value, path=""):
    if isinstance(value, str):
        yield path
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _string_leaves(v, f"{path}.{k}" if path else k)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _string_leaves(v, f"{path}[{i}]")


def _set(raw, path, value):
    parts = re.findall(r"[^.\[\]]+|\[\d+\]", path)
    cur = raw
    for p in parts[:-1]:
        cur = cur[int(p[1:-1])] if p.startswith("[") else cur[p]
    last = parts[-1]
    if last.startswith("["):
        cur[int(last[1:-1])] = value
    else:
        cur[last] = value


@pytest.mark.parametrize("case", ["penalty/CF-04/fine_above_max.yaml", "inspection/JC-08/seizure_approved.yaml"])
@pytest.mark.parametrize("template", [False, True])
def test_a_control_character_in_any_text_field_is_shown_or_refused_never_a_crash(runner, tmp_path, case, template):
    if not (CASES / case).exists():
        pytest.skip(f"sample {case} not present")
    base = sample(case)
    base.setdefault("people", {})["reviewer"] = "王五"
    if base["kind"] == "penalty":
        base["procedure"]["extension"] = {"days": 30, "approved_on": "2026-05-01", "basis": "某规定"}
    extra = ["--template", str(EXAMPLE)] if template else []
    outcomes = set()
    for i, path in enumerate(_string_leaves(base)):
        if path in ("kind", "item"):
            continue
        raw = sample(case)
        raw.setdefault("people", {})["reviewer"] = "王五"
        if raw["kind"] == "penalty":
            raw["procedure"]["extension"] = {"days": 30, "approved_on": "2026-05-01", "basis": "某规定"}
        value = "甲\x07乙\x1b[2J丙\x00丁"
        _set(raw, path, value)
        draft = tmp_path / f"d{i}.yaml"  # yaml.safe_dump writes them as "\a", "\e", "\0"
        draft.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
        out = tmp_path / f"o{i}.docx"
        result = runner.invoke(app, ["check", str(draft), "--format", "docx", "--out", str(out), *extra])
        assert result.exit_code in (0, 1, 2), (path, result.output, result.stderr)
        assert "Traceback" not in result.stderr and "内部错误" not in result.stderr, path
        if result.exit_code == 2:  # refused as input, naming the field by its Chinese label
            outcomes.add("refused")
            assert field_label(path) in result.stderr, (path, result.stderr)
            continue
        outcomes.add("shown")
        text = _everything(Document(str(out)))
        assert not CONTROLS.search(text), path
        if "甲" in text:
            assert "\\u0007" in text and "\\u001b" in text, path
    assert "shown" in outcomes


# --- the API door -----------------------------------------------------------------------------


@pytest.mark.skipif(QUANZE is None, reason="quanze entry point not installed")
def test_post_opinion_answers_the_same_docx_as_the_cli(runner, tmp_path):
    cli = _body(_docx(runner, FAILING, tmp_path / "cli.docx"))
    with serving(tmp_path) as base:
        res = httpx.post(f"{base}/api/v1/opinion", content=FAILING.read_bytes(), headers={"Content-Type": "application/yaml"}, timeout=60)
        bad = httpx.post(f"{base}/api/v1/opinion", json={"kind": "penalty", "item": "CF-04"}, timeout=60)
        spec = httpx.get(f"{base}/openapi.json", timeout=30).json()
    assert res.status_code == 200, res.text
    assert res.headers["content-type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    disposition = res.headers["content-disposition"]
    assert disposition.startswith("attachment; filename=\"opinion.docx\"; filename*=UTF-8''")
    assert disposition.isascii() and "%E6%B3%95%E5%88%B6" in disposition  # 法制…
    assert _body(Document(io.BytesIO(res.content))) == cli
    assert bad.status_code == 422 and bad.json()["lines"] and all(line.startswith("请求") for line in bad.json()["lines"])
    assert "/api/v1/opinion" in spec["paths"]


def test_the_attachment_name_drops_hidden_characters_and_separators():
    from quanze.web.routes.check import attachment

    header = attachment("伊市\x1b/商工罚\u202e〔2026〕7号")
    assert header.isascii() and "%1B" not in header and "%2F" not in header and "%E2%80%AE" not in header


# --- LibreOffice renders it -------------------------------------------------------------------

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
@pytest.mark.parametrize("template", [False, True])
def test_libreoffice_converts_it_to_an_a4_pdf_with_text(runner, tmp_path, template):
    extra = ["--template", str(EXAMPLE)] if template else []
    _docx(runner, FAILING, tmp_path / "opinion.docx", *extra)
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(tmp_path / "opinion.docx"),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    pdf = (tmp_path / "opinion.pdf").read_bytes()
    boxes = re.findall(rb"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    assert boxes, "no page in the PDF"
    for box in boxes:
        x0, y0, x1, y1 = (float(v) for v in box)
        assert abs((x1 - x0) - 595) <= 1 and abs((y1 - y0) - 842) <= 1, box
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: page size checked, text not")
    text = subprocess.run([pdftotext, str(tmp_path / "opinion.pdf"), "-"], capture_output=True, timeout=60, check=True).stdout.decode(
        "utf-8"
    )
    squeezed = re.sub(r"\s+", "", text)
    assert "法制审核意见书" in squeezed and "某节能咨询有限公司" in squeezed and "壹拾贰万元整" in squeezed


def test_an_engine_worded_text_is_shown_as_written_with_hidden_characters_visible():
    """A finding's, a 未检查 line's and a 追责 row's text is worded once by the engine: the 意见书 does not retypeset
    it (the draft's words quoted in it stay as written) but still shows a control character, which no .docx holds."""
    from quanze.engine.present.docwords import as_written

    assert as_written("草稿写「A,B(甲)」\x07") == "草稿写「A,B(甲)」\\u0007"
